package org.akkaredis.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node process started as users start it ({@code java -jar target/akka-redis-cluster.jar --port N --bind
 * 127.0.0.1 --dir D ...}; a {@link #clusterNode} with the JVM options {@link #FAST_START}), with its own temporary
 * dir (its files and {@code node.log}, where the process's output goes, appended across restarts). Port, dir and settings stay when it is killed and started again, so that a
 * restart finds what the last run left on disk.
 */
public final class JarNode implements AutoCloseable {
  public static final Path JAR = Path.of("target", "akka-redis-cluster.jar");
  /** From a process start to PONG (after loading): a JVM with Akka starts in seconds, several on 2 cores take longer. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  /** A stopped process is gone within this (SIGKILL: at once; SIGTERM: after writing the AOF out and saving). */
  public static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  public final int port;
  public final Path dir;
  private final List<String> settings;
  /**
   * The JVM options of {@link #clusterNode}s: C1 only and the serial collector, as
   * scripts/cluster-suite-redis-server runs the cluster suite's nodes. Six or seven of them start at once on 2
   * cores, and again after a kill of all: without C2's compiler threads and G1's, a start takes far less CPU
   * (ClusterCreateIT's six restarted nodes answered PING after 16 s instead of 37 s on the loaded 2-core machine).
   */
  public static final String[] FAST_START = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

  private Process process;
  private List<String> jvmOptions = List.of();

  /** JVM options (-Xmx ...) for the next {@link #start}. */
  public JarNode jvmOptions(String... options) {
    jvmOptions = List.of(options);
    return this;
  }

  /** {@code settings}: more {@code --name value} pairs, appended after port, bind and dir. */
  public JarNode(String dirPrefix, int port, String... settings) {
    this.port = port;
    this.dir = TempDirs.create(dirPrefix);
    this.settings = List.of(settings);
  }

  /**
   * A cluster node as conf/node-700N.conf has it (cluster-node-timeout 5000, the AOF on; bus port: port + 10000,
   * Redis's default), started with {@link #FAST_START}.
   */
  public static JarNode clusterNode(String dirPrefix, int port) {
    return new JarNode(dirPrefix, port, "--cluster-enabled", "yes", "--cluster-node-timeout", "5000",
        "--appendonly", "yes").jvmOptions(FAST_START);
  }

  /** Debian's {@code redis-cli --cluster create} of {@code nodes} with one replica per master, as users run it. */
  public static Processes.Result createCluster(List<JarNode> nodes, Duration timeout) {
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    nodes.forEach(node -> command.add(node.address()));
    command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    return Processes.run(timeout, new byte[0], command);
  }

  /** Fails the test when the jar was not built ({@code mvn package} runs before failsafe's tests). */
  public static void assertJarBuilt() {
    if (!Files.isRegularFile(JAR)) {
      throw new AssertionError(JAR.toAbsolutePath() + " is missing: run 'mvn package' (or 'mvn verify')");
    }
  }

  /** Starts the process (without waiting for it to answer). */
  public void start() {
    if (process != null && process.isAlive()) throw new IllegalStateException("node " + port + " is running");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir",
        dir.toString()));
    command.addAll(settings);
    File log = dir.resolve("node.log").toFile();
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log)).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Waits until the node answers PING with PONG, which it does only once it has loaded its data. */
  public void awaitReady() {
    Await.until("node " + port + " answers PING", START_TIMEOUT, () -> {
      if (!process.isAlive()) {
        throw new AssertionError("node " + port + " exited with " + process.exitValue() + ":\n" + log());
      }
      return answer("PING").equals("PONG");
    });
  }

  /** kill -9 (SIGKILL: {@link Process#destroyForcibly()} on Linux), returning once the process is gone. */
  public void kill() {
    if (process == null) return;
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGTERM ({@link Process#destroy()} on Linux), without waiting. */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the process to end; its exit code. */
  public int awaitExit() {
    try {
      if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("node " + port + " still runs " + EXIT_TIMEOUT + " later:\n" + log());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for node " + port + " to end", e);
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public Process process() {
    return process;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** The reply's text (the first element's for arrays), or "" when the node does not answer. */
  public String answer(String... command) {
    try (RespConnection connection = RespConnection.open(port)) {
      RespReply reply = connection.call(command);
      return reply.isAggregate() ? reply.get(0).text() : reply.text();
    } catch (RuntimeException | AssertionError notNow) {
      return "";
    }
  }

  /** What the process printed (all runs). */
  public String log() {
    try {
      Path log = dir.resolve("node.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Kills the process if it still runs and removes the dir. */
  @Override
  public void close() {
    try {
      if (isAlive()) kill();
    } finally {
      TempDirs.delete(dir);
    }
  }
}
