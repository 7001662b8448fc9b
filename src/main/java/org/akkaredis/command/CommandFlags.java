package org.akkaredis.command;

import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A command's flags ("write", "denyoom", ...) as an immutable list that answers {@link #contains} with one bit: the
 * dispatcher asks several flags of every command it runs (CommandSpec.hasFlag), and a walk over the flag names with
 * String.equals was 3-5% of a pipelined LPUSH's time (docs/performance.md). Every flag name gets a bit when a list
 * holding it is built, so a name without a bit is in no list.
 */
final class CommandFlags extends AbstractList<String> implements RandomAccess {
  /** The bit of every flag name seen so far (Redis 7.0 has about 25). */
  private static final Map<String, Integer> BITS = new ConcurrentHashMap<>();

  private final String[] names;
  private final long bits;
  /** Past 64 distinct names the bits no longer cover them all: contains walks the names instead. */
  private final boolean walk;

  private CommandFlags(List<String> names) {
    this.names = names.toArray(String[]::new);
    long set = 0;
    boolean overflow = false;
    for (String name : this.names) {
      int bit = bitOf(name);
      if (bit < Long.SIZE) set |= 1L << bit;
      else overflow = true;
    }
    this.bits = set;
    this.walk = overflow;
  }

  /** The bit of a flag name, given it now if it has none (one at a time, so no two names share one). */
  private static synchronized int bitOf(String name) {
    Integer bit = BITS.get(name);
    if (bit != null) return bit;
    int next = BITS.size();
    BITS.put(name, next);
    return next;
  }

  /** The flags as such a list (the same list when it already is one). */
  static List<String> of(List<String> names) {
    return names instanceof CommandFlags flags ? flags : new CommandFlags(names);
  }

  @Override public boolean contains(Object o) {
    if (walk || !(o instanceof String)) return walk && super.contains(o);
    Integer bit = BITS.get(o);
    return bit != null && bit < Long.SIZE && (bits & 1L << bit) != 0;
  }

  @Override public String get(int index) {
    return names[index];
  }

  @Override public int size() {
    return names.length;
  }
}
