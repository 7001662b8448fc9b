package org.akkaredis.config;

/**
 * A settings problem that must stop start-up. The message is meant to be printed as it is, with no stack trace:
 * usually a single line (for example {@code Bad config: unknown setting 'prot' in conf/x.conf at line 2}); for a
 * redis.conf file, redis-server's own several-line report ({@link #verbatim}).
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  public ConfigException(String oneLineMessage) {
    super(oneLine(oneLineMessage), null, false, false);
  }

  private ConfigException(String message, boolean verbatim) {
    super(message, null, false, false);
  }

  /** A message kept exactly as given, line breaks included. */
  static ConfigException verbatim(String message) {
    return new ConfigException(message, true);
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
