package org.akkaredis.server;

/**
 * How many commands of a pipeline run as one batch. The replies of a batch are made whole before any of them is
 * written, so a batch is kept small while its replies are big (a pipeline of LRANGEs or GETRANGEs of large
 * values) and grows while they are small (many small commands share the ranges' messages, the main lever on
 * throughput). The rule: after a batch whose replies took more than {@link #TARGET_BYTES}, the next one is scaled
 * down in proportion (at least one command); after a batch under it, the next may be twice as large, up to
 * {@link #MAX_COMMANDS}.
 */
final class BatchSize {
  static final int MIN_COMMANDS = 1;
  static final int START_COMMANDS = 16;
  static final int MAX_COMMANDS = 1024;
  static final long TARGET_BYTES = 256 * 1024;

  private int commands = START_COMMANDS;

  int commands() {
    return commands;
  }

  /** A batch of {@code ran} commands made {@code replyBytes} of replies. */
  void ran(int ran, long replyBytes) {
    if (replyBytes > TARGET_BYTES) {
      long scaled = (long) ran * TARGET_BYTES / replyBytes;
      commands = (int) Math.max(MIN_COMMANDS, Math.min(commands, scaled));
    } else if (ran >= commands) {
      commands = Math.min(MAX_COMMANDS, commands * 2);
    }
  }
}
