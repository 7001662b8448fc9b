package org.akkaredis.scripting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.akkaredis.command.Args;
import org.akkaredis.command.CommandDispatcher;
import org.akkaredis.command.CommandRunner;
import org.akkaredis.command.CommandSpec;
import org.akkaredis.command.CommandTable;
import org.akkaredis.command.Handler;
import org.akkaredis.command.NodeContext;
import org.akkaredis.command.ServerStats;
import org.akkaredis.command.Session;
import org.akkaredis.keyspace.BusyScript;
import org.akkaredis.keyspace.EffectBuffer;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;
import org.akkaredis.text.RedisNumbers;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD/EXISTS/FLUSH. A script holds the ranges it may touch for its
 * whole run, so it is atomic as in Redis: in cluster mode the range of its declared keys' slot (every range when
 * it declares none or may cross slots), in standalone mode every range, since a script may touch any key. Its
 * commands run on the held states as EXEC's do, and their effects go out wrapped in MULTI/EXEC.
 */
public final class ScriptCommands {
  static final Reply NOSCRIPT = Reply.error("NOSCRIPT No matching script. Please use EVAL.");

  private final LuaEngine engine = new LuaEngine();
  private final Libraries libraries = new Libraries();
  /**
   * Where each Lua state's scripts run: a thread of their own, not the thread of the range that granted the last
   * hold, so that the held ranges stay free to answer BUSY (and a long script takes no thread of the dispatcher).
   */
  private final Executor evalThread = scriptThread("lua-eval");
  private final Executor functionThread = scriptThread("lua-function");

  private static Executor scriptThread(String name) {
    ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(SCRIPTS_WAITING), work -> {
          // A deep stack: a script's reply nests as deep as Lua's stack allows (about 8000 levels), and turning it
          // into a reply recurses once per level.
          Thread t = new Thread(null, work, name, SCRIPT_THREAD_STACK);
          t.setDaemon(true);
          return t;
        });
    thread.allowCoreThreadTimeOut(true);
    return thread;
  }

  private static final long SCRIPT_THREAD_STACK = 64L << 20;
  /** The longest a script waits for a DEBUG command it called (DEBUG SLEEP): the cross-actor deadline's default. */
  private static final long DEBUG_WAIT_MS = 30_000;

  /** Scripts waiting for their Lua state (cluster mode: scripts on different ranges), as a held range's stash. */
  private static final int SCRIPTS_WAITING = 65_536;

  /** The FCALL in progress, for FUNCTION STATS. */
  private final java.util.concurrent.atomic.AtomicReference<FunctionWrites.Running> running =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** The function libraries' codes, as the node's snapshots carry them (see {@code Keyspace.functionLibraries}). */
  public java.util.function.Supplier<List<byte[]>> libraryCodes() {
    return libraries::codes;
  }

  /** INFO's number_of_cached_scripts. */
  public int cachedScripts() {
    return engine.cachedCount();
  }

  public void register(CommandTable.Builder b) {
    b.handle("eval", (Handler.OfNode) (node, session, args) -> eval(node, session, args, false, false));
    b.handle("evalsha", (Handler.OfNode) (node, session, args) -> eval(node, session, args, true, false));
    b.handle("eval_ro", (Handler.OfNode) (node, session, args) -> eval(node, session, args, false, true));
    b.handle("evalsha_ro", (Handler.OfNode) (node, session, args) -> eval(node, session, args, true, true));
    b.handle("script|load", (Handler.OfNode) (node, session, args) -> done(scriptLoad(args)));
    b.handle("script|exists", (Handler.OfNode) (node, session, args) -> done(scriptExists(args)));
    b.handle("script|flush", (Handler.OfNode) (node, session, args) -> done(scriptFlush(args)));
    b.handle("fcall", (Handler.OfNode) (node, session, args) -> fcall(node, session, args, false));
    b.handle("fcall_ro", (Handler.OfNode) (node, session, args) -> fcall(node, session, args, true));
    b.handle("function|load", (Handler.OfNode) (node, session, args) ->
        FunctionWrites.run(node, session, args, () -> functionLoad(args)));
    b.handle("function|delete", (Handler.OfNode) (node, session, args) ->
        FunctionWrites.run(node, session, args, () -> functionDelete(args)));
    b.handle("function|flush", (Handler.OfNode) (node, session, args) ->
        FunctionWrites.run(node, session, args, () -> functionFlush(args)));
    b.handle("function|restore", (Handler.OfNode) (node, session, args) ->
        FunctionWrites.run(node, session, args, () -> FunctionWrites.restore(libraries, args)));
    b.handle("function|dump", (Handler.OfNode) (node, session, args) ->
        done(FunctionWrites.dump(libraries, node.settings())));
    b.handle("function|stats", (Handler.OfNode) (node, session, args) ->
        done(FunctionWrites.stats(libraries, engine.current() != null, running)));
    b.handle("function|list", (Handler.OfNode) (node, session, args) -> done(functionList(args)));
    b.handle("script|kill", (Handler.OfNode) (node, session, args) -> kill(true));
    b.handle("function|kill", (Handler.OfNode) (node, session, args) -> kill(false));
  }

  static final Reply BUSY_FUNCTION = Reply.error(
      "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
  static final Reply BUSY_SCRIPT = Reply.error(
      "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");

  /** The script or function running now, or null. */
  private LuaEngine.Run running() {
    LuaEngine.Run script = engine.current();
    return script != null ? script : libraries.engine().current();
  }

  private static BusyScript.Watch watchOf(LuaEngine.Run run) {
    return run != null && run.caller instanceof ScriptCaller caller ? caller.watch : null;
  }

  /**
   * SCRIPT KILL ({@code eval}) and FUNCTION KILL. Redis reads other clients' commands only once a script has run
   * busy-reply-threshold: a KILL sent earlier waits until the script passes it or ends (within the cross-actor
   * deadline), then is answered as Redis would answer it at that moment.
   */
  private CompletionStage<Reply> kill(boolean eval) {
    BusyScript.Watch watch = watchOf(running());
    if (watch == null || watch.busy()) return done(killNow(eval));
    return watch.busyOrEnded("ERR the running script neither passed busy-reply-threshold nor ended in time; "
        + "nothing was killed").handle((passed, failure) -> failure != null
            ? Reply.error(org.akkaredis.keyspace.Deadlines.replyText(failure)) : killNow(eval));
  }

  /** scriptKill: the running script (if busy) stops at its next hook. */
  private Reply killNow(boolean eval) {
    LuaEngine.Run script = engine.current();
    LuaEngine.Run run = running();
    BusyScript.Watch watch = watchOf(run);
    // A script not past the threshold yet is one Redis would not have read the KILL during: it came before it.
    if (run == null || watch != null && !watch.busy()) return Reply.error("NOTBUSY No scripts in execution right now.");
    if (run.fromMaster) {
      return Reply.error("UNKILLABLE The busy script was sent by a master instance in the context of replication "
          + "and cannot be killed.");
    }
    if (run.wrote) {
      return Reply.error("UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
          + "either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
    }
    if (eval && run != script) return BUSY_FUNCTION;
    if (!eval && run == script) return BUSY_SCRIPT;
    run.killed = true;
    return Reply.OK;
  }

  private Reply functionLoad(byte[][] args) {
    boolean replace = false;
    int at = 2;
    while (at < args.length - 1) {
      String option = Args.text(args[at++]);
      if (!option.equalsIgnoreCase("replace")) return Reply.error("ERR Unknown option given: " + option);
      replace = true;
    }
    if (at >= args.length) return Reply.error("ERR Function code is missing");
    StringBuilder error = new StringBuilder();
    String name = libraries.load(args[at], replace, error);
    return name == null ? Reply.error("ERR " + error) : Reply.bulk(name);
  }

  private Reply functionDelete(byte[][] args) {
    return libraries.delete(Args.text(args[2])) ? Reply.OK : Reply.error("ERR Library not found");
  }

  private Reply functionFlush(byte[][] args) {
    if (args.length > 3) return FunctionWrites.subcommandSyntaxError(args);
    return flush(args, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option", libraries::flush);
  }

  /** SCRIPT FLUSH and FUNCTION FLUSH: an optional SYNC or ASYNC (both flush at once here), else {@code error}. */
  private static Reply flush(byte[][] args, String error, Runnable flush) {
    boolean modeOk = args.length == 2 || (args.length == 3
        && (Args.text(args[2]).equalsIgnoreCase("sync") || Args.text(args[2]).equalsIgnoreCase("async")));
    if (!modeOk) return Reply.error(error);
    flush.run();
    return Reply.OK;
  }

  private Reply functionList(byte[][] args) {
    boolean withCode = false;
    byte[] pattern = null;
    for (int i = 2; i < args.length; i++) {
      String arg = Args.text(args[i]);
      if (!withCode && arg.equalsIgnoreCase("withcode")) {
        withCode = true;
        continue;
      }
      if (pattern == null && arg.equalsIgnoreCase("libraryname")) {
        if (i >= args.length - 1) return Reply.error("ERR library name argument was not given");
        pattern = args[++i];
        continue;
      }
      return Reply.error("ERR Unknown argument " + arg);
    }
    List<Reply> out = new ArrayList<>();
    for (Libraries.Library library : libraries.all()) {
      if (pattern != null && !org.akkaredis.config.RedisGlob.matches(pattern,
          library.name().getBytes(StandardCharsets.ISO_8859_1), false)) {
        continue;
      }
      List<Reply> functions = new ArrayList<>();
      for (LuaEngine.Function function : library.functions()) {
        List<Reply> flags = new ArrayList<>();
        for (String flag : function.flags().names()) flags.add(Reply.simple(flag));
        functions.add(Reply.map(List.of(Reply.bulk("name"), Reply.bulk(function.name()),
            Reply.bulk("description"), function.description() == null ? Reply.NULL : Reply.bulk(function.description()),
            Reply.bulk("flags"), new Reply.SetReply(flags))));
      }
      List<Reply> fields = new ArrayList<>(List.of(Reply.bulk("library_name"), Reply.bulk(library.name()),
          Reply.bulk("engine"), Reply.bulk("LUA"), Reply.bulk("functions"), Reply.array(functions)));
      if (withCode) {
        fields.add(Reply.bulk("library_code"));
        fields.add(Reply.bulk(library.code()));
      }
      out.add(Reply.map(fields));
    }
    return Reply.array(out);
  }

  private CompletionStage<Reply> fcall(NodeContext node, Session session, byte[][] args, boolean readOnlyCommand) {
    LuaEngine.Function function = libraries.function(new String(args[1], StandardCharsets.ISO_8859_1));
    if (function == null) return done(Reply.error("ERR Function not found"));
    Long numkeys = RedisNumbers.string2ll(args[2]);
    if (numkeys == null) return done(Reply.error("ERR Bad number of keys provided"));
    if (numkeys > args.length - 3) return done(Reply.error("ERR Number of keys can't be greater than number of args"));
    if (numkeys < 0) return done(Reply.error("ERR Number of keys can't be negative"));
    ScriptFlags flags = function.flags();
    int n = numkeys.intValue();
    byte[][] keys = new byte[n][];
    System.arraycopy(args, 3, keys, 0, n);
    byte[][] argv = new byte[args.length - 3 - n][];
    System.arraycopy(args, 3 + n, argv, 0, argv.length);
    LuaEngine functionsEngine = libraries.engine();
    return runPlaced(node, session, Args.text(args[0]).toLowerCase(java.util.Locale.ROOT), keys, flags, readOnlyCommand, functionsEngine, functionThread, true, caller -> {
      running.set(new FunctionWrites.Running(function.name(), args, System.currentTimeMillis()));
      try {
        return functionsEngine.call(function, keys, argv, caller);
      } finally {
        running.set(null);
      }
    });
  }

  LuaEngine engine() {
    return engine;
  }

  private Reply scriptLoad(byte[][] args) {
    Object loaded = engine.load(args[2]);
    if (loaded instanceof Reply error) return error;
    return Reply.bulk(((LuaEngine.Script) loaded).sha());
  }

  private Reply scriptExists(byte[][] args) {
    List<Reply> found = new ArrayList<>(args.length - 2);
    for (int i = 2; i < args.length; i++) {
      found.add(engine.script(lowerSha(args[i])) != null ? Reply.ONE : Reply.ZERO);
    }
    return Reply.array(found);
  }

  private Reply scriptFlush(byte[][] args) {
    return flush(args, "ERR SCRIPT FLUSH only support SYNC|ASYNC option", engine::flush);
  }

  private static String lowerSha(byte[] sha) {
    return new String(sha, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
  }

  private CompletionStage<Reply> eval(NodeContext node, Session session, byte[][] args, boolean bySha,
      boolean readOnlyCommand) {
    Long numkeys = RedisNumbers.string2ll(args[2]);
    if (numkeys == null) return done(Reply.NOT_INTEGER);
    if (numkeys > args.length - 3) return done(Reply.error("ERR Number of keys can't be greater than number of args"));
    if (numkeys < 0) return done(Reply.error("ERR Number of keys can't be negative"));
    LuaEngine.Script script;
    if (bySha) {
      if (args[1].length != 40) return done(NOSCRIPT);
      script = engine.script(lowerSha(args[1]));
      if (script == null) return done(NOSCRIPT);
    } else {
      Object loaded = engine.load(args[1]);
      if (loaded instanceof Reply error) return done(error);
      script = (LuaEngine.Script) loaded;
    }
    ScriptFlags flags = script.flags();
    int n = numkeys.intValue();
    byte[][] keys = new byte[n][];
    System.arraycopy(args, 3, keys, 0, n);
    byte[][] argv = new byte[args.length - 3 - n][];
    System.arraycopy(args, 3 + n, argv, 0, argv.length);
    LuaEngine.Script toRun = script;
    return runPlaced(node, session, Args.text(args[0]).toLowerCase(java.util.Locale.ROOT), keys, flags, readOnlyCommand, engine, evalThread, false,
        caller -> engine.run(toRun, keys, argv, caller));
  }

  private static final Reply.Error READONLY = new Reply.Error("READONLY You can't write against a read only replica.");
  static final Reply RO_COMMAND = Reply.error("ERR Can not execute a script with write flag using *_ro command.");

  /**
   * Runs a script or function where its keys are: refused as Redis refuses it (CROSSSLOT, MOVED, then {@link
   * #refusalBeforeRun}), else on its ranges held for the whole run, its writes' effects wrapped in MULTI/EXEC.
   * {@code roCommand}: EVAL_RO, EVALSHA_RO or FCALL_RO.
   */
  private static CompletionStage<Reply> runPlaced(NodeContext node, Session session, String command, byte[][] keys,
      ScriptFlags flags, boolean roCommand, LuaEngine engine, Executor thread, boolean function,
      java.util.function.Function<LuaEngine.Caller, Reply> run) {
    KeyspaceAccess keyspace = node.keyspace();
    boolean cluster = keyspace.routing().clusterEnabled();
    boolean readOnly = roCommand || flags.noWrites();
    int slot = -1;
    if (cluster && keys.length > 0) {
      slot = Slots.slotOf(keys[0]);
      for (byte[] key : keys) {
        if (Slots.slotOf(key) != slot) return done(((Reply.Error) CommandRunner.CROSSSLOT).asRefused());
      }
      if (!session.replicationApplier) {
        // As Redis's evalGetCommandFlags: a script without a shebang is routed as EVAL itself, not as a write (a
        // replica after READONLY runs it; its writes fail there as it runs them).
        boolean routedAsWrite = !readOnly && !flags.compatMode();
        int query = (routedAsWrite ? SlotRouting.WRITE : 0) | (session.readonly ? SlotRouting.READONLY_SESSION : 0)
            | (session.asking ? SlotRouting.ASKING : 0);
        String refusal = keyspace.routing().refusal(slot, query, null);
        if (refusal != null) return done(Reply.error(refusal));
      }
    }
    Reply refused = refusalBeforeRun(node, session, flags, roCommand);
    if (refused != null) return done(refused);
    boolean preCommandOom = !session.replicationApplier && keyspace.memory().refusesWrites();
    int[] toHold = slot >= 0 && !flags.allowCrossSlotKeys()
        ? new int[] {keyspace.rangeOfSlot(slot)}
        : IntStream.range(0, keyspace.rangeCount()).toArray();
    int scriptSlot = slot;
    boolean everyRange = toHold.length == keyspace.rangeCount();
    return keyspace.holding(toHold, held -> CompletableFuture.supplyAsync(() -> {
      EffectBuffer effects = held[0].effects();
      int start = effects.begin();
      ScriptCaller caller = new ScriptCaller(node, session, held, readOnly, flags, scriptSlot, engine, function,
          everyRange, preCommandOom);
      try {
        Reply reply = run.apply(caller);
        countNestedErrors(node.stats(), command, reply);
        return reply;
      } finally {
        caller.watch.end();
        effects.end(start);
      }
    }, thread));
  }

  /**
   * The errors inside a script's reply (an array holding error tables), which the connection does not count: each
   * goes to INFO errorstats as luaReplyToRedisReply's addReplyErrorFormatEx does, unless marked already counted
   * (that one then counts a failed call of the script's command itself, as afterErrorReply's ERR_REPLY_FLAG_NO_STATS_UPDATE
   * path); the script's command is a failed call once more when any went to errorstats (call()'s error count grew).
   */
  static void countNestedErrors(ServerStats stats, String command, Reply reply) {
    List<Reply> items = reply instanceof Reply.Array a ? a.items()
        : reply instanceof Reply.MapReply m ? m.keysAndValues()
        : reply instanceof Reply.SetReply set ? set.items() : null;
    if (items == null) return;
    int[] countedAndNew = new int[2];
    nestedErrors(stats, items, countedAndNew);
    long failed = countedAndNew[0] + (countedAndNew[1] > 0 ? 1 : 0);
    if (failed > 0) stats.of(command).failedCalls.add(failed);
  }

  private static void nestedErrors(ServerStats stats, List<Reply> items, int[] countedAndNew) {
    for (Reply item : items) {
      if (item instanceof Reply.Error error) {
        if (error.counted()) {
          countedAndNew[0]++;
        } else {
          stats.error(error.text());
          countedAndNew[1]++;
        }
      } else if (item instanceof Reply.Array a) {
        nestedErrors(stats, a.items(), countedAndNew);
      } else if (item instanceof Reply.MapReply m) {
        nestedErrors(stats, m.keysAndValues(), countedAndNew);
      } else if (item instanceof Reply.SetReply set) {
        nestedErrors(stats, set.items(), countedAndNew);
      }
    }
  }

  /**
   * What Redis refuses before a script runs: processCommand's checks with the command flags the script's shebang
   * gives EVAL or FCALL (evalGetCommandFlags: without no-writes it is a write, and without allow-oom or no-writes
   * denyoom), then scriptPrepareForRun's. Scripts without a shebang get none of them (their commands do, inside).
   * A replica's master is obeyed (mustObeyClient).
   */
  static Reply refusalBeforeRun(NodeContext node, Session session, ScriptFlags flags, boolean roCommand) {
    boolean obey = session.replicationApplier;
    // A stale replica (replica-serve-stale-data no): scriptPrepareForRun refuses a script without a shebang (the
    // script's command ran, and failed); one with a shebang lacks the stale flag unless allow-stale, so
    // processCommand refuses it (a rejected call).
    boolean stale = !obey && CommandDispatcher.servesNoStaleData(node);
    if (flags.compatMode()) return stale ? CommandDispatcher.MASTERDOWN : null;
    boolean writes = !flags.noWrites();
    // processCommand's refusals: the script's command is a rejected call, not a call.
    if (!obey && writes && !flags.allowOom() && node.keyspace().memory().refusesWrites()) {
      return ((Reply.Error) CommandDispatcher.OOM).asRefused();
    }
    String denial = node.persistence().writeDenial();
    if (!obey && writes && denial != null) return new Reply.Error(denial).asRefused();
    if (!obey && writes && CommandDispatcher.lacksGoodReplicas(node)) {
      return ((Reply.Error) CommandDispatcher.NOREPLICAS).asRefused();
    }
    // A replica (read-only here) refuses a script that may write, as processCommand refuses a write command.
    if (!obey && writes && node.replication().masterLink() != null) return READONLY.asRefused();
    if (stale && !flags.allowStale()) return ((Reply.Error) CommandDispatcher.MASTERDOWN).asRefused();
    if (node.keyspace().routing().clusterEnabled() && flags.noCluster()) {
      return Reply.error("ERR Can not run script on cluster, 'no-cluster' flag is set.");
    }
    if (writes && roCommand) return RO_COMMAND;
    return null;
  }

  /** What redis.call does for one script run (script.c scriptCall): the checks, then the command on the held ranges. */
  private static final class ScriptCaller implements LuaEngine.Caller {
    private final NodeContext node;
    private final Session session;
    private final RangeState[] held;
    private final boolean readOnly;
    private final ScriptFlags flags;
    private final LuaEngine engine;
    private int slot;
    private int db;
    /** Past busy-reply-threshold the script is busy: what needs its ranges (or the node) gets BUSY. */
    final BusyScript.Watch watch;
    private final long startedNanos = System.nanoTime();
    private final long thresholdNanos;
    /** Over maxmemory with nothing to evict when the script started (Redis's pre_command_oom_state). */
    private final boolean preCommandOom;
    /** A write command ran (SCRIPT_WRITE_DIRTY): the state checks no longer apply, the script is unkillable. */
    private boolean dirty;

    ScriptCaller(NodeContext node, Session session, RangeState[] held, boolean readOnly, ScriptFlags flags,
        int slot, LuaEngine engine, boolean function, boolean everyRange, boolean preCommandOom) {
      this.preCommandOom = preCommandOom;
      this.thresholdNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
          node.settings().longValue("busy-reply-threshold"));
      String busy = ((Reply.Error) (function ? BUSY_FUNCTION : BUSY_SCRIPT)).text();
      this.watch = node.keyspace().busyScript().watch(held, everyRange, node.replication().masterLink() == null, busy,
          () -> {
            LuaEngine.Run run = engine.current();
            if (run != null && run.caller == this) run.killed = true;
          });
      this.engine = engine;
      this.node = node;
      this.session = session;
      this.held = held;
      this.readOnly = readOnly;
      this.flags = flags;
      this.slot = slot;
      this.db = session.db;
    }

    @Override public boolean fromMaster() {
      return session.replicationApplier;
    }

    @Override public void interrupt() {
      if (System.nanoTime() - startedNanos >= thresholdNanos) watch.passedThreshold();
    }

    @Override public Boolean permitted(byte[][] args) {
      CommandRunner.Resolved resolved = CommandRunner.resolve(node.commands(), args);
      return resolved.spec() == null ? null : Boolean.TRUE;
    }

    /**
     * The command's reply; an error is in INFO errorstats when it comes back (marked counted): a failure counted
     * where the command ran, a refusal here, as scriptCall's error path, as the command's rejected call.
     */
    @Override public Reply call(byte[][] args, int resp) {
      CommandSpec spec = node.commands().lookup(args[0]);
      if (spec != null && !spec.subcommands().isEmpty() && args.length > 1) {
        spec = spec.subcommands().get(new String(args[1], StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT));
      }
      Reply reply = call(spec, args, resp);
      if (!(reply instanceof Reply.Error error) || error.counted()) return reply;
      if (spec != null) node.stats().of(spec.name()).rejectedCalls.increment();
      node.stats().error(error.text());
      return error.asCounted();
    }

    private Reply call(CommandSpec spec, byte[][] args, int resp) {
      if (spec == null) return Reply.error("ERR Unknown Redis command called from script");
      if (!spec.arityOk(args.length)) {
        return Reply.error("ERR Wrong number of args calling Redis command from script");
      }
      if (spec.hasFlag("noscript") && !node.stats().scriptDenyDisabled) {
        return Reply.error("ERR This Redis command is not allowed from script");
      }
      // scriptVerifyAllowStale: on a stale replica (an allow-stale script) only commands flagged stale run.
      if (!spec.hasFlag("stale") && !session.replicationApplier && CommandDispatcher.servesNoStaleData(node)) {
        return Reply.error("ERR Can not execute the command on a stale replica");
      }
      Reply refused = stateRefusal(spec);
      if (refused != null) return refused;
      // scriptVerifyWriteCommandAllow: a replica (always read-only here) refuses a script's write before the
      // cluster checks.
      if (spec.isWrite() && !session.replicationApplier && node.replication().masterLink() != null) {
        return READONLY;
      }
      // As Redis's SCRIPT_WRITE_DIRTY: any write command run makes the script unkillable.
      if (spec.isWrite()) {
        dirty = true;
        engine.wrote();
      }
      if (node.keyspace().routing().clusterEnabled() && spec.handler() instanceof Handler.Keyed
          && !session.replicationApplier) {
        Reply refusal = clusterRefusal(spec, args);
        if (refusal != null) return refusal;
      }
      // The script's client: the caller's database and the script's protocol, put back after each command (a
      // SELECT inside the script changes only the script's database, as Redis's script client's).
      int callerDb = session.db;
      int callerProtocol = session.protocol;
      session.db = db;
      session.protocol = resp;
      session.scriptClient = true;
      // redis.set_repl: where this command's effects go (the AOF, the replicas, both or neither).
      EffectBuffer effects = held[0].effects();
      int targets = effects.propagateTo(engine.replFlags());
      try {
        CompletableFuture<Reply> reply = CommandRunner.runHeld(node, session, spec, args, held).toCompletableFuture();
        Reply result = "debug".equals(spec.name()) ? awaitDebug(reply) : reply.getNow(null);
        if (result == null) return Reply.error("ERR This Redis command is not allowed from script");
        return result;
      } catch (java.util.concurrent.CompletionException e) {
        return Reply.error("ERR " + e.getCause());
      } finally {
        effects.propagateTo(targets);
        db = session.db;
        session.db = callerDb;
        session.protocol = callerProtocol;
        session.scriptClient = false;
      }
    }

    /**
     * DEBUG (SLEEP) after DEBUG SET-DISABLE-DENY-SCRIPTS 1: the script waits for it, as Redis's script blocks the
     * server while it sleeps; null past the bound.
     */
    private static Reply awaitDebug(CompletableFuture<Reply> reply) {
      try {
        return reply.get(DEBUG_WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (java.util.concurrent.ExecutionException e) {
        throw new java.util.concurrent.CompletionException(e.getCause());
      }
    }

    /**
     * scriptVerifyWriteCommandAllow and scriptVerifyOOM: a read-only script runs neither writes nor commands that
     * may replicate; until the script's first write, a write is refused while persistence fails (MISCONF) or good
     * replicas lack (NOREPLICAS), and a denyoom command when the script started over maxmemory (unless allow-oom).
     */
    private Reply stateRefusal(CommandSpec spec) {
      if (readOnly && (spec.isWrite() || spec.mayReplicate())) {
        return Reply.error("ERR Write commands are not allowed from read-only scripts.");
      }
      boolean obey = session.replicationApplier;
      if (spec.isWrite() && !dirty && !obey) {
        String denial = node.persistence().writeDenial();
        if (denial != null) return Reply.error(denial);
        if (CommandDispatcher.lacksGoodReplicas(node)) return CommandDispatcher.NOREPLICAS;
      }
      if (!flags.allowOom() && !obey && !dirty && preCommandOom && spec.hasFlag("denyoom")) {
        return CommandDispatcher.OOM;
      }
      return null;
    }

    /** scriptVerifyClusterState: keys this node does not serve, and keys of another slot than the script's. */
    private Reply clusterRefusal(CommandSpec spec, byte[][] args) {
      CommandRunner.KeyPlacement placement = CommandRunner.place(spec, args, node.keyspace());
      if (placement.crossSlot()) return CommandRunner.CROSSSLOT;
      if (placement.slot() < 0) return null;
      int query = (spec.isWrite() ? SlotRouting.WRITE : 0) | (session.readonly ? SlotRouting.READONLY_SESSION : 0);
      String refusal = node.keyspace().routing().refusal(placement.slot(), query, null);
      if (refusal != null) {
        if (refusal.startsWith("CLUSTERDOWN")) {
          return Reply.error(spec.isWrite() && refusal.contains("read")
              ? "ERR Script attempted to execute a write command while the cluster is down and readonly"
              : "ERR Script attempted to execute a command while the cluster is down");
        }
        return Reply.error("ERR Script attempted to access a non local key in a cluster node");
      }
      if (!flags.allowCrossSlotKeys()) {
        if (slot < 0) {
          slot = placement.slot();
        } else if (slot != placement.slot()) {
          return Reply.error("ERR Script attempted to access keys that do not hash to the same slot");
        }
      }
      int range = node.keyspace().rangeOfSlot(placement.slot());
      for (RangeState state : held) {
        if (state.index() == range) return null;
      }
      return Reply.error("ERR Script attempted to access keys that do not hash to the same slot");
    }
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
