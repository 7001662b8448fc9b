package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What limits a function, against a real redis-server 7.0 reply by reply: FUNCTION LOAD's time limit on a
 * library's code, FCALL refused over maxmemory unless the function's flags allow it, and DEBUG RELOAD's NOFLUSH and
 * MERGE meeting the libraries and keys that are there (Redis's unit/functions tests of these).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionLimitsTest {
  private Servers.NodeAndRedis servers;
  private RespConnection redis;
  private RespConnection node;

  @BeforeAll
  void start() {
    servers = Servers.nodeAndRedis(false, Map.of("enable-debug-command", "yes", "enable-protected-configs", "yes"));
    redis = servers.redis().connect();
    node = servers.node().connect();
  }

  @AfterAll
  void stop() {
    if (redis != null) redis.close();
    if (node != null) node.close();
    if (servers != null) servers.close();
  }

  /** The command on both servers: the same reply (RESP bytes), which it returns. */
  private RespReply same(String... command) {
    RespReply expected = redis.call(command);
    RespReply actual = node.call(command);
    assertEquals(expected.escaped(2000), actual.escaped(2000), String.join(" ", command));
    return actual;
  }

  @Test
  void aLibraryWhoseCodeRunsTooLongIsNotLoaded() {
    same("FUNCTION", "FLUSH");
    RespReply timeout = same("FUNCTION", "LOAD", "#!lua name=lib\nlocal a = 1\nwhile 1 do a = a + 1 end\n");
    assertTrue(timeout.isError() && timeout.text().contains("FUNCTION LOAD timeout"), timeout.toString());
    // A pcall that catches the timeout does not keep the code going: the hook raises it again on every line.
    same("FUNCTION", "LOAD", "#!lua name=lib\nlocal a = 1\n"
        + "while 1 do pcall(function() while 1 do a = a + 1 end end) end\n");
    same("FUNCTION", "LIST");
    // The engine is usable afterwards, and a function's own run has no such limit.
    same("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 'hello' end)\n");
    same("FCALL", "f", "0");
    same("FUNCTION", "FLUSH");
  }

  @Test
  void overMaxmemoryOnlyFunctionsFlaggedNoWritesOrAllowOomRun() {
    same("FUNCTION", "LOAD", "REPLACE", "#!lua name=oom\n"
        + "redis.register_function('writes', function() return redis.call('set', 'x', '1') end)\n"
        + "redis.register_function{function_name='reads', callback=function() return 'hello' end,"
        + " flags={'no-writes'}}\n"
        + "redis.register_function{function_name='oomok', callback=function() return redis.call('set', 'x', '2') end,"
        + " flags={'allow-oom'}}\n");
    same("CONFIG", "SET", "maxmemory", "1");
    try {
      RespReply refused = same("FCALL", "writes", "1", "k");
      assertTrue(refused.isError() && refused.text().startsWith("OOM "), refused.toString());
      same("FCALL", "reads", "1", "k");
      same("FCALL_RO", "reads", "1", "k");
      same("FCALL", "oomok", "1", "x");
      same("FCALL_RO", "writes", "1", "k");
    } finally {
      same("CONFIG", "SET", "maxmemory", "0");
    }
    same("GET", "x");
    same("FUNCTION", "DELETE", "oom");
    same("DEL", "x");
  }

  @Test
  void debugReloadNoflushAndMergeMeetTheLibrariesThatAreThere() {
    same("FUNCTION", "FLUSH");
    same("FLUSHALL");
    same("FUNCTION", "LOAD", "#!lua name=test\nredis.register_function('test', function() return 'hello' end)\n");
    same("DEBUG", "RELOAD");
    same("FCALL", "test", "0");
    // The library is there: loading it again fails; with MERGE it replaces it.
    RespReply refused = same("DEBUG", "RELOAD", "NOFLUSH");
    assertTrue(refused.isError() && refused.text().contains("Error trying to load the RDB"), refused.toString());
    same("DEBUG", "RELOAD", "NOFLUSH", "MERGE");
    same("FUNCTION", "LIST");
    // NOSAVE NOFLUSH MERGE: what was loaded since the save stays beside what the file has.
    same("FUNCTION", "DELETE", "test");
    same("SET", "x", "1");
    same("FUNCTION", "LOAD", "#!lua name=test1\nredis.register_function('test1', function() return 'hello' end)\n");
    same("DEBUG", "RELOAD");
    same("FUNCTION", "LOAD", "#!lua name=test2\nredis.register_function('test2', function() return 'hello' end)\n");
    same("SET", "x", "2");
    same("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE");
    same("FCALL", "test1", "0");
    same("FCALL", "test2", "0");
    same("GET", "x");
    same("FUNCTION", "FLUSH");
    same("FLUSHALL");
  }

  @Test
  void aReloadWhoseFileIsMissingFailsAfterTheDataWentUnlessNoflush() {
    same("FLUSHALL");
    same("SET", "kept", "1");
    String file = same("CONFIG", "GET", "dbfilename").get(1).text();
    same("CONFIG", "SET", "dbfilename", "function-limits-none.rdb");
    try {
      same("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH");
      same("GET", "kept");
      same("DEBUG", "RELOAD", "NOSAVE");
      same("GET", "kept");
    } finally {
      same("CONFIG", "SET", "dbfilename", file);
    }
  }
}
