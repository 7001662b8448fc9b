package org.akkaredis.keyspace;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.akkaredis.config.Settings;

/**
 * Redis's keyspace notifications (notify.c): given the classes notify-keyspace-events enables, an event of one class
 * on a key becomes up to two messages, {@code __keyspace@<db>__:<key>} with the event's name (K) and
 * {@code __keyevent@<db>__:<event>} with the key (E), handed to the sink. One per node, shared by its ranges; with
 * no class enabled an event costs the read of {@link #flags}.
 */
public final class KeyspaceEvents implements Settings.ChangeListener {
  // Redis's NOTIFY_* bits, which the setting's value holds as well (Settings#notifyKeyspaceEvents).
  public static final int KEYSPACE = 1;
  public static final int KEYEVENT = 1 << 1;
  public static final int GENERIC = 1 << 2;
  public static final int STRING = 1 << 3;
  public static final int LIST = 1 << 4;
  public static final int SET = 1 << 5;
  public static final int HASH = 1 << 6;
  public static final int ZSET = 1 << 7;
  public static final int EXPIRED = 1 << 8;
  public static final int EVICTED = 1 << 9;
  public static final int STREAM = 1 << 10;
  public static final int KEY_MISS = 1 << 11;
  public static final int NEW = 1 << 14;

  private static final byte[] KEYSPACE_PREFIX = ascii("__keyspace@");
  private static final byte[] KEYEVENT_PREFIX = ascii("__keyevent@");
  private static final byte[] SUFFIX = ascii("__:");

  /** The enabled classes, and K or E: 0 when none is, which is all an event then costs. */
  private volatile int flags;
  private volatile KeyspaceEventSink sink = KeyspaceEventSink.NONE;
  private Settings bound;

  /** Follows these settings from now on (once; a range of the same node calling again changes nothing). */
  public synchronized void bind(Settings settings) {
    if (bound == settings || settings == null) return;
    bound = settings;
    read(settings);
    settings.addChangeListener(this);
  }

  @Override public void settingsChanged(Settings settings, Set<String> changedNames) {
    if (changedNames.contains("notify-keyspace-events")) read(settings);
  }

  private void read(Settings settings) {
    setFlags(settings.notifyKeyspaceEvents());
  }

  /** The classes as the setting's bits; one without K or E publishes nothing, so it is kept as none. */
  void setFlags(int classes) {
    flags = (classes & (KEYSPACE | KEYEVENT)) == 0 ? 0 : classes;
  }

  /** Where the messages go from now on ({@code null}: nowhere). */
  public void sink(KeyspaceEventSink sink) {
    this.sink = sink == null ? KeyspaceEventSink.NONE : sink;
  }

  /** Whether an event of class {@code type} would be published. */
  public boolean enabled(int type) {
    return (flags & type) != 0;
  }

  /** Redis's notifyKeyspaceEvent: publishes an event of class {@code type} on {@code key} in database {@code db}. */
  public void notify(int type, String event, byte[] key, int db) {
    int enabled = flags;
    if ((enabled & type) == 0) return;
    KeyspaceEventSink target = sink;
    byte[] eventBytes = ascii(event);
    byte[] dbBytes = ascii(Integer.toString(db));
    if ((enabled & KEYSPACE) != 0) target.publish(channel(KEYSPACE_PREFIX, dbBytes, key), eventBytes);
    if ((enabled & KEYEVENT) != 0) target.publish(channel(KEYEVENT_PREFIX, dbBytes, eventBytes), key);
  }

  private static byte[] channel(byte[] prefix, byte[] db, byte[] tail) {
    byte[] channel = new byte[prefix.length + db.length + SUFFIX.length + tail.length];
    System.arraycopy(prefix, 0, channel, 0, prefix.length);
    System.arraycopy(db, 0, channel, prefix.length, db.length);
    System.arraycopy(SUFFIX, 0, channel, prefix.length + db.length, SUFFIX.length);
    System.arraycopy(tail, 0, channel, prefix.length + db.length + SUFFIX.length, tail.length);
    return channel;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
