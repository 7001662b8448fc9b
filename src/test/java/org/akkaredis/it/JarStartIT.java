package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.FreePorts;
import org.akkaredis.it.support.Processes;
import org.akkaredis.it.support.Processes.Result;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged fat jar as users start it ({@code java -jar target/akka-redis-cluster.jar conf/node-7001.conf
 * --name value ...}); run by failsafe after {@code mvn package}.
 */
class JarStartIT {
  private static final Path JAR = Path.of("target", "akka-redis-cluster.jar");
  private static final Path CONFIG = Path.of("conf", "node-7001.conf");
  /** A JVM with Akka starts in a few seconds; a loaded CI machine gets more. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  private final List<Process> started = new ArrayList<>();
  private Path dir;

  @BeforeEach
  void prepare() {
    assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is missing: run 'mvn package' (or 'mvn verify')");
    assertTrue(Files.isRegularFile(CONFIG), CONFIG.toAbsolutePath() + " is missing");
    dir = TempDirs.create("akka-redis-jar-");
  }

  @AfterEach
  void destroyProcesses() throws InterruptedException {
    for (Process process : started) {
      process.destroy();
      if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
    TempDirs.delete(dir);
  }

  @Test
  void startsFromTheShippedConfigFileWithCommandLineOverrides() throws Exception {
    int port = FreePorts.next();
    // node-7001.conf enables cluster mode; the bus port (port + 10000 by default) might not be free, or even
    // valid, for a port the OS handed out, so it gets its own free port too.
    Process node = startJar(CONFIG.toString(), "--port", Integer.toString(port), "--cluster-port",
        Integer.toString(FreePorts.next()), "--dir", dir.toString(), "--appendonly", "no");
    Await.until("the node started from the jar answers PING on port " + port, START_TIMEOUT, () -> {
      if (!node.isAlive()) throw new AssertionError("the node exited with " + node.exitValue() + ":\n" + log());
      return answersPing(port);
    });
    Result info = Processes.run(Duration.ofSeconds(20), Processes.redisCli("-p", Integer.toString(port), "info",
        "server").toArray(String[]::new));
    assertEquals(0, info.exitCode(), info.describe());
    assertTrue(info.stdout().contains("redis_version:7.0.15\r\n"), info.describe());
    assertTrue(info.stdout().contains("tcp_port:" + port + "\r\n"), info.describe());
    try (RespConnection connection = RespConnection.open(port)) {
      assertEquals("cluster_enabled:1", field(connection.call("INFO", "cluster").text(), "cluster_enabled"),
          "the config file's cluster-enabled applies");
      assertEquals("[appendonly, no]", connection.call("CONFIG", "GET", "appendonly").texts().toString(),
          "the command line overrides the config file");
      assertEquals("[cluster-node-timeout, 5000]",
          connection.call("CONFIG", "GET", "cluster-node-timeout").texts().toString());
      assertEquals("[dir, " + dir.toRealPath() + "]", connection.call("CONFIG", "GET", "dir").texts().toString());
    }
    node.destroy();
    assertTrue(node.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the node stops on SIGTERM");
    assertFalse(log().contains("\tat "), "no stack trace while running or stopping:\n" + log());
  }

  @Test
  void logfileTakesTheLogLinesRelativeToDir() throws Exception {
    int port = FreePorts.next();
    Path conf = dir.resolve("redis.conf");
    // As Redis's cluster test suite writes it: dir relative to the working directory, logfile relative to dir.
    Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir ./data\nlogfile log.txt\nappendonly no\n");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toAbsolutePath().toString(), conf.toString());
    Process node = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("node.log").toFile()).start();
    started.add(node);
    Await.until("the node answers PING on port " + port, START_TIMEOUT, () -> {
      if (!node.isAlive()) throw new AssertionError("the node exited with " + node.exitValue() + ":\n" + log());
      return answersPing(port);
    });
    Path logfile = dir.resolve("data").resolve("log.txt");
    assertTrue(Files.readString(logfile).contains("Ready to accept connections"), "the log file has the start lines");
    assertFalse(log().contains("Ready to accept connections"), "standard output does not:\n" + log());
  }

  @Test
  void helpAndVersionExitZero() {
    Result help = runJar("--help");
    assertEquals(0, help.exitCode(), help.describe());
    assertTrue(help.stdout().startsWith("Usage: "), help.describe());
    Result version = runJar("--version");
    assertEquals(0, version.exitCode(), version.describe());
    assertEquals("akka-redis-cluster 0.1.0 (redis_version 7.0.15)\n", version.stdout(), version.describe());
  }

  @Test
  void anUnknownSettingExitsOneWithAOneLineMessage() {
    Result result = runJar("--prot", "1");
    assertFailedWithOneLine(result);
    assertTrue(result.stderr().contains("prot"), result.describe());
  }

  @Test
  void aTakenPortExitsOneWithAOneLineMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Result result = runJar(CONFIG.toString(), "--port", Integer.toString(taken.getLocalPort()), "--cluster-port",
          Integer.toString(FreePorts.next()), "--dir", dir.toString(), "--appendonly", "no");
      assertFailedWithOneLine(result);
      assertTrue(result.stderr().contains("Address already in use"), result.describe());
    }
  }

  private static void assertFailedWithOneLine(Result result) {
    assertEquals(1, result.exitCode(), result.describe());
    String stderr = result.stderr().strip();
    assertFalse(stderr.isEmpty(), "a message on stderr: " + result.describe());
    assertEquals(1, stderr.lines().count(), "exactly one line on stderr: " + result.describe());
    assertFalse(result.stdout().contains("\tat ") || result.stdout().contains("Exception"),
        "no stack trace: " + result.describe());
    assertFalse(stderr.contains("Exception"), "no exception class names: " + result.describe());
  }

  private Process startJar(String... args) throws IOException {
    List<String> command = javaJar(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("node.log").toFile()).start();
    started.add(process);
    return process;
  }

  private Result runJar(String... args) {
    return Processes.run(EXIT_TIMEOUT, new byte[0], javaJar(args));
  }

  private static List<String> javaJar(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private String log() {
    try {
      Path log = dir.resolve("node.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static boolean answersPing(int port) {
    try (RespConnection connection = RespConnection.open(port)) {
      return connection.call("PING").text().equals("PONG");
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  private static String field(String info, String name) {
    return info.lines().filter(line -> line.startsWith(name + ":")).findFirst().orElse("(no " + name + ")");
  }
}
