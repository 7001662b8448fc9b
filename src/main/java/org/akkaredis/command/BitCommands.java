package org.akkaredis.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.akkaredis.keyspace.Bitmaps;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.resp.Reply;

/**
 * The bitmap commands (Redis 7.0 bitops.c) on the string type: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
 * BITFIELD_RO, with Redis's argument order, error texts and limits. A string is never changed in place (a reply or
 * a snapshot may still hold its bytes): a write stores a changed copy, which OBJECT ENCODING calls raw as Redis's
 * unshared string is.
 */
public final class BitCommands {
  private BitCommands() {}

  private static final Reply BAD_OFFSET = Reply.error("ERR bit offset is not an integer or out of range");
  private static final Reply BAD_BIT = Reply.error("ERR bit is not an integer or out of range");
  private static final Reply BIT_NOT_0_OR_1 = Reply.error("ERR The bit argument must be 1 or 0.");
  private static final Reply NOT_SINGLE_SOURCE = Reply.error("ERR BITOP NOT must be called with a single source key.");
  private static final Reply BAD_OVERFLOW = Reply.error("ERR Invalid OVERFLOW type specified");
  private static final Reply BAD_TYPE = Reply.error(
      "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
  private static final Reply RO_ONLY_GET = Reply.error("ERR BITFIELD_RO only supports the GET subcommand");
  private static final Reply STRING_TOO_LONG =
      Reply.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  /** The largest byte array a JVM hands out. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  public static void register(CommandTable.Builder b) {
    b.handle("setbit", (Handler.Keyed) BitCommands::setbit);
    b.handle("getbit", (Handler.Keyed) BitCommands::getbit);
    b.handle("bitcount", (Handler.Keyed) BitCommands::bitcount);
    b.handle("bitpos", (Handler.Keyed) BitCommands::bitpos);
    b.handle("bitop", (Handler.Keyed) BitCommands::bitop);
    b.handle("bitfield", (Handler.Keyed) (ctx, a) -> bitfield(ctx, a, false));
    b.handle("bitfield_ro", (Handler.Keyed) (ctx, a) -> bitfield(ctx, a, true));
  }

  /**
   * Redis's getBitOffsetFromArgument: a non-negative offset under proto-max-bulk-len bytes (a master or the AOF may
   * go further); with {@code bits} > 0, "#n" means n times bits. -1 when invalid.
   */
  static long bitOffset(KeyedContext ctx, byte[] arg, int bits) {
    boolean hash = arg.length > 0 && arg[0] == '#' && bits > 0;
    Long parsed = Args.parseLong(hash ? Arrays.copyOfRange(arg, 1, arg.length) : arg);
    if (parsed == null) return -1;
    long offset = hash ? parsed * bits : parsed;
    if (offset < 0) return -1;
    if (!ctx.session().replicationApplier && (offset >> 3) >= ctx.db().settings().protoMaxBulkLen()) return -1;
    return offset;
  }

  /** The string of an entry, or null for a missing key; throws nothing (the caller checked the type). */
  private static byte[] bytesOf(Entry entry) {
    return entry == null ? null : (byte[]) entry.value;
  }

  /**
   * Stores a changed copy of a string (a new key, or the old entry's new value keeping its TTL), raw-encoded as
   * Redis's unshared string; the HyperLogLog commands store theirs so too.
   */
  static void store(Db db, Key key, Entry entry, byte[] value) {
    if (entry == null) {
      entry = db.put(key, value);
    } else {
      db.replaceValue(entry, value);
    }
    entry.addFlags(Entry.RAW_STRING);
  }

  /** The string grown with zero bytes so that bit {@code maxbit} is in it (Redis's lookupStringForBitCommand). */
  private static byte[] grownCopy(byte[] old, long maxbit) {
    long needed = (maxbit >>> 3) + 1;
    int length = old == null ? (int) needed : (int) Math.max(old.length, needed);
    return old == null ? new byte[length] : Arrays.copyOf(old, length);
  }

  private static Reply setbit(KeyedContext ctx, byte[][] a) {
    long offset = bitOffset(ctx, a[2], 0);
    if (offset < 0) return BAD_OFFSET;
    Long on = Args.parseLong(a[3]);
    if (on == null || (on & ~1L) != 0) return BAD_BIT;
    Db db = ctx.db();
    Key key = new Key(a[1]);
    Entry entry = KeyCommands.lookupWrite(db, key);
    if (entry != null && !entry.isString()) return Reply.WRONGTYPE;
    if ((offset >>> 3) + 1 > MAX_ARRAY) return STRING_TOO_LONG;
    byte[] old = bytesOf(entry);
    int byteIndex = (int) (offset >>> 3);
    int bit = 7 - (int) (offset & 7);
    boolean grows = old == null || byteIndex >= old.length;
    int bitval = grows ? 0 : (old[byteIndex] >> bit) & 1;
    if (grows || bitval != on) {
      byte[] value = grownCopy(old, offset);
      value[byteIndex] = (byte) ((value[byteIndex] & ~(1 << bit)) | (on.intValue() << bit));
      store(db, key, entry, value);
      db.notify(KeyspaceEvents.STRING, "setbit", a[1]);
    }
    return bitval == 1 ? Reply.ONE : Reply.ZERO;
  }

  private static Reply getbit(KeyedContext ctx, byte[][] a) {
    long offset = bitOffset(ctx, a[2], 0);
    if (offset < 0) return BAD_OFFSET;
    Entry entry = ctx.db().lookup(new Key(a[1]));
    if (entry == null) return Reply.ZERO;
    if (!entry.isString()) return Reply.WRONGTYPE;
    byte[] value = (byte[]) entry.value;
    long byteIndex = offset >>> 3;
    if (byteIndex >= value.length) return Reply.ZERO;
    return ((value[(int) byteIndex] >> (7 - (offset & 7))) & 1) == 1 ? Reply.ONE : Reply.ZERO;
  }

  private static Reply bitcount(KeyedContext ctx, byte[][] a) {
    Entry entry = ctx.db().lookup(new Key(a[1]));
    if (entry == null) return Reply.ZERO;
    if (!entry.isString()) return Reply.WRONGTYPE;
    byte[] value = (byte[]) entry.value;
    long[] range;
    if (a.length == 4 || a.length == 5) {
      Long start = Args.parseLong(a[2]);
      if (start == null) return Reply.NOT_INTEGER;
      Long end = Args.parseLong(a[3]);
      if (end == null) return Reply.NOT_INTEGER;
      if (start < 0 && end < 0 && start > end) return Reply.ZERO;
      boolean isBit = false;
      if (a.length == 5) {
        if (Args.is(a[4], "bit")) isBit = true;
        else if (!Args.is(a[4], "byte")) return Reply.SYNTAX_ERROR;
      }
      range = Bitmaps.range(value.length, start, end, isBit);
    } else if (a.length == 2) {
      range = new long[] {0, value.length - 1L, 0, 0};
    } else {
      return Reply.SYNTAX_ERROR;
    }
    return Reply.integer(Bitmaps.bitcount(value, range));
  }

  private static Reply bitpos(KeyedContext ctx, byte[][] a) {
    Long bitArg = Args.parseLong(a[2]);
    if (bitArg == null) return Reply.NOT_INTEGER;
    if (bitArg != 0 && bitArg != 1) return BIT_NOT_0_OR_1;
    int bit = bitArg.intValue();
    Entry entry = ctx.db().lookup(new Key(a[1]));
    if (entry == null) return Reply.integer(bit == 1 ? -1 : 0);
    if (!entry.isString()) return Reply.WRONGTYPE;
    byte[] value = (byte[]) entry.value;
    long[] range;
    boolean endGiven = false;
    if (a.length >= 4 && a.length <= 6) {
      Long start = Args.parseLong(a[3]);
      if (start == null) return Reply.NOT_INTEGER;
      boolean isBit = false;
      if (a.length == 6) {
        if (Args.is(a[5], "bit")) isBit = true;
        else if (!Args.is(a[5], "byte")) return Reply.SYNTAX_ERROR;
      }
      long end;
      if (a.length >= 5) {
        Long parsed = Args.parseLong(a[4]);
        if (parsed == null) return Reply.NOT_INTEGER;
        end = parsed;
        endGiven = true;
      } else {
        end = isBit ? ((long) value.length << 3) + 7 : value.length - 1L;
      }
      range = Bitmaps.range(value.length, start, end, isBit);
    } else if (a.length == 3) {
      range = new long[] {0, value.length - 1L, 0, 0};
    } else {
      return Reply.SYNTAX_ERROR;
    }
    return Reply.integer(Bitmaps.bitposInRange(value, range, bit, endGiven));
  }

  private static Reply bitop(KeyedContext ctx, byte[][] a) {
    int op;
    if (Args.is(a[1], "and")) op = Bitmaps.AND;
    else if (Args.is(a[1], "or")) op = Bitmaps.OR;
    else if (Args.is(a[1], "xor")) op = Bitmaps.XOR;
    else if (Args.is(a[1], "not")) op = Bitmaps.NOT;
    else return Reply.SYNTAX_ERROR;
    if (op == Bitmaps.NOT && a.length != 4) return NOT_SINGLE_SOURCE;
    Db db = ctx.db();
    byte[][] sources = new byte[a.length - 3][];
    for (int j = 3; j < a.length; j++) {
      Entry entry = db.lookup(new Key(a[j]));
      if (entry == null) continue;
      if (!entry.isString()) return Reply.WRONGTYPE;
      sources[j - 3] = (byte[]) entry.value;
    }
    byte[] result = Bitmaps.bitop(op, sources);
    if (result.length > 0) {
      Key key = new Key(a[2]);
      db.put(key, result).addFlags(Entry.RAW_STRING);
      db.notify(KeyspaceEvents.STRING, "set", a[2]);
    } else if (db.delete(new Key(a[2]))) {
      db.notify(KeyspaceEvents.GENERIC, "del", a[2]);
    }
    return Reply.integer(result.length);
  }

  private static final int GET = 0;
  private static final int SET = 1;
  private static final int INCRBY = 2;

  /** One BITFIELD operation, parsed. */
  private record FieldOp(int opcode, long offset, long value, int owtype, int bits, boolean signed) {}

  /** Redis's getBitfieldTypeFromArgument: bits of an "i1".."i64" or "u1".."u63" type; -1 when invalid. */
  static int fieldBits(byte[] arg) {
    if (arg.length == 0 || (arg[0] != 'i' && arg[0] != 'u')) return -1;
    Long bits = Args.parseLong(Arrays.copyOfRange(arg, 1, arg.length));
    if (bits == null || bits < 1 || (arg[0] == 'i' && bits > 64) || (arg[0] == 'u' && bits > 63)) return -1;
    return bits.intValue();
  }

  /** Redis's bitfieldGeneric: parses every operation first, then runs them all on one copy of the string. */
  private static Reply bitfield(KeyedContext ctx, byte[][] a, boolean readOnlyCommand) {
    List<FieldOp> ops = new ArrayList<>();
    int owtype = Bitmaps.OVERFLOW_WRAP;
    boolean readonly = true;
    long highestWrite = 0;
    for (int j = 2; j < a.length; j++) {
      int remargs = a.length - j - 1;
      int opcode;
      if (Args.is(a[j], "get") && remargs >= 2) {
        opcode = GET;
      } else if (Args.is(a[j], "set") && remargs >= 3) {
        opcode = SET;
      } else if (Args.is(a[j], "incrby") && remargs >= 3) {
        opcode = INCRBY;
      } else if (Args.is(a[j], "overflow") && remargs >= 1) {
        j++;
        if (Args.is(a[j], "wrap")) owtype = Bitmaps.OVERFLOW_WRAP;
        else if (Args.is(a[j], "sat")) owtype = Bitmaps.OVERFLOW_SAT;
        else if (Args.is(a[j], "fail")) owtype = Bitmaps.OVERFLOW_FAIL;
        else return BAD_OVERFLOW;
        continue;
      } else {
        return Reply.SYNTAX_ERROR;
      }
      int bits = fieldBits(a[j + 1]);
      if (bits < 0) return BAD_TYPE;
      long offset = bitOffset(ctx, a[j + 2], bits);
      if (offset < 0) return BAD_OFFSET;
      long value = 0;
      if (opcode != GET) {
        readonly = false;
        if (highestWrite < offset + bits - 1) highestWrite = offset + bits - 1;
        Long parsed = Args.parseLong(a[j + 3]);
        if (parsed == null) return Reply.NOT_INTEGER;
        value = parsed;
      }
      ops.add(new FieldOp(opcode, offset, value, owtype, bits, a[j + 1][0] == 'i'));
      j += 3 - (opcode == GET ? 1 : 0);
    }
    Db db = ctx.db();
    Key key = new Key(a[1]);
    Entry entry;
    byte[] target;
    boolean dirty = false;
    if (readonly) {
      entry = db.lookup(key);
      if (entry != null && !entry.isString()) return Reply.WRONGTYPE;
      target = bytesOf(entry);
    } else {
      if (readOnlyCommand) return RO_ONLY_GET;
      entry = KeyCommands.lookupWrite(db, key);
      if (entry != null && !entry.isString()) return Reply.WRONGTYPE;
      if ((highestWrite >>> 3) + 1 > MAX_ARRAY) return STRING_TOO_LONG;
      byte[] old = bytesOf(entry);
      target = grownCopy(old, highestWrite);
      dirty = old == null || old.length != target.length;
    }
    List<Reply> replies = new ArrayList<>(ops.size());
    long[] limit = new long[1];
    int changes = 0;
    for (FieldOp op : ops) {
      if (op.opcode == GET) {
        byte[] src = target == null ? new byte[0] : target;
        replies.add(Reply.integer(op.signed ? Bitmaps.getSigned(src, op.offset, op.bits)
            : Bitmaps.getUnsigned(src, op.offset, op.bits)));
        continue;
      }
      long oldval = op.signed ? Bitmaps.getSigned(target, op.offset, op.bits)
          : Bitmaps.getUnsigned(target, op.offset, op.bits);
      long newval;
      long retval;
      int overflow;
      if (op.opcode == INCRBY) {
        overflow = op.signed ? Bitmaps.checkSignedOverflow(oldval, op.value, op.bits, op.owtype, limit)
            : Bitmaps.checkUnsignedOverflow(oldval, op.value, op.bits, op.owtype, limit);
        newval = overflow != 0 ? limit[0] : oldval + op.value;
        retval = newval;
      } else {
        overflow = op.signed ? Bitmaps.checkSignedOverflow(op.value, 0, op.bits, op.owtype, limit)
            : Bitmaps.checkUnsignedOverflow(op.value, 0, op.bits, op.owtype, limit);
        newval = overflow != 0 ? limit[0] : op.value;
        retval = oldval;
      }
      if (overflow != 0 && op.owtype == Bitmaps.OVERFLOW_FAIL) {
        replies.add(Reply.NULL);
        continue;
      }
      replies.add(Reply.integer(retval));
      Bitmaps.set(target, op.offset, op.bits, newval);
      if (dirty || oldval != newval) changes++;
    }
    if (!readonly && (changes > 0 || dirty)) {
      store(db, key, entry, target);
      if (changes > 0) {
        db.notify(KeyspaceEvents.STRING, "setbit", a[1]);
      } else {
        // A key created or grown by operations that all failed: Redis keeps it, and propagates nothing.
        ctx.propagateNothing();
      }
    }
    return Reply.array(replies);
  }
}
