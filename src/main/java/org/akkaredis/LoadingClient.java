package org.akkaredis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
 * the loading thread.
 */
final class LoadingClient implements DataLoader.Commands {
  private static final Logger LOG = LoggerFactory.getLogger(LoadingClient.class);
  private static final int BATCH = 1024;
  private static final int IN_FLIGHT = 8;

  private final CommandDispatcher dispatcher;
  private final Session session;
  private final AtomicLong errors = new AtomicLong();
  private List<byte[][]> batch = new ArrayList<>(BATCH);
  private final ArrayDeque<CompletableFuture<CommandDispatcher.Replies>> inFlight = new ArrayDeque<>();

  LoadingClient(CommandDispatcher dispatcher, Settings settings) {
    this.dispatcher = dispatcher;
    this.session = Session.applier("loader", settings);
  }

  @Override public void command(byte[][] args) {
    batch.add(args);
    if (batch.size() >= BATCH) send();
  }

  /**
   * Sends what is buffered. A batch the dispatcher hands to the ranges at once goes without waiting for the ones
   * before it (at most {@link #IN_FLIGHT} travel at a time), so reading the files and applying them overlap;
   * anything else (a transaction, FLUSHALL ...) waits for everything before it and is waited for.
   */
  private void send() {
    if (batch.isEmpty()) return;
    List<byte[][]> commands = batch;
    batch = new ArrayList<>(BATCH);
    boolean atOnce = dispatcher.sendsAtOnce(commands);
    if (!atOnce) awaitAll();
    inFlight.add(dispatcher.run(session, commands).toCompletableFuture());
    if (!atOnce) awaitAll();
    while (inFlight.size() > IN_FLIGHT) check(await(inFlight.poll()));
  }

  private void awaitAll() {
    while (!inFlight.isEmpty()) check(await(inFlight.poll()));
  }

  /** The node stopping (SHUTDOWN while loading) interrupts the loading thread: the load ends there. */
  private static CommandDispatcher.Replies await(CompletableFuture<CommandDispatcher.Replies> replies) {
    try {
      return replies.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the node stopped while loading");
    } catch (ExecutionException e) {
      throw new IllegalStateException("a batch of loaded commands failed", e.getCause());
    }
  }

  private void check(CommandDispatcher.Replies replies) {
    for (Reply reply : replies.replies()) {
      if (reply instanceof Reply.Error error && errors.getAndIncrement() < 10) {
        LOG.warn("A command loaded from disk failed: {}", error.text());
      }
    }
  }

  /** Ends the load: runs the rest and waits for all of it. */
  void finish() {
    send();
    awaitAll();
  }
}
