package org.akkaredis.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.akkaredis.CommandGroups;
import org.akkaredis.command.CommandRunner;
import org.akkaredis.command.CommandSpec;
import org.akkaredis.command.CommandTable;
import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The command path of one decoded command, without actors or sockets: {@code resolve} (the table lookup and arity
 * check, CommandRunner.resolve), {@code place} (the key's slot and range, CommandRunner.place, over the node's 16
 * ranges) and {@code runKeyed} (resolve, place, and the keyed handler on a range's data, CommandRunner.runKeyedHeld,
 * as EXEC runs one; the per-read batch runs it in the range's actor). {@code command}: SET, GET, INCR, HSET, LPUSH,
 * SADD or ZADD, as redis-benchmark -r sends them (its keys, elements and values), over {@code keys} keys: 1024 (the
 * data in the caches) or 100000 (redis-benchmark -r 100000's keyspace, where a lookup misses the caches). The time
 * per command.
 */
public class DispatchBenchmark extends HotPathBenchmark {
  @Param({"set", "get", "incr", "hset", "lpush", "sadd", "zadd"})
  public String command;

  @Param({"1024", "100000"})
  public int keys;

  private static final int RANGES = 16;

  private CommandTable table;
  private KeyspaceAccess keyspace;
  private RangeState[] held;
  private Session session;
  /** Commands over the keys, taken in turn. */
  private byte[][][] commands;
  private int next;

  @Setup
  public void setUp() {
    Settings settings = Settings.defaults();
    table = CommandGroups.ofCommandPackage().build();
    // One range state holding every slot: the handlers' work is the same whichever range holds the key.
    held = new RangeState[] {new RangeState(0, 0, Slots.COUNT - 1, 1, settings, System::currentTimeMillis,
        SlotRouting::standalone)};
    keyspace = new OneRangeKeyspace(held[0]);
    session = new Session(1, "127.0.0.1:50000", "127.0.0.1:6379", System.currentTimeMillis(), settings);
    commands = new byte[keys][][];
    for (int i = 0; i < keys; i++) commands[i] = request(command, i);
    // GET reads what SET wrote; HSET, SADD and ZADD come back to the same keys elements, so their keys stop growing.
    for (int i = 0; i < keys; i++) {
      Reply reply = runKeyed(request("set", i));
      if (reply != Reply.OK) throw new IllegalStateException("SET answered " + reply);
    }
    if (command.equals("set") || command.equals("get") || command.equals("incr")) return;
    for (int i = 0; i < keys; i++) runKeyed(new byte[][] {Fixtures.bytes("DEL"), Fixtures.key(i)});
  }

  static byte[][] request(String command, int i) {
    byte[] key = Fixtures.key(i);
    byte[] xxx = Fixtures.bytes("xxx");
    String number = new String(key, 4, key.length - 4, java.nio.charset.StandardCharsets.US_ASCII);
    byte[] element = Fixtures.bytes("element:" + number);
    return switch (command) {
      case "set" -> new byte[][] {Fixtures.bytes("SET"), key, xxx};
      case "get" -> new byte[][] {Fixtures.bytes("GET"), key};
      // INCR's key holds a number; redis-benchmark's INCR uses counter:<n>
      case "incr" -> new byte[][] {Fixtures.bytes("INCR"), Fixtures.bytes("counter:" + number)};
      case "hset" -> new byte[][] {Fixtures.bytes("HSET"), Fixtures.bytes("myhash"), element, xxx};
      case "lpush" -> new byte[][] {Fixtures.bytes("LPUSH"), Fixtures.bytes("mylist"), xxx};
      case "sadd" -> new byte[][] {Fixtures.bytes("SADD"), Fixtures.bytes("myset"), element};
      case "zadd" -> new byte[][] {Fixtures.bytes("ZADD"), Fixtures.bytes("myzset"), Fixtures.bytes("0"), element};
      default -> throw new IllegalArgumentException(command);
    };
  }

  private byte[][] nextCommand() {
    byte[][] args = commands[next];
    next = (next + 1) % keys;
    return args;
  }

  private static final byte[][] DEL_LIST = {Fixtures.bytes("DEL"), Fixtures.bytes("mylist")};

  @Benchmark
  public CommandSpec resolve() {
    return CommandRunner.resolve(table, nextCommand()).spec();
  }

  @Benchmark
  public CommandRunner.KeyPlacement place() {
    byte[][] args = nextCommand();
    return CommandRunner.place(CommandRunner.resolve(table, args).spec(), args, keyspace);
  }

  @Benchmark
  public Reply runKeyed() {
    // LPUSH's list would grow by millions of elements a second: it starts again every keys commands.
    if (next == 0 && command.equals("lpush")) runKeyed(DEL_LIST);
    return runKeyed(nextCommand());
  }

  private Reply runKeyed(byte[][] args) {
    CommandSpec spec = CommandRunner.resolve(table, args).spec();
    CommandRunner.KeyPlacement placement = CommandRunner.place(spec, args, keyspace);
    return CommandRunner.runKeyedHeld(held, 1, session, 0, spec, args, placement.slot(), keyspace.routing());
  }

  /** The node's 16 ranges as far as placing keys goes; the work itself runs on the one state, at once. */
  private static final class OneRangeKeyspace implements KeyspaceAccess {
    private final RangeState state;
    private final SlotRouting routing = SlotRouting.standalone();

    OneRangeKeyspace(RangeState state) {
      this.state = state;
    }

    @Override public int rangeCount() {
      return RANGES;
    }

    @Override public int rangeOfSlot(int slot) {
      return slot / (Slots.COUNT / RANGES);
    }

    @Override public SlotRouting routing() {
      return routing;
    }

    @Override public <T> CompletionStage<T> onRange(int range, Function<RangeState, T> work) {
      return CompletableFuture.completedFuture(work.apply(state));
    }

    @Override public <T> CompletionStage<List<T>> onAll(Function<RangeState, T> work) {
      return CompletableFuture.completedFuture(List.of(work.apply(state)));
    }

    @Override public <T> CompletionStage<T> holding(int[] ranges, Function<RangeState[], CompletionStage<T>> work) {
      return work.apply(new RangeState[] {state});
    }
  }
}
