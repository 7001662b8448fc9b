package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.FailingFsyncDisk;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.Test;

/**
 * A real failed fsync, not a simulated one: the node's dir is an ext4 filesystem whose device fails the writeback
 * (FailingFsyncDisk), so the AOF's write() succeeds and its fsync fails. With appendfsync always the write is not
 * acknowledged and the node stops with exit status 1, as Redis exits; what was acknowledged before is there after a
 * restart. (A full disk, where write() itself fails: DiskFullTest.)
 */
class FailedFsyncTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static NodeFixture start(FailingFsyncDisk disk) {
    NodeFixture node = NodeFixture.startAsync(false, Map.of("dir", disk.dir().toString(), "appendonly", "yes",
        "appendfsync", "always")).join();
    try (RespConnection c = node.connect()) {
      Await.until("the AOF exists", TIMEOUT, () -> c.infoField("persistence", "aof_rewrite_in_progress").equals("0")
          && Files.exists(disk.dir().resolve("appendonlydir").resolve("appendonly.aof.manifest")));
    }
    return node;
  }

  @Test
  void withAlwaysAFailedFsyncIsNotAcknowledgedAndStopsTheNode() throws Exception {
    try (FailingFsyncDisk disk = FailingFsyncDisk.mount("failed-fsync-", 16 << 20, 64 << 20)) {
      try (NodeFixture node = start(disk); RespConnection c = node.connect()) {
        assertEquals("OK", c.call("SET", "before", "1").text());
        // A rewrite opens a new, empty incr file: the kernel reports a failed writeback to the fsync of a file
        // whose blocks are all new, while an append to a file whose data was already synced may be lost without
        // fsync saying so (checked by hand on this kernel, 6.18).
        assertEquals("Background append only file rewriting started", c.call("BGREWRITEAOF").text());
        Await.until("the rewrite has ended", TIMEOUT,
            () -> c.infoField("persistence", "aof_rewrites").equals("2"));
        disk.fill();
        // Far more than a block: the writeback needs blocks the full tmpfs cannot give the image.
        c.send("SET", "failed", "x".repeat(1 << 20));
        assertEquals("", new String(c.readUntilClosed()), "no OK for a write whose fsync failed");
        node.whenTerminated().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1, node.exitCode(), "the process exits with 1, as Redis's exit(1)");
      }
      disk.free();
      try (NodeFixture again = start(disk); RespConnection c = again.connect()) {
        assertEquals("1", c.call("GET", "before").text());
        assertEquals("OK", c.call("SET", "after", "1").text());
      }
    }
  }
}
