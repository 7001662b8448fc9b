package org.akkaredis.keyspace;

import java.util.Random;
import org.akkaredis.config.Settings;

/**
 * One database across several held ranges: each key goes to the range of its slot. Used when a command's
 * keys live in more than one range (possible only without cluster mode) or inside a transaction.
 */
public final class SpanningDb implements Db {
  private final RangeState[] byRange;
  private final int slotsPerRange;
  private final int index;
  private final RangeState any;

  /** {@code held} are states of held ranges, in any order; {@code rangeCount} is the node's number of ranges. */
  public SpanningDb(RangeState[] held, int rangeCount, int index) {
    this.byRange = new RangeState[rangeCount];
    for (RangeState state : held) byRange[state.index()] = state;
    this.slotsPerRange = Slots.COUNT / rangeCount;
    this.index = index;
    this.any = held[0];
  }

  private RangeDb dbOf(Key key) {
    RangeState state = byRange[key.slot() / slotsPerRange];
    if (state == null) throw new IllegalStateException("key outside the held ranges: " + key);
    return state.db(index);
  }

  @Override public int index() {
    return index;
  }

  @Override public long now() {
    return any.now();
  }

  @Override public Settings settings() {
    return any.settings();
  }

  @Override public Random random() {
    return any.random();
  }

  @Override public Entry lookup(Key key) {
    return dbOf(key).lookup(key);
  }

  @Override public Entry lookupWithoutNotify(Key key) {
    return dbOf(key).lookupWithoutNotify(key);
  }

  @Override public Entry peek(Key key) {
    return dbOf(key).peek(key);
  }

  @Override public Entry put(Key key, Object value) {
    return dbOf(key).put(key, value);
  }

  @Override public void replaceValue(Entry entry, Object value) {
    dbOf(entry.key).replaceValue(entry, value);
  }

  @Override public boolean delete(Key key) {
    return dbOf(key).delete(key);
  }

  @Override public void expireAt(Entry entry, long unixMs) {
    dbOf(entry.key).expireAt(entry, unixMs);
  }

  @Override public void dirtied(Key key) {
    dbOf(key).dirtied(key);
  }

  @Override public void signalReady(Key key) {
    dbOf(key).signalReady(key);
  }

  @Override public void modified(Key key) {
    dbOf(key).modified(key);
  }

  @Override public Long memoryUsage(Key key, long samples) {
    return dbOf(key).memoryUsage(key, samples);
  }

  @Override public void watch(Key key, WatchToken token) {
    dbOf(key).watch(key, token);
  }

  @Override public void notify(int type, String event, byte[] key) {
    // The node's events are one object and the held ranges all run this command: any of them publishes.
    any.notify(type, event, key, index);
  }

  @Override public void effects(java.util.List<byte[][]> commands) {
    any.effects(index, commands);
  }

  @Override public void effect(byte[]... args) {
    // The held ranges share one effect buffer, so any of them records in order.
    any.effect(index, args);
  }
}
