package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.Test;

/**
 * The keys MIGRATE moved away are gone from the source's AOF too: the DEL is in the file before the reply
 * (appendfsync always), and a restart from the AOF does not bring them back.
 */
class MigrateAofTest {
  @Test
  void theDeletesReachTheAofAndARestartKeepsThemGone() throws IOException {
    Path dir = TempDirs.create("migrate-aof-");
    Map<String, String> settings = Map.of("dir", dir.toString(), "appendonly", "yes", "appendfsync", "always");
    try (RedisServerFixture target = RedisServerFixture.standalone(); RespConnection t = target.connect()) {
      try (NodeFixture node = NodeFixture.startAsync(false, settings).join(); RespConnection c = node.connect()) {
        c.call("SET", "moved:a", "1");
        c.call("SET", "moved:b", "2");
        c.call("SET", "copied", "3");
        assertEquals("OK", c.call("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "0", "5000", "KEYS",
            "moved:a", "moved:b").text());
        assertEquals("OK", c.call("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "copied", "0", "5000",
            "COPY").text());
        String aof = Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"),
            StandardCharsets.ISO_8859_1);
        assertTrue(aof.endsWith("*3\r\n$3\r\nDEL\r\n$7\r\nmoved:a\r\n$7\r\nmoved:b\r\n"), aof);
      }
      try (NodeFixture restarted = NodeFixture.startAsync(false, settings).join();
          RespConnection c = restarted.connect()) {
        assertEquals(0, c.call("EXISTS", "moved:a", "moved:b").integer());
        assertEquals("3", c.call("GET", "copied").text());
      }
      assertEquals(List.of("1", "2", "3"), t.call("MGET", "moved:a", "moved:b", "copied").texts());
    } finally {
      TempDirs.delete(dir);
    }
  }
}
