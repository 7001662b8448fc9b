package org.akkaredis.resp;

import akka.util.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes replies into one ByteString per batch of commands. Small parts go into one growing byte array; a bulk
 * string of at least {@link #SHARED_BULK_MIN} bytes is not copied but joined to the output as it is (a
 * {@link Reply.Bulk}'s bytes never change once the reply is made), so a pipeline of big GETs costs the headers
 * only, and the bytes are copied once, by the socket write. The protocol version (2 or 3) decides how maps, sets,
 * doubles, booleans, nulls, verbatim strings, big numbers, attributes and pushes look.
 */
public final class RespWriter {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Bulk strings at least this long are joined to the output without a copy. */
  static final int SHARED_BULK_MIN = 16 * 1024;

  /** A buffer grown past this by one big batch is let go once taken, so it does not stay with the connection. */
  private static final int MAX_IDLE_CAPACITY = 256 * 1024;

  private final int initialCapacity;
  private byte[] buf;
  private int len;
  /** What was written before buf's bytes: earlier buffers and shared bulks. */
  private ByteString before = ByteString.emptyByteString();

  public RespWriter(int initialCapacity) {
    this.initialCapacity = Math.max(16, initialCapacity);
    buf = new byte[this.initialCapacity];
  }

  public RespWriter() {
    this(256);
  }

  public long length() {
    return (long) before.length() + len;
  }

  /** The bytes written so far; the writer starts empty again. */
  public ByteString take() {
    ByteString out = len == 0 ? before : before.concat(ByteString.fromArray(buf, 0, len));
    before = ByteString.emptyByteString();
    len = 0;
    if (buf.length > MAX_IDLE_CAPACITY) buf = new byte[initialCapacity];
    return out;
  }

  public byte[] toByteArray() {
    if (before.isEmpty()) return Arrays.copyOf(buf, len);
    return before.concat(ByteString.fromArray(buf, 0, len)).toArray();
  }

  /** Joins {@code bytes} to the output without copying them. */
  private void share(byte[] bytes) {
    if (len > 0) {
      before = before.concat(ByteString.fromArray(buf, 0, len));
      len = 0;
    }
    before = before.concat(ByteString.fromArrayUnsafe(bytes));
  }

  private void payload(byte[] bytes) {
    if (bytes.length >= SHARED_BULK_MIN) share(bytes);
    else raw(bytes);
  }

  public void write(Reply reply, int protocol) {
    if (reply == Reply.OK) {
      raw(OK);
    } else if (reply instanceof Reply.Bulk b) {
      header('$', b.bytes().length);
      payload(b.bytes());
      raw(CRLF);
    } else if (reply instanceof Reply.Int i) {
      header(':', i.value());
    } else if (reply instanceof Reply.Simple s) {
      line('+', s.text());
    } else if (reply instanceof Reply.Error e) {
      line('-', e.text());
    } else if (reply instanceof Reply.Null n) {
      raw(protocol >= 3 ? NULL3 : n.array() ? NULL_ARRAY : NULL_BULK);
    } else if (reply instanceof Reply.Array a) {
      aggregate('*', a.items(), protocol);
    } else if (reply instanceof Reply.MapReply m) {
      if (protocol >= 3) {
        header('%', m.keysAndValues().size() / 2);
        for (Reply item : m.keysAndValues()) write(item, protocol);
      } else {
        aggregate('*', m.keysAndValues(), protocol);
      }
    } else if (reply instanceof Reply.SetReply s) {
      aggregate(protocol >= 3 ? '~' : '*', s.items(), protocol);
    } else if (reply instanceof Reply.Dbl d) {
      if (protocol >= 3) {
        line(',', d.text());
      } else {
        byte[] text = d.text().getBytes(StandardCharsets.US_ASCII);
        header('$', text.length);
        raw(text);
        raw(CRLF);
      }
    } else if (reply instanceof Reply.Bool b) {
      if (protocol >= 3) line('#', b.value() ? "t" : "f");
      else header(':', b.value() ? 1 : 0);
    } else if (reply instanceof Reply.Verbatim v) {
      if (protocol >= 3) {
        header('=', v.text().length + 4);
        raw(v.format().getBytes(StandardCharsets.US_ASCII));
        put((byte) ':');
        payload(v.text());
      } else {
        header('$', v.text().length);
        payload(v.text());
      }
      raw(CRLF);
    } else if (reply instanceof Reply.BigNumber n) {
      if (protocol >= 3) {
        line('(', n.digits());
      } else {
        byte[] text = n.digits().getBytes(StandardCharsets.US_ASCII);
        header('$', text.length);
        raw(text);
        raw(CRLF);
      }
    } else if (reply instanceof Reply.Attributed a) {
      if (protocol >= 3) {
        header('|', a.keysAndValues().size() / 2);
        for (Reply item : a.keysAndValues()) write(item, protocol);
      }
      write(a.reply(), protocol);
    } else if (reply instanceof Reply.Push p) {
      aggregate(protocol >= 3 ? '>' : '*', p.items(), protocol);
    } else if (reply instanceof Reply.AfterPush p) {
      write(p.push(), protocol);
      write(p.reply(), protocol);
    } else if (reply instanceof Reply.Sequence sequence) {
      for (Reply item : sequence.replies()) write(item, protocol);
    }
  }

  private void aggregate(char type, List<Reply> items, int protocol) {
    header(type, items.size());
    for (Reply item : items) write(item, protocol);
  }

  /** A status or error line; Redis replaces CR and LF inside them with spaces so the framing cannot break. */
  private void line(char type, String text) {
    ensure(text.length() * 3 + 3);
    buf[len++] = (byte) type;
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    for (byte b : bytes) buf[len++] = (b == '\r' || b == '\n') ? (byte) ' ' : b;
    buf[len++] = '\r';
    buf[len++] = '\n';
  }

  private void header(char type, long number) {
    ensure(24);
    buf[len++] = (byte) type;
    writeLong(number);
    buf[len++] = '\r';
    buf[len++] = '\n';
  }

  private void writeLong(long value) {
    if (value == Long.MIN_VALUE) {
      byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(text, 0, buf, len, text.length);
      len += text.length;
      return;
    }
    if (value < 0) {
      buf[len++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) digits++;
    int end = len + digits;
    for (int i = end - 1; i >= len; i--) {
      buf[i] = (byte) ('0' + (value % 10));
      value /= 10;
    }
    len = end;
  }

  private void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  /** Encodes one reply on its own (tests, and replies built outside a batch). */
  public static byte[] encode(Reply reply, int protocol) {
    RespWriter writer = new RespWriter();
    writer.write(reply, protocol);
    return writer.toByteArray();
  }
}
