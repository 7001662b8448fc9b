package org.akkaredis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.command.CommandDispatcher;
import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;
import org.akkaredis.persistence.DataLoader;
import org.akkaredis.resp.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client that loads the data at start (Redis's AOF fake client): the loaded commands run through the
 * ordinary command path in batches, as one session that records no effects and is never redirected. Used from
 * the loading thread, which waits for each batch.
 */
final class LoadingClient implements DataLoader.Commands {
  private static final Logger LOG = LoggerFactory.getLogger(LoadingClient.class);
  private static final int BATCH = 1024;

  private final CommandDispatcher dispatcher;
  private final Session session;
  private final AtomicLong errors = new AtomicLong();
  private List<byte[][]> batch = new ArrayList<>(BATCH);

  LoadingClient(CommandDispatcher dispatcher, Settings settings) {
    this.dispatcher = dispatcher;
    this.session = Session.applier("loader", settings);
  }

  @Override public void command(byte[][] args) {
    batch.add(args);
    if (batch.size() >= BATCH) flush();
  }

  /** Runs what is buffered and waits for it. */
  void flush() {
    if (batch.isEmpty()) return;
    List<byte[][]> commands = batch;
    batch = new ArrayList<>(BATCH);
    CommandDispatcher.Replies replies = dispatcher.run(session, commands).toCompletableFuture().join();
    for (Reply reply : replies.replies()) {
      if (reply instanceof Reply.Error error && errors.getAndIncrement() < 10) {
        LOG.warn("A command loaded from disk failed: {}", error.text());
      }
    }
  }

  /** Ends the load: runs the rest. */
  void finish() {
    flush();
  }
}
