package org.akkaredis.replication;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * The WAITs a master has not answered yet. A WAIT asks for a number of replicas that acknowledged the whole
 * history as it was when it came; it is answered as soon as enough have, or when its timeout passes with the
 * number there is then. {@code R} is how an answer reaches its caller.
 */
final class WaitTable<R> {

  /** Answer {@code acked} to {@code caller}; {@code waitId} names its timer (-1: it has none). */
  record Answer<R>(long waitId, R caller, long acked) {}

  /** What a new WAIT needs: an answer now, or (when {@code answer} is null) a timer if {@code timeoutMs} > 0. */
  record Added<R>(Answer<R> answer, long waitId, long timeoutMs) {
    boolean needsTimer() {
      return answer == null && timeoutMs > 0;
    }
  }

  private record Pending<R>(long id, long target, int replicas, R caller) {}

  private final List<Pending<R>> pending = new ArrayList<>();
  private long nextId;

  /**
   * A WAIT for {@code replicas} replicas at offset {@code target}, of which {@code acked} have it already: answered
   * at once when enough have, or when it may not wait (a negative timeout); otherwise it waits (0: forever).
   */
  Added<R> add(int replicas, long timeoutMs, long target, long acked, R caller) {
    if (acked >= replicas || timeoutMs < 0) return new Added<>(new Answer<>(-1, caller, acked), -1, timeoutMs);
    Pending<R> wait = new Pending<>(nextId++, target, replicas, caller);
    pending.add(wait);
    return new Added<>(null, wait.id(), timeoutMs);
  }

  /** After an acknowledgement: the WAITs now satisfied, given how many replicas have each offset. */
  List<Answer<R>> satisfied(LongUnaryOperator ackedAt) {
    List<Answer<R>> answers = new ArrayList<>();
    for (Iterator<Pending<R>> it = pending.iterator(); it.hasNext(); ) {
      Pending<R> wait = it.next();
      long acked = ackedAt.applyAsLong(wait.target());
      if (acked >= wait.replicas()) {
        it.remove();
        answers.add(new Answer<>(wait.id(), wait.caller(), acked));
      }
    }
    return answers;
  }

  /** The answer of a WAIT whose timeout passed: however many replicas have its offset now (null: answered already). */
  Answer<R> timedOut(long waitId, LongUnaryOperator ackedAt) {
    for (Iterator<Pending<R>> it = pending.iterator(); it.hasNext(); ) {
      Pending<R> wait = it.next();
      if (wait.id() == waitId) {
        it.remove();
        return new Answer<>(wait.id(), wait.caller(), ackedAt.applyAsLong(wait.target()));
      }
    }
    return null;
  }

  /**
   * The answers of every WAIT still waiting, when they can wait no longer (the source stops): however many replicas
   * have each one's offset now, as a timeout would answer.
   */
  List<Answer<R>> drain(LongUnaryOperator ackedAt) {
    List<Answer<R>> answers = new ArrayList<>();
    for (Pending<R> wait : pending) answers.add(new Answer<>(wait.id(), wait.caller(), ackedAt.applyAsLong(wait.target())));
    pending.clear();
    return answers;
  }

  int size() {
    return pending.size();
  }
}
