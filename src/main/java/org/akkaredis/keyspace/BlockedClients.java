package org.akkaredis.keyspace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * The clients blocked (BLPOP, BZPOPMIN, ...) on keys of one slot range: a FIFO queue per key, and the keys that
 * became ready since the last serving. A key becomes ready when a value is stored under it; the range then serves
 * its queue in blocking order while the key has something to give ({@link #serveReady}). Timeouts, disconnected
 * clients and slots this node stopped serving are handled on the range's periodic tick ({@link #expire}).
 * A client blocked on keys of several ranges (standalone mode) waits in each; the first to serve it claims it.
 *
 * <p>Clients are registered by the holder of the range ({@link #block}), which may run on another thread than the
 * range's actor; a range stopped while held ends its clients ({@link #endAll}) on its own thread meanwhile. The two
 * exclude each other, and a client registered after the end is answered at once: none is left in a dead range.
 */
public final class BlockedClients {
  private UnaryOperator<CompletionStage<Void>> syncDeadline = UnaryOperator.identity();

  /** One blocked command. Subclasses say what serving means; a client is served, timed out or dropped once. */
  public abstract static class Client {
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Absolute unix ms, or 0 to wait forever. */
    final long deadline;
    final int slot;

    protected Client(long deadline, int slot) {
      this.deadline = deadline;
      this.slot = slot;
    }

    /** Whether the key's current value is something this client can take (right type, not empty). */
    protected abstract boolean canServe(Entry entry);

    /**
     * The error that ends the wait when the key no longer holds what the client waits on ({@code entry} null: the key
     * is gone): a blocked XREADGROUP whose stream or group went; null to keep waiting, as the pops do.
     */
    protected String refusal(Entry entry) {
      return null;
    }

    /** Takes from the key and answers the client; called once, after {@link #canServe} and a successful claim. */
    protected abstract void serve(Db db, Key key);

    /**
     * Called after the effects of the serving reached the sink: a client whose answer must not overtake them
     * (a WAIT after it would miss them) answers here rather than in {@link #serve}. {@code error} is null, or the
     * error reply's text when the sink failed or did not confirm them in time (appendfsync always): the value was
     * taken, but it is not known to be on disk, so the client is not told it succeeded.
     */
    protected void answer(String error) {}

    /**
     * True when serving only woke the client, which takes from the key later through its own ranges (a BLMOVE
     * whose destination lies in another range): the key's later waiters wait until it has taken or declined,
     * so that they are not served before it. It gives the key back with {@link BlockedClients#signal}.
     */
    protected boolean takesLater() {
      return false;
    }

    /** Answers the client without a value (timeout) or with a refusal (the slot moved): an error text or null. */
    protected abstract void finish(String error);

    /** True once the client's connection is gone. */
    protected abstract boolean disconnected();

    /**
     * Ends the wait from outside the ranges (CLIENT UNBLOCK): answers as a timeout would (null error) or with the
     * error; false if the client was already served, timed out or unblocked. The ranges drop it from their
     * queues lazily, as any finished client.
     */
    public boolean unblock(String error) {
      if (!claim()) return false;
      finish(error);
      return true;
    }

    /** Makes this client finished; false if another range (or the timeout) finished it first. */
    public boolean claim() {
      return finished.compareAndSet(false, true);
    }

    public boolean finished() {
      return finished.get();
    }

    public long deadline() {
      return deadline;
    }
  }

  private record Waiting(int db, Key key) {}

  private final Map<Waiting, ArrayDeque<Client>> queues = new HashMap<>();
  private final LinkedHashSet<Waiting> ready = new LinkedHashSet<>();
  /** The answer of every client once the range has stopped ({@link #endAll}); null while it runs. */
  private String ended;

  /**
   * Blocks a client on keys of this range (in database {@code db}); once the range has stopped, the client is
   * answered with the stop's error instead.
   */
  public void block(Client client, int db, List<Key> keys) {
    String refusal;
    synchronized (this) {
      refusal = ended;
      if (refusal == null) {
        for (Key key : keys) queues.computeIfAbsent(new Waiting(db, key), k -> new ArrayDeque<>()).add(client);
        return;
      }
    }
    client.unblock(refusal);
  }

  /** Called for every value stored under a key: a key somebody waits for becomes ready. */
  void stored(int db, Key key) {
    if (queues.isEmpty()) return;
    Waiting waiting = new Waiting(db, key);
    synchronized (this) {
      if (queues.containsKey(waiting)) ready.add(waiting);
    }
  }

  /** Every key of database {@code db} somebody waits for that is now stored becomes ready (the db was swapped). */
  synchronized void storedWhere(int db, java.util.function.Predicate<Key> stored) {
    for (Waiting waiting : queues.keySet()) {
      if (waiting.db() == db && stored.test(waiting.key())) ready.add(waiting);
    }
  }

  /**
   * Makes a key ready again if somebody waits for it: after a woken client ({@link Client#takesLater}) took from
   * it or declined, what is left goes to the next waiters when the range next serves.
   */
  public void signal(int db, Key key) {
    stored(db, key);
  }

  public boolean hasReadyKeys() {
    return !ready.isEmpty();
  }

  /** Clients still waiting in this range (a client on two keys counts twice); for tests and INFO. */
  public int waiting() {
    int n = 0;
    for (ArrayDeque<Client> queue : queues.values()) {
      for (Client c : queue) if (!c.finished()) n++;
    }
    return n;
  }

  /**
   * Serves the clients waiting on ready keys, oldest first, while each key has something to give. Serving may
   * make other keys ready (BLMOVE pushes); they are served in the same call.
   */
  public void serveReady(RangeState state) {
    List<Client> served = new ArrayList<>();
    while (!ready.isEmpty()) {
      Iterator<Waiting> first = ready.iterator();
      Waiting waiting = first.next();
      first.remove();
      ArrayDeque<Client> queue = queues.get(waiting);
      if (queue == null) continue;
      Db db = state.db(waiting.db());
      for (Iterator<Client> it = queue.iterator(); it.hasNext(); ) {
        Client client = it.next();
        if (client.finished()) {
          it.remove();
          continue;
        }
        Entry entry = db.peek(waiting.key());
        if (entry == null || !client.canServe(entry)) {
          String refusal = client.refusal(entry);
          if (refusal != null && !client.disconnected() && client.claim()) {
            it.remove();
            client.finish(refusal);
          }
          continue;
        }
        if (client.disconnected() || !client.claim()) continue;
        it.remove();
        client.serve(db, waiting.key());
        served.add(client);
        if (client.takesLater()) break;
      }
      if (queue.isEmpty()) queues.remove(waiting);
    }
    if (served.isEmpty()) return;
    CompletionStage<Void> synced = state.flushEffects();
    if (synced == null) served.forEach(client -> client.answer(null));
    else syncDeadline.apply(synced).whenComplete((ok, failure) -> {
      String error = failure == null ? null : Deadlines.replyText(failure);
      served.forEach(client -> client.answer(error));
    });
  }

  /**
   * How long served clients wait for their effects' sync: the range sets its cross-actor deadline
   * ({@link SlotRange}); unbounded only where no actor runs the range (unit tests).
   */
  public void boundSyncs(UnaryOperator<CompletionStage<Void>> deadline) {
    this.syncDeadline = deadline;
  }

  /**
   * The range stops: every client still waiting here, and any registered later, is answered with {@code error}
   * (outside the lock: an answer may run the client's next step).
   */
  public void endAll(String error) {
    List<Client> waiting = new ArrayList<>();
    synchronized (this) {
      ended = error;
      for (ArrayDeque<Client> queue : queues.values()) waiting.addAll(queue);
      queues.clear();
      ready.clear();
    }
    for (Client client : waiting) client.unblock(error);
  }

  /**
   * The periodic check: clients past their deadline get their timeout answer, clients whose slot this node no
   * longer serves get the redirection, disconnected clients are dropped; finished ones leave the queues.
   */
  public void expire(RangeState state) {
    if (queues.isEmpty()) return;
    long now = state.now();
    SlotRouting routing = state.routing();
    List<Client> timedOut = new ArrayList<>();
    for (Iterator<ArrayDeque<Client>> queuesLeft = queues.values().iterator(); queuesLeft.hasNext(); ) {
      ArrayDeque<Client> queue = queuesLeft.next();
      for (Iterator<Client> it = queue.iterator(); it.hasNext(); ) {
        Client client = it.next();
        // As Redis's clusterRedirectBlockedClientIfNeeded: a client waits on in a slot still owned or being imported.
        String refusal = client.slot >= 0
            ? routing.refusal(client.slot, SlotRouting.WRITE | SlotRouting.ASKING, null) : null;
        boolean late = client.deadline > 0 && client.deadline <= now;
        if (!client.finished() && (late || refusal != null || client.disconnected()) && client.claim()) {
          // A disconnected client is answered too: its connection ends once its command does.
          if (refusal != null) client.finish(refusal);
          else timedOut.add(client);
        }
        if (client.finished()) it.remove();
      }
      if (queue.isEmpty()) queuesLeft.remove();
    }
    for (Client client : timedOut) client.finish(null);
  }
}
