package org.akkaredis.it.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One RESP2 or RESP3 reply as it came off the wire: its raw bytes (for byte-for-byte comparison)
 * and its parsed tree (for the comparisons that must look inside).
 */
public final class RespReply {
  /** The type byte: + - : $ * _ , # ! = ( % ~ > (an attribute '|' is kept in raw, not as its own reply). */
  public final char type;
  private final byte[] raw;
  /** A simple line's text or a bulk's payload; null for a null bulk or an aggregate. */
  private final byte[] payload;
  /** An aggregate's elements (a map's keys and values alternate); null for non-aggregates and null arrays. */
  private final List<RespReply> elements;

  RespReply(char type, byte[] raw, byte[] payload, List<RespReply> elements) {
    this.type = type;
    this.raw = raw;
    this.payload = payload;
    this.elements = elements;
  }

  public byte[] raw() {
    return raw.clone();
  }

  public boolean rawEquals(RespReply other) {
    return Arrays.equals(raw, other.raw);
  }

  public boolean isError() {
    return type == '-' || type == '!';
  }

  /** RESP2's $-1 and *-1, and RESP3's _. */
  public boolean isNull() {
    return type == '_' || (payload == null && elements == null);
  }

  public boolean isAggregate() {
    return type == '*' || type == '%' || type == '~' || type == '>';
  }

  /** The line's text or the bulk's payload as UTF-8. */
  public String text() {
    if (payload == null) throw new IllegalStateException("no text in " + this);
    return new String(payload, StandardCharsets.UTF_8);
  }

  public byte[] bytes() {
    if (payload == null) throw new IllegalStateException("no payload in " + this);
    return payload.clone();
  }

  public long integer() {
    if (type != ':') throw new IllegalStateException("not an integer: " + this);
    return Long.parseLong(text());
  }

  public List<RespReply> elements() {
    if (elements == null) throw new IllegalStateException("not an aggregate: " + this);
    return elements;
  }

  public RespReply get(int index) {
    return elements().get(index);
  }

  /** The texts of an aggregate of bulks/simple strings/integers, in order. */
  public List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (RespReply element : elements()) texts.add(element.isNull() ? null : element.text());
    return texts;
  }

  /** The raw bytes with CR, LF and non-printable bytes escaped, cut after {@code limit} characters. */
  public String escaped(int limit) {
    return escape(raw, limit);
  }

  public static String escape(byte[] bytes, int limit) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      if (out.length() >= limit) {
        out.append("... (").append(bytes.length).append(" bytes)");
        break;
      }
      int c = b & 0xff;
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        default -> {
          if (c >= 0x20 && c < 0x7f) out.append((char) c);
          else out.append(String.format("\\x%02x", c));
        }
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "\"" + escaped(600) + "\"";
  }
}
