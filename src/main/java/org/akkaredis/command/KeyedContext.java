package org.akkaredis.command;

import org.akkaredis.keyspace.Db;

/** What a keyed command sees: the client's selected database, other databases (COPY ... DB n), the client. */
public interface KeyedContext {
  Db db();

  /** Another numbered database over the same keys' ranges, or null if the index is out of range. */
  Db db(int index);

  Session session();
}
