package org.akkaredis.keyspace;

import java.util.Random;
import org.akkaredis.config.Settings;

/**
 * One numbered database as a keyed command sees it. Every change goes through here so that expiry,
 * WATCH and the replication/AOF effects (a dirty counter) see it. Lookups expire lazily.
 */
public interface Db {
  int index();

  /** The time of the command being run, in unix ms (fixed for the whole command, as Redis's cached mstime). */
  long now();

  Settings settings();

  Random random();

  /** The live entry of a key (expired ones are deleted first), with its access time updated; null if absent. */
  Entry lookup(Key key);

  /** As {@link #lookup} without the keyspace notification of a miss: Redis's LOOKUP_NONOTIFY (OBJECT). */
  Entry lookupWithoutNotify(Key key);

  /** As {@link #lookup} but leaves the access time alone (OBJECT IDLETIME, TYPE-less peeks). */
  Entry peek(Key key);

  /** Records an access to a live entry (LRU time, LFU counter), as a lookup does. */
  default void touch(Entry entry) {
    entry.lastAccess(now());
  }

  /** Stores a new value under a key, replacing any old one and its TTL. */
  Entry put(Key key, Object value);

  /** Replaces the value of an existing live entry, keeping its TTL. */
  void replaceValue(Entry entry, Object value);

  boolean delete(Key key);

  /** Sets an absolute expiry (unix ms), or removes it with -1. */
  void expireAt(Entry entry, long unixMs);

  /**
   * Makes the clients blocked on a key look at it again (Redis's signalKeyAsReady): a stream that got entries in
   * place, or lost a consumer group.
   */
  void signalReady(Key key);

  /**
   * Counts an in-place change that Redis makes without signalModifiedKey (a consumer group's state): the command's
   * effect is kept and the value's size is counted again, but no WATCH sees it.
   */
  void dirtied(Key key);

  /** Reports an in-place change of a key's value (WATCH). */
  void modified(Key key);

  void watch(Key key, WatchToken token);

  /**
   * What a key takes with its value ({@link MemoryUsage}, an aggregate sampled over {@code samples} elements, 0
   * for all), expired or not as Redis's dictFind sees it, untouched; null when nothing is stored under it.
   */
  Long memoryUsage(Key key, long samples);

  /**
   * Records an effect for this database at once, whatever the command being run records (a blocked client
   * served, a slot emptied); nothing when no one listens or the command comes from a master.
   */
  void effect(byte[]... args);

  /** As {@link #effect} for several commands of one call: wrapped in MULTI ... EXEC when more than one. */
  void effects(java.util.List<byte[][]> commands);

  /**
   * Publishes a keyspace notification of Redis's class {@code type} ({@link KeyspaceEvents}) named {@code event}
   * on {@code key} of this database, where Redis's notifyKeyspaceEvent is called; nothing when the class is off.
   */
  void notify(int type, String event, byte[] key);
}
