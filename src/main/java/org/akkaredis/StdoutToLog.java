package org.akkaredis;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * Standard output as lines of the node's log, for a node with {@code logfile}: Redis then writes nothing to its
 * standard output. What reaches it here is mostly Akka's own basic logger, which Akka puts in place of the
 * configured (SLF4J) one while the ActorSystem starts and again once it stops, at {@code akka.stdout-loglevel}:
 * a node that is stopping logs its bus connections failing there. Such a line, {@code [WARN] [date time]
 * [thread] [source] text}, keeps its level; any other line is logged at INFO. A line longer than
 * {@link #MAX_LINE} is logged in pieces. Standard error is left alone: start-up errors stay visible there.
 */
final class StdoutToLog extends OutputStream {
  static final int MAX_LINE = 64 * 1024;

  private final Logger log;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  /** A line logged while logging one (an appender writing to standard output) is dropped, not looped. */
  private final ThreadLocal<Boolean> logging = ThreadLocal.withInitial(() -> false);

  StdoutToLog(Logger log) {
    this.log = log;
  }

  @Override public synchronized void write(int b) {
    if (b == '\n') {
      endLine();
      return;
    }
    line.write(b);
    if (line.size() >= MAX_LINE) endLine();
  }

  @Override public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) write(bytes[i]);
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
    if (text.isEmpty() || logging.get()) return;
    logging.set(true);
    try {
      log(text);
    } finally {
      logging.set(false);
    }
  }

  /** One line: an Akka line at its own level without its level and time (the log adds both), else at INFO. */
  private void log(String text) {
    String level = null;
    String rest = text;
    int levelEnd = text.indexOf("] [");
    if (text.startsWith("[") && levelEnd > 0) {
      level = text.substring(1, levelEnd);
      int timeEnd = text.indexOf("] ", levelEnd + 3);
      rest = timeEnd > 0 ? text.substring(timeEnd + 2) : text.substring(levelEnd + 2);
    }
    if ("ERROR".equals(level)) log.error("{}", rest);
    else if ("WARN".equals(level)) log.warn("{}", rest);
    else if ("INFO".equals(level)) log.info("{}", rest);
    else if ("DEBUG".equals(level)) log.debug("{}", rest);
    else log.info("{}", text);
  }
}
