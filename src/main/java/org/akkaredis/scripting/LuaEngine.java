package org.akkaredis.scripting;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.akkaredis.resp.Reply;
import org.akkaredis.text.RedisNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import party.iroiro.luajava.Consts;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;
import party.iroiro.luajava.lua51.Lua51;

/**
 * The node's one Lua 5.1 state, as Redis's: the script cache (each EVAL body compiled once, kept by its SHA1),
 * Redis's environment (redis-prelude.lua) and the conversions between replies and Lua values, both ways, as
 * script_lua.c does them. One script runs at a time (every method is synchronized); SCRIPT FLUSH starts a new
 * state.
 */
public final class LuaEngine {
  private static final Logger LOG = LoggerFactory.getLogger("org.akkaredis.scripting.lua");
  static final String VERSION = "7.0.15";
  static final int VERSION_NUM = 0x07000f;

  /** Runs one command for a script (redis.call); {@code resp} is the script's protocol (redis.setresp). */
  public interface Caller {
    Reply call(byte[][] args, int resp);

    /** Whether the script came from this node's master (a replica's link): such a script cannot be killed. */
    default boolean fromMaster() {
      return false;
    }

    /** redis.acl_check_cmd: whether the command exists (null: it does not). */
    Boolean permitted(byte[][] args);

    /** Every 100,000 Lua instructions, as Redis's count hook (luaMaskCountHook): notices the busy threshold. */
    default void interrupt() {}
  }

  /** A cached script: its body (after the shebang, if any) and the flags its shebang set. */
  public record Script(String sha, byte[] body, ScriptFlags flags) {}

  private Lua lua;
  private int runRef;
  private int decodeRef;
  private int loadLibraryRef;
  private int runFunctionRef;
  private int fieldRef;
  private final Map<String, Script> scripts = new HashMap<>();
  private final Map<String, Integer> compiled = new HashMap<>();
  private long bodyBytes;
  private Caller caller;
  /** The run in progress, for SCRIPT KILL / FUNCTION KILL from other threads (null: none). */
  private volatile Run current;
  private volatile int cachedCount;
  private int resp = 2;
  private int replFlags = 3;
  /** When the library code FUNCTION LOAD runs started (System.nanoTime), or -1 when no load runs. */
  private long loadStartedNanos = -1;
  /** How long a library's code may run before FUNCTION LOAD gives up (Redis 7.0's LOAD_TIMEOUT_MS). */
  static final long LOAD_TIMEOUT_MS = 500;

  /** The cached script of that SHA1 (lower case), or null. */
  public synchronized Script script(String sha) {
    return scripts.get(sha);
  }

  public synchronized int count() {
    return scripts.size();
  }

  /** How many scripts are cached, read without waiting for a running script (INFO's number_of_cached_scripts). */
  public int cachedCount() {
    return cachedCount;
  }

  /** What the cached bodies take, as Redis's used_memory_scripts_eval counts them. */
  public synchronized long bodyBytes() {
    return bodyBytes;
  }

  /**
   * Compiles and caches a body (EVAL, SCRIPT LOAD): the script, or an error reply (a bad shebang, a syntax
   * error) when it does not compile.
   */
  public synchronized Object load(byte[] body) {
    String sha = Sha1.hex(body);
    Script known = scripts.get(sha);
    if (known != null) return known;
    ScriptFlags.Parsed parsed = ScriptFlags.parse(body);
    if (parsed.error() != null) return Reply.error("ERR " + parsed.error());
    Lua state = state();
    byte[] code = java.util.Arrays.copyOfRange(body, parsed.shebangLength(), body.length);
    ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, code.length)).put(code).flip();
    try {
      state.load(buffer, "@user_script");
    } catch (LuaException e) {
      String message = state.getTop() > 0 && state.isString(-1) ? text(state, -1) : e.getMessage();
      state.setTop(0);
      return Reply.error("ERR Error compiling script (new function): " + message);
    }
    compiled.put(sha, state.ref());
    Script script = new Script(sha, body, parsed.flags());
    scripts.put(sha, script);
    cachedCount = scripts.size();
    bodyBytes += body.length + 40;
    return script;
  }

  /** SCRIPT FLUSH: every script forgotten, a new Lua state. */
  public synchronized void flush() {
    scripts.clear();
    cachedCount = 0;
    compiled.clear();
    bodyBytes = 0;
    if (lua != null) {
      lua.close();
      lua = null;
    }
  }

  /** Runs a cached script with its KEYS and ARGV; {@code callerResp}: the calling client's protocol. */
  public synchronized Reply run(Script script, byte[][] keys, byte[][] argv, Caller caller) {
    return execute(runRef, compiled.get(script.sha()), script.sha(), keys, argv, caller);
  }

  /** A function a library registered (FUNCTION LOAD): its name, its callback's reference, flags, description. */
  public record Function(String name, int ref, ScriptFlags flags, String description) {}

  /** FCALL: a registered function's callback with its keys and arguments. */
  public synchronized Reply call(Function function, byte[][] keys, byte[][] args, Caller caller) {
    return execute(runFunctionRef, function.ref(), function.name(), keys, args, caller);
  }

  /** A script's run as KILL sees it: whether it wrote, whether a kill was asked, whether the master sent it. */
  static final class Run {
    final Caller caller;
    final boolean fromMaster;
    volatile boolean wrote;
    volatile boolean killed;

    Run(Caller caller) {
      this.caller = caller;
      this.fromMaster = caller.fromMaster();
    }
  }

  /** The run in progress on this engine, or null. */
  Run current() {
    return current;
  }

  /** Marks the run in progress as having run a write command (it can no longer be killed). */
  void wrote() {
    Run run = current;
    if (run != null) run.wrote = true;
  }

  private Reply execute(int runnerRef, int functionRef, String name, byte[][] keys, byte[][] argv, Caller caller) {
    Lua state = state();
    this.caller = caller;
    current = new Run(caller);
    this.resp = 2;
    this.replFlags = 3;
    try {
      state.setTop(0);
      state.refGet(runnerRef);
      state.refGet(functionRef);
      pushArray(state, keys);
      pushArray(state, argv);
      state.pCall(3, 2);
      if (state.toBoolean(1)) return toReply(state, 2);
      return errorReply(state, 2, name);
    } catch (LuaException e) {
      return Reply.error("ERR Error running script " + name + ", " + clip(e.getMessage()));
    } finally {
      state.setTop(0);
      this.caller = null;
      current = null;
    }
  }

  /**
   * Runs a library's code (after its shebang) so that it registers its functions: them, or the error text
   * (without "ERR ") as FUNCTION LOAD answers it.
   */
  public synchronized Object loadLibrary(byte[] code) {
    Lua state = state();
    state.setTop(0);
    ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, code.length)).put(code).flip();
    state.refGet(loadLibraryRef);
    try {
      state.load(buffer, "@user_function");
    } catch (LuaException e) {
      String message = state.getTop() > 1 && state.isString(-1) ? text(state, -1) : e.getMessage();
      state.setTop(0);
      return "Error compiling function: " + message;
    }
    loadStartedNanos = System.nanoTime();
    try {
      state.pCall(1, 2);
      if (!state.toBoolean(1)) {
        String message;
        if (state.type(2) == Lua.LuaType.TABLE) {
          message = field(state, 2, "err");
        } else {
          message = "ERR " + (state.isString(2) ? text(state, 2) : "");
        }
        return "Error registering functions: " + message;
      }
      List<Function> functions = new ArrayList<>();
      for (int i = 1; ; i++) {
        state.rawGetI(2, i);
        if (state.type(-1) != Lua.LuaType.TABLE) {
          state.pop(1);
          break;
        }
        String name = field(state, -1, "name");
        String description = field(state, -1, "description");
        state.getField(-1, "flags");
        List<String> flags = new ArrayList<>();
        for (int j = 1; ; j++) {
          state.rawGetI(-1, j);
          if (!state.isString(-1)) {
            state.pop(1);
            break;
          }
          flags.add(text(state, -1));
          state.pop(1);
        }
        state.pop(1);
        state.getField(-1, "callback");
        int ref = state.ref();
        state.pop(1);
        functions.add(new Function(name, ref, ScriptFlags.of(flags), description));
      }
      return functions;
    } catch (LuaException e) {
      return "Error registering functions: ERR " + e.getMessage();
    } finally {
      loadStartedNanos = -1;
      state.setTop(0);
    }
  }

  /** Lets a function's callback go (its library was deleted or replaced). */
  public synchronized void release(Function function) {
    if (lua != null) lua.unref(function.ref());
  }

  /** The replication flags redis.set_repl left (REPL_ALL unless changed). */
  synchronized int replFlags() {
    return replFlags;
  }

  private static String clip(String text) {
    return text == null ? "execution failure" : text.length() > 100 ? text.substring(0, 100) : text;
  }

  /** luaCallFunction's error reply: an error table gives "-msg script: sha, on source:line.", else "Error running". */
  private Reply errorReply(Lua state, int index, String sha) {
    if (state.type(index) != Lua.LuaType.TABLE) {
      String msg = state.isString(index) ? text(state, index) : "execution failure";
      return Reply.error("ERR Error running script " + sha + ", " + clip(msg));
    }
    String msg = field(state, index, "err");
    String source = field(state, index, "source");
    String line = field(state, index, "line");
    StringBuilder text = new StringBuilder(msg == null ? "" : msg);
    if (line != null && source != null) {
      text.append(" script: ").append(sha).append(", on ").append(source).append(':').append(line).append('.');
    }
    return counted(noNewlines(text.toString()), ignoresErrorStats(state, index));
  }

  /**
   * The error table's ignore_error_stats_update (redis.call and redis.pcall mark their command's error so): the
   * error is already in INFO errorstats. Read raw, so no metamethod of the script's runs here.
   */
  private static Reply counted(String text, boolean counted) {
    Reply.Error error = new Reply.Error(text);
    return counted ? error.asCounted() : error;
  }

  private static boolean ignoresErrorStats(Lua l, int index) {
    int at = index < 0 ? l.getTop() + index + 1 : index;
    l.push("ignore_error_stats_update");
    l.rawGet(at);
    boolean ignores = l.toBoolean(-1);
    l.pop(1);
    return ignores;
  }

  /**
   * A field of a table a script made (its error object), read as Lua's t[k] but in a protected call: a metamethod
   * of the script's that raises an error here, outside any pcall, would abort the JVM (redis-server crashes on
   * it). Null when the field is not a string or the read fails.
   */
  private String field(Lua state, int index, String name) {
    int top = state.getTop();
    int at = index < 0 ? top + index + 1 : index;
    state.refGet(fieldRef);
    state.pushValue(at);
    state.push(name);
    try {
      state.pCall(2, 1);
    } catch (LuaException e) {
      state.setTop(top);
      return null;
    }
    String value = state.isString(-1) ? text(state, -1) : null;
    state.setTop(top);
    return value;
  }

  private static final String FIELD_READER = "local t, k = ... return t[k]";

  private Lua state() {
    if (lua != null) return lua;
    Lua state = new Lua51();
    state.openLibraries();
    state.newTable();
    setFunction(state, "call", l -> redisCall(l, Mode.CALL));
    setFunction(state, "pcall", l -> redisCall(l, Mode.PCALL));
    setFunction(state, "acl_check_cmd", l -> redisCall(l, Mode.ACL_CHECK));
    setFunction(state, "log", this::log);
    setFunction(state, "check_kill", l -> {
      // As function_lua.c's luaEngineLoadHook: a library's code that runs too long fails the load.
      if (loadStartedNanos >= 0
          && System.nanoTime() - loadStartedNanos > java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(LOAD_TIMEOUT_MS)) {
        return raise(l, "FUNCTION LOAD timeout");
      }
      Run run = current;
      if (run != null) run.caller.interrupt();
      if (run != null && run.killed) {
        LOG.warn("Lua script killed by user with SCRIPT KILL.");
        return raise(l, "Script killed by user with SCRIPT KILL...");
      }
      return 0;
    });
    setFunction(state, "c_frame", l -> {
      l.pushValue(1);
      int ref = l.ref();
      l.push((JFunction) c -> throughCFrame(c, ref));
      return 1;
    });
    setFunction(state, "setresp", this::setResp);
    setFunction(state, "set_repl", this::setRepl);
    setFunction(state, "sha1hex", l -> {
      if (l.getTop() != 1) return raise(l, "wrong number of arguments");
      byte[] data = l.isString(1) ? bytes(l, 1) : new byte[0];
      pushBytes(l, Sha1.hex(data).getBytes(StandardCharsets.US_ASCII));
      return 1;
    });
    state.push(VERSION);
    state.setField(-2, "version");
    state.push(VERSION_NUM);
    state.setField(-2, "version_num");
    try {
      ScriptLibraries.addTo(state);
      state.load(prelude(), "=[redis]");
      state.insert(-2);
      state.pCall(1, 4);
    } catch (LuaException e) {
      state.close();
      throw new IllegalStateException("the Lua prelude failed: " + e.getMessage(), e);
    }
    runFunctionRef = state.ref();
    byte[] reader = FIELD_READER.getBytes(StandardCharsets.US_ASCII);
    try {
      state.load(ByteBuffer.allocateDirect(reader.length).put(reader).flip(), "=[redis]");
    } catch (LuaException e) {
      state.close();
      throw new IllegalStateException("the Lua field reader failed to compile: " + e.getMessage(), e);
    }
    fieldRef = state.ref();
    loadLibraryRef = state.ref();
    decodeRef = state.ref();
    runRef = state.ref();
    lua = state;
    return state;
  }

  private static ByteBuffer prelude() {
    try (InputStream in = LuaEngine.class.getResourceAsStream("/scripting/redis-prelude.lua")) {
      byte[] code = in.readAllBytes();
      return ByteBuffer.allocateDirect(code.length).put(code).flip();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("scripting/redis-prelude.lua is missing", e);
    }
  }

  /**
   * java.c_frame's function: calls the Lua function {@code ref} with its own arguments from this Java (C) frame, so
   * that Lua's debug information shows the script's call as one of Lua's C functions (its name as the caller spelled
   * it, the caller's line even in a tail call). The Lua function answers (true, results...) or (false, an error
   * value), raised from here.
   */
  private static int throughCFrame(Lua l, int ref) {
    int argc = l.getTop();
    l.refGet(ref);
    l.insert(1);
    try {
      l.pCall(argc, Consts.LUA_MULTRET);
    } catch (LuaException e) {
      l.setTop(0);
      l.push("internal error: " + e.getMessage());
      return -1;
    }
    if (l.toBoolean(1)) {
      l.remove(1);
      return l.getTop();
    }
    l.setTop(2);
    return -1;
  }

  private static void setFunction(Lua state, String name, JFunction function) {
    state.push(function);
    state.setField(-2, name);
  }

  /**
   * redis.call / redis.pcall (and acl_check_cmd): the arguments as Redis's luaArgsToRedisArgv reads them, the
   * command run by the caller, its reply converted. Returns (value, failed): failed when the value is an error
   * table that redis.call raises.
   */
  private enum Mode { CALL, PCALL, ACL_CHECK }

  private int redisCall(Lua l, Mode mode) {
    try {
      return redisCallUnguarded(l, mode);
    } catch (RuntimeException e) {
      // A Java exception must not cross into Lua: it becomes the call's error.
      LOG.warn("redis.call failed", e);
      l.setTop(0);
      pushError(l, "internal error in redis.call: " + e);
      return mode == Mode.PCALL ? 1 : -1;
    }
  }

  /** Raises the error table of {@code text} (luajava raises what a Java function leaves on top when it returns -1). */
  private int raise(Lua l, String text) {
    pushError(l, text);
    return -1;
  }

  private int redisCallUnguarded(Lua l, Mode mode) {
    int argc = l.getTop();
    boolean raises = mode != Mode.PCALL;
    if (argc == 0) {
      pushError(l, "Please specify at least one argument for this redis lib call");
      return raises ? -1 : 1;
    }
    byte[][] args = new byte[argc][];
    for (int i = 1; i <= argc; i++) {
      Lua.LuaType type = l.type(i);
      if (type == Lua.LuaType.NUMBER) {
        args[i - 1] = RedisNumbers.format17g(l.toNumber(i)).getBytes(StandardCharsets.US_ASCII);
      } else if (type == Lua.LuaType.STRING) {
        args[i - 1] = bytes(l, i);
      } else {
        l.setTop(0);
        pushError(l, "Lua redis lib command arguments must be strings or integers");
        return raises ? -1 : 1;
      }
    }
    // As luaRedisGenericCommand: the arguments leave the stack, so that the reply has room even after thousands.
    l.setTop(0);
    if (caller == null) return raise(l, "redis.call/pcall can only be called inside a script invocation");
    if (mode == Mode.ACL_CHECK) {
      Boolean permitted = caller.permitted(args);
      if (permitted == null) return raise(l, "Invalid command passed to redis.acl_check_cmd()");
      l.push(permitted);
      return 1;
    }
    Reply reply = caller.call(args, resp);
    pushReply(l, reply, resp);
    if (!(reply instanceof Reply.Error)) return 1;
    markIgnoreStats(l);
    return raises ? -1 : 1;
  }

  private static void markIgnoreStats(Lua l) {
    l.push(true);
    l.setField(-2, "ignore_error_stats_update");
  }

  private int log(Lua l) {
    int argc = l.getTop();
    if (argc < 2) return raise(l, "redis.log() requires two arguments or more.");
    if (!l.isNumber(1)) return raise(l, "First argument must be a number (log level).");
    int level = (int) l.toNumber(1);
    if (level < 0 || level > 3) return raise(l, "Invalid debug level.");
    StringBuilder line = new StringBuilder();
    for (int j = 2; j <= argc; j++) {
      if (!l.isString(j)) continue;
      if (j != 2) line.append(' ');
      line.append(new String(bytes(l, j), StandardCharsets.ISO_8859_1));
    }
    String text = line.toString();
    switch (level) {
      case 0 -> LOG.debug(text);
      case 1 -> LOG.info(text);
      case 2 -> LOG.info(text);
      default -> LOG.warn(text);
    }
    return 0;
  }

  private int setResp(Lua l) {
    if (l.getTop() != 1) return raise(l, "redis.setresp() requires one argument.");
    int version = (int) l.toNumber(1);
    if (version != 2 && version != 3) return raise(l, "RESP version must be 2 or 3.");
    resp = version;
    return 0;
  }

  private int setRepl(Lua l) {
    if (l.getTop() != 1) return raise(l, "redis.set_repl() requires two arguments.");
    int flags = (int) l.toNumber(1);
    if ((flags & ~3) != 0) {
      return raise(l, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    }
    replFlags = flags;
    return 0;
  }

  // ---- Reply -> Lua (redisProtocolToLuaType) ----

  /** luaPushErrorBuff: "-CODE msg" keeps its code, anything else gets ERR. */
  static String errorText(String text) {
    String code = "ERR";
    String msg = text;
    if (text.startsWith("-")) {
      int space = text.indexOf(' ');
      if (space < 0) {
        msg = text.substring(1);
      } else {
        code = text.substring(1, space);
        msg = text.substring(space + 1);
      }
    }
    return code + " " + trimNewlines(msg);
  }

  private static String trimNewlines(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && (text.charAt(start) == '\r' || text.charAt(start) == '\n')) start++;
    while (end > start && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\n')) end--;
    return text.substring(start, end);
  }

  private void pushError(Lua l, String text) {
    l.newTable();
    pushBytes(l, errorText(text).getBytes(StandardCharsets.ISO_8859_1));
    l.setField(-2, "err");
  }

  void pushReply(Lua l, Reply reply, int resp) {
    l.checkStack(4);
    if (reply instanceof Reply.Int i) {
      l.push((double) i.value());
    } else if (reply instanceof Reply.Bulk b) {
      pushBytes(l, b.bytes());
    } else if (reply instanceof Reply.Null n) {
      if (resp == 2) l.push(false); else l.pushNil();
    } else if (reply instanceof Reply.Simple s) {
      l.newTable();
      pushBytes(l, s.text().getBytes(StandardCharsets.ISO_8859_1));
      l.setField(-2, "ok");
    } else if (reply instanceof Reply.Error e) {
      pushError(l, "-" + e.text());
    } else if (reply instanceof Reply.Array a) {
      pushList(l, a.items(), resp);
    } else if (reply instanceof Reply.Push p) {
      pushList(l, p.items(), resp);
    } else if (reply instanceof Reply.MapReply m) {
      if (resp == 2) {
        pushList(l, m.keysAndValues(), resp);
      } else {
        l.newTable();
        l.newTable();
        List<Reply> kv = m.keysAndValues();
        for (int i = 0; i + 1 < kv.size(); i += 2) {
          pushReply(l, kv.get(i), resp);
          pushReply(l, kv.get(i + 1), resp);
          l.rawSet(-3);
        }
        l.setField(-2, "map");
      }
    } else if (reply instanceof Reply.SetReply s) {
      if (resp == 2) {
        pushList(l, s.items(), resp);
      } else {
        l.newTable();
        l.newTable();
        for (Reply item : s.items()) {
          pushReply(l, item, resp);
          l.push(true);
          l.rawSet(-3);
        }
        l.setField(-2, "set");
      }
    } else if (reply instanceof Reply.Dbl d) {
      if (resp == 2) {
        pushBytes(l, d.text().getBytes(StandardCharsets.ISO_8859_1));
      } else {
        l.newTable();
        l.push(parseDouble(d.text()));
        l.setField(-2, "double");
      }
    } else if (reply instanceof Reply.Bool b) {
      if (resp == 2) l.push(b.value() ? 1.0 : 0.0); else l.push(b.value());
    } else if (reply instanceof Reply.Verbatim v) {
      if (resp == 2) {
        pushBytes(l, v.text());
      } else {
        l.newTable();
        l.newTable();
        pushBytes(l, v.text());
        l.setField(-2, "string");
        pushBytes(l, v.format().getBytes(StandardCharsets.ISO_8859_1));
        l.setField(-2, "format");
        l.setField(-2, "verbatim_string");
      }
    } else if (reply instanceof Reply.BigNumber n) {
      if (resp == 2) {
        pushBytes(l, n.digits().getBytes(StandardCharsets.ISO_8859_1));
      } else {
        l.newTable();
        pushBytes(l, n.digits().getBytes(StandardCharsets.ISO_8859_1));
        l.setField(-2, "big_number");
      }
    } else if (reply instanceof Reply.Attributed a) {
      pushReply(l, a.reply(), resp);
    } else if (reply instanceof Reply.AfterPush) {
      // Redis's reply parser for scripts has no case for a push (DEBUG PROTOCOL PUSH): the script gets no value
      // (a function there, left on its stack; returned, it answers null as nil does).
      l.pushNil();
    } else if (reply instanceof Reply.Sequence s) {
      pushList(l, s.replies(), resp);
    }
  }

  private static double parseDouble(String text) {
    return switch (text) {
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  private void pushList(Lua l, List<Reply> items, int resp) {
    l.createTable(items.size(), 0);
    for (int i = 0; i < items.size(); i++) {
      pushReply(l, items.get(i), resp);
      l.rawSetI(-2, i + 1);
    }
  }

  private void pushArray(Lua l, byte[][] items) {
    l.createTable(items.length, 0);
    for (int i = 0; i < items.length; i++) {
      pushBytes(l, items[i]);
      l.rawSetI(-2, i + 1);
    }
  }

  /**
   * A byte string onto the stack. JNI passes strings as modified UTF-8 only: bytes 1-127 go as they are, and a
   * string with others goes as one char per byte and is decoded back by the prelude's decode.
   */
  void pushBytes(Lua l, byte[] bytes) {
    boolean plain = true;
    for (byte b : bytes) {
      if (b <= 0) {
        plain = false;
        break;
      }
    }
    String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
    if (plain) {
      l.push(latin1);
      return;
    }
    l.refGet(decodeRef);
    l.push(latin1);
    try {
      l.pCall(1, 1);
    } catch (LuaException e) {
      throw new IllegalStateException("decoding a byte string failed: " + e.getMessage(), e);
    }
  }

  // ---- Lua -> Reply (luaReplyToRedisReply) ----

  private Reply toReply(Lua l, int index) {
    // As luaReplyToRedisReply: a table nested past Lua's stack (one that holds itself) ends in this error.
    if (!stackHasRoom(l, 4)) return STACK_LIMIT;
    int at = index < 0 ? l.getTop() + index + 1 : index;
    switch (l.type(at)) {
      case STRING:
        return Reply.bulk(bytes(l, at));
      case BOOLEAN:
        if (resp == 2) return l.toBoolean(at) ? Reply.ONE : Reply.NULL;
        return Reply.bool(l.toBoolean(at));
      case NUMBER:
        return Reply.integer(castToLongLong(l.toNumber(at)));
      case TABLE:
        return tableToReply(l, at);
      default:
        return Reply.NULL;
    }
  }

  private static final Reply STACK_LIMIT = Reply.error("ERR reached lua stack limit");

  /** lua_checkstack: whether the stack can grow by {@code extra} slots (luajava throws when it cannot). */
  private static boolean stackHasRoom(Lua l, int extra) {
    try {
      l.checkStack(extra);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Reply tableToReply(Lua l, int at) {
    l.push("err");
    l.rawGet(at);
    if (l.type(-1) == Lua.LuaType.STRING) {
      String msg = text(l, -1);
      l.pop(1);
      return counted(noNewlines(msg), ignoresErrorStats(l, at));
    }
    l.pop(1);
    Reply single = singleField(l, at);
    if (single != null) return single;
    l.push("map");
    l.rawGet(at);
    if (l.type(-1) == Lua.LuaType.TABLE) {
      int map = l.getTop();
      List<Reply> kv = new ArrayList<>();
      l.pushNil();
      while (l.next(map) != 0) {
        l.pushValue(-2);
        kv.add(toReply(l, -1));
        l.pop(1);
        kv.add(toReply(l, -1));
        l.pop(1);
      }
      l.pop(1);
      return Reply.map(kv);
    }
    l.pop(1);
    l.push("set");
    l.rawGet(at);
    if (l.type(-1) == Lua.LuaType.TABLE) {
      int set = l.getTop();
      List<Reply> members = new ArrayList<>();
      l.pushNil();
      while (l.next(set) != 0) {
        l.pop(1);
        l.pushValue(-1);
        members.add(toReply(l, -1));
        l.pop(1);
      }
      l.pop(1);
      return new Reply.SetReply(members);
    }
    l.pop(1);
    List<Reply> items = new ArrayList<>();
    for (int j = 1; ; j++) {
      l.rawGetI(at, j);
      if (l.type(-1) == Lua.LuaType.NIL) {
        l.pop(1);
        break;
      }
      items.add(toReply(l, -1));
      l.pop(1);
    }
    return Reply.array(items);
  }

  /** The tables with one meaning field: ok, double, big_number, verbatim_string; null when none. */
  private Reply singleField(Lua l, int at) {
    l.push("ok");
    l.rawGet(at);
    if (l.type(-1) == Lua.LuaType.STRING) {
      String ok = noNewlines(text(l, -1));
      l.pop(1);
      return Reply.simple(ok);
    }
    l.pop(1);
    l.push("double");
    l.rawGet(at);
    if (l.type(-1) == Lua.LuaType.NUMBER) {
      double d = l.toNumber(-1);
      l.pop(1);
      return new Reply.Dbl(doubleText(d));
    }
    l.pop(1);
    l.push("big_number");
    l.rawGet(at);
    if (l.type(-1) == Lua.LuaType.STRING) {
      String digits = noNewlines(text(l, -1));
      l.pop(1);
      return new Reply.BigNumber(digits);
    }
    l.pop(1);
    l.push("verbatim_string");
    l.rawGet(at);
    if (l.type(-1) == Lua.LuaType.TABLE) {
      l.push("format");
      l.rawGet(-2);
      l.push("string");
      l.rawGet(-3);
      if (l.type(-2) == Lua.LuaType.STRING && l.type(-1) == Lua.LuaType.STRING) {
        String format = text(l, -2);
        byte[] body = bytes(l, -1);
        l.pop(3);
        return new Reply.Verbatim(format.length() > 3 ? format.substring(0, 3) : format, body);
      }
      l.pop(2);
    }
    l.pop(1);
    return null;
  }

  /** C's (long long) cast of a double as x86-64 does it: out of range and NaN give LLONG_MIN. */
  static long castToLongLong(double d) {
    return d >= -0x1p63 && d < 0x1p63 ? (long) d : Long.MIN_VALUE;
  }

  /** addReplyDouble's text: %.17g, inf and -inf. */
  static String doubleText(double d) {
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    return RedisNumbers.format17g(d);
  }

  static String noNewlines(String text) {
    return text.replace('\r', ' ').replace('\n', ' ');
  }

  private static byte[] bytes(Lua l, int index) {
    ByteBuffer buffer = l.toBuffer(index);
    if (buffer == null) return new byte[0];
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private static String text(Lua l, int index) {
    return new String(bytes(l, index), StandardCharsets.ISO_8859_1);
  }
}
