package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.FreePorts;
import org.akkaredis.it.support.JarNode;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.Processes.Result;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.SmallDisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The durability claims of persistence, with node processes as users run them ({@code java -jar}): killed with
 * SIGKILL under a write load (appendfsync always keeps every acknowledged write, everysec all but the last moments'),
 * stopped with SIGTERM and SHUTDOWN (the AOF written out, the snapshot saved as the save rules and SAVE|NOSAVE say,
 * exit code 0), checked with Debian's {@code redis-check-aof} and {@code redis-check-rdb}, and restarted from the
 * files. Run by failsafe after {@code mvn package}.
 */
class PersistenceIT {
  private static final int WRITERS = 3;
  /** How long the writers run before the kill. */
  private static final Duration LOAD = Duration.ofSeconds(3);
  /** The writers' first minutes on a loaded machine: they must have written something by then. */
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);
  /** With appendfsync everysec, writes acknowledged longer ago than this must survive a kill. */
  private static final Duration EVERYSEC_WINDOW = Duration.ofSeconds(2);
  /** Kills and restarts with writers going on across them, and how many writes each makes in between. */
  private static final int RESTARTS = 4;
  private static final int WRITES_PER_ROUND = 200;
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);

  private final List<JarNode> nodes = new ArrayList<>();
  private final List<Writer> writers = new ArrayList<>();
  private Rewriter rewriter;

  @BeforeAll
  static void theJarIsBuilt() {
    JarNode.assertJarBuilt();
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (Writer writer : writers) writer.halt();
    if (rewriter != null) rewriter.halt();
    for (Writer writer : writers) writer.join(TimeUnit.SECONDS.toMillis(15));
    if (rewriter != null) rewriter.join(TimeUnit.SECONDS.toMillis(15));
    for (JarNode node : nodes) node.close();
  }

  /** A standalone node in its own temp dir, with these settings ({@code --name value} pairs). */
  private JarNode node(String... settings) {
    JarNode node = new JarNode("akka-redis-persistence-", FreePorts.next(), settings);
    nodes.add(node);
    return node;
  }

  /** A node with the AOF on and the given fsync policy, started and answering. */
  private JarNode startedAofNode(String appendfsync) {
    JarNode node = node("--appendonly", "yes", "--appendfsync", appendfsync, "--save", "");
    restart(node);
    return node;
  }

  /** Starts the node (again, on its directory) and waits until it answers, its data loaded. */
  private static void restart(JarNode node) {
    node.start();
    node.awaitReady();
  }

  @Test
  void appendfsyncAlwaysKeepsEveryAcknowledgedWriteWhenKilledUnderLoad() {
    JarNode node = startedAofNode("always");
    long killNanos = loadThenKill(node);
    restart(node);

    Survivors survivors = survivors(node);
    System.out.printf("PersistenceIT appendfsync always, kill -9 after %s of load by %d writers: %s%n", LOAD, WRITERS,
        survivors.counts(killNanos));
    assertTrue(survivors.acknowledged > 0, "the writers got replies");
    assertEquals(List.of(), survivors.lostKeys(), "every write acknowledged before the kill is there with its value"
        + survivors.lostSpan(killNanos));
    survivors.assertNoKeyButThoseWritten();
    assertTrue(survivors.extra <= WRITERS, "at most the one unacknowledged write of each writer: " + survivors.extra);
  }

  @Test
  void appendfsyncEverysecLosesAtMostTheLastMomentsWhenKilledUnderLoad() {
    JarNode node = startedAofNode("everysec");
    long killNanos = loadThenKill(node);
    restart(node);

    Survivors survivors = survivors(node);
    System.out.printf("PersistenceIT appendfsync everysec, kill -9 after %s of load by %d writers: %s%n", LOAD,
        WRITERS, survivors.counts(killNanos));
    assertTrue(survivors.acknowledged > 0, "the writers got replies");
    long before = killNanos - EVERYSEC_WINDOW.toNanos();
    List<String> oldLost = survivors.lost.stream().filter(lost -> lost.ackNanos - before < 0).map(Lost::key).toList();
    assertEquals(List.of(), oldLost, "every write acknowledged more than " + EVERYSEC_WINDOW + " before the kill is "
        + "there with its value" + survivors.lostSpan(killNanos));
    survivors.assertNoKeyButThoseWritten();
  }

  /** As above, with BGREWRITEAOF running back to back meanwhile, so that the kill comes during or between rewrites. */
  @Test
  void appendfsyncAlwaysKeepsEveryAcknowledgedWriteWhenKilledDuringRewrites() {
    JarNode node = startedAofNode("always");
    rewriter = new Rewriter(node.port);
    rewriter.start();
    long killNanos = loadThenKill(node);
    Await.until("the rewriter has lost its connection", Duration.ofSeconds(30), () -> !rewriter.isAlive());
    assertEquals(null, rewriter.failure, "the rewriter");
    String killedRun = node.log();
    long begun = killedRun.lines().filter(line -> line.contains("Background append only file rewriting started")).count();
    long finished = killedRun.lines().filter(line -> line.contains("Background AOF rewrite finished successfully"))
        .count();
    restart(node);

    Survivors survivors = survivors(node);
    System.out.printf("PersistenceIT appendfsync always, kill -9 after %s of load by %d writers and %d BGREWRITEAOFs "
        + "(the node's log: %d rewrites started, %d finished): %s%n", LOAD, WRITERS, rewriter.started, begun, finished,
        survivors.counts(killNanos));
    assertTrue(rewriter.started > 1, "rewrites ran during the load: " + rewriter.started);
    assertEquals(List.of(), survivors.lostKeys(), "every write acknowledged before the kill is there with its value"
        + survivors.lostSpan(killNanos));
    survivors.assertNoKeyButThoseWritten();
  }

  /**
   * Clients that keep writing while the node is killed and restarted, retrying while it loads: the writes
   * acknowledged in the first moments after a restart must be in the AOF like all others when it is killed again.
   */
  @Test
  void appendfsyncAlwaysKeepsTheWritesAcknowledgedRightAfterEachRestart() {
    JarNode node = startedAofNode("always");
    for (int id = 0; id < WRITERS; id++) writers.add(new Writer(id, node.port, true));
    writers.forEach(Thread::start);
    for (int round = 1; round <= RESTARTS; round++) {
      int[] before = writers.stream().mapToInt(Writer::acked).toArray();
      Await.until("every writer has written " + WRITES_PER_ROUND + " more in round " + round, LOAD_TIMEOUT, () -> {
        for (Writer writer : writers) writer.assertHealthy();
        return writers.stream().allMatch(w -> w.acked() - before[w.id] >= WRITES_PER_ROUND);
      }, () -> writers.stream().map(w -> w.id + ": " + w.acked()).collect(Collectors.joining(", ")));
      node.kill();
      restart(node);
    }
    writers.forEach(Writer::halt);
    Await.until("the writers have stopped", Duration.ofSeconds(30), () -> writers.stream().noneMatch(Thread::isAlive));
    for (Writer writer : writers) assertEquals(null, writer.failure, "writer " + writer.id);

    Survivors survivors = survivors(node);
    System.out.printf("PersistenceIT appendfsync always, %d kills -9 with writers retrying across restarts: "
        + "acknowledged %d, found %d of them, lost %d%s%n", RESTARTS, survivors.acknowledged,
        survivors.foundAcknowledged, survivors.lost.size(), survivors.lost.isEmpty() ? "" : " " + survivors.lostKeys());
    assertEquals(List.of(), survivors.lostKeys(), "every acknowledged write is there with its value");
  }

  @Test
  void aFailedAofWriteWithAppendfsyncAlwaysExitsOneAndIsNeverAcknowledged() {
    try (SmallDisk disk = SmallDisk.mount("akka-redis-full-", 1 << 20)) {
      // The later --dir wins: the files go to the small disk, the node's log stays in its own directory.
      JarNode node = node("--dir", disk.dir().toString(), "--appendonly", "yes", "--appendfsync", "always",
          "--save", "");
      restart(node);
      try (RespConnection c = RespConnection.open(node.port)) {
        assertEquals("OK", c.call("SET", "before", "1").text());
        disk.fill();
        c.send("SET", "failed", "x".repeat(10_000));
        assertEquals("", new String(c.readUntilClosed()), "no reply for a write that is not on disk");
      }
      assertEquals(1, node.awaitExit(), "Redis exits 1 here");
      assertTrue(node.log().contains("Can't recover from AOF write error when the AOF fsync policy is 'always'. "
          + "Exiting..."), node.log());
      disk.free();
      restart(node);
      assertEquals("1", node.answer("GET", "before"));
      assertEquals("0", node.answer("EXISTS", "failed"));
      node.kill();
    }
  }

  @Test
  void sigtermWritesTheAofOutSavesAndExitsZero() {
    JarNode node = node("--appendonly", "yes", "--save", "3600 1");
    restart(node);
    int keys = writeKeys(node, 1000);
    node.terminate();
    int exitCode = node.awaitExit();
    Path manifest = node.dir.resolve("appendonlydir").resolve("appendonly.aof.manifest");
    Path dump = node.dir.resolve("dump.rdb");
    Result checkAof = Processes.run(CLI_TIMEOUT, "redis-check-aof", manifest.toString());
    Result checkRdb = Files.exists(dump) ? Processes.run(CLI_TIMEOUT, "redis-check-rdb", dump.toString()) : null;
    assertAll(
        () -> assertEquals(0, checkAof.exitCode(), checkAof.describe()),
        () -> assertTrue(checkAof.stdout().contains("All AOF files and manifest are valid"), checkAof.describe()),
        () -> {
          assertTrue(Files.exists(dump), "save 3600 1: SIGTERM saves dump.rdb; in the dir: " + list(node.dir));
          assertEquals(0, checkRdb.exitCode(), checkRdb.describe());
          assertTrue(checkRdb.stdout().contains("[info] " + keys + " keys read"), checkRdb.describe());
        });

    restart(node);
    assertKeys(node, keys);
    // Last, so that a wrong exit code does not hide what the files hold.
    assertEquals(0, exitCode, "exit code after SIGTERM (redis-server exits 0); log:\n" + node.log());
  }

  @Test
  void shutdownSaveWritesTheSnapshotWithoutSaveRulesAndExitsZero() {
    JarNode node = node("--appendonly", "no", "--save", "");
    restart(node);
    int keys = writeKeys(node, 1000);
    Result shutdown = Processes.run(CLI_TIMEOUT, "redis-cli", "-p", Integer.toString(node.port), "shutdown", "save");
    assertEquals(0, shutdown.exitCode(), shutdown.describe());
    assertEquals(0, node.awaitExit(), "exit code after SHUTDOWN SAVE; log:\n" + node.log());
    Path dump = node.dir.resolve("dump.rdb");
    assertTrue(Files.exists(dump), "SHUTDOWN SAVE saves dump.rdb; in the dir: " + list(node.dir));
    Result checkRdb = Processes.run(CLI_TIMEOUT, "redis-check-rdb", dump.toString());
    assertEquals(0, checkRdb.exitCode(), checkRdb.describe());
    assertTrue(checkRdb.stdout().contains("[info] " + keys + " keys read"), checkRdb.describe());

    restart(node);
    assertKeys(node, keys);
  }

  @Test
  void shutdownNosaveSavesNothingDespiteSaveRulesAndExitsZero() {
    JarNode node = node("--appendonly", "no", "--save", "3600 1");
    restart(node);
    writeKeys(node, 1000);
    Result shutdown = Processes.run(CLI_TIMEOUT, "redis-cli", "-p", Integer.toString(node.port), "shutdown",
        "nosave");
    assertEquals(0, shutdown.exitCode(), shutdown.describe());
    assertEquals(0, node.awaitExit(), "exit code after SHUTDOWN NOSAVE; log:\n" + node.log());
    assertFalse(Files.exists(node.dir.resolve("dump.rdb")), "SHUTDOWN NOSAVE saves nothing; in the dir: "
        + list(node.dir));
    assertEquals(List.of("node.log"), list(node.dir), "nothing at all but the log");
  }

  // The write load

  /**
   * Runs {@link #WRITERS} writers against the node for {@link #LOAD}, kills the node with SIGKILL while they write,
   * and waits for the writers to see their connections gone. Returns when the kill was sent (System.nanoTime).
   */
  private long loadThenKill(JarNode node) {
    for (int id = 0; id < WRITERS; id++) writers.add(new Writer(id, node.port, false));
    long startNanos = System.nanoTime();
    writers.forEach(Thread::start);
    Await.until("the writers have written for " + LOAD, LOAD_TIMEOUT, () -> {
      for (Writer writer : writers) writer.assertHealthy();
      return System.nanoTime() - startNanos >= LOAD.toNanos() && writers.stream().allMatch(w -> w.acked() > 0);
    }, () -> writers.stream().map(w -> w.id + ": " + w.acked()).collect(Collectors.joining(", ")));
    for (Writer writer : writers) writer.assertHealthy();
    long killNanos = System.nanoTime();
    node.kill();
    Await.until("every writer has lost its connection", Duration.ofSeconds(30),
        () -> writers.stream().noneMatch(Thread::isAlive));
    for (Writer writer : writers) {
      assertTrue(writer.endedByKill, "writer " + writer.id + " ended when the node was killed: " + writer.failure);
    }
    return killNanos;
  }

  /**
   * One client writing {@code SET w<id>:<i> <i>} for i = 0, 1, 2 ... as fast as the replies come, one at a time,
   * recording when each +OK came back: writes 0 .. acked-1 are acknowledged, write {@code acked} may be in flight.
   * It ends when its connection breaks, unless it writes {@code acrossRestarts}: then it connects again (while the
   * node is down, every few ms), retries a write answered -LOADING at once, and goes on until halted.
   */
  private static final class Writer extends Thread {
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(5);
    final int id;
    final int port;
    final boolean acrossRestarts;
    private long[] ackNanos = new long[1 << 14];
    private volatile int acked;
    private volatile boolean halted;
    /** The connection broke (the node was killed) while it wrote. */
    volatile boolean endedByKill;
    /** Anything else that ended it: a reply other than +OK, an exception. */
    volatile String failure;

    Writer(int id, int port, boolean acrossRestarts) {
      super("writer-" + id);
      this.id = id;
      this.port = port;
      this.acrossRestarts = acrossRestarts;
      setDaemon(true);
    }

    static String key(int writer, int i) {
      return "w" + writer + ":" + i;
    }

    @Override
    public void run() {
      try {
        while (!halted) {
          RespConnection connection;
          try {
            connection = RespConnection.open(port);
          } catch (UncheckedIOException down) {
            if (!acrossRestarts) throw down;
            // Not a wait for a condition: the pause between attempts to connect to a node that is starting.
            LockSupport.parkNanos(RECONNECT_PAUSE.toNanos());
            continue;
          }
          try (connection) {
            if (!writeUntilBroken(connection)) return;
          }
        }
      } catch (RuntimeException | AssertionError e) {
        failure = e.toString();
      }
    }

    /** Writes until halted (true), the connection breaks (true: connect again; false: the end) or a bad reply. */
    private boolean writeUntilBroken(RespConnection connection) {
      while (!halted) {
        int i = acked;
        RespReply reply;
        try {
          connection.send("SET", key(id, i), Integer.toString(i));
          reply = connection.read();
        } catch (UncheckedIOException gone) {
          endedByKill = true;
          return acrossRestarts;
        }
        if (acrossRestarts && reply.isError() && reply.text().startsWith("LOADING")) continue;
        if (reply.type != '+' || !reply.text().equals("OK")) {
          failure = "SET " + key(id, i) + " answered " + reply;
          return false;
        }
        long now = System.nanoTime();
        if (i == ackNanos.length) ackNanos = Arrays.copyOf(ackNanos, 2 * i);
        ackNanos[i] = now;
        acked = i + 1;
      }
      return false;
    }

    int acked() {
      return acked;
    }

    /** When write i's +OK came back; only for i < acked(), once the writer has ended. */
    long ackNanos(int i) {
      return ackNanos[i];
    }

    void assertHealthy() {
      if (failure != null) throw new AssertionError("writer " + id + " failed: " + failure);
      if (!isAlive() && !endedByKill) throw new AssertionError("writer " + id + " ended early");
    }

    void halt() {
      halted = true;
    }
  }

  /** BGREWRITEAOF again and again, each once the one before has finished, until its connection breaks. */
  private static final class Rewriter extends Thread {
    final int port;
    volatile int started;
    volatile String failure;
    private volatile boolean halted;

    Rewriter(int port) {
      super("rewriter");
      this.port = port;
      setDaemon(true);
    }

    @Override
    public void run() {
      try (RespConnection connection = RespConnection.open(port)) {
        while (!halted) {
          RespReply reply = connection.call("BGREWRITEAOF");
          if (reply.isError() && !reply.text().contains("already in progress")) {
            failure = "BGREWRITEAOF answered " + reply;
            return;
          }
          if (!reply.isError()) started++;
          Await.until("the rewrite has finished", Duration.ofSeconds(30), () -> halted
              || connection.call("INFO", "persistence").text().contains("aof_rewrite_in_progress:0\r\n"));
        }
      } catch (UncheckedIOException gone) {
        // the node was killed
      } catch (RuntimeException | AssertionError e) {
        failure = e.toString();
      }
    }

    void halt() {
      halted = true;
    }
  }

  /** An acknowledged write the restarted node does not have (or has with another value). */
  private record Lost(String key, long ackNanos, String found) {}

  /** What the restarted node holds of the writers' writes. */
  private static final class Survivors {
    int acknowledged;
    int foundAcknowledged;
    /** Found writes whose reply had not come back when the node died. */
    int extra;
    long dbsize;
    final List<Lost> lost = new ArrayList<>();

    /** The counts the closing note reports: acknowledged, found, lost (and when), extra, DBSIZE. */
    String counts(long killNanos) {
      return String.format(Locale.ROOT, "acknowledged %d, found %d of them, lost %d%s, extra (sent, unacknowledged) "
          + "found %d, DBSIZE %d", acknowledged, foundAcknowledged, lost.size(), lostSpan(killNanos), extra, dbsize);
    }

    void assertNoKeyButThoseWritten() {
      assertEquals(foundAcknowledged + extra, dbsize, "no key but those written");
    }

    List<String> lostKeys() {
      return lost.stream().map(l -> l.key + (l.found == null ? " (missing)" : " = " + l.found)).toList();
    }

    /**
     * When the lost writes were acknowledged, in ms before the kill was sent (negative: after it was sent, while
     * the process was still dying).
     */
    String lostSpan(long killNanos) {
      if (lost.isEmpty()) return "";
      long newest = lost.stream().mapToLong(Lost::ackNanos).max().orElseThrow();
      long oldest = lost.stream().mapToLong(Lost::ackNanos).min().orElseThrow();
      return String.format(Locale.ROOT, " (acknowledged from %.3f ms to %.3f ms before the kill was sent)",
          (killNanos - oldest) / 1e6, (killNanos - newest) / 1e6);
    }
  }

  /** Reads every write the writers sent (acknowledged or in flight) from the node. */
  private Survivors survivors(JarNode node) {
    Survivors survivors = new Survivors();
    try (RespConnection connection = RespConnection.open(node.port)) {
      for (Writer writer : writers) {
        int acked = writer.acked();
        survivors.acknowledged += acked;
        // Write `acked` may have been applied without its reply; later ones were never sent.
        List<String> values = get(connection, writer.id, acked + 1);
        for (int i = 0; i < acked; i++) {
          if (Integer.toString(i).equals(values.get(i))) survivors.foundAcknowledged++;
          else survivors.lost.add(new Lost(Writer.key(writer.id, i), writer.ackNanos(i), values.get(i)));
        }
        if (values.get(acked) != null) survivors.extra++;
      }
      survivors.dbsize = connection.call("DBSIZE").integer();
    }
    return survivors;
  }

  /** GET w<writer>:0 .. w<writer>:count-1, pipelined; null for a missing key. */
  private static List<String> get(RespConnection connection, int writer, int count) {
    List<String> values = new ArrayList<>(count);
    int batch = 1000;
    for (int from = 0; from < count; from += batch) {
      int to = Math.min(count, from + batch);
      ByteArrayOutputStream commands = new ByteArrayOutputStream();
      for (int i = from; i < to; i++) commands.writeBytes(RespConnection.encode("GET", Writer.key(writer, i)));
      connection.sendRaw(commands.toByteArray());
      for (int i = from; i < to; i++) {
        RespReply reply = connection.read();
        assertFalse(reply.isError(), "GET " + Writer.key(writer, i) + ": " + reply);
        values.add(reply.isNull() ? null : reply.text());
      }
    }
    return values;
  }

  // Data for the shutdown tests

  /** SET k:0 .. k:count-1 to v0 .. (pipelined); returns count. */
  private static int writeKeys(JarNode node, int count) {
    try (RespConnection connection = RespConnection.open(node.port)) {
      ByteArrayOutputStream commands = new ByteArrayOutputStream();
      for (int i = 0; i < count; i++) commands.writeBytes(RespConnection.encode("SET", "k:" + i, "v" + i));
      connection.sendRaw(commands.toByteArray());
      for (int i = 0; i < count; i++) assertEquals("OK", connection.read().text(), "SET k:" + i);
      assertEquals(count, connection.call("DBSIZE").integer());
    }
    return count;
  }

  /** The node holds exactly k:0 .. k:count-1 with their values. */
  private static void assertKeys(JarNode node, int count) {
    try (RespConnection connection = RespConnection.open(node.port)) {
      assertEquals(count, connection.call("DBSIZE").integer(), "DBSIZE after the restart");
      ByteArrayOutputStream commands = new ByteArrayOutputStream();
      for (int i = 0; i < count; i++) commands.writeBytes(RespConnection.encode("GET", "k:" + i));
      connection.sendRaw(commands.toByteArray());
      List<String> wrong = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        RespReply reply = connection.read();
        if (reply.isNull() || !reply.text().equals("v" + i)) wrong.add("k:" + i + " = " + reply);
      }
      assertEquals(List.of(), wrong, "every key is back with its value");
    }
  }

  private static List<String> list(Path dir) {
    try (var files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      return List.of("(cannot list " + dir + ": " + e + ")");
    }
  }
}
