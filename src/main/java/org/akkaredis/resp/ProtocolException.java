package org.akkaredis.resp;

/**
 * Malformed client input. The message is Redis's reply text without the "ERR " prefix; it contains
 * no CR or LF, and any byte quoted from the input is carried as the char of the same value (0-255),
 * so encode it as ISO-8859-1 to send the byte Redis would send.
 */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean closeSilently;

  public ProtocolException(String message, boolean closeSilently) {
    // No stack trace: the message says everything and garbage-sending clients must stay cheap.
    super(message, null, false, false);
    this.closeSilently = closeSilently;
  }

  /** True when Redis closes the connection without sending a reply (client-query-buffer-limit exceeded). */
  public boolean closeSilently() {
    return closeSilently;
  }
}
