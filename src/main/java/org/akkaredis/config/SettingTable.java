package org.akkaredis.config;

import static org.akkaredis.config.SettingDefinition.Access.IMMUTABLE;
import static org.akkaredis.config.SettingDefinition.Access.MUTABLE;
import static org.akkaredis.config.SettingDefinition.Access.PROTECTED;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.akkaredis.config.CompoundTypes.BindType;
import org.akkaredis.config.CompoundTypes.ClientOutputBufferLimitType;
import org.akkaredis.config.CompoundTypes.DirType;
import org.akkaredis.config.CompoundTypes.LatencyPercentilesType;
import org.akkaredis.config.CompoundTypes.NotifyKeyspaceEventsType;
import org.akkaredis.config.CompoundTypes.OomScoreAdjValuesType;
import org.akkaredis.config.CompoundTypes.ReplicaOfType;
import org.akkaredis.config.CompoundTypes.SaveType;
import org.akkaredis.config.ScalarTypes.BoolType;
import org.akkaredis.config.ScalarTypes.EnumType;
import org.akkaredis.config.ScalarTypes.FlagsType;
import org.akkaredis.config.ScalarTypes.NumberForm;
import org.akkaredis.config.ScalarTypes.NumberType;
import org.akkaredis.config.ScalarTypes.StringType;
import org.akkaredis.config.SettingDefinition.Access;
import org.akkaredis.config.SettingDefinition.ValueCheck;

/**
 * Every setting of redis-server 7.0.15 (the ones {@code CONFIG GET *} lists, plus its hidden
 * ones), with redis-server's types, bounds, defaults and mutability, in the order of
 * redis-server's own table.
 */
final class SettingTable {

  private static final long INT_MIN = Integer.MIN_VALUE;
  private static final long INT_MAX = Integer.MAX_VALUE;
  private static final long UINT_MAX = 0xFFFF_FFFFL;
  private static final long LONG_MAX = Long.MAX_VALUE;
  private static final long LLONG_MAX = Long.MAX_VALUE;
  private static final long SSIZE_MAX = Long.MAX_VALUE;
  /** ULLONG_MAX as the 64 bits of a Java long. */
  private static final long ULLONG_MAX = -1L;
  private static final long MB = 1024L * 1024;

  /**
   * Names redis-server 7.0 still accepts in a config file and ignores; they are not settings
   * (CONFIG GET and CONFIG SET do not know them).
   */
  static final Set<String> IGNORED_DEPRECATED_NAMES =
      Set.of("list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands");

  /**
   * The settings nothing in the node reads: a redis.conf may name them at their default value (redis.conf files
   * load), any other value is refused at start and by CONFIG SET ({@link Settings#NOT_IMPLEMENTED_TEXT}), so
   * that no setting is accepted and silently ignored. docs/configuration.md's "Used now" column says the same
   * (SettingsDocTest checks it). A setting leaves this list when the code starts acting on it.
   */
  static final Set<String> NOT_IMPLEMENTED = Set.of(
      // Network and connections
      "bind-source-addr", "tcp-keepalive", "unixsocket", "unixsocketperm", "socket-mark-id",
      // Cluster
      "cluster-announce-tls-port", "cluster-link-sendbuf-limit",
      // Security
      "aclfile", "acllog-max-len", "acl-pubsub-default", "enable-module-command",
      // Clients, protocol and event loop
      "maxmemory-clients", "dynamic-hz", "io-threads", "io-threads-do-reads", "tracking-table-max-keys",
      // Memory
      "active-expire-effort", "activerehashing", "lazyfree-lazy-user-del",
      "lazyfree-lazy-user-flush", "activedefrag", "active-defrag-ignore-bytes", "active-defrag-threshold-lower",
      "active-defrag-threshold-upper", "active-defrag-cycle-min", "active-defrag-cycle-max",
      "active-defrag-max-scan-fields", "jemalloc-bg-thread",
      // Data structure encodings
      "list-compress-depth",
      // Snapshots
      "rdbcompression", "rdbchecksum", "rdb-del-sync-files", "rdb-save-incremental-fsync",
      // Append-only file
      "no-appendfsync-on-rewrite", "aof-timestamp-enabled", "aof-rewrite-incremental-fsync", "aof-disable-auto-gc",
      // Replication
      "replicaof", "replica-read-only", "replica-lazy-flush",
      "replica-ignore-disk-write-errors", "replica-priority", "replica-announced", "replica-announce-ip",
      "replica-announce-port", "repl-diskless-sync", "repl-diskless-sync-delay", "repl-diskless-sync-max-replicas",
      "repl-disable-tcp-nodelay", "repl-backlog-ttl", "propagation-error-behavior",
      // Logging and monitoring
      "syslog-enabled", "syslog-ident", "syslog-facility", "latency-tracking-info-percentiles",
      "crash-log-enabled", "crash-memcheck-enabled", "watchdog-period",
      "use-exit-on-panic",
      // Process
      "daemonize", "supervised", "pidfile", "set-proc-title", "proc-title-template", "always-show-logo",
      "shutdown-timeout", "shutdown-on-sigint", "shutdown-on-sigterm", "oom-score-adj", "oom-score-adj-values",
      "disable-thp", "server_cpulist", "bio_cpulist", "aof_rewrite_cpulist", "bgsave_cpulist", "ignore-warnings",
      // TLS
      "tls-port", "tls-session-cache-size", "tls-session-cache-timeout", "tls-cluster", "tls-replication",
      "tls-auth-clients", "tls-prefer-server-ciphers", "tls-session-caching", "tls-cert-file", "tls-key-file",
      "tls-key-file-pass", "tls-client-cert-file", "tls-client-key-file", "tls-client-key-file-pass",
      "tls-dh-params-file", "tls-ca-cert-file", "tls-ca-cert-dir", "tls-protocols", "tls-ciphers",
      "tls-ciphersuites");

  private static final EnumType PROTECTED_ACTION = EnumType.of("no", "yes", "local");

  /** redis-server's SHUTDOWN_SAVE and SHUTDOWN_NOSAVE bits, which exclude each other. */
  private static final int SHUTDOWN_SAVE = 1;
  private static final int SHUTDOWN_NOSAVE = 2;
  private static final FlagsType SHUTDOWN_FLAGS = new FlagsType("default", 0, "save", SHUTDOWN_SAVE,
      "nosave", SHUTDOWN_NOSAVE, "now", 4, "force", 8);

  static final List<SettingDefinition> ALL = List.of(
      // Yes/no settings.
      bool("rdbchecksum", IMMUTABLE, "yes"),
      bool("daemonize", IMMUTABLE, "no"),
      bool("io-threads-do-reads", IMMUTABLE, "no"),
      bool("always-show-logo", IMMUTABLE, "no"),
      bool("protected-mode", MUTABLE, "yes"),
      bool("rdbcompression", MUTABLE, "yes"),
      bool("rdb-del-sync-files", MUTABLE, "no"),
      bool("activerehashing", MUTABLE, "yes"),
      bool("stop-writes-on-bgsave-error", MUTABLE, "yes"),
      bool("set-proc-title", IMMUTABLE, "yes"),
      bool("dynamic-hz", MUTABLE, "yes"),
      bool("lazyfree-lazy-eviction", MUTABLE, "no"),
      bool("lazyfree-lazy-expire", MUTABLE, "no"),
      bool("lazyfree-lazy-server-del", MUTABLE, "no"),
      bool("lazyfree-lazy-user-del", MUTABLE, "no"),
      bool("lazyfree-lazy-user-flush", MUTABLE, "no"),
      bool("repl-disable-tcp-nodelay", MUTABLE, "no"),
      bool("repl-diskless-sync", MUTABLE, "yes"),
      bool("aof-rewrite-incremental-fsync", MUTABLE, "yes"),
      bool("no-appendfsync-on-rewrite", MUTABLE, "no"),
      bool("cluster-require-full-coverage", MUTABLE, "yes"),
      bool("rdb-save-incremental-fsync", MUTABLE, "yes"),
      bool("aof-load-truncated", MUTABLE, "yes"),
      bool("aof-use-rdb-preamble", MUTABLE, "yes"),
      bool("aof-timestamp-enabled", MUTABLE, "no"),
      bool("cluster-replica-no-failover", MUTABLE, "no").alias("cluster-slave-no-failover"),
      bool("replica-lazy-flush", MUTABLE, "no").alias("slave-lazy-flush"),
      bool("replica-serve-stale-data", MUTABLE, "yes").alias("slave-serve-stale-data"),
      bool("replica-read-only", MUTABLE, "yes").alias("slave-read-only"),
      bool("replica-ignore-maxmemory", MUTABLE, "yes").alias("slave-ignore-maxmemory"),
      bool("jemalloc-bg-thread", MUTABLE, "yes"),
      bool("activedefrag", MUTABLE, "no").check(SettingTable::activeDefragProblem),
      bool("syslog-enabled", IMMUTABLE, "no"),
      bool("cluster-enabled", IMMUTABLE, "no"),
      bool("appendonly", MUTABLE, "no"),
      bool("cluster-allow-reads-when-down", MUTABLE, "no"),
      bool("cluster-allow-pubsubshard-when-down", MUTABLE, "yes"),
      bool("crash-log-enabled", MUTABLE, "yes"),
      bool("crash-memcheck-enabled", MUTABLE, "yes"),
      bool("use-exit-on-panic", MUTABLE, "no").hidden(),
      bool("disable-thp", IMMUTABLE, "yes"),
      bool("cluster-allow-replica-migration", MUTABLE, "yes"),
      bool("replica-announced", MUTABLE, "yes"),
      bool("latency-tracking", MUTABLE, "yes"),
      bool("aof-disable-auto-gc", MUTABLE, "no"),
      bool("replica-ignore-disk-write-errors", MUTABLE, "no"),

      // Free-text settings.
      text("aclfile", IMMUTABLE, ""),
      text("unixsocket", IMMUTABLE, ""),
      text("pidfile", IMMUTABLE, ""),
      text("replica-announce-ip", MUTABLE, "").alias("slave-announce-ip"),
      text("masteruser", MUTABLE, ""),
      text("cluster-announce-ip", MUTABLE, ""),
      text("cluster-config-file", IMMUTABLE, "nodes.conf"),
      text("cluster-announce-hostname", MUTABLE, "").check(SettingTable::hostnameProblem),
      text("syslog-ident", IMMUTABLE, "redis"),
      text("dbfilename", PROTECTED, "dump.rdb").check(fileNameCheck("dbfilename", false, "filename")),
      text("appendfilename", IMMUTABLE, "appendonly.aof")
          .check(fileNameCheck("appendfilename", true, "filename")),
      text("appenddirname", IMMUTABLE, "appendonlydir")
          .check(fileNameCheck("appenddirname", true, "dirname")),
      text("server_cpulist", IMMUTABLE, ""),
      text("bio_cpulist", IMMUTABLE, ""),
      text("aof_rewrite_cpulist", IMMUTABLE, ""),
      text("bgsave_cpulist", IMMUTABLE, ""),
      text("ignore-warnings", MUTABLE, ""),
      text("proc-title-template", MUTABLE, "{title} {listen-addr} {server-mode}")
          .check(SettingTable::procTitleTemplateProblem),
      text("bind-source-addr", MUTABLE, ""),
      text("logfile", IMMUTABLE, ""),
      text("masterauth", MUTABLE, ""),
      text("requirepass", MUTABLE, ""),

      // Settings that take one of a list of names.
      choice("supervised", IMMUTABLE, EnumType.of("upstart", "systemd", "auto", "no"), "no"),
      choice("syslog-facility", IMMUTABLE, EnumType.of("user", "local0", "local1", "local2", "local3",
          "local4", "local5", "local6", "local7"), "local0"),
      choice("repl-diskless-load", MUTABLE, EnumType.of("disabled", "on-empty-db", "swapdb"), "disabled"),
      choice("loglevel", MUTABLE, EnumType.of("debug", "verbose", "notice", "warning"), "notice"),
      choice("maxmemory-policy", MUTABLE, EnumType.of("volatile-lru", "volatile-lfu", "volatile-random",
          "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), "noeviction"),
      choice("appendfsync", MUTABLE, EnumType.of("everysec", "always", "no"), "everysec"),
      choice("oom-score-adj", MUTABLE,
          new EnumType("no", "no", "yes", "relative", "relative", "relative", "absolute", "absolute"), "no"),
      choice("acl-pubsub-default", MUTABLE, EnumType.of("allchannels", "resetchannels"), "resetchannels"),
      choice("sanitize-dump-payload", MUTABLE, EnumType.of("no", "yes", "clients"), "no"),
      choice("enable-protected-configs", IMMUTABLE, PROTECTED_ACTION, "no"),
      choice("enable-debug-command", IMMUTABLE, PROTECTED_ACTION, "no"),
      choice("enable-module-command", IMMUTABLE, PROTECTED_ACTION, "no"),
      choice("cluster-preferred-endpoint-type", MUTABLE,
          EnumType.of("ip", "hostname", "unknown-endpoint"), "ip"),
      choice("propagation-error-behavior", MUTABLE, EnumType.of("ignore", "panic", "panic-on-replicas"),
          "ignore"),
      new SettingDefinition("shutdown-on-sigint", SHUTDOWN_FLAGS, "default", MUTABLE)
          .check(SettingTable::shutdownFlagsProblem),
      new SettingDefinition("shutdown-on-sigterm", SHUTDOWN_FLAGS, "default", MUTABLE)
          .check(SettingTable::shutdownFlagsProblem),

      // C int settings.
      integer("databases", IMMUTABLE, 1, INT_MAX, "16"),
      integer("port", MUTABLE, 0, 65535, "6379"),
      // Not redis-server's: the node's Prometheus endpoint (README, Metrics); hidden, as it is no Redis setting.
      integer("metrics-port", IMMUTABLE, 0, 65535, "0").hidden(),
      integer("io-threads", IMMUTABLE, 1, 128, "1"),
      integer("auto-aof-rewrite-percentage", MUTABLE, 0, INT_MAX, "100"),
      integer("cluster-replica-validity-factor", MUTABLE, 0, INT_MAX, "10")
          .alias("cluster-slave-validity-factor"),
      integer("list-max-listpack-size", MUTABLE, INT_MIN, INT_MAX, "-2").alias("list-max-ziplist-size"),
      integer("tcp-keepalive", MUTABLE, 0, INT_MAX, "300"),
      integer("cluster-migration-barrier", MUTABLE, 0, INT_MAX, "1"),
      integer("active-defrag-cycle-min", MUTABLE, 1, 99, "1"),
      integer("active-defrag-cycle-max", MUTABLE, 1, 99, "25"),
      integer("active-defrag-threshold-lower", MUTABLE, 0, 1000, "10"),
      integer("active-defrag-threshold-upper", MUTABLE, 0, 1000, "100"),
      integer("lfu-log-factor", MUTABLE, 0, INT_MAX, "10"),
      integer("lfu-decay-time", MUTABLE, 0, INT_MAX, "1"),
      integer("replica-priority", MUTABLE, 0, INT_MAX, "100").alias("slave-priority"),
      integer("repl-diskless-sync-delay", MUTABLE, 0, INT_MAX, "5"),
      integer("maxmemory-samples", MUTABLE, 1, INT_MAX, "5"),
      integer("maxmemory-eviction-tenacity", MUTABLE, 0, 100, "10"),
      integer("timeout", MUTABLE, 0, INT_MAX, "0"),
      integer("replica-announce-port", MUTABLE, 0, 65535, "0").alias("slave-announce-port"),
      integer("tcp-backlog", IMMUTABLE, 0, INT_MAX, "511"),
      integer("cluster-port", IMMUTABLE, 0, 65535, "0"),
      integer("cluster-announce-bus-port", MUTABLE, 0, 65535, "0"),
      integer("cluster-announce-port", MUTABLE, 0, 65535, "0"),
      integer("cluster-announce-tls-port", MUTABLE, 0, 65535, "0"),
      integer("repl-timeout", MUTABLE, 1, INT_MAX, "60"),
      integer("repl-ping-replica-period", MUTABLE, 1, INT_MAX, "10").alias("repl-ping-slave-period"),
      integer("list-compress-depth", MUTABLE, 0, INT_MAX, "0"),
      integer("rdb-key-save-delay", MUTABLE, INT_MIN, INT_MAX, "0").hidden(),
      integer("key-load-delay", MUTABLE, INT_MIN, INT_MAX, "0").hidden(),
      integer("active-expire-effort", MUTABLE, 1, 10, "1"),
      // redis-server accepts any hz but keeps it within 1..500.
      new SettingDefinition("hz", new NumberType(0, INT_MAX, false, NumberForm.INTEGER, 1, 500), "10", MUTABLE),
      integer("min-replicas-to-write", MUTABLE, 0, INT_MAX, "0").alias("min-slaves-to-write"),
      integer("min-replicas-max-lag", MUTABLE, 0, INT_MAX, "10").alias("min-slaves-max-lag"),
      integer("watchdog-period", MUTABLE, 0, INT_MAX, "0").hidden(),
      integer("shutdown-timeout", MUTABLE, 0, INT_MAX, "10"),
      integer("repl-diskless-sync-max-replicas", MUTABLE, 0, INT_MAX, "0"),

      // C unsigned int settings.
      unsignedInteger("maxclients", MUTABLE, 1, UINT_MAX, "10000"),
      new SettingDefinition("unixsocketperm", new NumberType(0, 0777, true, NumberForm.OCTAL), "0", IMMUTABLE),
      unsignedInteger("socket-mark-id", IMMUTABLE, 0, UINT_MAX, "0"),

      // C unsigned long settings (redis-server checks their bounds as signed numbers).
      integer("active-defrag-max-scan-fields", MUTABLE, 1, LONG_MAX, "1000"),
      integer("slowlog-max-len", MUTABLE, 0, LONG_MAX, "128"),
      integer("acllog-max-len", MUTABLE, 0, LONG_MAX, "128"),

      // C long long settings.
      integer("busy-reply-threshold", MUTABLE, 0, LONG_MAX, "5000").alias("lua-time-limit"),
      integer("cluster-node-timeout", MUTABLE, 0, LLONG_MAX, "15000"),
      integer("slowlog-log-slower-than", MUTABLE, -1, LLONG_MAX, "10000"),
      integer("latency-monitor-threshold", MUTABLE, 0, LLONG_MAX, "0"),
      memory("proto-max-bulk-len", MUTABLE, MB, LONG_MAX, false, "536870912"),
      integer("stream-node-max-entries", MUTABLE, 0, LLONG_MAX, "100"),
      memory("repl-backlog-size", MUTABLE, 1, LLONG_MAX, false, "1048576"),

      // C unsigned long long settings.
      memory("maxmemory", MUTABLE, 0, ULLONG_MAX, true, "0"),
      memory("cluster-link-sendbuf-limit", MUTABLE, 0, ULLONG_MAX, true, "0"),

      // C size_t settings.
      unsignedInteger("hash-max-listpack-entries", MUTABLE, 0, LONG_MAX, "512").alias("hash-max-ziplist-entries"),
      unsignedInteger("set-max-intset-entries", MUTABLE, 0, LONG_MAX, "512"),
      unsignedInteger("zset-max-listpack-entries", MUTABLE, 0, LONG_MAX, "128").alias("zset-max-ziplist-entries"),
      memory("active-defrag-ignore-bytes", MUTABLE, 1, LLONG_MAX, true, "104857600"),
      memory("hash-max-listpack-value", MUTABLE, 0, LONG_MAX, true, "64").alias("hash-max-ziplist-value"),
      memory("stream-node-max-bytes", MUTABLE, 0, LONG_MAX, true, "4096"),
      memory("zset-max-listpack-value", MUTABLE, 0, LONG_MAX, true, "64").alias("zset-max-ziplist-value"),
      memory("hll-sparse-max-bytes", MUTABLE, 0, LONG_MAX, true, "3000"),
      unsignedInteger("tracking-table-max-keys", MUTABLE, 0, LONG_MAX, "1000000"),
      memory("client-query-buffer-limit", MUTABLE, MB, LONG_MAX, true, "1073741824"),

      // C ssize_t, time_t and off_t settings.
      new SettingDefinition("maxmemory-clients",
          new NumberType(-100, SSIZE_MAX, false, NumberForm.MEMORY_OR_PERCENT), "0", MUTABLE),
      integer("repl-backlog-ttl", MUTABLE, 0, LONG_MAX, "3600"),
      memory("auto-aof-rewrite-min-size", MUTABLE, 0, LLONG_MAX, false, "67108864"),
      integer("loading-process-events-interval-bytes", MUTABLE, 1024, INT_MAX, "2097152").hidden(),

      // TLS settings (redis-server 7.0.15 as packaged is built with TLS).
      integer("tls-port", MUTABLE, 0, 65535, "0"),
      integer("tls-session-cache-size", MUTABLE, 0, INT_MAX, "20480"),
      integer("tls-session-cache-timeout", MUTABLE, 0, INT_MAX, "300"),
      bool("tls-cluster", MUTABLE, "no"),
      bool("tls-replication", MUTABLE, "no"),
      choice("tls-auth-clients", MUTABLE, EnumType.of("no", "yes", "optional"), "yes"),
      bool("tls-prefer-server-ciphers", MUTABLE, "no"),
      bool("tls-session-caching", MUTABLE, "yes"),
      text("tls-cert-file", MUTABLE, ""),
      text("tls-key-file", MUTABLE, ""),
      text("tls-key-file-pass", MUTABLE, ""),
      text("tls-client-cert-file", MUTABLE, ""),
      text("tls-client-key-file", MUTABLE, ""),
      text("tls-client-key-file-pass", MUTABLE, ""),
      text("tls-dh-params-file", MUTABLE, ""),
      text("tls-ca-cert-file", MUTABLE, ""),
      text("tls-ca-cert-dir", MUTABLE, ""),
      text("tls-protocols", MUTABLE, ""),
      text("tls-ciphers", MUTABLE, ""),
      text("tls-ciphersuites", MUTABLE, ""),

      // Settings with a syntax of their own.
      new SettingDefinition("dir", new DirType(), ".", PROTECTED).check(SettingTable::dirProblem),
      new SettingDefinition("save", new SaveType(), "3600 1 300 100 60 10000", MUTABLE),
      new SettingDefinition("client-output-buffer-limit", new ClientOutputBufferLimitType(),
          "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", MUTABLE),
      new SettingDefinition("oom-score-adj-values", new OomScoreAdjValuesType(), "0 200 800", MUTABLE),
      new SettingDefinition("notify-keyspace-events", new NotifyKeyspaceEventsType(), "", MUTABLE),
      new SettingDefinition("bind", new BindType(), "* -::*", MUTABLE),
      new SettingDefinition("replicaof", new ReplicaOfType(), "", IMMUTABLE).alias("slaveof"),
      new SettingDefinition("latency-tracking-info-percentiles", new LatencyPercentilesType(), "50 99 99.9",
          MUTABLE));

  /** Lower-case name or alias to row number in {@link #ALL}. */
  private static final Map<String, Integer> INDEX_BY_NAME = buildIndex();

  private SettingTable() {
  }

  /** Whether the node acts on a setting (see {@link #NOT_IMPLEMENTED}). */
  static boolean implemented(SettingDefinition definition) {
    return !NOT_IMPLEMENTED.contains(definition.name);
  }

  /**
   * Settings of {@link #NOT_IMPLEMENTED} for which the node does what one value other than the default asks, so
   * that value is true and accepted too: a full sync starts at once (repl-diskless-sync-delay 0, which Redis's
   * own test suites write in every redis.conf they start a server with); strings go into snapshots uncompressed
   * (rdbcompression no).
   */
  private static final Map<String, String> ALSO_TRUE = Map.of("repl-diskless-sync-delay", "0",
      "rdbcompression", "no");

  /** The value besides the default that a setting the node does not act on accepts, or null. */
  static String alsoTrue(SettingDefinition definition) {
    return ALSO_TRUE.get(definition.name);
  }

  /** Whether a setting may take this value (as formatted): any value of one the node acts on, see above else. */
  static boolean accepts(SettingDefinition definition, String formatted) {
    return implemented(definition) || formatted.equals(definition.type.format(definition.defaultValue))
        || formatted.equals(ALSO_TRUE.get(definition.name));
  }

  /** Row number of a name or alias (case-insensitive), or -1. */
  static int indexOf(String nameOrAlias) {
    Integer index = INDEX_BY_NAME.get(nameOrAlias.toLowerCase(Locale.ROOT));
    return index == null ? -1 : index;
  }

  /** Row number of a name the code relies on; fails fast on a typo. */
  static int require(String name) {
    int index = indexOf(name);
    if (index < 0) {
      throw new IllegalStateException("no setting " + name);
    }
    return index;
  }

  private static Map<String, Integer> buildIndex() {
    Map<String, Integer> index = new HashMap<>();
    Set<String> names = new HashSet<>();
    ALL.forEach(definition -> names.add(definition.name));
    for (String name : NOT_IMPLEMENTED) {
      if (!names.contains(name)) throw new IllegalStateException("no setting " + name + " (NOT_IMPLEMENTED)");
    }
    for (int i = 0; i < ALL.size(); i++) {
      SettingDefinition definition = ALL.get(i);
      if (index.put(definition.name, i) != null
          || (definition.alias != null && index.put(definition.alias, i) != null)) {
        throw new IllegalStateException("setting listed twice: " + definition.name);
      }
    }
    return Map.copyOf(index);
  }

  private static SettingDefinition bool(String name, Access access, String defaultText) {
    return new SettingDefinition(name, BoolType.INSTANCE, defaultText, access);
  }

  private static SettingDefinition text(String name, Access access, String defaultText) {
    return new SettingDefinition(name, StringType.INSTANCE, defaultText, access);
  }

  private static SettingDefinition choice(String name, Access access, EnumType type, String defaultText) {
    return new SettingDefinition(name, type, defaultText, access);
  }

  private static SettingDefinition integer(String name, Access access, long min, long max, String defaultText) {
    return new SettingDefinition(name, new NumberType(min, max, false, NumberForm.INTEGER), defaultText, access);
  }

  private static SettingDefinition unsignedInteger(String name, Access access, long min, long max,
                           String defaultText) {
    return new SettingDefinition(name, new NumberType(min, max, true, NumberForm.INTEGER), defaultText, access);
  }

  private static SettingDefinition memory(String name, Access access, long min, long max, boolean unsigned,
                      String defaultText) {
    return new SettingDefinition(name, new NumberType(min, max, unsigned, NumberForm.MEMORY), defaultText,
        access);
  }

  // Extra rules redis-server applies to particular settings.

  private static String activeDefragProblem(Object value, Function<String, Object> candidate, boolean atStartup) {
    // Like a redis-server built without Redis's own jemalloc: there is no defragmenter here.
    return (Boolean) value
        ? "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified "
            + "Jemalloc like the one shipped by default with the Redis source distribution"
        : null;
  }

  private static String shutdownFlagsProblem(Object value, Function<String, Object> candidate, boolean atStartup) {
    int flags = (Integer) value;
    return (flags & SHUTDOWN_SAVE) != 0 && (flags & SHUTDOWN_NOSAVE) != 0
        ? "shutdown options SAVE and NOSAVE can't be used simultaneously"
        : null;
  }

  private static ValueCheck fileNameCheck(String name, boolean emptyForbidden, String noun) {
    return (value, candidate, atStartup) -> {
      String text = (String) value;
      if (emptyForbidden && text.isEmpty()) {
        return name + " can't be empty";
      }
      if (text.indexOf('/') >= 0 || text.indexOf('\\') >= 0) {
        return name + " can't be a path, just a " + noun;
      }
      return null;
    };
  }

  private static String hostnameProblem(Object value, Function<String, Object> candidate, boolean atStartup) {
    String hostname = (String) value;
    if (hostname.length() >= 256) {
      return "Hostnames must be less than 256 characters";
    }
    for (char c : hostname.toCharArray()) {
      boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.';
      if (!allowed) {
        return "Hostnames may only contain alphanumeric characters, hyphens or dots";
      }
    }
    return null;
  }

  /**
   * redis-server expands the template with an empty title and rejects it if a variable is
   * unknown, a brace is unclosed, or the result is blank.
   */
  private static String procTitleTemplateProblem(Object value, Function<String, Object> candidate,
                          boolean atStartup) {
    String template = (String) value;
    StringBuilder expanded = new StringBuilder();
    int position = 0;
    while (position < template.length()) {
      int open = template.indexOf('{', position);
      if (open < 0) {
        expanded.append(template, position, template.length());
        break;
      }
      expanded.append(template, position, open);
      if (open + 1 >= template.length()) {
        return PROC_TITLE_ERROR;
      }
      if (template.charAt(open + 1) == '{') {
        expanded.append('{');
        position = open + 2;
        continue;
      }
      int close = template.indexOf('}', open + 1);
      if (close < 0) {
        return PROC_TITLE_ERROR;
      }
      String variable = procTitleVariable(template.substring(open + 1, close), candidate);
      if (variable == null) {
        return PROC_TITLE_ERROR;
      }
      expanded.append(variable);
      position = close + 1;
    }
    return expanded.toString().strip().isEmpty() ? PROC_TITLE_ERROR : null;
  }

  private static final String PROC_TITLE_ERROR = "template format is invalid or contains unknown variables";

  private static String procTitleVariable(String variable, Function<String, Object> candidate) {
    return switch (variable) {
      case "title" -> "";
      case "listen-addr", "config-file" -> "-";
      case "server-mode" -> (Boolean) candidate.apply("cluster-enabled") ? "[cluster]" : "";
      case "port" -> candidate.apply("port").toString();
      case "tls-port" -> candidate.apply("tls-port").toString();
      case "unixsocket" -> (String) candidate.apply("unixsocket");
      default -> null;
    };
  }

  /** CONFIG SET dir changes directory, as redis-server's chdir does; start-up leaves that to the node. */
  private static String dirProblem(Object value, Function<String, Object> candidate, boolean atStartup) {
    if (atStartup) {
      return null;
    }
    Path path = Path.of((String) value);
    if (Files.isDirectory(path)) {
      return Files.isExecutable(path) ? null : "Permission denied";
    }
    return Files.exists(path) ? "Not a directory" : "No such file or directory";
  }
}
