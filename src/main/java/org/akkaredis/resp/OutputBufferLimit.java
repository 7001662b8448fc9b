package org.akkaredis.resp;

import java.util.Locale;

/**
 * One class of client-output-buffer-limit (normal, replica or pubsub) and Redis 7.0's rule for it
 * (checkClientOutputBufferLimits): a client is over its limit when what is queued for it reaches the hard limit,
 * or has stayed at or above the soft limit for more than soft-seconds. A limit of 0 is no limit.
 *
 * @param hardBytes   the hard limit in bytes, 0 for none
 * @param softBytes   the soft limit in bytes, 0 for none
 * @param softSeconds how long a client may stay at or above the soft limit
 */
public record OutputBufferLimit(long hardBytes, long softBytes, long softSeconds) {
  public static final OutputBufferLimit NONE = new OutputBufferLimit(0, 0, 0);

  /** The client classes of client-output-buffer-limit, in the order the setting prints them. */
  public enum ClientClass { NORMAL, REPLICA, PUBSUB }

  /**
   * The limit of {@code clientClass} in the setting's text as CONFIG GET prints it ("normal 0 0 0 slave
   * 268435456 67108864 60 pubsub 33554432 8388608 60"); {@link #NONE} when the class is not named.
   */
  public static OutputBufferLimit of(String settingText, ClientClass clientClass) {
    String[] words = settingText.trim().split("\\s+");
    for (int i = 0; i + 3 < words.length; i += 4) {
      if (classOf(words[i]) == clientClass) {
        return new OutputBufferLimit(Long.parseUnsignedLong(words[i + 1]), Long.parseUnsignedLong(words[i + 2]),
            Long.parseLong(words[i + 3]));
      }
    }
    return NONE;
  }

  private static ClientClass classOf(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "normal" -> ClientClass.NORMAL;
      case "slave", "replica" -> ClientClass.REPLICA;
      case "pubsub" -> ClientClass.PUBSUB;
      default -> null;
    };
  }

  public boolean unlimited() {
    return hardBytes == 0 && softBytes == 0;
  }

  /** As Redis: a replica's hard limit below repl-backlog-size is raised to it (a partial sync must fit). */
  public OutputBufferLimit atLeastBacklog(long backlogSize) {
    return hardBytes != 0 && hardBytes < backlogSize ? new OutputBufferLimit(backlogSize, softBytes, softSeconds) : this;
  }

  /**
   * One client's standing against its limit: Redis's obuf_soft_limit_reached_time. Not thread-safe; kept by
   * whatever owns the client's output.
   */
  public static final class Tracker {
    /** When the client was first seen at or above the soft limit (ms), or -1 while it is below. */
    private long softReachedAtMs = -1;

    /**
     * Whether a client with {@code usedBytes} queued is over {@code limit} now: at or above the hard limit, or at or
     * above the soft limit continuously since more than soft-seconds ago. Redis counts whole seconds of its clock;
     * this counts milliseconds, so "more than soft-seconds" means strictly more.
     */
    public boolean over(OutputBufferLimit limit, long usedBytes, long nowMs) {
      boolean hard = limit.hardBytes != 0 && Long.compareUnsigned(usedBytes, limit.hardBytes) >= 0;
      boolean soft = limit.softBytes != 0 && Long.compareUnsigned(usedBytes, limit.softBytes) >= 0;
      if (soft) {
        if (softReachedAtMs < 0) {
          softReachedAtMs = nowMs;
          soft = false; // the first time it is seen there
        } else if (nowMs - softReachedAtMs <= limit.softSeconds * 1000) {
          soft = false;
        }
      } else {
        softReachedAtMs = -1;
      }
      return hard || soft;
    }

    /** Whether the client is at or above the soft limit (and since when it is counted). */
    public boolean aboveSoft() {
      return softReachedAtMs >= 0;
    }
  }
}
