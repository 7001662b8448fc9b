package org.akkaredis.persistence;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;

/**
 * The AOF's rewrite and cut-over as a state machine, without I/O: which incr file the effects go to, which ranges
 * have given their part of the new base, what a node-wide effect mid-rewrite does, when the new base is complete
 * and the manifest switches, and when the files have grown enough for an automatic rewrite. The {@link AofWriter}
 * actor asks it, performs the file work it describes ({@link AofFiles}), and tells it what came of that.
 *
 * <p>A rewrite opens a new incr file at once and asks every range for its data, which the range gives between two
 * of its messages. A range's effects before that moment are in its part of the new base, later ones go to the new
 * incr file; until then they still go to the old incr file, so the files the manifest names stay complete if the
 * node dies mid-rewrite. Once every range has given its part, the new base and the new incr file replace the old
 * files in the manifest. A node-wide effect (FLUSHALL, or a write holding several ranges) while some ranges have
 * not given their part belongs to neither side of the cut: it ends the rewrite unfinished, and a new one starts
 * {@link #RETRY_DELAY} later.
 *
 * <p>Files are named as the manifest names them. A node that had no AOF has no incr file until its first rewrite
 * has finished: its effects go nowhere meanwhile, since they are in the data the ranges have yet to give.
 */
final class AofRewrite {
  /** How long after an abandoned rewrite the next one starts. */
  static final Duration RETRY_DELAY = Duration.ofMillis(100);

  /** What starting rewrite {@code id} takes: open {@code newIncr}; write {@code opened} now if {@code nameNow}. */
  record Start(long id, String newIncr, AofManifest opened, boolean nameNow, boolean preamble) {}

  /**
   * A rewrite given up by a node-wide effect. {@code closedIncr}: the old incr file, to write, fsync and close (the
   * manifest names the new one after it, so the files stay complete); null for a node's first rewrite, which instead
   * deletes {@code deletedIncr}, the new incr file nothing names.
   */
  record Abandon(String closedIncr, String deletedIncr) {}

  /** Where an effect goes: {@code incr} (null: nowhere), after performing {@code abandon} when it is not null. */
  record Route(String incr, Abandon abandon) {}

  /**
   * A complete new base: install it as {@code named.base()}, write {@code named}, close {@code closedIncr} (the old
   * incr file, null when there was none), delete {@code toDelete}, then write {@code kept}.
   */
  record Finish(AofManifest named, AofManifest kept, List<AofManifest.FileInfo> toDelete, String closedIncr,
      long startedMs) {}

  /** A rewrite under way: the ranges still to give their part, and the manifest before it opened its incr file. */
  private record Run(long id, BitSet pending, long startedMs, AofManifest before, String newIncr,
      boolean preamble) {}

  private final String appendfilename;
  private AofManifest manifest;
  private String currentIncr;
  private Run run;
  private long lastId;
  private boolean retryScheduled;
  private long sizeAtLastRewrite;

  private AofRewrite(String appendfilename, AofManifest manifest, String currentIncr) {
    this.appendfilename = appendfilename;
    this.manifest = manifest;
    this.currentIncr = currentIncr;
  }

  /**
   * An AOF loaded at start: effects go on into its last incr file, or into a new one when it has none (then
   * {@link #manifest()} differs from {@code loaded} and must be written before anything is appended).
   */
  static AofRewrite continuing(AofManifest loaded, String appendfilename) {
    AofManifest manifest = loaded.incrs().isEmpty() ? loaded.openNewIncr(appendfilename) : loaded;
    return new AofRewrite(appendfilename, manifest, manifest.lastIncr().name());
  }

  /**
   * A node without an AOF to load; it begins with a rewrite of what it holds. {@code existing}: a manifest found
   * on disk that is not loaded (only its file numbers are kept), or null.
   */
  static AofRewrite beginning(AofManifest existing, String appendfilename) {
    return new AofRewrite(appendfilename, existing != null ? existing : AofManifest.empty(), null);
  }

  /** The manifest as it is (or is about to be) on disk. */
  AofManifest manifest() {
    return manifest;
  }

  /** The incr file effects go to outside a rewrite; null until a node's first rewrite has finished. */
  String currentIncr() {
    return currentIncr;
  }

  /** The incr file the running rewrite opened; null when none runs. */
  String newIncr() {
    return run == null ? null : run.newIncr;
  }

  boolean running() {
    return run != null;
  }

  /** A rewrite failed and must be tried again: {@link #retryDue} from now on. */
  void retryLater() {
    retryScheduled = true;
  }

  /** A rewrite was abandoned and the next one has not started yet (INFO's aof_rewrite_scheduled). */
  boolean retryScheduled() {
    return retryScheduled;
  }

  /** Whether the retry timer, when it fires, should start a rewrite (one may have started meanwhile). */
  boolean retryDue() {
    return run == null && retryScheduled;
  }

  /** Unix ms the running rewrite started at, or -1. */
  long startedMs() {
    return run == null ? -1 : run.startedMs;
  }

  /** The next rewrite: nothing changes until {@link #started} says its files are open. */
  Start start(boolean preamble) {
    if (run != null) throw new IllegalStateException("a rewrite is already running");
    retryScheduled = false;
    AofManifest opened = manifest.openNewIncr(appendfilename);
    // A node that had no AOF names its files only once the first base exists.
    return new Start(++lastId, opened.lastIncr().name(), opened, currentIncr != null, preamble);
  }

  /** The files of {@code start} are open: effects of a range go to the new incr file once it has given its part. */
  void started(Start start, int rangeCount, long nowMs) {
    BitSet pending = new BitSet();
    pending.set(0, rangeCount);
    run = new Run(start.id(), pending, nowMs, manifest, start.newIncr(), start.preamble());
    manifest = start.opened();
  }

  /**
   * Where an effect of {@code range} (-1: several or all ranges) goes. A node-wide one while some range has not
   * given its part cannot be split between the base and the new incr file: it abandons the rewrite first.
   */
  Route route(int range) {
    if (run == null) return new Route(currentIncr, null);
    boolean cutOver = range >= 0 ? !run.pending.get(range) : run.pending.isEmpty();
    if (cutOver) return new Route(run.newIncr, null);
    if (range >= 0) return new Route(currentIncr, null);
    Abandon abandon = abandon();
    return new Route(currentIncr, abandon);
  }

  /**
   * Ends the running rewrite unfinished (a node-wide effect came, or its base could not be written); the next one
   * is due after {@link #RETRY_DELAY}.
   */
  Abandon abandon() {
    Run abandoned = run;
    run = null;
    retryScheduled = true;
    if (currentIncr != null) {
      String closed = currentIncr;
      currentIncr = abandoned.newIncr;
      return new Abandon(closed, null);
    }
    manifest = abandoned.before;
    return new Abandon(null, abandoned.newIncr);
  }

  /** Whether the running rewrite {@code id} still waits for {@code range}'s part (a stale rewrite's is dropped). */
  boolean wants(long id, int range) {
    return run != null && run.id == id && run.pending.get(range);
  }

  /** {@code range}'s part is in the new base: its later effects go to the new incr file. True once all are in. */
  boolean partGiven(int range) {
    run.pending.clear(range);
    return run.pending.isEmpty();
  }

  /**
   * Every range has given its part: the rewrite ends and effects go to the new incr file whatever comes of the file
   * work; {@link #installed} says it succeeded.
   */
  Finish finish() {
    Run done = run;
    run = null;
    AofManifest named = manifest.afterRewrite(appendfilename, done.preamble);
    String closed = currentIncr;
    currentIncr = done.newIncr;
    return new Finish(named, named.withoutHistory(), named.historyToDelete(), closed, done.startedMs);
  }

  /** The new base is installed and the old files are gone. */
  void installed(Finish finish) {
    manifest = finish.kept();
  }

  /** The files' bytes at the end of a rewrite (or at start): the automatic rewrite's growth is measured from it. */
  void baseline(long bytes) {
    sizeAtLastRewrite = bytes;
  }

  /**
   * Redis's auto-aof-rewrite rule: no rewrite runs, the files are at least {@code minSize} bytes and have grown
   * by {@code percentage} (0: never) since the last rewrite. Returns the growth in percent when a rewrite is due,
   * else -1.
   */
  long autoRewriteGrowth(long percentage, long minSize, long size) {
    if (run != null || percentage <= 0 || size < minSize) return -1;
    long base = Math.max(1, sizeAtLastRewrite);
    long growth = (size - base) * 100 / base;
    return growth >= percentage ? growth : -1;
  }
}
