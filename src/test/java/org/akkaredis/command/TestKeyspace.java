package org.akkaredis.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;

/**
 * Runs keyed command handlers directly on one range that covers every slot, with a clock the test moves:
 * the plain-function level below the actors. Effects are recorded as CommandRunner does when a sink is set
 * ({@code state.propagation().sink(...)}) and reach it on {@code state.flushEffects()}.
 */
public final class TestKeyspace extends CommandRunner.Recording {
  public final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  public final RangeState state;
  public final Session session;
  /** What reached the effect sink since the last {@link #effects} call; null until the first. */
  private List<String> sunk;
  private final CommandTable table;

  public TestKeyspace(CommandTable table) {
    this(table, Settings.defaults());
  }

  public TestKeyspace(CommandTable table, Settings settings) {
    this.table = table;
    this.state = new RangeState(0, 0, 16383, 16, settings, clock::get, SlotRouting::standalone);
    this.session = new Session(1, "127.0.0.1:5000", "127.0.0.1:6379", 0, settings);
  }

  @Override public Db db() {
    return state.db(session.db);
  }

  @Override public Db db(int index) {
    return index >= 0 && index < state.databases() ? state.db(index) : null;
  }

  @Override public Session session() {
    return session;
  }

  /** Runs one keyed command (after the table's arity check) and returns its reply. */
  public Reply run(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
    return run(argv);
  }

  /** As {@link #run(String...)} with arguments that are not text (DUMP payloads). */
  public Reply run(byte[]... argv) {
    String name = new String(argv[0], StandardCharsets.UTF_8);
    CommandSpec spec = table.lookup(argv[0]);
    if (spec == null) throw new IllegalArgumentException("unknown command " + name);
    if (spec.subcommands().size() > 0) spec = spec.subcommands().get(new String(argv[1], StandardCharsets.UTF_8).toLowerCase());
    if (!spec.arityOk(argv.length)) return Reply.wrongArity(spec.name());
    if (!(spec.handler() instanceof Handler.Keyed keyed)) {
      throw new IllegalArgumentException(name + " is not a keyed command");
    }
    state.tick();
    state.applying(session.replicationApplier);
    propagated = null;
    long dirty = state.dirty();
    Reply reply = keyed.run(this, argv);
    CommandRunner.record(state, state.index(), propagated, session.db, spec, argv, state.dirty() != dirty);
    return reply;
  }

  /** The reply as RESP2 text, for compact assertions such as {@code assertEquals("$3\r\nbar\r\n", ...)}. */
  public String resp(String... args) {
    return new String(RespWriter.encode(run(args), 2), StandardCharsets.UTF_8);
  }

  /** Runs one keyed command and returns the RESP text of each effect it handed to the effect sink, in order. */
  public List<String> effects(String... args) {
    if (sunk == null) {
      sunk = new ArrayList<>();
      state.propagation().sink((range, db, resp) -> sunk.add(new String(resp, StandardCharsets.UTF_8)));
    }
    run(args);
    state.flushEffects();
    List<String> out = List.copyOf(sunk);
    sunk.clear();
    return out;
  }

  public void advance(long millis) {
    clock.addAndGet(millis);
  }
}
