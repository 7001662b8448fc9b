package org.akkaredis.cluster.migration;

import org.akkaredis.command.Args;
import org.akkaredis.resp.Reply;

/**
 * MIGRATE's arguments as Redis 7.0's migrateCommand reads them: {@code host port key|"" destination-db timeout
 * [COPY] [REPLACE] [AUTH password] [AUTH2 username password] [KEYS key ...]}. The options are read first (KEYS
 * takes every argument after it), then the timeout and the database; a timeout of 0 or less is 1000 ms.
 */
public record MigrateArgs(String host, String portText, int port, long db, long timeoutMs, boolean copy,
    boolean replace, byte[] username, byte[] password, int firstKey, int keyCount) {

  static final Reply KEYS_NEED_EMPTY_KEY = Reply.error(
      "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");

  /** The parsed arguments, or the error reply Redis gives for them. */
  public static Object parse(byte[][] a) {
    boolean copy = false;
    boolean replace = false;
    byte[] username = null;
    byte[] password = null;
    int firstKey = 3;
    int keyCount = 1;
    for (int j = 6; j < a.length; j++) {
      int more = a.length - 1 - j;
      if (Args.is(a[j], "copy")) {
        copy = true;
      } else if (Args.is(a[j], "replace")) {
        replace = true;
      } else if (Args.is(a[j], "auth")) {
        if (more < 1) return Reply.SYNTAX_ERROR;
        password = a[++j];
      } else if (Args.is(a[j], "auth2")) {
        if (more < 2) return Reply.SYNTAX_ERROR;
        username = a[++j];
        password = a[++j];
      } else if (Args.is(a[j], "keys")) {
        if (a[3].length != 0) return KEYS_NEED_EMPTY_KEY;
        firstKey = j + 1;
        keyCount = a.length - j - 1;
        break;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    Long timeout = Args.parseLong(a[5]);
    if (timeout == null) return Reply.NOT_INTEGER;
    Long db = Args.parseLong(a[4]);
    if (db == null) return Reply.NOT_INTEGER;
    String host = Args.text(a[1]);
    String portText = Args.text(a[2]);
    return new MigrateArgs(host, portText, atoi(a[2]), db, timeout <= 0 ? 1000 : timeout, copy, replace, username,
        password, firstKey, keyCount);
  }

  /** The name of the cached connection: the host and port as given, as Redis names its cached sockets. */
  public String target() {
    return host + ":" + portText;
  }

  /**
   * C's atoi, as Redis reads the port: leading white space, a sign, then the digits up to the first other
   * character; nothing readable is 0. The value wraps as C's conversion of a long to int does.
   */
  static int atoi(byte[] text) {
    int i = 0;
    while (i < text.length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) i++;
    boolean negative = false;
    if (i < text.length && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    long value = 0;
    while (i < text.length && text[i] >= '0' && text[i] <= '9') {
      if (value < Long.MAX_VALUE / 10) value = value * 10 + (text[i] - '0');
      i++;
    }
    return (int) (negative ? -value : value);
  }
}
