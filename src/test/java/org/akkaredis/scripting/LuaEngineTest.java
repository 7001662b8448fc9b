package org.akkaredis.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.Test;

/** The Lua engine without a node: conversions both ways, the sandbox, error texts, byte strings. */
class LuaEngineTest {
  private final LuaEngine engine = new LuaEngine();
  private final List<List<String>> calls = new ArrayList<>();

  /** Answers redis.call with a reply chosen by the command name, and records what it was called with. */
  private final LuaEngine.Caller caller = new LuaEngine.Caller() {
    @Override public Reply call(byte[][] args, int resp) {
      List<String> call = new ArrayList<>();
      for (byte[] arg : args) call.add(new String(arg, StandardCharsets.ISO_8859_1));
      calls.add(call);
      return switch (call.get(0)) {
        case "status" -> Reply.OK;
        case "int" -> Reply.integer(42);
        case "nil" -> Reply.NULL;
        case "fail" -> Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value");
        case "map" -> Reply.map(List.of(Reply.bulk("a"), Reply.integer(1)));
        case "double" -> new Reply.Dbl("1.5");
        case "echo" -> Reply.bulk(args[1]);
        default -> Reply.error("ERR Unknown Redis command called from script");
      };
    }

    @Override public Boolean permitted(byte[][] args) {
      return Boolean.TRUE;
    }
  };

  private Reply eval(String body, String... argv) {
    Object loaded = engine.load(body.getBytes(StandardCharsets.ISO_8859_1));
    if (loaded instanceof Reply error) return error;
    byte[][] args = new byte[argv.length][];
    for (int i = 0; i < argv.length; i++) args[i] = argv[i].getBytes(StandardCharsets.ISO_8859_1);
    return engine.run((LuaEngine.Script) loaded, new byte[0][], args, caller);
  }

  @Test
  void luaValuesBecomeReplies() {
    assertEquals(Reply.integer(3), eval("return 3.99"));
    assertEquals(Reply.bulk("x"), eval("return 'x'"));
    assertEquals(Reply.ONE, eval("return true"));
    assertEquals(Reply.NULL, eval("return false"));
    assertEquals(Reply.array(Reply.ONE, Reply.bulk("a")), eval("return {1, 'a', nil, 2}"));
    assertEquals(Reply.simple("fine"), eval("return {ok='fine'}"));
    assertEquals(Reply.error("boom"), eval("return {err='boom'}"));
  }

  @Test
  void repliesBecomeLuaValues() {
    assertEquals(Reply.bulk("table OK"), eval("local r = redis.call('status') return type(r) .. ' ' .. r.ok"));
    assertEquals(Reply.bulk("number 42"), eval("local r = redis.call('int') return type(r) .. ' ' .. r"));
    assertEquals(Reply.bulk("boolean"), eval("return type(redis.call('nil'))"));
    assertEquals(Reply.bulk("a 1"), eval("local r = redis.call('map') return r[1] .. ' ' .. r[2]"));
    assertEquals(Reply.bulk("1"), eval("redis.setresp(3) return tostring(redis.call('map').map.a)"));
    assertEquals(Reply.bulk("1.5"), eval("return redis.call('double')"));
    assertEquals(Reply.bulk("1.5"), eval("redis.setresp(3) return tostring(redis.call('double').double)"));
  }

  @Test
  void argumentsAreFormattedAsRedisDoes() {
    eval("redis.call('echo', 1, 2.5, 'x', 1e15)");
    assertEquals(List.of("echo", "1", "2.5", "x", "1000000000000000"), calls.get(0));
  }

  @Test
  void errorsCarryTheScriptAndLine() {
    String sha = Sha1.hex("return x".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(Reply.error("ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: "
        + sha + ", on @user_script:1."), eval("return x"));
    Reply raised = eval("\nreturn redis.call('fail')");
    assertTrue(((Reply.Error) raised).text().startsWith(
        "WRONGTYPE Operation against a key holding the wrong kind of value script: "), raised.toString());
    assertTrue(((Reply.Error) raised).text().endsWith(", on @user_script:2."), raised.toString());
    assertEquals(Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value"),
        eval("return redis.pcall('fail')"));
    assertEquals(Reply.bulk("ERR Unknown Redis command called from script"),
        eval("local ok, e = pcall(function() redis.call('nosuch') end) return e"));
    Reply compile = eval("syntax error here");
    assertEquals(Reply.error("ERR Error compiling script (new function): user_script:1: '=' expected near 'error'"),
        compile);
  }

  @Test
  void theSandboxHasRedisLibrariesOnly() {
    assertEquals(Reply.bulk("function function function"),
        eval("return type(unpack) .. ' ' .. type(table.getn) .. ' ' .. type(loadstring)"));
    for (String global : List.of("os", "io", "loadfile", "dofile", "print", "setfenv", "require", "debug")) {
      Reply reply = eval("return " + global);
      assertTrue(((Reply.Error) reply).text().contains("nonexistent global variable '" + global + "'"),
          reply.toString());
    }
    assertTrue(((Reply.Error) eval("x = 1")).text().contains("Attempt to modify a readonly table"));
    assertTrue(((Reply.Error) eval("redis = 1")).text().contains("Attempt to modify a readonly table"));
  }

  @Test
  void byteStringsCrossBothWays() {
    byte[] value = {0, 1, (byte) 0x80, (byte) 0xff, (byte) 0xc3, 'x'};
    LuaEngine.Script script = (LuaEngine.Script) engine.load("return {ARGV[1], #ARGV[1], redis.call('echo', ARGV[1])}"
        .getBytes(StandardCharsets.ISO_8859_1));
    Reply reply = engine.run(script, new byte[0][], new byte[][] {value}, caller);
    assertEquals(Reply.array(Reply.bulk(value), Reply.integer(6), Reply.bulk(value)), reply);
    assertEquals(List.of("echo", new String(value, StandardCharsets.ISO_8859_1)), calls.get(0));
  }

  @Test
  void flushForgetsScripts() {
    LuaEngine.Script script = (LuaEngine.Script) engine.load("return 1".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(1, engine.count());
    engine.flush();
    assertEquals(0, engine.count());
    assertEquals(null, engine.script(script.sha()));
    assertEquals(Reply.ONE, eval("return 1"));
  }
}
