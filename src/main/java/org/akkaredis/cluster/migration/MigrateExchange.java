package org.akkaredis.cluster.migration;

import akka.util.ByteString;
import akka.util.ByteStringBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What MIGRATE sends its target and what it makes of the replies, as plain functions (Redis 7.0's migrateCommand):
 * AUTH when a password is given, SELECT when the connection's database is not the one asked for, then one RESTORE
 * (RESTORE-ASKING in cluster mode) per key with its remaining TTL, its DUMP payload and REPLACE if asked, all in one
 * write. The replies are read as lines: the first error among them is the command's error, and a key whose own
 * reply is not an error (with AUTH and SELECT not failed) was acknowledged.
 */
public final class MigrateExchange {
  private MigrateExchange() {}

  /** One key to send: its name, TTL in ms (0: none) and DUMP payload. */
  public record KeyPayload(byte[] key, long ttlMs, byte[] payload) {}

  /** The request: what {@link #replyCount} lines will answer. */
  public static ByteString request(MigrateArgs args, boolean select, boolean cluster, List<KeyPayload> keys) {
    ByteStringBuilder out = new ByteStringBuilder();
    if (args.password() != null) {
      if (args.username() != null) command(out, ascii("AUTH"), args.username(), args.password());
      else command(out, ascii("AUTH"), args.password());
    }
    if (select) command(out, ascii("SELECT"), ascii(Long.toString(args.db())));
    byte[] restore = ascii(cluster ? "RESTORE-ASKING" : "RESTORE");
    for (KeyPayload key : keys) {
      byte[] ttl = ascii(Long.toString(key.ttlMs()));
      if (args.replace()) command(out, restore, key.key(), ttl, key.payload(), ascii("REPLACE"));
      else command(out, restore, key.key(), ttl, key.payload());
    }
    return out.result();
  }

  /**
   * The TTL a key is sent with, from its expiry time ({@code -1}: none) at the command's time: 0 for none, at least
   * 1 ms, or -1 when it has already passed (the key is not sent).
   */
  public static long ttlOf(long expireAt, long now) {
    if (expireAt == -1) return 0;
    long ttl = expireAt - now;
    if (ttl < 0) return -1;
    return Math.max(ttl, 1);
  }

  /** What the target said: which keys it acknowledged, and the first error (null when none). */
  public record Verdict(boolean[] acknowledged, String error) {
    /** The error reply to the client: the target's error text after its '-'. */
    public String replyText() {
      return "ERR Target instance replied with error: " + error;
    }
  }

  /**
   * Judges the replies read: {@code authLine} and {@code selectLine} when those were sent (else null), and the
   * keys' reply lines, as many as were read (fewer than the keys when the connection failed on the way).
   */
  public static Verdict judge(String authLine, String selectLine, List<String> keyLines, int keyCount) {
    boolean[] acknowledged = new boolean[keyCount];
    String error = null;
    boolean authFailed = authLine != null && authLine.startsWith("-");
    boolean selectFailed = selectLine != null && selectLine.startsWith("-");
    for (int j = 0; j < keyLines.size(); j++) {
      String line = keyLines.get(j);
      if (authFailed || selectFailed || line.startsWith("-")) {
        if (error == null) error = (authFailed ? authLine : selectFailed ? selectLine : line).substring(1);
      } else {
        acknowledged[j] = true;
      }
    }
    return new Verdict(acknowledged, error);
  }

  private static void command(ByteStringBuilder out, byte[]... args) {
    out.putBytes(ascii("*" + args.length + "\r\n"));
    for (byte[] arg : args) {
      out.putBytes(ascii("$" + arg.length + "\r\n"));
      // A payload is referenced, not copied: a big key's request is not a second copy of the key in the heap.
      if (arg.length >= REFERENCED) out.append(ByteString.fromArrayUnsafe(arg));
      else out.putBytes(arg);
      out.putBytes(CRLF);
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};
  /** Arguments at least this long go into the request without a copy (never changed afterwards). */
  private static final int REFERENCED = 1024;

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
