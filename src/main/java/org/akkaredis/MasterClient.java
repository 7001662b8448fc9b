package org.akkaredis;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.akkaredis.command.CommandDispatcher;
import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;
import org.akkaredis.replication.Applier;
import org.akkaredis.resp.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's master client (Redis's CLIENT_MASTER): what the master sends runs through the ordinary command
 * path as the commands of two sessions that record no effects and are never redirected.
 */
final class MasterClient implements Applier {
  private static final Logger LOG = LoggerFactory.getLogger(MasterClient.class);
  private static final byte[][] FLUSHALL = {"FLUSHALL".getBytes()};

  /** Made after the node's context, which needs replication first. */
  private final Supplier<CommandDispatcher> dispatcher;
  private final Session snapshot;
  private final Session stream;
  private final AtomicLong errors = new AtomicLong();

  MasterClient(Supplier<CommandDispatcher> dispatcher, Settings settings) {
    this.dispatcher = dispatcher;
    this.snapshot = Session.applier("master", settings);
    this.stream = Session.applier("master", settings);
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
    snapshot.db = 0;
    stream.db = db;
    return dispatcher.get().run(snapshot, List.<byte[][]>of(FLUSHALL)).thenAccept(done -> { });
  }
}
