package org.akkaredis.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.akkaredis.resp.Reply;

/**
 * Redis's slow log (slowlog.c): the commands whose execution took at least {@code slowlog-log-slower-than}
 * microseconds, newest first, at most {@code slowlog-max-len} of them. Commands of many connections finish at once,
 * so every method takes the log's lock; an entry is built only for a command that is logged.
 */
public final class SlowLog {
  /** Redis keeps at most 32 arguments of a command and 128 bytes of each. */
  static final int MAX_ARGC = 32;
  static final int MAX_STRING = 128;

  /** One entry as SLOWLOG GET shows it. */
  public record Entry(long id, long timeSeconds, long durationMicros, byte[][] argv, String peer, String name) {}

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long nextId;

  /**
   * Logs a command when {@code slowerThanMicros} is not negative and the command took at least that long, then
   * drops the oldest entries beyond {@code maxLen}. Returns whether it was logged.
   */
  public synchronized boolean record(long durationMicros, byte[][] argv, String peer, String name, long timeSeconds,
      long slowerThanMicros, long maxLen) {
    if (slowerThanMicros < 0 || durationMicros < slowerThanMicros) return false;
    entries.addFirst(new Entry(nextId++, timeSeconds, durationMicros, trimmed(argv), peer, name));
    while (entries.size() > maxLen) entries.removeLast();
    return true;
  }

  /** The arguments as Redis keeps them: past 32, the 32nd says how many more there were; past 128 bytes, likewise. */
  static byte[][] trimmed(byte[][] argv) {
    int kept = Math.min(argv.length, MAX_ARGC);
    byte[][] out = new byte[kept][];
    for (int j = 0; j < kept; j++) {
      if (kept != argv.length && j == kept - 1) {
        out[j] = ascii("... (" + (argv.length - kept + 1) + " more arguments)");
      } else if (argv[j].length > MAX_STRING) {
        byte[] head = Arrays.copyOf(argv[j], MAX_STRING);
        byte[] tail = ascii("... (" + (argv[j].length - MAX_STRING) + " more bytes)");
        out[j] = Arrays.copyOf(head, MAX_STRING + tail.length);
        System.arraycopy(tail, 0, out[j], MAX_STRING, tail.length);
      } else {
        out[j] = argv[j];
      }
    }
    return out;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** The newest {@code count} entries (all of them for -1). */
  public synchronized List<Entry> newest(long count) {
    List<Entry> out = new ArrayList<>();
    Iterator<Entry> it = entries.iterator();
    while (it.hasNext() && (count < 0 || out.size() < count)) out.add(it.next());
    return out;
  }

  public synchronized int length() {
    return entries.size();
  }

  /** SLOWLOG RESET; the ids go on counting, as in Redis. */
  public synchronized void reset() {
    entries.clear();
  }

  /** SLOWLOG GET's reply for these entries. */
  static Reply reply(List<Entry> entries) {
    List<Reply> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      List<Reply> argv = new ArrayList<>(e.argv().length);
      for (byte[] arg : e.argv()) argv.add(Reply.bulk(arg));
      out.add(Reply.array(Reply.integer(e.id()), Reply.integer(e.timeSeconds()), Reply.integer(e.durationMicros()),
          Reply.array(argv), Reply.bulk(e.peer()), Reply.bulk(e.name())));
    }
    return Reply.array(out);
  }
}
