package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.akkaredis.it.support.DataSets;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.Test;

/**
 * SAVE writes dump.rdb in Redis's RDB format: Debian's redis-check-rdb accepts the file, and a real redis-server
 * started on it has the same keys, values and (roughly) TTLs as the node.
 */
class RdbSaveTest {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void saveWritesAnRdbFileThatRedisChecksAndLoads() {
    Path dir = TempDirs.create("snapshot-");
    try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", dir.toString(),
        "dbfilename", "snap.rdb")).join(); RespConnection c = node.connect()) {
      DataSets.fill(c);
      long before = System.currentTimeMillis() / 1000;
      assertEquals("+OK\\r\\n", c.call("SAVE").escaped(100));
      assertTrue(c.call("LASTSAVE").integer() >= before, "LASTSAVE says the time of the SAVE");
      Path file = dir.resolve("snap.rdb");
      assertTrue(Files.exists(file));
      assertFalse(Files.exists(dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb")), "temp file renamed");

      Processes.Result check = Processes.run(TOOL_TIMEOUT, "redis-check-rdb", file.toString());
      assertEquals(0, check.exitCode(), check.describe());
      assertTrue(check.stdout().contains("\\o/ RDB looks OK! \\o/"), check.describe());

      try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString(),
          "dbfilename", "snap.rdb")); RespConnection r = redis.connect()) {
        DataSets.assertSameData(c, r);
      }
    } finally {
      TempDirs.delete(dir);
    }
  }
}
