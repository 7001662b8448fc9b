package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.fail;

import org.akkaredis.it.support.Comparison;
import org.akkaredis.it.support.DifferentialRunner;
import org.akkaredis.it.support.Script;
import org.akkaredis.it.support.ServerPair;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Scripts against a real redis-server 7.0 (both with DEBUG enabled, standalone): the time a script sees stands
 * still while it runs (a key expiring during it stays visible), an expired key a script touches is deleted, a
 * table that holds itself answers arrays nested to Lua's stack limit, thousands of arguments through unpack and
 * redis.call, INFO's number_of_cached_scripts, and DEBUG SET-DISABLE-DENY-SCRIPTS letting scripts call DEBUG.
 */
class ScriptTimeDifferentialTest extends NodeBesideRedisDebug {
  private void check(Script script) {
    DifferentialTest.check(new DifferentialRunner(redis, node), script, false);
  }

  @Test
  void timeStandsStillDuringAScript() {
    check(new Script("script time: frozen at the script's start")
        .cmd("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1")
        .cmd("EVAL", "redis.call('SET', 'key', 'value', 'PX', '1') redis.call('DEBUG', 'SLEEP', 0.01) "
            + "return redis.call('EXISTS', 'key')", "0")
        .cmd("EXISTS", "key")
        .cmd("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0")
        .cmd("EVAL", "return redis.call('DEBUG', 'SLEEP', 0)", "0"));
  }

  @Test
  void aScriptDeletesAnExpiredKey() {
    check(new Script("script time: an expired key")
        .cmd("DEBUG", "SET-ACTIVE-EXPIRE", "0")
        .cmd("SET", "gone", "value", "PX", "1")
        .cmd("DEBUG", "SLEEP", "0.005")
        .cmd(Comparison.sameType("DEBUG OBJECT's address differs"), "DEBUG", "OBJECT", "gone")
        .cmd("EVAL", "return redis.call('EXISTS', 'gone')", "0")
        .cmd("EXISTS", "gone")
        .cmd("DEBUG", "SET-ACTIVE-EXPIRE", "1")
        .cmd("SET", "ttl", "value", "EX", "10")
        .cmd("EVAL", "if redis.call('EXISTS', 'ttl') then return redis.call('GET', 'ttl') end return 0", "0")
        .cmd("EVAL", "redis.call('DEL', 'ttl') return redis.call('EXISTS', 'ttl')", "0"));
  }

  /** The reply nests about 8000 arrays deep: the test's recursive reader needs a deep stack of its own. */
  @Test
  void aTableHoldingItself() throws InterruptedException {
    Throwable[] failure = new Throwable[1];
    Thread reader = new Thread(null, () -> {
      try {
        check(new Script("scripts: a table holding itself")
            .cmd("EVAL", "local a = {}; local b = {a}; a[1] = b; return a", "0")
            .cmd("PING"));
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "deep-reply-reader", 256L << 20);
    reader.start();
    reader.join(60_000);
    if (reader.isAlive()) fail("the deep reply was not read within 60 s");
    if (failure[0] instanceof AssertionError e) throw e;
    if (failure[0] != null) throw new AssertionError(failure[0]);
  }

  @Test
  void manyArguments() {
    check(new Script("scripts: unpack and redis.call with thousands of arguments")
        .cmd("DEL", "l")
        .cmd("EVAL", "local a = {} for i=1,7999 do a[i] = 1 end return redis.call('lpush', 'l', unpack(a))", "0")
        .cmd("EVAL", "local a = {} for i=1,8000 do a[i] = 1 end return redis.call('lpush', 'l', unpack(a))", "0")
        .cmd("EVAL", "local a = {} for i=1,7999 do a[i] = {} end return redis.pcall('lpush', 'l', unpack(a))", "0")
        .cmd("EVAL", "local x = {} return redis.call('ping', x)", "0")
        .cmd("EVAL", "return redis.pcall('ping', {})", "0")
        .cmd("EVAL", "return redis.call('ping', 'asdf')", "0")
        .cmd("LLEN", "l"));
  }

  @Test
  void binaryChunksAreNotLoaded() {
    Script script = new Script("scripts: loadstring of string.dump's chunk")
        .cmd("EVAL", "return loadstring(string.dump(function() return 1 end))()", "0")
        .cmd("EVAL", "return loadstring('return 5')()", "0");
    for (String name : new String[] {"nil", "'x'", "'=abc'", "'@file'", "'line1\\nline2'", "string.rep('a', 70)",
        "string.rep('a', 63)", "'@' .. string.rep('b', 80)", "'=' .. string.rep('c', 90)"}) {
      script.cmd("EVAL", "local f, e = loadstring(string.dump(function() return 1 end), " + name + ") return e", "0");
    }
    check(script);
  }

  @Test
  void commandsCalledFromScripts() {
    check(new Script("scripts: XREAD BLOCK refused, SORT BY a constant sorted")
        .cmd("DEL", "s", "myset")
        .cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
        .cmd("EVAL", "return redis.pcall('xread', 'STREAMS', 's', '$')", "1", "s")
        .cmd("EVAL", "return redis.pcall('XRead', 'BLOCK', 0, 'STREAMS', 's', '$')", "1", "s")
        .cmd("EVAL", "return redis.pcall('xreadgroup', 'group', 'g', 'c', 'STREAMS', 's', '>')", "1", "s")
        .cmd("EVAL", "return redis.pcall('xreadgroup', 'group', 'g', 'c', 'BLOCK', 0, 'STREAMS', 's', '>')", "1", "s")
        .cmd("SADD", "myset", "a", "b", "c", "d", "e", "z", "aa", "aaa", "azz", "10", "9")
        .cmd("EVAL", "return redis.call('sort', KEYS[1], 'by', '_')", "1", "myset")
        .cmd("EVAL", "return redis.call('sort', KEYS[1], 'by', '_', 'get', '#', 'get', '_:*')", "1", "myset")
        .cmd("EVAL", "return redis.call('sort', KEYS[1], 'by', '_', 'limit', '1', '3', 'desc')", "1", "myset")
        .cmd("EVAL", "return redis.call('sort_ro', KEYS[1], 'by', 'nosort')", "1", "myset"));
  }

  /** In cluster mode a script holds its keys' range only: XREAD (a node command) runs on that range. */
  @Nested
  class InCluster extends ServerPair {
    InCluster() {
      super(true);
    }

    @Test
    void streamReadsFromAScript() {
      DifferentialTest.check(new DifferentialRunner(redis, node), new Script("scripts: XREAD in cluster mode")
          .cmd("DEL", "s")
          .cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
          .cmd("EVAL", "return redis.pcall('xread', 'STREAMS', 's', '$')", "1", "s")
          .cmd("EVAL", "return redis.pcall('xread', 'BLOCK', 0, 'STREAMS', 's', '$')", "1", "s")
          .cmd("XADD", "s", "1-1", "f", "v")
          .cmd("EVAL", "return redis.pcall('xread', 'STREAMS', 's', '0')", "1", "s")
          .cmd("EVAL", "return redis.pcall('xreadgroup', 'group', 'g', 'c', 'STREAMS', 's', '>')", "1", "s"),
          false);
    }
  }

  @Test
  void cachedScriptsAndFlushAsync() {
    String count = "return string.match(redis.call('INFO', 'memory'), 'number_of_cached_scripts:(%d+)')";
    check(new Script("scripts: number_of_cached_scripts")
        .cmd("SCRIPT", "FLUSH")
        .cmd("SCRIPT", "LOAD", "return 1")
        .cmd("SCRIPT", "LOAD", "return 2")
        .cmd("EVAL", count, "0")
        .cmd("SCRIPT", "FLUSH", "ASYNC")
        .cmd("EVAL", count, "0")
        .cmd("SCRIPT", "FLUSH", "SYNC")
        .cmd("EVAL", count, "0"));
  }

  @Test
  void debugProtocolFromScripts() {
    Script script = new Script("scripts: DEBUG PROTOCOL after DEBUG SET-DISABLE-DENY-SCRIPTS 1")
        .cmd("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1");
    for (String protocol : new String[] {"2", "3"}) {
      script.cmd(Comparison.sameType("HELLO's server fields differ"), "HELLO", protocol);
      for (int lua : new int[] {2, 3}) {
        for (String type : new String[] {"string", "integer", "double", "bignum", "null", "array", "set", "map",
            "attrib", "push", "verbatim", "true", "false"}) {
          script.cmd("EVAL", "redis.setresp(" + lua + "); return redis.call('debug', 'protocol', '" + type + "')",
              "0");
        }
      }
    }
    check(script.cmd("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0"));
  }
}
