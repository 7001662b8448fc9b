package org.akkaredis;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.cluster.ClusterState;
import org.akkaredis.cluster.NodesConf;
import org.akkaredis.cluster.ReplicationStatus;
import org.akkaredis.cluster.bus.BusEndpoint;
import org.akkaredis.cluster.manager.ClusterCommands;
import org.akkaredis.cluster.migration.MigrateCommand;
import org.akkaredis.cluster.manager.ClusterManager;
import org.akkaredis.command.InfoText;
import org.akkaredis.metrics.MetricsEndpoint;
import org.akkaredis.cluster.manager.PublishBacklog;
import org.akkaredis.cluster.nodesconf.NodesConfWriter;
import org.akkaredis.command.Args;
import org.akkaredis.command.ClientPause;
import org.akkaredis.command.ClusterBus;
import org.akkaredis.pubsub.PubSub;
import org.akkaredis.command.CommandDispatcher;
import org.akkaredis.command.CommandTable;
import org.akkaredis.command.NodeContext;
import org.akkaredis.command.NodeInfo;
import org.akkaredis.config.ConfigException;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.Deadlines;
import org.akkaredis.keyspace.Keyspace;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.command.ServerStats;
import org.akkaredis.persistence.AofManifest;
import org.akkaredis.persistence.DataLoader;
import org.akkaredis.persistence.LoadStatus;
import org.akkaredis.persistence.RdbWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.akkaredis.scripting.ScriptCommands;
import org.akkaredis.replication.NodeSleep;
import org.akkaredis.replication.ReplicationBoard;
import org.akkaredis.replication.ReplicationSource;
import org.akkaredis.server.ClientListener;
import org.akkaredis.server.ClientRegistry;
import org.akkaredis.server.RespServer;

/**
 * One running node: an ActorSystem whose guardian spawns the slot ranges and the cluster manager, builds
 * the command table and opens the client port. Main starts one; tests start several in one JVM.
 */
public final class RedisNode {
  private static final Logger LOG = LoggerFactory.getLogger(RedisNode.class);
  /** The same on every node, so that a peer's bus address follows from its host and port (step 2). */
  public static final String SYSTEM_NAME = "akka-redis-cluster";

  private final ActorSystem<Void> system;
  private final int port;
  private final String runId;
  /** Null without cluster mode. */
  private final ActorRef<ClusterManager.Command> cluster;
  private final ActorRef<ReplicationSource.Command> replication;
  private final NodePersistence persistence;
  private final Keyspace keyspace;
  /** Null with metrics-port 0. */
  private final MetricsEndpoint metrics;

  private RedisNode(ActorSystem<Void> system, int port, String runId, ActorRef<ClusterManager.Command> cluster,
      ActorRef<ReplicationSource.Command> replication, NodePersistence persistence, Keyspace keyspace,
      MetricsEndpoint metrics) {
    this.system = system;
    this.metrics = metrics;
    this.port = port;
    this.runId = runId;
    this.cluster = cluster;
    this.replication = replication;
    this.persistence = persistence;
    this.keyspace = keyspace;
  }

  public int port() {
    return port;
  }

  /** The port of the Prometheus endpoint, or 0 when there is none (metrics-port 0). */
  public int metricsPort() {
    return metrics == null ? 0 : metrics.port();
  }

  public String runId() {
    return runId;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Stops at once: what the AOF has not written yet is lost (tests use it as a crash of the process). */
  public CompletionStage<akka.Done> stop() {
    system.terminate();
    return system.getWhenTerminated();
  }

  /**
   * Stops as SIGTERM does in Redis (shutdown-on-sigterm default): the AOF is written and fsynced, the snapshot
   * saved when save rules are set, then the node stops. A node already stopping just stops.
   */
  public CompletionStage<akka.Done> shutdown() {
    if (system.whenTerminated().isCompleted()) return system.getWhenTerminated();
    return persistence.beforeShutdown(false, false).handle((failure, error) -> {
      if (failure != null || error != null) LOG.warn("Shutting down anyway: {}", failure != null ? failure : error);
      return null;
    }).thenCompose(done -> stop());
  }

  /** The cluster manager, or null without cluster mode: tests read its state and inject bus faults there. */
  public ActorRef<ClusterManager.Command> cluster() {
    return cluster;
  }

  /** The replication source: tests inject faults into its streams there. */
  public ActorRef<ReplicationSource.Command> replication() {
    return replication;
  }

  /**
   * Stops the node the way a crash would look to its peers: its bus goes silent at once (nothing more is sent
   * or taken in, no goodbye), then the ActorSystem stops.
   */
  public CompletionStage<akka.Done> crash() {
    if (cluster != null) cluster.tell(new ClusterManager.InjectFaults(BusEndpoint.Faults.isolate()));
    return stop();
  }

  public CompletionStage<akka.Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** The process's exit status once the node has stopped: 0, or 1 after a fatal error (an AOF write with always). */
  public int exitCode() {
    return persistence.exitCode();
  }

  /** Starts a node; fails (and stops the ActorSystem) when the client port cannot be bound. */
  public static CompletionStage<RedisNode> start(Settings settings) {
    CompletableFuture<RedisNode> started = new CompletableFuture<>();
    try {
      settings.checkImplemented("in the settings given");
    } catch (ConfigException e) {
      started.completeExceptionally(e);
      return started;
    }
    // The command table (the catalog's 120 KB of metadata and some 300 handler classes), the script engine and the
    // run id (SecureRandom's providers, cold) are made on a thread of their own while Akka's configuration loads and
    // the ActorSystem starts: they were half the time to the first PONG on the main thread.
    CompletableFuture<NodeParts> parts = new CompletableFuture<>();
    Thread tableBuilder = new Thread(() -> {
      try {
        String runId = randomHex(20);
        ScriptCommands scripts = new ScriptCommands();
        parts.complete(new NodeParts(runId, scripts, CommandGroups.ofCommandPackage(scripts)));
      } catch (RuntimeException | Error e) {
        parts.completeExceptionally(e);
      }
    }, "command-table");
    tableBuilder.setDaemon(true);
    tableBuilder.start();
    Config akkaConfig = ConfigFactory.parseString("akka.loglevel = " + akkaLogLevel(settings.loglevel()));
    akkaConfig = akkaConfig.withFallback(settings.clusterEnabled() ? busConfig(settings) : STANDALONE_CONFIG);
    akkaConfig = akkaConfig.withFallback(ConfigFactory.load());
    int rangeCount;
    try {
      rangeCount = Keyspace.rangeCount(akkaConfig);
    } catch (IllegalArgumentException e) {
      started.completeExceptionally(e);
      return started;
    }
    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(guardian(settings, rangeCount, started, parts), SYSTEM_NAME,
          akkaConfig);
    } catch (RuntimeException e) { // Akka remoting could not bind the cluster port
      started.completeExceptionally(new IOException("Could not bind the cluster bus port "
          + settings.clusterPort() + ": " + rootMessage(e), e));
      return started;
    }
    return started.whenComplete((node, failure) -> {
      if (failure != null) system.terminate();
    });
  }

  /** What the command-table thread makes beside the ActorSystem's start. */
  private record NodeParts(String runId, ScriptCommands scripts, CommandTable.Builder commandPackage) {}

  private static Behavior<Void> guardian(Settings settings, int rangeCount, CompletableFuture<RedisNode> started,
      CompletableFuture<NodeParts> parts) {
    return Behaviors.setup(ctx -> {
      ActorSystem<Void> system = ctx.getSystem();
      boolean cluster = settings.clusterEnabled();
      long startMs = System.currentTimeMillis();
      Keyspace keyspace = new Keyspace(ctx, rangeCount, settings, System::currentTimeMillis,
          cluster ? SlotRouting.unassigned() : SlotRouting.standalone());
      NodePersistence persistence = new NodePersistence(system, settings, keyspace, startMs);
      // Until the data is loaded, replicas get no snapshot and the cluster's changes to the data wait.
      CompletableFuture<Void> loaded = new CompletableFuture<>();
      AfterLoading afterLoading = new AfterLoading(loaded);
      ReplicationBoard board = new ReplicationBoard();
      persistence.loadingFullSync(board::loadingFullSync);
      persistence.asyncLoading(board::asyncLoading);
      DeadLetterAnswers.start(ctx, board);
      CompletableFuture<CommandDispatcher> dispatcher = new CompletableFuture<>();
      ClientRegistry clients = new ClientRegistry();
      NodeSleep sleep = new NodeSleep();
      ActorRef<ReplicationSource.Command> replication = ctx.spawn(ReplicationSource.create(board, settings,
          snapshots(keyspace, loaded, persistence), new MasterClient(dispatcher::join, keyspace, settings), System::currentTimeMillis,
          keyspace::effectSink, sleep,
          () -> clients.pause().mode(System.currentTimeMillis()) == ClientPause.Mode.ALL), "replication");
      NodeReplication replicationView = new NodeReplication(board, replication, settings, keyspace.deadlines(),
          sleep);
      // The node's channel subscriptions. Keyspace notifications publish into it from the slot ranges' threads
      // (PubSub.publish(channel, message)); another node's PUBLISH reaches it through the cluster manager.
      PubSub pubsub = new PubSub();
      keyspace.keyspaceEventSink(pubsub::publish);
      ActorRef<ClusterManager.Command> clusterManager = null;
      if (cluster) {
        Path nodesConf = Path.of(settings.dir()).resolve(settings.clusterConfigFile());
        ClusterState state;
        try {
          FileChannel lock = NodesConfWriter.lock(nodesConf);
          system.getWhenTerminated().thenRun(() -> closeQuietly(lock));
          state = loadClusterState(settings, nodesConf);
        } catch (IOException | IllegalArgumentException e) {
          started.completeExceptionally(e);
          return Behaviors.empty();
        }
        // As Redis reads nodes.conf before the data: a node that was a replica loads as one (it keeps the keys
        // already expired, and none expires by itself) before it knows where its master is.
        if (state.myself().isReplica()) keyspace.replica(true);
        clusterManager = ctx.spawn(ClusterManager.create(state, nodesConf, System::currentTimeMillis,
            new ClusterManager.Hooks(keyspace::publishRouting,
                slots -> afterLoading.run(() -> emptySlots(keyspace, slots)),
                () -> new ReplicationStatus(board.clusterOffset(), board.lastMasterInteractionMs(System.currentTimeMillis())),
                replicationView::pauseWritesUntil,
                master -> afterLoading.run(() -> follow(keyspace, replication, settings, master)),
                pubsub::publish,
                (channel, message) -> pubsub.spublish(channel, message, null),
                lost -> pubsub.dropSlots(lost::get)),
            BusEndpoint.Directory.REMOTE), "cluster");
      }
      ActorRef<ClusterManager.Command> clusterRef = clusterManager;
      MigrateCommand migrate = MigrateCommand.start(system);
      ClusterCommands clusterCommands = new ClusterCommands(clusterManager, System::currentTimeMillis,
          keyspace.deadlines());
      // The function libraries are node-wide data the snapshots carry (RDB, AOF rewrite, full sync).
      NodeParts made = parts.join();
      String runId = made.runId();
      ScriptCommands scripts = made.scripts();
      keyspace.functionLibraries(scripts.libraryCodes());
      CommandTable commands = CommandGroups.all(clusterCommands, migrate, made.commandPackage());
      clients.pause().onExpiryPause(keyspace::pauseExpiry);
      NodeInfo info = new NodeInfo(runId, settings.port(), startMs, settings.configFile(),
          executable(), ProcessHandle.current().pid());
      // Commands answer -LOADING from the first connection on, until the data is loaded.
      persistence.load.startMs = startMs;
      persistence.load.loading = true;
      keyspace.loading(true);
      ServerStats stats = new ServerStats();
      stats.migrateCachedSockets(migrate::cachedSockets);
      stats.cachedScripts(scripts::cachedScripts);
      NodeContext node = new NodeContext(keyspace, settings, commands, clients, stats, info,
          replicationView, system::terminate, persistence, clusterBus(clusterRef, keyspace.deadlines()), pubsub);
      dispatcher.complete(new CommandDispatcher(node));
      new RespServer(system, node, clients).bind(settings.port()).whenComplete((bindings, failure) -> {
        if (failure != null) {
          started.completeExceptionally(failure.getCause() != null ? failure.getCause() : failure);
          return;
        }
        MetricsEndpoint metrics;
        try {
          metrics = startMetrics(settings, node, cluster ? clusterCommands : null, keyspace, persistence);
        } catch (IOException e) {
          started.completeExceptionally(e);
          return;
        }
        if (metrics != null) system.getWhenTerminated().thenRun(metrics::close);
        RedisNode redisNode = new RedisNode(system, boundPort(bindings, settings.port()), runId, clusterRef,
            replication, persistence, keyspace, metrics);
        // Clients are served meanwhile: commands without the "loading" flag answer -LOADING, as in Redis.
        Thread loader = new Thread(() -> {
          try {
            AofManifest manifest = loadData(settings, persistence, new LoadingClient(dispatcher.join(), settings),
                keyspace.replica());
            // The AOF takes the effects before the first client write can run.
            persistence.start(manifest);
            persistence.load.loading = false;
            keyspace.loading(false);
            loaded.complete(null);
            started.complete(redisNode);
            if (cluster) warmColdPaths(system, settings, node, clusterCommands);
          } catch (IOException | RuntimeException e) {
            loaded.completeExceptionally(e);
            // A SHUTDOWN while loading stopped the node: it started, and has stopped as asked.
            if (system.whenTerminated().isCompleted()) started.complete(redisNode);
            else started.completeExceptionally(e);
          }
        }, "data-loader");
        loader.setDaemon(true);
        system.getWhenTerminated().thenRun(loader::interrupt);
        loader.start();
      });
      return Behaviors.empty();
    });
  }

  /**
   * Loads the data as Redis does at start: the AOF when appendonly is yes (returns its manifest; null when there
   * is none yet), else the snapshot file if there is one (a master leaves out its keys already expired, a
   * {@code replica} keeps them). A file that cannot be loaded stops the start.
   */
  private static AofManifest loadData(Settings settings, NodePersistence persistence, LoadingClient client,
      boolean replica) throws IOException {
    LoadStatus status = persistence.load;
    long started = System.nanoTime();
    AofManifest manifest = null;
    if (settings.appendonly()) {
      manifest = DataLoader.manifest(settings);
      if (manifest != null && !manifest.filesToLoad().isEmpty()) {
        DataLoader.loadAof(settings, manifest, client, status);
        client.finish();
        LOG.info("DB loaded from append only file: {} seconds", seconds(started));
      } else {
        manifest = null;
      }
    } else if (DataLoader.loadRdb(settings, Path.of(settings.dir()).resolve(settings.rawValue("dbfilename")), client,
        status, persistence.save, System.currentTimeMillis(), !replica)) {
      client.finish();
      LOG.info("DB loaded from disk: {} seconds", seconds(started));
    }
    return manifest;
  }

  private static String seconds(long sinceNanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - sinceNanos) / 1e9);
  }

  /** Work that changes the data on the cluster's word waits for the load, and keeps its order. */
  private static final class AfterLoading {
    private CompletableFuture<Void> last;

    AfterLoading(CompletableFuture<Void> loaded) {
      last = loaded;
    }

    synchronized void run(Runnable work) {
      last = last.thenRun(work);
    }
  }

  /** nodes.conf as the node left it, or a fresh identity when there is none. */
  private static ClusterState loadClusterState(Settings settings, Path nodesConf) throws IOException {
    String text = NodesConfWriter.read(nodesConf);
    String busHost = busHost(settings);
    SecureRandom random = new SecureRandom();
    long now = System.currentTimeMillis();
    if (text == null) {
      return new ClusterState(ClusterState.randomId(random), settings.port(), busPort(settings), busHost,
          settings, random, now);
    }
    return NodesConf.parse(text, settings.port(), busPort(settings), busHost, settings, random, now);
  }

  /** The cluster bus as DEBUG sees it: the manager passes its filter on to the bus endpoint. */
  private static ClusterBus clusterBus(ActorRef<ClusterManager.Command> cluster, Deadlines deadlines) {
    if (cluster == null) return ClusterBus.NONE;
    PublishBacklog backlog = new PublishBacklog();
    return new ClusterBus() {
      @Override public CompletionStage<Void> dropInbound(long type) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        cluster.tell(new ClusterManager.DropInbound(type, applied));
        return deadlines.bound(applied, () -> "ERR the cluster bus did not answer within " + deadlines.millis()
            + " ms");
      }

      @Override public void publish(byte[] channel, byte[] message) {
        long weight = PublishBacklog.weight(channel, message);
        if (!backlog.admit(weight)) {
          if (backlog.dropped() % 10_000 == 1) {
            LOG.warn("Cluster bus: {} PUBLISH message(s) not sent to the other nodes so far: {} bytes already wait"
                + " for the cluster manager", backlog.dropped(), backlog.waitingBytes());
          }
          return;
        }
        cluster.tell(new ClusterManager.Publish(channel, message, () -> backlog.taken(weight)));
      }

      @Override public void publishShard(byte[] channel, byte[] message) {
        long weight = PublishBacklog.weight(channel, message);
        if (!backlog.admit(weight)) return;
        cluster.tell(new ClusterManager.PublishShard(channel, message, () -> backlog.taken(weight)));
      }
    };
  }

  /** Slot ranges' snapshots for a replica's full sync, each taken inside its range. */
  private static ReplicationSource.Snapshots snapshots(Keyspace keyspace, CompletionStage<Void> loaded,
      NodePersistence persistence) {
    return new ReplicationSource.Snapshots() {
      @Override public int ranges() {
        return keyspace.rangeCount();
      }

      @Override public CompletionStage<List<byte[]>> take(int range, int maxChunkBytes) {
        return loaded.thenCompose(done -> keyspace.onRange(range, state -> {
          List<byte[]> chunks = new ArrayList<>();
          byte[] libraries = RdbWriter.librariesChunk(state);
          if (libraries != null) chunks.add(libraries);
          RdbWriter.chunksOf(state, maxChunkBytes, chunks::add);
          return chunks;
        }));
      }

      @Override public CompletionStage<RdbWriter.Part[]> parts(int range) {
        return loaded.thenCompose(done -> keyspace.onRange(range, RdbWriter::partsOf));
      }

      @Override public RdbWriter.Aux aux() {
        return persistence.aux();
      }

      @Override public CompletionStage<Long> keys(int range) {
        return loaded.thenCompose(done -> keyspace.onRange(range, state -> {
          long keys = 0;
          for (int db = 0; db < state.databases(); db++) keys += state.db(db).size();
          return keys;
        }));
      }
    };
  }

  /** This node's role changed: a replica follows {@code master} (its keys then expire by its master's word). */
  private static void follow(Keyspace keyspace, ActorRef<ReplicationSource.Command> replication, Settings settings,
      ClusterManager.MasterAddress master) {
    if (master == null) {
      keyspace.replica(false);
      replication.tell(new ReplicationSource.Lead());
    } else {
      keyspace.replica(true);
      replication.tell(new ReplicationSource.Follow(master.myId(), settings.port(), master.id(), master.host(),
          master.port(), master.cport()));
    }
  }

  /** Deletes the keys of slots this node lost to a newer configuration (Redis's "dirty slots"). */
  private static void emptySlots(Keyspace keyspace, BitSet slots) {
    slots.stream().forEach(slot -> keyspace.onSlot(slot, range -> {
      List<Key> keys = new ArrayList<>();
      range.db(0).forEachStoredInSlot(slot, entry -> keys.add(entry.key)); // expired or not, as delKeysInSlot
      // Each deletion is an effect, as Redis's delKeysInSlot propagates them (to this node's own replicas).
      byte[] del = Args.bytes("yes".equals(range.settings().rawValue("lazyfree-lazy-server-del")) ? "UNLINK" : "DEL");
      keys.forEach(key -> {
        range.db(0).delete(key);
        range.db(0).effect(del, key.bytes());
      });
      return null;
    }));
  }

  /**
   * The host of this node's bus address. Akka remoting accepts only messages addressed to exactly this host,
   * so it must be the address peers use: cluster-announce-ip, else the first concrete bind address, else (a
   * wildcard bind) the loopback address, which suits a cluster on one machine.
   */
  static String busHost(Settings settings) {
    if (!settings.clusterAnnounceIp().isEmpty()) return settings.clusterAnnounceIp();
    String first = firstBind(settings);
    return first.equals("*") || first.equals("::*") ? "127.0.0.1" : first;
  }

  /**
   * Cluster mode, once the node is started, in the background: what `redis-cli --cluster create` and the first
   * CLUSTER MEET would otherwise run cold in a fresh JVM (docs/performance.md, Cluster create). INFO's, CLUSTER
   * INFO's and CLUSTER NODES's texts are made once, as the metrics endpoint makes them, without counting as
   * commands. Then one TCP connection to the node's own cluster port, opened through Akka IO by host name as Artery
   * opens a peer's, carrying nothing and closed at once: it runs Akka IO's DNS resolver (its actors are created on
   * the first outbound connection), Akka Streams' TCP client, and Artery's inbound connection stages, which close a
   * connection that ends before Artery's header. It changes nothing the node shows; a failure (an unreachable bind
   * address) is left alone.
   */
  private static void warmColdPaths(ActorSystem<Void> system, Settings settings, NodeContext node,
      ClusterCommands cluster) {
    InfoText.everything(node).thenCompose(info -> cluster.infoText()).thenCompose(info -> cluster.nodesText())
        .whenComplete((text, failure) -> warmBusPath(system, settings));
  }

  private static void warmBusPath(ActorSystem<Void> system, Settings settings) {
    String first = firstBind(settings);
    String host = first.equals("*") ? "127.0.0.1" : first.equals("::*") ? "::1" : first;
    akka.stream.javadsl.Source.<akka.util.ByteString>empty()
        .via(akka.stream.javadsl.Tcp.get(system).outgoingConnection(host, settings.clusterPort()))
        .completionTimeout(Duration.ofSeconds(10))
        .runWith(akka.stream.javadsl.Sink.ignore(), system)
        .whenComplete((done, failure) -> {
          if (failure != null) LOG.debug("Warming the cluster bus's connection path failed: {}", failure.toString());
        });
  }

  /**
   * The Prometheus endpoint on metrics-port (none when it is 0), on the first bind address as the cluster bus: a
   * scrape reads INFO and CLUSTER INFO the way those commands do.
   */
  private static MetricsEndpoint startMetrics(Settings settings, NodeContext node, ClusterCommands cluster,
      Keyspace keyspace, NodePersistence persistence) throws IOException {
    if (settings.metricsPort() == 0) return null;
    MetricsEndpoint metrics = MetricsEndpoint.start(firstBind(settings), settings.metricsPort(), new MetricsEndpoint.Source() {
      @Override public CompletionStage<String> info() {
        return InfoText.everything(node);
      }

      @Override public CompletionStage<String> clusterInfo() {
        return cluster == null ? null : cluster.infoText();
      }
    });
    for (int range = 0; range < keyspace.rangeCount(); range++) {
      int index = range;
      String name = keyspace.rangeName(range);
      metrics.gauge("redis_range_mailbox_depth", "Work sent to the slot range and not started yet", "range", name,
          () -> keyspace.waiting(index));
      keyspace.runTimes(range, metrics.timer("redis_range_run", "Run time of one piece of work at the slot range "
          + "(a client read's commands for the range)", "range", name, RANGE_RUN_BUCKETS));
    }
    persistence.fsyncTimes(metrics.timer("redis_aof_fsync", "Time of one fsync of the AOF", "file", "incr",
        FSYNC_BUCKETS));
    return metrics;
  }

  private static final Duration[] RANGE_RUN_BUCKETS = {Duration.ofNanos(10_000), Duration.ofNanos(50_000),
      Duration.ofNanos(100_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1)};
  private static final Duration[] FSYNC_BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(500_000),
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

  /** The first bind address without its "-" (optional) mark; "*" when there is none. */
  private static String firstBind(Settings settings) {
    String first = settings.bind().isEmpty() ? "*" : settings.bind().get(0);
    return first.startsWith("-") ? first.substring(1) : first;
  }

  /**
   * The port of this node's bus address, the one peers connect to: cluster-announce-bus-port (a port forwarded to
   * the bus, as a container's published port), else the cluster port. Read at start: it is Akka's canonical port.
   */
  static int busPort(Settings settings) {
    long announced = settings.longValue("cluster-announce-bus-port");
    return announced != 0 ? (int) announced : settings.clusterPort();
  }

  /**
   * Without cluster mode nothing is serialized (no remoting): Akka's serialization, which creates every serializer
   * of every Akka module at start, is left to its first use (none) instead of being a library extension started with
   * the ActorSystem. The other two library extensions stay as Akka's reference.conf lists them.
   */
  private static final Config STANDALONE_CONFIG = ConfigFactory.parseString("akka.library-extensions = ["
      + "\"akka.actor.typed.internal.adapter.ActorSystemAdapter$LoadTypedExtensions\", \"akka.stream.SystemMaterializer$\"]");

  /**
   * Akka remoting (Artery TCP), bound to the cluster port, with the bus's own serializer. Its canonical address,
   * the one it accepts messages for and tells peers, is the announced one (busHost, busPort).
   */
  private static Config busConfig(Settings settings) {
    String first = firstBind(settings);
    String bindHost = first.equals("*") ? "0.0.0.0" : first.equals("::*") ? "::" : first;
    return ConfigFactory.parseMap(Map.of(
        "akka.actor.provider", "remote",
        "akka.remote.artery.transport", "tcp",
        "akka.remote.artery.canonical.hostname", busHost(settings),
        "akka.remote.artery.canonical.port", busPort(settings),
        "akka.remote.artery.bind.hostname", bindHost,
        "akka.remote.artery.bind.port", settings.clusterPort()));
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // the process or the node is going away: nothing to keep
    }
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) e = e.getCause();
    return e.getMessage();
  }

  private static int boundPort(List<ClientListener> bindings, int configured) {
    if (configured != 0 || bindings.isEmpty()) return configured;
    InetSocketAddress address = bindings.get(0).localAddress();
    return address.getPort();
  }

  private static String executable() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Redis's loglevel as Akka's: debug and verbose are DEBUG, notice INFO, warning WARNING, nothing OFF. */
  static String akkaLogLevel(String redisLevel) {
    return switch (redisLevel) {
      case "debug", "verbose" -> "DEBUG";
      case "warning" -> "WARNING";
      case "nothing" -> "OFF";
      default -> "INFO";
    };
  }

  static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
