package org.akkaredis.scripting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.akkaredis.command.Args;
import org.akkaredis.command.CommandRunner;
import org.akkaredis.command.CommandSpec;
import org.akkaredis.command.CommandTable;
import org.akkaredis.command.Handler;
import org.akkaredis.command.NodeContext;
import org.akkaredis.command.Session;
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
  /** The FCALL in progress, for FUNCTION STATS. */
  private final java.util.concurrent.atomic.AtomicReference<FunctionWrites.Running> running =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** The function libraries' codes, as the node's snapshots carry them (see {@code Keyspace.functionLibraries}). */
  public java.util.function.Supplier<List<byte[]>> libraryCodes() {
    return libraries::codes;
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
    b.handle("script|kill", (Handler.OfNode) (node, session, args) -> done(kill(true)));
    b.handle("function|kill", (Handler.OfNode) (node, session, args) -> done(kill(false)));
  }

  static final Reply BUSY_FUNCTION = Reply.error(
      "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
  static final Reply BUSY_SCRIPT = Reply.error(
      "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");

  /** SCRIPT KILL ({@code eval}) and FUNCTION KILL (scriptKill): the running script stops at its next hook. */
  private Reply kill(boolean eval) {
    LuaEngine.Run script = engine.current();
    LuaEngine.Run function = libraries.engine().current();
    LuaEngine.Run run = script != null ? script : function;
    if (run == null) return Reply.error("NOTBUSY No scripts in execution right now.");
    if (run.fromMaster) {
      return Reply.error("UNKILLABLE The busy script was sent by a master instance in the context of replication "
          + "and cannot be killed.");
    }
    if (run.wrote) {
      return Reply.error("UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
          + "either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
    }
    if (eval && run == function) return BUSY_FUNCTION;
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
    if (readOnlyCommand && !flags.noWrites()) {
      return done(Reply.error("ERR Can not execute a script with write flag using *_ro command."));
    }
    int n = numkeys.intValue();
    byte[][] keys = new byte[n][];
    System.arraycopy(args, 3, keys, 0, n);
    byte[][] argv = new byte[args.length - 3 - n][];
    System.arraycopy(args, 3 + n, argv, 0, argv.length);
    LuaEngine functionsEngine = libraries.engine();
    return runPlaced(node, session, keys, flags, readOnlyCommand || flags.noWrites(), functionsEngine, caller -> {
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
    if (readOnlyCommand && !flags.compatMode() && !flags.noWrites()) {
      return done(Reply.error("ERR Can not execute a script with write flag using *_ro command."));
    }
    int n = numkeys.intValue();
    byte[][] keys = new byte[n][];
    System.arraycopy(args, 3, keys, 0, n);
    byte[][] argv = new byte[args.length - 3 - n][];
    System.arraycopy(args, 3 + n, argv, 0, argv.length);
    LuaEngine.Script toRun = script;
    return runPlaced(node, session, keys, flags, readOnlyCommand || flags.noWrites(), engine,
        caller -> engine.run(toRun, keys, argv, caller));
  }

  /**
   * Runs a script or function where its keys are: refused as Redis refuses it (no-cluster, CROSSSLOT, MOVED), else
   * on its ranges held for the whole run, its writes' effects wrapped in MULTI/EXEC.
   */
  private static CompletionStage<Reply> runPlaced(NodeContext node, Session session, byte[][] keys,
      ScriptFlags flags, boolean readOnly, LuaEngine engine,
      java.util.function.Function<LuaEngine.Caller, Reply> run) {
    KeyspaceAccess keyspace = node.keyspace();
    boolean cluster = keyspace.routing().clusterEnabled();
    if (cluster && !flags.compatMode() && flags.noCluster()) {
      return done(Reply.error("ERR Can not run script on cluster, 'no-cluster' flag is set."));
    }
    int slot = -1;
    if (cluster && keys.length > 0) {
      slot = Slots.slotOf(keys[0]);
      for (byte[] key : keys) {
        if (Slots.slotOf(key) != slot) return done(CommandRunner.CROSSSLOT);
      }
      if (!session.replicationApplier) {
        int query = (readOnly ? 0 : SlotRouting.WRITE) | (session.readonly ? SlotRouting.READONLY_SESSION : 0)
            | (session.asking ? SlotRouting.ASKING : 0);
        String refusal = keyspace.routing().refusal(slot, query, null);
        if (refusal != null) return done(Reply.error(refusal));
      }
    }
    int[] toHold = slot >= 0 && !flags.allowCrossSlotKeys()
        ? new int[] {keyspace.rangeOfSlot(slot)}
        : IntStream.range(0, keyspace.rangeCount()).toArray();
    int scriptSlot = slot;
    return keyspace.holding(toHold, held -> {
      EffectBuffer effects = held[0].effects();
      int start = effects.begin();
      try {
        return done(run.apply(new ScriptCaller(node, session, held, readOnly, flags, scriptSlot, engine)));
      } finally {
        effects.end(start);
      }
    });
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

    ScriptCaller(NodeContext node, Session session, RangeState[] held, boolean readOnly, ScriptFlags flags,
        int slot, LuaEngine engine) {
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

    @Override public Boolean permitted(byte[][] args) {
      CommandRunner.Resolved resolved = CommandRunner.resolve(node.commands(), args);
      return resolved.spec() == null ? null : Boolean.TRUE;
    }

    @Override public Reply call(byte[][] args, int resp) {
      CommandSpec spec = node.commands().lookup(args[0]);
      if (spec != null && !spec.subcommands().isEmpty() && args.length > 1) {
        spec = spec.subcommands().get(new String(args[1], StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT));
      }
      if (spec == null) return Reply.error("ERR Unknown Redis command called from script");
      if (!spec.arityOk(args.length)) {
        return Reply.error("ERR Wrong number of args calling Redis command from script");
      }
      if (spec.hasFlag("noscript")) return Reply.error("ERR This Redis command is not allowed from script");
      if (readOnly && spec.isWrite()) {
        return Reply.error("ERR Write commands are not allowed from read-only scripts.");
      }
      if (node.keyspace().routing().clusterEnabled() && spec.handler() instanceof Handler.Keyed
          && !session.replicationApplier) {
        Reply refusal = clusterRefusal(spec, args);
        if (refusal != null) return refusal;
      }
      // As Redis's SCRIPT_WRITE_DIRTY: any write command run makes the script unkillable.
      if (spec.isWrite()) engine.wrote();
      // The script's client: the caller's database and the script's protocol, put back after each command (a
      // SELECT inside the script changes only the script's database, as Redis's script client's).
      int callerDb = session.db;
      int callerProtocol = session.protocol;
      session.db = db;
      session.protocol = resp;
      try {
        CompletableFuture<Reply> reply = CommandRunner.runHeld(node, session, spec, args, held).toCompletableFuture();
        Reply result = reply.getNow(null);
        if (result == null) return Reply.error("ERR This Redis command is not allowed from script");
        return result;
      } catch (java.util.concurrent.CompletionException e) {
        return Reply.error("ERR " + e.getCause());
      } finally {
        db = session.db;
        session.db = callerDb;
        session.protocol = callerProtocol;
      }
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
