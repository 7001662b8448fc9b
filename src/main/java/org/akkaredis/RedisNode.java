package org.akkaredis;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.stream.javadsl.Tcp;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.cluster.ClusterCommands;
import org.akkaredis.cluster.ClusterManager;
import org.akkaredis.cluster.ClusterState;
import org.akkaredis.command.BlockingCommands;
import org.akkaredis.command.CommandIntrospection;
import org.akkaredis.command.CommandTable;
import org.akkaredis.command.ConnectionCommands;
import org.akkaredis.command.HashCommands;
import org.akkaredis.command.KeyCommands;
import org.akkaredis.command.ListCommands;
import org.akkaredis.command.NodeContext;
import org.akkaredis.command.NodeInfo;
import org.akkaredis.command.ServerCommands;
import org.akkaredis.command.ServerStats;
import org.akkaredis.command.SetCommands;
import org.akkaredis.command.SortedSetCommands;
import org.akkaredis.command.StringCommands;
import org.akkaredis.command.TransactionCommands;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Keyspace;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.server.ClientRegistry;
import org.akkaredis.server.RespServer;

/**
 * One running node: an ActorSystem whose guardian spawns the slot ranges and the cluster manager, builds
 * the command table and opens the client port. Main starts one; tests start several in one JVM.
 */
public final class RedisNode {
  /** The same on every node, so that a peer's bus address follows from its host and port (step 2). */
  public static final String SYSTEM_NAME = "akka-redis-cluster";

  private final ActorSystem<Void> system;
  private final int port;
  private final String runId;

  private RedisNode(ActorSystem<Void> system, int port, String runId) {
    this.system = system;
    this.port = port;
    this.runId = runId;
  }

  public int port() {
    return port;
  }

  public String runId() {
    return runId;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public CompletionStage<akka.Done> stop() {
    system.terminate();
    return system.getWhenTerminated();
  }

  public CompletionStage<akka.Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** Starts a node; fails (and stops the ActorSystem) when the client port cannot be bound. */
  public static CompletionStage<RedisNode> start(Settings settings) {
    CompletableFuture<RedisNode> started = new CompletableFuture<>();
    String runId = randomHex(20);
    Config akkaConfig = ConfigFactory.parseString("akka.loglevel = " + akkaLogLevel(settings.loglevel()))
        .withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(guardian(settings, runId, started), SYSTEM_NAME, akkaConfig);
    return started.whenComplete((node, failure) -> {
      if (failure != null) system.terminate();
    });
  }

  private static Behavior<Void> guardian(Settings settings, String runId, CompletableFuture<RedisNode> started) {
    return Behaviors.setup(ctx -> {
      ActorSystem<Void> system = ctx.getSystem();
      boolean cluster = settings.clusterEnabled();
      Keyspace keyspace = new Keyspace(ctx, Keyspace.DEFAULT_RANGES, settings, System::currentTimeMillis,
          cluster ? new SlotRouting(true, false, false, new String[org.akkaredis.keyspace.Slots.COUNT])
              : SlotRouting.standalone());
      ActorRef<ClusterManager.Command> clusterManager = null;
      if (cluster) {
        int cport = settings.clusterPort() == 0 ? settings.port() + 10000 : settings.clusterPort();
        ClusterState initial = ClusterState.fresh(randomHex(20), settings.clusterAnnounceIp(), settings.port(),
            cport, System.currentTimeMillis());
        clusterManager = ctx.spawn(ClusterManager.create(initial, System::currentTimeMillis,
            settings.clusterRequireFullCoverage(), settings.clusterAllowReadsWhenDown(), keyspace::publishRouting),
            "cluster");
      }
      CommandTable.Builder table = CommandTable.builder();
      ConnectionCommands.register(table);
      ServerCommands.register(table);
      CommandIntrospection.register(table);
      StringCommands.register(table);
      KeyCommands.register(table);
      HashCommands.register(table);
      ListCommands.register(table);
      BlockingCommands.register(table);
      SetCommands.register(table);
      SortedSetCommands.register(table);
      TransactionCommands.register(table);
      new ClusterCommands(clusterManager).register(table);
      ClientRegistry clients = new ClientRegistry();
      NodeInfo info = new NodeInfo(runId, settings.port(), System.currentTimeMillis(), settings.configFile(),
          executable(), ProcessHandle.current().pid());
      NodeContext node = new NodeContext(keyspace, settings, table.build(), clients, new ServerStats(), info,
          system::terminate);
      new RespServer(system, node, clients).bind(settings.port()).whenComplete((bindings, failure) -> {
        if (failure != null) {
          started.completeExceptionally(failure.getCause() != null ? failure.getCause() : failure);
        } else {
          started.complete(new RedisNode(system, boundPort(bindings, settings.port()), runId));
        }
      });
      return Behaviors.empty();
    });
  }

  private static int boundPort(List<Tcp.ServerBinding> bindings, int configured) {
    if (configured != 0 || bindings.isEmpty()) return configured;
    InetSocketAddress address = bindings.get(0).localAddress();
    return address.getPort();
  }

  private static String executable() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Redis's loglevel as Akka's: debug and verbose are DEBUG, notice INFO, warning WARNING, nothing OFF. */
  static String akkaLogLevel(String redisLevel) {
    return switch (redisLevel) {
      case "debug", "verbose" -> "DEBUG";
      case "warning" -> "WARNING";
      case "nothing" -> "OFF";
      default -> "INFO";
    };
  }

  static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
