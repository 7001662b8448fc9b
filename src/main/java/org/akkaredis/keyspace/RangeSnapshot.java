package org.akkaredis.keyspace;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.akkaredis.text.RedisNumbers;

/**
 * A range's data as the commands that recreate it, in Redis's AOF-rewrite form: SET, HSET, RPUSH, SADD, ZADD
 * (scores as "%.17g"), then PEXPIREAT for a key with a TTL; SELECT before the keys of a database other than 0.
 * The commands come in chunks of about {@code maxChunkBytes}, each starting in its own database (SELECT n unless
 * n is 0), so a chunk can be applied alone. A big value is split into several commands (at most 64 elements each,
 * as Redis's AOF_REWRITE_ITEMS_PER_CMD) so that chunks stay near the size; a bigger element makes its own chunk.
 */
final class RangeSnapshot {
  static final int ITEMS_PER_COMMAND = 64;
  private static final byte[] SELECT = EffectBuffer.bytes("SELECT");
  private static final byte[] SET = EffectBuffer.bytes("SET");
  private static final byte[] HSET = EffectBuffer.bytes("HSET");
  private static final byte[] RPUSH = EffectBuffer.bytes("RPUSH");
  private static final byte[] SADD = EffectBuffer.bytes("SADD");
  private static final byte[] ZADD = EffectBuffer.bytes("ZADD");
  private static final byte[] PEXPIREAT = EffectBuffer.bytes("PEXPIREAT");

  private final int maxChunkBytes;
  private final Consumer<byte[]> chunks;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  /** The database the commands are for, and the one the current chunk has selected. */
  private int db;
  private int chunkDb;

  private RangeSnapshot(int maxChunkBytes, Consumer<byte[]> chunks) {
    this.maxChunkBytes = Math.max(1, maxChunkBytes);
    this.chunks = chunks;
  }

  /** One key of database {@code db} as commands, in chunks of about {@code maxChunkBytes}. */
  static void writeEntry(int db, Entry entry, int maxChunkBytes, Consumer<byte[]> chunks) {
    RangeSnapshot snapshot = new RangeSnapshot(maxChunkBytes, chunks);
    snapshot.db = db;
    snapshot.entry(entry);
    snapshot.emit();
  }

  static void write(RangeState state, int maxChunkBytes, Consumer<byte[]> chunks) {
    RangeSnapshot snapshot = new RangeSnapshot(maxChunkBytes, chunks);
    for (int i = 0; i < state.databases(); i++) {
      snapshot.db = i;
      state.db(i).forEachStored(snapshot::entry);
    }
    snapshot.emit();
  }

  private void entry(Entry e) {
    byte[] key = e.key.bytes();
    Object value = e.value;
    if (value instanceof byte[] string) {
      command(new byte[][] {SET, key, string});
    } else if (value instanceof RedisHash hash) {
      Iterator<Map.Entry<Key, byte[]>> fields = hash.fields.entrySet().iterator();
      batches(HSET, key, () -> {
        if (!fields.hasNext()) return null;
        Map.Entry<Key, byte[]> field = fields.next();
        return new byte[][] {field.getKey().bytes(), field.getValue()};
      });
    } else if (value instanceof RedisList list) {
      Iterator<byte[]> items = List.of(list.toArray()).iterator();
      batches(RPUSH, key, () -> items.hasNext() ? new byte[][] {items.next()} : null);
    } else if (value instanceof RedisSet set) {
      Iterator<Key> members = set.members().iterator();
      batches(SADD, key, () -> members.hasNext() ? new byte[][] {members.next().bytes()} : null);
    } else if (value instanceof RedisZSet zset) {
      RedisZSet.Node[] next = {zset.first()};
      batches(ZADD, key, () -> {
        RedisZSet.Node node = next[0];
        if (node == null) return null;
        next[0] = node.next();
        return new byte[][] {ascii(RedisNumbers.format17g(node.score)), node.member.bytes()};
      });
    } else if (value instanceof RedisStream stream) {
      stream(key, stream);
    } else {
      throw new IllegalStateException("no snapshot form for " + value.getClass());
    }
    if (e.expireAt >= 0) command(new byte[][] {PEXPIREAT, key, ascii(Long.toString(e.expireAt))});
  }

  private static final byte[] XADD = ascii("XADD");
  private static final byte[] XSETID = ascii("XSETID");
  private static final byte[] XGROUP = ascii("XGROUP");
  private static final byte[] XCLAIM = ascii("XCLAIM");

  /**
   * Redis's rewriteStreamObject: every entry as XADD with its id (an empty stream as one entry added and trimmed
   * away), XSETID with the last id, entries added and largest deleted id, then each group as XGROUP CREATE with its
   * entries read, each consumer without pending entries as XGROUP CREATECONSUMER and each pending entry as an XCLAIM
   * that keeps its delivery time and count.
   */
  private void stream(byte[] key, RedisStream stream) {
    if (stream.length > 0) {
      RedisStream.Cursor cursor = stream.cursor(null, null, false);
      for (RedisStream.Id id = cursor.next(); id != null; id = cursor.next()) {
        byte[][] fields = cursor.fields();
        byte[][] args = new byte[3 + fields.length][];
        args[0] = XADD;
        args[1] = key;
        args[2] = id.bytes();
        System.arraycopy(fields, 0, args, 3, fields.length);
        command(args);
      }
    } else {
      command(new byte[][] {XADD, key, ascii("MAXLEN"), ascii("0"), ascii("0-1"), ascii("x"), ascii("y")});
    }
    command(new byte[][] {XSETID, key, stream.lastId.bytes(), ascii("ENTRIESADDED"),
        ascii(Long.toString(stream.entriesAdded)), ascii("MAXDELETEDID"), stream.maxDeletedId.bytes()});
    for (Map.Entry<byte[], RedisStream.Group> named : stream.groups().entrySet()) {
      RedisStream.Group group = named.getValue();
      command(new byte[][] {XGROUP, ascii("CREATE"), key, named.getKey(), group.lastId.bytes(), ascii("ENTRIESREAD"),
          ascii(Long.toString(group.entriesRead))});
      for (RedisStream.Consumer consumer : group.consumers.values()) {
        if (consumer.pel.isEmpty()) {
          command(new byte[][] {XGROUP, ascii("CREATECONSUMER"), key, named.getKey(), consumer.name});
          continue;
        }
        for (Map.Entry<RedisStream.Id, RedisStream.Nack> pending : consumer.pel.entrySet()) {
          command(new byte[][] {XCLAIM, key, named.getKey(), consumer.name, ascii("0"), pending.getKey().bytes(),
              ascii("TIME"), ascii(Long.toString(pending.getValue().deliveryTime)), ascii("RETRYCOUNT"),
              ascii(Long.toString(pending.getValue().deliveryCount)), ascii("JUSTID"), ascii("FORCE")});
        }
      }
    }
  }

  /** The next element's arguments (one, or two for a field and its value), or null when there are no more. */
  private interface Items {
    byte[][] next();
  }

  /** {@code name key element...} commands filling the current chunk's room, at most 64 elements each. */
  private void batches(byte[] name, byte[] key, Items items) {
    byte[][] item = items.next();
    while (item != null) {
      int header = size(name) + size(key) + 16;
      if (out.size() > 0 && out.size() + header + size(item) > maxChunkBytes) emit();
      List<byte[]> args = new ArrayList<>();
      args.add(name);
      args.add(key);
      int bytes = out.size() + header;
      int count = 0;
      do {
        for (byte[] arg : item) args.add(arg);
        bytes += size(item);
        count++;
        item = items.next();
      } while (item != null && count < ITEMS_PER_COMMAND && bytes + size(item) <= maxChunkBytes);
      command(args.toArray(byte[][]::new));
    }
  }

  private static int size(byte[]... args) {
    int n = 0;
    for (byte[] arg : args) n += arg.length + 16;
    return n;
  }

  private void command(byte[][] args) {
    byte[] encoded = EffectBuffer.encode(args);
    if (out.size() > 0 && out.size() + encoded.length > maxChunkBytes) emit();
    if (out.size() == 0) chunkDb = 0;
    if (db != chunkDb) {
      out.writeBytes(EffectBuffer.encode(SELECT, ascii(Integer.toString(db))));
      chunkDb = db;
    }
    out.writeBytes(encoded);
    if (out.size() >= maxChunkBytes) emit();
  }

  private void emit() {
    if (out.size() == 0) return;
    chunks.accept(out.toByteArray());
    out.reset();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
