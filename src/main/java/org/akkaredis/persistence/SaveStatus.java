package org.akkaredis.persistence;

/**
 * The snapshots' figures for INFO persistence and LASTSAVE, written by SAVE and the {@link RdbSaver} actor and
 * read by any thread.
 */
public final class SaveStatus {
  /** Unix ms of the last successful save (at start: the start time, as Redis says). */
  public volatile long lastSaveMs;
  /** The node's change counter when the last successful save began. */
  public volatile long dirtyAtLastSave;
  public volatile boolean bgsaveInProgress;
  /** Unix ms the running BGSAVE started at, or -1. */
  public volatile long bgsaveStartedMs = -1;
  public volatile boolean lastBgsaveOk = true;
  public volatile long lastBgsaveTimeSec = -1;
  /** Unix ms of the last failed BGSAVE: the save rules wait a while before trying again. */
  public volatile long lastBgsaveFailedMs;
  public volatile long saves;
  /** Keys loaded from the snapshot at start, and those of them already expired. */
  public volatile long loadKeysLoaded;
  public volatile long loadKeysExpired;

  public SaveStatus(long startMs) {
    lastSaveMs = startMs;
  }

  /**
   * A save that began when the change counter was {@code dirty} has finished well. As Redis's rdbSave, a good SAVE
   * also clears a failed BGSAVE's error, which lets writes through again.
   */
  public void saved(long nowMs, long dirty) {
    lastBgsaveOk = true;
    lastSaveMs = nowMs;
    dirtyAtLastSave = dirty;
    saves++;
  }
}
