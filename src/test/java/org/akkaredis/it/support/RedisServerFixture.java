package org.akkaredis.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian's package, 7.0) on a free port of 127.0.0.1 with persistence off, for
 * differential tests. A missing redis-server fails the test: CI installs it, so its absence is a broken
 * environment, not a reason to skip.
 */
public final class RedisServerFixture implements RedisEndpoint {
  public static final String EXPECTED_VERSION_PREFIX = "7.0.";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final int port;
  private final Path dir;
  private final String version;
  private final int busPort;

  private RedisServerFixture(Process process, int port, Path dir, String version, int busPort) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.version = version;
    this.busPort = busPort;
  }

  public static RedisServerFixture standalone() {
    return start(false, Map.of());
  }

  /** With cluster-enabled yes and no slots yet (see {@link #assignAllSlots}). */
  public static RedisServerFixture cluster() {
    return start(true, Map.of());
  }

  /** {@code overrides} are settings as on redis-server's command line (name without "--"). */
  public static RedisServerFixture start(boolean cluster, Map<String, String> overrides) {
    String executable = executable();
    Path dir = TempDirs.create("redis-server-");
    int port = FreePorts.next();
    List<String> command = new ArrayList<>(List.of(executable, "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
        "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
    int busPort = cluster ? FreePorts.next() : 0;
    if (cluster) {
      command.addAll(List.of("--cluster-enabled", "yes", "--cluster-port", Integer.toString(busPort),
          "--cluster-config-file", dir.resolve("nodes.conf").toString()));
    }
    overrides.forEach((name, value) -> command.addAll(List.of("--" + name, value)));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    } catch (IOException e) {
      TempDirs.delete(dir);
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    }
    RedisServerFixture server = new RedisServerFixture(process, port, dir, null, busPort);
    String password = overrides.getOrDefault("requirepass", "");
    try {
      Await.until("redis-server on port " + port + " answers PING", START_TIMEOUT, () -> {
        if (!process.isAlive()) {
          throw new AssertionError("redis-server exited with " + process.exitValue() + ":\n" + server.log());
        }
        return answersPing(port);
      }, server::log);
      String version = serverVersion(port, password);
      if (!version.startsWith(EXPECTED_VERSION_PREFIX)) {
        throw new AssertionError("the differential tests need redis-server " + EXPECTED_VERSION_PREFIX
            + "x, found " + version);
      }
      return new RedisServerFixture(process, port, dir, version, busPort);
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /** The redis-server on PATH; fails clearly when there is none. */
  private static String executable() {
    try {
      Process probe = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      if (!probe.waitFor(10, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        throw new AssertionError("'redis-server --version' failed; these tests need Debian's redis-server 7.0");
      }
      return "redis-server";
    } catch (IOException e) {
      throw new AssertionError("redis-server is not installed (not on PATH): these tests compare against a real "
          + "Redis 7.0; install it with 'apt-get install redis-server' (CI does)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while probing redis-server", e);
    }
  }

  private static boolean answersPing(int port) {
    try (RespConnection connection = RespConnection.open(port)) {
      String reply = connection.call("PING").escaped(20);
      return reply.equals("+PONG\\r\\n") || reply.startsWith("-NOAUTH");
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  private static String serverVersion(int port, String password) {
    try (RespConnection connection = RespConnection.open(port)) {
      if (!password.isEmpty()) connection.call("AUTH", password);
      for (String line : connection.call("INFO", "server").text().split("\r\n")) {
        if (line.startsWith("redis_version:")) return line.substring("redis_version:".length());
      }
      return "unknown";
    }
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public int busPort() {
    return busPort;
  }

  @Override
  public String describe() {
    return "redis-server " + version + " :" + port;
  }

  private String log() {
    try {
      Path log = dir.resolve("redis.log");
      Path stdout = dir.resolve("stdout.log");
      return (Files.exists(stdout) ? Files.readString(stdout) : "") + (Files.exists(log) ? Files.readString(log) : "");
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      TempDirs.delete(dir);
    }
  }
}
