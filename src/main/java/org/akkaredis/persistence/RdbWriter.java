package org.akkaredis.persistence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.akkaredis.keyspace.EffectBuffer;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RangeDb;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisStream;
import org.akkaredis.keyspace.RedisZSet;

/**
 * Redis's RDB format, version 10 (what 7.0 writes). The keys of one range's database are encoded on their own
 * ({@link #keysOf}), so each range can encode its part; {@link #write} puts the parts between the header and
 * the trailer. Values use the plain encodings (string, list, set, zset-2, hash), which Redis 7.0 still loads
 * and converts to its compact ones on load.
 */
public final class RdbWriter {
  static final int VERSION = 10;
  static final int TYPE_STRING = 0;
  static final int TYPE_LIST = 1;
  static final int TYPE_SET = 2;
  static final int TYPE_HASH = 4;
  static final int TYPE_ZSET_2 = 5;
  static final int TYPE_STREAM_LISTPACKS_2 = 19;
  static final int OPCODE_AUX = 0xFA;
  static final int OPCODE_RESIZEDB = 0xFB;
  static final int OPCODE_EXPIRETIME_MS = 0xFC;
  static final int OPCODE_SELECTDB = 0xFE;
  static final int OPCODE_EOF = 0xFF;
  /** The string encodings of rdbEncodeInteger: 8, 16 and 32-bit integers. */
  static final int ENC_INT8 = 0xC0;
  static final int ENC_INT16 = 0xC1;
  static final int ENC_INT32 = 0xC2;
  /** An LZF-compressed string: compressed length, original length, the compressed bytes. */
  static final int ENC_LZF = 0xC3;

  /** The keys of one database of one range, with the counts RESIZEDB announces. */
  public record Part(byte[] bytes, long keys, long expires) {}

  /** What the aux fields say about the writer; {@code aofBase}: the file is the base of an AOF. */
  public record Aux(String redisVersion, long ctimeSeconds, long usedMemory, boolean aofBase) {}

  private RdbWriter() {}

  /** Every database of the range, each as {@link #keysOf} encodes it. */
  public static Part[] partsOf(RangeState state) {
    Part[] parts = new Part[state.databases()];
    for (int db = 0; db < parts.length; db++) parts[db] = keysOf(state, db);
    return parts;
  }

  /**
   * The range's data for a replica's full sync, in chunks of about {@code maxChunkBytes}: each chunk a small RDB of
   * its own (header, SELECTDB, keys, EOF, no checksum: the transport has its own), or, for a key whose RDB record
   * alone is bigger than a chunk, that key's commands ({@link RangeState#snapshotEntry}), since an RDB record cannot
   * be split.
   */
  public static void chunksOf(RangeState state, int maxChunkBytes, Consumer<byte[]> chunks) {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    for (int db = 0; db < state.databases(); db++) {
      RangeDb rangeDb = state.db(db);
      int database = db;
      for (int slot = state.firstSlot(); slot <= state.lastSlot(); slot++) {
        rangeDb.forEachStoredInSlot(slot, entry -> {
          record.reset();
          writeKey(record, entry);
          if (chunk.size() > 0 && chunk.size() + record.size() > maxChunkBytes) endChunk(chunk, chunks);
          if (record.size() > maxChunkBytes) {
            RangeState.snapshotEntry(database, entry, maxChunkBytes, chunks);
            return;
          }
          if (chunk.size() == 0) startChunk(chunk, database);
          chunk.writeBytes(record.toByteArray());
        });
      }
      endChunk(chunk, chunks);
    }
  }

  /**
   * The function libraries' chunk of a replica's full sync, for the first range (null for the others, see
   * {@link RangeState#libraryCodes}): FUNCTION RESTORE of them with FLUSH, so the replica's libraries are replaced
   * by the master's, as Redis's replica clears its functions and loads the master's with the RDB.
   */
  public static byte[] librariesChunk(RangeState state) {
    if (state.index() != 0) return null;
    return EffectBuffer.encode(ascii("FUNCTION"), ascii("RESTORE"), FunctionPayload.dump(state.libraryCodes(), false),
        ascii("FLUSH"));
  }

  private static void startChunk(ByteArrayOutputStream chunk, int db) {
    chunk.writeBytes(ascii(String.format("REDIS%04d", VERSION)));
    chunk.write(OPCODE_SELECTDB);
    writeLength(chunk, db);
  }

  private static void endChunk(ByteArrayOutputStream chunk, Consumer<byte[]> chunks) {
    if (chunk.size() == 0) return;
    chunk.write(OPCODE_EOF);
    writeLongLittleEndian(chunk, 0); // a checksum of 0 means "none" to the loader
    chunks.accept(chunk.toByteArray());
    chunk.reset();
  }

  /**
   * Every key of database {@code db} of the range, each with its expiry (if any) and value; logically expired keys
   * too, as Redis's rdbSave writes them (the loader decides: a master drops them, a replica keeps them).
   */
  public static Part keysOf(RangeState state, int db) {
    RangeDb rangeDb = state.db(db);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] counts = new long[2];
    for (int slot = state.firstSlot(); slot <= state.lastSlot(); slot++) {
      rangeDb.forEachStoredInSlot(slot, entry -> {
        counts[0]++;
        if (entry.expireAt() >= 0) counts[1]++;
        writeKey(out, entry);
      });
    }
    return new Part(out.toByteArray(), counts[0], counts[1]);
  }

  static void writeKey(ByteArrayOutputStream out, Entry entry) {
    if (entry.expireAt() >= 0) {
      out.write(OPCODE_EXPIRETIME_MS);
      writeLongLittleEndian(out, entry.expireAt());
    }
    out.write(typeOf(entry.value));
    writeString(out, entry.key.bytes());
    writeValue(out, entry.value);
  }

  /** The RDB type a value is saved as (rdbSaveObjectType): the plain one of its data type. */
  static int typeOf(Object value) {
    if (value instanceof byte[]) return TYPE_STRING;
    if (value instanceof RedisList) return TYPE_LIST;
    if (value instanceof RedisSet) return TYPE_SET;
    if (value instanceof RedisZSet) return TYPE_ZSET_2;
    if (value instanceof RedisHash) return TYPE_HASH;
    if (value instanceof RedisStream) return TYPE_STREAM_LISTPACKS_2;
    throw new IllegalStateException("no RDB form for " + value.getClass());
  }

  /** A value's encoding after its type (rdbSaveObject), as a key's record and a DUMP payload hold it. */
  static void writeValue(ByteArrayOutputStream out, Object value) {
    if (value instanceof byte[] string) {
      writeString(out, string);
    } else if (value instanceof RedisList list) {
      byte[][] items = list.toArray();
      writeLength(out, items.length);
      for (byte[] item : items) writeString(out, item);
    } else if (value instanceof RedisSet set) {
      List<Key> members = set.members();
      writeLength(out, members.size());
      for (Key member : members) writeString(out, member.bytes());
    } else if (value instanceof RedisZSet zset) {
      writeLength(out, zset.size());
      // From the highest score down, as Redis does, so that its loader inserts each at the head of the skiplist.
      for (RedisZSet.Node node = zset.last(); node != null; node = node.prev()) {
        writeString(out, node.member.bytes());
        writeLongLittleEndian(out, Double.doubleToRawLongBits(node.score));
      }
    } else if (value instanceof RedisHash hash) {
      writeLength(out, hash.fields.size());
      for (Map.Entry<Key, byte[]> field : hash.fields.entrySet()) {
        writeString(out, field.getKey().bytes());
        writeString(out, field.getValue());
      }
    } else if (value instanceof RedisStream stream) {
      writeStream(out, stream);
    } else {
      throw new IllegalStateException("no RDB form for " + value.getClass());
    }
  }

  /**
   * RDB_TYPE_STREAM_LISTPACKS_2 as Redis 7.0's rdbSaveObject writes it: the nodes (master id as 16 big-endian bytes,
   * listpack), the length, the last, first and largest deleted ids, the entries added; then each group with its
   * last id, entries read, pending entries (id, delivery time, delivery count) and consumers (name, seen time, the
   * ids they own).
   */
  private static void writeStream(ByteArrayOutputStream out, RedisStream stream) {
    List<Map.Entry<RedisStream.Id, byte[]>> nodes = stream.nodesForSave();
    writeLength(out, nodes.size());
    for (Map.Entry<RedisStream.Id, byte[]> node : nodes) {
      writeString(out, RedisStream.key(node.getKey()));
      writeString(out, node.getValue());
    }
    writeLength(out, stream.length);
    writeId(out, stream.lastId);
    writeId(out, stream.firstId);
    writeId(out, stream.maxDeletedId);
    writeLength(out, stream.entriesAdded);
    writeLength(out, stream.groups().size());
    for (Map.Entry<byte[], RedisStream.Group> named : stream.groups().entrySet()) {
      RedisStream.Group group = named.getValue();
      writeString(out, named.getKey());
      writeId(out, group.lastId);
      writeLength(out, group.entriesRead);
      writeLength(out, group.pel.size());
      for (Map.Entry<RedisStream.Id, RedisStream.Nack> pending : group.pel.entrySet()) {
        out.writeBytes(RedisStream.key(pending.getKey()));
        writeLongLittleEndian(out, pending.getValue().deliveryTime);
        writeLength(out, pending.getValue().deliveryCount);
      }
      writeLength(out, group.consumers.size());
      for (RedisStream.Consumer consumer : group.consumers.values()) {
        writeString(out, consumer.name);
        writeLongLittleEndian(out, consumer.seenTime);
        writeLength(out, consumer.pel.size());
        for (RedisStream.Id id : consumer.pel.keySet()) out.writeBytes(RedisStream.key(id));
      }
    }
  }

  private static void writeId(ByteArrayOutputStream out, RedisStream.Id id) {
    writeLength(out, id.ms());
    writeLength(out, id.seq());
  }

  /** Per-range parts (each per database, as {@link #partsOf} gives them) regrouped per database, as {@link #write} takes them. */
  public static List<List<Part>> byDatabase(List<Part[]> ranges) {
    int databases = ranges.isEmpty() ? 0 : ranges.get(0).length;
    List<List<Part>> parts = new ArrayList<>(databases);
    for (int db = 0; db < databases; db++) {
      List<Part> dbParts = new ArrayList<>(ranges.size());
      for (Part[] range : ranges) dbParts.add(range[db]);
      parts.add(dbParts);
    }
    return parts;
  }

  /**
   * The whole file: header, aux fields, then per database with keys SELECTDB, RESIZEDB and its parts, then EOF
   * and the CRC-64 of everything before it. {@code parts.get(db)} are the parts of database {@code db}.
   */
  public static void write(OutputStream target, Aux aux, List<List<Part>> parts) throws IOException {
    write(target, aux, new byte[0], parts);
  }

  /** {@link #write(OutputStream, Aux, List)} with the function libraries' records after the aux fields. */
  public static void write(OutputStream target, Aux aux, byte[] libraries, List<List<Part>> parts)
      throws IOException {
    Output out = new Output(target, aux);
    out.libraries(libraries);
    for (int db = 0; db < parts.size(); db++) {
      long keys = 0;
      long expires = 0;
      for (Part part : parts.get(db)) {
        keys += part.keys();
        expires += part.expires();
      }
      if (keys == 0) continue;
      out.database(db, keys, expires);
      for (Part part : parts.get(db)) out.part(db, part);
    }
    out.end();
  }

  /**
   * An RDB file written as its parts come (an AOF rewrite gets each range's part in turn): the header when made,
   * each part after a SELECTDB when its database is not the current one, then {@link #end}. RESIZEDB is only a
   * hint to the loader, announced where all counts are known up front ({@link #database}).
   */
  public static final class Output {
    private final OutputStream target;
    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream();
    private long crc;
    private int db = -1;

    public Output(OutputStream target, Aux aux) throws IOException {
      this.target = target;
      scratch.write(ascii(String.format("REDIS%04d", VERSION)));
      // The aux fields of Redis 7.0's rdbSaveInfoAuxFields, without the replication ones (no replication info).
      writeAux(scratch, "redis-ver", aux.redisVersion());
      writeAux(scratch, "redis-bits", "64");
      writeAux(scratch, "ctime", Long.toString(aux.ctimeSeconds()));
      writeAux(scratch, "used-mem", Long.toString(aux.usedMemory()));
      writeAux(scratch, "aof-base", aux.aofBase() ? "1" : "0");
      flushScratch();
    }

    /** The function libraries' records ({@link FunctionPayload#records}), before the databases as Redis writes them. */
    public void libraries(byte[] records) throws IOException {
      scratch.writeBytes(records);
      flushScratch();
    }

    /** Starts database {@code db} with its key counts (RESIZEDB). */
    public void database(int db, long keys, long expires) throws IOException {
      this.db = db;
      scratch.write(OPCODE_SELECTDB);
      writeLength(scratch, db);
      scratch.write(OPCODE_RESIZEDB);
      writeLength(scratch, keys);
      writeLength(scratch, expires);
      flushScratch();
    }

    /** The keys of one part of database {@code db}. */
    public void part(int db, Part part) throws IOException {
      if (part.keys() == 0) return;
      if (db != this.db) {
        this.db = db;
        scratch.write(OPCODE_SELECTDB);
        writeLength(scratch, db);
        flushScratch();
      }
      target.write(part.bytes());
      crc = Crc64.update(crc, part.bytes(), 0, part.bytes().length);
    }

    /** EOF and the checksum. */
    public void end() throws IOException {
      scratch.write(OPCODE_EOF);
      flushScratch();
      writeLongLittleEndian(scratch, crc);
      target.write(scratch.toByteArray());
      scratch.reset();
    }

    private void flushScratch() throws IOException {
      byte[] bytes = scratch.toByteArray();
      scratch.reset();
      target.write(bytes);
      crc = Crc64.update(crc, bytes, 0, bytes.length);
    }
  }

  private static void writeAux(ByteArrayOutputStream out, String key, String value) {
    out.write(OPCODE_AUX);
    writeString(out, ascii(key));
    writeString(out, ascii(value));
  }

  /** rdbSaveLen: 6, 14, 32 or 64 bits, the longer ones big-endian; {@code length} is unsigned. */
  static void writeLength(ByteArrayOutputStream out, long length) {
    if (length >= 0 && length < 1 << 6) {
      out.write((int) length);
    } else if (length >= 0 && length < 1 << 14) {
      out.write(0x40 | (int) (length >>> 8));
      out.write((int) length & 0xff);
    } else if (length >= 0 && length <= 0xffffffffL) {
      out.write(0x80);
      for (int shift = 24; shift >= 0; shift -= 8) out.write((int) (length >>> shift) & 0xff);
    } else {
      out.write(0x81);
      for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (length >>> shift) & 0xff);
    }
  }

  /**
   * rdbSaveRawString: a string that is the canonical text of a 32-bit integer is stored as that integer (as
   * Redis does for short strings), any other as its length and bytes.
   */
  static void writeString(ByteArrayOutputStream out, byte[] bytes) {
    Long integer = bytes.length <= 11 ? canonicalInteger(bytes) : null;
    if (integer != null && integer >= Integer.MIN_VALUE && integer <= Integer.MAX_VALUE) {
      long v = integer;
      if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
        out.write(ENC_INT8);
        out.write((int) v & 0xff);
      } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
        out.write(ENC_INT16);
        out.write((int) v & 0xff);
        out.write((int) (v >>> 8) & 0xff);
      } else {
        out.write(ENC_INT32);
        for (int shift = 0; shift < 32; shift += 8) out.write((int) (v >>> shift) & 0xff);
      }
      return;
    }
    writeLength(out, bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  /**
   * rdbSaveRawString with rdbcompression yes: the integer form, else, over 20 bytes, the LZF form when it saves at
   * least 4 bytes (rdbSaveLzfStringObject), else length and bytes.
   */
  static void writeCompressibleString(ByteArrayOutputStream out, byte[] bytes) {
    if (bytes.length > 20) {
      byte[] compressed = Lzf.compress(bytes, bytes.length - 4);
      if (compressed != null) {
        out.write(ENC_LZF);
        writeLength(out, compressed.length);
        writeLength(out, bytes.length);
        out.writeBytes(compressed);
        return;
      }
    }
    writeString(out, bytes);
  }

  /** The value if the bytes are exactly how Redis prints it (no sign on 0, no leading zeros), else null. */
  private static Long canonicalInteger(byte[] bytes) {
    if (bytes.length == 0) return null;
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    try {
      long value = Long.parseLong(text);
      return Long.toString(value).equals(text) ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static void writeLongLittleEndian(ByteArrayOutputStream out, long value) {
    for (int shift = 0; shift < 64; shift += 8) out.write((int) (value >>> shift) & 0xff);
  }

  /** The bytes of an ASCII text (command names, numbers), for the persistence classes. */
  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
