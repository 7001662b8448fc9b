package org.akkaredis;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import com.typesafe.config.ConfigFactory;
import org.akkaredis.config.CommandLine;
import org.akkaredis.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar akka-redis-cluster.jar [config-file] [--name value ...]}, as redis-server takes them. */
public final class Main {
  private Main() {}

  /** Redis's loglevel on logback's root logger (Akka logs through it too), at start and on CONFIG SET. */
  private static void applyLogLevel(String redisLevel) {
    String level = RedisNode.akkaLogLevel(redisLevel);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.toLevel(level.equals("WARNING") ? "WARN" : level));
  }

  /**
   * {@code logfile}: the root logger's lines appended to that file instead of standard output, in the same pattern,
   * and standard output's lines with them ({@link StdoutToLog}). A relative name is relative to {@code dir}, as
   * redis-server opens it after changing to its working directory.
   */
  private static void logToFile(Path file) {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.LoggerContext context = root.getLoggerContext();
    ch.qos.logback.classic.encoder.PatternLayoutEncoder encoder = new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(LogSetup.PATTERN);
    encoder.start();
    ch.qos.logback.core.FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.FileAppender<>();
    appender.setContext(context);
    appender.setName("LOGFILE");
    appender.setFile(file.toAbsolutePath().toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    if (!appender.isStarted()) {
      System.err.println("Can't open the log file: " + file);
      System.exit(1);
    }
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    // As redis-server with a logfile, nothing on standard output: what Akka prints there while the ActorSystem
    // starts or stops (its basic logger, akka.stdout-loglevel) goes to the file too.
    System.setOut(new PrintStream(new StdoutToLog(LoggerFactory.getLogger("akka.stdout")), true,
        StandardCharsets.UTF_8));
  }

  /**
   * Akka's configuration (the reference.conf of akka-actor, -stream and -remote: some 3,000 lines of HOCON to parse
   * and resolve, a second of a cold JVM) is loaded on a thread of its own while the command line is read and the
   * logging set up. ConfigFactory caches it: RedisNode.start takes it from there, or waits for this thread
   * there. A failure is left for RedisNode.start to meet and report.
   */
  private static void loadAkkaConfigMeanwhile() {
    Thread loader = new Thread(() -> {
      try {
        ConfigFactory.load();
      } catch (RuntimeException e) {
        // RedisNode.start loads it again and fails the start with this error
      }
    }, "akka-config");
    loader.setDaemon(true);
    loader.start();
  }

  public static void main(String[] args) {
    loadAkkaConfigMeanwhile();
    // logback starts (LogSetup) while the command line is read, which logs nothing. Nothing may ask SLF4J for a
    // logger before this thread is done: SLF4J hands a concurrent caller substitute loggers while it starts.
    Thread logging = new Thread(LoggerFactory::getILoggerFactory, "logging-setup");
    logging.setDaemon(true);
    logging.start();
    CommandLine commandLine;
    try {
      commandLine = CommandLine.parse(args);
      logging.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    }
    if (commandLine.helpRequested()) {
      System.out.println(CommandLine.usage());
      return;
    }
    if (commandLine.versionRequested()) {
      System.out.println(CommandLine.versionLine());
      return;
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    applyLogLevel(commandLine.settings().loglevel());
    commandLine.settings().addChangeListener((settings, changed) -> {
      if (changed.contains("loglevel")) applyLogLevel(settings.loglevel());
    });
    try {
      // redis-server refuses a missing dir; a fresh checkout's conf/node-700N.conf points at data/700N.
      Files.createDirectories(Path.of(commandLine.settings().dir()));
    } catch (IOException e) {
      System.err.println("Can't create the 'dir' directory " + commandLine.settings().dir() + ": " + e);
      System.exit(1);
      return;
    }
    if (!commandLine.settings().logfile().isEmpty()) {
      logToFile(Path.of(commandLine.settings().dir()).resolve(commandLine.settings().logfile()));
    }
    RedisNode node;
    try {
      node = RedisNode.start(commandLine.settings()).toCompletableFuture().get();
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      log.error("{}", cause.getMessage());
      System.err.println(cause.getMessage());
      System.exit(1);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    log.info("{} started, port {}, mode {}", CommandLine.versionLine(), node.port(),
        commandLine.settings().clusterEnabled() ? "cluster" : "standalone");
    log.info("Ready to accept connections");
    // SIGTERM (and SIGINT): write the AOF out and save as Redis's default shutdown does, then stop. The JVM would
    // exit with 128 + the signal's number after its hooks; Redis exits 0 once it has shut down cleanly.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.shutdown().toCompletableFuture().join();
      Runtime.getRuntime().halt(node.exitCode()); // 1 when a fatal error stopped the node
    }));
    node.whenTerminated().toCompletableFuture().join();
    System.exit(node.exitCode());
  }
}
