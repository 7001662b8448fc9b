package org.akkaredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SettingsTest {

  /** {@code CONFIG GET *} of a redis-server 7.0.15 started with no settings (dir aside). */
  private static final String REDIS_7_0_15_DEFAULTS = """
      acl-pubsub-default=resetchannels
      aclfile=
      acllog-max-len=128
      active-defrag-cycle-max=25
      active-defrag-cycle-min=1
      active-defrag-ignore-bytes=104857600
      active-defrag-max-scan-fields=1000
      active-defrag-threshold-lower=10
      active-defrag-threshold-upper=100
      active-expire-effort=1
      activedefrag=no
      activerehashing=yes
      always-show-logo=no
      aof-disable-auto-gc=no
      aof-load-truncated=yes
      aof-rewrite-incremental-fsync=yes
      aof-timestamp-enabled=no
      aof-use-rdb-preamble=yes
      aof_rewrite_cpulist=
      appenddirname=appendonlydir
      appendfilename=appendonly.aof
      appendfsync=everysec
      appendonly=no
      auto-aof-rewrite-min-size=67108864
      auto-aof-rewrite-percentage=100
      bgsave_cpulist=
      bind=* -::*
      bind-source-addr=
      bio_cpulist=
      busy-reply-threshold=5000
      client-output-buffer-limit=normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60
      client-query-buffer-limit=1073741824
      cluster-allow-pubsubshard-when-down=yes
      cluster-allow-reads-when-down=no
      cluster-allow-replica-migration=yes
      cluster-announce-bus-port=0
      cluster-announce-hostname=
      cluster-announce-ip=
      cluster-announce-port=0
      cluster-announce-tls-port=0
      cluster-config-file=nodes.conf
      cluster-enabled=no
      cluster-link-sendbuf-limit=0
      cluster-migration-barrier=1
      cluster-node-timeout=15000
      cluster-port=0
      cluster-preferred-endpoint-type=ip
      cluster-replica-no-failover=no
      cluster-replica-validity-factor=10
      cluster-require-full-coverage=yes
      cluster-slave-no-failover=no
      cluster-slave-validity-factor=10
      crash-log-enabled=yes
      crash-memcheck-enabled=yes
      daemonize=no
      databases=16
      dbfilename=dump.rdb
      disable-thp=yes
      dynamic-hz=yes
      enable-debug-command=no
      enable-module-command=no
      enable-protected-configs=no
      hash-max-listpack-entries=512
      hash-max-listpack-value=64
      hash-max-ziplist-entries=512
      hash-max-ziplist-value=64
      hll-sparse-max-bytes=3000
      hz=10
      ignore-warnings=
      io-threads=1
      io-threads-do-reads=no
      jemalloc-bg-thread=yes
      latency-monitor-threshold=0
      latency-tracking=yes
      latency-tracking-info-percentiles=50 99 99.9
      lazyfree-lazy-eviction=no
      lazyfree-lazy-expire=no
      lazyfree-lazy-server-del=no
      lazyfree-lazy-user-del=no
      lazyfree-lazy-user-flush=no
      lfu-decay-time=1
      lfu-log-factor=10
      list-compress-depth=0
      list-max-listpack-size=-2
      list-max-ziplist-size=-2
      logfile=
      loglevel=notice
      lua-time-limit=5000
      masterauth=
      masteruser=
      maxclients=10000
      maxmemory=0
      maxmemory-clients=0
      maxmemory-eviction-tenacity=10
      maxmemory-policy=noeviction
      maxmemory-samples=5
      min-replicas-max-lag=10
      min-replicas-to-write=0
      min-slaves-max-lag=10
      min-slaves-to-write=0
      no-appendfsync-on-rewrite=no
      notify-keyspace-events=
      oom-score-adj=no
      oom-score-adj-values=0 200 800
      pidfile=
      port=6379
      proc-title-template={title} {listen-addr} {server-mode}
      propagation-error-behavior=ignore
      protected-mode=yes
      proto-max-bulk-len=536870912
      rdb-del-sync-files=no
      rdb-save-incremental-fsync=yes
      rdbchecksum=yes
      rdbcompression=yes
      repl-backlog-size=1048576
      repl-backlog-ttl=3600
      repl-disable-tcp-nodelay=no
      repl-diskless-load=disabled
      repl-diskless-sync=yes
      repl-diskless-sync-delay=5
      repl-diskless-sync-max-replicas=0
      repl-ping-replica-period=10
      repl-ping-slave-period=10
      repl-timeout=60
      replica-announce-ip=
      replica-announce-port=0
      replica-announced=yes
      replica-ignore-disk-write-errors=no
      replica-ignore-maxmemory=yes
      replica-lazy-flush=no
      replica-priority=100
      replica-read-only=yes
      replica-serve-stale-data=yes
      replicaof=
      requirepass=
      sanitize-dump-payload=no
      save=3600 1 300 100 60 10000
      server_cpulist=
      set-max-intset-entries=512
      set-proc-title=yes
      shutdown-on-sigint=default
      shutdown-on-sigterm=default
      shutdown-timeout=10
      slave-announce-ip=
      slave-announce-port=0
      slave-ignore-maxmemory=yes
      slave-lazy-flush=no
      slave-priority=100
      slave-read-only=yes
      slave-serve-stale-data=yes
      slaveof=
      slowlog-log-slower-than=10000
      slowlog-max-len=128
      socket-mark-id=0
      stop-writes-on-bgsave-error=yes
      stream-node-max-bytes=4096
      stream-node-max-entries=100
      supervised=no
      syslog-enabled=no
      syslog-facility=local0
      syslog-ident=redis
      tcp-backlog=511
      tcp-keepalive=300
      timeout=0
      tls-auth-clients=yes
      tls-ca-cert-dir=
      tls-ca-cert-file=
      tls-cert-file=
      tls-ciphers=
      tls-ciphersuites=
      tls-client-cert-file=
      tls-client-key-file=
      tls-client-key-file-pass=
      tls-cluster=no
      tls-dh-params-file=
      tls-key-file=
      tls-key-file-pass=
      tls-port=0
      tls-prefer-server-ciphers=no
      tls-protocols=
      tls-replication=no
      tls-session-cache-size=20480
      tls-session-cache-timeout=300
      tls-session-caching=yes
      tracking-table-max-keys=1000000
      unixsocket=
      unixsocketperm=0
      zset-max-listpack-entries=128
      zset-max-listpack-value=64
      zset-max-ziplist-entries=128
      zset-max-ziplist-value=64
      """;

  private static Map<String, String> asMap(List<Map.Entry<String, String>> entries) {
    Map<String, String> map = new TreeMap<>();
    for (Map.Entry<String, String> entry : entries) {
      assertNull(map.put(entry.getKey(), entry.getValue()), "answered twice: " + entry.getKey());
    }
    return map;
  }

  private static String set(Settings settings, String... pairs) {
    return settings.set(List.of(pairs));
  }

  private static String get(Settings settings, String name) {
    List<Map.Entry<String, String>> reply = settings.get(List.of(name));
    assertEquals(1, reply.size(), "CONFIG GET " + name);
    return reply.get(0).getValue();
  }

  @Test
  void defaultsAreExactlyWhatRedis7015Reports() {
    Map<String, String> expected = new TreeMap<>();
    for (String line : REDIS_7_0_15_DEFAULTS.strip().split("\n")) {
      String[] nameAndValue = line.strip().split("=", 2);
      expected.put(nameAndValue[0], nameAndValue[1]);
    }
    expected.put("dir", Path.of("").toAbsolutePath().toString());
    assertEquals(expected, asMap(Settings.defaults().get(List.of("*"))));
  }

  @Test
  void typedGettersGiveTheDefaults() {
    Settings settings = Settings.defaults();
    assertEquals(6379, settings.port());
    assertEquals(List.of("*", "-::*"), settings.bind());
    assertFalse(settings.clusterEnabled());
    assertEquals("nodes.conf", settings.clusterConfigFile());
    assertEquals(15000, settings.clusterNodeTimeout());
    assertEquals(16379, settings.clusterPort());
    assertFalse(settings.appendonly());
    assertEquals(Path.of("").toAbsolutePath().toString(), settings.dir());
    assertEquals("", settings.requirepass());
    assertEquals(16, settings.databases());
    assertEquals(10000, settings.maxclients());
    assertEquals(512L * 1024 * 1024, settings.protoMaxBulkLen());
    assertEquals(1024L * 1024 * 1024, settings.clientQueryBufferLimit());
    assertEquals(10, settings.hz());
    assertEquals(512, settings.hashMaxListpackEntries());
    assertEquals(64, settings.hashMaxListpackValue());
    assertTrue(settings.clusterRequireFullCoverage());
    assertFalse(settings.clusterAllowReadsWhenDown());
    assertEquals("", settings.clusterAnnounceIp());
    assertEquals(0, settings.timeout());
    assertEquals("", settings.logfile());
    assertEquals("notice", settings.loglevel());
    assertEquals("", settings.configFile());
  }

  @Test
  void configGetTakesSeveralPatternsAndAnswersEachNameOnce() {
    Map<String, String> reply = asMap(Settings.defaults().get(List.of("port", "hz", "p?rt", "bind", "bind*")));
    assertEquals(Map.of("port", "6379", "hz", "10", "bind", "* -::*", "bind-source-addr", ""), reply);
  }

  @Test
  void configGetGlobsAreCaseInsensitiveAndCoverAliases() {
    Settings settings = Settings.defaults();
    assertEquals(Set.of("slave-read-only", "replica-read-only"),
        asMap(settings.get(List.of("*READ-ONLY"))).keySet());
    assertEquals(Set.of("hash-max-listpack-entries", "hash-max-listpack-value", "hash-max-ziplist-entries",
        "hash-max-ziplist-value"), asMap(settings.get(List.of("hash-max-*"))).keySet());
    assertEquals(Set.of("bind", "bind-source-addr", "pidfile", "port"),
        asMap(settings.get(List.of("[pb][io][nrd]*"))).keySet());
    assertTrue(settings.get(List.of("nosuch")).isEmpty());
    assertTrue(settings.get(List.of()).isEmpty());
  }

  @Test
  void configGetOfAnExactNameRepeatsItAsAsked() {
    List<Map.Entry<String, String>> reply = Settings.defaults().get(List.of("PORT", "port", "SlaveOf"));
    assertEquals(List.of(Map.entry("PORT", "6379"), Map.entry("SlaveOf", "")), reply);
  }

  @Test
  void hiddenSettingsAnswerOnlyTheirExactName() {
    Settings settings = Settings.defaults();
    assertEquals("0", get(settings, "watchdog-period"));
    assertTrue(settings.get(List.of("watchdog*")).isEmpty());
    assertFalse(asMap(settings.get(List.of("*"))).containsKey("use-exit-on-panic"));
  }

  @Test
  void valuesAreFormattedAsRedisPrintsThem() {
    Settings settings = Settings.defaults().withEveryValueAccepted();
    assertNull(set(settings, "maxmemory", "1gb"));
    assertEquals("1073741824", get(settings, "maxmemory"));
    assertNull(set(settings, "maxmemory", "5k"));
    assertEquals("5000", get(settings, "maxmemory"));
    assertNull(set(settings, "maxmemory", "18446744073709551616"));
    assertEquals("18446744073709551615", get(settings, "maxmemory"));
    assertNull(set(settings, "maxmemory-clients", "10%"));
    assertEquals("10%", get(settings, "maxmemory-clients"));
    assertNull(set(settings, "save", "3600 1 300 100"));
    assertEquals("3600 1 300 100", get(settings, "save"));
    assertNull(set(settings, "notify-keyspace-events", "KEA"));
    assertEquals("AKE", get(settings, "notify-keyspace-events"));
    assertNull(set(settings, "client-output-buffer-limit", "normal 1mb 2 3"));
    assertEquals("normal 1048576 2 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
        get(settings, "client-output-buffer-limit"));
    assertNull(set(settings, "latency-tracking-info-percentiles", "50 99.12345678 1e1"));
    assertEquals("50 99.123457 10", get(settings, "latency-tracking-info-percentiles"));
    assertNull(set(settings, "oom-score-adj", "relative"));
    assertEquals("yes", get(settings, "oom-score-adj"));
    assertNull(set(settings, "shutdown-on-sigterm", "now nosave force"));
    assertEquals("nosave now force", get(settings, "shutdown-on-sigterm"));
    assertNull(set(settings, "appendonly", "YES"));
    assertEquals("yes", get(settings, "appendonly"));
    assertNull(set(settings, "loglevel", "WARNING"));
    assertEquals("warning", settings.loglevel());
    assertNull(set(settings, "hz", "0"));
    assertEquals("1", get(settings, "hz"));
    assertNull(set(settings, "hz", "1000"));
    assertEquals(500, settings.hz());
    assertNull(set(settings, "bind", "127.0.0.1 ::1"));
    assertEquals(List.of("127.0.0.1", "::1"), settings.bind());
    assertNull(set(settings, "save", ""));
    assertEquals("", get(settings, "save"));
  }

  @Test
  void latencyPercentilesAreReadWithString2d() {
    // redis-server 7.0.15's answers: string2d reads hex, and refuses overflow and underflow before the range check.
    Settings settings = Settings.defaults().withEveryValueAccepted();
    String invalid = "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - "
        + "Invalid latency-tracking-info-percentiles parameters";
    for (String refused : new String[] {"1e400", "1e-400", "nan", " 1", "1 x", "0x"}) {
      assertEquals(invalid, set(settings, "latency-tracking-info-percentiles", refused), refused);
    }
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - "
        + "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
        set(settings, "latency-tracking-info-percentiles", "inf"));
    assertNull(set(settings, "latency-tracking-info-percentiles", "0x10"));
    assertEquals("16", get(settings, "latency-tracking-info-percentiles"));
    assertNull(set(settings, "latency-tracking-info-percentiles", "-0"));
    assertEquals("-0", get(settings, "latency-tracking-info-percentiles"));
  }

  @Test
  void configSetErrorsAreRedisOwnTexts() {
    Settings settings = Settings.defaults();
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed "
        + "into an integer", set(settings, "port", "abc"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and "
        + "65535 inclusive", set(settings, "port", "70000"));
    assertEquals("ERR Unknown option or number of arguments for CONFIG SET - 'foo'", set(settings, "foo", "bar"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
        set(settings, "daemonize", "yes"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
        set(settings, "dir", "/tmp"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory "
        + "value", set(settings, "maxmemory", "1.5gb"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument "
        + "must be less or equal to 100", set(settings, "maxmemory-clients", "200%"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or "
        + "'no'", set(settings, "appendonly", "maybe"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of "
        + "the following: debug, verbose, notice, warning", set(settings, "loglevel", "foo"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters",
        set(settings, "save", "1 2 3"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 "
        + "and 4294967295 inclusive", set(settings, "maxclients", "-1"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be "
        + "between 1048576 and 9223372036854775807 inclusive", set(settings, "proto-max-bulk-len", "100"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config",
        set(settings, "dbfilename", "a/b"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'slave-read-only') - argument must be "
        + "'yes' or 'no'", set(settings, "SLAVE-READ-ONLY", "x"));
    assertEquals("ERR syntax error", set(settings, "hz", "1", "2"));
    assertEquals("ERR wrong number of arguments for 'config|set' command", set(settings, "hz"));
  }

  @Test
  void configSetChecksNamesBeforeValuesAndReportsTheFirstProblem() {
    Settings settings = Settings.defaults().withEveryValueAccepted();
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
        set(settings, "port", "abc", "daemonize", "yes"));
    assertEquals("ERR Unknown option or number of arguments for CONFIG SET - 'foo'",
        set(settings, "port", "abc", "foo", "bar"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
        set(settings, "daemonize", "yes", "foo", "bar"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter",
        set(settings, "hz", "5", "HZ", "6"));
    // A name and its alias are separate entries to redis-server.
    assertNull(set(settings, "slave-read-only", "no", "replica-read-only", "no"));
  }

  @Test
  void settingsTheNodeDoesNotActOnTakeOnlyTheirDefault() throws Exception {
    Settings settings = Settings.defaults();
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'rdb-save-incremental-fsync') - "
        + "'rdb-save-incremental-fsync' is not implemented by this node (only its default 'yes' is accepted)",
        set(settings, "rdb-save-incremental-fsync", "no"));
    assertNull(set(settings, "rdbcompression", "no"), "the node never compresses: 'no' is true and accepted");
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'slave-lazy-flush') - "
        + "'replica-lazy-flush' is not implemented by this node (only its default 'no' is accepted)",
        set(settings, "hz", "20", "slave-lazy-flush", "yes"));
    assertEquals("10", get(settings, "hz"), "all or nothing");
    assertNull(set(settings, "rdbcompression", "yes", "crash-log-enabled", "yes"), "the default is accepted");
    assertNull(set(settings, "maxmemory", "10mb", "protected-mode", "no", "masterauth", "x"), "implemented ones");

    assertEquals("Bad config: setting 'tls-port' (got '6380', default '0') is not implemented by this node: only "
        + "the default value is accepted in command line arguments",
        assertThrows(ConfigException.class, () -> CommandLine.parse(new String[] {"--tls-port", "6380"})).getMessage());
    Settings.defaults().withOverrides(Map.of("tls-port", "0")).checkImplemented("in test");
  }

  /**
   * cluster-link-sendbuf-limit: Redis drops a bus link whose send buffer passes it; the bus's buffers here are Akka
   * remoting's, which the node cannot bound or measure, so a limit is refused at start and by CONFIG SET (its
   * default 0, no limit, loads) rather than accepted and ignored. CLUSTER LINKS shows only what the node holds
   * itself for a link (ClusterLinksReplyTest).
   */
  @Test
  void clusterLinkSendbufLimitTakesOnlyItsDefault() throws Exception {
    Settings settings = Settings.defaults();
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'cluster-link-sendbuf-limit') - "
        + "'cluster-link-sendbuf-limit' is not implemented by this node (only its default '0' is accepted)",
        set(settings, "cluster-link-sendbuf-limit", "1mb"));
    assertNull(set(settings, "cluster-link-sendbuf-limit", "0"));
    assertEquals("Bad config: setting 'cluster-link-sendbuf-limit' (got '1024', default '0') is not implemented by "
        + "this node: only the default value is accepted in command line arguments",
        assertThrows(ConfigException.class,
            () -> CommandLine.parse(new String[] {"--cluster-link-sendbuf-limit", "1024"})).getMessage());
    Settings.defaults().withOverrides(Map.of("cluster-link-sendbuf-limit", "0")).checkImplemented("in test");
  }

  @Test
  void aValueTheNodeBehavesAsIsAcceptedBesideTheDefault() throws Exception {
    // A full sync starts at once, as repl-diskless-sync-delay 0 asks (Redis's test suites write it in redis.conf).
    Settings.defaults().withOverrides(Map.of("repl-diskless-sync-delay", "0")).checkImplemented("in test");
    Settings settings = Settings.defaults();
    assertNull(set(settings, "repl-diskless-sync-delay", "0"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'repl-diskless-sync-delay') - "
        + "'repl-diskless-sync-delay' is not implemented by this node (only its default '5' or '0' is accepted)",
        set(settings, "repl-diskless-sync-delay", "3"));
  }

  @Test
  void configSetIsAllOrNothing() {
    Settings settings = Settings.defaults();
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of "
        + "the following: debug, verbose, notice, warning",
        set(settings, "hz", "11", "maxmemory", "1mb", "loglevel", "bogus"));
    assertEquals(10, settings.hz());
    assertEquals("0", settings.rawValue("maxmemory"));
    assertNull(set(settings, "hz", "12", "maxmemory", "2mb", "loglevel", "verbose"));
    assertEquals(12, settings.hz());
    assertEquals("2097152", settings.rawValue("maxmemory"));
    assertEquals("verbose", settings.loglevel());
  }

  @Test
  void protectedSettingsFollowEnableProtectedConfigs() throws Exception {
    Path here = Path.of("").toAbsolutePath();
    Settings local = Settings.defaults().withOverrides(Map.of("enable-protected-configs", "local"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
        local.set(List.of("dir", here.toString()), false));
    assertNull(local.set(List.of("dir", here.toString()), true));
    Settings allowed = Settings.defaults().withOverrides(Map.of("enable-protected-configs", "yes"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory",
        set(allowed, "dir", "/nonexistent/dir"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, "
        + "just a filename", set(allowed, "dbfilename", "a/b"));
    assertNull(set(allowed, "dbfilename", "x.rdb"));
    assertEquals("x.rdb", allowed.rawValue("dbfilename"));
  }

  @Test
  void gettersFollowConfigSet() {
    Settings settings = Settings.defaults();
    assertNull(set(settings, "port", "7005", "requirepass", "secret", "timeout", "30",
        "cluster-allow-reads-when-down", "yes", "hash-max-ziplist-entries", "1000"));
    assertEquals(7005, settings.port());
    assertEquals(17005, settings.clusterPort());
    assertEquals("secret", settings.requirepass());
    assertEquals(30, settings.timeout());
    assertTrue(settings.clusterAllowReadsWhenDown());
    assertEquals(1000, settings.hashMaxListpackEntries());
    assertEquals("secret", settings.rawValue("REQUIREPASS"));
    assertNull(settings.rawValue("nosuch"));
  }

  @Test
  void listenersHearOfRealChangesOnly() {
    Settings settings = Settings.defaults().withEveryValueAccepted();
    List<Set<String>> heard = new CopyOnWriteArrayList<>();
    settings.addChangeListener((source, names) -> heard.add(names));
    assertNull(set(settings, "port", "7001", "slave-read-only", "no", "hz", "10"));
    assertEquals(List.of(Set.of("port", "replica-read-only")), heard);
    set(settings, "port", "abc");
    assertNull(set(settings, "port", "7001"));
    assertEquals(1, heard.size());
  }

  @Test
  void readersAlwaysSeeAWholeConfigSet() throws Exception {
    Settings settings = Settings.defaults();
    AtomicBoolean torn = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      while (!stop.get()) {
        Map<String, String> pair = asMap(settings.get(List.of("hz", "timeout")));
        if (!pair.get("hz").equals(pair.get("timeout")) && !pair.get("timeout").equals("0")) {
          torn.set(true);
        }
      }
    });
    reader.start();
    for (int i = 1; i <= 2000; i++) {
      String value = Integer.toString(1 + i % 400);
      assertNull(set(settings, "hz", value, "timeout", value));
    }
    stop.set(true);
    reader.join();
    assertFalse(torn.get());
  }

  @Test
  void overridesReplaceValuesAndMayChangeImmutableSettings() throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("--port", "7002");
    overrides.put("cluster-enabled", "yes");
    overrides.put("bind", "127.0.0.1 ::1");
    overrides.put("save", "");
    Settings settings = Settings.defaults().withOverrides(overrides);
    assertEquals(7002, settings.port());
    assertTrue(settings.clusterEnabled());
    assertEquals(List.of("127.0.0.1", "::1"), settings.bind());
    assertEquals("", settings.rawValue("save"));
    assertEquals(6379, Settings.defaults().port());
  }

  @Test
  void overridesRejectUnknownNamesAndBadValuesInOneLine() {
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> Settings.defaults().withOverrides(Map.of("prot", "5")));
    assertEquals("Bad config: unknown setting 'prot' in command line arguments", unknown.getMessage());
    ConfigException bad = assertThrows(ConfigException.class,
        () -> Settings.defaults().withOverrides(Map.of("port", "abc")));
    assertEquals("Bad config: 'port' must be an integer between 0 and 65535, got 'abc' in command line arguments",
        bad.getMessage());
    ConfigException memory = assertThrows(ConfigException.class,
        () -> Settings.defaults().withOverrides(Map.of("maxmemory", "lots")));
    assertTrue(memory.getMessage().startsWith("Bad config: 'maxmemory' must be a size in bytes"),
        memory.getMessage());
    assertEquals(0, bad.getStackTrace().length);
  }

  @Test
  void hoconAcceptsWhatAUserWrites() throws Exception {
    Settings settings = Settings.fromHocon(ConfigFactory.parseString(String.join("\n",
        "port = 7001",
        "bind = 127.0.0.1",
        "appendonly = true",
        "cluster-enabled = yes",
        "maxmemory = 100 mb",
        "client-query-buffer-limit = 2gb",
        "save = [\"3600 1\", \"300 100\"]",
        "requirepass = 1234",
        "notify-keyspace-events = \"Ex\"",
        "SLAVE-PRIORITY = 5",
        "list-max-ziplist-entries = 5")), "test.conf");
    assertEquals(7001, settings.port());
    assertEquals(List.of("127.0.0.1"), settings.bind());
    assertTrue(settings.appendonly());
    assertEquals("104857600", settings.rawValue("maxmemory"));
    assertEquals(2L * 1024 * 1024 * 1024, settings.clientQueryBufferLimit());
    assertEquals("3600 1 300 100", settings.rawValue("save"));
    assertEquals("1234", settings.requirepass());
    assertEquals("xE", settings.rawValue("notify-keyspace-events"));
    assertEquals("5", settings.rawValue("replica-priority"));
  }

  @Test
  void hoconProblemsNameTheFileAndLine() {
    ConfigException unknown = assertThrows(ConfigException.class, () -> Settings.fromHocon(
        ConfigFactory.parseString("port = 7001\nprot = 5\n"), "conf/x.conf"));
    assertTrue(unknown.getMessage().startsWith("Bad config: unknown setting 'prot' in conf/x.conf"),
        unknown.getMessage());
    ConfigException nested = assertThrows(ConfigException.class, () -> Settings.fromHocon(
        ConfigFactory.parseString("cluster { enabled = yes }"), "conf/x.conf"));
    assertTrue(nested.getMessage().startsWith("Bad config: unknown setting 'cluster.enabled' in conf/x.conf"),
        nested.getMessage());
    ConfigException both = assertThrows(ConfigException.class, () -> Settings.fromHocon(
        ConfigFactory.parseString("slaveof = \"a 1\"\nreplicaof = \"b 2\""), "conf/x.conf"));
    assertTrue(both.getMessage().contains("are the same setting"), both.getMessage());
    ConfigException replica = assertThrows(ConfigException.class, () -> Settings.fromHocon(
        ConfigFactory.parseString("cluster-enabled = yes\nreplicaof = \"a 1\""), "conf/x.conf"));
    assertEquals("Bad config: 'replicaof' is not allowed with cluster-enabled yes in conf/x.conf",
        replica.getMessage());
  }

  @Test
  void everySettingRoundTripsThroughItsOwnFormat() {
    Settings settings = Settings.defaults();
    List<String> pairs = new ArrayList<>();
    for (SettingDefinition definition : SettingTable.ALL) {
      if (definition.access == SettingDefinition.Access.MUTABLE) {
        pairs.add(definition.name);
        pairs.add(settings.rawValue(definition.name));
      }
    }
    assertNull(settings.set(pairs));
    assertEquals(asMap(Settings.defaults().get(List.of("*"))), asMap(settings.get(List.of("*"))));
  }

  @Test
  void anApplyFailureRollsBackTheWholeCallAndReappliesWhatRan() {
    Settings settings = Settings.defaults();
    List<String> applied = new ArrayList<>();
    List<Set<String>> notified = new ArrayList<>();
    settings.addChangeListener((changed, names) -> notified.add(names));
    settings.setApplier("bind", s -> {
      applied.add("bind " + s.bind());
      return CompletableFuture.completedFuture(null);
    });
    settings.setApplier("port", s -> {
      applied.add("port " + s.port());
      return CompletableFuture.completedFuture(s.port() == 7001 ? "Unable to listen on this port. Check server logs."
          : null);
    });
    String error = settings.set(List.of("maxmemory", "10000001", "bind", "127.0.0.2", "port", "7001"));
    assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. "
        + "Check server logs.", error);
    assertEquals("0", settings.rawValue("maxmemory"));
    assertEquals(6379, settings.port());
    assertEquals(List.of("bind [127.0.0.2]", "port 7001", "bind [*, -::*]"), applied);
    assertEquals(List.of(), notified);

    assertNull(settings.set(List.of("port", "7002", "maxmemory", "5")));
    assertEquals(7002, settings.port());
    assertEquals(List.of(Set.of("port", "maxmemory")), notified);
  }
}
