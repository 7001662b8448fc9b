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
 * INFO errorstats, total_error_replies and commandstats' calls / rejected_calls / failed_calls after scripts whose
 * commands fail or are refused, side by side with redis-server: an error is counted once, where it arose (the
 * command's failure, or scriptCall's refusal as the command's rejected call), and not again when the script passes
 * it on as its own reply (Redis 7.0's ignore_error_stats_update); a script's own errors count as the script's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScriptErrorStatsDifferentialTest {
  private Servers.NodeAndRedis servers;

  private static final String LIBRARY = "#!lua name=errs\n"
      + "redis.register_function('fselect', function() return redis.call('select', 99) end)\n"
      + "redis.register_function('fpselect', function() return redis.pcall('select', 99) end)\n"
      + "redis.register_function{function_name='fro', callback=function() return redis.call('set', 'x', 'y') end, "
      + "flags={'no-writes'}}\n";

  @BeforeAll
  void start() {
    servers = Servers.nodeAndRedis(false, Map.of());
    for (RedisEndpoint server : List.of(servers.node(), servers.redis())) {
      try (RespConnection c = server.connect()) {
        c.call("FUNCTION", "LOAD", LIBRARY);
      }
    }
  }

  @AfterAll
  void stop() {
    servers.close();
  }

  /** Each case from CONFIG RESETSTAT: its replies, then the counters it left. */
  private void compare(String[]... commands) {
    assertEquals(run(servers.redis(), commands), run(servers.node(), commands));
  }

  private static List<String> run(RedisEndpoint server, String[][] commands) {
    List<String> out = new ArrayList<>();
    try (RespConnection c = server.connect()) {
      c.call("SET", "Sicily", "1");
      c.call("CONFIG", "RESETSTAT");
      for (String[] command : commands) out.add(String.join(" ", command) + " -> " + c.call(command));
      c.call("CONFIG", "SET", "maxmemory", "0");
      out.add("total_error_replies:" + c.infoField("stats", "total_error_replies"));
      for (String line : c.call("INFO", "errorstats").text().split("\r\n")) {
        if (line.startsWith("errorstat_")) out.add(line);
      }
      for (String line : c.call("INFO", "commandstats").text().split("\r\n")) {
        if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_config:")
            || line.startsWith("cmdstat_info:")) {
          continue;
        }
        // usec and usec_per_call differ by nature; the counts must not.
        out.add(line.replaceAll("usec=[0-9]+,usec_per_call=[0-9.]+,", ""));
      }
    }
    out.sort(null);
    return out;
  }

  @Test
  void aCommandsFailure() {
    compare(new String[] {"EVAL", "return redis.call('select', 99)", "0"});
    compare(new String[] {"EVAL", "local t = redis.pcall('select', 99) return t['err']", "0"});
    compare(new String[] {"EVAL", "return redis.pcall('select', 99)", "0"});
    compare(new String[] {"EVAL", "return redis.call('GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo')", "0"});
    compare(new String[] {"EVAL", "local t = redis.pcall('select', 99) error(t)", "0"});
    compare(new String[] {"EVAL", "return {1, redis.pcall('select', 99)}", "0"});
    compare(new String[] {"EVAL", "local t = redis.pcall('select', 99) local n = 0 "
        + "for k in pairs(t) do n = n + 1 end return n", "0"});
    compare(new String[] {"EVAL", "redis.pcall('select', 99) redis.pcall('incr', 'Sicily', 'x') return 1", "0"});
    compare(new String[] {"FCALL", "fselect", "0"}, new String[] {"FCALL", "fpselect", "0"});
  }

  @Test
  void aCommandRefusedInTheScript() {
    compare(new String[] {"EVAL", "return redis.call('get')", "0"});
    compare(new String[] {"EVAL", "return redis.pcall('get')", "0"});
    compare(new String[] {"EVAL", "return redis.call('nosuchcommand')", "0"});
    compare(new String[] {"EVAL", "local t = redis.pcall('nosuchcommand') return 1", "0"});
    compare(new String[] {"EVAL", "return redis.call('multi')", "0"});
    compare(new String[] {"EVAL_RO", "return redis.call('set', 'x', 'y')", "1", "x"});
    compare(new String[] {"EVAL_RO", "local t = redis.pcall('set', 'x', 'y') return 1", "1", "x"});
    compare(new String[] {"FCALL", "fro", "0"});
  }

  @Test
  void overMaxmemory() {
    compare(new String[] {"CONFIG", "SET", "maxmemory", "1"},
        new String[] {"EVAL", "return redis.call('set', 'x', 'y')", "1", "x"});
    compare(new String[] {"CONFIG", "SET", "maxmemory", "1"},
        new String[] {"EVAL", "local t = redis.pcall('set', 'x', 'y') return t['err']", "1", "x"});
    compare(new String[] {"CONFIG", "SET", "maxmemory", "1"},
        new String[] {"EVAL", "return redis.pcall('set', 'x', 'y')", "1", "x"});
    compare(new String[] {"CONFIG", "SET", "maxmemory", "1"},
        new String[] {"EVAL", "#!lua\nreturn redis.call('set', 'x', 'y')", "1", "x"});
  }

  @Test
  void theScriptsOwnErrors() {
    compare(new String[] {"EVAL", "return redis.error_reply('MY_ERR custom msg')", "0"});
    compare(new String[] {"EVAL", "return redis.error_reply('')", "0"});
    compare(new String[] {"EVAL", "return {err = 'MY_ERR from a table'}", "0"});
    compare(new String[] {"EVAL", "error('raised')", "0"});
    compare(new String[] {"EVAL", "error({err = 'MINE raised table'})", "0"});
    compare(new String[] {"EVAL", "return {1, redis.error_reply('NESTED x'), {redis.error_reply('DEEP y')}}", "0"});
    compare(new String[] {"EVAL", "return redis.call('nosuch", "0"});
    compare(new String[] {"EVAL", "return 1", "5"});
    compare(new String[] {"EVAL", "return 1"});
    compare(new String[] {"EVALSHA", "0000000000000000000000000000000000000000", "0"});
    compare(new String[] {"EVAL", "return redis.call()", "0"});
    compare(new String[] {"EVAL", "return redis.call('get', {})", "0"});
  }

  @Test
  void inATransaction() {
    compare(new String[] {"MULTI"}, new String[] {"EVAL", "return redis.call('select', 99)", "0"},
        new String[] {"EVAL", "return redis.error_reply('MY_ERR in exec')", "0"},
        new String[] {"EVAL", "return redis.call('get')", "0"}, new String[] {"EXEC"});
  }
}
