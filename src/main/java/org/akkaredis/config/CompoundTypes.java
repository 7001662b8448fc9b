package org.akkaredis.config;

import org.akkaredis.text.RedisNumbers;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The value types of redis-server 7.0's "special" settings, each with its own syntax: save,
 * bind, client-output-buffer-limit, oom-score-adj-values, notify-keyspace-events, replicaof,
 * latency-tracking-info-percentiles and dir. Error texts are redis-server's.
 */
final class CompoundTypes {

  private CompoundTypes() {
  }

  /** Base for the types whose friendly start-up error is redis-server's own text. */
  private abstract static class SpecialType implements ValueType {
    private final boolean multiWord;
    private final String expectation;

    SpecialType(boolean multiWord, String expectation) {
      this.multiWord = multiWord;
      this.expectation = expectation;
    }

    InvalidValue invalid(String redisText) {
      return new InvalidValue(redisText, "is invalid (" + redisText + ")");
    }

    @Override
    public boolean multiWord() {
      return multiWord;
    }

    @Override
    public String expectation() {
      return expectation;
    }
  }

  /** A single empty word means "no words" for save, bind and the percentiles. */
  private static List<String> emptyWordMeansNone(List<String> words) {
    return words.size() == 1 && words.get(0).isEmpty() ? List.of() : words;
  }

  /** One "save SECONDS CHANGES" rule. */
  record SavePoint(long seconds, int changes) {
  }

  /** save: pairs of seconds (>= 1) and changes (>= 0); empty disables snapshots. */
  static final class SaveType extends SpecialType {
    SaveType() {
      super(true, "must be pairs of seconds and changes, like \"3600 1 300 100\", or \"\"");
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      List<String> args = emptyWordMeansNone(words);
      if (args.size() % 2 != 0) {
        throw invalid("Invalid save parameters");
      }
      List<SavePoint> points = new ArrayList<>();
      for (int i = 0; i < args.size(); i += 2) {
        RedisNumbers.Parsed seconds = RedisNumbers.strtoll(args.get(i), 10);
        RedisNumbers.Parsed changes = RedisNumbers.strtoll(args.get(i + 1), 10);
        if (!seconds.wholeText() || seconds.value() < 1 || !changes.wholeText() || changes.value() < 0) {
          throw invalid("Invalid save parameters");
        }
        // redis-server keeps changes in a C int.
        points.add(new SavePoint(seconds.value(), (int) changes.value()));
      }
      return List.copyOf(points);
    }

    @Override
    public String format(Object value) {
      StringBuilder text = new StringBuilder();
      for (Object element : (List<?>) value) {
        SavePoint point = (SavePoint) element;
        if (text.length() > 0) {
          text.append(' ');
        }
        text.append(point.seconds()).append(' ').append(point.changes());
      }
      return text.toString();
    }
  }

  /** bind: up to 16 addresses; "" binds none. Stored as an immutable List of String. */
  static final class BindType extends SpecialType {
    /** redis-server's CONFIG_BINDADDR_MAX. */
    private static final int MAX_ADDRESSES = 16;

    BindType() {
      super(true, "must be up to 16 addresses separated by spaces");
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      if (words.size() > MAX_ADDRESSES) {
        throw invalid("Too many bind addresses specified.");
      }
      return List.copyOf(emptyWordMeansNone(words));
    }

    @Override
    public String format(Object value) {
      @SuppressWarnings("unchecked")
      List<String> addresses = (List<String>) value;
      return String.join(" ", addresses);
    }
  }

  /** Limits of one client class in client-output-buffer-limit. */
  record ClassLimit(long hardBytes, long softBytes, long softSeconds) {
  }

  /**
   * client-output-buffer-limit: groups of "class hard soft soft-seconds" for normal,
   * replica (alias slave) and pubsub; classes not named keep their limits. Stored as a List of
   * three ClassLimit in the order normal, replica, pubsub.
   */
  static final class ClientOutputBufferLimitType extends SpecialType {
    private static final List<String> CLASS_NAMES = List.of("normal", "slave", "pubsub");

    ClientOutputBufferLimitType() {
      super(true, "must be groups of <class> <hard> <soft> <seconds>, class normal, replica or pubsub");
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      List<String> args = emptyWordMeansNone(words);
      if (args.size() % 4 != 0) {
        throw invalid("Wrong number of arguments in buffer limit configuration.");
      }
      @SuppressWarnings("unchecked")
      List<ClassLimit> limits = new ArrayList<>((List<ClassLimit>) current);
      for (int i = 0; i < args.size(); i += 4) {
        int clientClass = classIndex(args.get(i));
        if (clientClass < 0) {
          throw invalid("Invalid client class specified in buffer limit configuration.");
        }
        Long hard = RedisNumbers.memtoull(args.get(i + 1));
        Long soft = RedisNumbers.memtoull(args.get(i + 2));
        RedisNumbers.Parsed seconds = RedisNumbers.strtoll(args.get(i + 3), 10);
        // redis-server reads the seconds into a C int before checking the sign.
        int softSeconds = (int) seconds.value();
        if (hard == null || soft == null || softSeconds < 0 || !seconds.wholeText()) {
          throw invalid("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
        }
        limits.set(clientClass, new ClassLimit(hard, soft, softSeconds));
      }
      return List.copyOf(limits);
    }

    private static int classIndex(String name) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("replica")) {
        return 1;
      }
      return CLASS_NAMES.indexOf(lower);
    }

    @Override
    public String format(Object value) {
      StringBuilder text = new StringBuilder();
      List<?> limits = (List<?>) value;
      for (int i = 0; i < limits.size(); i++) {
        ClassLimit limit = (ClassLimit) limits.get(i);
        if (i > 0) {
          text.append(' ');
        }
        text.append(CLASS_NAMES.get(i)).append(' ')
            .append(Long.toUnsignedString(limit.hardBytes())).append(' ')
            .append(Long.toUnsignedString(limit.softBytes())).append(' ')
            .append(limit.softSeconds());
      }
      return text.toString();
    }
  }

  /** oom-score-adj-values: three integers -2000..2000 (master, replica, background child). */
  static final class OomScoreAdjValuesType extends SpecialType {
    OomScoreAdjValuesType() {
      super(true, "must be three integers between -2000 and 2000");
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      List<String> args = emptyWordMeansNone(words);
      if (args.size() != 3) {
        throw invalid("wrong number of arguments");
      }
      List<String> values = new ArrayList<>();
      for (String arg : args) {
        RedisNumbers.Parsed parsed = RedisNumbers.strtoll(arg, 10);
        if (!parsed.wholeText() || parsed.value() < -2000 || parsed.value() > 2000) {
          throw invalid("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
        }
        values.add(Long.toString(parsed.value()));
      }
      return String.join(" ", values);
    }

    @Override
    public String format(Object value) {
      return (String) value;
    }
  }

  /**
   * notify-keyspace-events: the class letters "Ag$lshzxeKEtmdn"; stored as redis-server's
   * flag bits (Integer) so it prints them back in redis-server's canonical order.
   */
  static final class NotifyKeyspaceEventsType extends SpecialType {
    private static final int KEYSPACE = 1;
    private static final int KEYEVENT = 1 << 1;
    private static final int GENERIC = 1 << 2;
    private static final int STRING = 1 << 3;
    private static final int LIST = 1 << 4;
    private static final int SET = 1 << 5;
    private static final int HASH = 1 << 6;
    private static final int ZSET = 1 << 7;
    private static final int EXPIRED = 1 << 8;
    private static final int EVICTED = 1 << 9;
    private static final int STREAM = 1 << 10;
    private static final int KEY_MISS = 1 << 11;
    private static final int MODULE = 1 << 13;
    private static final int NEW = 1 << 14;
    /** 'A': every class except key-miss and new, exactly as redis-server defines it. */
    private static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED
        | STREAM | MODULE;

    NotifyKeyspaceEventsType() {
      super(false, "must be made of the letters Ag$lshzxeKEtmdn");
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      int flags = 0;
      for (char c : words.get(0).toCharArray()) {
        switch (c) {
          case 'A' -> flags |= ALL;
          case 'g' -> flags |= GENERIC;
          case '$' -> flags |= STRING;
          case 'l' -> flags |= LIST;
          case 's' -> flags |= SET;
          case 'h' -> flags |= HASH;
          case 'z' -> flags |= ZSET;
          case 'x' -> flags |= EXPIRED;
          case 'e' -> flags |= EVICTED;
          case 'K' -> flags |= KEYSPACE;
          case 'E' -> flags |= KEYEVENT;
          case 't' -> flags |= STREAM;
          case 'm' -> flags |= KEY_MISS;
          case 'd' -> flags |= MODULE;
          case 'n' -> flags |= NEW;
          default -> throw invalid("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        }
      }
      return flags;
    }

    @Override
    public String format(Object value) {
      int flags = (Integer) value;
      StringBuilder text = new StringBuilder();
      if ((flags & ALL) == ALL) {
        text.append('A');
      } else {
        appendIf(text, flags, GENERIC, 'g');
        appendIf(text, flags, STRING, '$');
        appendIf(text, flags, LIST, 'l');
        appendIf(text, flags, SET, 's');
        appendIf(text, flags, HASH, 'h');
        appendIf(text, flags, ZSET, 'z');
        appendIf(text, flags, EXPIRED, 'x');
        appendIf(text, flags, EVICTED, 'e');
        appendIf(text, flags, STREAM, 't');
        appendIf(text, flags, MODULE, 'd');
        appendIf(text, flags, NEW, 'n');
      }
      appendIf(text, flags, KEYSPACE, 'K');
      appendIf(text, flags, KEYEVENT, 'E');
      appendIf(text, flags, KEY_MISS, 'm');
      return text.toString();
    }

    private static void appendIf(StringBuilder text, int flags, int flag, char letter) {
      if ((flags & flag) != 0) {
        text.append(letter);
      }
    }
  }

  /** replicaof: "host port", or "no one" for none; stored as "host port" or "". */
  static final class ReplicaOfType extends SpecialType {
    ReplicaOfType() {
      super(true, "must be \"<host> <port>\" or \"no one\"");
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      List<String> args = emptyWordMeansNone(words);
      if (args.isEmpty()) {
        return ""; // start-up files may write replicaof = "" for "not a replica"
      }
      if (args.size() != 2) {
        throw invalid("wrong number of arguments");
      }
      if (args.get(0).equalsIgnoreCase("no") && args.get(1).equalsIgnoreCase("one")) {
        return "";
      }
      RedisNumbers.Parsed port = RedisNumbers.strtoll(args.get(1), 10);
      if (!port.wholeText() || port.value() < 0 || port.value() > 65535) {
        throw invalid("Invalid master port");
      }
      return args.get(0) + " " + port.value();
    }

    @Override
    public String format(Object value) {
      return (String) value;
    }
  }

  /** latency-tracking-info-percentiles: numbers 0.0..100.0; stored as a List of Double. */
  static final class LatencyPercentilesType extends SpecialType {
    LatencyPercentilesType() {
      super(true, "must be numbers between 0.0 and 100.0");
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      List<Double> percentiles = new ArrayList<>();
      for (String word : emptyWordMeansNone(words)) {
        Double percentile = RedisNumbers.string2d(word);
        if (percentile == null) {
          throw invalid("Invalid latency-tracking-info-percentiles parameters");
        }
        if (percentile > 100.0 || percentile < 0.0) {
          throw invalid("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
        }
        percentiles.add(percentile);
      }
      return List.copyOf(percentiles);
    }

    @Override
    public String format(Object value) {
      List<String> texts = new ArrayList<>();
      for (Object percentile : (List<?>) value) {
        // redis-server prints "%f" and then trims trailing zeros and the dot.
        String text = String.format(Locale.ROOT, "%f", (Double) percentile);
        if (text.contains(".")) {
          text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        texts.add(text);
      }
      return String.join(" ", texts);
    }
  }

  /**
   * dir: the working directory for nodes.conf and persistence files. Stored as an absolute,
   * normalized path, which is what CONFIG GET shows (redis-server shows its cwd).
   */
  static final class DirType extends SpecialType {
    DirType() {
      super(false, "must be a directory path");
    }

    @Override
    public Object parse(List<String> words, Object current) throws InvalidValue {
      if (words.get(0).isEmpty()) {
        throw invalid("No such file or directory");
      }
      try {
        return Path.of(words.get(0)).toAbsolutePath().normalize().toString();
      } catch (InvalidPathException e) {
        throw invalid("No such file or directory");
      }
    }

    @Override
    public String format(Object value) {
      return (String) value;
    }
  }
}
