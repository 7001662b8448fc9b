package org.akkaredis.command;

import java.util.concurrent.CompletionStage;
import org.akkaredis.resp.Reply;

/**
 * What runs a command. Where it runs follows from its kind: keyed commands inside the slot range that owns
 * their keys, session commands in the connection, node commands anywhere, reaching the keyspace through
 * {@link NodeContext#keyspace()}.
 */
public sealed interface Handler permits Handler.Keyed, Handler.OfSession, Handler.OfNode {

  /** Runs inside the slot range (or ranges) holding the command's keys; must not block. */
  @FunctionalInterface
  non-sealed interface Keyed extends Handler {
    Reply run(KeyedContext ctx, byte[][] args);
  }

  /** Reads or changes only the connection's own state. */
  @FunctionalInterface
  non-sealed interface OfSession extends Handler {
    Reply run(Session session, byte[][] args);
  }

  /** Node-wide: server, cluster and admin commands, and those that fan out over every range. */
  @FunctionalInterface
  non-sealed interface OfNode extends Handler {
    CompletionStage<Reply> run(NodeContext ctx, Session session, byte[][] args);
  }
}
