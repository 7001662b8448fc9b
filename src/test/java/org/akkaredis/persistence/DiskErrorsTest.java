package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Redis's writeCommandsDeniedByDiskError: which failure refuses writes, and with which text. */
class DiskErrorsTest {
  private final SaveStatus save = new SaveStatus(0);
  private final AofStatus aof = new AofStatus();

  @Test
  void nothingFailedNothingIsRefused() {
    aof.enabled = true;
    assertNull(DiskErrors.writeDenial(save, aof, true, true));
  }

  @Test
  void aFailedBgsaveRefusesOnlyWithStopWritesOnBgsaveErrorAndSaveRules() {
    save.lastBgsaveOk = false;
    assertEquals(DiskErrors.BGSAVE_ERROR, DiskErrors.writeDenial(save, aof, true, true));
    assertNull(DiskErrors.writeDenial(save, aof, false, true), "stop-writes-on-bgsave-error no");
    assertNull(DiskErrors.writeDenial(save, aof, true, false), "save \"\": Redis's saveparamslen is 0");
    save.saved(1, 0);
    assertNull(DiskErrors.writeDenial(save, aof, true, true), "a good save clears it");
  }

  @Test
  void aFailedAofWriteOrFsyncRefusesWhileTheAofIsOnWithTheOsText() {
    aof.writeError = "No space left on device";
    assertNull(DiskErrors.writeDenial(save, aof, true, true), "appendonly no: the AOF's state does not count");
    aof.enabled = true;
    assertEquals("MISCONF Errors writing to the AOF file: No space left on device",
        DiskErrors.writeDenial(save, aof, true, true));
    aof.writeError = null;
    aof.fsyncError = "Input/output error";
    assertEquals("MISCONF Errors writing to the AOF file: Input/output error",
        DiskErrors.writeDenial(save, aof, true, true));
  }

  @Test
  void theBgsaveErrorComesFirstAsInRedis() {
    save.lastBgsaveOk = false;
    aof.enabled = true;
    aof.writeError = "No space left on device";
    assertEquals(DiskErrors.BGSAVE_ERROR, DiskErrors.writeDenial(save, aof, true, true));
  }

  @Test
  void theBgsaveTextIsRedisSharedBgsaveerr() {
    assertEquals("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. "
        + "Commands that may modify the data set are disabled, because this instance is configured to report "
        + "errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the "
        + "Redis logs for details about the RDB error.", DiskErrors.BGSAVE_ERROR);
  }
}
