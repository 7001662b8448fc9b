package org.akkaredis.command;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.keyspace.RangeState;

/**
 * What the persistence commands need of the node's persistence (a lower layer's work, wired in by the node): SAVE,
 * BGSAVE, BGREWRITEAOF, LASTSAVE, INFO persistence and what SHUTDOWN saves. Replies that may be errors come as
 * text: an error's starts with its code ("ERR ...").
 */
public interface Persistence {
  /** SAVE: writes every range's data to dir/dbfilename; {@code held} are all the node's ranges, held by the caller. */
  void save(RangeState[] held) throws IOException;

  /** BGSAVE: the status text ("Background saving started") or an error text. */
  CompletionStage<String> bgsave();

  /** BGREWRITEAOF: the status text or an error text. */
  CompletionStage<String> bgrewriteaof();

  /** True while the node loads its data at start: commands without the "loading" flag answer -LOADING. */
  boolean loading();

  /** Unix ms of the last successful save (the start time before the first). */
  long lastSaveMs();

  /** Bytes the AOF was handed and has not written yet (INFO's aof_buffer_length); 0 without an AOF. */
  long aofBufferBytes();

  /** INFO persistence's fields (without the header), in Redis's order. */
  String infoFields(long nowMs);

  /**
   * Before SHUTDOWN (or SIGTERM) stops the node: writes and fsyncs the AOF and, with {@code save} or when save
   * rules are set and not {@code noSave}, saves the snapshot. Completes with null, or the reason it could not.
   */
  CompletionStage<String> beforeShutdown(boolean save, boolean noSave);

  /**
   * The snapshot file (dir/dbfilename) as the commands that recreate its keys, for DEBUG RELOAD (on a master
   * without the keys already expired, as the start-up load); fails when there is none or it cannot be read.
   */
  default List<byte[][]> snapshotCommands() throws IOException {
    throw new IOException("no snapshot file");
  }

  /**
   * The append-only files as the commands they hold, once what was appended so far is written (DEBUG LOADAOF);
   * fails when there is no AOF or it cannot be read.
   */
  default CompletionStage<List<byte[][]>> appendOnlyCommands() {
    return CompletableFuture.failedFuture(new IOException("no append-only file"));
  }

  /**
   * The last {@code changes} changes to the data only put back what the files hold (DEBUG RELOAD, LOADAOF): they
   * are no changes since the last save, for rdb_changes_since_last_save and the save rules.
   */
  default void reloaded(long changes) {
  }

  /**
   * Why writes are refused now because the node cannot persist them (Redis's MISCONF texts, without the '-'), or
   * null: a failed AOF write or fsync, or a failed BGSAVE with {@code stop-writes-on-bgsave-error yes} and save rules.
   */
  default String writeDenial() {
    return null;
  }

  /**
   * The node cannot go on without losing what it promised (Redis's serverPanic / exit(1)): logs {@code reason} and
   * stops the node, which then exits with status 1.
   */
  default void fatal(String reason) {
  }

  /** A node without persistence (tests of other parts): saves fail, nothing else happens. */
  Persistence NONE = new Persistence() {
    @Override public void save(RangeState[] held) throws IOException {
      throw new IOException("no snapshot writer");
    }

    @Override public CompletionStage<String> bgsave() {
      return CompletableFuture.completedFuture("ERR no snapshot writer");
    }

    @Override public CompletionStage<String> bgrewriteaof() {
      return CompletableFuture.completedFuture("ERR no AOF writer");
    }

    @Override public boolean loading() {
      return false;
    }

    @Override public long aofBufferBytes() {
      return 0; // no AOF
    }

    @Override public long lastSaveMs() {
      return 0;
    }

    @Override public String infoFields(long nowMs) {
      return "";
    }

    @Override public CompletionStage<String> beforeShutdown(boolean save, boolean noSave) {
      return CompletableFuture.completedFuture(null);
    }
  };
}
