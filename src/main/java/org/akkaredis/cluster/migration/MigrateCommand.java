package org.akkaredis.cluster.migration;

import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import akka.util.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.akkaredis.cluster.migration.TargetConnection.FailureKind;
import org.akkaredis.cluster.migration.TargetConnection.LinkFailure;
import org.akkaredis.command.Args;
import org.akkaredis.command.CommandRunner;
import org.akkaredis.command.CommandSpec;
import org.akkaredis.command.CommandTable;
import org.akkaredis.command.Handler;
import org.akkaredis.command.NodeContext;
import org.akkaredis.command.Session;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.keyspace.SpanningDb;
import org.akkaredis.persistence.DumpPayload;
import org.akkaredis.resp.Reply;

/**
 * MIGRATE (Redis 7.0's migrateCommand): moves keys to another Redis, a node or a redis-server, over a cached
 * connection ({@link SocketCache}, {@link TargetConnection}). The keys' slot ranges are held from the lookup until
 * the target has answered (or the timeout has passed), so no other client changes a key between its DUMP and its
 * deletion: a write acknowledged meanwhile would be lost. Only those ranges wait; the rest of the node serves on.
 * A key is deleted only once the target acknowledged its RESTORE (not with COPY), and the deletes reach the replicas
 * and the AOF as one DEL, as Redis rewrites MIGRATE. Like Redis, a connection that failed before any key was
 * acknowledged is retried once on a new connection, unless the failure was the timeout.
 */
public final class MigrateCommand {
  static final Reply NOKEY = Reply.simple("NOKEY");
  static final Reply CONNECT_ERROR = Reply.error("IOERR error or timeout connecting to the client");
  static final Reply WRITE_ERROR = Reply.error("IOERR error or timeout writing to target instance");
  static final Reply READ_ERROR = Reply.error("IOERR error or timeout reading to target instance");
  private static final byte[] DEL = Args.bytes("DEL");
  static final long LONGEST_TIMEOUT_MS = Duration.ofDays(200).toMillis();

  private final ActorSystem<?> system;
  private final SocketCache<TargetConnection> sockets;

  /** {@code system} runs the connections; null only for a table that never runs MIGRATE (its metadata tests). */
  public MigrateCommand(ActorSystem<?> system, SocketCache<TargetConnection> sockets) {
    this.system = system;
    this.sockets = sockets;
  }

  /**
   * MIGRATE of a running node: its connection cache, swept every second as Redis's serverCron does, and closed
   * with the system.
   */
  public static MigrateCommand start(ActorSystem<?> system) {
    SocketCache<TargetConnection> sockets = new SocketCache<>(System::currentTimeMillis, new Random());
    Cancellable sweep = system.scheduler().scheduleAtFixedRate(Duration.ofSeconds(1), Duration.ofSeconds(1),
        sockets::sweep, system.executionContext());
    system.getWhenTerminated().thenRun(() -> {
      sweep.cancel();
      sockets.closeAll();
    });
    return new MigrateCommand(system, sockets);
  }

  public void register(CommandTable.Builder b) {
    b.handle("migrate", (Handler.OfNode) this::run);
  }

  /** INFO's migrate_cached_sockets. */
  public int cachedSockets() {
    return sockets == null ? 0 : sockets.size();
  }

  private CompletionStage<Reply> run(NodeContext ctx, Session session, byte[][] a) {
    KeyspaceAccess keyspace = ctx.keyspace();
    // Redirected before anything else, as Redis's getNodeByQuery does: one slot, served here.
    CommandSpec spec = ctx.commands().lookup(a[0]);
    CommandRunner.KeyPlacement placement = CommandRunner.place(spec, a, keyspace);
    // MIGRATE works on the keys here whatever state the slot is in (CommandRunner.query: Redis's getNodeByQuery).
    Reply refusal = CommandRunner.slotRefusal(placement, keyspace, session,
        CommandRunner.query(spec, session, session.asking));
    if (refusal != null) return done(refusal);
    Object parsed = MigrateArgs.parse(a);
    if (parsed instanceof Reply error) return done(error);
    MigrateArgs args = (MigrateArgs) parsed;
    if (args.keyCount() == 0) return done(NOKEY);
    boolean cluster = keyspace.routing().clusterEnabled();
    int dbIndex = session.db;
    return keyspace.holding(placement.ranges(), held -> {
      Db db = new SpanningDb(held, keyspace.rangeCount(), dbIndex);
      List<Key> found = new ArrayList<>();
      List<MigrateExchange.KeyPayload> payloads = new ArrayList<>();
      for (int j = 0; j < args.keyCount(); j++) {
        byte[] name = a[args.firstKey() + j];
        Key key = new Key(name);
        Entry entry = db.lookup(key);
        if (entry == null) continue;
        long ttl = MigrateExchange.ttlOf(entry.expireAt(), db.now());
        if (ttl < 0) continue;
        found.add(key);
        payloads.add(new MigrateExchange.KeyPayload(name, ttl, DumpPayload.of(entry.value)));
      }
      if (found.isEmpty()) return done(NOKEY);
      return new Migration(args, db, found, payloads, cluster).attempt(true);
    });
  }

  /** One MIGRATE under way on its held ranges. */
  private final class Migration {
    private final MigrateArgs args;
    private final Db db;
    private final List<Key> keys;
    private final List<MigrateExchange.KeyPayload> payloads;
    private final boolean cluster;
    private final Duration timeout;

    Migration(MigrateArgs args, Db db, List<Key> keys, List<MigrateExchange.KeyPayload> payloads, boolean cluster) {
      this.args = args;
      this.db = db;
      this.keys = keys;
      this.payloads = payloads;
      this.cluster = cluster;
      // The scheduler takes delays of up to about 248 days; a longer timeout is as good as none, as in Redis.
      this.timeout = Duration.ofMillis(Math.min(args.timeoutMs(), LONGEST_TIMEOUT_MS));
    }

    /** Redis's try_again: a connection (cached or new), the request, the replies. */
    CompletionStage<Reply> attempt(boolean mayRetry) {
      SocketCache.Lease<TargetConnection> cached = sockets.borrow(args.target());
      if (cached != null) return exchange(cached, mayRetry);
      return TargetConnection.open(system, args.host(), args.port(), timeout).handle((connection, failure) -> {
        if (failure == null) return exchange(sockets.add(args.target(), connection), mayRetry);
        LinkFailure link = linkFailure(failure);
        if (link.kind == FailureKind.CONNECT) return done(CONNECT_ERROR);
        // Refused: Redis's non-blocking connect went through and the write after it failed.
        return socketError(null, link, true, mayRetry);
      }).thenCompose(reply -> reply);
    }

    /**
     * Writes the request and reads the replies. The reads are asked for at once, beside the write (the replies can
     * only follow it), which saves a round of the stream's hand-overs per MIGRATE; a failed write still decides the
     * reply, as in Redis, where nothing is read after a failed write.
     */
    private CompletionStage<Reply> exchange(SocketCache.Lease<TargetConnection> lease, boolean mayRetry) {
      TargetConnection connection = lease.connection;
      boolean select = lease.lastDb != args.db();
      ByteString request = MigrateExchange.request(args, select, cluster, payloads);
      Replies replies = new Replies(payloads.size());
      CompletableFuture<Throwable> written = connection.write(request, timeout).toCompletableFuture()
          .handle((done, failure) -> {
            // Nothing else will come: the reads end at once instead of at their timeout.
            if (failure != null) connection.close();
            return failure;
          });
      CompletionStage<Void> head = CompletableFuture.completedFuture(null);
      if (args.password() != null) {
        head = head.thenCompose(x -> connection.readLine(timeout).thenAccept(line -> replies.authLine = line));
      }
      if (select) {
        head = head.thenCompose(x -> connection.readLine(timeout).thenAccept(line -> replies.selectLine = line));
      }
      CompletableFuture<Replies> read = head.handle((done, headFailure) -> {
        replies.headFailure = headFailure;
        return replies;
      }).thenCompose(r -> {
        if (r.headFailure != null) return CompletableFuture.completedFuture(r);
        CompletableFuture<Void> allRead = new CompletableFuture<>();
        readKeyLines(connection, r.keyLines, allRead);
        return allRead.handle((done, keyFailure) -> {
          r.keyFailure = keyFailure;
          return r;
        });
      }).toCompletableFuture();
      return written.thenCombine(read, (writeFailure, r) -> {
        if (writeFailure != null) return socketError(lease, linkFailure(writeFailure), true, mayRetry);
        if (r.headFailure != null) return socketError(lease, linkFailure(r.headFailure), false, mayRetry);
        return finish(lease, r.authLine, r.selectLine, r.keyLines,
            r.keyFailure == null ? null : linkFailure(r.keyFailure), mayRetry);
      }).thenCompose(reply -> reply);
    }

    /** Reads a reply line per key into {@code lines}; a loop, not a recursion, over lines already received. */
    private void readKeyLines(TargetConnection connection, List<String> lines, CompletableFuture<Void> allRead) {
      while (lines.size() < payloads.size()) {
        CompletableFuture<String> next = connection.readLine(timeout).toCompletableFuture();
        if (next.isDone() && !next.isCompletedExceptionally()) {
          lines.add(next.join());
          continue;
        }
        next.whenComplete((line, failure) -> {
          if (failure != null) {
            allRead.completeExceptionally(failure);
          } else {
            lines.add(line);
            readKeyLines(connection, lines, allRead);
          }
        });
        return;
      }
      allRead.complete(null);
    }

    /** The replies are in (or the connection failed on the way): deletes what was acknowledged, then answers. */
    private CompletionStage<Reply> finish(SocketCache.Lease<TargetConnection> lease, String authLine,
        String selectLine, List<String> keyLines, LinkFailure failure, boolean mayRetry) {
      MigrateExchange.Verdict verdict = MigrateExchange.judge(authLine, selectLine, keyLines, payloads.size());
      boolean socketError = failure != null;
      // Nothing was acknowledged and the connection broke: a cached one the target had closed, most likely.
      if (verdict.error() == null && socketError && keyLines.isEmpty() && mayRetry
          && failure.kind != FailureKind.TIMEOUT) {
        sockets.discard(lease);
        return attempt(false);
      }
      if (socketError) sockets.discard(lease);
      if (!args.copy()) deleteAcknowledged(verdict.acknowledged());
      if (verdict.error() == null && socketError) return done(READ_ERROR);
      if (verdict.error() == null) {
        lease.lastDb = args.db();
        sockets.giveBack(lease);
        return done(Reply.OK);
      }
      // After an error the target's database is not known any more: the next MIGRATE selects it again.
      lease.lastDb = -1;
      if (!socketError) sockets.giveBack(lease);
      return done(Reply.error(verdict.replyText()));
    }

    private void deleteAcknowledged(boolean[] acknowledged) {
      List<byte[]> deleted = new ArrayList<>();
      deleted.add(DEL);
      for (int j = 0; j < acknowledged.length; j++) {
        if (acknowledged[j] && db.delete(keys.get(j))) {
          deleted.add(keys.get(j).bytes());
          db.notify(KeyspaceEvents.GENERIC, "del", keys.get(j).bytes());
        }
      }
      if (deleted.size() > 1) db.effect(deleted.toArray(byte[][]::new));
    }

    /** Redis's socket_err: the connection is closed; one retry unless this was the retry or a timeout. */
    private CompletionStage<Reply> socketError(SocketCache.Lease<TargetConnection> lease, LinkFailure failure,
        boolean writing, boolean mayRetry) {
      if (lease != null) sockets.discard(lease);
      if (failure.kind != FailureKind.TIMEOUT && mayRetry) return attempt(false);
      return done(writing ? WRITE_ERROR : READ_ERROR);
    }
  }

  /** What the target answered to one exchange, and where reading it failed. */
  private static final class Replies {
    String authLine;
    String selectLine;
    final List<String> keyLines;
    Throwable headFailure;
    Throwable keyFailure;

    Replies(int keys) {
      keyLines = new ArrayList<>(keys);
    }
  }

  private static LinkFailure linkFailure(Throwable failure) {
    Throwable e = failure;
    while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
    if (e instanceof LinkFailure link) return link;
    return new LinkFailure(FailureKind.BROKEN, String.valueOf(e.getMessage()));
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
