package org.akkaredis.it;

import static org.akkaredis.it.support.Comparison.mapIgnoringValuesOf;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.akkaredis.it.support.DifferentialRunner;
import org.akkaredis.it.support.Script;
import org.akkaredis.it.support.ServerPair;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestFactory;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT against a real redis-server 7.0, reply for reply, standalone and
 * in cluster mode: the conversions both ways (RESP2 and RESP3), the error texts with their script and line,
 * redis.pcall, error_reply and status_reply, the sandbox, shebang flags, the script cache.
 */
class ScriptingDifferentialTest {

  abstract class BothServers extends ServerPair {
    BothServers(boolean cluster) {
      super(cluster);
    }

    @TestFactory
    Stream<DynamicTest> scripts() {
      DifferentialRunner runner = new DifferentialRunner(redis, node);
      return all().stream().map(script -> DynamicTest.dynamicTest(script.name(), () -> DifferentialTest.check(runner, script, false)));
    }
  }

  @Nested
  class Standalone extends BothServers {
    Standalone() {
      super(false);
    }
  }

  @Nested
  class Cluster extends BothServers {
    Cluster() {
      super(true);
    }
  }

  static List<Script> all() {
    return List.of(conversionsToRedis(), conversionsToLua(), errors(), pcallAndReplies(), sandbox(), cache(),
        readOnly(), resp3(), bytes(), numbers(), functions(), functionErrors());
  }

  static Script conversionsToRedis() {
    return new Script("scripting: Lua values to replies")
        .cmd("EVAL", "return 1", "0")
        .cmd("EVAL", "return 3.99", "0")
        .cmd("EVAL", "return -3.99", "0")
        .cmd("EVAL", "return 'str'", "0")
        .cmd("EVAL", "return true", "0")
        .cmd("EVAL", "return false", "0")
        .cmd("EVAL", "return nil", "0")
        .cmd("EVAL", "return {1, 2.9, -3.9, 'x', true, false, nil, 4}", "0")
        .cmd("EVAL", "return {1, {2, {3, 'x'}}, {}}", "0")
        .cmd("EVAL", "return {ok='fine'}", "0")
        .cmd("EVAL", "return {ok='two\\r\\nlines'}", "0")
        .cmd("EVAL", "return {err='boom'}", "0")
        .cmd("EVAL", "return {err='MYCODE boom'}", "0")
        .cmd("EVAL", "return {double=3.5}", "0")
        .cmd("EVAL", "return {a=1, b=2}", "0")
        .cmd("EVAL", "return {map={a=1}}", "0")
        .cmd("EVAL", "return {set={a=true}}", "0")
        .cmd("EVAL", "return {big_number='123456789012345678901234567890'}", "0")
        .cmd("EVAL", "return function() end", "0")
        .cmd("EVAL", "return KEYS", "2", "{t}a", "{t}b", "x", "y")
        .cmd("EVAL", "return ARGV", "2", "{t}a", "{t}b", "x", "y")
        .cmd("EVAL", "return {#KEYS, #ARGV}", "0");
  }

  static Script conversionsToLua() {
    return new Script("scripting: replies to Lua values")
        .cmd("DEL", "{t}k", "{t}h", "{t}l", "{t}z")
        .cmd("EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "{t}k")
        .cmd("EVAL", "return type(redis.call('set', KEYS[1], 'v'))", "1", "{t}k")
        .cmd("EVAL", "return redis.call('set', KEYS[1], 'v')['ok']", "1", "{t}k")
        .cmd("EVAL", "return redis.call('get', KEYS[1])", "1", "{t}k")
        .cmd("EVAL", "return type(redis.call('get', KEYS[1]))", "1", "{t}missing")
        .cmd("EVAL", "return redis.call('get', KEYS[1]) == false", "1", "{t}missing")
        .cmd("EVAL", "return redis.call('incr', KEYS[1])", "1", "{t}n")
        .cmd("EVAL", "return type(redis.call('incr', KEYS[1]))", "1", "{t}n")
        .cmd("EVAL", "redis.call('hset', KEYS[1], 'a', 1, 'b', 2) return redis.call('hgetall', KEYS[1])", "1", "{t}h")
        .cmd("EVAL", "redis.call('rpush', KEYS[1], 'a', 'b', 'c') return redis.call('lrange', KEYS[1], 0, -1)", "1",
            "{t}l")
        .cmd("EVAL", "redis.call('zadd', KEYS[1], 1.5, 'a') return redis.call('zscore', KEYS[1], 'a')", "1", "{t}z")
        .cmd("EVAL", "return redis.call('zrange', KEYS[1], 0, -1, 'withscores')", "1", "{t}z")
        .cmd("EVAL", "return redis.call('set', KEYS[1], 3.25)", "1", "{t}k")
        .cmd("EVAL", "return redis.call('get', KEYS[1])", "1", "{t}k")
        .cmd("EVAL", "return redis.call('set', KEYS[1], 10/3)", "1", "{t}k")
        .cmd("EVAL", "return redis.call('get', KEYS[1])", "1", "{t}k")
        .cmd("EVAL", "return redis.call('exists', KEYS[1], KEYS[2])", "2", "{t}k", "{t}h")
        .cmd("EVAL", "return redis.call('ping')", "0")
        .cmd("EVAL", "return redis.call('type', KEYS[1])", "1", "{t}h")
        .cmd("GET", "{t}k");
  }

  static Script errors() {
    return new Script("scripting: error texts")
        .cmd("SET", "{t}s", "text")
        .cmd("EVAL", "return x", "0")
        .cmd("EVAL", "x = 1", "0")
        .cmd("EVAL", "return redis.call('nosuch')", "0")
        .cmd("EVAL", "return redis.call('get')", "0")
        .cmd("EVAL", "return redis.call('get', 'a', 'b')", "0")
        .cmd("EVAL", "return redis.call()", "0")
        .cmd("EVAL", "return redis.call({})", "0")
        .cmd("EVAL", "return redis.call('incr', KEYS[1])", "1", "{t}s")
        .cmd("EVAL", "\n\nreturn redis.call('incr', KEYS[1])", "1", "{t}s")
        .cmd("EVAL", "return redis.call('subscribe', 'c')", "0")
        .cmd("EVAL", "return redis.call('eval', 'return 1', 0)", "0")
        .cmd("EVAL", "error('boom')", "0")
        .cmd("EVAL", "error({err='CODE boom'})", "0")
        .cmd("EVAL", "error()", "0")
        .cmd("EVAL", "local t = nil; return t.x", "0")
        .cmd("EVAL", "return 1 + {}", "0")
        .cmd("EVAL", "syntax error here", "0")
        .cmd("EVAL", "return 1", "-1")
        .cmd("EVAL", "return 1", "3", "a")
        .cmd("EVAL", "return 1", "abc")
        .cmd("EVAL", "return redis.sha1hex()", "0")
        .cmd("EVAL", "return redis.setresp(4)", "0")
        .cmd("EVAL", "return redis.log()", "0")
        .cmd("EVAL", "return redis.log('x', 'y')", "0")
        .cmd("EVAL", "return redis.log(9, 'y')", "0")
        .cmd("EVAL", "return redis.set_repl(99)", "0");
  }

  static Script pcallAndReplies() {
    return new Script("scripting: pcall, error_reply, status_reply")
        .cmd("SET", "{t}s", "text")
        .cmd("EVAL", "return redis.pcall('incr', KEYS[1])", "1", "{t}s")
        .cmd("EVAL", "return redis.pcall('incr', KEYS[1])['err']", "1", "{t}s")
        .cmd("EVAL", "return redis.pcall('nosuch')", "0")
        .cmd("EVAL", "return type(redis.pcall('nosuch'))", "0")
        .cmd("EVAL", "local ok, e = pcall(function() redis.call('nosuch') end) return e", "0")
        .cmd("EVAL", "local ok, e = pcall(function() redis.call('nosuch') end) return type(e)", "0")
        .cmd("EVAL", "local ok, e = pcall(function() error({err='X y'}) end) return e", "0")
        .cmd("EVAL", "local ok, e = pcall(function() error('plain') end) return e", "0")
        .cmd("EVAL", "return {pcall(function() return 1, 2 end)}", "0")
        .cmd("EVAL", "return redis.error_reply('My Error')", "0")
        .cmd("EVAL", "return redis.error_reply('-CODE My Error')", "0")
        .cmd("EVAL", "return redis.error_reply('ONEWORD')", "0")
        .cmd("EVAL", "return redis.error_reply(1)", "0")
        .cmd("EVAL", "return redis.error_reply('My Error')['err']", "0")
        .cmd("EVAL", "return redis.status_reply('FINE')", "0")
        .cmd("EVAL", "return redis.status_reply()", "0")
        .cmd("EVAL", "return redis.sha1hex('')", "0")
        .cmd("EVAL", "return redis.sha1hex('abc')", "0")
        .cmd("EVAL", "return redis.REDIS_VERSION", "0")
        .cmd("EVAL", "return redis.REDIS_VERSION_NUM", "0")
        .cmd("EVAL", "return redis.replicate_commands()", "0")
        .cmd("EVAL", "redis.set_repl(redis.REPL_ALL) return redis.REPL_AOF + redis.REPL_REPLICA", "0")
        .cmd("EVAL", "return redis.log(redis.LOG_DEBUG, 'a line')", "0")
        .cmd("EVAL", "return redis.acl_check_cmd('get', 'x')", "0")
        .cmd("EVAL", "return redis.acl_check_cmd('nosuch')", "0");
  }

  static Script sandbox() {
    return new Script("scripting: the sandbox")
        .cmd("EVAL", "return {type(unpack), type(table.getn), type(loadstring), type(string.format), "
            + "type(math.floor), type(coroutine.create), type(select)}", "0")
        .cmd("EVAL", "return os", "0")
        .cmd("EVAL", "return io", "0")
        .cmd("EVAL", "return loadfile", "0")
        .cmd("EVAL", "return dofile", "0")
        .cmd("EVAL", "return print", "0")
        .cmd("EVAL", "return setfenv", "0")
        .cmd("EVAL", "return require", "0")
        .cmd("EVAL", "return debug", "0")
        .cmd("EVAL", "KEYS = 1", "0")
        .cmd("EVAL", "redis = 1", "0")
        .cmd("EVAL", "local f = loadstring('return 7') return f()", "0")
        .cmd("EVAL", "return _VERSION", "0")
        .cmd("EVAL", "return tostring(1e15)", "0")
        .cmd("EVAL", "return tostring(10/3)", "0")
        .cmd("EVAL", "return select('#', unpack({1, 2, nil, 4}))", "0")
        .cmd("EVAL", "return string.format('%5.2f|%d|%s', 3.14159, 42, 'x')", "0")
        .cmd("EVAL", "return (string.gsub('hello world', '(o)', '[%1]'))", "0")
        .cmd("EVAL", "local t = {} for i = 1, 10 do t[#t + 1] = i * i end return t", "0")
        // Lua 5.1.5's unpack crashes with these; Redis's patched one refuses them.
        .cmd("EVAL", "return {unpack({1,2,3}, -2, 2147483647)}", "0")
        .cmd("EVAL", "return {unpack({1,2,3}, 0, 2147483647)}", "0")
        .cmd("EVAL", "return {unpack({1,2,3}, -2147483648, -2)}", "0")
        .cmd("EVAL", "local function a(...) return select('#', ...) end "
            + "return a(unpack({1,2,3}, -2147483648, -2147483648))", "0")
        .cmd("EVAL", "return #({unpack({}, 1, 8000)})", "0")
        .cmd("EVAL", "return #({unpack({}, 1, 8001)})", "0")
        .cmd("EVAL", "return {unpack({1, 2, 3})}", "0")
        .cmd("EVAL", "return {unpack({1, 2, 3}, 2)}", "0");
  }

  static Script cache() {
    return new Script("scripting: the script cache")
        .cmd("SCRIPT", "FLUSH")
        .cmd("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0")
        .cmd("EVALSHA", "short", "0")
        .cmd("SCRIPT", "LOAD", "return 'loaded'")
        .cmd("EVALSHA", "b534286061d4b9e4026607613b95c06c06015ae8", "0")
        .cmd("EVALSHA", "B534286061D4B9E4026607613B95C06C06015AE8", "0")
        .cmd("SCRIPT", "EXISTS", "b534286061d4b9e4026607613b95c06c06015ae8", "ffff")
        .cmd("EVAL", "return 'evaluated'", "0")
        .cmd("SCRIPT", "LOAD", "syntax error here")
        .cmd("SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn 1")
        .cmd("SCRIPT", "LOAD", "#!lua flags=bad\nreturn 1")
        .cmd("SCRIPT", "LOAD", "#!lua name=x\nreturn 1")
        .cmd("SCRIPT", "LOAD", "#!python\nreturn 1")
        .cmd("SCRIPT", "LOAD", "#!lua")
        .cmd("SCRIPT", "FLUSH", "SYNC")
        .cmd("SCRIPT", "FLUSH", "ASYNC")
        .cmd("SCRIPT", "FLUSH", "NOW")
        .cmd("SCRIPT", "EXISTS", "b534286061d4b9e4026607613b95c06c06015ae8")
        .cmd("EVALSHA", "b534286061d4b9e4026607613b95c06c06015ae8", "0");
  }

  static Script readOnly() {
    return new Script("scripting: read-only scripts and flags")
        .cmd("SET", "{t}k", "v")
        .cmd("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "{t}k")
        .cmd("EVAL_RO", "return redis.call('set', KEYS[1], 'w')", "1", "{t}k")
        .cmd("EVAL_RO", "return redis.pcall('del', KEYS[1])", "1", "{t}k")
        .cmd("EVAL", "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'w')", "1", "{t}k")
        .cmd("EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "{t}k")
        .cmd("EVAL", "#!lua\nreturn redis.call('set', KEYS[1], 'x')", "1", "{t}k")
        .cmd("EVAL_RO", "#!lua\nreturn redis.call('get', KEYS[1])", "1", "{t}k")
        .cmd("SCRIPT", "LOAD", "return redis.call('get', KEYS[1])")
        .cmd("EVALSHA_RO", "4e6d8fc8bb01276962cce5371fa795a7763657ae", "1", "{t}k")
        .cmd("GET", "{t}k");
  }

  static Script resp3() {
    return new Script("scripting: RESP3")
        .cmd("DEL", "{t}h", "{t}z", "{t}s")
        .cmd("HSET", "{t}h", "a", "1")
        .cmd("ZADD", "{t}z", "1.5", "m")
        .cmd("SADD", "{t}s", "x")
        .cmd("EVAL", "redis.setresp(3) return redis.call('hgetall', KEYS[1])", "1", "{t}h")
        .cmd("EVAL", "redis.setresp(3) return redis.call('hgetall', KEYS[1]).map.a", "1", "{t}h")
        .cmd("EVAL", "redis.setresp(3) return redis.call('smembers', KEYS[1])", "1", "{t}s")
        .cmd("EVAL", "redis.setresp(3) return redis.call('zscore', KEYS[1], 'm')", "1", "{t}z")
        .cmd("EVAL", "redis.setresp(3) return redis.call('zscore', KEYS[1], 'm').double", "1", "{t}z")
        .cmd("EVAL", "redis.setresp(3) return redis.call('get', 'nosuch{t}') == nil", "0")
        .cmd("EVAL", "redis.setresp(3) return redis.call('exists', KEYS[1])", "1", "{t}h")
        .cmd("EVAL", "return true", "0")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "HELLO", "3")
        .cmd("EVAL", "return true", "0")
        .cmd("EVAL", "return false", "0")
        .cmd("EVAL", "return nil", "0")
        .cmd("EVAL", "return {double=3.5}", "0")
        .cmd("EVAL", "return {map={a=1}}", "0")
        .cmd("EVAL", "return {set={a=true}}", "0")
        .cmd("EVAL", "return {big_number='12345678901234567890'}", "0")
        .cmd("EVAL", "return {verbatim_string={format='txt', string='hello'}}", "0")
        .cmd("EVAL", "redis.setresp(3) return redis.call('hgetall', KEYS[1])", "1", "{t}h")
        .cmd("EVAL", "return redis.call('hgetall', KEYS[1])", "1", "{t}h")
        .cmd("EVAL", "redis.setresp(3) return redis.call('zscore', KEYS[1], 'm')", "1", "{t}z")
        .cmd("EVAL", "redis.setresp(3) return redis.call('smembers', KEYS[1])", "1", "{t}s")
        .cmd(mapIgnoringValuesOf(Set.of("id"), "the connection id is each server's own"), "HELLO", "2");
  }

  static Script bytes() {
    return new Script("scripting: binary strings")
        .binary("SET".getBytes(), "{t}b".getBytes(), new byte[] {0, 1, (byte) 0x80, (byte) 0xff, (byte) 0xc3, 'x'})
        .cmd("EVAL", "return redis.call('get', KEYS[1])", "1", "{t}b")
        .cmd("EVAL", "return #redis.call('get', KEYS[1])", "1", "{t}b")
        .cmd("EVAL", "return {string.byte(redis.call('get', KEYS[1]), 1, -1)}", "1", "{t}b")
        .binary("EVAL".getBytes(), "return ARGV[1]".getBytes(), "0".getBytes(), new byte[] {(byte) 0xe9, 0, 'a'})
        .binary("EVAL".getBytes(), "return #ARGV[1]".getBytes(), "0".getBytes(), new byte[] {(byte) 0xe9, 0, 'a'})
        .cmd("EVAL", "return redis.call('set', KEYS[1], string.char(0, 200, 65))", "1", "{t}b")
        .cmd("STRLEN", "{t}b")
        .cmd("EVAL", "return string.char(0, 255, 128)", "0");
  }

  private static final String LIB1 = "#!lua name=lib1\n"
      + "redis.register_function('f1', function(keys, args) return {keys[1], args[1]} end)\n"
      + "redis.register_function{function_name='f2', callback=function(keys) "
      + "return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}\n"
      + "redis.register_function('f3', function(keys) return redis.call('incr', keys[1]) end)";

  static Script functions() {
    return new Script("scripting: FUNCTION and FCALL")
        .cmd("FUNCTION", "FLUSH")
        .cmd("FUNCTION", "LIST")
        .cmd("FUNCTION", "LOAD", LIB1)
        .cmd("FCALL", "f1", "1", "{t}k", "a")
        .cmd("FCALL", "f2", "1", "{t}k")
        .cmd("SET", "{t}k", "v")
        .cmd("FCALL_RO", "f2", "1", "{t}k")
        .cmd("FCALL_RO", "f1", "0")
        .cmd("FCALL", "f3", "1", "{t}n")
        .cmd("FCALL", "f3", "1", "{t}k")
        .cmd("FCALL", "nosuch", "0")
        .cmd("FCALL", "f1", "5")
        .cmd("FCALL", "f1", "-1")
        .cmd("FCALL", "f1", "abc")
        // One function per listed library: Redis lists a library's functions in its hash table's order.
        .cmd("FUNCTION", "LOAD", "#!lua name=single\nredis.register_function{function_name='s', "
            + "callback=function() return 1 end, flags={'no-writes', 'allow-oom'}, description='one'}")
        .cmd("FUNCTION", "LIST", "LIBRARYNAME", "sing*")
        .cmd("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "single")
        .cmd("FUNCTION", "DELETE", "single")
        .cmd("FUNCTION", "LIST", "LIBRARYNAME", "nomatch*")
        .cmd("FUNCTION", "LOAD", LIB1)
        .cmd("FUNCTION", "LOAD", "REPLACE", LIB1)
        .cmd("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('f1', function() return 1 end)")
        .cmd("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('g', function() return KEYS end)")
        .cmd("FCALL", "g", "0")
        .cmd("FUNCTION", "DELETE", "lib2")
        .cmd("FUNCTION", "DELETE", "lib2")
        .cmd("FCALL", "g", "0")
        .cmd("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function('h', function() error('deep') end)")
        .cmd("FCALL", "h", "0")
        .cmd("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "lib3")
        .cmd("FUNCTION", "FLUSH", "ASYNC")
        .cmd("FCALL", "f1", "0")
        .cmd("FUNCTION", "LIST");
  }

  static Script functionErrors() {
    return new Script("scripting: FUNCTION LOAD errors")
        .cmd("FUNCTION", "FLUSH")
        .cmd("FUNCTION", "LOAD", "#!lua\nx")
        .cmd("FUNCTION", "LOAD", "return 1")
        .cmd("FUNCTION", "LOAD", "#!lua name=x")
        .cmd("FUNCTION", "LOAD", "#!lua name=lib2\nreturn 1")
        .cmd("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('bad name', function() end)")
        .cmd("FUNCTION", "LOAD", "#!lua name=lib2\nsyntax error")
        .cmd("FUNCTION", "LOAD", "#!lua name=lib2\nerror('x')")
        .cmd("FUNCTION", "LOAD", "#!lua name=lib2\nredis.call('ping')")
        .cmd("FUNCTION", "LOAD", "#!lua name=lib2\nlocal x = y")
        .cmd("FUNCTION", "LOAD", "#!lua name=lib2 foo=bar\n")
        .cmd("FUNCTION", "LOAD", "#!lua2 name=lib2\n")
        .cmd("FUNCTION", "LOAD", "#!lua name=b-ad\n")
        .cmd("FUNCTION", "LOAD", "#!lua name=a name=b\n")
        .cmd("FUNCTION", "LOAD", "#!LUA name=ok1\nredis.register_function('a', function() return 1 end)")
        .cmd("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('a2', function() end) "
            + "redis.register_function('a2', function() end)")
        .cmd("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function()")
        .cmd("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function(1)")
        .cmd("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('x', 1)")
        .cmd("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function({function_name='x'})")
        .cmd("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function({callback=function() end})")
        .cmd("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function({function_name='x', "
            + "callback=function() end, flags={'bad'}})")
        .cmd("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function({function_name='x', other=1})")
        .cmd("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function({function_name='x', "
            + "callback=function() end, flags='no-writes'})")
        .cmd("FUNCTION", "LOAD", "BAD", "#!lua name=l\n")
        .cmd("FUNCTION", "LOAD", "REPLACE", "REPLACE", "#!lua name=ok1\nredis.register_function('a', function() return 2 end)")
        .cmd("FCALL", "a", "0")
        .cmd("FUNCTION", "DELETE", "ok1")
        .cmd("FUNCTION", "FLUSH", "NOW")
        .cmd("FUNCTION", "LIST", "x")
        .cmd("FUNCTION", "LIST", "LIBRARYNAME")
        .cmd("FUNCTION", "LIST", "WITHCODE", "WITHCODE");
  }

  static Script numbers() {
    return new Script("scripting: numbers")
        .cmd("EVAL", "return 2^53", "0")
        .cmd("EVAL", "return -0.5", "0")
        .cmd("EVAL", "return 1e300", "0")
        .cmd("EVAL", "return -1e300", "0")
        .cmd("EVAL", "return 0/0", "0")
        .cmd("EVAL", "return tonumber('0x10')", "0")
        .cmd("EVAL", "return redis.call('set', KEYS[1], 1e15)", "1", "{t}n")
        .cmd("EVAL", "return redis.call('get', KEYS[1])", "1", "{t}n")
        .cmd("EVAL", "return redis.call('set', KEYS[1], 0.1)", "1", "{t}n")
        .cmd("EVAL", "return redis.call('get', KEYS[1])", "1", "{t}n")
        .cmd("EVAL", "return redis.call('incrbyfloat', KEYS[1], 1.5)", "1", "{t}n")
        .cmd("EVAL", "return math.floor(7 / 2)", "0")
        .cmd("EVAL", "return 7 % 3", "0");
  }
}
