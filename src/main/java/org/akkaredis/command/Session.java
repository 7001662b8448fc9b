package org.akkaredis.command;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.BlockedClients;
import org.akkaredis.keyspace.WatchToken;
import org.akkaredis.pubsub.PubSub;
import org.akkaredis.pubsub.Subscriber;

/**
 * The state of one client connection. Only the connection's own processing touches it (one batch at a time);
 * CLIENT LIST and CLIENT KILL from other connections only read it or flag it to close.
 */
public final class Session {
  public final long id;
  public final String addr;
  public final String laddr;
  public final long createdAtMs;
  /** The node's settings: SELECT, AUTH, HELLO and the like read them without leaving the connection. */
  public final Settings settings;

  public volatile int protocol = 2;
  public volatile int db;
  public volatile String name = "";
  public volatile boolean authenticated;
  public volatile String libName = "";
  public volatile String libVer = "";
  public volatile boolean readonly;
  /** Set by ASKING; see {@link #askingFor}. */
  public volatile boolean asking;
  /** The command that ran with {@link #asking} set (not ASKING itself), or null: the flag ends after it. */
  private byte[][] askingSpentBy;
  public volatile boolean noEvict;
  public volatile long lastInteractionMs;
  public volatile String lastCommand = "NULL";
  public volatile int queryBuffer;
  /** Bytes allocated for the query buffer (CLIENT LIST qbuf-free is what of it is unused). */
  public volatile int queryBufferAllocated;
  /** The socket's file descriptor once CLIENT LIST found it; -1 before it looked, -2 where it cannot be found. */
  public volatile int fd = -1;
  /** Set by QUIT and CLIENT KILL: the connection closes once the replies so far are written. */
  public volatile boolean closeRequested;
  /** Set when the client's side of the connection is gone, even while a command (BLPOP) still runs for it. */
  public volatile boolean disconnected;
  /** Waiting in a blocking command (BLPOP ...): INFO's blocked_clients, CLIENT LIST's 'b'. */
  public volatile boolean blocked;
  /** CLIENT REPLY OFF: no reply is written until CLIENT REPLY ON. */
  public volatile boolean replyOff;
  /** CLIENT REPLY SKIP was the last command: the next command's reply is not written. */
  public volatile boolean replySkipNext;
  /** When (System.nanoTime) the client last blocked: a blocked command's run time ends there (slow log). */
  public volatile long blockedAtNanos;
  /** The blocking command it waits in, while it waits (CLIENT UNBLOCK). */
  public volatile BlockedClients.Client blockedIn;

  /**
   * This is the node's own applier (a replica's link to its master, the start-up load): its commands record
   * effects for the AOF only (a replica's replication history is its master's), ignore slot routing (a replica
   * applies writes to its master's slots) and still see expired keys.
   */
  public boolean replicationApplier;
  /**
   * The session loads a snapshot (a replica's full sync, DEBUG RELOAD): its commands publish no keyspace events, as
   * Redis loads an RDB.
   */
  public boolean loadsSnapshot;
  /**
   * The session applies a master's stream (a replica's master client): its keyed commands run strictly in the order
   * they came, across ranges too, as Redis's replica applies them, rather than each range's at the same time.
   */
  public boolean inMasterOrder;
  /** The session runs a command a script called (Redis's CLIENT_SCRIPT): XREAD BLOCK refused, SORT BY constant sorted. */
  public boolean scriptClient;

  /**
   * 0, or for a replica's master client during an async load (repl-diskless-load swapdb) the number of the first
   * loading database: {@link #db} and SELECT count from it, so the master's data goes aside until it is whole.
   */
  public volatile int dbBase;

  /** This client sent SYNC: a replica (CLIENT LIST's 'S'), whose connection carries the replication stream. */
  public volatile boolean replica;
  /** Set by SYNC, taken by the connection once SYNC's read is answered: the stream its bytes come from. */
  public Source<ByteString, NotUsed> replicaStream;
  /** Where a replica's REPLCONF ACK offsets go (set by SYNC). */
  public java.util.function.LongConsumer replicaAcks;
  /** The registry this client monitors in (MONITOR), else null: CLIENT LIST's 'O'. */
  public volatile Monitors monitoring;
  /** Where the node sends this client what it did not ask for (its connection's push channel); null without one. */
  public volatile PushTarget pushes;
  /**
   * The number of the batch of commands the connection runs now (counted from 1): a push that must come after the
   * replies of this batch waits for the batch's output ({@link PushTarget#holdUntilRepliesSent}).
   */
  public volatile long batch;
  /** The client's channel and pattern subscriptions, from its first (P)SUBSCRIBE on; else null. */
  private volatile Subscriber subscriber;

  /**
   * The connection's output queue (server.OutputQueue), as CLIENT LIST shows it: obl (the bytes of the socket
   * write under way), oll (replies waiting behind it) and omem (their bytes).
   */
  public volatile int outputBufferLength;
  public volatile int outputListLength;
  public volatile long outputMemory;
  /** The connection's reply buffer (server.ReplyBuffer), as CLIENT LIST shows it: rbs (its size) and rbp (its peak). */
  public volatile int replyBufferSize;
  public volatile int replyBufferPeak;

  /** Commands queued since MULTI, or null outside a transaction. */
  public List<byte[][]> multiQueue;
  /** A command was refused while queueing: EXEC answers EXECABORT. */
  public boolean multiFailed;
  /** The queue EXEC is running, until its last command is done; else null. Read by CLIENT LIST. */
  volatile List<byte[][]> executing;
  /** EXEC's own arguments while it runs its queue: the client's argv-mem then (Redis keeps EXEC's). */
  volatile byte[][] execArgs;
  public WatchToken watch;
  public int watchedKeys;
  /** While EXEC runs its queue: what waits for the transaction's end (DEBUG SLEEP's wake-up); else null. */
  List<Runnable> atExecEnd;

  /**
   * A session of the node's own that applies commands (a replica's master client, the start-up load): already
   * authenticated, never redirected, recording effects only for the AOF.
   */
  public static Session applier(String name, Settings settings) {
    Session session = new Session(-1, name, "", System.currentTimeMillis(), settings);
    session.replicationApplier = true;
    session.authenticated = true;
    return session;
  }

  public Session(long id, String addr, String laddr, long createdAtMs, Settings settings) {
    this.id = id;
    this.addr = addr;
    this.laddr = laddr;
    this.createdAtMs = createdAtMs;
    this.settings = settings;
    this.authenticated = settings.requirepass().isEmpty();
    this.lastInteractionMs = createdAtMs;
  }

  /**
   * Whether {@code command} runs with ASKING; called before each command. As Redis's resetClient, the flag ends
   * once a command other than ASKING ran, unless the client is then inside MULTI (a transaction keeps it up to
   * its EXEC). The same command given again (a run held back by a pause) keeps it.
   */
  /** ASKING: the next command (or the next transaction) may use a slot this node imports. */
  public void ask() {
    askingSpentBy = null;
    asking = true;
  }

  public boolean askingFor(byte[][] command) {
    if (!asking) return false;
    if (askingSpentBy != null && askingSpentBy != command && !inMulti()) {
      asking = false;
      askingSpentBy = null;
      return false;
    }
    if (!Args.is(command[0], "asking")) askingSpentBy = command;
    return true;
  }

  public boolean inMulti() {
    return multiQueue != null;
  }

  /** EXEC will fail whatever is queued next: a command was refused while queueing, or a watched key changed. */
  boolean multiDoomed() {
    return multiFailed || watch != null && watch.dirty();
  }

  /** The commands of this client's transaction, queued or being executed by EXEC; null outside one. */
  List<byte[][]> transaction() {
    List<byte[][]> queued = multiQueue;
    return queued != null ? queued : executing;
  }

  public void beginMulti() {
    multiQueue = new ArrayList<>();
    multiFailed = false;
  }

  public void endMulti() {
    multiQueue = null;
    multiFailed = false;
    unwatch();
  }

  /**
   * Runs {@code action} when the command now running is over: at once, or inside EXEC once the whole transaction
   * is (Redis runs a transaction in one go, nothing else in between).
   */
  void whenCommandEnds(Runnable action) {
    if (atExecEnd != null) atExecEnd.add(action);
    else action.run();
  }

  public void unwatch() {
    if (watch != null) watch.close();
    watch = null;
    watchedKeys = 0;
  }

  /** The client's subscriptions in {@code registry}, made empty on first use; its messages go to {@link #pushes}. */
  public Subscriber subscriber(PubSub registry) {
    Subscriber s = subscriber;
    if (s == null) {
      s = registry.subscriber(() -> protocol, frame -> {
        PushTarget target = pushes;
        if (target != null) target.push(frame);
      });
      subscriber = s;
    }
    return s;
  }

  /** The client's subscriptions, or null before its first (P)SUBSCRIBE. */
  public Subscriber subscriptions() {
    return subscriber;
  }

  /** Redis's CLIENT_PUBSUB: the client holds a subscription (RESP2 then allows only the pub/sub commands). */
  public boolean subscribed() {
    Subscriber s = subscriber;
    return s != null && s.subscribed();
  }

  /** RESET, or the connection closed: the client's subscriptions end. */
  public void leavePubSub() {
    Subscriber s = subscriber;
    if (s != null) s.leave();
  }

  /** Client flags as CLIENT LIST prints them. */
  public String flags() {
    StringBuilder flags = new StringBuilder();
    if (monitoring != null) flags.append('O');
    else if (replica) flags.append('S');
    if (subscribed()) flags.append('P');
    if (transaction() != null) flags.append('x');
    if (blocked) flags.append('b');
    WatchToken watching = watch;
    // Redis's CLIENT_DIRTY_CAS: a watched key changed, so the next EXEC fails.
    if (watching != null && watching.dirty()) flags.append('d');
    if (readonly) flags.append('r');
    if (noEvict) flags.append('e');
    return flags.length() == 0 ? "N" : flags.toString();
  }
}
