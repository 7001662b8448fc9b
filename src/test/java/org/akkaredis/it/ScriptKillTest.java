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
 * SCRIPT KILL and FUNCTION KILL stop a looping script that wrote nothing, with Redis's replies; one that wrote is
 * UNKILLABLE (it then runs to its end, here a bounded loop); with no script running, NOTBUSY. As in Redis a KILL
 * acts only once the script has run busy-reply-threshold (here 100 ms): one sent earlier waits for it, so a script
 * that writes first has always written when the KILL is judged. Each test waits for the looping client's reply, so
 * no script outlives its test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScriptKillTest {
  private RedisEndpoint node;

  @BeforeAll
  void start() {
    node = Servers.standalone(Map.of("busy-reply-threshold", "100"));
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
  }

  /** Sends KILL until the running script is there to kill (the loop's EVAL may reach the node after it). */
  static RespReply killWhenBusy(RespConnection admin, String... kill) {
    RespReply[] last = new RespReply[1];
    Await.until("a script to kill", Duration.ofSeconds(20), () -> {
      last[0] = admin.call(kill);
      return !last[0].text().startsWith("NOTBUSY");
    }, () -> String.valueOf(last[0]));
    return last[0];
  }

  @Test
  void scriptKillStopsALoopingReadOnlyScript() {
    try (RespConnection looping = node.connect(); RespConnection admin = node.connect()) {
      assertEquals("NOTBUSY No scripts in execution right now.", admin.call("SCRIPT", "KILL").text());
      looping.send("EVAL", "local i = 0 while true do i = i + 1 end", "0");
      assertEquals("OK", killWhenBusy(admin, "SCRIPT", "KILL").text());
      RespReply reply = looping.read();
      assertTrue(reply.text().startsWith("ERR Script killed by user with SCRIPT KILL... script: "), reply.toString());
      assertEquals("PONG", looping.call("PING").text());
    }
  }

  /** As Redis's hook, once killed it raises on every line: a pcall that catches the kill does not save the script. */
  @Test
  void aKilledScriptCannotGoOnByCatchingTheKill() {
    try (RespConnection looping = node.connect(); RespConnection admin = node.connect()) {
      looping.send("EVAL", "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end", "0");
      assertEquals("OK", killWhenBusy(admin, "SCRIPT", "KILL").text());
      RespReply reply = looping.read();
      // redis-server 7.0.15's reply, word for word.
      assertEquals("ERR Script killed by user with SCRIPT KILL... script: 7c4647a0ff0df8a94e199764ea04d4f93a1c64b8, "
          + "on @user_script:1.", reply.text());
      assertEquals("PONG", admin.call("PING").text());
    }
  }

  @Test
  void functionKillStopsALoopingFunction() {
    try (RespConnection looping = node.connect(); RespConnection admin = node.connect()) {
      admin.call("FUNCTION", "LOAD", "REPLACE",
          "#!lua name=loops\nredis.register_function('spin', function() while true do end end)");
      looping.send("FCALL", "spin", "0");
      RespReply wrongKill = killWhenBusy(admin, "SCRIPT", "KILL");
      assertEquals("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.",
          wrongKill.text());
      assertEquals("OK", admin.call("FUNCTION", "KILL").text());
      assertTrue(looping.read().text().startsWith("ERR Script killed by user with SCRIPT KILL..."));
    }
  }

  @Test
  void aScriptThatWroteIsUnkillable() {
    try (RespConnection looping = node.connect(); RespConnection admin = node.connect()) {
      looping.send("EVAL", "redis.call('set', KEYS[1], 'v') local i = 0 while i < 1e8 do i = i + 1 end return i",
          "1", "k");
      RespReply reply = killWhenBusy(admin, "SCRIPT", "KILL");
      assertTrue(reply.text().startsWith("UNKILLABLE Sorry the script already executed write commands"),
          reply.toString());
      assertEquals(100_000_000L, readLong(looping));
    }
  }

  /** The looping client's reply: it may take several read timeouts on a loaded machine. */
  static long readLong(RespConnection looping) {
    RespReply[] reply = new RespReply[1];
    Await.until("the script's reply", Duration.ofSeconds(60), () -> {
      try {
        reply[0] = looping.read();
        return true;
      } catch (RuntimeException stillRunning) {
        return false;
      }
    });
    return reply[0].integer();
  }
}
