package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.CommandGroups;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.persistence.DataLoader;
import org.akkaredis.persistence.RdbFile;
import org.akkaredis.persistence.RdbWriter;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DEBUG RELOAD on a node of 16 slot ranges whose snapshot goes to a file of the test's. */
class DebugReloadTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  @TempDir
  Path dir;

  /** SAVE writes an RDB file; DEBUG RELOAD reads it back, as the node's persistence does with dir/dbfilename. */
  private final class FilePersistence implements Persistence {
    final List<String> saves = new ArrayList<>();
    final List<Long> reloadedChanges = new ArrayList<>();
    /** What the AOF holds, or null when there is none. */
    List<byte[][]> aof;

    Path file() {
      return dir.resolve("dump.rdb");
    }

    @Override public void save(RangeState[] held) throws IOException {
      RdbFile.save(file(), held, new RdbWriter.Aux("7.0.15", 0, 0, false));
      saves.add("saved");
    }

    @Override public List<byte[][]> snapshotCommands() throws IOException {
      List<byte[][]> commands = DataLoader.commandsOfRdb(Files.readAllBytes(file()));
      if (commands == null) throw new IOException("no RDB file");
      return commands;
    }

    @Override public void reloaded(long changes) {
      reloadedChanges.add(changes);
    }

    @Override public java.util.concurrent.CompletionStage<List<byte[][]>> appendOnlyCommands() {
      return aof == null ? Persistence.NONE.appendOnlyCommands() : CompletableFuture.completedFuture(aof);
    }

    @Override public java.util.concurrent.CompletionStage<String> bgsave() {
      return Persistence.NONE.bgsave();
    }

    @Override public java.util.concurrent.CompletionStage<String> bgrewriteaof() {
      return Persistence.NONE.bgrewriteaof();
    }

    @Override public boolean loading() {
      return false;
    }

    @Override public long aofBufferBytes() {
      return 0; // no AOF
    }

    @Override public long lastSaveMs() {
      return 0;
    }

    @Override public String infoFields(long nowMs) {
      return "";
    }

    @Override public java.util.concurrent.CompletionStage<String> beforeShutdown(boolean save, boolean noSave) {
      return Persistence.NONE.beforeShutdown(save, noSave);
    }
  }

  private record Setup(EffectsNode node, CommandDispatcher dispatcher, NodeContext ctx, FilePersistence files) {
    Reply run(Session session, String... args) {
      List<byte[][]> one = new ArrayList<>();
      one.add(EffectsNode.argv(args));
      return EffectsNode.await(dispatcher.run(session, one)).replies()[0];
    }
  }

  private Setup start() throws org.akkaredis.config.ConfigException {
    Settings settings = Settings.defaults().withOverrides(Map.of("enable-debug-command", "yes"));
    EffectsNode effects = new EffectsNode(testKit, settings, new AtomicLong(System.currentTimeMillis())).capturing();
    FilePersistence files = new FilePersistence();
    NodeContext ctx = new NodeContext(effects.keyspace, settings, CommandGroups.ofCommandPackage().build(), effects,
        new ServerStats(), effects.node.info(), Replication.NONE, () -> {}, files);
    return new Setup(effects, new CommandDispatcher(ctx), ctx, files);
  }

  @Test
  void reloadSavesFlushesAndLoadsTheSameDataWithoutPropagatingIt() throws Exception {
    Setup node = start();
    Session s = node.node().connect();
    node.run(s, "rpush", "list", "a", "b", "c");
    node.run(s, "sadd", "set", "1", "2", "3");
    node.run(s, "hset", "hash", "f", "v");
    node.run(s, "zadd", "zset", "1.5", "m");
    node.run(s, "set", "string", "value", "px", "100000");
    node.run(s, "select", "2");
    node.run(s, "set", "other", "db");
    node.run(s, "select", "0");
    Reply digest = node.run(s, "debug", "digest");
    node.node().takeEffects();

    assertEquals(Reply.OK, node.run(s, "debug", "reload"));
    assertEquals(List.of("saved"), node.files().saves);
    assertEquals(digest, node.run(s, "debug", "digest"));
    assertEquals(Reply.integer(5), node.run(s, "dbsize"));
    // Emptying and loading are no changes since the save.
    assertEquals(1, node.files().reloadedChanges.size());
    assertTrue(node.files().reloadedChanges.get(0) >= 5);
    assertEquals(Reply.bulk("intset"), node.run(s, "object", "encoding", "set"));
    assertTrue(((Reply.Int) node.run(s, "pttl", "string")).value() > 0);
    assertEquals(List.of(), node.node().takeEffects(), "nothing goes to replicas or the AOF");

    // NOSAVE loads the file as it is: what was written since is gone.
    node.run(s, "set", "later", "x");
    assertEquals(Reply.OK, node.run(s, "debug", "reload", "NOSAVE"));
    assertEquals(List.of("saved"), node.files().saves);
    assertEquals(Reply.NULL, node.run(s, "get", "later"));
    assertEquals(digest, node.run(s, "debug", "digest"));
  }

  @Test
  void noflushKeepsTheDataAndMergeLetsTheFileReplaceKeysOfTheSameName() throws Exception {
    Setup node = start();
    Session s = node.node().connect();
    node.run(s, "set", "a", "1");
    node.run(s, "rpush", "list", "x", "y");
    assertEquals(Reply.OK, node.run(s, "debug", "reload"));
    node.run(s, "set", "a", "2");
    node.run(s, "rpush", "list", "z");
    node.run(s, "set", "extra", "e");
    // Keys of the file that are there already, and no MERGE: the load fails before it changes anything.
    assertEquals(Reply.error("ERR Error trying to load the RDB dump"),
        node.run(s, "debug", "reload", "nosave", "noflush"));
    assertEquals(Reply.bulk("2"), node.run(s, "get", "a"));
    assertEquals(Reply.integer(3), node.run(s, "llen", "list"));
    assertEquals(Reply.OK, node.run(s, "debug", "reload", "nosave", "noflush", "merge"));
    assertEquals(Reply.bulk("1"), node.run(s, "get", "a"));
    assertEquals(Reply.array(List.of(Reply.bulk("x"), Reply.bulk("y"))), node.run(s, "lrange", "list", "0", "-1"));
    assertEquals(Reply.bulk("e"), node.run(s, "get", "extra"));
    // NOFLUSH alone adds the file's keys where none of them is there.
    node.run(s, "del", "a", "list");
    assertEquals(Reply.OK, node.run(s, "debug", "reload", "nosave", "noflush"));
    assertEquals(Reply.integer(3), node.run(s, "dbsize"));
  }

  @Test
  void reloadRefusesWhatItCannotDo() throws Exception {
    Setup node = start();
    Session s = node.node().connect();
    assertEquals(Reply.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."),
        node.run(s, "debug", "reload", "nosave", "other"));
    node.run(s, "set", "kept", "1");
    // No file to load: with NOFLUSH the data stays; without, it is gone, as Redis empties it before it loads.
    assertEquals(Reply.error("ERR Error trying to load the RDB dump"),
        node.run(s, "debug", "reload", "nosave", "noflush"));
    assertEquals(Reply.bulk("1"), node.run(s, "get", "kept"));
    Files.writeString(node.files().file(), "not an rdb");
    assertEquals(Reply.error("ERR Error trying to load the RDB dump"),
        node.run(s, "debug", "reload", "nosave"));
    assertEquals(Reply.NULL, node.run(s, "get", "kept"));
  }

  @Test
  void loadAofReplacesTheDataWithWhatTheAppendOnlyFilesSay() throws Exception {
    Setup node = start();
    Session s = node.node().connect();
    node.run(s, "set", "gone", "1");
    assertEquals(Reply.error("ERR Error trying to load the AOF files, check server logs."),
        node.run(s, "debug", "loadaof"));
    assertEquals(Reply.bulk("1"), node.run(s, "get", "gone"));
    node.files().aof = List.of(EffectsNode.argv("SELECT", "0"), EffectsNode.argv("MULTI"),
        EffectsNode.argv("SET", "a", "1"), EffectsNode.argv("RPUSH", "l", "x", "y"), EffectsNode.argv("EXEC"),
        EffectsNode.argv("SELECT", "1"), EffectsNode.argv("SADD", "s", "m"));
    node.node().takeEffects();
    assertEquals(Reply.OK, node.run(s, "debug", "loadaof"));
    assertEquals(Reply.NULL, node.run(s, "get", "gone"));
    assertEquals(Reply.bulk("1"), node.run(s, "get", "a"));
    assertEquals(Reply.integer(2), node.run(s, "llen", "l"));
    node.run(s, "select", "1");
    assertEquals(Reply.integer(1), node.run(s, "scard", "s"));
    assertEquals(List.of(), node.node().takeEffects(), "nothing goes to replicas or the AOF");
    node.files().aof = List.<byte[][]>of(EffectsNode.argv("NOSUCHCOMMAND"));
    assertEquals(Reply.error("ERR Error trying to load the AOF files, check server logs."),
        node.run(s, "debug", "loadaof"));
    assertEquals(Reply.integer(1), node.run(s, "scard", "s"), "a command that cannot run leaves the data alone");
  }
}
