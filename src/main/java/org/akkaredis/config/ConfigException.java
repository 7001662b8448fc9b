package org.akkaredis.config;

/**
 * A settings problem that must stop start-up. The message is a single line meant to be printed
 * as it is (for example {@code Bad config: unknown setting 'prot' in conf/x.conf at line 2}), so
 * no stack trace is recorded.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  public ConfigException(String oneLineMessage) {
    super(oneLine(oneLineMessage), null, false, false);
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
