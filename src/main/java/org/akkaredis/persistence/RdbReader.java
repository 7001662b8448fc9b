package org.akkaredis.persistence;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.akkaredis.keyspace.RedisStream;
import org.akkaredis.text.RedisNumbers;

/**
 * Reads Redis's RDB format, versions 1 to 10 (10 is what Redis 7.0 writes), the way Redis 7.0's rdbLoadRio and
 * rdbLoadObject do: every value type up to 7.0 in every encoding (plain, ziplist, listpack, intset, zipmap,
 * quicklist of ziplists, quicklist of plain and listpack nodes, streams of listpacks), and 7.2's set listpack; strings
 * stored as integers or LZF-compressed. Module values, module aux data and 7.2's stream type are not supported and
 * fail clearly; function libraries are skipped.
 *
 * <p>Values are handed over as the file holds them: integers in ziplists, listpacks and intsets as their decimal
 * text, members and fields in file order, duplicates not checked. A collection with no elements is skipped, as
 * Redis skips such "empty keys". Keys whose expiry has passed are reported all the same; the caller decides.
 */
public final class RdbReader {
  static final int MAX_VERSION = 10;

  private static final int OPCODE_FUNCTION2 = 0xF5;
  /** Functions as Redis 7.0's release candidates wrote them, which 7.0 itself refuses. */
  private static final int OPCODE_FUNCTION_PRE_GA = 0xF6;
  private static final int OPCODE_MODULE_AUX = 0xF7;
  private static final int OPCODE_IDLE = 0xF8;
  private static final int OPCODE_FREQ = 0xF9;
  private static final int OPCODE_AUX = 0xFA;
  private static final int OPCODE_RESIZEDB = 0xFB;
  private static final int OPCODE_EXPIRETIME_MS = 0xFC;
  private static final int OPCODE_EXPIRETIME = 0xFD;
  private static final int OPCODE_SELECTDB = 0xFE;
  private static final int OPCODE_EOF = 0xFF;

  private static final int TYPE_STRING = 0;
  private static final int TYPE_LIST = 1;
  private static final int TYPE_SET = 2;
  private static final int TYPE_ZSET = 3;
  private static final int TYPE_HASH = 4;
  private static final int TYPE_ZSET_2 = 5;
  private static final int TYPE_MODULE_PRE_GA = 6;
  private static final int TYPE_MODULE_2 = 7;
  private static final int TYPE_HASH_ZIPMAP = 9;
  private static final int TYPE_LIST_ZIPLIST = 10;
  private static final int TYPE_SET_INTSET = 11;
  private static final int TYPE_ZSET_ZIPLIST = 12;
  private static final int TYPE_HASH_ZIPLIST = 13;
  private static final int TYPE_LIST_QUICKLIST = 14;
  private static final int TYPE_STREAM_LISTPACKS = 15;
  private static final int TYPE_HASH_LISTPACK = 16;
  private static final int TYPE_ZSET_LISTPACK = 17;
  private static final int TYPE_LIST_QUICKLIST_2 = 18;
  private static final int TYPE_STREAM_LISTPACKS_2 = 19;
  private static final int TYPE_SET_LISTPACK = 20;
  private static final int TYPE_STREAM_LISTPACKS_3 = 21;

  /** The special string encodings, marked by the top two bits of a length byte being 11. */
  private static final int ENC_INT8 = 0xC0;
  private static final int ENC_INT16 = 0xC1;
  private static final int ENC_INT32 = 0xC2;
  private static final int ENC_LZF = 0xC3;

  /** rdbSaveDoubleValue's length byte for the special scores of type ZSET. */
  private static final int SCORE_NAN = 253;
  private static final int SCORE_POSITIVE_INFINITY = 254;
  private static final int SCORE_NEGATIVE_INFINITY = 255;

  private static final int QUICKLIST_NODE_PLAIN = 1;
  private static final int QUICKLIST_NODE_PACKED = 2;

  private static final int ZIPLIST_END = 0xFF;
  private static final int ZIPLIST_BIG_PREVLEN = 0xFE;
  private static final int LISTPACK_END = 0xFF;
  /** A ziplist's or listpack's element count from which the header no longer says it. */
  private static final int COUNT_UNKNOWN = 0xFFFF;
  private static final int ZIPMAP_BIGLEN = 0xFE;
  private static final int ZIPMAP_END = 0xFF;

  /** The most LZF output per input byte: a 3-byte back reference copies at most 264 bytes. */
  private static final int LZF_MAX_EXPANSION = 88;
  /** Collections are pre-sized to at most this, so that a corrupt count cannot allocate much. */
  private static final int MAX_INITIAL_CAPACITY = 1024;
  /** Strings are limited to what a Java array holds. */
  private static final int MAX_STRING_LENGTH = Integer.MAX_VALUE - 16;

  /** One key's value as the file holds it. */
  public sealed interface Value {}

  public record StringValue(byte[] value) implements Value {}

  public record ListValue(List<byte[]> items) implements Value {}

  public record SetValue(List<byte[]> members) implements Value {}

  /** {@code scores[i]} is the score of {@code members.get(i)}. */
  public record ZSetValue(List<byte[]> members, double[] scores) implements Value {}

  /** {@code values.get(i)} is the value of {@code fields.get(i)}. */
  public record HashValue(List<byte[]> fields, List<byte[]> values) implements Value {}

  /** A stream, built as it is kept (its nodes are the file's listpacks). */
  public record StreamValue(RedisStream stream) implements Value {}

  /** What the file holds, in file order. */
  public interface Visitor {
    /** An AUX field (redis-ver, ctime, repl-id, ...). */
    default void aux(String key, byte[] value) {}

    /** expireAtMs: absolute unix ms, or -1 */
    void key(int db, byte[] key, Value value, long expireAtMs) throws IOException;

    /** A function library's code (RDB_OPCODE_FUNCTION2, or the pre-release FUNCTION record translated). */
    default void library(byte[] code) throws IOException {}
  }

  /** The file is no RDB file this reader can load: bad magic, unsupported version or type, corrupt, truncated. */
  public static final class RdbFormatException extends IOException {
    public RdbFormatException(String message) {
      super(message);
    }

    public RdbFormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Input input;
  private final Visitor visitor;

  private RdbReader(Input input, Visitor visitor) {
    this.input = input;
    this.visitor = visitor;
  }

  /**
   * Reads a whole RDB stream from {@code in}, handing each AUX field and key to {@code visitor} as it comes, and
   * checks the CRC-64 when the file carries one (version 5 on, and not 0, which means "saved without"). The
   * visitor sees the keys before the checksum is checked: a caller that must not act on a corrupt file collects
   * them first.
   *
   * <p>Returns the number of bytes the RDB part takes, and leaves {@code in} positioned right after it (after
   * the checksum), so an AOF with an RDB preamble can go on reading its commands from {@code in}. To be fast
   * without reading past that point, the reader reads 64 KiB chunks from a stream that supports mark/reset
   * ({@link java.io.BufferedInputStream}, {@link java.io.ByteArrayInputStream}), marking before each chunk, and at
   * the end resets to the last mark and skips what it consumed; the stream's own mark is lost. From any other
   * stream it reads exactly the bytes it needs, which is correct but slow on an unbuffered file or socket stream
   * (every few bytes a call to it): wrap those in a BufferedInputStream. {@code in} is not closed.
   *
   * @throws RdbFormatException bad magic, a version above 10, an unknown or unsupported type or opcode, corrupt
   *     contents, a truncated stream or a checksum mismatch
   * @throws IOException what {@code in} or the visitor throws
   */
  public static long read(InputStream in, Visitor visitor) throws IOException {
    Input input = new Input(in);
    new RdbReader(input, visitor).readFile();
    input.giveBackReadAhead();
    return input.position();
  }

  /**
   * One value as a DUMP payload holds it: its RDB type and its encoding (Redis's rdbLoadObjectType and
   * rdbLoadObject), from the first {@code length} bytes of {@code bytes}. What follows the value is not looked at,
   * as Redis's RESTORE does not. Returns null for a collection with no elements, which Redis refuses too.
   *
   * @throws RdbFormatException an unknown or unsupported type, corrupt contents, or bytes that end too soon
   */
  public static Value readObject(byte[] bytes, int length) throws RdbFormatException {
    Input input = new Input(new ByteArrayInputStream(bytes, 0, length));
    RdbReader reader = new RdbReader(input, null);
    try {
      int type = input.u8();
      if (!isValueType(type)) throw reader.formatError("unknown RDB type " + type);
      return reader.readValue(type);
    } catch (RdbFormatException e) {
      throw e;
    } catch (IOException e) {
      // A byte array stream fails only by ending, which Input reports as RdbFormatException already.
      throw new RdbFormatException("unreadable value: " + e.getMessage(), e);
    }
  }

  /**
   * The libraries of a FUNCTION DUMP payload (functionRestoreCommand's loop): records up to the last 10 bytes (the
   * version and the CRC, already checked), each RDB_OPCODE_FUNCTION2 or the pre-release FUNCTION record.
   *
   * @throws RdbFormatException with Redis's text: "given type is not a function", "Failed loading library payload"
   *     (and the pre-release record's "Failed loading library name" ...)
   */
  public static List<byte[]> readLibraries(byte[] payload) throws RdbFormatException {
    Input input = new Input(new ByteArrayInputStream(payload));
    RdbReader reader = new RdbReader(input, null);
    List<byte[]> codes = new ArrayList<>();
    while (payload.length - input.position() > 10) {
      int type;
      try {
        type = input.u8();
      } catch (IOException e) {
        throw new RdbFormatException("can not read data type");
      }
      if (type != OPCODE_FUNCTION2 && type != OPCODE_FUNCTION_PRE_GA) {
        throw new RdbFormatException("given type is not a function");
      }
      try {
        codes.add(reader.readLibrary(type));
      } catch (RdbFormatException e) {
        throw e;
      } catch (IOException e) {
        throw new RdbFormatException("Failed loading library payload");
      }
    }
    return codes;
  }

  /**
   * rdbFunctionLoad's record: FUNCTION2 is the code; the pre-release FUNCTION (7.0 rc1, rc2) is name, engine, an
   * optional description and the body, which Redis turns into "#!engine name=name\n" and the body.
   */
  private byte[] readLibrary(int opcode) throws IOException {
    if (opcode == OPCODE_FUNCTION2) return readOr("Failed loading library payload");
    byte[] name = readOr("Failed loading library name");
    byte[] engine = readOr("Failed loading engine name");
    long hasDescription;
    try {
      hasDescription = readLength();
    } catch (IOException e) {
      throw new RdbFormatException("Failed loading library description indicator");
    }
    if (hasDescription != 0) readOr("Failed loading library description");
    byte[] body = readOr("Failed loading library blob");
    java.io.ByteArrayOutputStream code = new java.io.ByteArrayOutputStream();
    code.writeBytes("#!".getBytes(StandardCharsets.US_ASCII));
    code.writeBytes(engine);
    code.writeBytes(" name=".getBytes(StandardCharsets.US_ASCII));
    code.writeBytes(name);
    code.write('\n');
    code.writeBytes(body);
    return code.toByteArray();
  }

  private byte[] readOr(String failure) throws RdbFormatException {
    try {
      return readString();
    } catch (IOException e) {
      throw new RdbFormatException(failure);
    }
  }

  private void readFile() throws IOException {
    int version = readHeader();
    int db = 0;
    long expireAtMs = -1;
    while (true) {
      int opcode = input.u8();
      switch (opcode) {
        case OPCODE_EOF -> {
          checkChecksum(version);
          return;
        }
        case OPCODE_SELECTDB -> db = readCount("database number");
        case OPCODE_RESIZEDB -> {
          readLength();
          readLength();
        }
        case OPCODE_AUX -> {
          // ISO-8859-1: one char per byte, so no key byte is lost.
          String key = new String(readString(), StandardCharsets.ISO_8859_1);
          visitor.aux(key, readString());
        }
        case OPCODE_EXPIRETIME_MS -> expireAtMs = input.littleEndian(8);
        case OPCODE_EXPIRETIME -> expireAtMs = (int) input.littleEndian(4) * 1000L;
        case OPCODE_IDLE -> readLength();
        case OPCODE_FREQ -> input.u8();
        case OPCODE_FUNCTION2, OPCODE_FUNCTION_PRE_GA -> visitor.library(readLibrary(opcode));
        case OPCODE_MODULE_AUX ->
            throw formatError("module aux data (opcode 0xF7) is not supported: only its module can read it");
        default -> {
          if (!isValueType(opcode)) throw formatError("unknown RDB type or opcode " + opcode);
          byte[] key = readString();
          Value value;
          try {
            value = readValue(opcode);
          } catch (RdbFormatException e) {
            throw new RdbFormatException(e.getMessage() + " (key " + printable(key) + " in db " + db + ")", e);
          }
          if (value != null) visitor.key(db, key, value, expireAtMs);
          expireAtMs = -1;
        }
      }
    }
  }

  /** "REDIS" and the version as four digits. */
  private int readHeader() throws IOException {
    byte[] header = input.bytes(9);
    if (!new String(header, 0, 5, StandardCharsets.ISO_8859_1).equals("REDIS")) {
      throw new RdbFormatException("not an RDB file: it starts with " + printable(header) + ", not with REDIS");
    }
    int version = 0;
    for (int i = 5; i < 9; i++) {
      if (header[i] < '0' || header[i] > '9') {
        throw new RdbFormatException("not an RDB file: bad version " + printable(Arrays.copyOfRange(header, 5, 9)));
      }
      version = version * 10 + header[i] - '0';
    }
    if (version < 1 || version > MAX_VERSION) {
      throw new RdbFormatException("unsupported RDB version " + version + ": this reader reads versions 1 to "
          + MAX_VERSION + " (what Redis up to 7.0 writes)");
    }
    return version;
  }

  private void checkChecksum(int version) throws IOException {
    if (version < 5) return;
    long computed = input.checksum();
    long stored = input.littleEndian(8);
    if (stored != 0 && stored != computed) {
      throw new RdbFormatException(String.format("RDB checksum mismatch: the file says %016x, its contents give %016x",
          stored, computed));
    }
  }

  private static boolean isValueType(int type) {
    return type >= TYPE_STRING && type <= TYPE_MODULE_2 || type >= TYPE_HASH_ZIPMAP && type <= TYPE_STREAM_LISTPACKS_3;
  }

  /** The value of a key of the given type, or null for an empty collection. */
  private Value readValue(int type) throws IOException {
    return switch (type) {
      case TYPE_STRING -> new StringValue(readString());
      case TYPE_LIST -> list(readStrings(readCount("list length")));
      case TYPE_SET -> set(readStrings(readCount("set size")));
      case TYPE_ZSET -> readZSet(false);
      case TYPE_ZSET_2 -> readZSet(true);
      case TYPE_HASH -> readHash();
      case TYPE_HASH_ZIPMAP -> hashOfPairs(zipmapEntries(readString()), "zipmap");
      case TYPE_LIST_ZIPLIST -> list(ziplistEntries(readString()));
      case TYPE_SET_INTSET -> set(intsetMembers(readString()));
      case TYPE_ZSET_ZIPLIST -> zsetOfPairs(ziplistEntries(readString()), "ziplist");
      case TYPE_HASH_ZIPLIST -> hashOfPairs(ziplistEntries(readString()), "ziplist");
      case TYPE_LIST_QUICKLIST -> readQuicklist();
      case TYPE_LIST_QUICKLIST_2 -> readQuicklist2();
      case TYPE_HASH_LISTPACK -> hashOfPairs(listpackEntries(readString()), "listpack");
      case TYPE_ZSET_LISTPACK -> zsetOfPairs(listpackEntries(readString()), "listpack");
      case TYPE_SET_LISTPACK -> set(listpackEntries(readString()));
      case TYPE_STREAM_LISTPACKS -> readStream(false);
      case TYPE_STREAM_LISTPACKS_2 -> readStream(true);
      case TYPE_STREAM_LISTPACKS_3 -> throw formatError("unsupported RDB type " + type + " (Redis 7.2's stream)");
      case TYPE_MODULE_PRE_GA, TYPE_MODULE_2 -> throw formatError("unsupported RDB type " + type + " (module value)");
      default -> throw formatError("unknown RDB type " + type);
    };
  }

  /**
   * A stream as rdbLoadObject reads RDB_TYPE_STREAM_LISTPACKS (5.0 to 6.2) and _2 (7.0): the nodes, each checked deeply
   * as sanitize-dump-payload does; the stream's figures (type 15 lacks the first and deleted ids and the entries
   * added, which Redis then derives); the groups with their pending entries and consumers, each consumer's pending
   * ids found in the group's. An empty stream is a value like any other.
   */
  private Value readStream(boolean v2) throws IOException {
    RedisStream stream = new RedisStream();
    long nodes = readLength();
    for (long n = 0; n < nodes; n++) {
      byte[] key = readString();
      if (key.length != 16) throw formatError("stream node key is not the size of a stream ID");
      byte[] listpack = readString();
      if (!RedisStream.validNode(listpack)) throw formatError("stream listpack integrity check failed");
      if (!stream.loadNode(RedisStream.decode(key), listpack)) throw formatError("duplicated stream node key");
    }
    stream.length = readLength();
    stream.lastId = new RedisStream.Id(readLength(), readLength());
    if (v2) {
      stream.firstId = new RedisStream.Id(readLength(), readLength());
      stream.maxDeletedId = new RedisStream.Id(readLength(), readLength());
      stream.entriesAdded = readLength();
    } else {
      stream.entriesAdded = stream.length;
      stream.firstId = stream.edge(true, true);
    }
    if (stream.length != 0 && stream.nodeCount() == 0) throw formatError("stream length inconsistent with its nodes");
    long groups = readLength();
    for (long g = 0; g < groups; g++) {
      byte[] name = readString();
      RedisStream.Id lastId = new RedisStream.Id(readLength(), readLength());
      long entriesRead = v2 ? readLength() : stream.estimateDistanceFromFirstEverEntry(lastId);
      RedisStream.Group group = stream.createGroup(name, lastId, entriesRead);
      if (group == null) throw formatError("duplicated consumer group name " + printable(name));
      long pending = readLength();
      for (long i = 0; i < pending; i++) {
        RedisStream.Id id = RedisStream.decode(input.bytes(16));
        long deliveryTime = input.littleEndian(8);
        long deliveryCount = readLength();
        if (group.pel.putIfAbsent(id, new RedisStream.Nack(deliveryTime, deliveryCount, null)) != null) {
          throw formatError("duplicated global PEL entry loading stream consumer group");
        }
      }
      long consumers = readLength();
      for (long c = 0; c < consumers; c++) {
        byte[] consumerName = readString();
        RedisStream.Consumer consumer = group.createConsumer(consumerName, 0);
        if (consumer == null) throw formatError("duplicate stream consumer detected");
        consumer.seenTime = input.littleEndian(8);
        long owned = readLength();
        for (long i = 0; i < owned; i++) {
          RedisStream.Id id = RedisStream.decode(input.bytes(16));
          RedisStream.Nack nack = group.pel.get(id);
          if (nack == null) throw formatError("consumer entry not found in group global PEL");
          nack.consumer = consumer;
          if (consumer.pel.putIfAbsent(id, nack) != null) {
            throw formatError("duplicated consumer PEL entry loading a stream consumer group");
          }
        }
      }
      for (RedisStream.Nack nack : group.pel.values()) {
        if (nack.consumer == null) throw formatError("stream group PEL entry without a consumer");
      }
    }
    return new StreamValue(stream);
  }

  private List<byte[]> readStrings(int count) throws IOException {
    List<byte[]> strings = new ArrayList<>(initialCapacity(count));
    for (int i = 0; i < count; i++) strings.add(readString());
    return strings;
  }

  private Value readHash() throws IOException {
    int count = readCount("hash size");
    List<byte[]> fields = new ArrayList<>(initialCapacity(count));
    List<byte[]> values = new ArrayList<>(initialCapacity(count));
    for (int i = 0; i < count; i++) {
      fields.add(readString());
      values.add(readString());
    }
    return hash(fields, values);
  }

  /** Member and score pairs; scores as text (type ZSET) or as little-endian IEEE doubles (ZSET_2). */
  private Value readZSet(boolean binaryScores) throws IOException {
    int count = readCount("sorted set size");
    List<byte[]> members = new ArrayList<>(initialCapacity(count));
    double[] scores = new double[initialCapacity(count)];
    for (int i = 0; i < count; i++) {
      members.add(readString());
      if (i == scores.length) scores = Arrays.copyOf(scores, (int) Math.min(count, 2L * scores.length));
      scores[i] = binaryScores ? Double.longBitsToDouble(input.littleEndian(8)) : readTextScore();
    }
    return zset(members, scores);
  }

  /** rdbLoadDoubleValue: a length byte, three of its values standing for NaN and the infinities, then text. */
  private double readTextScore() throws IOException {
    int length = input.u8();
    return switch (length) {
      case SCORE_NAN -> Double.NaN;
      case SCORE_POSITIVE_INFINITY -> Double.POSITIVE_INFINITY;
      case SCORE_NEGATIVE_INFINITY -> Double.NEGATIVE_INFINITY;
      default -> parseScore(input.bytes(length));
    };
  }

  /** Nodes that are each a ziplist (Redis 3.2 to 6.2). */
  private Value readQuicklist() throws IOException {
    int nodes = readCount("quicklist length");
    List<byte[]> items = new ArrayList<>();
    for (int i = 0; i < nodes; i++) items.addAll(ziplistEntries(readString()));
    return list(items);
  }

  /** Nodes that are each a container kind and a string: one element (plain) or a listpack (packed). */
  private Value readQuicklist2() throws IOException {
    int nodes = readCount("quicklist length");
    List<byte[]> items = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      long container = readLength();
      byte[] node = readString();
      if (container == QUICKLIST_NODE_PLAIN) {
        items.add(node);
      } else if (container == QUICKLIST_NODE_PACKED) {
        items.addAll(listpackEntries(node));
      } else {
        throw formatError("unknown quicklist node container " + container);
      }
    }
    return list(items);
  }

  /** What the count says, up to a bound: a corrupt count must fail as truncation, not as an allocation. */
  private static int initialCapacity(int count) {
    return Math.min(count, MAX_INITIAL_CAPACITY);
  }

  private static Value list(List<byte[]> items) {
    return items.isEmpty() ? null : new ListValue(items);
  }

  private static Value set(List<byte[]> members) {
    return members.isEmpty() ? null : new SetValue(members);
  }

  private static Value hash(List<byte[]> fields, List<byte[]> values) {
    return fields.isEmpty() ? null : new HashValue(fields, values);
  }

  private static Value zset(List<byte[]> members, double[] scores) {
    return members.isEmpty() ? null : new ZSetValue(members, scores);
  }

  /** A hash kept as field, value, field, value, ... */
  private static Value hashOfPairs(List<byte[]> entries, String container) throws RdbFormatException {
    if (entries.size() % 2 != 0) throw oddEntries(container, entries.size());
    int pairs = entries.size() / 2;
    List<byte[]> fields = new ArrayList<>(pairs);
    List<byte[]> values = new ArrayList<>(pairs);
    for (int i = 0; i < entries.size(); i += 2) {
      fields.add(entries.get(i));
      values.add(entries.get(i + 1));
    }
    return hash(fields, values);
  }

  /** A sorted set kept as member, score, member, score, ... with the scores as text or integers. */
  private static Value zsetOfPairs(List<byte[]> entries, String container) throws RdbFormatException {
    if (entries.size() % 2 != 0) throw oddEntries(container, entries.size());
    int pairs = entries.size() / 2;
    List<byte[]> members = new ArrayList<>(pairs);
    double[] scores = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      members.add(entries.get(2 * i));
      scores[i] = parseScore(entries.get(2 * i + 1));
    }
    return zset(members, scores);
  }

  private static RdbFormatException oddEntries(String container, int count) {
    return new RdbFormatException("corrupt " + container + ": " + count + " entries, where pairs are expected");
  }

  /**
   * Scores as Redis's strtod reads them: decimal or hexadecimal floats, inf, infinity and nan in any case,
   * after white space; anything else in the text makes the file corrupt.
   */
  private static double parseScore(byte[] text) throws RdbFormatException {
    Double score = RedisNumbers.strtodWholeText(text);
    if (score == null) throw new RdbFormatException("bad score " + printable(text));
    return score;
  }

  /** rdbLoadLen: 6 bits, 14 bits, or a marker byte and 32 or 64 bits big-endian. */
  private long readLength() throws IOException {
    return lengthFrom(input.u8());
  }

  private long lengthFrom(int first) throws IOException {
    return switch (first >>> 6) {
      case 0 -> first & 0x3F;
      case 1 -> ((first & 0x3F) << 8) | input.u8();
      case 2 -> switch (first) {
        case 0x80 -> input.bigEndian(4);
        case 0x81 -> input.bigEndian(8);
        default -> throw formatError(String.format("unknown length encoding 0x%02x", first));
      };
      default -> throw formatError(String.format("string encoding 0x%02x where a length was expected", first));
    };
  }

  /** A length that counts elements (or a database number): at most what a Java collection holds. */
  private int readCount(String what) throws IOException {
    long count = readLength();
    if (count < 0 || count > Integer.MAX_VALUE) {
      throw formatError(what + " " + Long.toUnsignedString(count) + " is out of range");
    }
    return (int) count;
  }

  /** rdbGenericLoadStringObject: a length and the bytes, or an integer, or LZF-compressed bytes. */
  private byte[] readString() throws IOException {
    int first = input.u8();
    if (first >>> 6 != 3) return input.bytes(stringLength(lengthFrom(first)));
    return switch (first) {
      case ENC_INT8 -> decimal((byte) input.u8());
      case ENC_INT16 -> decimal((short) input.littleEndian(2));
      case ENC_INT32 -> decimal((int) input.littleEndian(4));
      case ENC_LZF -> readLzfString();
      default -> throw formatError(String.format("unknown string encoding 0x%02x", first));
    };
  }

  private byte[] readLzfString() throws IOException {
    int compressedLength = stringLength(readLength());
    int length = stringLength(readLength());
    if (length > (long) compressedLength * LZF_MAX_EXPANSION) {
      throw formatError("LZF string of " + compressedLength + " bytes cannot expand to " + length);
    }
    return lzfDecompress(input.bytes(compressedLength), length);
  }

  private int stringLength(long length) throws RdbFormatException {
    if (length < 0 || length > MAX_STRING_LENGTH) {
      throw formatError("string of " + Long.toUnsignedString(length) + " bytes is too long to load");
    }
    return (int) length;
  }

  /**
   * lzf_decompress: a control byte below 32 is a run of that many plus one literal bytes; any other is a back
   * reference, its top 3 bits the length minus 2 (7: plus the next byte), its low 5 bits and the next byte the
   * distance back minus 1. Redis requires exactly {@code length} bytes of output.
   */
  static byte[] lzfDecompress(byte[] compressed, int length) throws RdbFormatException {
    byte[] out = new byte[length];
    int in = 0;
    int op = 0;
    while (in < compressed.length) {
      int control = compressed[in++] & 0xFF;
      if (control < 32) {
        int run = control + 1;
        if (in + run > compressed.length || op + run > length) throw badLzf();
        System.arraycopy(compressed, in, out, op, run);
        in += run;
        op += run;
      } else {
        int copy = control >>> 5;
        if (copy == 7) {
          if (in >= compressed.length) throw badLzf();
          copy += compressed[in++] & 0xFF;
        }
        if (in >= compressed.length) throw badLzf();
        int from = op - ((control & 0x1F) << 8) - (compressed[in++] & 0xFF) - 1;
        copy += 2;
        if (from < 0 || op + copy > length) throw badLzf();
        // Byte by byte: the source may overlap what is being written (a repeated pattern).
        for (int i = 0; i < copy; i++) out[op++] = out[from++];
      }
    }
    if (op != length) throw badLzf();
    return out;
  }

  private static RdbFormatException badLzf() {
    return new RdbFormatException("invalid LZF compressed string");
  }

  /**
   * A ziplist: total bytes (32 bits), offset of the last entry (32), entry count (16), the entries, 0xFF. An entry
   * is the previous entry's length (1 byte, or 0xFE and 32 bits), an encoding, and a string or an integer.
   */
  static List<byte[]> ziplistEntries(byte[] ziplist) throws RdbFormatException {
    Blob blob = new Blob(ziplist, "ziplist");
    long totalBytes = blob.littleEndian(4);
    blob.littleEndian(4);
    int declared = (int) blob.littleEndian(2);
    if (totalBytes != ziplist.length) throw blob.corrupt("its header says " + totalBytes + " bytes");
    List<byte[]> entries = new ArrayList<>(declared == COUNT_UNKNOWN ? 16 : declared);
    while (blob.peek() != ZIPLIST_END) {
      blob.skip(blob.u8() == ZIPLIST_BIG_PREVLEN ? 4 : 0);
      int encoding = blob.u8();
      entries.add(switch (encoding >>> 6) {
        case 0 -> blob.take(encoding & 0x3F);
        case 1 -> blob.take(((encoding & 0x3F) << 8) | blob.u8());
        case 2 -> {
          if (encoding != 0x80) throw blob.corrupt(String.format("unknown string encoding 0x%02x", encoding));
          yield blob.take(blob.bigEndian(4));
        }
        default -> decimal(ziplistInteger(blob, encoding));
      });
    }
    blob.expectEnd();
    if (declared != COUNT_UNKNOWN && entries.size() != declared) {
      throw blob.corrupt(entries.size() + " entries where its header says " + declared);
    }
    return entries;
  }

  private static long ziplistInteger(Blob blob, int encoding) throws RdbFormatException {
    return switch (encoding) {
      case 0xC0 -> blob.signedLittleEndian(2);
      case 0xD0 -> blob.signedLittleEndian(4);
      case 0xE0 -> blob.signedLittleEndian(8);
      case 0xF0 -> blob.signedLittleEndian(3);
      case 0xFE -> blob.signedLittleEndian(1);
      default -> {
        // 0xF1 to 0xFD: the values 0 to 12 in the encoding byte itself.
        if (encoding >= 0xF1 && encoding <= 0xFD) yield (encoding & 0x0F) - 1;
        throw blob.corrupt(String.format("unknown integer encoding 0x%02x", encoding));
      }
    };
  }

  /**
   * A listpack: total bytes (32 bits), element count (16), the entries, 0xFF. An entry is an encoding with an
   * integer or a string length in it, the string, and the length of the two ("backlen", for walking backwards).
   */
  static List<byte[]> listpackEntries(byte[] listpack) throws RdbFormatException {
    Blob blob = new Blob(listpack, "listpack");
    long totalBytes = blob.littleEndian(4);
    int declared = (int) blob.littleEndian(2);
    if (totalBytes != listpack.length) throw blob.corrupt("its header says " + totalBytes + " bytes");
    List<byte[]> entries = new ArrayList<>(declared == COUNT_UNKNOWN ? 16 : declared);
    while (blob.peek() != LISTPACK_END) {
      int start = blob.position();
      entries.add(listpackEntry(blob));
      checkBacklen(blob, blob.position() - start);
    }
    blob.expectEnd();
    if (declared != COUNT_UNKNOWN && entries.size() != declared) {
      throw blob.corrupt(entries.size() + " entries where its header says " + declared);
    }
    return entries;
  }

  private static byte[] listpackEntry(Blob blob) throws RdbFormatException {
    int encoding = blob.u8();
    if ((encoding & 0x80) == 0) return decimal(encoding);
    if ((encoding & 0xC0) == 0x80) return blob.take(encoding & 0x3F);
    if ((encoding & 0xE0) == 0xC0) {
      int value = ((encoding & 0x1F) << 8) | blob.u8();
      return decimal(value >= 1 << 12 ? value - (1 << 13) : value);
    }
    if ((encoding & 0xF0) == 0xE0) return blob.take(((encoding & 0x0F) << 8) | blob.u8());
    return switch (encoding) {
      case 0xF0 -> blob.take(blob.littleEndian(4));
      case 0xF1 -> decimal(blob.signedLittleEndian(2));
      case 0xF2 -> decimal(blob.signedLittleEndian(3));
      case 0xF3 -> decimal(blob.signedLittleEndian(4));
      case 0xF4 -> decimal(blob.signedLittleEndian(8));
      default -> throw blob.corrupt(String.format("unknown entry encoding 0x%02x", encoding));
    };
  }

  /** lpEncodeBacklen: 7 bits a byte, the most significant first, the high bit set on all but that first byte. */
  private static void checkBacklen(Blob blob, int entryLength) throws RdbFormatException {
    int size = entryLength <= 127 ? 1 : entryLength < 16383 ? 2 : entryLength < 2097151 ? 3
        : entryLength < 268435455 ? 4 : 5;
    long backlen = 0;
    for (int i = 0; i < size; i++) backlen = (backlen << 7) | (blob.u8() & 0x7F);
    if (backlen != entryLength) throw blob.corrupt("an entry of " + entryLength + " bytes has backlen " + backlen);
  }

  /** An intset: the width of each integer (2, 4 or 8 bytes), the count, then the integers, all little-endian. */
  static List<byte[]> intsetMembers(byte[] intset) throws RdbFormatException {
    Blob blob = new Blob(intset, "intset");
    long width = blob.littleEndian(4);
    long count = blob.littleEndian(4);
    if (width != 2 && width != 4 && width != 8) throw blob.corrupt("integer width " + width);
    if (8 + count * width != intset.length) throw blob.corrupt(count + " integers of " + width + " bytes");
    List<byte[]> members = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) members.add(decimal(blob.signedLittleEndian((int) width)));
    return members;
  }

  /**
   * A zipmap (hashes before Redis 2.6): a count byte, then per pair the key's length and bytes, the value's
   * length, a count of free bytes, the value's bytes and the free bytes; then 0xFF. A length is one byte below
   * 254, or 254 and 32 bits little-endian.
   */
  static List<byte[]> zipmapEntries(byte[] zipmap) throws RdbFormatException {
    Blob blob = new Blob(zipmap, "zipmap");
    blob.u8();
    List<byte[]> entries = new ArrayList<>();
    while (blob.peek() != ZIPMAP_END) {
      entries.add(blob.take(zipmapLength(blob)));
      long valueLength = zipmapLength(blob);
      int free = blob.u8();
      entries.add(blob.take(valueLength));
      blob.skip(free);
    }
    blob.expectEnd();
    return entries;
  }

  private static long zipmapLength(Blob blob) throws RdbFormatException {
    int first = blob.u8();
    if (first < ZIPMAP_BIGLEN) return first;
    if (first == ZIPMAP_BIGLEN) return blob.littleEndian(4);
    throw blob.corrupt("the end marker where a length was expected");
  }

  private static byte[] decimal(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  private RdbFormatException formatError(String message) {
    return new RdbFormatException(message + " at byte " + input.position());
  }

  /** Bytes for a message: quoted, printable ASCII as is, others as \xNN, long ones cut. */
  static String printable(byte[] bytes) {
    StringBuilder text = new StringBuilder("'");
    int shown = Math.min(bytes.length, 64);
    for (int i = 0; i < shown; i++) {
      int b = bytes[i] & 0xFF;
      if (b >= 0x20 && b < 0x7F && b != '\'' && b != '\\') {
        text.append((char) b);
      } else {
        text.append(String.format("\\x%02x", b));
      }
    }
    text.append('\'');
    if (shown < bytes.length) text.append("... (").append(bytes.length).append(" bytes)");
    return text.toString();
  }

  /** A cursor over one ziplist, listpack, intset or zipmap that fails clearly at its end. */
  private static final class Blob {
    private final byte[] bytes;
    private final String kind;
    private int pos;

    Blob(byte[] bytes, String kind) {
      this.bytes = bytes;
      this.kind = kind;
    }

    int position() {
      return pos;
    }

    int peek() throws RdbFormatException {
      need(1);
      return bytes[pos] & 0xFF;
    }

    int u8() throws RdbFormatException {
      need(1);
      return bytes[pos++] & 0xFF;
    }

    long littleEndian(int width) throws RdbFormatException {
      need(width);
      long value = 0;
      for (int i = width - 1; i >= 0; i--) value = (value << 8) | (bytes[pos + i] & 0xFF);
      pos += width;
      return value;
    }

    long signedLittleEndian(int width) throws RdbFormatException {
      int unused = 64 - 8 * width;
      return (littleEndian(width) << unused) >> unused;
    }

    long bigEndian(int width) throws RdbFormatException {
      need(width);
      long value = 0;
      for (int i = 0; i < width; i++) value = (value << 8) | (bytes[pos + i] & 0xFF);
      pos += width;
      return value;
    }

    byte[] take(long length) throws RdbFormatException {
      need(length);
      byte[] taken = Arrays.copyOfRange(bytes, pos, pos + (int) length);
      pos += (int) length;
      return taken;
    }

    void skip(long length) throws RdbFormatException {
      need(length);
      pos += (int) length;
    }

    /** At the end marker, which is the last byte. */
    void expectEnd() throws RdbFormatException {
      if (pos != bytes.length - 1) throw corrupt("the end marker is not its last byte");
    }

    private void need(long length) throws RdbFormatException {
      if (length > bytes.length - pos) throw corrupt("an entry runs past its end");
    }

    RdbFormatException corrupt(String detail) {
      return new RdbFormatException("corrupt " + kind + ": " + detail + " (at offset " + pos + " of its "
          + bytes.length + " bytes)");
    }
  }

  /**
   * The stream, through a buffer, and the CRC-64 of the bytes consumed. Reads ahead only when the stream can be
   * rewound (mark/reset), so that {@link #giveBackReadAhead} can leave it right after the last consumed byte.
   */
  private static final class Input {
    private static final int CHUNK = 64 * 1024;
    /** A string longer than the buffer starts with at most this much memory and grows as its bytes arrive. */
    private static final int LARGE_STRING_FIRST_ALLOCATION = 16 * 1024 * 1024;

    private final InputStream in;
    private final boolean rewindable;
    private final byte[] buffer = new byte[CHUNK];
    private int pos;
    private int limit;
    /** The stream offset of buffer[0]. */
    private long bufferStart;
    /** Where in the buffer the consumed bytes start that are not in the CRC yet. */
    private int crcFrom;
    private long crc;
    /** The stream offset of the last mark, meaningful while the buffer holds bytes read after it. */
    private long markedAt = -1;

    Input(InputStream in) {
      this.in = in;
      this.rewindable = in.markSupported();
    }

    long position() {
      return bufferStart + pos;
    }

    int u8() throws IOException {
      if (pos == limit) fill(1);
      return buffer[pos++] & 0xFF;
    }

    long littleEndian(int width) throws IOException {
      if (limit - pos < width) fill(width);
      long value = 0;
      for (int i = width - 1; i >= 0; i--) value = (value << 8) | (buffer[pos + i] & 0xFF);
      pos += width;
      return value;
    }

    long bigEndian(int width) throws IOException {
      if (limit - pos < width) fill(width);
      long value = 0;
      for (int i = 0; i < width; i++) value = (value << 8) | (buffer[pos + i] & 0xFF);
      pos += width;
      return value;
    }

    byte[] bytes(int length) throws IOException {
      if (length > CHUNK) return largeBytes(length);
      if (limit - pos < length) fill(length);
      byte[] bytes = Arrays.copyOfRange(buffer, pos, pos + length);
      pos += length;
      return bytes;
    }

    /** The CRC-64 of everything consumed so far. */
    long checksum() {
      updateCrc();
      return crc;
    }

    /** Rewinds the stream over what was read ahead, so that it continues right after the last consumed byte. */
    void giveBackReadAhead() throws IOException {
      if (pos == limit) return;
      // Only a rewindable stream is read ahead of what is consumed (see fill).
      in.reset();
      long skip = position() - markedAt;
      while (skip > 0) {
        long skipped = in.skip(skip);
        if (skipped > 0) {
          skip -= skipped;
        } else if (in.read() >= 0) {
          skip--;
        } else {
          throw new EOFException("the stream ended while skipping back to byte " + position());
        }
      }
    }

    /** Makes at least {@code length} (at most CHUNK) bytes available from pos. */
    private void fill(int length) throws IOException {
      updateCrc();
      if (pos > 0) {
        System.arraycopy(buffer, pos, buffer, 0, limit - pos);
        bufferStart += pos;
        limit -= pos;
        pos = 0;
        crcFrom = 0;
      }
      while (limit < length) {
        // An unrewindable stream gives exactly what is needed, never more, so that nothing is taken from it
        // that comes after the RDB part.
        int wanted = rewindable ? CHUNK - limit : length - limit;
        if (rewindable) {
          in.mark(wanted);
          markedAt = bufferStart + limit;
        }
        int read = in.read(buffer, limit, wanted);
        if (read < 0) throw truncated(bufferStart + limit);
        limit += read;
      }
    }

    /** Straight from the stream into the result, exactly as much as the string needs. */
    private byte[] largeBytes(int length) throws IOException {
      int buffered = limit - pos;
      byte[] bytes = new byte[Math.min(length, LARGE_STRING_FIRST_ALLOCATION)];
      System.arraycopy(buffer, pos, bytes, 0, buffered);
      pos = limit;
      updateCrc();
      bufferStart += limit;
      pos = 0;
      limit = 0;
      crcFrom = 0;
      int filled = buffered;
      while (filled < length) {
        if (filled == bytes.length) bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
        int read = in.read(bytes, filled, bytes.length - filled);
        if (read < 0) throw truncated(bufferStart);
        crc = Crc64.update(crc, bytes, filled, read);
        bufferStart += read;
        filled += read;
      }
      return bytes;
    }

    private void updateCrc() {
      crc = Crc64.update(crc, buffer, crcFrom, pos - crcFrom);
      crcFrom = pos;
    }

    private static RdbFormatException truncated(long length) {
      return new RdbFormatException("truncated RDB file: the stream ends after " + length + " bytes");
    }
  }
}
