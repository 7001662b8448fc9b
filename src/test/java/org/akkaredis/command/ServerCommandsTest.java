package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.akkaredis.config.ConfigException;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.HeldKeyspace;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.KeyspaceAccess;
import org.akkaredis.keyspace.Propagation;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.Test;

/**
 * INFO, CONFIG, DBSIZE, FLUSHALL, FLUSHDB, SAVE, TIME, LASTSAVE and SHUTDOWN on a two-range keyspace.
 * Expected texts were taken from redis-server 7.0.15 running the same commands.
 */
class ServerCommandsTest {
  /**
   * A node for node and session handlers: two slot ranges held directly (as inside EXEC), a client directory
   * of plain sessions, counters, and a shutdown that only counts.
   */
  static final class Node implements ClientDirectory {
    private final ClientPause clientPause = new ClientPause();
    private final ReplyBuffers replyBuffers = new ReplyBuffers();

    @Override public ReplyBuffers replyBuffers() {
      return replyBuffers;
    }

    @Override public ClientPause pause() {
      return clientPause;
    }

    private final Monitors monitors = new Monitors();

    @Override public Monitors monitors() {
      return monitors;
    }

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    final Settings settings;
    final RangeState[] ranges;
    final KeyspaceAccess keyspace;
    final List<Session> sessions = new ArrayList<>();
    final List<Long> killed = new ArrayList<>();
    final ServerStats stats = new ServerStats();
    final AtomicInteger shutdowns = new AtomicInteger();
    /** What SAVE writes with; a test may replace its saver. */
    final SavingPersistence persistence;
    final NodeContext ctx;

    Node() {
      this(Settings.defaults(), "");
    }

    Node(Settings settings, String configFile) {
      this.settings = settings;
      int databases = settings.clusterEnabled() ? 1 : settings.databases();
      LongSupplier now = clock::get;
      Propagation propagation = new Propagation();
      ranges = new RangeState[] {
          new RangeState(0, 0, 8191, databases, settings, now, SlotRouting::standalone, propagation),
          new RangeState(1, 8192, 16383, databases, settings, now, SlotRouting::standalone, propagation)};
      keyspace = new HeldKeyspace(new TwoRanges(propagation), ranges);
      CommandTable.Builder b = CommandTable.builder();
      ConnectionCommands.register(b);
      ServerCommands.register(b);
      DiagnosticCommands.register(b);
      DebugCommands.register(b);
      CommandIntrospection.register(b);
      NodeInfo info = new NodeInfo("0123456789abcdef0123456789abcdef01234567", 7000,
          System.currentTimeMillis() - 5000,
          configFile, "/usr/bin/akka-redis", 4242);
      persistence = new SavingPersistence(info.startTimeMs());
      ctx = new NodeContext(keyspace, settings, b.build(), this, stats, info, Replication.NONE,
          shutdowns::incrementAndGet, persistence);
    }

    static Node with(Map<String, String> overrides) {
      try {
        return new Node(Settings.defaults().withOverrides(overrides), "");
      } catch (ConfigException e) {
        throw new IllegalArgumentException(e);
      }
    }

    Session connect(String addr) {
      Session s = new Session(sessions.size() + 1, addr, "127.0.0.1:7000", System.currentTimeMillis(), settings);
      sessions.add(s);
      return s;
    }

    Session connect() {
      return connect("127.0.0.1:" + (50000 + sessions.size()));
    }

    @Override public Collection<Session> sessions() {
      return List.copyOf(sessions);
    }

    /** The sessions here have no connection: the largest output any of them holds now. */
    @Override public long recentMaxOutputBuffer() {
      return sessions.stream().mapToLong(s -> s.outputMemory).max().orElse(0);
    }

    @Override public boolean kill(long clientId) {
      for (Session s : sessions) {
        if (s.id == clientId) {
          killed.add(clientId);
          s.closeRequested = true;
          return true;
        }
      }
      return false;
    }

    /** Puts a string key into database {@code db} of the range owning its slot; ttlMs < 0 means none. */
    void put(int db, String key, String value, long ttlMs) {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      RangeState range = ranges[Slots.slotOf(bytes) < 8192 ? 0 : 1];
      range.tick();
      Entry entry = range.db(db).put(new Key(bytes), value.getBytes(StandardCharsets.UTF_8));
      if (ttlMs >= 0) range.db(db).expireAt(entry, clock.get() + ttlMs);
    }

    /** Runs one command line as the dispatcher does (lookup, arity, the handler of its kind). */
    Reply run(Session session, String... args) {
      byte[][] argv = new byte[args.length][];
      for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
      return runBytes(session, argv);
    }

    Reply runBytes(Session session, byte[][] argv) {
      CompletionStage<Reply> stage = start(session, argv);
      try {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("command did not complete: " + e, e);
      }
    }

    CompletionStage<Reply> start(Session session, byte[][] argv) {
      CommandRunner.Resolved resolved = CommandRunner.resolve(ctx.commands(), argv);
      if (resolved.error() != null) return CompletableFuture.completedFuture(resolved.error());
      session.lastCommand = resolved.spec().name();
      for (RangeState range : ranges) range.tick();
      Handler handler = resolved.spec().handler();
      if (handler instanceof Handler.OfSession h) return CompletableFuture.completedFuture(h.run(session, argv));
      if (handler instanceof Handler.OfNode h) return h.run(ctx, session, argv);
      throw new AssertionError("not a session or node command: " + resolved.spec().name());
    }

    String resp(Session session, String... args) {
      return text(run(session, args), session.protocol);
    }

    static String text(Reply reply, int protocol) {
      return new String(RespWriter.encode(reply, protocol), StandardCharsets.UTF_8);
    }

    /** The keyspace's owner for routing questions; the held ranges answer everything else. */
    private static final class TwoRanges implements KeyspaceAccess {
      private final Propagation propagation;

      TwoRanges(Propagation propagation) {
        this.propagation = propagation;
      }

      @Override public boolean cronPaused() {
        return propagation.cronPaused();
      }

      @Override public void pauseCron(boolean paused) {
        propagation.pauseCron(paused);
      }

      @Override public int rangeCount() {
        return 2;
      }

      @Override public int rangeOfSlot(int slot) {
        return slot < 8192 ? 0 : 1;
      }

      @Override public SlotRouting routing() {
        return SlotRouting.standalone();
      }

      @Override public <T> CompletionStage<T> onRange(int range, java.util.function.Function<RangeState, T> work) {
        throw new UnsupportedOperationException("the held keyspace runs work itself");
      }

      @Override public <T> CompletionStage<List<T>> onAll(java.util.function.Function<RangeState, T> work) {
        throw new UnsupportedOperationException("the held keyspace runs work itself");
      }

      @Override public <T> CompletionStage<T> holding(int[] ranges,
          java.util.function.Function<RangeState[], CompletionStage<T>> work) {
        throw new UnsupportedOperationException("the held keyspace runs work itself");
      }
    }
  }

  private static String info(Node node, Session s, String... sections) {
    String[] args = new String[sections.length + 1];
    args[0] = "info";
    System.arraycopy(sections, 0, args, 1, sections.length);
    Reply reply = node.run(s, args);
    assertTrue(reply instanceof Reply.Verbatim, "INFO is a verbatim string");
    return new String(((Reply.Verbatim) reply).text(), StandardCharsets.UTF_8);
  }

  private static List<String> headers(String info) {
    List<String> headers = new ArrayList<>();
    for (String line : info.split("\r\n")) {
      if (line.startsWith("# ")) headers.add(line.substring(2));
    }
    return headers;
  }

  // INFO

  @Test
  void infoDefaultHasRedisSectionsInOrderAndEveryLineEndsInCrlf() {
    Node node = new Node();
    String text = info(node, node.connect());
    assertEquals(List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
        "Errorstats", "Cluster", "Keyspace"), headers(text));
    assertTrue(text.endsWith("\r\n"));
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') assertEquals('\r', text.charAt(i - 1), "bare LF at " + i);
    }
    // Sections are separated by one empty line, the text starts with the first header.
    assertTrue(text.startsWith("# Server\r\nredis_version:7.0.15\r\n"));
    assertTrue(text.contains("\r\n\r\n# Clients\r\nconnected_clients:1\r\n"));
    assertTrue(text.contains("# Cluster\r\ncluster_enabled:0\r\n"));
    assertTrue(text.contains("redis_mode:standalone\r\n"));
    assertTrue(text.contains("run_id:0123456789abcdef0123456789abcdef01234567\r\n"));
    assertTrue(text.contains("tcp_port:6379\r\n"));
    assertTrue(text.contains("process_id:4242\r\n"));
    // The build's id names the classes this test runs (their folder's size and time), never a stand-in "0".
    assertTrue(Pattern.compile("redis_build_id:[0-9a-f]+\r\n").matcher(text).find());
    assertFalse(text.contains("redis_build_id:0\r\n"));
    assertTrue(text.contains("atomicvar_api:java.util.concurrent.atomic\r\n"));
    assertTrue(text.contains("executable:/usr/bin/akka-redis\r\n"));
    assertTrue(text.contains("config_file:\r\n"));
    assertTrue(text.contains("loading:0\r\n"));
    assertTrue(text.contains("role:master\r\nconnected_slaves:0\r\n"));
    assertTrue(Pattern.compile("master_replid:[0-9a-f]{40}\r\n").matcher(text).find());
    assertTrue(text.contains("# Modules\r\n\r\n# Errorstats\r\n"));
    assertFalse(text.contains("Commandstats"));
  }

  @Test
  void infoFieldsAreTheFieldsOfRedis70InTheirOrder() {
    Node node = new Node();
    String text = info(node, node.connect(), "server", "clients", "persistence", "replication", "cpu");
    List<String> names = new ArrayList<>();
    for (String line : text.split("\r\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) names.add(line.substring(0, line.indexOf(':')));
    }
    assertEquals(List.of("redis_version", "redis_git_sha1", "redis_git_dirty", "redis_build_id", "redis_mode", "os",
        "arch_bits", "monotonic_clock", "multiplexing_api", "atomicvar_api", "process_id",
        "process_supervised", "run_id", "tcp_port", "server_time_usec", "uptime_in_seconds", "uptime_in_days", "hz",
        "configured_hz", "lru_clock", "executable", "config_file", "io_threads_active",
        "connected_clients", "cluster_connections", "maxclients", "client_recent_max_input_buffer",
        "client_recent_max_output_buffer", "blocked_clients", "tracking_clients", "clients_in_timeout_table",
        "loading", "async_loading", "current_cow_peak", "current_cow_size", "current_cow_size_age",
        "current_fork_perc", "current_save_keys_processed", "current_save_keys_total", "rdb_changes_since_last_save",
        "rdb_bgsave_in_progress", "rdb_last_save_time", "rdb_last_bgsave_status", "rdb_last_bgsave_time_sec",
        "rdb_current_bgsave_time_sec", "rdb_saves", "rdb_last_cow_size", "rdb_last_load_keys_expired",
        "rdb_last_load_keys_loaded", "aof_enabled", "aof_rewrite_in_progress", "aof_rewrite_scheduled",
        "aof_last_rewrite_time_sec", "aof_current_rewrite_time_sec", "aof_last_bgrewrite_status", "aof_rewrites",
        "aof_rewrites_consecutive_failures", "aof_last_write_status", "aof_last_cow_size", "module_fork_in_progress",
        "module_fork_last_cow_size",
        "role", "connected_slaves", "master_failover_state", "master_replid", "master_replid2", "master_repl_offset",
        "second_repl_offset", "repl_backlog_active", "repl_backlog_size", "repl_backlog_first_byte_offset",
        "repl_backlog_histlen",
        "used_cpu_sys", "used_cpu_user", "used_cpu_sys_children", "used_cpu_user_children",
        "used_cpu_sys_main_thread", "used_cpu_user_main_thread"), names);
    assertTrue(text.contains("repl_backlog_size:1048576\r\n"));
    assertTrue(Pattern.compile("\r\nuptime_in_seconds:[56]\r\nuptime_in_days:0\r\n").matcher(text).find());
  }

  @Test
  void infoMemoryAndStatsHaveEveryRedisField() {
    Node node = new Node();
    String text = info(node, node.connect(), "memory", "stats");
    for (String field : List.of("used_memory", "used_memory_human", "used_memory_rss", "used_memory_peak",
        "used_memory_peak_perc", "used_memory_dataset_perc", "total_system_memory", "used_memory_lua",
        "maxmemory", "maxmemory_human", "maxmemory_policy", "mem_fragmentation_ratio", "mem_allocator",
        "lazyfreed_objects", "total_connections_received", "total_commands_processed", "instantaneous_ops_per_sec",
        "rejected_connections", "expired_keys", "keyspace_hits", "keyspace_misses", "total_error_replies",
        "reply_buffer_expands")) {
      assertTrue(Pattern.compile("(^|\r\n)" + field + ":[^\r\n]*\r\n").matcher(text).find(), field);
    }
    assertTrue(text.contains("maxmemory:0\r\nmaxmemory_human:0B\r\nmaxmemory_policy:noeviction\r\n"));
  }

  @Test
  void infoKeyspaceListsOnlyDatabasesWithKeys() {
    Node node = new Node();
    Session s = node.connect();
    String empty = info(node, s);
    assertFalse(empty.contains("db0:"), "an empty node must not mention db0 (redis-cli --cluster create)");
    assertTrue(empty.endsWith("# Keyspace\r\n"));
    assertEquals("# Keyspace\r\n", info(node, s, "keyspace"));

    node.put(0, "foo", "1", -1);
    node.put(0, "bar", "2", 10_000);
    node.put(0, "baz", "3", 20_000);
    node.put(3, "other", "x", -1);
    assertEquals("# Keyspace\r\ndb0:keys=3,expires=2,avg_ttl=15000\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n",
        info(node, s, "keyspace"));
    assertTrue(info(node, s).contains("\r\ndb0:keys=3,expires=2,avg_ttl=15000\r\n"));
  }

  @Test
  void infoSelectsSectionsInRedisOrderWhateverTheArgumentOrder() {
    Node node = new Node();
    Session s = node.connect();
    assertEquals(List.of("Server", "Keyspace"), headers(info(node, s, "KEYSPACE", "server")));
    assertEquals("", info(node, s, "nosuchsection"));
    List<String> all = List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
        "Modules", "Commandstats", "Errorstats", "Cluster", "Keyspace");
    assertEquals(all, headers(info(node, s, "all")));
    assertEquals(all, headers(info(node, s, "everything")));
    assertEquals(all, headers(info(node, s, "default", "commandstats")));
    assertEquals("# Modules\r\n", info(node, s, "modules"));
  }

  @Test
  void infoInClusterModeSaysSo() throws ConfigException {
    Node node = new Node(Settings.defaults().withOverrides(Map.of("cluster-enabled", "yes")), "");
    String text = info(node, node.connect());
    assertTrue(text.contains("\r\ncluster_enabled:1\r\n"));
    assertTrue(text.contains("\r\nredis_mode:cluster\r\n"));
  }

  @Test
  void infoIsBulkInResp2AndVerbatimInResp3() {
    Node node = new Node();
    Session s = node.connect();
    assertEquals("$12\r\n# Keyspace\r\n\r\n", node.resp(s, "info", "keyspace"));
    s.protocol = 3;
    assertEquals("=16\r\ntxt:# Keyspace\r\n\r\n", node.resp(s, "info", "keyspace"));
    assertEquals("=4\r\ntxt:\r\n", node.resp(s, "info", "foo"));
  }

  @Test
  void infoStatsAddsUpTheRangesCountersAndTheNodeCounters() {
    Node node = new Node();
    node.ranges[0].keyspaceHits = 3;
    node.ranges[1].keyspaceHits = 4;
    node.ranges[1].keyspaceMisses = 2;
    node.ranges[0].expiredKeys = 5;
    node.stats.commandsProcessed.add(11);
    node.stats.error("ERR syntax error");
    node.stats.error("WRONGTYPE Operation against a key holding the wrong kind of value");
    node.stats.error("ERR unknown command");
    node.stats.of("get").calls.add(2);
    Session s = node.connect();
    String stats = info(node, s, "stats");
    assertTrue(stats.contains("\r\nkeyspace_hits:7\r\nkeyspace_misses:2\r\n"));
    assertTrue(stats.contains("\r\nexpired_keys:5\r\n"));
    assertTrue(stats.contains("\r\ntotal_commands_processed:11\r\n"));
    assertTrue(stats.contains("\r\ntotal_error_replies:3\r\n"));
    assertEquals("# Errorstats\r\nerrorstat_ERR:count=2\r\nerrorstat_WRONGTYPE:count=1\r\n",
        info(node, s, "errorstats"));
    assertEquals("# Commandstats\r\n"
        + "cmdstat_get:calls=2,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0\r\n",
        info(node, s, "commandstats"));
  }

  /** Redis 7.0: refused before running (arity, NOAUTH, a redirection) is a rejected call, an error reply a failed one. */
  @Test
  void commandstatsCountFailedAndRejectedCallsAsRedis() {
    Node node = new Node();
    CommandSpec dbsize = CommandRunner.named(node.ctx.commands(), new byte[][] {"dbsize".getBytes()});
    CommandSpec time = CommandRunner.named(node.ctx.commands(), new byte[][] {"time".getBytes()});
    CommandDispatcher.Replies out = new CommandDispatcher.Replies(new Reply[] {
        Reply.error("ERR wrong number of arguments for 'dbsize' command"), Reply.bulk("v"),
        Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value"),
        Reply.error("MOVED 3999 127.0.0.1:7002"), Reply.error("ERR unknown command 'foo'")},
        new byte[5], new byte[5], new CommandSpec[] {dbsize, dbsize, time, dbsize, null},
        new boolean[] {false, true, true, true, false});
    node.stats.of("dbsize").calls.add(2); // CommandCalls counted the two that ran
    node.stats.of("time").calls.add(1);
    CommandDispatcher.countOutcomes(node.stats, out);
    assertEquals("# Commandstats\r\n"
        + "cmdstat_dbsize:calls=1,usec=0,usec_per_call=0.00,rejected_calls=2,failed_calls=0\r\n"
        + "cmdstat_time:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1\r\n",
        info(node, node.connect(), "commandstats"));
  }

  @Test
  void bytesToHumanFollowsRedis() {
    assertEquals("0B", InfoSections.bytesToHuman(0));
    assertEquals("1023B", InfoSections.bytesToHuman(1023));
    assertEquals("1.00K", InfoSections.bytesToHuman(1024));
    assertEquals("918.87K", InfoSections.bytesToHuman(940920));
    assertEquals("1.56M", InfoSections.bytesToHuman(1640912));
    assertEquals("23.54G", InfoSections.bytesToHuman(25276026880L));
  }

  // CONFIG

  @Test
  void configGetIsAMapAndSetChangesSettings() {
    Node node = new Node();
    Session s = node.connect();
    assertEquals("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", node.resp(s, "config", "get", "maxmemory"));
    assertEquals("*0\r\n", node.resp(s, "config", "get", "nothing"));
    assertEquals("+OK\r\n", node.resp(s, "config", "set", "maxmemory", "100"));
    assertEquals("*2\r\n$9\r\nmaxmemory\r\n$3\r\n100\r\n", node.resp(s, "config", "get", "maxmemory"));
    s.protocol = 3;
    assertEquals("%1\r\n$9\r\nmaxmemory\r\n$3\r\n100\r\n", node.resp(s, "config", "get", "maxmemory"));
    s.protocol = 2;
    assertEquals("-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n",
        node.resp(s, "config", "set", "foo", "bar"));
    assertEquals("-ERR wrong number of arguments for 'config|set' command\r\n", node.resp(s, "config", "set", "foo"));
    assertEquals("-ERR wrong number of arguments for 'config|get' command\r\n", node.resp(s, "config", "get"));
    assertEquals("-ERR wrong number of arguments for 'config' command\r\n", node.resp(s, "config"));
    assertEquals("-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n", node.resp(s, "config", "foo"));
  }

  @Test
  void configResetStatClearsTheCounters() {
    Node node = new Node();
    node.ranges[0].keyspaceHits = 3;
    node.ranges[1].keyspaceMisses = 2;
    node.ranges[1].expiredKeys = 1;
    node.stats.commandsProcessed.add(5);
    node.stats.error("ERR x");
    Session s = node.connect();
    assertEquals("+OK\r\n", node.resp(s, "config", "resetstat"));
    assertEquals(0, node.ranges[0].keyspaceHits);
    assertEquals(0, node.ranges[1].keyspaceMisses);
    assertEquals(0, node.ranges[1].expiredKeys);
    assertEquals(0, node.stats.commandsProcessed.sum());
    assertEquals("# Errorstats\r\n", info(node, s, "errorstats"));
    assertEquals("-ERR wrong number of arguments for 'config|resetstat' command\r\n",
        node.resp(s, "config", "resetstat", "x"));
  }

  @Test
  void configRewriteWithoutConfigFileIsRefusedAsRedisDoes() {
    Node node = new Node();
    Session s = node.connect();
    assertEquals("-ERR The server is running without a config file\r\n", node.resp(s, "config", "rewrite"));
  }

  @Test
  void configHelpIsRedisText() {
    Node node = new Node();
    assertEquals("*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET <pattern>\r\n"
        + "+    Return parameters matching the glob-like <pattern> and their values.\r\n+SET <directive> <value>\r\n"
        + "+    Set the configuration <directive> to <value>.\r\n+RESETSTAT\r\n"
        + "+    Reset statistics reported by the INFO command.\r\n+REWRITE\r\n+    Rewrite the configuration file.\r\n"
        + "+HELP\r\n+    Prints this help.\r\n", node.resp(node.connect(), "config", "help"));
  }

  // DBSIZE, FLUSHALL, FLUSHDB

  @Test
  void dbsizeCountsTheSelectedDatabaseOverAllRanges() {
    Node node = new Node();
    Session s = node.connect();
    assertEquals(":0\r\n", node.resp(s, "dbsize"));
    node.put(0, "foo", "1", -1); // slot 12182
    node.put(0, "bar", "1", -1); // slot 5061
    node.put(0, "hello", "1", -1);
    node.put(2, "x", "1", -1);
    assertEquals(":3\r\n", node.resp(s, "dbsize"));
    assertEquals("-ERR wrong number of arguments for 'dbsize' command\r\n", node.resp(s, "dbsize", "x"));
    s.db = 2;
    assertEquals(":1\r\n", node.resp(s, "dbsize"));
  }

  @Test
  void flushdbEmptiesOnlyTheSelectedDatabase() {
    Node node = new Node();
    Session s = node.connect();
    node.put(0, "foo", "1", 1000);
    node.put(0, "bar", "1", -1);
    node.put(1, "foo", "1", -1);
    assertEquals("-ERR syntax error\r\n", node.resp(s, "flushdb", "x"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "flushdb", "async", "sync"));
    assertEquals(":2\r\n", node.resp(s, "dbsize"));
    assertEquals("+OK\r\n", node.resp(s, "flushdb", "SYNC"));
    assertEquals(":0\r\n", node.resp(s, "dbsize"));
    assertEquals(0, node.ranges[1].db(0).expiresCount());
    s.db = 1;
    assertEquals(":1\r\n", node.resp(s, "dbsize"));
  }

  @Test
  void flushallEmptiesEveryDatabase() {
    Node node = new Node();
    Session s = node.connect();
    node.put(0, "foo", "1", -1);
    node.put(5, "bar", "1", -1);
    assertEquals("-ERR syntax error\r\n", node.resp(s, "flushall", "foo"));
    assertEquals("+OK\r\n", node.resp(s, "flushall", "ASYNC"));
    assertEquals("# Keyspace\r\n", info(node, s, "keyspace"));
    node.put(0, "foo", "1", -1);
    assertEquals("+OK\r\n", node.resp(s, "flushall"));
    assertEquals(":0\r\n", node.resp(s, "dbsize"));
  }

  // SWAPDB

  @Test
  void swapdbExchangesTwoDatabasesOverEveryRange() {
    Node node = new Node();
    Session s = node.connect();
    node.put(0, "foo", "1", -1); // slot 12182
    node.put(0, "bar", "1", -1); // slot 5061
    node.put(1, "hello", "1", -1);
    assertEquals("+OK\r\n", node.resp(s, "swapdb", "0", "1"));
    assertEquals(":1\r\n", node.resp(s, "dbsize"));
    s.db = 1;
    assertEquals(":2\r\n", node.resp(s, "dbsize"));
    assertEquals("+OK\r\n", node.resp(s, "swapdb", "1", "1"));
    assertEquals(":2\r\n", node.resp(s, "dbsize"));
  }

  @Test
  void swapdbChecksItsIndexesInRedisOrder() {
    assertEquals("-ERR invalid first DB index\r\n", swapdbError(false, "a", "1"));
    assertEquals("-ERR invalid first DB index\r\n", swapdbError(false, "4294967296", "x"));
    assertEquals("-ERR invalid second DB index\r\n", swapdbError(false, "1", "a"));
    assertEquals("-ERR invalid second DB index\r\n", swapdbError(false, "1", "-2147483649"));
    assertEquals("-ERR DB index is out of range\r\n", swapdbError(false, "1", "16"));
    assertEquals("-ERR DB index is out of range\r\n", swapdbError(false, "-1", "0"));
    assertEquals("-ERR SWAPDB is not allowed in cluster mode\r\n", swapdbError(true, "a", "b"));
    assertEquals(List.of(15, 0), java.util.Arrays.stream(
        (int[]) ServerCommands.swapdbIndexes(args("swapdb", "15", "0"), false, 16)).boxed().toList());
  }

  private static String swapdbError(boolean cluster, String first, String second) {
    Reply reply = (Reply) ServerCommands.swapdbIndexes(args("swapdb", first, second), cluster, 16);
    return new String(org.akkaredis.resp.RespWriter.encode(reply, 2), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[][] args(String... texts) {
    byte[][] out = new byte[texts.length][];
    for (int i = 0; i < texts.length; i++) out[i] = texts[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return out;
  }

  // SAVE, TIME, LASTSAVE

  @Test
  void saveHandsEveryRangeToTheWriterAndLastsaveThenSaysItsTime() {
    Node node = new Node();
    List<Integer> saved = new ArrayList<>();
    node.persistence.saver = held -> saved.add(held.length);
    long before = System.currentTimeMillis() / 1000;
    assertEquals("+OK\r\n", node.resp(node.connect(), "save"));
    assertEquals(List.of(2), saved);
    assertTrue(node.persistence.lastSaveMs / 1000 >= before);
    assertEquals(":" + (node.persistence.lastSaveMs / 1000) + "\r\n", node.resp(node.connect(), "lastsave"));
    assertEquals("-ERR wrong number of arguments for 'save' command\r\n", node.resp(node.connect(), "save", "x"));
  }

  @Test
  void aFailedSaveAnswersRedisBareErrAndKeepsLastsave() {
    Node node = new Node();
    node.persistence.saver = held -> {
      throw new java.io.IOException("disk full");
    };
    assertEquals("-ERR\r\n", node.resp(node.connect(), "save"));
    assertEquals(":" + (node.ctx.info().startTimeMs() / 1000) + "\r\n", node.resp(node.connect(), "lastsave"));
  }

  @Test
  void timeIsSecondsAndMicroseconds() {
    Node node = new Node();
    long before = System.currentTimeMillis() / 1000;
    Reply reply = node.run(node.connect(), "time");
    List<Reply> parts = ((Reply.Array) reply).items();
    assertEquals(2, parts.size());
    long seconds = Long.parseLong(new String(((Reply.Bulk) parts.get(0)).bytes(), StandardCharsets.US_ASCII));
    long micros = Long.parseLong(new String(((Reply.Bulk) parts.get(1)).bytes(), StandardCharsets.US_ASCII));
    assertTrue(seconds >= before && seconds <= before + 2);
    assertTrue(micros >= 0 && micros < 1_000_000);
    assertEquals("*2\r\n$10\r\n1700000000\r\n$6\r\n123456\r\n",
        Node.text(ServerCommands.time(java.time.Instant.ofEpochSecond(1_700_000_000L, 123_456_789)), 2));
    assertEquals("-ERR wrong number of arguments for 'time' command\r\n", node.resp(node.connect(), "time", "x"));
  }

  @Test
  void lastsaveIsTheStartTime() {
    Node node = new Node();
    assertEquals(":" + (node.ctx.info().startTimeMs() / 1000) + "\r\n", node.resp(node.connect(), "lastsave"));
  }

  // SHUTDOWN

  @Test
  void shutdownChecksItsOptionsThenStopsTheNodeWithoutReply() {
    Node node = new Node();
    Session s = node.connect();
    assertEquals("-ERR syntax error\r\n", node.resp(s, "shutdown", "foo"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "shutdown", "save", "nosave"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "shutdown", "nosave", "abort"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "shutdown", "abort", "now"));
    assertEquals("-ERR No shutdown in progress.\r\n", node.resp(s, "shutdown", "abort"));
    assertEquals("-ERR No shutdown in progress.\r\n", node.resp(s, "shutdown", "abort", "abort"));
    assertEquals(0, node.shutdowns.get());
    CompletionStage<Reply> stage = node.start(s, new byte[][] {Args.bytes("shutdown"), Args.bytes("NOW"),
        Args.bytes("now"), Args.bytes("nosave")});
    assertEquals(1, node.shutdowns.get());
    assertFalse(stage.toCompletableFuture().isDone(), "no reply: the connection closes with the node");
  }
}
