package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.HeldKeyspace;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.Test;

/**
 * WATCH and EXEC through the dispatcher, over 16 ranges run in place, with the ranges each EXEC holds recorded.
 * The expected replies are redis-server 7.0.15's (unit/multi's WATCH tests).
 */
class TransactionCommandsTest {
  private static final int RANGES = 16;
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final Settings settings = Settings.defaults();
  private final RangeState[] states = new RangeState[RANGES];
  private final List<int[]> holds = new ArrayList<>();
  private final CommandDispatcher dispatcher;
  private final Session watcher = new Session(1, "127.0.0.1:5001", "127.0.0.1:6379", 0, settings);
  private final Session other = new Session(2, "127.0.0.1:5002", "127.0.0.1:6379", 0, settings);

  TransactionCommandsTest() {
    int perRange = Slots.COUNT / RANGES;
    for (int i = 0; i < RANGES; i++) {
      states[i] = new RangeState(i, i * perRange, (i + 1) * perRange - 1, 16, settings, clock::get,
          SlotRouting::standalone);
    }
    KeyspaceAccess owner = KeyCommandsTest.owner(RANGES);
    HeldKeyspace inPlace = new HeldKeyspace(owner, states);
    KeyspaceAccess recording = new KeyspaceAccess() {
      @Override public int rangeCount() {
        return RANGES;
      }

      @Override public int rangeOfSlot(int slot) {
        return owner.rangeOfSlot(slot);
      }

      @Override public SlotRouting routing() {
        return owner.routing();
      }

      @Override public <T> CompletionStage<T> onRange(int range, Function<RangeState, T> work) {
        return inPlace.onRange(range, work);
      }

      @Override public <T> CompletionStage<List<T>> onAll(Function<RangeState, T> work) {
        return inPlace.onAll(work);
      }

      @Override public <T> CompletionStage<T> holding(int[] r, Function<RangeState[], CompletionStage<T>> work) {
        holds.add(java.util.Arrays.stream(r).distinct().sorted().toArray());
        return inPlace.holding(r, work);
      }
    };
    CommandTable.Builder table = CommandTable.builder();
    ConnectionCommands.register(table);
    ServerCommands.register(table);
    StringCommands.register(table);
    KeyCommands.register(table);
    TransactionCommands.register(table);
    ClientPause pause = new ClientPause();
    ClientDirectory noOtherClients = new ClientDirectory() {
      @Override public java.util.Collection<Session> sessions() {
        return List.of();
      }

      @Override public boolean kill(long clientId) {
        return false;
      }

      @Override public long recentMaxOutputBuffer() {
        return 0; // no connections, so no output
      }

      @Override public ClientPause pause() {
        return pause;
      }

      private final Monitors monitors = new Monitors();

      @Override public Monitors monitors() {
        return monitors;
      }

      @Override public ReplyBuffers replyBuffers() {
        return new ReplyBuffers();
      }
    };
    dispatcher = new CommandDispatcher(new NodeContext(recording, settings, table.build(), noOtherClients, new ServerStats(),
        null, Replication.NONE, null, Persistence.NONE));
  }

  private String r(Session session, String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
    Reply reply = dispatcher.run(session, List.<byte[][]>of(argv)).toCompletableFuture().join().replies()[0];
    return new String(RespWriter.encode(reply, 2), StandardCharsets.UTF_8);
  }

  private static int rangeOf(String key) {
    return Slots.slotOf(key.getBytes(StandardCharsets.UTF_8)) / (Slots.COUNT / RANGES);
  }

  @Test
  void execHoldsTheRangesOfTheWatchedKeysAndOfTheQueuedCommandsOnly() {
    // foo and bar lie in different ranges; only those two are held, so that other clients' commands on the
    // other ranges neither wait for the EXEC nor get ahead of it on these.
    r(watcher, "WATCH", "foo");
    r(watcher, "MULTI");
    r(watcher, "GET", "bar");
    holds.clear();
    assertEquals("*1\r\n$-1\r\n", r(watcher, "EXEC"));
    int[] expected = java.util.stream.IntStream.of(rangeOf("foo"), rangeOf("bar")).sorted().toArray();
    assertEquals(2, expected.length);
    assertArrayEquals(expected, holds.get(0));
  }

  @Test
  void clientKillIsQueuedInsideMultiAndAnswersInExecsReply() {
    // redis-server 7.0.15: QUEUED at once; what it found only in EXEC's reply.
    r(watcher, "MULTI");
    assertEquals("+QUEUED\r\n", r(watcher, "CLIENT", "KILL", "127.0.0.1:1"));
    assertEquals("+QUEUED\r\n", r(watcher, "CLIENT", "KILL", "TYPE", "master"));
    assertEquals("*2\r\n-ERR No such client\r\n:0\r\n", r(watcher, "EXEC"));
  }

  @Test
  void aWatchedKeyIsOneOfItsDatabase() {
    r(watcher, "SELECT", "5");
    r(watcher, "SET", "x", "30");
    r(watcher, "WATCH", "x");
    r(other, "SELECT", "1");
    r(other, "SET", "x", "10");
    r(watcher, "MULTI");
    r(watcher, "PING");
    assertEquals("*1\r\n+PONG\r\n", r(watcher, "EXEC"), "a write to x of database 1 does not touch x of 5");
    r(watcher, "WATCH", "x");
    r(other, "SELECT", "5");
    r(other, "SET", "x", "10");
    r(watcher, "MULTI");
    r(watcher, "PING");
    assertEquals("*-1\r\n", r(watcher, "EXEC"));
  }

  @Test
  void flushallAndFlushdbTouchWatchedKeysThatExistOnly() {
    r(watcher, "SET", "x", "30");
    r(watcher, "WATCH", "x");
    r(other, "FLUSHALL");
    r(watcher, "MULTI");
    r(watcher, "PING");
    assertEquals("*-1\r\n", r(watcher, "EXEC"));
    r(watcher, "WATCH", "x");
    r(other, "FLUSHDB");
    r(watcher, "MULTI");
    r(watcher, "PING");
    assertEquals("*1\r\n+PONG\r\n", r(watcher, "EXEC"), "x did not exist: FLUSHDB did not touch it");
  }

  private void advance(long ms) {
    clock.addAndGet(ms);
    for (RangeState state : states) state.tick();
  }

  private String execPing() {
    r(watcher, "MULTI");
    r(watcher, "PING");
    return r(watcher, "EXEC");
  }

  private static final String PONG = "*1\r\n+PONG\r\n";
  private static final String ABORTED = "*-1\r\n";

  /** A key already expired (not yet deleted) when watched: Redis 7.0's watchedKey.expired. */
  private void watchStaleX() {
    r(other, "SET", "x", "foo", "PX", "1");
    advance(2);
    r(watcher, "WATCH", "x");
  }

  @Test
  void aWatchedKeyThatExpiresAfterWatchFailsExecEvenIfNotDeleted() {
    r(other, "SET", "x", "foo", "PX", "100");
    r(watcher, "WATCH", "x");
    advance(101);
    assertEquals(ABORTED, execPing());
  }

  @Test
  void aKeyStaleWhenWatchedDoesNotFailExecByExpiringOrBeingDeleted() {
    watchStaleX();
    assertEquals(PONG, execPing(), "stale when watched: its expiry is no change");
    watchStaleX();
    assertEquals(":0\r\n", r(other, "EXISTS", "x"));
    assertEquals(PONG, execPing(), "deleted by a lookup: no logical change");
    watchStaleX();
    r(other, "DEL", "x");
    assertEquals(PONG, execPing());
    watchStaleX();
    r(other, "FLUSHDB");
    assertEquals(PONG, execPing(), "FLUSHDB deletes a stale key: no logical change");
    watchStaleX();
    r(other, "EXPIRE", "x", "100");
    assertEquals(PONG, execPing());
  }

  @Test
  void aKeyStaleWhenWatchedThatIsWrittenAgainFailsExec() {
    watchStaleX();
    r(other, "SET", "x", "bar");
    assertEquals(ABORTED, execPing());
    watchStaleX();
    r(other, "FLUSHDB");
    r(other, "SET", "x", "1");
    assertEquals(ABORTED, execPing(), "after its deletion it is watched as a missing key");
    watchStaleX();
    r(other, "MSET", "x", "1", "y", "2");
    assertEquals(ABORTED, execPing());
  }
}
