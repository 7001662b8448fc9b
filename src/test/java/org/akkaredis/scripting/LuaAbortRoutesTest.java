package org.akkaredis.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.akkaredis.it.support.Processes;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.Test;

/**
 * Ways a script could make the native Lua state raise an error outside any protected call, which aborts the JVM
 * (exit 134): each runs in a JVM of its own ({@link Probe}), so that a regression fails this test instead of
 * taking the test run down.
 */
class LuaAbortRoutesTest {
  private static final String RAISING_INDEX = "setmetatable({}, {__index = function() error('boom') end})";

  /** Runs each script (a body for EVAL, or "LOAD " and a library for FUNCTION LOAD) and prints its outcome. */
  public static final class Probe {
    public static void main(String[] bodies) {
      LuaEngine engine = new LuaEngine();
      LuaEngine.Caller caller = new LuaEngine.Caller() {
        @Override public Reply call(byte[][] args, int resp) {
          return Reply.OK;
        }

        @Override public Boolean permitted(byte[][] args) {
          return Boolean.TRUE;
        }
      };
      for (String body : bodies) {
        if (body.startsWith("LOAD ")) {
          System.out.println("load -> " + engine.loadLibrary(body.substring(5).getBytes(StandardCharsets.ISO_8859_1)));
          continue;
        }
        Object loaded = engine.load(body.getBytes(StandardCharsets.ISO_8859_1));
        Reply reply = loaded instanceof Reply error ? error
            : engine.run((LuaEngine.Script) loaded, new byte[0][], new byte[0][], caller);
        System.out.println("eval -> " + reply);
      }
    }
  }

  private static List<String> probe(String... bodies) {
    List<String> command = new java.util.ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
        Probe.class.getName()));
    command.addAll(List.of(bodies));
    Processes.Result result = Processes.run(Duration.ofSeconds(60), new byte[0], command);
    assertEquals(0, result.exitCode(), result.describe());
    return result.stdout().lines().filter(line -> line.contains(" -> ")).toList();
  }

  /** luaCallFunction's error reply reads the error object's fields: a raising __index there (redis-server crashes). */
  @Test
  void anErrorObjectWhoseFieldsRaise() {
    List<String> out = probe("error(" + RAISING_INDEX + ")",
        "error(setmetatable({err = 'MINE raised'}, {__index = function() error('boom') end}))",
        "LOAD redis.register_function('f', function() return 1 end) error(" + RAISING_INDEX + ")",
        "return 1");
    assertEquals(4, out.size(), out.toString());
    assertTrue(out.get(0).startsWith("eval -> Error["), out.get(0));
    assertTrue(out.get(1).startsWith("eval -> Error[MINE raised script: "), out.get(1));
    assertTrue(out.get(2).startsWith("load -> Error registering functions"), out.get(2));
    assertEquals("eval -> Int[value=1]", out.get(3));
  }
}
