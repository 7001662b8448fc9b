package org.akkaredis.command;

import java.util.Arrays;
import org.akkaredis.keyspace.Db;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceEvents;
import org.akkaredis.keyspace.Lfu;
import org.akkaredis.persistence.DumpPayload;
import org.akkaredis.persistence.RdbReader;
import org.akkaredis.resp.Reply;

/**
 * DUMP, RESTORE and RESTORE-ASKING (Redis 7.0 cluster.c), the payload being Redis's ({@link DumpPayload}).
 * RESTORE-ASKING is RESTORE with the command flag {@code asking}: on a node importing the key's slot it is served
 * without a preceding ASKING, where RESTORE is redirected (MOVED) as any command (see {@code CommandRunner.query}).
 */
public final class DumpCommands {
  private DumpCommands() {}

  private static final Reply BUSYKEY = Reply.error("BUSYKEY Target key name already exists.");
  private static final Reply INVALID_TTL = Reply.error("ERR Invalid TTL value, must be >= 0");
  private static final Reply INVALID_IDLETIME = Reply.error("ERR Invalid IDLETIME value, must be >= 0");
  private static final Reply INVALID_FREQ = Reply.error("ERR Invalid FREQ value, must be >= 0 and <= 255");
  private static final Reply BAD_PAYLOAD = Reply.error("ERR DUMP payload version or checksum are wrong");
  private static final Reply BAD_DATA = Reply.error("ERR Bad data format");
  private static final byte[] DEL = Args.bytes("DEL");
  private static final byte[] ABSTTL = Args.bytes("ABSTTL");
  /** Redis's LRU clock: seconds on 24 bits (LRU_CLOCK_MAX). */
  private static final long LRU_CLOCK_MAX = (1L << 24) - 1;

  public static void register(CommandTable.Builder b) {
    b.handle("dump", (Handler.Keyed) DumpCommands::dump);
    b.handle("restore", (Handler.Keyed) DumpCommands::restore);
    b.handle("restore-asking", (Handler.Keyed) DumpCommands::restore);
  }

  /** The key's payload, or nil; a read, so it counts a keyspace hit or miss and touches the key. */
  private static Reply dump(KeyedContext ctx, byte[][] a) {
    Entry entry = ctx.db().lookup(new Key(a[1]));
    if (entry == null) return Reply.NULL;
    return Reply.bulk(DumpPayload.of(entry.value));
  }

  /** Redis's restoreCommand, its checks in its order: options, BUSYKEY, TTL, payload footer, payload. */
  private static Reply restore(KeyedContext ctx, byte[][] a) {
    boolean replace = false;
    boolean absttl = false;
    long lfuFreq = -1;
    long lruIdle = -1;
    for (int j = 4; j < a.length; j++) {
      int additional = a.length - j - 1;
      if (Args.is(a[j], "replace")) {
        replace = true;
      } else if (Args.is(a[j], "absttl")) {
        absttl = true;
      } else if (Args.is(a[j], "idletime") && additional >= 1 && lfuFreq == -1) {
        Long idle = Args.parseLong(a[++j]);
        if (idle == null) return Reply.NOT_INTEGER;
        if (idle < 0) return INVALID_IDLETIME;
        lruIdle = idle;
      } else if (Args.is(a[j], "freq") && additional >= 1 && lruIdle == -1) {
        Long freq = Args.parseLong(a[++j]);
        if (freq == null) return Reply.NOT_INTEGER;
        if (freq < 0 || freq > 255) return INVALID_FREQ;
        lfuFreq = freq;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    Db db = ctx.db();
    Key key = new Key(a[1]);
    if (!replace && KeyCommands.lookupWrite(db, key) != null) return BUSYKEY;
    Long ttl = Args.parseLong(a[2]);
    if (ttl == null) return Reply.NOT_INTEGER;
    if (ttl < 0) return INVALID_TTL;
    if (!DumpPayload.versionAndChecksumOk(a[3])) return BAD_PAYLOAD;
    Object value;
    try {
      value = DumpPayload.read(a[3], db.settings());
    } catch (RdbReader.RdbFormatException e) {
      return BAD_DATA;
    }

    boolean deleted = replace && db.delete(key);
    long now = db.now();
    long expireAt = ttl;
    // A relative TTL beyond what a unix time in ms holds stays at the largest one (Redis's sum would overflow).
    if (ttl != 0 && !absttl) expireAt = ttl > Long.MAX_VALUE - now ? Long.MAX_VALUE : ttl + now;
    if (expireAt != 0 && expireAt <= now && !ctx.session().replicationApplier) {
      // Already expired (Redis's checkAlreadyExpired; a replica keeps it for its master to delete): the key is
      // not created, and an old one REPLACE removed goes as DEL.
      if (deleted) {
        ctx.propagate(DEL, a[1]);
        db.notify(KeyspaceEvents.GENERIC, "del", a[1]);
      }
      return Reply.OK;
    }
    Entry entry = db.put(key, value);
    if (expireAt != 0) {
      db.expireAt(entry, expireAt);
      if (!absttl) {
        // Propagated with the absolute time and ABSTTL, so that replicas and the AOF expire it when the master does.
        byte[][] effect = Arrays.copyOf(a, a.length + 1);
        effect[2] = Args.bytes(expireAt);
        effect[a.length] = ABSTTL;
        ctx.propagate(effect);
      }
    }
    setLruOrLfu(db, entry, lfuFreq, lruIdle);
    db.notify(KeyspaceEvents.GENERIC, "restore", a[1]);
    return Reply.OK;
  }

  /**
   * objectSetLRUOrLFU: under an LFU policy FREQ sets the counter, under any other IDLETIME sets the last access;
   * an idle time beyond Redis's 24-bit LRU clock becomes half of that clock, as Redis's wrapping arithmetic gives.
   */
  static void setLruOrLfu(Db db, Entry entry, long lfuFreq, long lruIdle) {
    long now = db.now();
    if (KeyCommands.lfuPolicy(db.settings())) {
      if (lfuFreq >= 0) entry.lfu(Lfu.minutes(now) << 8 | (int) lfuFreq);
    } else if (lruIdle >= 0) {
      long lruClock = now / 1000 & LRU_CLOCK_MAX;
      long idle = lruIdle <= lruClock ? lruIdle : LRU_CLOCK_MAX / 2;
      entry.lastAccess(now - idle * 1000);
    }
  }
}
