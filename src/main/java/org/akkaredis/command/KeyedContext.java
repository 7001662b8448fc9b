package org.akkaredis.command;

import org.akkaredis.keyspace.Db;

/**
 * What a keyed command sees: the client's selected database, other databases (COPY ... DB n), the client; and where
 * it says what its effect is when that is not the command itself.
 */
public interface KeyedContext {
  Db db();

  /** Another numbered database over the same keys' ranges, or null if the index is out of range. */
  Db db(int index);

  Session session();

  /**
   * Records {@code args} as (one of) the command's effects instead of the command itself, as Redis's
   * alsoPropagate/rewriteClientCommandVector: EXPIRE becomes PEXPIREAT, SPOP becomes SREM ... Several calls make
   * several commands (wrapped in MULTI/EXEC). Effects are kept only if the command changed the data.
   */
  void propagate(byte[]... args);

  /**
   * Records that the command's change is none its copies are told of, as Redis's writes that leave server.dirty
   * alone (BITFIELD creating or growing a key with operations that all failed).
   */
  void propagateNothing();
}
