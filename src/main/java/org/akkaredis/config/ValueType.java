package org.akkaredis.config;

import java.util.List;

/**
 * How one kind of setting value is parsed from words and printed back as CONFIG GET prints it.
 * Parsed values are immutable (Boolean, Long, String, Integer, List, or a private value class),
 * so one array of them can be shared between threads.
 */
interface ValueType {

  /**
   * Parses a value. Single-word types get exactly one word. Multi-word types get the words
   * CONFIG SET splits its argument into (on single spaces; none for an empty argument).
   *
   * @param current the value being replaced: some settings (client-output-buffer-limit) only
   *                change the parts that are named
   */
  Object parse(List<String> words, Object current) throws InvalidValue;

  /** The text CONFIG GET shows for a value. */
  String format(Object value);

  /** True if the value is a list of words (save, bind, ...), false if it is one word. */
  boolean multiWord();

  /** What a valid value looks like, for start-up errors, e.g. "must be yes or no". */
  String expectation();

  /**
   * A rejected value. {@code redisText} is redis-server's own error text (used by CONFIG SET);
   * {@code friendlyText} completes "'name' ..." in start-up errors.
   */
  final class InvalidValue extends Exception {
    private static final long serialVersionUID = 1L;

    final String redisText;
    final String friendlyText;

    InvalidValue(String redisText, String friendlyText) {
      super(redisText, null, false, false);
      this.redisText = redisText;
      this.friendlyText = friendlyText;
    }
  }
}
