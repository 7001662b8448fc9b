package org.akkaredis.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.HyperLogLog;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.resp.Reply;

/**
 * The HyperLogLog commands (Redis 7.0 hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST, on strings
 * holding {@link HyperLogLog}'s representation. PFCOUNT of one key writes the cardinality it computed back into the
 * value's header, as Redis does, and propagates itself so that copies hold the same bytes.
 */
public final class HyperLogLogCommands {
  private HyperLogLogCommands() {}

  private static final Reply INVALID = Reply.error("INVALIDOBJ Corrupted HLL object detected");
  private static final Reply NOT_HLL = Reply.error("WRONGTYPE Key is not a valid HyperLogLog string value.");
  private static final Reply NO_KEY = Reply.error("ERR The specified key does not exist");
  private static final Reply NOT_SPARSE = Reply.error("ERR HLL encoding is not sparse");
  private static final int TEST_CYCLES = 1000;

  public static void register(CommandTable.Builder b) {
    b.handle("pfadd", (Handler.Keyed) HyperLogLogCommands::pfadd);
    b.handle("pfcount", (Handler.Keyed) HyperLogLogCommands::pfcount);
    b.handle("pfmerge", (Handler.Keyed) HyperLogLogCommands::pfmerge);
    b.handle("pfdebug", (Handler.Keyed) HyperLogLogCommands::pfdebug);
    b.handle("pfselftest", (Handler.OfNode) (node, session, a) ->
        CompletableFuture.completedFuture(pfselftest(node.settings().hllSparseMaxBytes())));
  }

  /** Redis's isHLLObjectOrReply: null when the entry holds a valid HLL, else the error to answer. */
  private static Reply notHll(Entry entry) {
    if (!entry.isString()) return Reply.WRONGTYPE;
    return HyperLogLog.isValid((byte[]) entry.value) ? null : NOT_HLL;
  }

  private static long sparseMaxBytes(Db db) {
    return db.settings().hllSparseMaxBytes();
  }

  private static Reply pfadd(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Key key = new Key(a[1]);
    Entry entry = KeyCommands.lookupWrite(db, key);
    HyperLogLog hll;
    int updated = 0;
    if (entry == null) {
      hll = HyperLogLog.create();
      updated++;
    } else {
      Reply refusal = notHll(entry);
      if (refusal != null) return refusal;
      byte[] value = (byte[]) entry.value;
      if (value[4] == HyperLogLog.DENSE && !HyperLogLog.denseWouldChange(value, a, 2)) return Reply.ZERO;
      hll = HyperLogLog.copyOf(value);
    }
    long maxBytes = sparseMaxBytes(db);
    for (int j = 2; j < a.length; j++) {
      int result = hll.add(a[j], maxBytes);
      if (result < 0) return INVALID;
      updated += result;
    }
    if (updated > 0) {
      hll.invalidateCache();
      BitCommands.store(db, key, entry, hll.bytes());
      db.notify(KeyspaceEvents.STRING, "pfadd", a[1]);
    }
    return updated > 0 ? Reply.ONE : Reply.ZERO;
  }

  private static Reply pfcount(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    if (a.length > 2) {
      byte[] max = new byte[HyperLogLog.REGISTERS];
      for (int j = 1; j < a.length; j++) {
        Entry entry = db.lookup(new Key(a[j]));
        if (entry == null) continue;
        Reply refusal = notHll(entry);
        if (refusal != null) return refusal;
        if (!HyperLogLog.merge(max, (byte[]) entry.value)) return INVALID;
      }
      return Reply.integer(HyperLogLog.countRaw(max));
    }
    Key key = new Key(a[1]);
    Entry entry = db.lookup(key);
    if (entry == null) return Reply.ZERO;
    Reply refusal = notHll(entry);
    if (refusal != null) return refusal;
    byte[] value = (byte[]) entry.value;
    if (HyperLogLog.validCache(value)) return Reply.integer(HyperLogLog.cachedCardinality(value));
    long card = HyperLogLog.count(value);
    if (card < 0) return INVALID;
    HyperLogLog hll = HyperLogLog.copyOf(value);
    hll.storeCardinality(card);
    BitCommands.store(db, key, entry, hll.bytes());
    // A read-only command whose write Redis propagates all the same (server.dirty grew): the copies cache it too.
    db.effect(a[0], a[1]);
    return Reply.integer(card);
  }

  private static Reply pfmerge(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    byte[] max = new byte[HyperLogLog.REGISTERS];
    boolean useDense = false;
    for (int j = 1; j < a.length; j++) {
      Entry entry = db.lookup(new Key(a[j]));
      if (entry == null) continue;
      Reply refusal = notHll(entry);
      if (refusal != null) return refusal;
      byte[] value = (byte[]) entry.value;
      if (value[4] == HyperLogLog.DENSE) useDense = true;
      if (!HyperLogLog.merge(max, value)) return INVALID;
    }
    Key key = new Key(a[1]);
    Entry entry = KeyCommands.lookupWrite(db, key);
    HyperLogLog hll = entry == null ? HyperLogLog.create() : HyperLogLog.copyOf((byte[]) entry.value);
    if (useDense && !hll.toDense()) return INVALID;
    long maxBytes = sparseMaxBytes(db);
    for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
      if (max[j] == 0) continue;
      hll.set(j, max[j], maxBytes);
    }
    hll.invalidateCache();
    BitCommands.store(db, key, entry, hll.bytes());
    db.notify(KeyspaceEvents.STRING, "pfadd", a[1]);
    return Reply.OK;
  }

  private static Reply pfdebug(KeyedContext ctx, byte[][] a) {
    Db db = ctx.db();
    Key key = new Key(a[2]);
    Entry entry = KeyCommands.lookupWrite(db, key);
    if (entry == null) return NO_KEY;
    Reply refusal = notHll(entry);
    if (refusal != null) return refusal;
    byte[] value = (byte[]) entry.value;
    String sub = Args.text(a[1]);
    if (Args.is(a[1], "getreg")) {
      HyperLogLog hll = HyperLogLog.copyOf(value);
      if (value[4] == HyperLogLog.SPARSE) {
        if (!hll.toDense()) return INVALID;
        BitCommands.store(db, key, entry, hll.bytes());
      }
      int[] registers = hll.registers();
      List<Reply> out = new ArrayList<>(registers.length);
      for (int r : registers) out.add(Reply.integer(r));
      return Reply.array(out);
    } else if (Args.is(a[1], "decode")) {
      if (value[4] != HyperLogLog.SPARSE) return NOT_SPARSE;
      return Reply.bulk(HyperLogLog.decode(value).getBytes(StandardCharsets.US_ASCII));
    } else if (Args.is(a[1], "encoding")) {
      return Reply.simple(value[4] == HyperLogLog.DENSE ? "dense" : "sparse");
    } else if (Args.is(a[1], "todense")) {
      if (value[4] != HyperLogLog.SPARSE) return Reply.ZERO;
      HyperLogLog hll = HyperLogLog.copyOf(value);
      if (!hll.toDense()) return INVALID;
      BitCommands.store(db, key, entry, hll.bytes());
      return Reply.ONE;
    }
    return Reply.error("ERR Unknown PFDEBUG subcommand '" + sub + "'");
  }

  /** Redis's pfselftestCommand: the dense register macros, then sparse and dense estimates against each other. */
  private static Reply pfselftest(long maxBytes) {
    Random random = new Random();
    byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
    int[] bytecounters = new int[HyperLogLog.REGISTERS];
    for (int j = 0; j < TEST_CYCLES; j++) {
      for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
        int r = random.nextInt(64);
        bytecounters[i] = r;
        HyperLogLog.denseSet(dense, HyperLogLog.HDR_SIZE, i, r);
      }
      for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
        int val = HyperLogLog.denseGet(dense, HyperLogLog.HDR_SIZE, i);
        if (val != bytecounters[i]) {
          return Reply.error("TESTFAILED Register " + i + " should be " + bytecounters[i] + " but is " + val);
        }
      }
    }
    HyperLogLog denseHll = HyperLogLog.create();
    denseHll.toDense();
    HyperLogLog sparse = HyperLogLog.create();
    double relerr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
    long checkpoint = 1;
    long seed = random.nextLong();
    byte[] ele = new byte[8];
    for (long j = 1; j <= 10_000_000; j++) {
      long e = j ^ seed;
      for (int b = 0; b < 8; b++) ele[b] = (byte) (e >>> (8 * b));
      denseHll.add(ele, maxBytes);
      sparse.add(ele, maxBytes);
      if (j != checkpoint) continue;
      if (j < maxBytes / 2 && sparse.encoding() != HyperLogLog.SPARSE) {
        return Reply.error("TESTFAILED sparse encoding not used");
      }
      long denseCount = HyperLogLog.count(denseHll.bytes());
      if (denseCount != HyperLogLog.count(sparse.bytes())) return Reply.error("TESTFAILED dense/sparse disagree");
      long abserr = Math.abs(checkpoint - denseCount);
      long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
      if (j == 10) maxerr = 1;
      if (abserr > maxerr) {
        return Reply.error("TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr);
      }
      checkpoint *= 10;
    }
    return Reply.OK;
  }
}
