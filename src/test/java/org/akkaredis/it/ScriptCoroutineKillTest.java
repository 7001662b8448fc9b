package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A loop inside a coroutine is noticed by the kill hook as one outside (Lua 5.1 keeps hooks per thread, so each
 * coroutine gets its own): other clients get BUSY after busy-reply-threshold (here 100 ms), SCRIPT KILL stops it,
 * and one that wrote first is UNKILLABLE, its bounded loop then running to its end — as with redis-server's C hook.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScriptCoroutineKillTest {
  private RedisEndpoint node;

  @BeforeAll
  void start() {
    node = Servers.standalone(Map.of("busy-reply-threshold", "100"));
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
  }

  /** Another client's PING until it answers BUSY (the script may reach the node after the first PING). */
  private static void awaitBusy(RespConnection other) {
    RespReply[] ping = new RespReply[1];
    Await.until("the script to be busy", Duration.ofSeconds(20), () -> {
      ping[0] = other.call("PING");
      return ping[0].isError();
    }, () -> String.valueOf(ping[0]));
    assertEquals(ScriptBusyTest.BUSY_SCRIPT, ping[0].text());
  }

  @Test
  void aLoopInsideCoroutineCreateIsBusyAndKillable() {
    try (RespConnection looping = node.connect(); RespConnection other = node.connect();
        RespConnection admin = node.connect()) {
      looping.send("EVAL", "return {coroutine.resume(coroutine.create(function() while true do end end))}", "0");
      awaitBusy(other);
      assertEquals("OK", admin.call("SCRIPT", "KILL").text());
      // The kill error ends the coroutine: resume answers (false, the error) and the script returns that.
      RespReply reply = looping.read();
      assertTrue(!reply.isError() && reply.toString().contains("Script killed by user with SCRIPT KILL..."),
          reply.toString());
      assertEquals("PONG", other.call("PING").text());
    }
  }

  /** Runs a looping script, waits for BUSY, kills it: the script's reply is the kill error. */
  private void killedWhenBusy(String script) {
    try (RespConnection looping = node.connect(); RespConnection other = node.connect();
        RespConnection admin = node.connect()) {
      looping.send("EVAL", script, "0");
      awaitBusy(other);
      assertEquals("OK", admin.call("SCRIPT", "KILL").text());
      RespReply reply = looping.read();
      assertTrue(reply.text().startsWith("ERR Script killed by user with SCRIPT KILL... script: "), reply.toString());
    }
  }

  @Test
  void aLoopInsideCoroutineWrapIsBusyAndKillable() {
    killedWhenBusy("return coroutine.wrap(function() local i = 0 while true do i = i + 1 end end)()");
  }

  /** Nested coroutines, and a script that resumes its killed coroutine again and again: the kill still ends it. */
  @Test
  void nestedAndResumedAgainCoroutinesAreKillable() {
    killedWhenBusy("local co = coroutine.create(function() return coroutine.wrap(function() "
        + "while true do end end)() end) while true do coroutine.resume(co) end");
  }

  @Test
  void aScriptThatWroteBeforeItsCoroutineLoopsIsUnkillable() {
    try (RespConnection looping = node.connect(); RespConnection admin = node.connect()) {
      looping.send("EVAL", "redis.call('set', KEYS[1], 'v') return coroutine.wrap(function() "
          + "local i = 0 while i < 1e8 do i = i + 1 end return i end)()", "1", "k");
      RespReply reply = ScriptKillTest.killWhenBusy(admin, "SCRIPT", "KILL");
      assertTrue(reply.text().startsWith("UNKILLABLE Sorry the script already executed write commands"),
          reply.toString());
      assertEquals(100_000_000L, ScriptKillTest.readLong(looping));
    }
  }
}
