package org.akkaredis.config;

import org.akkaredis.text.RedisNumbers;
import java.util.ArrayList;
import java.util.List;

/** The value types of redis-server 7.0's generic settings: bool, numeric, enum and string. */
final class ScalarTypes {

  private ScalarTypes() {
  }

  /** yes/no, case-insensitive; stored as Boolean. */
  static final class BoolType implements ValueType {
    static final BoolType INSTANCE = new BoolType();

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      String word = words.get(0);
      if (word.equalsIgnoreCase("yes")) {
        return Boolean.TRUE;
      }
      if (word.equalsIgnoreCase("no")) {
        return Boolean.FALSE;
      }
      throw new InvalidValue("argument must be 'yes' or 'no'", expectation());
    }

    @Override
    public String format(Object value) {
      return (Boolean) value ? "yes" : "no";
    }

    @Override
    public boolean multiWord() {
      return false;
    }

    @Override
    public String expectation() {
      return "must be yes or no";
    }
  }

  /** How a numeric setting is written. */
  enum NumberForm {
    /** A plain decimal integer. */
    INTEGER,
    /** Bytes, optionally with a unit k kb m mb g gb. */
    MEMORY,
    /** Bytes as for MEMORY, or a percentage like 10% (stored negated, as Redis does). */
    MEMORY_OR_PERCENT,
    /** An octal number such as 700 (unixsocketperm). */
    OCTAL
  }

  /**
   * Any of redis-server's numeric settings; stored as a Long holding the C value's 64 bits.
   * {@code unsigned} mirrors the C types (unsigned int, size_t, unsigned long long) whose bounds
   * redis-server checks as unsigned numbers, so that e.g. -1 is "between 1 and 4294967295".
   */
  static final class NumberType implements ValueType {
    final long min;
    final long max;
    final boolean unsigned;
    final NumberForm form;
    /** Redis keeps some numbers inside a range after accepting them (hz: 1..500). */
    final long keepAtLeast;
    final long keepAtMost;

    NumberType(long min, long max, boolean unsigned, NumberForm form) {
      this(min, max, unsigned, form, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    NumberType(long min, long max, boolean unsigned, NumberForm form, long keepAtLeast, long keepAtMost) {
      this.min = min;
      this.max = max;
      this.unsigned = unsigned;
      this.form = form;
      this.keepAtLeast = keepAtLeast;
      this.keepAtMost = keepAtMost;
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      long value = parseNumber(words.get(0));
      checkBounds(value);
      return Math.max(keepAtLeast, Math.min(keepAtMost, value));
    }

    private long parseNumber(String text) throws InvalidValue {
      switch (form) {
        case MEMORY: {
          Long bytes = RedisNumbers.memtoull(text);
          if (bytes == null) {
            throw new InvalidValue("argument must be a memory value", expectation());
          }
          return bytes;
        }
        case MEMORY_OR_PERCENT: {
          Long bytes = RedisNumbers.memtoull(text);
          if (bytes != null) {
            return bytes;
          }
          if (text.length() > 1 && text.endsWith("%")) {
            Long percent = RedisNumbers.string2ll(text.substring(0, text.length() - 1));
            if (percent != null && percent >= 0) {
              return -percent;
            }
          }
          throw new InvalidValue("argument must be a memory or percent value", expectation());
        }
        case OCTAL: {
          RedisNumbers.Parsed parsed = RedisNumbers.strtoll(text, 8);
          if (parsed.wholeText() && !parsed.overflow()) {
            return parsed.value();
          }
          throw new InvalidValue("argument couldn't be parsed as an octal number", expectation());
        }
        default: {
          Long number = RedisNumbers.string2ll(text);
          if (number == null) {
            throw new InvalidValue("argument couldn't be parsed into an integer", expectation());
          }
          return number;
        }
      }
    }

    private void checkBounds(long value) throws InvalidValue {
      if (unsigned) {
        if (Long.compareUnsigned(value, max) > 0 || Long.compareUnsigned(value, min) < 0) {
          String bounds = form == NumberForm.OCTAL
              ? "between " + Long.toOctalString(min) + " and " + Long.toOctalString(max)
              : "between " + Long.toUnsignedString(min) + " and " + Long.toUnsignedString(max);
          throw new InvalidValue("argument must be " + bounds + " inclusive", expectation());
        }
      } else if (form == NumberForm.MEMORY_OR_PERCENT && value < 0) {
        if (value < min) {
          throw new InvalidValue("percentage argument must be less or equal to " + (-min), expectation());
        }
      } else if (value > max || value < min) {
        throw new InvalidValue("argument must be between " + min + " and " + max + " inclusive",
            expectation());
      }
    }

    @Override
    public String format(Object value) {
      long number = (Long) value;
      switch (form) {
        case MEMORY_OR_PERCENT:
          return number < 0 ? (-number) + "%" : Long.toUnsignedString(number);
        case MEMORY:
          return Long.toUnsignedString(number);
        case OCTAL:
          return Long.toOctalString(number);
        default:
          return unsigned ? Long.toUnsignedString(number) : Long.toString(number);
      }
    }

    @Override
    public boolean multiWord() {
      return false;
    }

    @Override
    public String expectation() {
      String low = unsigned ? Long.toUnsignedString(min) : Long.toString(min);
      String high = unsigned ? Long.toUnsignedString(max) : Long.toString(max);
      switch (form) {
        case MEMORY:
          return "must be a size in bytes between " + low + " and " + high
              + " (units k, kb, m, mb, g, gb allowed)";
        case MEMORY_OR_PERCENT:
          return "must be a size in bytes (units k, kb, m, mb, g, gb allowed) or a percentage up to "
              + (-min) + "%";
        case OCTAL:
          return "must be an octal number between " + Long.toOctalString(min) + " and "
              + Long.toOctalString(max);
        default:
          return "must be an integer between " + low + " and " + high;
      }
    }
  }

  /**
   * One of a fixed list of names, case-insensitive. Names may share a meaning (oom-score-adj's
   * "relative" is "yes"); like redis-server, the value is shown by the first name with that
   * meaning. Stored as that first name.
   */
  static final class EnumType implements ValueType {
    private final List<String> names;
    private final List<String> shownNames;

    /** @param namesAndMeanings name, meaning, name, meaning, ... in redis-server's order */
    EnumType(String... namesAndMeanings) {
      List<String> allNames = new ArrayList<>();
      List<String> meanings = new ArrayList<>();
      for (int i = 0; i < namesAndMeanings.length; i += 2) {
        allNames.add(namesAndMeanings[i]);
        meanings.add(namesAndMeanings[i + 1]);
      }
      List<String> shown = new ArrayList<>();
      for (String meaning : meanings) {
        shown.add(allNames.get(meanings.indexOf(meaning)));
      }
      this.names = List.copyOf(allNames);
      this.shownNames = List.copyOf(shown);
    }

    /** An enum whose names all mean different things. */
    static EnumType of(String... names) {
      String[] pairs = new String[names.length * 2];
      for (int i = 0; i < names.length; i++) {
        pairs[2 * i] = names[i];
        pairs[2 * i + 1] = names[i];
      }
      return new EnumType(pairs);
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      String word = words.get(0);
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(word)) {
          return shownNames.get(i);
        }
      }
      throw new InvalidValue("argument(s) must be one of the following: " + String.join(", ", names),
          expectation());
    }

    @Override
    public String format(Object value) {
      return (String) value;
    }

    @Override
    public boolean multiWord() {
      return false;
    }

    @Override
    public String expectation() {
      return "must be one of " + String.join(", ", names);
    }

    List<String> names() {
      return names;
    }
  }

  /**
   * Several names from a list, each standing for a bit (shutdown-on-sigint: "nosave now").
   * Stored as an Integer of the bits; printed like redis-server: the name of the exact value if
   * there is one ("default" for none), else every matching name in list order.
   */
  static final class FlagsType implements ValueType {
    private final List<String> names;
    private final List<Integer> bits;

    /** @param namesAndBits name, bit, name, bit, ... in redis-server's order */
    FlagsType(Object... namesAndBits) {
      List<String> allNames = new ArrayList<>();
      List<Integer> allBits = new ArrayList<>();
      for (int i = 0; i < namesAndBits.length; i += 2) {
        allNames.add((String) namesAndBits[i]);
        allBits.add((Integer) namesAndBits[i + 1]);
      }
      this.names = List.copyOf(allNames);
      this.bits = List.copyOf(allBits);
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      if (words.isEmpty()) {
        throw invalid();
      }
      int value = 0;
      for (String word : words) {
        int index = indexOfName(word);
        if (index < 0) {
          throw invalid();
        }
        value |= bits.get(index);
      }
      return value;
    }

    private int indexOfName(String word) {
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(word)) {
          return i;
        }
      }
      return -1;
    }

    private InvalidValue invalid() {
      return new InvalidValue("argument(s) must be one of the following: " + String.join(", ", names),
          expectation());
    }

    @Override
    public String format(Object value) {
      int flags = (Integer) value;
      int exact = bits.indexOf(flags);
      if (exact >= 0) {
        return names.get(exact);
      }
      List<String> shown = new ArrayList<>();
      int unmatched = flags;
      for (int i = 0; i < names.size(); i++) {
        int bit = bits.get(i);
        if (bit != 0 && (unmatched & bit) == bit) {
          shown.add(names.get(i));
          unmatched &= ~bit;
        }
      }
      return shown.isEmpty() || unmatched != 0 ? "unknown" : String.join(" ", shown);
    }

    @Override
    public boolean multiWord() {
      return true;
    }

    @Override
    public String expectation() {
      return "must be one or more of " + String.join(", ", names);
    }
  }

  /** Free text; stored as String. */
  static final class StringType implements ValueType {
    static final StringType INSTANCE = new StringType();

    @Override
    public Object parse(List<String> words, Object current) {
      return words.get(0);
    }

    @Override
    public String format(Object value) {
      return (String) value;
    }

    @Override
    public boolean multiWord() {
      return false;
    }

    @Override
    public String expectation() {
      return "must be a text";
    }
  }
}
