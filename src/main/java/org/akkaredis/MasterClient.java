package org.akkaredis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.akkaredis.command.CommandDispatcher;
import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.replication.Applier;
import org.akkaredis.resp.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's master client (Redis's CLIENT_MASTER): what the master sends runs through the ordinary command
 * path as the commands of two sessions that record no effects and are never redirected. During an async load
 * (repl-diskless-load swapdb) both sessions work on the ranges' loading databases, which clients never see, until
 * the snapshot is whole and every range swaps them in at once (all ranges held), or the sync fails and they are
 * dropped.
 */
final class MasterClient implements Applier {
  private static final Logger LOG = LoggerFactory.getLogger(MasterClient.class);
  private static final byte[][] FLUSHALL = {"FLUSHALL".getBytes()};
  private static final byte[][] BGREWRITEAOF = {"BGREWRITEAOF".getBytes()};

  /** Made after the node's context, which needs replication first. */
  private final Supplier<CommandDispatcher> dispatcher;
  private final KeyspaceAccess keyspace;
  private final Settings settings;
  private final Session snapshot;
  private final Session stream;
  private final AtomicLong errors = new AtomicLong();

  MasterClient(Supplier<CommandDispatcher> dispatcher, KeyspaceAccess keyspace, Settings settings) {
    this.dispatcher = dispatcher;
    this.keyspace = keyspace;
    this.settings = settings;
    this.snapshot = Session.applier("master", settings);
    snapshot.loadsSnapshot = true;
    this.stream = Session.applier("master", settings);
    stream.inMasterOrder = true;
  }

  @Override public CompletionStage<Void> apply(Channel channel, List<byte[][]> commands) {
    return dispatcher.get().run(channel == Channel.SNAPSHOT ? snapshot : stream, commands).thenAccept(done -> {
      for (Reply reply : done.replies()) {
        // A master's command never fails on a faithful replica; say so loudly, as Redis does, but go on.
        if (reply instanceof Reply.Error error && errors.getAndIncrement() < 10) {
          LOG.warn("== CRITICAL == This replica is sending an error to its master: '{}'", error.text());
        }
      }
    });
  }

  @Override public CompletionStage<Void> restart(int db) {
    base(0, 0, db);
    return dispatcher.get().run(snapshot, List.<byte[][]>of(FLUSHALL)).thenAccept(done -> { });
  }

  @Override public CompletionStage<Void> restartAside(int db) {
    // The loading databases are numbered after the ranges' own (one in cluster mode, databases standalone).
    int[] visible = new int[1];
    return onAllRanges(state -> {
      state.loadAside();
      visible[0] = state.databases();
    }).thenRun(() -> base(visible[0], 0, db));
  }

  @Override public CompletionStage<Void> swapIn() {
    int loadingDb = stream.db - stream.dbBase;
    return onAllRanges(RangeState::swapInLoaded).thenCompose(done -> {
      base(0, 0, loadingDb);
      LOG.info("MASTER <-> REPLICA sync: Swapping the loaded data in place of the old one");
      // The loaded keys reached no AOF (Redis stops it during a load and rewrites it after): a rewrite writes them.
      if (!"yes".equals(settings.rawValue("appendonly"))) return CompletableFuture.<Void>completedFuture(null);
      return dispatcher.get().run(snapshot, List.<byte[][]>of(BGREWRITEAOF)).thenAccept(replies -> { });
    });
  }

  @Override public CompletionStage<Void> dropAside() {
    return onAllRanges(RangeState::dropLoaded).thenRun(() -> {
      base(0, 0, 0);
      LOG.info("MASTER <-> REPLICA sync: Discarding the partly loaded data, the old data stays");
    });
  }

  /** Both sessions count their databases from {@code base}, the snapshot's in db {@code snapshotDb}. */
  private void base(int base, int snapshotDb, int streamDb) {
    snapshot.dbBase = base;
    snapshot.db = base + snapshotDb;
    stream.dbBase = base;
    stream.db = base + streamDb;
  }

  /** Runs {@code work} on every range at once: clients see the data before it or after it, never between. */
  private CompletionStage<Void> onAllRanges(Consumer<RangeState> work) {
    int[] all = IntStream.range(0, keyspace.rangeCount()).toArray();
    return keyspace.holding(all, held -> {
      for (RangeState state : held) work.accept(state);
      return CompletableFuture.completedFuture(null);
    });
  }
}
