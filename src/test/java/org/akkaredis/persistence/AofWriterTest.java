package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.typed.ActorRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.akkaredis.config.Settings;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.SmallDisk;
import org.akkaredis.keyspace.EffectBuffer;
import org.akkaredis.keyspace.EffectSink;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AOF writer actor on a temp directory, with ranges that give their part of a rewrite only when the test lets
 * them: effects land in the incr file the cut-over says, a rewrite replaces the files in the manifest, a node-wide
 * effect mid-rewrite gives it up until the retry 100 ms later, and the files load back.
 */
class AofWriterTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());
  private static final long NOW = 1_700_000_000_000L;
  private static final RdbWriter.Aux AUX = new RdbWriter.Aux("7.0.15", NOW / 1000, 1_000_000, false);
  private static final String MANIFEST = "appendonly.aof.manifest";

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  /** Ranges that run a rewrite's request for their data only when {@link #give} says so. */
  private static final class HandOverKeyspace implements KeyspaceAccess {
    final RangeState[] ranges;
    private final List<Queue<Runnable>> asked = new ArrayList<>();

    HandOverKeyspace(int count) {
      ranges = new RangeState[count];
      for (int i = 0; i < count; i++) {
        ranges[i] = new RangeState(i, 0, 16383, 2, Settings.defaults(), () -> NOW, SlotRouting::standalone);
        asked.add(new ConcurrentLinkedQueue<>());
      }
    }

    /** Range {@code range} gives its part to the oldest request it has not answered. */
    void give(int range) {
      Runnable request = asked.get(range).poll();
      assertNotNull(request, "range " + range + " was asked for its data");
      request.run();
    }

    @Override public int rangeCount() {
      return ranges.length;
    }

    @Override public int rangeOfSlot(int slot) {
      return 0;
    }

    @Override public SlotRouting routing() {
      return SlotRouting.standalone();
    }

    @Override public <T> CompletionStage<T> onRange(int range, Function<RangeState, T> work) {
      CompletableFuture<T> done = new CompletableFuture<>();
      asked.get(range).add(() -> done.complete(work.apply(ranges[range])));
      return done;
    }

    @Override public <T> CompletionStage<List<T>> onAll(Function<RangeState, T> work) {
      throw new UnsupportedOperationException();
    }

    @Override public <T> CompletionStage<T> holding(int[] ranges,
        Function<RangeState[], CompletionStage<T>> work) {
      throw new UnsupportedOperationException();
    }
  }

  private Path dir;
  private Path aofDir;
  private final AofStatus status = new AofStatus();
  private AofBacklog backlog = new AofBacklog(AofBacklog.DEFAULT_LIMIT);
  private final Queue<String> fatalLines = new ConcurrentLinkedQueue<>();
  private final HandOverKeyspace keyspace = new HandOverKeyspace(2);

  @BeforeEach
  void createDir() throws IOException {
    dir = Files.createTempDirectory("aof-writer-");
    aofDir = dir.resolve("appendonlydir");
    keyspace.ranges[0].db(0).put(Key.of("in-range-0"), bytes("v0"));
    keyspace.ranges[1].db(1).put(Key.of("in-range-1"), bytes("v1"));
  }

  @AfterEach
  void deleteDir() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) Files.deleteIfExists(file);
    }
  }

  private Settings settings(String... overrides) throws Exception {
    Map<String, String> values = new HashMap<>(Map.of("dir", dir.toString(), "appendfsync", "always",
        "aof-use-rdb-preamble", "no"));
    for (int i = 0; i < overrides.length; i += 2) values.put(overrides[i], overrides[i + 1]);
    return Settings.defaults().withOverrides(values);
  }

  private ActorRef<AofWriter.Command> start(Settings settings, AofManifest loaded) {
    return testKit.spawn(AofWriter.create(settings, keyspace, loaded, null, () -> AUX, status, () -> NOW, backlog,
        fatalLines::add));
  }

  /** A writer on an empty directory, once its first rewrite (of the ranges' data) has made the AOF. */
  private ActorRef<AofWriter.Command> startFresh(Settings settings) throws Exception {
    ActorRef<AofWriter.Command> writer = start(settings, null);
    barrier(writer);
    keyspace.give(0);
    keyspace.give(1);
    barrier(writer);
    assertEquals(1, status.rewrites);
    return writer;
  }

  private static void append(ActorRef<AofWriter.Command> writer, int range, int db, String... command) {
    byte[][] args = new byte[command.length][];
    for (int i = 0; i < command.length; i++) args[i] = bytes(command[i]);
    writer.tell(new AofWriter.Append(range, db, EffectBuffer.encode(args)));
  }

  /** Waits until the writer has written (and fsynced) everything told to it before. */
  private static void barrier(ActorRef<AofWriter.Command> writer) throws Exception {
    CompletableFuture<Void> synced = new CompletableFuture<>();
    writer.tell(new AofWriter.Barrier(synced));
    synced.get(10, TimeUnit.SECONDS);
  }

  private static String rewrite(ActorRef<AofWriter.Command> writer) throws Exception {
    CompletableFuture<String> started = new CompletableFuture<>();
    writer.tell(new AofWriter.Rewrite(started));
    return started.get(10, TimeUnit.SECONDS);
  }

  private static void stop(ActorRef<AofWriter.Command> writer) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    writer.tell(new AofWriter.Stop(done));
    done.get(10, TimeUnit.SECONDS);
  }

  private String file(String name) throws IOException {
    return Files.readString(aofDir.resolve(name), StandardCharsets.ISO_8859_1);
  }

  private Set<String> files() throws IOException {
    try (Stream<Path> files = Files.list(aofDir)) {
      return new TreeSet<>(files.map(file -> file.getFileName().toString()).toList());
    }
  }

  /** Every command the AOF loads, one line each, arguments separated by spaces. */
  private List<String> loaded(Settings settings) throws IOException {
    List<String> commands = new ArrayList<>();
    DataLoader.loadAof(settings, DataLoader.manifest(settings), args -> {
      StringBuilder line = new StringBuilder();
      for (byte[] arg : args) line.append(line.length() == 0 ? "" : " ").append(new String(arg,
          StandardCharsets.UTF_8));
      commands.add(line.toString());
    }, new LoadStatus());
    return commands;
  }

  @Test
  void withEverysecAClientReplyWaitsForTheWriteToBeTriedAndAReplicasAcknowledgementForTheWrite() throws Exception {
    Settings settings = settings("appendfsync", "everysec");
    ActorRef<AofWriter.Command> writer = startFresh(settings);
    EffectSink sink = AofWriter.sink(writer, settings, backlog);
    sink.accept(0, 0, EffectBuffer.encode(new byte[][] {bytes("SET"), bytes("client"), bytes("1")}));
    sink.synced().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(file("appendonly.aof.1.incr.aof").contains("client"),
        "written before the reply goes out, as Redis's beforeSleep writes the AOF before replying");
    sink.accept(0, 0, EffectBuffer.encode(new byte[][] {bytes("SET"), bytes("applied"), bytes("1")}));
    sink.written().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(file("appendonly.aof.1.incr.aof").contains("applied"), "written once the barrier completes");
    stop(writer);
  }

  @Test
  void withEverysecAFailedWriteLetsTheClientReplyGoButNotAReplicasAcknowledgement() throws Exception {
    try (SmallDisk disk = SmallDisk.mount("aof-full-", 512 * 1024)) {
      Settings settings = settings("dir", disk.dir().toString(), "appendfsync", "everysec");
      ActorRef<AofWriter.Command> writer = startFresh(settings);
      EffectSink sink = AofWriter.sink(writer, settings, backlog);
      disk.fill();
      sink.accept(0, 0, EffectBuffer.encode(new byte[][] {bytes("SET"), bytes("big"), bytes(BIG)}));
      CompletableFuture<Void> reply = sink.synced().toCompletableFuture();
      CompletableFuture<Void> acknowledgement = sink.written().toCompletableFuture();
      reply.get(10, TimeUnit.SECONDS);
      assertNotNull(status.writeError, "the reply went after the write was tried and failed, as Redis's does");
      assertFalse(acknowledgement.isDone(), "a replica acknowledges nothing its AOF has not written");
      disk.free();
      manualTime.timePasses(Duration.ofSeconds(1));
      acknowledgement.get(10, TimeUnit.SECONDS);
      stop(writer);
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String BIG = "x".repeat(64 * 1024);

  @Test
  void withEverysecAFailedWriteIsKeptRefusesWritesAndIsWrittenByTheRetryOnceTheDiskHasRoom() throws Exception {
    try (SmallDisk disk = SmallDisk.mount("aof-full-", 512 * 1024)) {
      Settings settings = settings("dir", disk.dir().toString(), "appendfsync", "everysec");
      ActorRef<AofWriter.Command> writer = startFresh(settings);
      append(writer, 0, 0, "SET", "before", "1");
      barrier(writer);
      disk.fill();

      append(writer, 0, 0, "SET", "big", BIG);
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      writer.tell(new AofWriter.Barrier(waiting));
      Await.until("the write failed", WAIT, () -> status.writeError != null);
      assertEquals("No space left on device", status.writeError);
      assertFalse(status.writeOk());
      assertEquals("MISCONF Errors writing to the AOF file: No space left on device",
          DiskErrors.writeDenial(new SaveStatus(NOW), status, true, true));
      assertTrue(PersistenceInfo.fields(new LoadStatus(), new SaveStatus(NOW), status, 0, NOW)
          .contains("aof_last_write_status:err\r\n"));
      CompletableFuture<Void> later = new CompletableFuture<>();
      writer.tell(new AofWriter.Barrier(later));
      manualTime.timePasses(Duration.ofSeconds(1)); // a retry on the full disk fails again
      assertEquals("No space left on device", status.writeError);
      // Whatever was written in part is cut off (the retry runs on the writer's thread meanwhile): the file holds
      // whole commands, without the failed one.
      Await.until("the failed write's part is cut off", WAIT,
          () -> !fileText(disk, "appendonly.aof.1.incr.aof").contains("big"));
      assertEquals(List.of("SELECT 0", "SET before 1"), incrCommands(settings));
      assertFalse(waiting.isDone(), "a reply waiting on the failed write gets no OK");
      assertFalse(later.isDone(), "nor one that came after it");

      disk.free();
      manualTime.timePasses(Duration.ofSeconds(1));
      waiting.get(10, TimeUnit.SECONDS);
      later.get(10, TimeUnit.SECONDS);
      assertNull(status.writeError);
      assertTrue(status.writeOk());
      assertNull(DiskErrors.writeDenial(new SaveStatus(NOW), status, true, true));
      assertEquals(List.of("SELECT 0", "SET before 1", "SET big " + BIG), incrCommands(settings));
      stop(writer);
    }
  }

  @Test
  void noRewriteStartsWhileTheAofCannotBeWritten() throws Exception {
    try (SmallDisk disk = SmallDisk.mount("aof-full-", 512 * 1024)) {
      Settings settings = settings("dir", disk.dir().toString(), "appendfsync", "everysec");
      ActorRef<AofWriter.Command> writer = startFresh(settings);
      disk.fill();
      append(writer, 0, 0, "SET", "big", BIG);
      Await.until("the write failed", WAIT, () -> status.writeError != null);
      assertEquals("ERR Can't execute an AOF background rewriting. Please check the server logs for more "
          + "information.", rewrite(writer));
      assertFalse(status.rewriteInProgress);

      disk.free();
      manualTime.timePasses(Duration.ofSeconds(1));
      barrier(writer);
      assertEquals("Background append only file rewriting started", rewrite(writer));
      keyspace.give(0);
      keyspace.give(1);
      barrier(writer);
      assertEquals(2, status.rewrites);
      assertEquals(List.of("SET in-range-0 v0", "SELECT 0", "SELECT 1", "SET in-range-1 v1"), loaded(settings));
      stop(writer);
    }
  }

  @Test
  void aRewriteWhoseIncrFileCannotBeWrittenFinishesOnceTheRetrySucceeds() throws Exception {
    try (SmallDisk disk = SmallDisk.mount("aof-full-", 512 * 1024)) {
      Settings settings = settings("dir", disk.dir().toString(), "appendfsync", "everysec");
      ActorRef<AofWriter.Command> writer = startFresh(settings);
      assertEquals("Background append only file rewriting started", rewrite(writer));
      disk.fill();
      append(writer, 0, 0, "SET", "big", BIG); // range 0 has not given its part: to the old incr file
      Await.until("the write failed", WAIT, () -> status.writeError != null);
      keyspace.give(0);
      keyspace.give(1);
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      writer.tell(new AofWriter.Barrier(waiting));
      manualTime.timePasses(Duration.ofSeconds(1));
      assertTrue(status.rewriteInProgress, "the old incr file must be whole before the rewrite ends");
      assertFalse(waiting.isDone());

      disk.free();
      manualTime.timePasses(Duration.ofSeconds(1));
      waiting.get(10, TimeUnit.SECONDS);
      barrier(writer);
      assertEquals(2, status.rewrites);
      assertFalse(status.rewriteInProgress);
      // The new base (the ranges' data, which in a node holds every effect before their parts) replaced the files.
      assertEquals(List.of("SET in-range-0 v0", "SELECT 0", "SELECT 1", "SET in-range-1 v1"), loaded(settings));
      stop(writer);
    }
  }

  @Test
  void withAlwaysAFailedWriteStopsTheNodeAndReleasesNobody() throws Exception {
    try (SmallDisk disk = SmallDisk.mount("aof-full-", 512 * 1024)) {
      Settings settings = settings("dir", disk.dir().toString(), "appendfsync", "always");
      ActorRef<AofWriter.Command> writer = startFresh(settings);
      append(writer, 0, 0, "SET", "before", "1");
      barrier(writer);
      disk.fill();

      append(writer, 0, 0, "SET", "big", BIG);
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      writer.tell(new AofWriter.Barrier(waiting));
      Await.until("the node is told to stop", WAIT, () -> !fatalLines.isEmpty());
      assertEquals("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...",
          fatalLines.peek());
      disk.free();
      manualTime.timePasses(Duration.ofSeconds(1)); // no retry: the writer writes nothing more
      append(writer, 0, 0, "SET", "after", "1");
      CompletableFuture<Void> later = new CompletableFuture<>();
      writer.tell(new AofWriter.Barrier(later));
      stop(writer);
      assertFalse(waiting.isDone(), "the reply waiting on the failed write never gets its OK");
      assertFalse(later.isDone());
      assertEquals(List.of("SELECT 0", "SET before 1"), incrCommands(settings));
    }
  }

  @Test
  void overItsBacklogLimitEveryReplyWaitsForTheWriteWhateverTheFsyncPolicy() throws Exception {
    try (SmallDisk disk = SmallDisk.mount("aof-full-", 512 * 1024)) {
      backlog = new AofBacklog(1000);
      Settings settings = settings("dir", disk.dir().toString(), "appendfsync", "everysec");
      ActorRef<AofWriter.Command> writer = startFresh(settings);
      EffectSink sink = AofWriter.sink(writer, settings, backlog);
      disk.fill(); // a disk that takes nothing stands for one slower than the writes
      sink.accept(0, 0, EffectBuffer.encode(new byte[][] {bytes("SET"), bytes("big"), bytes(BIG)}));
      CompletionStage<Void> held = sink.synced();
      assertNotNull(held, "over the limit a writer's reply waits for the disk");
      Await.until("the write failed", WAIT, () -> status.writeError != null);
      assertTrue(backlog.full(), "nothing was dropped");
      assertFalse(held.toCompletableFuture().isDone());

      disk.free();
      manualTime.timePasses(Duration.ofSeconds(1));
      held.toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(0, backlog.waiting());
      assertFalse(backlog.full(), "under the limit a reply waits only for the write tried, not for a success");
      stop(writer);
    }
  }

  /** What the AOF loads after the first rewrite's base (the two ranges' keys). */
  private List<String> incrCommands(Settings settings) throws IOException {
    List<String> all = loaded(settings);
    assertEquals(List.of("SET in-range-0 v0", "SELECT 0", "SELECT 1", "SET in-range-1 v1"), all.subList(0, 4));
    return all.subList(4, all.size());
  }

  private static String fileText(SmallDisk disk, String name) {
    try {
      return file(disk, name);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String file(SmallDisk disk, String name) throws IOException {
    return Files.readString(disk.dir().resolve("appendonlydir").resolve(name), StandardCharsets.ISO_8859_1);
  }

  @Test
  void effectsGoToTheIncrFileTheCutOverSaysAndTheNewBaseReplacesTheOldFiles() throws Exception {
    Settings settings = settings();
    ActorRef<AofWriter.Command> writer = startFresh(settings);
    assertEquals("file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
        file(MANIFEST));
    // Each range's chunks start in database 0: a SELECT 0 goes before those that follow a chunk.
    assertEquals(List.of("SET in-range-0 v0", "SELECT 0", "SELECT 1", "SET in-range-1 v1"), loaded(settings));

    append(writer, 0, 0, "SET", "a", "1");
    append(writer, 1, 1, "SET", "b", "1");
    barrier(writer);
    assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"
        + "*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n1\r\n",
        file("appendonly.aof.1.incr.aof"));

    assertEquals("Background append only file rewriting started", rewrite(writer));
    assertEquals("ERR Background append only file rewriting already in progress", rewrite(writer));
    assertTrue(status.rewriteInProgress);
    assertEquals("file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
        + "file appendonly.aof.2.incr.aof seq 2 type i\n", file(MANIFEST), "the new incr file is named at once");

    append(writer, 0, 0, "SET", "before-part", "1");
    keyspace.give(0);
    append(writer, 0, 0, "SET", "after-part", "1");
    append(writer, 1, 0, "SET", "not-given", "1");
    barrier(writer);
    assertTrue(file("appendonly.aof.1.incr.aof").contains("before-part"), "range 0's part holds it");
    assertTrue(file("appendonly.aof.1.incr.aof").contains("not-given"));
    assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$10\r\nafter-part\r\n$1\r\n1\r\n",
        file("appendonly.aof.2.incr.aof"));

    keyspace.give(1);
    barrier(writer);
    assertFalse(status.rewriteInProgress);
    assertEquals(2, status.rewrites);
    assertEquals("file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
        file(MANIFEST));
    assertEquals(Set.of(MANIFEST, "appendonly.aof.2.base.aof", "appendonly.aof.2.incr.aof"), files(),
        "the old base and incr file are deleted, and no temp file is left");
    assertEquals(List.of("SET in-range-0 v0", "SELECT 0", "SELECT 1", "SET in-range-1 v1", "SELECT 0",
        "SET after-part 1"), loaded(settings));
    assertEquals(Files.size(aofDir.resolve("appendonly.aof.2.base.aof")), status.baseSize);
    assertEquals(status.baseSize + Files.size(aofDir.resolve("appendonly.aof.2.incr.aof")), status.currentSize);
    stop(writer);
    assertFalse(status.enabled);
  }

  @Test
  void aNodeWideEffectMidRewriteGivesItUpUntilTheRetryAHundredMillisecondsLater() throws Exception {
    Settings settings = settings("aof-use-rdb-preamble", "yes");
    ActorRef<AofWriter.Command> writer = startFresh(settings);
    assertEquals("Background append only file rewriting started", rewrite(writer));
    keyspace.give(0);
    append(writer, -1, 0, "FLUSHALL");
    barrier(writer);
    assertFalse(status.rewriteInProgress);
    assertTrue(status.rewriteScheduled);
    assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
        + "file appendonly.aof.2.incr.aof seq 2 type i\n", file(MANIFEST), "the files stay complete");
    assertEquals(Set.of(MANIFEST, "appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof",
        "appendonly.aof.2.incr.aof"), files(), "the unfinished base is deleted");
    assertTrue(file("appendonly.aof.2.incr.aof").contains("FLUSHALL"));

    manualTime.timePasses(Duration.ofMillis(99));
    barrier(writer);
    assertFalse(status.rewriteInProgress);
    manualTime.timePasses(Duration.ofMillis(1));
    barrier(writer);
    assertTrue(status.rewriteInProgress, "started again");
    assertFalse(status.rewriteScheduled);

    keyspace.give(1); // the part the given-up rewrite asked for comes late: it is not taken
    barrier(writer);
    assertTrue(status.rewriteInProgress);
    keyspace.give(0);
    keyspace.give(1);
    barrier(writer);
    assertFalse(status.rewriteInProgress);
    assertEquals(2, status.rewrites);
    assertEquals("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\n",
        file(MANIFEST));
    assertEquals(Set.of(MANIFEST, "appendonly.aof.2.base.rdb", "appendonly.aof.3.incr.aof"), files());
    assertTrue(file("appendonly.aof.2.base.rdb").startsWith("REDIS"));
    assertEquals(List.of("SELECT 0", "SET in-range-0 v0", "SELECT 1", "SET in-range-1 v1"), loaded(settings));
    stop(writer);
  }

  @Test
  void aStopMidRewriteLeavesTheNamedFilesAndALoadedAofGoesOnInItsLastIncrFile() throws Exception {
    Settings settings = settings("auto-aof-rewrite-percentage", "100", "auto-aof-rewrite-min-size", "0");
    ActorRef<AofWriter.Command> first = startFresh(settings);
    assertEquals("Background append only file rewriting started", rewrite(first));
    append(first, 0, 0, "SET", "x", "1");
    keyspace.give(0);
    stop(first);
    assertEquals(Set.of(MANIFEST, "appendonly.aof.1.base.aof", "appendonly.aof.1.incr.aof",
        "appendonly.aof.2.incr.aof"), files(), "no temp base is left");
    keyspace.give(1); // the stopped writer's request: its answer goes nowhere

    AofManifest manifest = DataLoader.manifest(settings);
    ActorRef<AofWriter.Command> second = start(settings, manifest);
    barrier(second);
    assertTrue(status.enabled);
    assertEquals(manifest, DataLoader.manifest(settings), "appended to as it is");
    long size = status.currentSize;
    append(second, 1, 0, "SET", "y", "x".repeat((int) size)); // doubles the files: an automatic rewrite starts
    barrier(second); // released by the flush, before the rewrite starts: the next one is after it
    barrier(second);
    assertTrue(status.rewriteInProgress);
    assertTrue(file("appendonly.aof.2.incr.aof").contains("xxxx"));
    keyspace.give(0);
    keyspace.give(1);
    barrier(second);
    assertEquals("file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\n",
        file(MANIFEST));
    stop(second);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
