package org.akkaredis.replication;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * How a replica applies what its master sends: as commands of the master's client, which records no effects
 * of its own and is never redirected. Snapshot chunks and the stream run as two clients, each with its own
 * selected database, since a full sync interleaves them.
 */
public interface Applier {
  enum Channel { SNAPSHOT, STREAM }

  /** Runs the commands one after the other; completes when all have run. */
  CompletionStage<Void> apply(Channel channel, List<byte[][]> commands);

  /** A full sync begins: drops every key, and the stream's client starts in database {@code db}. */
  CompletionStage<Void> restart(int db);

  /**
   * A full sync begins as an async load (repl-diskless-load swapdb): the keys stay and clients keep reading them;
   * both clients write into empty loading databases, the stream's starting in database {@code db}.
   */
  CompletionStage<Void> restartAside(int db);

  /** The async load is complete: the loaded data replaces the old at once, and the clients write to it from now. */
  CompletionStage<Void> swapIn();

  /** The async load failed: what it loaded is dropped, the old data stays. */
  CompletionStage<Void> dropAside();
}
