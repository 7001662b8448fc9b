package org.akkaredis.config;

import java.util.regex.Pattern;

/**
 * The two syntaxes a config file may have, and how a file's own text says which it is: its first line that is
 * neither blank nor a comment decides. A HOCON line names a key and then {@code =}, {@code :}, {@code +=} or
 * {@code {}, or is an include of a quoted name ({@code include "common.conf"}, {@code include file("x")}); any
 * other line ({@code port 7001}, {@code include /etc/redis/common.conf}) is redis.conf's {@code name value ...}. A
 * file with no such line (empty, only comments) is read as HOCON, which gives the same result: the defaults.
 */
public enum ConfigFileFormat {
  /** redis.conf's own syntax, read as redis-server 7.0 reads it. */
  REDIS_CONF,
  /** HOCON with redis.conf's names at top level. */
  HOCON;

  private static final Pattern HOCON_SETTING =
      Pattern.compile("^(\"([^\"\\\\]|\\\\.)*\"|[^\\s=:{+\"#]+)\\s*(=|:|\\+=|\\{)");
  private static final Pattern HOCON_INCLUDE =
      Pattern.compile("^include\\s+(\"|(required|file|url|classpath)\\s*\\()");

  /** The format of a file with this text. */
  public static ConfigFileFormat of(String text) {
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("//")) {
        continue;
      }
      boolean hocon = HOCON_SETTING.matcher(trimmed).find() || HOCON_INCLUDE.matcher(trimmed).find();
      return hocon ? HOCON : REDIS_CONF;
    }
    return HOCON;
  }
}
