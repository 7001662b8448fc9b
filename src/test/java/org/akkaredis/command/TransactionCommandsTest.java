package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.HeldKeyspace;
import org.akkaredis.keyspace.Keyspace;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.Test;

/**
 * WATCH and EXEC through the dispatcher, over the default number of ranges run in place, with the ranges each EXEC holds recorded.
 * The expected replies are redis-server 7.0.15's (unit/multi's WATCH tests).
 */
class TransactionCommandsTest {
  private static final int RANGES = Keyspace.rangeCount(ConfigFactory.load());
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final Settings settings = Settings.defaults();
  private final RangeState[] states = new RangeState[RANGES];
  private final List<int[]> holds = new ArrayList<>();
  private final CommandDispatcher dispatcher;
  private final Session watcher = new Session(1, "127.0.0.1:5001", "127.0.0.1:6379", 0, settings);
  private final Session other = new Session(2, "127.0.0.1:5002", "127.0.0.1:6379", 0, settings);
  private final ServerStats stats = new ServerStats();
  /** Standalone unless a test makes this a cluster node serving every slot. */
  private SlotRouting routing = SlotRouting.standalone();

  TransactionCommandsTest() {
    int perRange = Slots.COUNT / RANGES;
    for (int i = 0; i < RANGES; i++) {
      states[i] = new RangeState(i, i * perRange, (i + 1) * perRange - 1, 16, settings, clock::get,
          () -> routing);
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
        return routing;
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
    dispatcher = new CommandDispatcher(new NodeContext(recording, settings, table.build(), noOtherClients, stats,
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

  /** The fields of {@code session}'s CLIENT LIST line that tell its transaction: flags, multi and multi-mem. */
  private static String transactionFields(Session session) {
    String line = ConnectionCommands.clientLine(session, null, null, 0);
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile(" (flags=\\S+) .* (multi=\\S+) .* (multi-mem=\\S+) ").matcher(line);
    if (!m.find()) throw new AssertionError(line);
    return m.group(1) + " " + m.group(2) + " " + m.group(3);
  }

  @Test
  void aTransactionDoomedByARefusedCommandKeepsNothingMore() {
    // redis-server 7.0.15 (queueMultiCommand): after the refused command the others still answer QUEUED, but
    // CLIENT LIST shows only the first queued; multi-mem counts each argument's bytes and 8 for its pointer.
    r(watcher, "MULTI");
    assertEquals("flags=x multi=0 multi-mem=0", transactionFields(watcher));
    assertEquals("+QUEUED\r\n", r(watcher, "SET", "a", "1"));
    assertEquals("-ERR unknown command 'nosuch', with args beginning with: \r\n", r(watcher, "nosuch"));
    assertEquals("+QUEUED\r\n", r(watcher, "PING"));
    assertEquals("+QUEUED\r\n", r(watcher, "GET", "a"));
    assertEquals("flags=x multi=1 multi-mem=29", transactionFields(watcher));
    assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", r(watcher, "EXEC"));
    assertEquals("flags=N multi=-1 multi-mem=0", transactionFields(watcher));
    assertEquals(":0\r\n", r(other, "EXISTS", "a"));
  }

  @Test
  void aClientWhoseWatchedKeyChangedShowsFlagDAndQueuesNothingMore() {
    r(watcher, "WATCH", "x");
    assertEquals("flags=N multi=-1 multi-mem=0", transactionFields(watcher));
    r(other, "SET", "x", "1");
    assertEquals("flags=d multi=-1 multi-mem=0", transactionFields(watcher), "Redis's CLIENT_DIRTY_CAS");
    r(watcher, "MULTI");
    assertEquals("+QUEUED\r\n", r(watcher, "PING"));
    assertEquals("flags=xd multi=0 multi-mem=0", transactionFields(watcher));
    assertEquals("*-1\r\n", r(watcher, "EXEC"));
    assertEquals("flags=N multi=-1 multi-mem=0", transactionFields(watcher));
    r(watcher, "WATCH", "x");
    r(watcher, "MULTI");
    r(watcher, "ECHO", "hello");
    r(other, "SET", "x", "2");
    r(watcher, "PING");
    assertEquals("flags=xd multi=1 multi-mem=25", transactionFields(watcher), "what came before the change stays");
    assertEquals("*-1\r\n", r(watcher, "EXEC"));
  }

  @Test
  void aClientShowsInMultiWhileExecRunsItsCommands() {
    // redis-server 7.0.15: CLIENT INFO inside EXEC answers flags=x multi=1 multi-mem=26 (client, info: 10 bytes
    // and two pointers) cmd=exec.
    r(watcher, "MULTI");
    r(watcher, "CLIENT", "INFO");
    String reply = r(watcher, "EXEC");
    assertTrue(reply.contains(" flags=x db=0 sub=0 psub=0 ssub=0 multi=1 "), reply);
    assertTrue(reply.contains(" multi-mem=26 "), reply);
    assertTrue(reply.contains(" cmd=exec "), reply);
    assertEquals("flags=N multi=-1 multi-mem=0", transactionFields(watcher), "EXEC done: out of the transaction");
  }

  @Test
  void inClusterModeExecOfADoomedTransactionIsNotRoutedByWhatCameAfter() {
    // redis-server 7.0.15, cluster mode: a and b hash to different slots. EXEC answers CROSSSLOT only when both
    // were queued; after a refused command or a touched watched key b is not kept, so EXEC fails as usual.
    String[] owners = new String[Slots.COUNT];
    java.util.Arrays.fill(owners, SlotRouting.SELF);
    routing = new SlotRouting(true, true, false, owners, new java.util.BitSet());
    r(watcher, "MULTI");
    r(watcher, "SET", "a", "1");
    r(watcher, "nosuch");
    assertEquals("+QUEUED\r\n", r(watcher, "SET", "b", "1"));
    assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", r(watcher, "EXEC"));
    r(watcher, "WATCH", "a");
    r(other, "SET", "a", "2");
    r(watcher, "MULTI");
    r(watcher, "SET", "a", "1");
    r(watcher, "SET", "b", "1");
    assertEquals("*-1\r\n", r(watcher, "EXEC"));
    r(watcher, "MULTI");
    r(watcher, "SET", "a", "1");
    r(watcher, "SET", "b", "1");
    assertEquals("-CROSSSLOT Keys in request don't hash to the same slot\r\n", r(watcher, "EXEC"));
  }

  @Test
  void anErrorInsideExecsReplyCountsInErrorstats() {
    // redis-server 7.0.15: after MULTI, SET x a, INCR x, EXEC (its reply holding INCR's error) INFO errorstats
    // has errorstat_ERR:count=1 and commandstats incr failed_calls=1. The connection counts only the errors it
    // answers itself (EXEC's reply is an array), so the commands EXEC runs count theirs.
    r(watcher, "MULTI");
    r(watcher, "SET", "x", "a");
    r(watcher, "INCR", "x");
    assertEquals("*2\r\n+OK\r\n-ERR value is not an integer or out of range\r\n", r(watcher, "EXEC"));
    assertEquals(1, stats.errors.get("ERR").sum());
    assertEquals(1, stats.totalErrorReplies.sum());
    assertEquals(1, stats.of("incr").failedCalls.sum());
    assertEquals(0, stats.of("set").failedCalls.sum());
  }
}
