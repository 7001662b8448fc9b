package org.akkaredis.keyspace;

import java.util.Locale;

/**
 * Redis's maxmemory-policy values: which keys may be evicted (all, or only those with a TTL) and how the victim is
 * chosen (approximated LRU or LFU over a pool of samples, the nearest expiry, or at random), or none at all.
 */
public enum EvictionPolicy {
  NOEVICTION(false, Pick.NONE),
  ALLKEYS_LRU(false, Pick.LRU),
  ALLKEYS_LFU(false, Pick.LFU),
  ALLKEYS_RANDOM(false, Pick.RANDOM),
  VOLATILE_LRU(true, Pick.LRU),
  VOLATILE_LFU(true, Pick.LFU),
  VOLATILE_RANDOM(true, Pick.RANDOM),
  VOLATILE_TTL(true, Pick.TTL);

  /** How a victim is chosen among the candidates. */
  public enum Pick { NONE, LRU, LFU, TTL, RANDOM }

  private final boolean volatileOnly;
  private final Pick pick;

  EvictionPolicy(boolean volatileOnly, Pick pick) {
    this.volatileOnly = volatileOnly;
    this.pick = pick;
  }

  /** Only keys with a TTL are candidates (the volatile-* policies). */
  public boolean volatileOnly() {
    return volatileOnly;
  }

  public Pick pick() {
    return pick;
  }

  /** Whether access frequency is what is tracked (Redis's MAXMEMORY_FLAG_LFU). */
  public boolean lfu() {
    return pick == Pick.LFU;
  }

  /** The policy named as in redis.conf ("allkeys-lru"); IllegalArgumentException for anything else. */
  public static EvictionPolicy parse(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** The name as in redis.conf and INFO's maxmemory_policy. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
