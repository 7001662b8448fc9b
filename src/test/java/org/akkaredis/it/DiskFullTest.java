package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.SmallDisk;
import org.junit.jupiter.api.Test;

/**
 * A node whose {@code dir} is a small tmpfs, filled until the disk is full: a write error is never acknowledged.
 * With appendfsync everysec writes are refused with Redis's MISCONF while the AOF cannot be written and resume once
 * there is room; with always the node stops, as Redis exits; a failed BGSAVE refuses writes with
 * stop-writes-on-bgsave-error. Every acknowledged write is back after a restart, no refused one is.
 */
class DiskFullTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long DISK_BYTES = 1 << 20;
  private static final String AOF_FULL = "MISCONF Errors writing to the AOF file: No space left on device";
  private static final String BGSAVE_FAILED = "MISCONF Redis is configured to save RDB snapshots, but it's currently "
      + "unable to persist to disk. Commands that may modify the data set are disabled, because this instance is "
      + "configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). "
      + "Please check the Redis logs for details about the RDB error.";
  private static final String VALUE = "v".repeat(2000);

  /** A node on the small disk; with appendonly yes, once its first rewrite has made the AOF. */
  private static NodeFixture start(SmallDisk disk, String... overrides) {
    Map<String, String> settings = new HashMap<>(Map.of("dir", disk.dir().toString(), "appendonly", "yes"));
    for (int i = 0; i < overrides.length; i += 2) settings.put(overrides[i], overrides[i + 1]);
    NodeFixture node = NodeFixture.startAsync(false, settings).join();
    if (settings.get("appendonly").equals("yes")) {
      try (RespConnection c = node.connect()) {
        Await.until("the AOF exists", TIMEOUT, () -> c.infoField("persistence", "aof_rewrite_in_progress").equals("0")
            && Files.exists(disk.dir().resolve("appendonlydir").resolve("appendonly.aof.manifest")));
      }
    }
    return node;
  }

  @Test
  void withEverysecWritesAreRefusedWhileTheDiskIsFullAndResumeOnceItHasRoom() throws Exception {
    Map<String, String> acknowledged = new LinkedHashMap<>();
    List<String> refused = new ArrayList<>();
    try (SmallDisk disk = SmallDisk.mount("disk-full-", DISK_BYTES)) {
      try (NodeFixture node = start(disk, "appendfsync", "everysec"); RespConnection c = node.connect()) {
        write(c, "before", acknowledged, refused);
        disk.fill();
        for (int i = 0; refused.size() < 20; i++) {
          assertTrue(i < 100_000, "writes to a full disk are refused sooner or later");
          write(c, "full:" + i, acknowledged, refused);
        }
        assertEquals("err", c.infoField("persistence", "aof_last_write_status"));
        assertEquals(AOF_FULL, c.call("PING").text(), "PING shows the trouble, as Redis's does");
        assertEquals(acknowledged.get("before"), c.call("GET", "before").text(), "reads go on");
        assertEquals("OK", c.call("MULTI").text());
        assertEquals(AOF_FULL, c.call("SET", "in-multi", "1").text());
        assertEquals("EXECABORT Transaction discarded because of previous errors.", c.call("EXEC").text());

        disk.free();
        Await.until("the retry wrote the AOF", TIMEOUT,
            () -> c.infoField("persistence", "aof_last_write_status").equals("ok"));
        assertEquals("PONG", c.call("PING").text());
        for (int i = 0; i < 10; i++) write(c, "after:" + i, acknowledged, refused);
        assertEquals(20, refused.size(), "writes resumed once the disk had room");
        c.send("SHUTDOWN"); // writes and fsyncs the AOF, then stops the node
        assertEquals("", new String(c.readUntilClosed()));
        node.whenTerminated().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, node.exitCode());
      }
      try (NodeFixture again = start(disk, "appendfsync", "everysec"); RespConnection c = again.connect()) {
        for (Map.Entry<String, String> write : acknowledged.entrySet()) {
          assertEquals(write.getValue(), c.call("GET", write.getKey()).text(), write.getKey() + " acknowledged");
        }
        for (String key : refused) assertTrue(c.call("GET", key).isNull(), key + " was refused");
        assertEquals(acknowledged.size(), c.call("DBSIZE").integer());
      }
    }
  }

  @Test
  void turningTheAofOffWhileItCannotBeWrittenLetsWritesThroughAsInRedis() {
    Map<String, String> acknowledged = new LinkedHashMap<>();
    List<String> refused = new ArrayList<>();
    try (SmallDisk disk = SmallDisk.mount("disk-full-", DISK_BYTES);
        NodeFixture node = start(disk, "appendfsync", "everysec");
        RespConnection c = node.connect()) {
      disk.fill();
      for (int i = 0; refused.isEmpty(); i++) {
        assertTrue(i < 100_000, "writes to a full disk are refused sooner or later");
        write(c, "full:" + i, acknowledged, refused);
      }
      assertEquals("OK", c.call("CONFIG", "SET", "appendonly", "no").text());
      assertEquals("0", c.infoField("persistence", "aof_enabled"));
      assertEquals("OK", c.call("SET", "after", "1").text());
      assertEquals("PONG", c.call("PING").text());
    }
  }

  @Test
  void aNodeWhoseFirstAofCannotBeWrittenRefusesToShutDownAsRedisDoes() {
    try (SmallDisk disk = SmallDisk.mount("disk-full-", DISK_BYTES)) {
      disk.fill();
      try (NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", disk.dir().toString(), "appendonly",
          "yes")).join(); RespConnection c = node.connect()) {
        assertEquals("OK", c.call("SET", "only-in-memory", "1").text());
        assertEquals("ERR Errors trying to SHUTDOWN. Check logs.", c.call("SHUTDOWN").text(),
            "no file holds the data yet: stopping would lose it");
        assertEquals("1", c.call("GET", "only-in-memory").text());
        disk.free();
        Await.until("the first rewrite made the AOF", TIMEOUT,
            () -> !c.infoField("persistence", "aof_rewrites").equals("0"));
        assertTrue(Files.exists(disk.dir().resolve("appendonlydir").resolve("appendonly.aof.manifest")));
        c.send("SHUTDOWN");
        assertEquals("", new String(c.readUntilClosed()));
      }
      try (NodeFixture again = start(disk); RespConnection c = again.connect()) {
        assertEquals("1", c.call("GET", "only-in-memory").text());
      }
    }
  }

  /** SET key: an OK is recorded as acknowledged, else the reply must be the AOF's MISCONF error. */
  private static void write(RespConnection c, String key, Map<String, String> acknowledged, List<String> refused) {
    String value = VALUE + key;
    RespReply reply = c.call("SET", key, value);
    if (reply.isError()) {
      assertEquals(AOF_FULL, reply.text());
      refused.add(key);
    } else {
      assertEquals("OK", reply.text());
      acknowledged.put(key, value);
    }
  }

  @Test
  void withAlwaysAFailedWriteStopsTheNodeUnacknowledgedAndNothingAcknowledgedIsLost() throws Exception {
    try (SmallDisk disk = SmallDisk.mount("disk-full-", DISK_BYTES)) {
      try (NodeFixture node = start(disk, "appendfsync", "always"); RespConnection c = node.connect()) {
        assertEquals("OK", c.call("SET", "before", "1").text());
        disk.fill();
        c.send("SET", "failed", "x".repeat(10_000)); // more than the free part of the file's last page
        assertEquals("", new String(c.readUntilClosed()), "no OK for a write that is not on disk");
        node.whenTerminated().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1, node.exitCode(), "the process exits with 1, as Redis's exit(1)");
      }
      disk.free();
      try (NodeFixture again = start(disk, "appendfsync", "always"); RespConnection c = again.connect()) {
        assertEquals("1", c.call("GET", "before").text());
        assertTrue(c.call("GET", "failed").isNull(), "the failed write was cut off the file");
        assertEquals("OK", c.call("SET", "after", "1").text());
      }
    }
  }

  @Test
  void aFailedBgsaveRefusesWritesWithStopWritesOnBgsaveErrorUntilASaveSucceeds() {
    try (SmallDisk disk = SmallDisk.mount("disk-full-", DISK_BYTES);
        NodeFixture node = start(disk, "appendonly", "no", "save", "3600 1");
        RespConnection c = node.connect()) {
      assertEquals("OK", c.call("SET", "before", VALUE).text());
      disk.fill();
      assertEquals("Background saving started", c.call("BGSAVE").text());
      Await.until("the BGSAVE failed", TIMEOUT, () -> c.infoField("persistence", "rdb_last_bgsave_status")
          .equals("err") && c.infoField("persistence", "rdb_bgsave_in_progress").equals("0"));
      assertEquals(BGSAVE_FAILED, c.call("SET", "refused", "1").text());
      assertEquals(BGSAVE_FAILED, c.call("PING").text());
      assertEquals(VALUE, c.call("GET", "before").text(), "reads go on");
      assertEquals("OK", c.call("MULTI").text());
      assertEquals("QUEUED", c.call("GET", "before").text());
      assertEquals(BGSAVE_FAILED, c.call("INCR", "refused").text());
      assertEquals("EXECABORT Transaction discarded because of previous errors.", c.call("EXEC").text());

      assertEquals("OK", c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no").text());
      assertEquals("OK", c.call("SET", "allowed", "1").text());
      assertEquals("OK", c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes").text());
      assertEquals(BGSAVE_FAILED, c.call("SET", "refused", "1").text());
      assertEquals("OK", c.call("CONFIG", "SET", "save", "").text());
      assertEquals("OK", c.call("SET", "allowed", "2").text(), "without save rules, as Redis's saveparamslen 0");
      assertEquals("OK", c.call("CONFIG", "SET", "save", "3600 1").text());
      assertEquals(BGSAVE_FAILED, c.call("SET", "refused", "1").text());

      disk.free();
      assertEquals("Background saving started", c.call("BGSAVE").text());
      Await.until("the BGSAVE succeeded", TIMEOUT, () -> c.infoField("persistence", "rdb_last_bgsave_status")
          .equals("ok"));
      assertEquals("OK", c.call("SET", "after", "1").text());
      assertEquals("PONG", c.call("PING").text());
      assertTrue(c.call("GET", "refused").isNull());
    }
  }
}
