package org.akkaredis.command;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.akkaredis.config.ServerVersion;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.MemoryBudget;
import org.akkaredis.keyspace.RangeDb;
import org.akkaredis.keyspace.RangeState;

/**
 * The text of INFO, section by section, with Redis 7.0.15's section names, field names and order. Every line
 * ends in CRLF (redis-cli reads fields up to the '\r'); sections are separated by an empty line. Fields of what
 * this node never does (forks, defragmentation, pub/sub, tracking, ...) read 0, which is true of it; fields it
 * does have a counterpart for but cannot measure are left out rather than shown as figures.
 */
final class InfoSections {
  private InfoSections() {}

  /** Every section in the order Redis prints them. */
  static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats", "replication",
      "cpu", "modules", "commandstats", "errorstats", "cluster", "keyspace");

  /** What INFO without arguments (or INFO default) prints. */
  static final Set<String> DEFAULT = Set.of("server", "clients", "memory", "persistence", "stats",
      "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");

  private static final String CRLF = "\r\n";
  /** Redis's LRU clock: seconds, 24 bits. */
  private static final long LRU_CLOCK_MAX = (1 << 24) - 1;
  /** Linux reports process CPU times in clock ticks of 1/100 s. */
  private static final double CLOCK_TICKS_PER_SECOND = 100.0;

  /** The highest used_memory INFO or MEMORY STATS has seen. */
  static final AtomicLong PEAK_MEMORY = new AtomicLong();

  /**
   * The sections INFO's arguments select, in print order: none means the default set; "all" and "everything"
   * mean every section (there are no module sections); unknown names select nothing.
   */
  static Set<String> select(byte[][] args) {
    Set<String> wanted = new LinkedHashSet<>();
    if (args.length == 1) {
      wanted.addAll(DEFAULT);
    } else {
      for (int i = 1; i < args.length; i++) {
        String name = Args.text(args[i]).toLowerCase(Locale.ROOT);
        switch (name) {
          case "all", "everything" -> wanted.addAll(ALL);
          case "default" -> wanted.addAll(DEFAULT);
          default -> wanted.add(name);
        }
      }
    }
    Set<String> ordered = new LinkedHashSet<>();
    for (String section : ALL) {
      if (wanted.contains(section)) ordered.add(section);
    }
    return ordered;
  }

  /** Whether the selected sections need figures from inside the slot ranges. */
  static boolean needsKeyspace(Set<String> sections) {
    return sections.contains("stats") || sections.contains("keyspace");
  }

  /** One range's share of the keyspace figures, gathered inside the range. */
  record RangeFigures(long[] keys, long[] expires, long[] ttlSum, long hits, long misses, long expired) {}

  static RangeFigures figures(RangeState state) {
    int databases = state.databases();
    long[] keys = new long[databases];
    long[] expires = new long[databases];
    long[] ttlSum = new long[databases];
    for (int i = 0; i < databases; i++) {
      RangeDb db = state.db(i);
      keys[i] = db.size();
      expires[i] = db.expiresCount();
      ttlSum[i] = expires[i] == 0 ? 0 : db.ttlSum();
    }
    return new RangeFigures(keys, expires, ttlSum, state.keyspaceHits, state.keyspaceMisses, state.expiredKeys);
  }

  /** The whole INFO text for the selected sections; {@code ranges} may be empty when not needed. */
  static String build(Set<String> sections, NodeContext ctx, List<RangeFigures> ranges, long nowMs) {
    Totals totals = Totals.of(ranges);
    StringBuilder out = new StringBuilder(4096);
    boolean first = true;
    for (String section : sections) {
      if (!first) out.append(CRLF);
      first = false;
      switch (section) {
        case "server" -> server(out, ctx, nowMs);
        case "clients" -> clients(out, ctx);
        case "memory" -> memory(out, ctx);
        case "persistence" -> persistence(out, ctx);
        case "stats" -> stats(out, ctx, totals);
        case "replication" -> replication(out, ctx, nowMs);
        case "cpu" -> cpu(out);
        case "modules" -> header(out, "Modules");
        case "commandstats" -> commandstats(out, ctx.stats());
        case "errorstats" -> errorstats(out, ctx.stats());
        case "cluster" -> {
          header(out, "Cluster");
          field(out, "cluster_enabled", ctx.settings().clusterEnabled() ? 1 : 0);
        }
        case "keyspace" -> keyspace(out, totals);
        default -> throw new IllegalArgumentException("no INFO section " + section);
      }
    }
    return out.toString();
  }

  /** The ranges' figures added up, per database. */
  private record Totals(long[] keys, long[] expires, long[] ttlSum, long hits, long misses, long expired) {
    static Totals of(List<RangeFigures> ranges) {
      int databases = ranges.isEmpty() ? 0 : ranges.get(0).keys().length;
      long[] keys = new long[databases];
      long[] expires = new long[databases];
      long[] ttlSum = new long[databases];
      long hits = 0;
      long misses = 0;
      long expired = 0;
      for (RangeFigures range : ranges) {
        for (int i = 0; i < databases; i++) {
          keys[i] += range.keys()[i];
          expires[i] += range.expires()[i];
          ttlSum[i] += range.ttlSum()[i];
        }
        hits += range.hits();
        misses += range.misses();
        expired += range.expired();
      }
      return new Totals(keys, expires, ttlSum, hits, misses, expired);
    }
  }

  private static void header(StringBuilder out, String title) {
    out.append("# ").append(title).append(CRLF);
  }

  private static void field(StringBuilder out, String name, Object value) {
    out.append(name).append(':').append(value).append(CRLF);
  }

  // Server

  private static void server(StringBuilder out, NodeContext ctx, long nowMs) {
    NodeInfo info = ctx.info();
    Settings settings = ctx.settings();
    Instant now = Instant.now();
    long uptimeSeconds = Math.max(0, (nowMs - info.startTimeMs()) / 1000);
    header(out, "Server");
    field(out, "redis_version", ServerVersion.REDIS_VERSION);
    field(out, "redis_git_sha1", "00000000");
    field(out, "redis_git_dirty", 0);
    field(out, "redis_build_id", ServerVersion.BUILD_ID);
    field(out, "redis_mode", settings.clusterEnabled() ? "cluster" : "standalone");
    field(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + machine());
    field(out, "arch_bits", System.getProperty("sun.arch.data.model", "64"));
    field(out, "monotonic_clock", "POSIX clock_gettime");
    field(out, "multiplexing_api", multiplexingApi());
    field(out, "atomicvar_api", "java.util.concurrent.atomic");
    field(out, "process_id", info.processId());
    field(out, "process_supervised", "no");
    field(out, "run_id", info.runId());
    // The port listened on now: CONFIG SET port moves it, as server.port in Redis.
    field(out, "tcp_port", settings.port());
    field(out, "server_time_usec", now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
    field(out, "uptime_in_seconds", uptimeSeconds);
    field(out, "uptime_in_days", uptimeSeconds / 86400);
    field(out, "hz", settings.hz());
    field(out, "configured_hz", settings.hz());
    field(out, "lru_clock", (nowMs / 1000) & LRU_CLOCK_MAX);
    field(out, "executable", info.executable());
    field(out, "config_file", info.configFile());
    field(out, "io_threads_active", 0);
  }

  /** uname's machine name: the JVM says amd64 where Linux says x86_64. */
  private static String machine() {
    String arch = System.getProperty("os.arch", "");
    return arch.equals("amd64") ? "x86_64" : arch;
  }

  /** The readiness API Java NIO uses on this OS. */
  private static String multiplexingApi() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("linux")) return "epoll";
    if (os.contains("mac") || os.contains("bsd")) return "kqueue";
    return "select";
  }

  // Clients

  private static void clients(StringBuilder out, NodeContext ctx) {
    Collection<Session> sessions = ctx.clients().sessions();
    long maxQueryBuffer = 0;
    for (Session s : sessions) maxQueryBuffer = Math.max(maxQueryBuffer, s.queryBuffer);
    header(out, "Clients");
    // As Redis: replicas (clients that sent SYNC) are not counted.
    field(out, "connected_clients", sessions.stream().filter(s -> !s.replica).count());
    // The cluster bus's connections belong to Akka remoting, which does not count them: shown only where there
    // are none (cluster-enabled no).
    if (!ctx.settings().clusterEnabled()) field(out, "cluster_connections", 0);
    field(out, "maxclients", ctx.settings().maxclients());
    field(out, "client_recent_max_input_buffer", maxQueryBuffer);
    field(out, "client_recent_max_output_buffer", ctx.clients().recentMaxOutputBuffer());
    field(out, "blocked_clients", sessions.stream().filter(s -> s.blocked).count());
    field(out, "tracking_clients", 0);
    field(out, "clients_in_timeout_table", 0);
  }

  // Memory: used_memory is the keyspace's estimate (keyspace.MemoryBudget: the fixed structures as
  // used_memory_startup plus the dataset, see docs/configuration.md) plus what the node holds for its clients, its
  // replication backlog and its AOF buffer (HeldMemory); maxmemory is compared with it less
  // mem_not_counted_for_evict, as Redis. The JVM heap stands in for the allocator's figures, the process's resident
  // set for the RSS.

  static long heapUsed() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static void memory(StringBuilder out, NodeContext ctx) {
    Runtime runtime = Runtime.getRuntime();
    MemoryBudget budget = ctx.keyspace().memory();
    HeldMemory held = HeldMemory.refresh(ctx);
    long heap = heapUsed();
    long used = budget.used();
    long peak = PEAK_MEMORY.accumulateAndGet(used, Math::max);
    long committed = runtime.totalMemory();
    long rss = residentSetSize(committed);
    long startup = budget.fixed();
    long dataset = budget.dataset();
    long maxmemory = budget.maxmemory();
    long systemMemory = totalSystemMemory();
    header(out, "Memory");
    field(out, "used_memory", used);
    field(out, "used_memory_human", bytesToHuman(used));
    field(out, "used_memory_rss", rss);
    field(out, "used_memory_rss_human", bytesToHuman(rss));
    field(out, "used_memory_peak", peak);
    field(out, "used_memory_peak_human", bytesToHuman(peak));
    field(out, "used_memory_peak_perc", percent(used, peak) + "%");
    field(out, "used_memory_overhead", used - dataset);
    field(out, "used_memory_startup", startup);
    field(out, "used_memory_dataset", dataset);
    field(out, "used_memory_dataset_perc", percent(dataset, used - startup) + "%");
    field(out, "allocator_allocated", heap);
    field(out, "allocator_active", committed);
    field(out, "allocator_resident", rss);
    field(out, "total_system_memory", systemMemory);
    field(out, "total_system_memory_human", bytesToHuman(systemMemory));
    field(out, "used_memory_lua", 0);
    field(out, "used_memory_vm_eval", 0);
    field(out, "used_memory_lua_human", bytesToHuman(0));
    field(out, "used_memory_scripts_eval", 0);
    field(out, "number_of_cached_scripts", ctx.stats().cachedScripts());
    field(out, "number_of_functions", 0);
    field(out, "number_of_libraries", 0);
    field(out, "used_memory_vm_functions", 0);
    field(out, "used_memory_vm_total", 0);
    field(out, "used_memory_vm_total_human", bytesToHuman(0));
    field(out, "used_memory_functions", 0);
    field(out, "used_memory_scripts", 0);
    field(out, "used_memory_scripts_human", bytesToHuman(0));
    field(out, "maxmemory", maxmemory);
    field(out, "maxmemory_human", bytesToHuman(maxmemory));
    field(out, "maxmemory_policy", budget.policy().configName());
    field(out, "allocator_frag_ratio", ratio(committed, heap));
    field(out, "allocator_frag_bytes", committed - heap);
    field(out, "allocator_rss_ratio", ratio(rss, committed));
    field(out, "allocator_rss_bytes", rss - committed);
    field(out, "rss_overhead_ratio", ratio(rss, rss));
    field(out, "rss_overhead_bytes", 0);
    field(out, "mem_fragmentation_ratio", ratio(rss, used));
    field(out, "mem_fragmentation_bytes", rss - used);
    field(out, "mem_not_counted_for_evict", budget.notCountedForEvict());
    field(out, "mem_replication_backlog", held.backlog());
    field(out, "mem_total_replication_buffers", held.replicationBuffers());
    field(out, "mem_clients_slaves", held.clientsReplicas());
    field(out, "mem_clients_normal", held.clientsNormal());
    // The bus's links belong to Akka remoting, which does not say what it holds for them: shown only where there
    // are none (cluster-enabled no), as cluster_connections.
    if (!ctx.settings().clusterEnabled()) field(out, "mem_cluster_links", 0);
    field(out, "mem_aof_buffer", held.aofBuffer());
    field(out, "mem_allocator", "jvm-" + Runtime.version().feature());
    field(out, "active_defrag_running", 0);
    field(out, "lazyfree_pending_objects", 0);
    field(out, "lazyfreed_objects", 0);
  }

  /** The process's resident set from /proc on Linux; elsewhere the committed heap. */
  static long residentSetSize(long fallback) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          String kilobytes = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kilobytes) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
    return fallback;
  }

  private static long totalSystemMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }

  /** Redis's bytesToHuman: B, then K/M/G/T/P with two decimals. */
  static String bytesToHuman(long n) {
    if (n < 1024) return n + "B";
    String[] units = {"K", "M", "G", "T", "P"};
    double scaled = n;
    for (String unit : units) {
      scaled /= 1024;
      if (scaled < 1024 || unit.equals("P")) return String.format(Locale.ROOT, "%.2f%s", scaled, unit);
    }
    return n + "B";
  }

  private static String percent(long part, long whole) {
    return String.format(Locale.ROOT, "%.2f", whole <= 0 ? 0.0 : part * 100.0 / whole);
  }

  private static String ratio(long a, long b) {
    return String.format(Locale.ROOT, "%.2f", b <= 0 ? 0.0 : (double) a / b);
  }

  // Persistence

  private static void persistence(StringBuilder out, NodeContext ctx) {
    header(out, "Persistence");
    out.append(ctx.persistence().infoFields(System.currentTimeMillis()));
  }

  // Stats

  private static void stats(StringBuilder out, NodeContext ctx, Totals totals) {
    ServerStats stats = ctx.stats();
    header(out, "Stats");
    field(out, "total_connections_received", stats.connectionsReceived.sum());
    field(out, "total_commands_processed", stats.commandsProcessed.sum());
    InstantaneousMetrics rates = stats.instantaneous;
    field(out, "instantaneous_ops_per_sec", rates.perSecond(InstantaneousMetrics.Metric.COMMANDS));
    field(out, "total_net_input_bytes", stats.netInputBytes.sum());
    field(out, "total_net_output_bytes", stats.netOutputBytes.sum());
    field(out, "total_net_repl_input_bytes", ctx.replication().replInputBytes());
    field(out, "total_net_repl_output_bytes", ctx.replication().replOutputBytes());
    field(out, "instantaneous_input_kbps", rates.kbps(InstantaneousMetrics.Metric.NET_INPUT));
    field(out, "instantaneous_output_kbps", rates.kbps(InstantaneousMetrics.Metric.NET_OUTPUT));
    field(out, "instantaneous_input_repl_kbps", rates.kbps(InstantaneousMetrics.Metric.NET_REPL_INPUT));
    field(out, "instantaneous_output_repl_kbps", rates.kbps(InstantaneousMetrics.Metric.NET_REPL_OUTPUT));
    field(out, "rejected_connections", stats.rejectedConnections.sum());
    Replication.SyncCounts syncs = ctx.replication().syncCounts();
    field(out, "sync_full", syncs.full());
    field(out, "sync_partial_ok", syncs.partialOk());
    field(out, "sync_partial_err", syncs.partialErr());
    field(out, "expired_keys", totals.expired());
    // expired_stale_perc, expired_time_cap_reached_count and expire_cycle_cpu_milliseconds are left out: the
    // slot ranges' expiry is not Redis's adaptive cycle, and nothing measures those.
    field(out, "evicted_keys", ctx.keyspace().memory().evictedKeys());
    field(out, "evicted_clients", 0);
    field(out, "total_eviction_exceeded_time", 0);
    field(out, "current_eviction_exceeded_time", 0);
    field(out, "keyspace_hits", totals.hits());
    field(out, "keyspace_misses", totals.misses());
    field(out, "pubsub_channels", ctx.pubsub().channelCount());
    field(out, "pubsub_patterns", ctx.pubsub().patternCount());
    field(out, "pubsubshard_channels", ctx.pubsub().shardChannelCount());
    field(out, "latest_fork_usec", 0);
    field(out, "total_forks", 0);
    field(out, "migrate_cached_sockets", stats.migrateCachedSockets());
    field(out, "slave_expires_tracked_keys", 0);
    field(out, "active_defrag_hits", 0);
    field(out, "active_defrag_misses", 0);
    field(out, "active_defrag_key_hits", 0);
    field(out, "active_defrag_key_misses", 0);
    field(out, "total_active_defrag_time", 0);
    field(out, "current_active_defrag_time", 0);
    field(out, "tracking_total_keys", 0);
    field(out, "tracking_total_items", 0);
    field(out, "tracking_total_prefixes", 0);
    field(out, "unexpected_error_replies", 0);
    field(out, "total_error_replies", stats.totalErrorReplies.sum());
    field(out, "dump_payload_sanitizations", 0);
    field(out, "total_reads_processed", stats.readsProcessed.sum());
    field(out, "total_writes_processed", stats.writesProcessed.sum());
    field(out, "io_threaded_reads_processed", 0);
    field(out, "io_threaded_writes_processed", 0);
    field(out, "reply_buffer_shrinks", ctx.clients().replyBuffers().shrinks());
    field(out, "reply_buffer_expands", ctx.clients().replyBuffers().expands());
  }

  private static void replication(StringBuilder out, NodeContext ctx, long nowMs) {
    header(out, "Replication");
    out.append(ctx.replication().infoFields(nowMs));
  }

  // CPU: the node has no single main thread; the process's times stand for it.

  private static void cpu(StringBuilder out) {
    double[] userSys = processCpuSeconds();
    String user = String.format(Locale.ROOT, "%.6f", userSys[0]);
    String sys = String.format(Locale.ROOT, "%.6f", userSys[1]);
    header(out, "CPU");
    field(out, "used_cpu_sys", sys);
    field(out, "used_cpu_user", user);
    field(out, "used_cpu_sys_children", "0.000000");
    field(out, "used_cpu_user_children", "0.000000");
    field(out, "used_cpu_sys_main_thread", sys);
    field(out, "used_cpu_user_main_thread", user);
  }

  /** {user, system} seconds from /proc/self/stat on Linux; elsewhere all CPU time counts as user time. */
  private static double[] processCpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
      // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return new double[] {Long.parseLong(fields[11]) / CLOCK_TICKS_PER_SECOND,
          Long.parseLong(fields[12]) / CLOCK_TICKS_PER_SECOND};
    } catch (IOException | RuntimeException e) {
      if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
        return new double[] {Math.max(0, os.getProcessCpuTime()) / 1e9, 0};
      }
      return new double[] {0, 0};
    }
  }

  // Commandstats and errorstats, sorted by name like Redis's error table (commands come in no fixed order).

  private static void commandstats(StringBuilder out, ServerStats stats) {
    header(out, "Commandstats");
    Map<String, ServerStats.CommandCounters> sorted = new TreeMap<>(stats.commands);
    for (Map.Entry<String, ServerStats.CommandCounters> entry : sorted.entrySet()) {
      ServerStats.CommandCounters counters = entry.getValue();
      long calls = counters.calls.sum();
      long failed = counters.failedCalls.sum();
      long rejected = counters.rejectedCalls.sum();
      if (calls == 0 && failed == 0 && rejected == 0) continue;
      long usec = counters.usec.sum();
      out.append("cmdstat_").append(entry.getKey()).append(":calls=").append(calls)
          .append(",usec=").append(usec)
          .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) usec / calls))
          .append(",rejected_calls=").append(rejected)
          .append(",failed_calls=").append(failed).append(CRLF);
    }
  }

  private static void errorstats(StringBuilder out, ServerStats stats) {
    header(out, "Errorstats");
    Map<String, LongAdder> sorted = new TreeMap<>(stats.errors);
    for (Map.Entry<String, LongAdder> entry : sorted.entrySet()) {
      out.append("errorstat_").append(entry.getKey()).append(":count=").append(entry.getValue().sum()).append(CRLF);
    }
  }

  // Keyspace: a line only for databases that hold keys (redis-cli --cluster create tests "db0:" for emptiness).

  private static void keyspace(StringBuilder out, Totals totals) {
    header(out, "Keyspace");
    for (int db = 0; db < totals.keys().length; db++) {
      long keys = totals.keys()[db];
      if (keys == 0) continue;
      long expires = totals.expires()[db];
      long avgTtl = expires == 0 ? 0 : totals.ttlSum()[db] / expires;
      out.append("db").append(db).append(":keys=").append(keys).append(",expires=").append(expires)
          .append(",avg_ttl=").append(avgTtl).append(CRLF);
    }
  }
}
