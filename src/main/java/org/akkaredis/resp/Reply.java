package org.akkaredis.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A reply as a value, independent of the protocol version: {@link RespWriter} decides how a map, a double or a
 * null looks in RESP2 and in RESP3. Texts (status lines, errors, bulk strings made from a String) are written
 * one byte per char (ISO-8859-1), so user bytes quoted in them go back to the client unchanged.
 */
public sealed interface Reply {

  /** {@code +text}. */
  record Simple(String text) implements Reply {}

  /**
   * {@code -text}; the text starts with the error code, e.g. {@code ERR ...} or {@code WRONGTYPE ...}. Its {@code
   * accounting} is bookkeeping for INFO's counters, not part of the reply's equality.
   */
  record Error(String text, Accounting accounting) implements Reply {
    /** How INFO errorstats and commandstats are to count an error reply. */
    public enum Accounting {
      /** Not counted yet: sending it counts it, and it makes its command a failed call. */
      NEW,
      /**
       * Already in errorstats (a script passing on its command's error, as Redis 7.0's ignore_error_stats_update):
       * sending it counts it no more; its command is still a failed call.
       */
      COUNTED,
      /** Refused before its command ran (a script refused by its shebang's flags): a rejected call, not a call. */
      REFUSED
    }

    public Error(String text) {
      this(text, Accounting.NEW);
    }

    public boolean counted() {
      return accounting == Accounting.COUNTED;
    }

    public boolean refused() {
      return accounting == Accounting.REFUSED;
    }

    /** This error, marked as already in INFO errorstats. */
    public Error asCounted() {
      return counted() ? this : new Error(text, Accounting.COUNTED);
    }

    /** This error, marked as refused before its command ran. */
    public Error asRefused() {
      return refused() ? this : new Error(text, Accounting.REFUSED);
    }

    @Override public boolean equals(Object o) {
      return o instanceof Error e && text.equals(e.text);
    }

    @Override public int hashCode() {
      return text.hashCode();
    }

    @Override public String toString() {
      return "Error[" + text + "]";
    }

    public String code() {
      int space = text.indexOf(' ');
      return space < 0 ? text : text.substring(0, space);
    }
  }

  record Int(long value) implements Reply {}

  record Bulk(byte[] bytes) implements Reply {
    @Override public boolean equals(Object o) {
      return o instanceof Bulk b && Arrays.equals(bytes, b.bytes);
    }
    @Override public int hashCode() { return Arrays.hashCode(bytes); }
    @Override public String toString() { return "Bulk[" + new String(bytes, StandardCharsets.UTF_8) + "]"; }
  }

  /** RESP2 distinguishes the null bulk {@code $-1} from the null array {@code *-1}; RESP3 has one {@code _}. */
  record Null(boolean array) implements Reply {}

  record Array(List<Reply> items) implements Reply {}

  /** RESP3 {@code %}; in RESP2 a flat array of key, value, key, value. */
  record MapReply(List<Reply> keysAndValues) implements Reply {}

  /** RESP3 {@code ~}; an array in RESP2. */
  record SetReply(List<Reply> items) implements Reply {}

  /** RESP3 {@code ,}; a bulk string in RESP2. The text is Redis's formatting of the number. */
  record Dbl(String text) implements Reply {}

  /** RESP3 {@code #t}/{@code #f}; {@code :1}/{@code :0} in RESP2. */
  record Bool(boolean value) implements Reply {}

  /** RESP3 verbatim string {@code =len\r\ntxt:...}; a bulk string in RESP2 (CLUSTER NODES, INFO, CLIENT LIST). */
  record Verbatim(String format, byte[] text) implements Reply {}

  /** RESP3 big number {@code (digits}; a bulk string in RESP2. */
  record BigNumber(String digits) implements Reply {}

  /**
   * RESP3 attribute {@code |n} (key, value pairs) written before the reply it describes; RESP2 has no attributes,
   * so there the reply is written alone.
   */
  record Attributed(List<Reply> keysAndValues, Reply reply) implements Reply {}

  /** RESP3 push {@code >n}, data a client did not ask for; an array in RESP2 (how pub/sub messages look there). */
  record Push(List<Reply> items) implements Reply {}

  /** A push written before the reply to the command: the reply still comes last, as the client waits for it. */
  record AfterPush(Push push, Reply reply) implements Reply {}

  /**
   * Several replies to one command, written one after the other: (P)SUBSCRIBE and (P)UNSUBSCRIBE answer once per
   * channel, as Redis does.
   */
  record Sequence(List<Reply> replies) implements Reply {}

  Reply OK = new Simple("OK");
  Reply QUEUED = new Simple("QUEUED");
  Reply PONG = new Simple("PONG");
  Reply NULL = new Null(false);
  Reply NULL_ARRAY = new Null(true);
  Reply EMPTY_ARRAY = new Array(List.of());
  Reply ZERO = new Int(0);
  Reply ONE = new Int(1);
  Reply WRONGTYPE = new Error("WRONGTYPE Operation against a key holding the wrong kind of value");
  Reply SYNTAX_ERROR = new Error("ERR syntax error");
  Reply NOT_INTEGER = new Error("ERR value is not an integer or out of range");
  Reply NOT_FLOAT = new Error("ERR value is not a valid float");

  static Reply simple(String text) { return new Simple(text); }

  static Reply error(String text) { return new Error(text); }

  static Reply integer(long value) {
    return value >= 0 && value < SmallInts.CACHE.length ? SmallInts.CACHE[(int) value] : new Int(value);
  }

  static Reply bulk(byte[] bytes) { return bytes == null ? NULL : new Bulk(bytes); }

  static Reply bulk(String text) { return text == null ? NULL : new Bulk(text.getBytes(StandardCharsets.ISO_8859_1)); }

  static Reply bulk(long value) { return new Bulk(Long.toString(value).getBytes(StandardCharsets.US_ASCII)); }

  static Reply array(List<Reply> items) { return new Array(items); }

  static Reply array(Reply... items) { return new Array(List.of(items)); }

  static Reply map(List<Reply> keysAndValues) { return new MapReply(keysAndValues); }

  static Reply verbatim(String text) { return new Verbatim("txt", text.getBytes(StandardCharsets.ISO_8859_1)); }

  static Reply bool(boolean value) { return new Bool(value); }

  static Reply wrongArity(String commandName) {
    return new Error("ERR wrong number of arguments for '" + commandName + "' command");
  }

  final class SmallInts {
    private static final Reply[] CACHE = new Reply[1024];
    static {
      for (int i = 0; i < CACHE.length; i++) CACHE[i] = new Int(i);
    }
    private SmallInts() {}
  }
}
