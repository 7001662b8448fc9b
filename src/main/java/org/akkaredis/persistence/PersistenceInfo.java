package org.akkaredis.persistence;

import java.util.Locale;

/** INFO persistence's fields, in Redis 7.0's order, from the figures of loading, snapshots and the AOF. */
public final class PersistenceInfo {
  private PersistenceInfo() {}

  /** {@code dirty}: the node's change counter now. There is no fork, so the cow and fork figures are 0. */
  public static String fields(LoadStatus load, SaveStatus save, AofStatus aof, long dirty, long nowMs) {
    return fields(load, false, save, aof, dirty, nowMs);
  }

  /**
   * {@code loadingFullSync}: a replica loads its master's data (loading:1 as in Redis; the loading_* figures
   * stay those of the start-up load, which is the only one they describe).
   */
  public static String fields(LoadStatus load, boolean loadingFullSync, SaveStatus save, AofStatus aof, long dirty,
      long nowMs) {
    return fields(load, loadingFullSync, false, save, aof, dirty, nowMs);
  }

  /**
   * {@code asyncLoading}: the replica's full sync loads aside while its old data is served (repl-diskless-load
   * swapdb): async_loading:1 and loading:0, as Redis.
   */
  public static String fields(LoadStatus load, boolean loadingFullSync, boolean asyncLoading, SaveStatus save,
      AofStatus aof, long dirty, long nowMs) {
    StringBuilder out = new StringBuilder(1024);
    field(out, "loading", load.loading || loadingFullSync && !asyncLoading ? 1 : 0);
    field(out, "async_loading", asyncLoading ? 1 : 0);
    field(out, "current_cow_peak", 0);
    field(out, "current_cow_size", 0);
    field(out, "current_cow_size_age", 0);
    field(out, "current_fork_perc", "0.00");
    field(out, "current_save_keys_processed", 0);
    field(out, "current_save_keys_total", 0);
    field(out, "rdb_changes_since_last_save", Math.max(0, dirty - save.dirtyAtLastSave));
    field(out, "rdb_bgsave_in_progress", save.bgsaveInProgress ? 1 : 0);
    field(out, "rdb_last_save_time", save.lastSaveMs / 1000);
    field(out, "rdb_last_bgsave_status", save.lastBgsaveOk ? "ok" : "err");
    field(out, "rdb_last_bgsave_time_sec", save.lastBgsaveTimeSec);
    long bgsaveStarted = save.bgsaveStartedMs;
    field(out, "rdb_current_bgsave_time_sec", bgsaveStarted < 0 ? -1 : (nowMs - bgsaveStarted) / 1000);
    field(out, "rdb_saves", save.saves);
    field(out, "rdb_last_cow_size", 0);
    field(out, "rdb_last_load_keys_expired", save.loadKeysExpired);
    field(out, "rdb_last_load_keys_loaded", save.loadKeysLoaded);
    field(out, "aof_enabled", aof.enabled ? 1 : 0);
    field(out, "aof_rewrite_in_progress", aof.rewriteInProgress ? 1 : 0);
    field(out, "aof_rewrite_scheduled", aof.rewriteScheduled ? 1 : 0);
    field(out, "aof_last_rewrite_time_sec", aof.lastRewriteTimeSec);
    long rewriteStarted = aof.rewriteStartedMs;
    field(out, "aof_current_rewrite_time_sec", rewriteStarted < 0 ? -1 : (nowMs - rewriteStarted) / 1000);
    field(out, "aof_last_bgrewrite_status", aof.lastRewriteOk ? "ok" : "err");
    field(out, "aof_rewrites", aof.rewrites);
    field(out, "aof_rewrites_consecutive_failures", aof.consecutiveFailures);
    field(out, "aof_last_write_status", aof.writeOk() ? "ok" : "err");
    field(out, "aof_last_cow_size", 0);
    field(out, "module_fork_in_progress", 0);
    field(out, "module_fork_last_cow_size", 0);
    if (aof.enabled) {
      field(out, "aof_current_size", aof.currentSize);
      field(out, "aof_base_size", aof.baseSize);
      field(out, "aof_pending_rewrite", aof.rewriteScheduled ? 1 : 0);
      field(out, "aof_buffer_length", aof.bufferLength);
      field(out, "aof_pending_bio_fsync", 0);
      field(out, "aof_delayed_fsync", 0);
    }
    if (load.loading) {
      long elapsedSec = Math.max(0, (nowMs - load.startMs) / 1000);
      long total = load.totalBytes;
      long loaded = load.loadedBytes;
      field(out, "loading_start_time", load.startMs / 1000);
      field(out, "loading_total_bytes", total);
      field(out, "loading_rdb_used_mem", 0);
      field(out, "loading_loaded_bytes", loaded);
      field(out, "loading_loaded_perc", String.format(Locale.ROOT, "%.2f", total <= 0 ? 0.0 : loaded * 100.0 / total));
      field(out, "loading_eta_seconds", loaded <= 0 ? 1 : (total - loaded) * elapsedSec / loaded);
    }
    return out.toString();
  }

  private static void field(StringBuilder out, String name, Object value) {
    out.append(name).append(':').append(value).append("\r\n");
  }
}
