package org.akkaredis.persistence;

import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.text.RedisNumbers;

/**
 * The payload of DUMP and RESTORE as Redis 7.0's createDumpPayload and verifyDumpPayload make and check it: a
 * value's RDB type and encoding, then the RDB version (2 bytes, little-endian) and the CRC-64 of everything before
 * the CRC (8 bytes, little-endian).
 *
 * <p>The node writes the plain encodings ({@link RdbWriter}), which Redis 7.0 restores and converts to its
 * compact ones; it reads every encoding {@link RdbReader} reads, so redis-server's listpacks, intsets and
 * quicklists restore here. A payload is always checked deeply, as Redis with {@code sanitize-dump-payload yes}:
 * corrupt listpacks, duplicate members or fields and NaN scores are refused whatever the setting.
 */
public final class DumpPayload {
  /** The RDB version 7.0 writes: a payload of a later version is refused. */
  static final int RDB_VERSION = RdbWriter.VERSION;
  /** The version and the CRC after the value. */
  private static final int FOOTER = 10;

  private DumpPayload() {}

  /** DUMP's payload of a value. */
  public static byte[] of(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(RdbWriter.typeOf(value));
    RdbWriter.writeValue(out, value);
    out.write(RDB_VERSION & 0xFF);
    out.write(RDB_VERSION >>> 8 & 0xFF);
    byte[] body = out.toByteArray();
    RdbWriter.writeLongLittleEndian(out, Crc64.update(0, body, 0, body.length));
    return out.toByteArray();
  }

  /**
   * verifyDumpPayload: at least the footer, a version up to 10 (earlier ones are accepted, as Redis does), and the
   * CRC of everything before it.
   */
  public static boolean versionAndChecksumOk(byte[] payload) {
    if (payload.length < FOOTER) return false;
    int footer = payload.length - FOOTER;
    int version = (payload[footer] & 0xFF) | (payload[footer + 1] & 0xFF) << 8;
    if (version > RDB_VERSION) return false;
    long stored = 0;
    for (int i = 7; i >= 0; i--) stored = stored << 8 | (payload[footer + 2 + i] & 0xFF);
    return Crc64.update(0, payload, 0, payload.length - 8) == stored;
  }

  /**
   * The value a payload holds, in the encoding Redis 7.0 gives it on RESTORE under the settings' size limits
   * (hash-max-listpack-*, set-max-intset-entries, zset-max-listpack-*). The footer must have been checked
   * ({@link #versionAndChecksumOk}).
   *
   * @throws RdbReader.RdbFormatException what RESTORE answers "Bad data format" for: an unknown or unsupported
   *     type, corrupt contents, an empty collection, duplicates, a NaN score
   */
  public static Object read(byte[] payload, Settings settings) throws RdbReader.RdbFormatException {
    if (payload.length < FOOTER) throw new RdbReader.RdbFormatException("a payload of " + payload.length + " bytes");
    RdbReader.Value value = RdbReader.readObject(payload, payload.length - FOOTER);
    if (value == null) throw new RdbReader.RdbFormatException("an empty collection");
    return valueOf(value, settings);
  }

  static Object valueOf(RdbReader.Value value, Settings settings) throws RdbReader.RdbFormatException {
    if (value instanceof RdbReader.StringValue string) return string.value();
    if (value instanceof RdbReader.ListValue list) {
      RedisList restored = new RedisList();
      for (byte[] item : list.items()) restored.push(false, item);
      return restored;
    }
    if (value instanceof RdbReader.SetValue set) return setOf(set.members(), settings);
    if (value instanceof RdbReader.ZSetValue zset) return zsetOf(zset, settings);
    if (value instanceof RdbReader.HashValue hash) return hashOf(hash, settings);
    if (value instanceof RdbReader.StreamValue stream) return stream.stream();
    throw new IllegalStateException("no keyspace value for " + value.getClass().getSimpleName());
  }

  /** An intset while every member is an integer and the size allows it, else a hashtable (rdbLoadObject). */
  private static RedisSet setOf(List<byte[]> members, Settings settings) throws RdbReader.RdbFormatException {
    RedisSet set = new RedisSet();
    long maxIntset = settings.setMaxIntsetEntries();
    for (byte[] member : members) {
      if (!set.add(new Key(member), RedisNumbers.string2ll(member) != null, maxIntset)) {
        throw duplicate("set member", member);
      }
    }
    return set;
  }

  private static RedisZSet zsetOf(RdbReader.ZSetValue zset, Settings settings) throws RdbReader.RdbFormatException {
    // Built without limits, then fitted: Redis converts a loaded sorted set once it has all its members.
    RedisZSet restored = new RedisZSet(Long.MAX_VALUE, Long.MAX_VALUE, 0);
    for (int i = 0; i < zset.members().size(); i++) {
      byte[] member = zset.members().get(i);
      double score = zset.scores()[i];
      if (Double.isNaN(score)) throw new RdbReader.RdbFormatException("a NaN score");
      if (!restored.put(new Key(member), score, Long.MAX_VALUE, Long.MAX_VALUE)) {
        throw duplicate("sorted set member", member);
      }
    }
    restored.fitEncoding(settings.zsetMaxListpackEntries(), settings.zsetMaxListpackValue());
    return restored;
  }

  private static RedisHash hashOf(RdbReader.HashValue hash, Settings settings) throws RdbReader.RdbFormatException {
    RedisHash restored = new RedisHash();
    Set<Key> seen = new HashSet<>();
    long maxEntries = settings.hashMaxListpackEntries();
    long maxValue = settings.hashMaxListpackValue();
    for (int i = 0; i < hash.fields().size(); i++) {
      Key field = new Key(hash.fields().get(i));
      if (!seen.add(field)) throw duplicate("hash field", field.bytes());
      byte[] fieldValue = hash.values().get(i);
      restored.fields.put(field, fieldValue);
      restored.checkEncoding(maxEntries, maxValue, field.bytes(), fieldValue);
    }
    return restored;
  }

  private static RdbReader.RdbFormatException duplicate(String what, byte[] bytes) {
    return new RdbReader.RdbFormatException("duplicate " + what + " " + RdbReader.printable(bytes));
  }
}
