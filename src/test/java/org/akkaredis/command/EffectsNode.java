package org.akkaredis.command;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.akkaredis.CommandGroups;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Keyspace;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.resp.Reply;

/**
 * A standalone node without a network for effect tests: a real {@link Keyspace} (16 SlotRange actors) on a clock
 * the test moves, every data and transaction command, a {@link CommandDispatcher}, and the effects its sink
 * received, in order. Also replays effects (or snapshot chunks) as a replica's master link would, and renders the
 * whole data set for comparison.
 */
public final class EffectsNode implements ClientDirectory {
  private final ClientPause clientPause = new ClientPause();
  private final ReplyBuffers replyBuffers = new ReplyBuffers();

  @Override public ReplyBuffers replyBuffers() {
    return replyBuffers;
  }

  @Override public ClientPause pause() {
    return clientPause;
  }

  private final Monitors monitors = new Monitors();

  @Override public Monitors monitors() {
    return monitors;
  }

  /** One call of the sink. */
  public record Effect(int range, int db, byte[] resp) {
    public String text() {
      return new String(resp, StandardCharsets.UTF_8);
    }
  }

  public final Keyspace keyspace;
  public final NodeContext node;
  public final CommandDispatcher dispatcher;
  public final AtomicLong clock;
  public final List<Effect> effects = Collections.synchronizedList(new ArrayList<>());
  private final List<Session> sessions = Collections.synchronizedList(new ArrayList<>());

  public EffectsNode(ActorTestKit testKit, Settings settings, AtomicLong clock) {
    this.clock = clock;
    CompletableFuture<Keyspace> created = new CompletableFuture<>();
    testKit.spawn(Behaviors.<Void>setup(context -> {
      created.complete(new Keyspace(context, Keyspace.rangeCount(ConfigFactory.load()), settings, clock::get,
          SlotRouting.standalone()));
      return Behaviors.empty();
    }));
    keyspace = created.join();
    CommandTable.Builder table = CommandGroups.ofCommandPackage();
    NodeInfo info = new NodeInfo("0123456789abcdef0123456789abcdef01234567", 6379, clock.get(), "",
        "/usr/bin/akka-redis", 1);
    node = new NodeContext(keyspace, settings, table.build(), this, new ServerStats(), info, Replication.NONE,
        () -> {}, Persistence.NONE);
    dispatcher = new CommandDispatcher(node);
  }

  /** Sends every effect to {@link #effects}. */
  public EffectsNode capturing() {
    keyspace.effectSink((range, db, resp) -> effects.add(new Effect(range, db, resp)));
    return this;
  }

  public Session connect() {
    Session session = new Session(sessions.size() + 1, "127.0.0.1:" + (40000 + sessions.size()), "127.0.0.1:6379",
        clock.get(), node.settings());
    sessions.add(session);
    return session;
  }

  @Override public Collection<Session> sessions() {
    return List.copyOf(sessions);
  }

  /** The sessions here have no connection: the largest output any of them holds now. */
  @Override public long recentMaxOutputBuffer() {
    return sessions.stream().mapToLong(s -> s.outputMemory).max().orElse(0);
  }

  @Override public boolean kill(long clientId) {
    return false;
  }

  public static byte[][] argv(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
    return argv;
  }

  /** Sends one read of commands; the future completes with their replies. */
  public CompletionStage<Reply[]> send(Session session, List<byte[][]> commands) {
    return dispatcher.run(session, commands).thenApply(CommandDispatcher.Replies::replies);
  }

  public CompletableFuture<Reply> send(Session session, String... args) {
    List<byte[][]> one = new ArrayList<>();
    one.add(argv(args));
    return send(session, one).thenApply(replies -> replies[0]).toCompletableFuture();
  }

  /** Runs one command and waits for its reply. */
  public Reply run(Session session, String... args) {
    return await(send(session, args));
  }

  public static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /** The effects received so far, one call per line as [range db] and the commands, and forgets them. */
  public List<String> takeEffects() {
    synchronized (effects) {
      List<String> out = effects.stream().map(e -> "[" + e.range() + " " + e.db() + "] " + e.text())
          .collect(Collectors.toList());
      effects.clear();
      return out;
    }
  }

  /** One command as RESP2, written out independently of the code under test, for expected effects. */
  public static String resp(String... args) {
    StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) out.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
    return out.toString();
  }

  /** Splits RESP2 arrays of bulk strings (an effect, a snapshot chunk) into commands. */
  public static List<byte[][]> parse(byte[] resp) {
    List<byte[][]> commands = new ArrayList<>();
    int[] at = {0};
    while (at[0] < resp.length) {
      int n = number(resp, at, '*');
      byte[][] args = new byte[n][];
      for (int i = 0; i < n; i++) {
        int len = number(resp, at, '$');
        args[i] = Arrays.copyOfRange(resp, at[0], at[0] + len);
        at[0] += len + 2;
      }
      commands.add(args);
    }
    return commands;
  }

  private static int number(byte[] resp, int[] at, char type) {
    if (resp[at[0]] != type) throw new IllegalArgumentException("expected " + type + " at " + at[0]);
    int end = at[0] + 1;
    while (resp[end] != '\r') end++;
    int n = Integer.parseInt(new String(resp, at[0] + 1, end - at[0] - 1, StandardCharsets.US_ASCII));
    at[0] = end + 2;
    return n;
  }

  /**
   * Applies commands as a replica's master link does: on a session marked {@link Session#replicationApplier},
   * in database {@code db} (the link's SELECT), all in one read; fails on an error reply.
   */
  public void apply(Session applier, int db, byte[] resp) {
    applier.db = db;
    List<byte[][]> commands = parse(resp);
    Reply[] replies = await(send(applier, commands));
    for (int i = 0; i < replies.length; i++) {
      if (replies[i] instanceof Reply.Error error) {
        throw new AssertionError("applying " + display(commands.get(i)) + " failed: " + error.text());
      }
    }
  }

  public Session applier() {
    Session applier = connect();
    applier.replicationApplier = true;
    return applier;
  }

  static String display(byte[][] args) {
    return Arrays.stream(args).map(a -> new String(a, StandardCharsets.UTF_8)).collect(Collectors.joining(" "));
  }

  /**
   * Every live key of every database: "db key" to its type, value (lists and sorted sets in order, hashes and sets
   * sorted) and absolute expiry.
   */
  public Map<String, String> contents() {
    List<Map<String, String>> parts = await(keyspace.onAll(EffectsNode::contentsOf));
    Map<String, String> all = new TreeMap<>();
    parts.forEach(all::putAll);
    return all;
  }

  private static Map<String, String> contentsOf(RangeState state) {
    Map<String, String> out = new TreeMap<>();
    for (int db = 0; db < state.databases(); db++) {
      int index = db;
      for (int slot = state.firstSlot(); slot <= state.lastSlot(); slot++) {
        state.db(db).forEachKeyInSlot(slot, e -> out.put(index + " " + text(e.key.bytes()), render(e)));
      }
    }
    return out;
  }

  private static String render(Entry e) {
    String value;
    if (e.value instanceof byte[] string) {
      value = text(string);
    } else if (e.value instanceof RedisHash hash) {
      value = new TreeMap<>(hash.fields.entrySet().stream()
          .collect(Collectors.toMap(f -> text(f.getKey().bytes()), f -> text(f.getValue())))).toString();
    } else if (e.value instanceof RedisList list) {
      value = Arrays.stream(list.toArray()).map(EffectsNode::text).toList().toString();
    } else if (e.value instanceof RedisSet set) {
      value = set.members().stream().map(m -> text(m.bytes())).sorted().toList().toString();
    } else {
      List<String> members = new ArrayList<>();
      for (RedisZSet.Node n = ((RedisZSet) e.value).first(); n != null; n = n.next()) {
        members.add(text(n.member.bytes()) + "=" + n.score);
      }
      value = members.toString();
    }
    return e.typeName() + " " + value + " ttl@" + e.expireAt();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
