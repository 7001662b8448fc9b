package org.akkaredis;

import java.util.List;
import java.util.function.Consumer;
import org.akkaredis.cluster.manager.ClusterCommands;
import org.akkaredis.cluster.migration.MigrateCommand;
import org.akkaredis.command.BitCommands;
import org.akkaredis.command.BlockingCommands;
import org.akkaredis.command.CommandIntrospection;
import org.akkaredis.command.CommandTable;
import org.akkaredis.command.ConnectionCommands;
import org.akkaredis.command.DebugCommands;
import org.akkaredis.command.DiagnosticCommands;
import org.akkaredis.command.HashCommands;
import org.akkaredis.command.HyperLogLogCommands;
import org.akkaredis.command.DumpCommands;
import org.akkaredis.command.GeoCommands;
import org.akkaredis.command.KeyCommands;
import org.akkaredis.command.ListCommands;
import org.akkaredis.command.MemoryCommands;
import org.akkaredis.command.Monitors;
import org.akkaredis.command.PubSubCommands;
import org.akkaredis.command.ReplicationCommands;
import org.akkaredis.command.ServerCommands;
import org.akkaredis.command.SetCommands;
import org.akkaredis.command.SortCommand;
import org.akkaredis.command.SortedSetCommands;
import org.akkaredis.command.StreamCommands;
import org.akkaredis.command.StringCommands;
import org.akkaredis.command.TransactionCommands;
import org.akkaredis.scripting.ScriptCommands;

/**
 * The command groups the node serves, each binding its handlers into the command table. Wiring knows the
 * groups; the command package does not name them. Tests build their tables from the same list.
 */
public final class CommandGroups {
  private CommandGroups() {}

  /** The groups of the command package, in the order the node registers them. */
  private static final List<Consumer<CommandTable.Builder>> OF_COMMAND_PACKAGE = List.of(
      ConnectionCommands::register,
      ServerCommands::register,
      DiagnosticCommands::register,
      DebugCommands::register,
      CommandIntrospection::register,
      StringCommands::register,
      KeyCommands::register,
      DumpCommands::register,
      MemoryCommands::register,
      HashCommands::register,
      ListCommands::register,
      BlockingCommands::register,
      SetCommands::register,
      SortedSetCommands::register,
      StreamCommands::register,
      BitCommands::register,
      HyperLogLogCommands::register,
      GeoCommands::register,
      SortCommand::register,
      TransactionCommands::register,
      Monitors::register,
      PubSubCommands::register,
      ReplicationCommands::register);

  /** The command package's groups, without the cluster's (a node whose tests need no CLUSTER). */
  public static CommandTable.Builder ofCommandPackage() {
    // Each table its own script engine (one Lua state per node).
    return ofCommandPackage(new ScriptCommands());
  }

  /** The command package's groups with {@code scripts}, the node's scripts and functions. */
  public static CommandTable.Builder ofCommandPackage(ScriptCommands scripts) {
    CommandTable.Builder table = CommandTable.builder();
    OF_COMMAND_PACKAGE.forEach(group -> group.accept(table));
    scripts.register(table);
    return table;
  }

  /** Every command the node serves: the command package's groups, CLUSTER's and MIGRATE. */
  public static CommandTable all(ClusterCommands cluster, MigrateCommand migrate) {
    return all(cluster, migrate, new ScriptCommands());
  }

  /** {@link #all(ClusterCommands, MigrateCommand)} with {@code scripts}, whose libraries the node persists. */
  public static CommandTable all(ClusterCommands cluster, MigrateCommand migrate, ScriptCommands scripts) {
    return all(cluster, migrate, ofCommandPackage(scripts));
  }

  /** Every command the node serves: {@code ofCommandPackage} (the command package's groups), CLUSTER's and MIGRATE. */
  public static CommandTable all(ClusterCommands cluster, MigrateCommand migrate,
      CommandTable.Builder ofCommandPackage) {
    cluster.register(ofCommandPackage);
    migrate.register(ofCommandPackage);
    return ofCommandPackage.build();
  }
}
