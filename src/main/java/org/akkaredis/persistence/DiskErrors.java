package org.akkaredis.persistence;

/**
 * Whether the node must refuse writes because it cannot persist them, and the error that says so: Redis 7.0's
 * writeCommandsDeniedByDiskError and writeCommandsGetDiskErrorMessage. Which commands are refused is the command
 * path's business (write commands and PING, as Redis's processCommand).
 */
public final class DiskErrors {
  private DiskErrors() {}

  /** Redis's shared.bgsaveerr, without the leading '-'. */
  public static final String BGSAVE_ERROR = "MISCONF Redis is configured to save RDB snapshots, but it's currently "
      + "unable to persist to disk. Commands that may modify the data set are disabled, because this instance is "
      + "configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). "
      + "Please check the Redis logs for details about the RDB error.";

  /**
   * The error text refusing writes now, or null: the last BGSAVE failed while save rules are set and
   * {@code stop-writes-on-bgsave-error} is yes; else the AOF is on and its last write or fsync failed.
   */
  public static String writeDenial(SaveStatus save, AofStatus aof, boolean stopWritesOnBgsaveError,
      boolean saveRulesSet) {
    if (!save.lastBgsaveOk && stopWritesOnBgsaveError && saveRulesSet) return BGSAVE_ERROR;
    String aofError = aof.enabled ? aof.error() : null;
    return aofError == null ? null : "MISCONF Errors writing to the AOF file: " + aofError;
  }
}
