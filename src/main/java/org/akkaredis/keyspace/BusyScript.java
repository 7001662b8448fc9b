package org.akkaredis.keyspace;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Redis's timed-out script (script.c's SCRIPT_TIMEDOUT): a script that has run longer than busy-reply-threshold
 * keeps its ranges, but what needs them is no longer kept waiting. Redis reads other clients' commands again then
 * and answers most of them BUSY; here the ranges the script holds answer what waits on them, and what reaches them
 * until they are released, with the BUSY text, and a script holding every range (standalone mode) makes the node
 * answer every command not flagged allow_busy (checked by the dispatcher, {@link #refusal}). One per node.
 */
public final class BusyScript {
  /** For a keyspace without ranges of its own (tests of other parts): nothing waits, nothing is refused. */
  public static final BusyScript NONE = new BusyScript(null, range -> {});

  private final Deadlines deadlines;
  private final IntConsumer refuseWaiting;
  private final Set<Watch> running = ConcurrentHashMap.newKeySet();
  /** The busy script that holds every range, or null. */
  private volatile Watch nodeWide;

  /** {@code refuseWaiting}: tells the range of that index to answer what it keeps (its state says with what). */
  public BusyScript(Deadlines deadlines, IntConsumer refuseWaiting) {
    this.deadlines = deadlines;
    this.refuseWaiting = refuseWaiting;
  }

  /** The BUSY text every command not flagged allow_busy gets now (a busy script holds every range), or null. */
  public String refusal() {
    Watch watch = nodeWide;
    return watch == null ? null : watch.refusal;
  }

  /**
   * Starts watching a script's run on its held ranges; {@code refusal} is its BUSY text, {@code onAbort} stops it
   * (SHUTDOWN NOSAVE). {@code rangesRefuse}: false on a replica, whose master's stream must wait for the ranges
   * rather than be refused (Redis postpones its master's commands while a script is busy).
   */
  public Watch watch(RangeState[] held, boolean everyRange, boolean rangesRefuse, String refusal, Runnable onAbort) {
    Watch watch = new Watch(held, everyRange, rangesRefuse, refusal, onAbort);
    running.add(watch);
    return watch;
  }

  /** SHUTDOWN NOSAVE: every running script is stopped at its next hook (the node stops, as Redis's process exits). */
  public void abortAll() {
    for (Watch watch : running) watch.onAbort.run();
  }

  /** One script's run: busy once it passed the threshold, until it ends. */
  public final class Watch {
    private final RangeState[] held;
    private final boolean everyRange;
    private final boolean rangesRefuse;
    private final String refusal;
    private final Runnable onAbort;
    private final CompletableFuture<Void> busyOrEnded = new CompletableFuture<>();
    private boolean busy;
    private boolean ended;

    private Watch(RangeState[] held, boolean everyRange, boolean rangesRefuse, String refusal, Runnable onAbort) {
      this.held = held;
      this.everyRange = everyRange;
      this.rangesRefuse = rangesRefuse;
      this.refusal = refusal;
      this.onAbort = onAbort;
    }

    /** The script passed busy-reply-threshold (called from its own thread, as Redis's count hook notices it). */
    public void passedThreshold() {
      synchronized (this) {
        if (busy || ended) return;
        busy = true;
        if (everyRange) nodeWide = this;
        if (rangesRefuse) {
          for (RangeState state : held) {
            state.heldRefusal = refusal;
            refuseWaiting.accept(state.index());
          }
        }
      }
      busyOrEnded.complete(null);
    }

    /** The script ended: before its ranges are released, so they refuse nothing for it afterwards. */
    public void end() {
      synchronized (this) {
        if (ended) return;
        ended = true;
        if (busy) {
          if (nodeWide == this) nodeWide = null;
          for (RangeState state : held) state.heldRefusal = null;
        }
      }
      running.remove(this);
      busyOrEnded.complete(null);
    }

    public synchronized boolean busy() {
      return busy && !ended;
    }

    /**
     * Completes once the script is busy or has ended, or fails past the cross-actor deadline with {@code
     * errorText} (a KILL waits with it, since Redis reads a KILL only then).
     */
    public CompletionStage<Void> busyOrEnded(String errorText) {
      return deadlines == null ? busyOrEnded : deadlines.bound(busyOrEnded, () -> errorText);
    }
  }
}
