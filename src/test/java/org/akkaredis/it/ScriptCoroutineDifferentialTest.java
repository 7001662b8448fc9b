package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Coroutines in scripts, side by side with redis-server, every reply compared whole: coroutine.create and wrap are
 * replaced (each coroutine gets the kill hook) behind a Java frame, and must answer as Lua 5.1's C functions do —
 * results, yields, status, errors with their positions, argument errors naming the function as the script spelled it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScriptCoroutineDifferentialTest {
  private Servers.NodeAndRedis servers;

  @BeforeAll
  void start() {
    servers = Servers.nodeAndRedis(false, Map.of());
  }

  @AfterAll
  void stop() {
    servers.close();
  }

  private void compare(String... scripts) {
    assertEquals(run(servers.redis(), scripts), run(servers.node(), scripts));
  }

  private static List<String> run(RedisEndpoint server, String... scripts) {
    List<String> replies = new ArrayList<>();
    try (RespConnection c = server.connect()) {
      c.call("FLUSHALL");
      for (String script : scripts) replies.add(script + " -> " + c.call("EVAL", script, "1", "k"));
    }
    return replies;
  }

  @Test
  void resultsYieldsAndStatus() {
    compare(
        "return (coroutine.create(function() end)) and 1",
        "return type(coroutine.create(function() end))",
        "local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b) "
            + "local d, e = coroutine.yield(c * 2) return d + e, 'done' end) "
            + "local r = {} local function add(...) for i = 1, select('#', ...) do "
            + "r[#r + 1] = tostring((select(i, ...))) end end "
            + "add(coroutine.resume(co, 1, 2)) add(coroutine.status(co)) add(coroutine.resume(co, 10)) "
            + "add(coroutine.resume(co, 3, 4)) add(coroutine.status(co)) add(coroutine.resume(co)) return r",
        "local w = coroutine.wrap(function(a) local b = coroutine.yield(a * 2) return b + 1 end) return {w(5), w(7)}",
        "return {coroutine.running()}",
        "local co co = coroutine.create(function() return tostring(coroutine.running() == co), "
            + "coroutine.status(co) end) return {coroutine.resume(co)}",
        "local outer = coroutine.wrap(function() local inner = coroutine.wrap(function() "
            + "coroutine.yield('a') coroutine.yield('b') end) coroutine.yield(inner()) coroutine.yield(inner()) "
            + "return 'c' end) return {outer(), outer(), outer()}",
        "local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) "
            + "return coroutine.status(co)",
        "local co = coroutine.create(function() return coroutine.status(coroutine.running()) end) "
            + "return {coroutine.resume(co)}",
        "local w = coroutine.wrap(function(...) return select('#', ...), ... end) return {w(1, nil, 3)}");
  }

  @Test
  void errorsInsideCoroutines() {
    compare(
        "return {coroutine.resume(coroutine.create(function() error('boom') end))}",
        "return {coroutine.resume(coroutine.create(function() error('boom', 0) end))}",
        "return {coroutine.resume(coroutine.create(function() error('up', 2) end))}",
        "return {coroutine.resume(coroutine.create(function() error({err='tbl'}) end))}",
        "return {coroutine.resume(coroutine.create(function() local t = nil return t.x end))}",
        "return {coroutine.resume(coroutine.create(function() return redis.call('nosuch') end))}",
        "return coroutine.wrap(function() error('boom') end)()",
        "return coroutine.wrap(function() error('x', 2) end)()",
        "return coroutine.wrap(function() error({err='x'}) end)()",
        "return coroutine.wrap(function() error({err='-MY own'}) end)()",
        "return coroutine.wrap(function() local t = nil return t.x end)()",
        "return coroutine.wrap(function() return redis.call('nosuch') end)()",
        "local w = coroutine.wrap(function() error('later') end)\nlocal x = 1\nreturn w()",
        "return {coroutine.resume(coroutine.create(function() return coroutine.wrap(function() error('in') end)() "
            + "end))}",
        "return {pcall(coroutine.wrap(function() error('caught') end))}");
  }

  @Test
  void argumentErrorsAsLuasCFunctions() {
    compare(
        "return coroutine.create(1)",
        "local x = coroutine.create(1)",
        "return coroutine.create()",
        "return coroutine.wrap(nil)",
        "local x = coroutine.wrap(nil)",
        "return coroutine.create(tostring)",
        "return coroutine.create(redis.call)",
        "return coroutine.wrap(coroutine.wrap)",
        "local c = coroutine.create; return c(1)",
        "local w = coroutine.wrap return w(nil)",
        "return coroutine:create()",
        "return coroutine:wrap()",
        "return {pcall(coroutine.create, 1)}",
        "return {pcall(coroutine.wrap)}",
        "\n\nreturn coroutine.create('x')",
        "return {coroutine.resume(coroutine.create(function() return coroutine.create(1) end))}",
        "return coroutine.wrap(function() return coroutine.wrap(false) end)()",
        "return {coroutine.resume(1)}");
  }

  @Test
  void deadCoroutinesYieldAcrossPcallAndRedisCalls() {
    compare(
        "local co = coroutine.create(function() end) coroutine.resume(co) return {coroutine.resume(co)}",
        "local w = coroutine.wrap(function() return 1 end) w() return w()",
        "return {coroutine.resume(coroutine.create(function() return pcall(function() coroutine.yield(1) end) end))}",
        "return {coroutine.resume(coroutine.create(function() return pcall(coroutine.yield, 1) end))}",
        "return coroutine.yield(1)",
        "return {coroutine.resume(coroutine.create(function() return redis.call('set', KEYS[1], 'v') end))}",
        "return coroutine.wrap(function() redis.call('incr', KEYS[1]) return redis.call('get', KEYS[1]) end)()",
        "return {coroutine.resume(coroutine.create(function() return redis.pcall('incr', 'a', 'b') end))}",
        "local co = coroutine.create(function() local v = redis.call('get', KEYS[1]) coroutine.yield(v) "
            + "return redis.call('strlen', KEYS[1]) end) return {coroutine.resume(co), coroutine.resume(co)}");
  }
}
