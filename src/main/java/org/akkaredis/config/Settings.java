package org.akkaredis.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.akkaredis.config.ScalarTypes.NumberForm;
import org.akkaredis.config.ScalarTypes.NumberType;
import org.akkaredis.config.SettingDefinition.Access;

/**
 * The node's settings: every redis-server 7.0.15 setting, with Redis 7.0's default wherever a
 * value was not given. Thread-safe: readers see one consistent snapshot, and CONFIG SET
 * ({@link #set}) replaces it atomically. The typed getters read the current value on every call.
 */
public final class Settings {

  private static final List<SettingDefinition> TABLE = SettingTable.ALL;

  private static final int PORT = SettingTable.require("port");
  private static final int METRICS_PORT = SettingTable.require("metrics-port");
  private static final int BIND = SettingTable.require("bind");
  private static final int CLUSTER_ENABLED = SettingTable.require("cluster-enabled");
  private static final int CLUSTER_CONFIG_FILE = SettingTable.require("cluster-config-file");
  private static final int CLUSTER_NODE_TIMEOUT = SettingTable.require("cluster-node-timeout");
  private static final int CLUSTER_PORT = SettingTable.require("cluster-port");
  private static final int APPENDONLY = SettingTable.require("appendonly");
  private static final int DIR = SettingTable.require("dir");
  private static final int REQUIREPASS = SettingTable.require("requirepass");
  private static final int MASTERAUTH = SettingTable.require("masterauth");
  private static final int MASTERUSER = SettingTable.require("masteruser");
  private static final int PROTECTED_MODE = SettingTable.require("protected-mode");
  private static final int TCP_BACKLOG = SettingTable.require("tcp-backlog");
  private static final int DATABASES = SettingTable.require("databases");
  private static final int MAXCLIENTS = SettingTable.require("maxclients");
  private static final int PROTO_MAX_BULK_LEN = SettingTable.require("proto-max-bulk-len");
  private static final int CLIENT_QUERY_BUFFER_LIMIT = SettingTable.require("client-query-buffer-limit");
  private static final int HZ = SettingTable.require("hz");
  private static final int NOTIFY_KEYSPACE_EVENTS = SettingTable.require("notify-keyspace-events");
  private static final int MIN_REPLICAS_TO_WRITE = SettingTable.require("min-replicas-to-write");
  private static final int HASH_MAX_LISTPACK_ENTRIES = SettingTable.require("hash-max-listpack-entries");
  private static final int STREAM_NODE_MAX_BYTES = SettingTable.require("stream-node-max-bytes");
  private static final int STREAM_NODE_MAX_ENTRIES = SettingTable.require("stream-node-max-entries");
  private static final int HASH_MAX_LISTPACK_VALUE = SettingTable.require("hash-max-listpack-value");
  private static final int SET_MAX_INTSET_ENTRIES = SettingTable.require("set-max-intset-entries");
  private static final int HLL_SPARSE_MAX_BYTES = SettingTable.require("hll-sparse-max-bytes");
  private static final int ZSET_MAX_LISTPACK_ENTRIES = SettingTable.require("zset-max-listpack-entries");
  private static final int ZSET_MAX_LISTPACK_VALUE = SettingTable.require("zset-max-listpack-value");
  private static final int CLUSTER_REQUIRE_FULL_COVERAGE = SettingTable.require("cluster-require-full-coverage");
  private static final int CLUSTER_ALLOW_READS_WHEN_DOWN = SettingTable.require("cluster-allow-reads-when-down");
  private static final int CLUSTER_ALLOW_PUBSUBSHARD_WHEN_DOWN =
      SettingTable.require("cluster-allow-pubsubshard-when-down");
  private static final int CLUSTER_ALLOW_REPLICA_MIGRATION =
      SettingTable.require("cluster-allow-replica-migration");
  private static final int CLUSTER_ANNOUNCE_IP = SettingTable.require("cluster-announce-ip");
  private static final int CLUSTER_REPLICA_VALIDITY_FACTOR = SettingTable.require("cluster-replica-validity-factor");
  private static final int CLUSTER_REPLICA_NO_FAILOVER = SettingTable.require("cluster-replica-no-failover");
  private static final int CLUSTER_MIGRATION_BARRIER = SettingTable.require("cluster-migration-barrier");
  private static final int REPL_PING_REPLICA_PERIOD = SettingTable.require("repl-ping-replica-period");
  private static final int TIMEOUT = SettingTable.require("timeout");
  private static final int LOGFILE = SettingTable.require("logfile");
  private static final int LOGLEVEL = SettingTable.require("loglevel");
  private static final int REPLICAOF = SettingTable.require("replicaof");
  private static final int ENABLE_PROTECTED_CONFIGS = SettingTable.require("enable-protected-configs");
  private static final int SLOWLOG_LOG_SLOWER_THAN = SettingTable.require("slowlog-log-slower-than");
  private static final int SLOWLOG_MAX_LEN = SettingTable.require("slowlog-max-len");
  private static final int LATENCY_MONITOR_THRESHOLD = SettingTable.require("latency-monitor-threshold");
  private static final int LATENCY_TRACKING = SettingTable.require("latency-tracking");
  private static final int REPLICA_SERVE_STALE_DATA = SettingTable.require("replica-serve-stale-data");

  /** Where command-line values come from, for start-up errors. */
  static final String COMMAND_LINE = "command line arguments";

  /** Told after CONFIG SET changed settings. */
  public interface ChangeListener {
    /**
     * Called on the thread that ran {@link Settings#set}, after the new values are visible.
     *
     * @param changedNames the canonical names (replicaof, never slaveof) whose value changed
     */
    void settingsChanged(Settings settings, Set<String> changedNames);
  }

  /**
   * One setting given at start-up: its name as written, its words, and for errors the value
   * as written and where it was written.
   */
  record Given(String name, List<String> words, String text, String where) {
  }

  private final Object writeLock = new Object();
  /** Values by row of {@link SettingTable#ALL}; never modified once published. */
  private volatile Object[] values;
  private final String configFile;
  /** The syntax of {@link #configFile}, which CONFIG REWRITE writes back; null without a file. */
  private final ConfigFileFormat configFormat;
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Applier> appliers = new ConcurrentHashMap<>();

  /**
   * CONFIG SET takes any valid value of a setting the node does not act on: only for tests of the value syntax
   * redis-server's table gives every setting (see {@link #withEveryValueAccepted}).
   */
  private final boolean everyValueAccepted;

  private Settings(Object[] values, String configFile, ConfigFileFormat configFormat) {
    this(values, configFile, configFormat, false);
  }

  private Settings(Object[] values, String configFile, ConfigFileFormat configFormat, boolean everyValueAccepted) {
    this.values = values;
    this.configFile = configFile;
    this.configFormat = configFormat;
    this.everyValueAccepted = everyValueAccepted;
  }

  /**
   * These settings, whose CONFIG SET also takes other values than the default for settings the node does not
   * act on: for the tests of redis-server's value syntax and formatting, which every setting has. A node never
   * runs with them ({@link #checkImplemented} still refuses such values at start).
   */
  Settings withEveryValueAccepted() {
    return new Settings(values, configFile, configFormat, true);
  }

  /** Redis 7.0's defaults for everything. */
  public static Settings defaults() {
    return new Settings(defaultValues(), "", null);
  }

  /**
   * Settings from a parsed HOCON file whose top-level keys are redis.conf names, over Redis
   * 7.0's defaults. Accepts what a user writes in HOCON: numbers, quoted or unquoted text,
   * true/false for yes/no, a list or a space-separated text for save and bind, and memory sizes
   * with or without a space before the unit.
   *
   * @param hocon  the file's own parsed content (not ConfigFactory.load(), whose Akka keys are
   *               not settings)
   * @param origin how to name the source in errors, e.g. the file name
   */
  public static Settings fromHocon(Config hocon, String origin) throws ConfigException {
    Settings settings = fromHoconUnchecked(hocon, origin);
    settings.checkCombinations("in " + origin);
    return settings;
  }

  /** As {@link #fromHocon}, leaving the rules about several settings for the caller to check. */
  static Settings fromHoconUnchecked(Config hocon, String origin) throws ConfigException {
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(hocon.entrySet());
    // HOCON objects are unordered; report problems in file order.
    entries.sort(Comparator.<Map.Entry<String, ConfigValue>>comparingInt(e -> e.getValue().origin().lineNumber())
        .thenComparing(Map.Entry::getKey));
    List<Given> given = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : entries) {
      int line = entry.getValue().origin().lineNumber();
      String where = "in " + origin + (line > 0 ? " at line " + line : "");
      List<String> path = ConfigUtil.splitPath(entry.getKey());
      String name = String.join(".", path);
      int index = SettingTable.indexOf(name);
      if (path.size() > 1 || index < 0) {
        given.add(new Given(name, List.of(), "", where));
        continue;
      }
      given.add(hoconSetting(name, TABLE.get(index), entry.getValue(), where));
    }
    return defaults().withGivenUnchecked(given);
  }

  /**
   * These settings with some replaced, as {@code --name value} on the command line does
   * (immutable settings included). A value for save, bind and the other multi-word settings
   * is split on white space. Names may be written with or without the leading "--".
   */
  public Settings withOverrides(Map<String, String> nameToValue) throws ConfigException {
    List<Given> given = new ArrayList<>();
    for (Map.Entry<String, String> entry : nameToValue.entrySet()) {
      String name = entry.getKey().startsWith("--") ? entry.getKey().substring(2) : entry.getKey();
      String value = entry.getValue();
      int index = SettingTable.indexOf(name);
      List<String> words = index >= 0 && TABLE.get(index).type.multiWord() ? splitWords(value) : List.of(value);
      given.add(new Given(name, words, value, "in " + COMMAND_LINE));
    }
    Settings settings = withGivenUnchecked(given);
    settings.checkCombinations("in " + COMMAND_LINE);
    return settings;
  }

  /**
   * These settings with start-up values applied in order, leaving the rules about several
   * settings for {@link #checkCombinations}.
   */
  Settings withGivenUnchecked(List<Given> given) throws ConfigException {
    Object[] result = values.clone();
    applyAtStartup(result, given);
    return new Settings(result, configFile, configFormat, everyValueAccepted);
  }

  /** The same settings, remembering the config file they came from and its syntax (INFO, CONFIG REWRITE). */
  Settings withConfigFile(String absolutePath, ConfigFileFormat format) {
    return new Settings(values, absolutePath, format, everyValueAccepted);
  }

  /**
   * Settings from a redis.conf's directives, over Redis 7.0's defaults, applied in order as redis-server applies
   * them: several {@code save} lines add up (the first replaces the default rules, {@code save ""} clears them),
   * and a bad line stops with redis-server's report of it. The rules about several settings together are left to
   * the caller.
   */
  static Settings fromRedisConfUnchecked(List<RedisConfFile.Directive> directives) throws ConfigException {
    Object[] target = defaultValues();
    int save = SettingTable.require("save");
    List<String> saveWords = null;
    for (RedisConfFile.Directive directive : directives) {
      int index = SettingTable.indexOf(directive.name());
      if (index < 0) {
        String problem = notASetting(directive);
        if (problem != null) {
          throw RedisConfFile.fatal(directive.lineNumber(), directive.text(), problem);
        }
        continue;
      }
      SettingDefinition definition = TABLE.get(index);
      List<String> words = directive.args();
      if (!definition.type.multiWord() && words.size() != 1) {
        throw RedisConfFile.fatal(directive.lineNumber(), directive.text(), "wrong number of arguments");
      }
      if (definition.type.multiWord() && words.isEmpty()) {
        words = List.of("");
      }
      if (index == save) {
        boolean clears = words.size() == 1 && words.get(0).isEmpty();
        saveWords = clears || saveWords == null ? new ArrayList<>() : saveWords;
        if (!clears) {
          saveWords.addAll(words);
        }
        words = saveWords.isEmpty() ? List.of("") : List.copyOf(saveWords);
      }
      try {
        Object value = definition.type.parse(words, target[index]);
        String problem = definition.check == null ? null
            : definition.check.problem(value, other -> target[SettingTable.require(other)], true);
        if (problem != null) {
          throw RedisConfFile.fatal(directive.lineNumber(), directive.text(), problem);
        }
        target[index] = value;
      } catch (ValueType.InvalidValue e) {
        throw RedisConfFile.fatal(directive.lineNumber(), directive.text(), e.redisText);
      }
    }
    return new Settings(target, "", null);
  }

  /**
   * A directive that is not a setting: null when it is one redis-server ignores, else why the node refuses it
   * (redis-server's text for a name it does not know either).
   */
  private static String notASetting(RedisConfFile.Directive directive) {
    List<String> args = directive.args();
    if (SettingTable.IGNORED_DEPRECATED_NAMES.contains(directive.name()) && args.size() == 1) {
      return null;
    }
    return switch (directive.name()) {
      // What CONFIG REWRITE of redis-server 7.0 always writes, describing the default user as it is here too.
      case "user" -> args.size() >= 2 && args.get(0).equals("default")
          && Set.copyOf(args.subList(1, args.size())).equals(Set.of("on", "nopass", "~*", "&*", "+@all"))
          ? null
          : "ACL users are not supported by this node (only 'user default on nopass ~* &* +@all', which is how the "
              + "default user is here)";
      case "rename-command" -> args.size() == 2 ? "rename-command is not supported by this node" : BAD_DIRECTIVE;
      case "loadmodule" -> args.isEmpty() ? BAD_DIRECTIVE : "Modules are not supported by this node";
      case "sentinel" -> args.isEmpty() ? "Sentinel mode is not supported by this node"
          : "sentinel directive while not in sentinel mode";
      default -> BAD_DIRECTIVE;
    };
  }

  private static final String BAD_DIRECTIVE = "Bad directive or wrong number of arguments";

  // Typed getters for what the node uses.

  public int port() {
    return intValue(PORT);
  }

  /** The port of the Prometheus endpoint /metrics; 0: none (the default). */
  public int metricsPort() {
    return intValue(METRICS_PORT);
  }

  /** Addresses to listen on; "*" is every IPv4 address, and a leading "-" means "if available". */
  @SuppressWarnings("unchecked")
  public List<String> bind() {
    return (List<String>) values[BIND];
  }

  public boolean clusterEnabled() {
    return (Boolean) values[CLUSTER_ENABLED];
  }

  public String clusterConfigFile() {
    return (String) values[CLUSTER_CONFIG_FILE];
  }

  /** Milliseconds. */
  public long clusterNodeTimeout() {
    return (Long) values[CLUSTER_NODE_TIMEOUT];
  }

  /** The cluster bus port: the cluster-port setting, or port + 10000 when that is 0. */
  public int clusterPort() {
    Object[] snapshot = values;
    int configured = ((Long) snapshot[CLUSTER_PORT]).intValue();
    return configured != 0 ? configured : ((Long) snapshot[PORT]).intValue() + 10000;
  }

  public boolean appendonly() {
    return (Boolean) values[APPENDONLY];
  }

  /** The working directory, absolute and normalized (it may not exist yet). */
  public String dir() {
    return (String) values[DIR];
  }

  /** "" means no password. */
  public String requirepass() {
    return (String) values[REQUIREPASS];
  }

  /** The password a replica authenticates to its master with; "" means none. */
  public String masterauth() {
    return (String) values[MASTERAUTH];
  }

  /** The user a replica authenticates to its master as; "" means AUTH with the password alone. */
  public String masteruser() {
    return (String) values[MASTERUSER];
  }

  /** The listen backlog of the client port's sockets; capped at Integer.MAX_VALUE. */
  public int tcpBacklog() {
    return intValue(TCP_BACKLOG);
  }

  /** Refuse clients from other than a loopback address while the default user has no password. */
  public boolean protectedMode() {
    return (Boolean) values[PROTECTED_MODE];
  }

  public int databases() {
    return intValue(DATABASES);
  }

  /** Capped at Integer.MAX_VALUE (redis-server allows up to 4294967295). */
  public int maxclients() {
    return intValue(MAXCLIENTS);
  }

  public long protoMaxBulkLen() {
    return (Long) values[PROTO_MAX_BULK_LEN];
  }

  public long clientQueryBufferLimit() {
    return (Long) values[CLIENT_QUERY_BUFFER_LIMIT];
  }

  /** 0: writes need no replica. */
  public int minReplicasToWrite() {
    return intValue(MIN_REPLICAS_TO_WRITE);
  }

  /** Microseconds; negative: the slow log is off. */
  public long slowlogLogSlowerThan() {
    return (Long) values[SLOWLOG_LOG_SLOWER_THAN];
  }

  public long slowlogMaxLen() {
    return (Long) values[SLOWLOG_MAX_LEN];
  }

  /** Milliseconds; 0: the latency monitor is off. */
  public long latencyMonitorThreshold() {
    return (Long) values[LATENCY_MONITOR_THRESHOLD];
  }

  /** Whether a replica whose link to its master is down still answers (else MASTERDOWN, but to stale commands). */
  public boolean replicaServeStaleData() {
    return (Boolean) values[REPLICA_SERVE_STALE_DATA];
  }

  /** Whether each command's run times are kept for LATENCY HISTOGRAM. */
  public boolean latencyTracking() {
    return (Boolean) values[LATENCY_TRACKING];
  }

  /** Always 1..500, as redis-server keeps it. */
  /** notify-keyspace-events as Redis's NOTIFY_* bits (keyspace.KeyspaceEvents names them). */
  public int notifyKeyspaceEvents() {
    return (Integer) values[NOTIFY_KEYSPACE_EVENTS];
  }

  public int hz() {
    return intValue(HZ);
  }

  /** Bytes; 0 for no limit. */
  public long streamNodeMaxBytes() {
    return (Long) values[STREAM_NODE_MAX_BYTES];
  }

  /** 0 for no limit. */
  public long streamNodeMaxEntries() {
    return (Long) values[STREAM_NODE_MAX_ENTRIES];
  }

  /** Capped at Integer.MAX_VALUE. */
  public int hashMaxListpackEntries() {
    return intValue(HASH_MAX_LISTPACK_ENTRIES);
  }

  /** Bytes; capped at Integer.MAX_VALUE. */
  public int hashMaxListpackValue() {
    return intValue(HASH_MAX_LISTPACK_VALUE);
  }

  /** Capped at Integer.MAX_VALUE. */
  public int setMaxIntsetEntries() {
    return intValue(SET_MAX_INTSET_ENTRIES);
  }

  /** The size past which a sparse HyperLogLog becomes dense. */
  public long hllSparseMaxBytes() {
    return (Long) values[HLL_SPARSE_MAX_BYTES];
  }

  /** Capped at Integer.MAX_VALUE. */
  public int zsetMaxListpackEntries() {
    return intValue(ZSET_MAX_LISTPACK_ENTRIES);
  }

  /** Bytes; capped at Integer.MAX_VALUE. */
  public int zsetMaxListpackValue() {
    return intValue(ZSET_MAX_LISTPACK_VALUE);
  }

  public boolean clusterRequireFullCoverage() {
    return (Boolean) values[CLUSTER_REQUIRE_FULL_COVERAGE];
  }

  public boolean clusterAllowReadsWhenDown() {
    return (Boolean) values[CLUSTER_ALLOW_READS_WHEN_DOWN];
  }

  public boolean clusterAllowPubsubshardWhenDown() {
    return (Boolean) values[CLUSTER_ALLOW_PUBSUBSHARD_WHEN_DOWN];
  }

  public boolean clusterAllowReplicaMigration() {
    return (Boolean) values[CLUSTER_ALLOW_REPLICA_MIGRATION];
  }

  /** 0 lets a replica fail over however old its data is. */
  public long clusterReplicaValidityFactor() {
    return (Long) values[CLUSTER_REPLICA_VALIDITY_FACTOR];
  }

  public boolean clusterReplicaNoFailover() {
    return (Boolean) values[CLUSTER_REPLICA_NO_FAILOVER];
  }

  public long clusterMigrationBarrier() {
    return (Long) values[CLUSTER_MIGRATION_BARRIER];
  }

  /** Seconds. */
  public long replPingReplicaPeriod() {
    return (Long) values[REPL_PING_REPLICA_PERIOD];
  }

  /** "" means announce the address the node is reached on. */
  public String clusterAnnounceIp() {
    return (String) values[CLUSTER_ANNOUNCE_IP];
  }

  /** Client idle timeout in seconds; 0 means never. */
  public long timeout() {
    return (Long) values[TIMEOUT];
  }

  /** "" means standard output. */
  public String logfile() {
    return (String) values[LOGFILE];
  }

  /** debug, verbose, notice or warning. */
  public String loglevel() {
    return (String) values[LOGLEVEL];
  }

  /** The config file's absolute path, or "" when started without one. */
  public String configFile() {
    return configFile;
  }

  /** Every value, by row of {@link SettingTable#ALL}, as one consistent snapshot (never modified). */
  Object[] snapshot() {
    return values;
  }

  /** The syntax of {@link #configFile()}; null when started without one. */
  public ConfigFileFormat configFormat() {
    return configFormat;
  }

  // Generic access for CONFIG GET, CONFIG SET and INFO.

  /**
   * CONFIG GET as redis-server 7.0 answers it: several patterns, each either an exact name
   * (any case; the reply repeats it as written, and hidden settings answer too) or a glob
   * matched case-insensitively against every name and alias. Each name appears once.
   */
  public List<Map.Entry<String, String>> get(List<String> globPatterns) {
    Object[] snapshot = values;
    Map<String, Map.Entry<String, String>> matches = new LinkedHashMap<>();
    for (String pattern : globPatterns) {
      if (pattern.chars().noneMatch(c -> c == '[' || c == '*' || c == '?')) {
        int index = SettingTable.indexOf(pattern);
        String key = pattern.toLowerCase(Locale.ROOT);
        if (index >= 0 && !matches.containsKey(key)) {
          matches.put(key, Map.entry(pattern, format(snapshot, index)));
        }
        continue;
      }
      for (int index = 0; index < TABLE.size(); index++) {
        SettingDefinition definition = TABLE.get(index);
        if (definition.hidden) {
          continue;
        }
        addIfMatches(matches, pattern, definition.name, snapshot, index);
        if (definition.alias != null) {
          addIfMatches(matches, pattern, definition.alias, snapshot, index);
        }
      }
    }
    return List.copyOf(matches.values());
  }

  private static void addIfMatches(Map<String, Map.Entry<String, String>> matches, String pattern, String name,
                   Object[] snapshot, int index) {
    if (!matches.containsKey(name) && RedisGlob.matches(pattern, name, true)) {
      matches.put(name, Map.entry(name, format(snapshot, index)));
    }
  }

  /**
   * CONFIG SET name value [name value ...] with redis-server 7.0's semantics: all or nothing,
   * same checks in the same order, same error texts. The caller is treated as a remote client
   * for enable-protected-configs "local".
   *
   * @return null on success, else redis-server's error text without the leading '-'
   */
  public String set(List<String> nameValuePairs) {
    return set(nameValuePairs, false);
  }

  /**
   * As {@link #set(List)}; {@code fromLocalClient} says whether the connection comes from a
   * loopback address, which enable-protected-configs "local" allows to change dir and
   * dbfilename.
   */
  public String set(List<String> nameValuePairs, boolean fromLocalClient) {
    return setAndApply(nameValuePairs, fromLocalClient).toCompletableFuture().join();
  }

  /**
   * Puts a setting's new value into effect where that can fail (the client port: a new listener), as
   * redis-server's apply functions. Completes with null when done, else with the problem text for CONFIG SET's
   * error ("Unable to listen on this port"), the setting's old value then being back in force.
   */
  public interface Applier {
    CompletionStage<String> apply(Settings settings);
  }

  /** The applier of a setting (canonical name); one applier may serve several settings, and runs once for them. */
  public void setApplier(String name, Applier applier) {
    appliers.put(TABLE.get(SettingTable.require(name)).name, applier);
  }

  /** A CONFIG SET whose values passed the checks: the values before and after, the rows changed in argument order. */
  private record Prepared(Object[] previous, Object[] candidate, List<Integer> changedRows, List<String> argumentNames) {}

  /**
   * CONFIG SET as redis-server 7.0 runs it: every value is checked first (any error changes nothing), then the new
   * values take effect and the appliers of the changed settings run, in argument order; when one fails, every
   * setting of the call gets its old value back, the appliers that ran run again with the old values, and the
   * answer names the failing argument. Completes with null on success, else redis-server's error text.
   */
  public CompletionStage<String> setAndApply(List<String> nameValuePairs, boolean fromLocalClient) {
    if (nameValuePairs.size() < 2) {
      return CompletableFuture.completedFuture("ERR wrong number of arguments for 'config|set' command");
    }
    if (nameValuePairs.size() % 2 != 0) {
      return CompletableFuture.completedFuture("ERR syntax error");
    }
    Prepared prepared;
    synchronized (writeLock) {
      Object[] current = values;
      int count = nameValuePairs.size() / 2;
      int[] indexes = new int[count];
      String error = checkNames(nameValuePairs, current, fromLocalClient, indexes);
      if (error != null) {
        return CompletableFuture.completedFuture(error);
      }
      Object[] candidate = current.clone();
      Function<String, Object> lookup = name -> candidate[SettingTable.require(name)];
      for (int i = 0; i < count; i++) {
        SettingDefinition definition = TABLE.get(indexes[i]);
        String argumentName = nameValuePairs.get(2 * i).toLowerCase(Locale.ROOT);
        String problem;
        try {
          Object value = definition.type.parse(definition.wordsOf(nameValuePairs.get(2 * i + 1)),
              candidate[indexes[i]]);
          problem = definition.check == null ? null : definition.check.problem(value, lookup, false);
          if (problem == null && !everyValueAccepted
              && !SettingTable.accepts(definition, definition.type.format(value))) {
            problem = notImplemented(definition);
          }
          if (problem == null) {
            candidate[indexes[i]] = value;
          }
        } catch (ValueType.InvalidValue e) {
          problem = e.redisText;
        }
        if (problem != null) {
          return CompletableFuture.completedFuture(
              "ERR CONFIG SET failed (possibly related to argument '" + argumentName + "') - " + problem);
        }
      }
      List<Integer> changedRows = new ArrayList<>();
      List<String> argumentNames = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (!format(current, indexes[i]).equals(format(candidate, indexes[i]))) {
          changedRows.add(indexes[i]);
          argumentNames.add(nameValuePairs.get(2 * i).toLowerCase(Locale.ROOT));
        }
      }
      prepared = new Prepared(current, candidate, changedRows, argumentNames);
      values = candidate;
    }
    return applyFrom(prepared, 0, new ArrayList<>()).thenApply(error -> {
      if (error == null && !prepared.changedRows().isEmpty()) {
        Set<String> changedNames = new LinkedHashSet<>();
        for (int row : prepared.changedRows()) {
          changedNames.add(TABLE.get(row).name);
        }
        Set<String> names = Set.copyOf(changedNames);
        for (ChangeListener listener : listeners) {
          listener.settingsChanged(this, names);
        }
      }
      return error;
    });
  }

  /** Runs the appliers of the changed settings from the {@code next}-th on, one after the other. */
  private CompletionStage<String> applyFrom(Prepared prepared, int next, List<Applier> applied) {
    for (int i = next; i < prepared.changedRows().size(); i++) {
      Applier applier = appliers.get(TABLE.get(prepared.changedRows().get(i)).name);
      if (applier == null || applied.contains(applier)) {
        continue;
      }
      int at = i;
      return applier.apply(this).exceptionally(failure -> String.valueOf(failure.getMessage())).thenCompose(problem -> {
        if (problem == null) {
          applied.add(applier);
          return applyFrom(prepared, at + 1, applied);
        }
        return rollBack(prepared, applied).thenApply(done -> "ERR CONFIG SET failed (possibly related to argument '"
            + prepared.argumentNames().get(at) + "') - " + problem);
      });
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Puts the old values of the call's settings back, and their appliers to work again with them. */
  private CompletionStage<Void> rollBack(Prepared prepared, List<Applier> applied) {
    synchronized (writeLock) {
      Object[] restored = values.clone();
      for (int row : prepared.changedRows()) {
        restored[row] = prepared.previous()[row];
      }
      values = restored;
    }
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (Applier applier : applied) {
      chain = chain.thenCompose(done -> applier.apply(this).handle((problem, failure) -> null));
    }
    return chain;
  }

  /**
   * CONFIG SET's first pass, before any value is looked at: the first unknown name,
   * immutable or protected setting, or repeated name (in argument order) fails the command.
   */
  private static String checkNames(List<String> pairs, Object[] current, boolean fromLocalClient, int[] indexes) {
    String unknownName = null;
    String failedName = null;
    String failure = null;
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < indexes.length; i++) {
      String name = pairs.get(2 * i);
      int index = SettingTable.indexOf(name);
      boolean failedAlready = unknownName != null || failure != null;
      if (index < 0) {
        if (!failedAlready) {
          unknownName = name;
        }
        continue;
      }
      if (failedAlready) {
        continue;
      }
      Access access = TABLE.get(index).access;
      if (access == Access.IMMUTABLE) {
        failure = "can't set immutable config";
        failedName = name;
        continue;
      }
      if (access == Access.PROTECTED && !protectedChangesAllowed(current, fromLocalClient)) {
        failure = "can't set protected config";
        failedName = name;
        continue;
      }
      // A name and its alias are different entries to redis-server; the same name twice is not.
      if (seen.stream().anyMatch(name::equalsIgnoreCase)) {
        failure = "duplicate parameter";
        failedName = name;
        continue;
      }
      seen.add(name);
      indexes[i] = index;
    }
    if (unknownName != null) {
      return "ERR Unknown option or number of arguments for CONFIG SET - '" + unknownName + "'";
    }
    if (failure != null) {
      return "ERR CONFIG SET failed (possibly related to argument '" + failedName + "') - " + failure;
    }
    return null;
  }

  private static boolean protectedChangesAllowed(Object[] current, boolean fromLocalClient) {
    String allowed = (String) current[ENABLE_PROTECTED_CONFIGS];
    return allowed.equals("yes") || (allowed.equals("local") && fromLocalClient);
  }

  /** CONFIG RESETSTAT: settings keep no statistics, so there is nothing to reset here. */
  public void resetStats() {
  }

  /** A setting's value as CONFIG GET shows it, by name or alias (any case); null if unknown. */
  public String rawValue(String name) {
    int index = SettingTable.indexOf(name);
    return index < 0 ? null : format(values, index);
  }

  /** An integer setting's value (a size already in bytes, a count, seconds), by name or alias. */
  public long longValue(String name) {
    return Long.parseLong(rawValue(name));
  }

  public void addChangeListener(ChangeListener listener) {
    listeners.add(listener);
  }

  public void removeChangeListener(ChangeListener listener) {
    listeners.remove(listener);
  }

  // Start-up loading.

  private static Object[] defaultValues() {
    Object[] defaults = new Object[TABLE.size()];
    for (int i = 0; i < defaults.length; i++) {
      defaults[i] = TABLE.get(i).defaultValue;
    }
    return defaults;
  }

  private static void applyAtStartup(Object[] target, List<Given> given) throws ConfigException {
    Map<Integer, String> nameUsedFor = new HashMap<>();
    for (Given setting : given) {
      int index = SettingTable.indexOf(setting.name());
      if (index < 0) {
        if (SettingTable.IGNORED_DEPRECATED_NAMES.contains(setting.name().toLowerCase(Locale.ROOT))) {
          continue;
        }
        throw new ConfigException("Bad config: unknown setting '" + setting.name() + "' " + setting.where());
      }
      String name = setting.name().toLowerCase(Locale.ROOT);
      String earlierName = nameUsedFor.put(index, name);
      if (earlierName != null && !earlierName.equals(name)) {
        throw new ConfigException("Bad config: '" + earlierName + "' and '" + name
            + "' are the same setting, give only one " + setting.where());
      }
      target[index] = parseAtStartup(TABLE.get(index), name, setting, target);
    }
  }

  private static Object parseAtStartup(SettingDefinition definition, String name, Given setting, Object[] target)
      throws ConfigException {
    String got = ", got '" + setting.text() + "' " + setting.where();
    if (!definition.type.multiWord() && setting.words().size() != 1) {
      throw new ConfigException("Bad config: '" + name + "' takes a single value" + got);
    }
    try {
      Object value = definition.type.parse(setting.words(), target[SettingTable.indexOf(name)]);
      if (definition.check != null) {
        String problem = definition.check.problem(value, other -> target[SettingTable.require(other)], true);
        if (problem != null) {
          throw new ConfigException("Bad config: '" + name + "' is invalid (" + problem + ")" + got);
        }
      }
      return value;
    } catch (ValueType.InvalidValue e) {
      throw new ConfigException("Bad config: '" + name + "' " + e.friendlyText + got);
    }
  }

  /** The problem CONFIG SET names for a value other than the default of a setting the node does not act on. */
  static String notImplemented(SettingDefinition definition) {
    String also = SettingTable.alsoTrue(definition);
    return "'" + definition.name + "' " + NOT_IMPLEMENTED_TEXT + " (only its default '"
        + definition.type.format(definition.defaultValue) + "'" + (also == null ? "" : " or '" + also + "'")
        + " is accepted)";
  }

  /** How the refusal of a setting the node does not act on reads, at start and in CONFIG SET. */
  public static final String NOT_IMPLEMENTED_TEXT = "is not implemented by this node";

  /**
   * Refuses settings the node does not act on at other than their default value, naming them all in one line
   * (a config file naming them at their default loads).
   *
   * @param where where the settings came from, for the error
   */
  public void checkImplemented(String where) throws ConfigException {
    Object[] snapshot = values;
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < TABLE.size(); i++) {
      SettingDefinition definition = TABLE.get(i);
      String value = format(snapshot, i);
      String defaultText = definition.type.format(definition.defaultValue);
      if (!SettingTable.accepts(definition, value)) {
        refused.add("'" + definition.name + "' (got '" + value + "', default '" + defaultText + "')");
      }
    }
    if (!refused.isEmpty()) {
      throw new ConfigException("Bad config: " + (refused.size() == 1 ? "setting " : "settings ")
          + String.join(", ", refused) + " " + (refused.size() == 1 ? NOT_IMPLEMENTED_TEXT
          : "are not implemented by this node") + ": only the default value is accepted " + where);
    }
  }

  /**
   * Rules about several settings together that redis-server enforces once everything is
   * loaded.
   *
   * @param where where the settings came from, for the error
   */
  void checkCombinations(String where) throws ConfigException {
    Object[] target = values;
    boolean clusterEnabled = (Boolean) target[CLUSTER_ENABLED];
    if (clusterEnabled && !((String) target[REPLICAOF]).isEmpty()) {
      throw new ConfigException("Bad config: 'replicaof' is not allowed with cluster-enabled yes " + where);
    }
    long port = (Long) target[PORT];
    if (clusterEnabled && (Long) target[CLUSTER_PORT] == 0 && port > 65535 - 10000) {
      throw new ConfigException("Bad config: 'port' must be 55535 or less with cluster-enabled yes, because "
          + "the cluster bus listens on port + 10000 (or set cluster-port), got '" + port + "' " + where);
    }
  }

  /** Turns one HOCON value into the words the setting's type parses. */
  private static Given hoconSetting(String name, SettingDefinition definition, ConfigValue value, String where) {
    String text = value.valueType() == ConfigValueType.STRING
        ? (String) value.unwrapped()
        : value.render(ConfigRenderOptions.concise());
    List<String> elements = new ArrayList<>();
    if (value.valueType() == ConfigValueType.LIST) {
      for (Object element : (List<?>) value.unwrapped()) {
        elements.add(hoconScalar(definition, element));
      }
    } else {
      elements.add(hoconScalar(definition, value.unwrapped()));
    }
    List<String> words;
    if (definition.type.multiWord()) {
      words = new ArrayList<>();
      for (String element : elements) {
        words.addAll(splitWords(element));
      }
      if (words.size() > 1) {
        words.removeIf(String::isEmpty);
      }
    } else {
      words = elements;
    }
    return new Given(name, List.copyOf(words), text, where);
  }

  private static String hoconScalar(SettingDefinition definition, Object unwrapped) {
    if (unwrapped instanceof Boolean flag && definition.type instanceof ScalarTypes.BoolType) {
      return flag ? "yes" : "no";
    }
    String text = String.valueOf(unwrapped);
    if (definition.type instanceof NumberType number && number.form != NumberForm.INTEGER
        && text.matches("\\d+\\s+[A-Za-z]+")) {
      return text.replaceAll("\\s+", ""); // "100 mb" is what HOCON makes of 100 mb
    }
    return text;
  }

  /** Splits on runs of white space; a blank text is one empty word (meaning "none"). */
  static List<String> splitWords(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? List.of("") : List.of(stripped.split("\\s+"));
  }

  private static String format(Object[] snapshot, int index) {
    return TABLE.get(index).type.format(snapshot[index]);
  }

  private int intValue(int index) {
    long value = (Long) values[index];
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }
}
