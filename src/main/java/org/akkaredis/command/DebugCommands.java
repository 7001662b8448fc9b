package org.akkaredis.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.akkaredis.config.RedisGlob;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RangeDb;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.text.RedisNumbers;
import org.akkaredis.resp.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEBUG, the subcommands Redis's own test suites lean on: CHANGE-REPL-ID, SLEEP, DIGEST, DIGEST-VALUE, OBJECT, POPULATE, RELOAD,
 * LOADAOF, DROP-CLUSTER-PACKET-FILTER, ERROR, LOG, SET-ACTIVE-EXPIRE, PROTOCOL, STRINGMATCH-TEST, QUICKLIST-PACKED-THRESHOLD,
 * SET-DISABLE-DENY-SCRIPTS and HELP.
 * Refused unless enable-debug-command allows it. Subcommands Redis 7.0 has whose effect the node cannot give answer
 * an error that says so; any other answers Redis's unknown-subcommand error.
 */
public final class DebugCommands {
  private DebugCommands() {}

  private static final Logger LOG = LoggerFactory.getLogger(DebugCommands.class);

  static final Reply NOT_ALLOWED = Reply.error("ERR DEBUG command not allowed. If the enable-debug-command "
      + "option is set to \"local\", you can run it from a local connection, otherwise you need to set this "
      + "option in the configuration file, and then restart the server.");

  /** Redis 7.0's subcommands whose effect this node has no counterpart for (or not yet). */

  public static void register(CommandTable.Builder b) {
    b.handle("debug", (Handler.OfNode) DebugCommands::debug);
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }

  private static final List<String> HELP = List.of(
      "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CHANGE-REPL-ID",
      "    Change the replication IDs of the instance.",
      "    Dangerous: should be used only for testing the replication subsystem.",
      "DIGEST",
      "    Output a hex signature representing the current DB content.",
      "DIGEST-VALUE <key> [<key> ...]",
      "    Output a hex signature of the values of all the specified keys.",
      "DROP-CLUSTER-PACKET-FILTER <packet-type>",
      "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
      "ERROR <string>",
      "    Return a Redis protocol error with <string> as message. Useful for clients",
      "    unit tests to simulate Redis errors.",
      "LOG <message>",
      "    Write <message> to the server log.",
      "LOADAOF",
      "    Flush the AOF buffers on disk and reload the AOF in memory.",
      "OBJECT <key>",
      "    Show low level info about `key` and associated value.",
      "POPULATE <count> [<prefix>] [<size>]",
      "    Create <count> string keys named key:<num>. If <prefix> is specified then",
      "    it is used instead of the 'key' prefix. These are not propagated to",
      "    replicas. Cluster slots are not respected so keys not belonging to the",
      "    current node can be created in cluster mode.",
      "PROTOCOL <type>",
      "    Reply with a test value of the specified type. <type> can be: string,",
      "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
      "    true, false.",
      "RELOAD [NOSAVE]",
      "    Save the RDB on disk and reload it back to memory. With NOSAVE the existing",
      "    RDB file is loaded instead. (MERGE and NOFLUSH are not supported.)",
      "SET-ACTIVE-EXPIRE <0|1>",
      "    Setting it to 0 disables expiring keys in background when they are not",
      "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
      "    default.",
      "REPLYBUFFER PEAK-RESET-TIME <NEVER|RESET|<time>>",
      "    How often (milliseconds) each client's reply buffer forgets its peak, which it shrinks towards:",
      "    never, the default (reset) or a time.",
      "REPLYBUFFER RESIZING <0|1>",
      "    Stop (0) or resume (1) resizing the clients' reply buffers.",
      "QUICKLIST-PACKED-THRESHOLD <size>",
      "    Sets the threshold for elements to be inserted as plain vs packed nodes",
      "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
      "SET-DISABLE-DENY-SCRIPTS <0|1>",
      "    Accepted: this node runs no scripts, so there is nothing to deny.",
      "SLEEP <seconds>",
      "    Stop the server for <seconds>. Decimals allowed.",
      "STRINGMATCH-TEST",
      "    Run a fuzz tester against the stringmatchlen() function.",
      "PAUSE-CRON <0|1>",
      "    Stop periodic cron job processing.",
      "HELP",
      "    Prints this help.");

  /** DEBUG is refused unless enable-debug-command allows it (yes, or local for loopback clients). */
  static boolean allowed(Settings settings, Session session) {
    String allowed = settings.rawValue("enable-debug-command");
    return "yes".equals(allowed) || ("local".equals(allowed) && ServerCommands.isLocal(session));
  }

  static CompletionStage<Reply> debug(NodeContext ctx, Session session, byte[][] args) {
    if (!allowed(ctx.settings(), session)) return done(NOT_ALLOWED);
    String sub = Args.text(args[1]).toLowerCase(Locale.ROOT);
    int n = args.length;
    switch (sub) {
      case "help":
        if (n == 2) return done(ConnectionCommands.help(HELP));
        break;
      case "sleep":
        if (n == 3) return sleep(ctx, session, sleepMicros(args[2]));
        break;
      case "digest":
        if (n == 2) return digest(ctx);
        break;
      case "digest-value":
        return digestValues(ctx, session.db, args);
      case "object":
        if (n == 3) return object(ctx, session.db, args[2]);
        break;
      case "populate":
        if (n >= 3 && n <= 5) return populate(ctx, session.db, args);
        break;
      case "set-active-expire":
        if (n == 3) return setActiveExpire(ctx, atoi(args[2]) != 0);
        break;
      case "protocol":
        if (n == 3) return done(protocol(Args.text(args[2]), session.protocol));
        break;
      case "stringmatch-test":
        if (n == 2) return done(stringmatchTest(new Random()));
        break;
      case "quicklist-packed-threshold":
        if (n == 3) return done(packedThreshold(Args.text(args[2])));
        break;
      case "drop-cluster-packet-filter":
        if (n == 3) return dropClusterPackets(ctx, args[2]);
        break;
      case "change-repl-id":
        // A new replication id and none before it (Redis's changeReplicationId and clearReplicationId2).
        if (n == 2) return ctx.replication().changeReplicationId().thenApply(changed -> Reply.OK);
        break;
      case "error":
        // A test client's way to get any error: the text as it is, line breaks made spaces.
        if (n == 3) return done(Reply.error(Args.text(args[2]).replace('\r', ' ').replace('\n', ' ')));
        break;
      case "log":
        if (n == 3) {
          LOG.warn("DEBUG LOG: {}", Args.text(args[2]));
          return done(Reply.OK);
        }
        break;
      case "reload":
        return reload(ctx, args);
      case "loadaof":
        return loadAof(ctx);
      case "pause-cron":
        if (n == 3) return done(pauseCron(ctx, atoi(args[2]) != 0));
        break;
      case "set-disable-deny-scripts":
        if (n == 3) {
          ctx.stats().scriptDenyDisabled = atoi(args[2]) != 0;
          return done(Reply.OK);
        }
        break;
      case "replybuffer":
        if (n == 4) return done(replyBuffer(ctx.clients().replyBuffers(), args));
        break;
      default:
        break;
    }
    return done(Reply.error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
        + "'. Try DEBUG HELP."));
  }

  /** DEBUG REPLYBUFFER PEAK-RESET-TIME never|reset|ms, RESIZING 0|1: the clients' reply buffers' shared settings. */
  static Reply replyBuffer(ReplyBuffers buffers, byte[][] args) {
    byte[] value = args[3];
    switch (Args.text(args[2]).toLowerCase(Locale.ROOT)) {
      case "peak-reset-time" -> {
        String text = Args.text(value);
        if (text.equalsIgnoreCase("never")) buffers.peakResetTimeMs(-1);
        else if (text.equalsIgnoreCase("reset")) buffers.peakResetTimeMs(ReplyBuffers.DEFAULT_PEAK_RESET_TIME_MS);
        else {
          Long ms = RedisNumbers.string2ll(value);
          if (ms == null) return Reply.error("ERR value is not an integer or out of range");
          buffers.peakResetTimeMs(ms);
        }
      }
      case "resizing" -> buffers.resizing(atoi(value) != 0);
      default -> {
        return Reply.error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(args[1])
            + "'. Try DEBUG HELP.");
      }
    }
    return Reply.OK;
  }

  /**
   * DEBUG PAUSE-CRON 0|1: Redis's server.pause_cron stops serverCron; here the work that Redis does there and the
   * node does periodically stops too: the slot ranges' active expiry, the idle-client timeouts and the save rules.
   * Lazy expiry, blocked clients' timeouts and the AOF's fsync go on, as in Redis (they are not serverCron's).
   */
  static Reply pauseCron(NodeContext ctx, boolean paused) {
    ctx.keyspace().pauseCron(paused);
    return Reply.OK;
  }

  /** C's atoi: optional spaces and sign, then digits; 0 when there are none. */
  static long atoi(byte[] arg) {
    int i = 0;
    while (i < arg.length && RedisNumbers.isCSpace((char) arg[i])) i++;
    boolean negative = false;
    if (i < arg.length && (arg[i] == '-' || arg[i] == '+')) negative = arg[i++] == '-';
    long value = 0;
    while (i < arg.length && arg[i] >= '0' && arg[i] <= '9') value = value * 10 + (arg[i++] - '0');
    return negative ? -value : value;
  }

  // SLEEP

  /**
   * DEBUG SLEEP stops the whole server: every slot range is held until the time is up, so keyed and node
   * commands of every client wait, without blocking a thread. A replica's link to its master stops too (nothing
   * applied, acknowledged or asked for) until the command that slept is over: inside MULTI that is the EXEC, so a
   * CLIENT KILL queued after the sleep cuts the master's stream before the link reads what came meanwhile, as in
   * Redis, whose event loop the sleep and the rest of the transaction block.
   */
  static CompletionStage<Reply> sleep(NodeContext ctx, Session session, long micros) {
    if (micros <= 0) return done(Reply.OK);
    return ctx.keyspace().holding(allRanges(ctx), held -> {
      ctx.replication().beginSleep();
      return CompletableFuture.supplyAsync(() -> Reply.OK,
              CompletableFuture.delayedExecutor(micros, TimeUnit.MICROSECONDS))
          .whenComplete((ok, failure) -> session.whenCommandEnds(ctx.replication()::endSleep));
    });
  }

  private static int[] allRanges(NodeContext ctx) {
    return IntStream.range(0, ctx.keyspace().rangeCount()).toArray();
  }

  /**
   * The sleep in microseconds as Redis computes it: strtod of the argument (its longest numeric prefix, 0 when
   * there is none) times a million, cast to a 64-bit integer. NaN and values outside the integer range cast to
   * a negative number on x86, so they do not sleep at all.
   */
  static long sleepMicros(byte[] arg) {
    double seconds = RedisNumbers.strtod(arg);
    double micros = seconds * 1_000_000;
    if (Double.isNaN(micros) || micros >= 0x1p63 || micros < -0x1p63) return -1;
    return (long) micros;
  }

  // DIGEST, DIGEST-VALUE

  /**
   * Redis's dataset digest (debug.c): per database that holds keys, the database number is mixed in, then the
   * digest of every key (its name mixed with its value's digest) is xored in, so the keys' order does not count.
   * The ranges each xor their own keys; the databases' order is kept by mixing them in turn here.
   */
  static CompletionStage<Reply> digest(NodeContext ctx) {
    return ctx.keyspace().onAll(DebugCommands::rangeDigest).thenApply(ranges -> {
      byte[] result = new byte[20];
      Sha1 sha = new Sha1();
      int databases = ranges.isEmpty() ? 0 : ranges.get(0).keys().length;
      for (int db = 0; db < databases; db++) {
        long keys = 0;
        for (RangeDigest range : ranges) keys += range.keys()[db];
        if (keys == 0) continue;
        sha.mix(result, new byte[] {(byte) (db >>> 24), (byte) (db >>> 16), (byte) (db >>> 8), (byte) db});
        for (RangeDigest range : ranges) xorInto(result, range.xors()[db]);
      }
      return Reply.simple(HexFormat.of().formatHex(result));
    });
  }

  /** One range's part of the digest: per database, how many keys it stores and the xor of their digests. */
  record RangeDigest(long[] keys, byte[][] xors) {}

  static RangeDigest rangeDigest(RangeState state) {
    Sha1 sha = new Sha1();
    long[] keys = new long[state.databases()];
    byte[][] xors = new byte[state.databases()][];
    for (int db = 0; db < state.databases(); db++) {
      RangeDb rangeDb = state.db(db);
      keys[db] = rangeDb.size();
      byte[] acc = new byte[20];
      rangeDb.forEachStored(entry -> {
        byte[] keyDigest = new byte[20];
        sha.mix(keyDigest, entry.key.bytes());
        valueDigest(sha, keyDigest, entry);
        sha.xor(acc, keyDigest);
      });
      xors[db] = acc;
    }
    return new RangeDigest(keys, xors);
  }

  /** DEBUG DIGEST-VALUE key...: each key's value digest, 40 zeros for a missing key; expired keys count. */
  static CompletionStage<Reply> digestValues(NodeContext ctx, int db, byte[][] args) {
    List<CompletableFuture<Reply>> digests = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      Key key = new Key(args[i]);
      digests.add(ctx.keyspace().onSlot(Slots.slotOf(args[i]), state -> {
        byte[] digest = new byte[20];
        Entry entry = state.db(db).stored(key);
        if (entry != null) valueDigest(new Sha1(), digest, entry);
        return Reply.simple(HexFormat.of().formatHex(digest));
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(digests.toArray(new CompletableFuture<?>[0]))
        .thenApply(all -> Reply.array(digests.stream().map(CompletableFuture::join).toList()));
  }

  /** Redis's type numbers, mixed in first. */
  private static int typeNumber(Object value) {
    if (value instanceof byte[]) return 0;
    if (value instanceof RedisList) return 1;
    if (value instanceof RedisSet) return 2;
    if (value instanceof RedisZSet) return 3;
    if (value instanceof RedisHash) return 4;
    if (value instanceof org.akkaredis.keyspace.RedisStream) return 6;
    throw new IllegalStateException("no digest for " + value.getClass().getSimpleName());
  }

  private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

  /**
   * Redis's xorObjectDigest: the type, then the value — a string mixed in, a list's elements mixed in order, a
   * set's members xored, each sorted-set member mixed with its score ("%.17g") and each hash field with its value
   * on a digest of their own which is then xored, so only a list's order counts — then a mark when the key has a
   * TTL. The encoding makes no difference: every element is digested as its string.
   */
  static void valueDigest(Sha1 sha, byte[] digest, Entry entry) {
    Object value = entry.value;
    int type = typeNumber(value);
    sha.mix(digest, new byte[] {0, 0, 0, (byte) type});
    if (value instanceof byte[] string) {
      sha.mix(digest, string);
    } else if (value instanceof RedisList list) {
      for (int i = 0; i < list.size(); i++) sha.mix(digest, list.get(i));
    } else if (value instanceof RedisSet set) {
      for (Key member : set.members()) sha.xor(digest, member.bytes());
    } else if (value instanceof RedisZSet zset) {
      for (RedisZSet.Node node = zset.first(); node != null; node = node.next()) {
        byte[] element = new byte[20];
        sha.mix(element, node.member.bytes());
        sha.mix(element, RedisNumbers.format17g(node.score).getBytes(StandardCharsets.US_ASCII));
        sha.xor(digest, element);
      }
    } else if (value instanceof org.akkaredis.keyspace.RedisStream stream) {
      // Each entry's id as "ms.seq", then its fields and values, in order.
      org.akkaredis.keyspace.RedisStream.Cursor cursor = stream.cursor(null, null, false);
      for (var id = cursor.next(); id != null; id = cursor.next()) {
        sha.mix(digest, (Long.toUnsignedString(id.ms()) + "." + Long.toUnsignedString(id.seq()))
            .getBytes(StandardCharsets.US_ASCII));
        for (byte[] element : cursor.fields()) sha.mix(digest, element);
      }
    } else if (value instanceof RedisHash hash) {
      for (Map.Entry<Key, byte[]> field : hash.fields.entrySet()) {
        byte[] element = new byte[20];
        sha.mix(element, field.getKey().bytes());
        sha.mix(element, field.getValue());
        sha.xor(digest, element);
      }
    }
    if (entry.expireAt() >= 0) sha.xor(digest, EXPIRE_MARK);
  }

  private static void xorInto(byte[] digest, byte[] other) {
    for (int i = 0; i < 20; i++) digest[i] ^= other[i];
  }

  /** SHA-1 as Redis's digest uses it: xor a text's hash into a digest, or also hash the digest itself (mix). */
  static final class Sha1 {
    private final MessageDigest sha;

    Sha1() {
      try {
        sha = MessageDigest.getInstance("SHA-1");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-1", e);
      }
    }

    /** digest ^= SHA1(data): order-free, for unordered elements. */
    void xor(byte[] digest, byte[] data) {
      byte[] hash = sha.digest(data);
      for (int i = 0; i < 20; i++) digest[i] ^= hash[i];
    }

    /** digest = SHA1(digest ^ SHA1(data)): what came before counts, for ordered elements. */
    void mix(byte[] digest, byte[] data) {
      xor(digest, data);
      System.arraycopy(sha.digest(digest), 0, digest, 0, 20);
    }
  }

  // OBJECT

  static CompletionStage<Reply> object(NodeContext ctx, int db, byte[] keyBytes) {
    Key key = new Key(keyBytes);
    return ctx.keyspace().onSlot(Slots.slotOf(keyBytes), state -> {
      Entry entry = state.db(db).stored(key);
      if (entry == null) return Reply.error("ERR no such key");
      return Reply.simple(ObjectReport.line(entry, state.now(), state.settings()));
    });
  }

  // POPULATE

  /** Keys above this many are refused: the slots of all of them are computed before the ranges fill. */
  private static final long POPULATE_LIMIT = 100_000_000L;

  /**
   * DEBUG POPULATE count [prefix] [size]: string keys prefix:0.. with values value:0.. (cut or padded with zero
   * bytes to {@code size}), skipping keys that exist; not propagated, as in Redis, and whatever slots the node owns.
   */
  static CompletionStage<Reply> populate(NodeContext ctx, int db, byte[][] args) {
    Long count = Args.parseLong(args[2]);
    if (count == null || count < 0) return done(Reply.error("ERR value is out of range, must be positive"));
    long size = 0;
    if (args.length == 5) {
      Long parsed = Args.parseLong(args[4]);
      if (parsed == null || parsed < 0) return done(Reply.error("ERR value is out of range, must be positive"));
      size = parsed;
    }
    if (count > POPULATE_LIMIT || size > Integer.MAX_VALUE - 8) {
      return done(Reply.error("ERR DEBUG POPULATE of this size is not supported by this node"));
    }
    String prefix = args.length >= 4 ? Args.text(args[3]) : "key";
    int keys = count.intValue();
    int valueSize = (int) size;
    int[] slots = new int[keys];
    for (int j = 0; j < keys; j++) slots[j] = Slots.slotOf(populatedKey(prefix, j));
    return ctx.keyspace().onAll(state -> {
      RangeDb target = state.db(db);
      for (int j = 0; j < keys; j++) {
        if (slots[j] < state.firstSlot() || slots[j] > state.lastSlot()) continue;
        byte[] keyBytes = populatedKey(prefix, j);
        state.hintSlot(keyBytes, slots[j]);
        Key key = new Key(keyBytes);
        if (target.peek(key) != null) continue;
        target.put(key, populatedValue(j, valueSize));
      }
      return null;
    }).thenApply(all -> Reply.OK);
  }

  private static byte[] populatedKey(String prefix, int j) {
    return (prefix + ":" + j).getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] populatedValue(int j, int size) {
    byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
    if (size == 0) return text;
    byte[] value = new byte[size];
    System.arraycopy(text, 0, value, 0, Math.min(size, text.length));
    return value;
  }

  // RELOAD

  /**
   * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: holding every range, as Redis does it in one go, saves the snapshot
   * (unless NOSAVE), reads it back, empties the data and the functions (unless NOFLUSH) and loads the file through
   * the command path as the start-up load does. A file that cannot be read fails the load after the data went (unless
   * NOFLUSH), as in Redis. What the load records as effects is dropped: the data is what it was, and Redis
   * propagates nothing either. MERGE lets the file's libraries and keys replace those of the same names (Redis's
   * RDBFLAGS_ALLOW_DUP). Without it, a library that exists fails the load, as in Redis; a key that exists fails
   * it too (Redis stops the server there) and is checked before anything is loaded.
   */
  static CompletionStage<Reply> reload(NodeContext ctx, byte[][] args) {
    boolean save = true;
    boolean merge = false;
    boolean flush = true;
    for (int i = 2; i < args.length; i++) {
      if (Args.is(args[i], "nosave")) save = false;
      else if (Args.is(args[i], "merge")) merge = true;
      else if (Args.is(args[i], "noflush")) flush = false;
      else return done(Reply.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."));
    }
    boolean saving = save;
    ReloadMode mode = new ReloadMode(flush, merge);
    return ctx.keyspace().holding(allRanges(ctx), held -> {
      if (saving) {
        try {
          ctx.persistence().save(held);
        } catch (java.io.IOException | RuntimeException e) {
          LOG.warn("DEBUG RELOAD could not save: {}", e.toString());
          return done(Reply.error("ERR"));
        }
      }
      List<byte[][]> commands;
      try {
        commands = ctx.persistence().snapshotCommands();
      } catch (java.io.IOException | RuntimeException e) {
        LOG.warn("DEBUG RELOAD could not read the snapshot: {}", e.toString());
        Reply failed = Reply.error("ERR Error trying to load the RDB dump");
        // Redis empties the data (unless NOFLUSH) before it finds that the file cannot be loaded.
        if (!mode.flush()) return done(failed);
        return replaceData(ctx, held, List.of(), "RELOAD", "ERR Error trying to load the RDB dump", mode).thenApply(emptied -> failed);
      }
      return replaceData(ctx, held, commands, "RELOAD", "ERR Error trying to load the RDB dump",
          mode);
    });
  }

  /** How a load meets what is there: emptied first (flush), or kept with same-named things replaced (merge). */
  record ReloadMode(boolean flush, boolean merge) {
    static final ReloadMode REPLACE_ALL = new ReloadMode(true, false);
  }

  private static CompletionStage<Reply> replaceData(NodeContext ctx, RangeState[] held, List<byte[][]> loaded,
      String subcommand, String failure) {
    return replaceData(ctx, held, loaded, subcommand, failure, ReloadMode.REPLACE_ALL);
  }

  /**
   * Empties the held ranges (as {@code mode} says) and runs {@code commands} on them as the start-up load does (MULTI
   * and EXEC left out: everything runs in one hold anyway), stopping at the first that fails, as Redis's load stops;
   * what that records as effects is dropped, since a copy already has this data, and so are the changes it makes
   * for the save rules. Answers OK, or {@code failure} when a loaded command is unknown (found before anything is
   * emptied) or failed.
   */
  private static CompletionStage<Reply> replaceData(NodeContext ctx, RangeState[] held, List<byte[][]> loaded,
      String subcommand, String failure, ReloadMode mode) {
    List<byte[][]> commands = new ArrayList<>(loaded.size() + 1);
    // The functions go with the data (Redis's emptyData), and come back with what is loaded.
    if (mode.flush()) commands.add(new byte[][] {Args.bytes("FUNCTION"), Args.bytes("FLUSH")});
    List<byte[][]> existing = new ArrayList<>();
    byte[] lastKey = null;
    for (byte[][] command : loaded) {
      if (Args.is(command[0], "multi") || Args.is(command[0], "exec")) continue;
      if (Args.is(command[0], "select")) {
        existing.add(command);
        lastKey = null;
      } else if (Args.is(command[0], "function")) {
        if (mode.merge() && Args.is(command[1], "load")) {
          command = new byte[][] {command[0], command[1], Args.bytes("REPLACE"), command[command.length - 1]};
        }
      } else if (!mode.flush() && !java.util.Arrays.equals(command[1], lastKey)) {
        // The first command of a key (each key's commands are together in the file).
        lastKey = command[1];
        if (mode.merge()) commands.add(new byte[][] {Args.bytes("DEL"), lastKey});
        else existing.add(new byte[][] {Args.bytes("EXISTS"), lastKey});
      }
      commands.add(command);
    }
    List<CommandSpec> specs = specs(ctx, commands, subcommand);
    List<CommandSpec> checkSpecs = specs(ctx, existing, subcommand);
    if (specs == null || checkSpecs == null) return done(Reply.error(failure));
    CompletionStage<Boolean> duplicates = mode.flush() || mode.merge()
        ? CompletableFuture.completedFuture(false)
        : runUntilError(ctx, Session.applier("debug-check", ctx.settings()), checkSpecs, existing, held)
            .thenApply(replies -> replies.stream().anyMatch(r -> r instanceof Reply.Int i && i.value() > 0));
    return duplicates.thenCompose(duplicated -> {
      if (duplicated) {
        LOG.warn("DEBUG {}: the file has a key that is already there, and neither MERGE nor a flush", subcommand);
        return done(Reply.error(failure));
      }
      long dirtyBefore = dirty(held);
      if (mode.flush()) {
        for (RangeState state : held) {
          for (int db = 0; db < state.databases(); db++) state.db(db).clear();
        }
      }
      org.akkaredis.keyspace.EffectBuffer effects = held[0].effects();
      int mark = effects.mark();
      Session loader = Session.applier("debug-" + subcommand.toLowerCase(Locale.ROOT), ctx.settings());
      // An RDB loads without keyspace events (RELOAD); an AOF's commands run as commands do (LOADAOF).
      loader.loadsSnapshot = subcommand.equals("RELOAD");
      return runUntilError(ctx, loader, specs, commands, held).thenApply(replies -> {
        effects.discardFrom(mark);
        ctx.persistence().reloaded(dirty(held) - dirtyBefore);
        Reply last = replies.isEmpty() ? Reply.OK : replies.get(replies.size() - 1);
        if (last instanceof Reply.Error error) {
          LOG.warn("DEBUG {}: a loaded command failed: {}", subcommand, error.text());
          return Reply.error(failure);
        }
        LOG.info("DB reloaded by DEBUG {}", subcommand);
        return Reply.OK;
      });
    });
  }

  /** The commands' specs, or null (logged) when one is refused. */
  private static List<CommandSpec> specs(NodeContext ctx, List<byte[][]> commands, String subcommand) {
    List<CommandSpec> specs = new ArrayList<>(commands.size());
    for (byte[][] command : commands) {
      CommandRunner.Resolved resolved = CommandRunner.resolve(ctx.commands(), command);
      if (resolved.error() != null) {
        LOG.warn("DEBUG {}: a loaded command is refused: {}", subcommand, resolved.error());
        return null;
      }
      specs.add(resolved.spec());
    }
    return specs;
  }

  /** Runs the commands one after another on the held ranges; their replies, the last an error when one failed. */
  private static CompletionStage<List<Reply>> runUntilError(NodeContext ctx, Session session, List<CommandSpec> specs,
      List<byte[][]> commands, RangeState[] held) {
    List<Reply> replies = new ArrayList<>(specs.size());
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (int i = 0; i < specs.size(); i++) {
      CommandSpec spec = specs.get(i);
      byte[][] args = commands.get(i);
      chain = chain.thenCompose(v -> {
        if (!replies.isEmpty() && replies.get(replies.size() - 1) instanceof Reply.Error) {
          return CompletableFuture.<Void>completedFuture(null);
        }
        return CommandRunner.runHeld(ctx, session, spec, args, held).thenAccept(replies::add);
      });
    }
    return chain.thenApply(v -> replies);
  }

  private static long dirty(RangeState[] held) {
    long dirty = 0;
    for (RangeState state : held) dirty += state.dirty();
    return dirty;
  }

  // LOADAOF

  /**
   * DEBUG LOADAOF: once the AOF writer has written what it was given, empties the data and loads the append-only
   * files, holding every range. Redis does it in one step; here the AOF is written first and the ranges held
   * after, so a write of another client landing in between is in the files but not loaded (a test-only command).
   */
  static CompletionStage<Reply> loadAof(NodeContext ctx) {
    return ctx.persistence().appendOnlyCommands().handle((commands, error) -> {
      if (error != null) LOG.warn("DEBUG LOADAOF could not read the AOF: {}", error.toString());
      return commands;
    }).thenCompose(commands -> {
      if (commands == null) return done(Reply.error("ERR Error trying to load the AOF files, check server logs."));
      return ctx.keyspace().holding(allRanges(ctx), held -> replaceData(ctx, held, commands, "LOADAOF",
          "ERR Error trying to load the AOF files, check server logs."));
    });
  }

  // DROP-CLUSTER-PACKET-FILTER

  /** Received cluster bus messages of one type are dropped from now on (-1: none), as Redis's filter does. */
  static CompletionStage<Reply> dropClusterPackets(NodeContext ctx, byte[] arg) {
    Long type = Args.parseLong(arg);
    if (type == null) return done(Reply.NOT_INTEGER);
    return ctx.clusterBus().dropInbound(type).thenApply(applied -> Reply.OK);
  }

  // SET-ACTIVE-EXPIRE

  static CompletionStage<Reply> setActiveExpire(NodeContext ctx, boolean enabled) {
    return ctx.keyspace().onAll(state -> {
      state.activeExpire(enabled);
      return null;
    }).thenApply(all -> Reply.OK);
  }

  // PROTOCOL

  private static final String BIGNUM = "1234567999999999999999999999999999999";

  /** A test value of each type, as Redis 7.0 sends it (debug.c). */
  static Reply protocol(String name, int protocol) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "string":
        return Reply.bulk("Hello World");
      case "integer":
        return Reply.integer(12345);
      case "double":
        return new Reply.Dbl("3.141");
      case "bignum":
        return new Reply.BigNumber(BIGNUM);
      case "null":
        return Reply.NULL;
      case "array":
        return Reply.array(Reply.integer(0), Reply.integer(1), Reply.integer(2));
      case "set":
        return new Reply.SetReply(List.of(Reply.integer(0), Reply.integer(1), Reply.integer(2)));
      case "map":
        return Reply.map(List.of(Reply.integer(0), Reply.bool(false), Reply.integer(1), Reply.bool(true),
            Reply.integer(2), Reply.bool(false)));
      case "attrib":
        return new Reply.Attributed(
            List.of(Reply.bulk("key-popularity"), Reply.array(Reply.bulk("key:123"), Reply.integer(90))),
            Reply.bulk("Some real reply following the attribute"));
      case "push":
        if (protocol < 3) return Reply.error("ERR RESP2 is not supported by this command");
        return new Reply.AfterPush(new Reply.Push(List.of(Reply.bulk("server-cpu-usage"), Reply.integer(42))),
            Reply.bulk("Some real reply following the push reply"));
      case "verbatim":
        return new Reply.Verbatim("txt", "This is a verbatim\nstring".getBytes(StandardCharsets.US_ASCII));
      case "true":
        return Reply.bool(true);
      case "false":
        return Reply.bool(false);
      default:
        return Reply.error("ERR Wrong protocol type name. Please use one of the following: "
            + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
    }
  }

  // STRINGMATCH-TEST

  /**
   * Redis's fuzz test of its glob matcher, run against the node's: random patterns against random texts must
   * neither throw nor hang.
   */
  static Reply stringmatchTest(Random random) {
    byte[] pattern = new byte[32];
    byte[] text = new byte[32];
    for (int i = 0; i < 1_000_000; i++) {
      byte[] p = java.util.Arrays.copyOf(pattern, random.nextInt(pattern.length + 1));
      byte[] t = java.util.Arrays.copyOf(text, random.nextInt(text.length + 1));
      random.nextBytes(p);
      random.nextBytes(t);
      RedisGlob.matches(p, t, false);
    }
    return Reply.simple("Apparently Redis did not crash: test passed");
  }

  // QUICKLIST-PACKED-THRESHOLD

  /**
   * Redis's size above which a list element gets a quicklist node of its own. This node's lists have no nodes
   * (DEBUG OBJECT estimates them), so it only checks the argument as Redis does: a memory value up to 4 GB
   * less 1 MB, 0 meaning the default.
   */
  static Reply packedThreshold(String arg) {
    Long size = RedisNumbers.memtoull(arg);
    if (size == null || Long.compareUnsigned(size, (1L << 32) - (1L << 20)) > 0) {
      return Reply.error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
    }
    return Reply.OK;
  }
}
