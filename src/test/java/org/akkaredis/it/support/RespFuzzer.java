package org.akkaredis.it.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.akkaredis.command.CommandCatalog;
import org.akkaredis.command.CommandMetadata;

/**
 * A seeded generator of client inputs for fuzzing the wire protocol: valid commands of the node's command table
 * with right and wrong arguments (as RESP2 arrays and as inline commands), the same with wrong lengths and counts,
 * huge counts and lengths, RESP3 and other typed frames a client never sends, binary garbage, and byte-level
 * mutations of all of these. The same seed gives the same inputs.
 *
 * <p>What it never sends, because it legitimately stops, hangs or reconfigures the node, or disturbs the
 * checker client rather than the fuzzing connection (see {@link #EXCLUDED}): SHUTDOWN, DEBUG (SEGFAULT, SLEEP,
 * RESTART ...), blocking commands (BLPOP ... with timeout 0 waits forever; WAIT 0), CLIENT PAUSE / KILL,
 * CONFIG (requirepass, maxclients, timeout would lock the checker out), ACL, replication and cluster control
 * (REPLICAOF, SYNC, PSYNC, FAILOVER, CLUSTER), MONITOR, MIGRATE (connects out), FLUSHALL / FLUSHDB / SWAPDB (would
 * wipe the checker's data, legitimately), SAVE / BGSAVE / BGREWRITEAOF (disk work), LCS (its table is the product
 * of the two lengths: two 100 KB strings ask for 40 GB, in Redis too). Numbers are small or edge
 * values that Redis refuses or clamps: a count like -9223372036854775807 to SRANDMEMBER or an offset of 500 MB to
 * SETRANGE is a legitimate request for gigabytes, which Redis too would try to serve.
 */
public final class RespFuzzer {
  static final Set<String> EXCLUDED = Set.of("shutdown", "debug", "monitor", "sync", "psync", "replicaof", "slaveof",
      "failover", "cluster", "config", "acl", "client|kill", "client|pause", "flushall", "flushdb", "swapdb", "save",
      "bgsave", "bgrewriteaof", "migrate", "wait", "waitaof", "module", "lcs");

  private static final List<String> COMMANDS = commands();
  private static final String[] KEYS = {"k0", "k1", "k2", "k3", "{k}a", "{k}b", "", "list", "hash", "zset", "set"};
  private static final String[] WORDS = {"EX", "PX", "NX", "XX", "GT", "LT", "CH", "INCR", "WITHSCORES", "LIMIT",
      "COUNT", "MATCH", "TYPE", "BYSCORE", "BYLEX", "REV", "LEFT", "RIGHT", "BEFORE", "AFTER", "KEEPTTL", "GET",
      "IDX", "LEN", "MINMATCHLEN", "WITHMATCHLEN", "RANK", "MAXLEN", "AGGREGATE", "SUM", "MIN", "MAX", "WEIGHTS",
      "ON", "OFF", "SKIP", "ID", "LIB-NAME", "SETNAME", "AUTH", "3", "2", "FULL", "SAMPLES", "ENCODING", "FREQ",
      "*", "?", "[a-", "\\", "-inf", "+inf", "(1", "[a", "-", "+", "nan", "inf", "1e400", "0x10", " 1", "1 ", "-0",
      "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551616", "1.5", "abc"};

  private final Random random;

  public RespFuzzer(long seed) {
    this.random = new Random(seed);
  }

  private static List<String> commands() {
    List<String> names = new ArrayList<>();
    for (CommandMetadata command : CommandCatalog.redis70().all()) {
      String name = command.name();
      if (EXCLUDED.contains(name) || EXCLUDED.contains(name.split("\\|")[0])) continue;
      if (command.flags().contains("blocking")) continue;
      names.add(name);
    }
    names.sort(String::compareTo);
    return List.copyOf(names);
  }

  /**
   * One input: the bytes of one (maybe malformed) request. With {@code wellFormed}, a well-formed command (of the
   * command table or not, with arguments right or wrong, as RESP2 or inline), which the node answers without
   * closing; else anything.
   */
  public byte[] next(boolean wellFormed) {
    if (wellFormed) return random.nextInt(4) == 0 ? inline(command(), false) : resp(command());
    int kind = random.nextInt(100);
    if (kind < 30) return resp(command());
    if (kind < 40) return inline(command());
    if (kind < 50) return wrongLengths(command());
    if (kind < 55) return hugeCount();
    if (kind < 62) return typedFrame();
    if (kind < 70) return garbage();
    return mutate(random.nextBoolean() ? resp(command()) : inline(command()));
  }

  /** Splits {@code input} at random points: the pieces are written one by one. */
  public List<byte[]> split(byte[] input) {
    List<byte[]> pieces = new ArrayList<>();
    if (input.length < 2 || random.nextInt(3) == 0) {
      pieces.add(input);
      return pieces;
    }
    int from = 0;
    while (from < input.length) {
      int length = 1 + random.nextInt(Math.max(1, Math.min(input.length - from, random.nextBoolean() ? 4 : 512)));
      pieces.add(java.util.Arrays.copyOfRange(input, from, Math.min(input.length, from + length)));
      from += length;
    }
    return pieces;
  }

  /** A command name (a subcommand as its two words) with arguments of the right kinds in any number. */
  private List<byte[]> command() {
    List<byte[]> args = new ArrayList<>();
    String name = COMMANDS.get(random.nextInt(COMMANDS.size()));
    if (random.nextInt(50) == 0) name = randomWord(); // an unknown command
    for (String word : name.split("\\|")) {
      args.add(bytes(random.nextBoolean() ? word.toUpperCase(Locale.ROOT) : word));
    }
    int count = random.nextInt(8) == 0 ? random.nextInt(20) : random.nextInt(5);
    for (int i = 0; i < count; i++) args.add(argument());
    return args;
  }

  private byte[] argument() {
    return switch (random.nextInt(6)) {
      case 0, 1 -> bytes(KEYS[random.nextInt(KEYS.length)]);
      case 2 -> bytes(Integer.toString(random.nextInt(2000) - 1000));
      case 3 -> bytes(WORDS[random.nextInt(WORDS.length)]);
      case 4 -> bytes(Integer.toString(random.nextInt(10)));
      default -> randomBytes(random.nextInt(random.nextInt(10) == 0 ? 4096 : 16));
    };
  }

  private String randomWord() {
    StringBuilder word = new StringBuilder();
    int length = 1 + random.nextInt(10);
    for (int i = 0; i < length; i++) word.append((char) ('a' + random.nextInt(26)));
    return word.toString();
  }

  private static byte[] resp(List<byte[]> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes("*" + args.size() + "\r\n"));
    for (byte[] arg : args) {
      out.writeBytes(bytes("$" + arg.length + "\r\n"));
      out.writeBytes(arg);
      out.writeBytes(bytes("\r\n"));
    }
    return out.toByteArray();
  }

  /** An inline command: words separated by spaces, some quoted (a quote may be left open). */
  private byte[] inline(List<byte[]> args) {
    return inline(args, true);
  }

  private byte[] inline(List<byte[]> args, boolean mayBreak) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) out.writeBytes(bytes(random.nextInt(10) == 0 ? "\t " : " "));
      byte[] arg = args.get(i);
      if (!mayBreak && arg.length > 1000) arg = java.util.Arrays.copyOf(arg, 1000); // under the inline limit
      switch (random.nextInt(8)) {
        case 0 -> {
          out.write('"');
          for (byte b : arg) out.write(b == '"' || b == '\\' || b == '\n' || b == '\r' ? 'x' : b);
          if (!mayBreak || random.nextInt(4) > 0) out.write('"');
        }
        case 1 -> {
          out.write('\'');
          for (byte b : arg) out.write(b == '\'' || b == '\\' || b == '\n' || b == '\r' ? 'x' : b);
          out.write('\'');
        }
        case 2 -> out.writeBytes(bytes("\"\\x" + Integer.toHexString(random.nextInt(256)) + "\\n\""));
        default -> {
          for (byte b : arg) out.write(b == '\n' || b == '\r' ? ' ' : b);
        }
      }
    }
    out.writeBytes(bytes(random.nextBoolean() ? "\r\n" : "\n"));
    return out.toByteArray();
  }

  /** A RESP2 array whose count or one of whose lengths is off (too small, too big, negative, not a number). */
  private byte[] wrongLengths(List<byte[]> args) {
    int wrong = random.nextInt(args.size() + 1); // 0: the count, i: the length of argument i
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes("*" + (wrong == 0 ? wrongNumber(args.size()) : Integer.toString(args.size())) + "\r\n"));
    for (int i = 0; i < args.size(); i++) {
      byte[] arg = args.get(i);
      out.writeBytes(bytes("$" + (wrong == i + 1 ? wrongNumber(arg.length) : Integer.toString(arg.length)) + "\r\n"));
      out.writeBytes(arg);
      out.writeBytes(bytes("\r\n"));
    }
    return out.toByteArray();
  }

  private String wrongNumber(long value) {
    return switch (random.nextInt(6)) {
      case 0 -> Long.toString(value + 1 + random.nextInt(3));
      case 1 -> Long.toString(Math.max(-1, value - 1 - random.nextInt(3)));
      case 2 -> Long.toString(-2 - random.nextInt(100));
      case 3 -> "x" + value;
      case 4 -> "";
      default -> value + " ";
    };
  }

  /** Counts and lengths near the limits: Redis answers them with an error or waits for data that never comes. */
  private byte[] hugeCount() {
    String[] numbers = {"2147483647", "2147483648", "1048577", "536870912", "536870913", "9223372036854775807",
        "99999999999999999999", "-2147483648", "1024", "65536"};
    String number = numbers[random.nextInt(numbers.length)];
    return switch (random.nextInt(3)) {
      case 0 -> bytes("*" + number + "\r\n$3\r\nGET\r\n$1\r\nx\r\n");
      case 1 -> bytes("*2\r\n$3\r\nGET\r\n$" + number + "\r\nabc\r\n");
      default -> bytes("*" + number + "\r\n");
    };
  }

  /** A frame of a type a client does not send (RESP3 maps, sets, doubles, booleans, pushes, attributes ...). */
  private byte[] typedFrame() {
    String[] frames = {"%1\r\n+a\r\n:1\r\n", "~2\r\n$1\r\na\r\n$1\r\nb\r\n", ",1.5\r\n", "#t\r\n", "_\r\n",
        "(12345678901234567890\r\n", ">2\r\n+message\r\n+x\r\n", "|1\r\n+a\r\n+b\r\n", "=5\r\ntxt:x\r\n",
        "!3\r\nerr\r\n", "+PING\r\n", "-ERR\r\n", ":1\r\n", "$4\r\nPING\r\n", "*1\r\n*1\r\n$4\r\nPING\r\n",
        "*1\r\n:1\r\n", "*1\r\n+PING\r\n", "*2\r\n$4\r\nECHO\r\n%1\r\n+a\r\n+b\r\n", "\r\n", "\n", "*0\r\n",
        "*-1\r\n", "*\r\n", "$\r\n"};
    return bytes(frames[random.nextInt(frames.length)]);
  }

  private byte[] garbage() {
    int length = random.nextInt(10) == 0 ? random.nextInt(70_000) : random.nextInt(200);
    byte[] bytes = randomBytes(length);
    if (length > 0 && random.nextBoolean()) bytes[0] = (byte) "*$+-:\"'"
        .charAt(random.nextInt(7));
    return bytes;
  }

  /** 1 to 5 byte-level changes: flips, insertions, deletions, duplications, truncation. */
  private byte[] mutate(byte[] input) {
    byte[] bytes = input;
    int changes = 1 + random.nextInt(5);
    for (int c = 0; c < changes && bytes.length > 0; c++) {
      int at = random.nextInt(bytes.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (random.nextInt(5)) {
        case 0 -> {
          bytes = bytes.clone();
          bytes[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : "\r\n\0*$ \"".charAt(random.nextInt(7)));
          continue;
        }
        case 1 -> {
          out.write(bytes, 0, at);
          out.writeBytes(randomBytes(1 + random.nextInt(4)));
          out.write(bytes, at, bytes.length - at);
        }
        case 2 -> {
          int length = Math.min(bytes.length - at, 1 + random.nextInt(8));
          out.write(bytes, 0, at);
          out.write(bytes, at + length, bytes.length - at - length);
        }
        case 3 -> {
          int length = Math.min(bytes.length - at, 1 + random.nextInt(16));
          out.write(bytes, 0, at + length);
          out.write(bytes, at, bytes.length - at);
        }
        default -> out.write(bytes, 0, at);
      }
      bytes = out.toByteArray();
    }
    return bytes;
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
