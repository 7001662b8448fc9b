package org.akkaredis.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a program to completion with a timeout, feeding it stdin and collecting both outputs. */
public final class Processes {
  /** What a finished program left behind. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** For assertion messages. */
    public String describe() {
      return String.join(" ", command) + " exited " + exitCode + "\n--- stdout:\n" + cut(stdout) + "\n--- stderr:\n"
          + cut(stderr);
    }

    private static String cut(String text) {
      return text.length() <= 3000 ? text : text.substring(0, 3000) + "... (" + text.length() + " chars)";
    }
  }

  private Processes() {}

  public static Result run(Duration timeout, byte[] stdin, List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + " (is it installed?): " + e.getMessage(), e);
    }
    CompletableFuture<byte[]> stdout = drain(process.getInputStream());
    CompletableFuture<byte[]> stderr = drain(process.getErrorStream());
    CompletableFuture<Void> fed = CompletableFuture.runAsync(() -> feed(process.getOutputStream(), stdin),
        Processes::onOwnThread);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "; stdout so far: "
            + text(stdout.getNow(new byte[0])));
      }
      fed.exceptionally(ignored -> null).join();
      return new Result(List.copyOf(command), process.exitValue(), text(stdout.join()), text(stderr.join()));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  public static Result runWithInput(Duration timeout, String stdin, String... command) {
    return run(timeout, stdin.getBytes(StandardCharsets.UTF_8), List.of(command));
  }

  public static Result run(Duration timeout, String... command) {
    return run(timeout, new byte[0], List.of(command));
  }

  /** Collects a stream to its end on another thread, so that a chatty program never blocks on a full pipe. */
  public static CompletableFuture<byte[]> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Processes::onOwnThread);
  }

  /** Pipe I/O blocks; it gets threads of its own instead of the (possibly one-thread) common pool. */
  private static void onOwnThread(Runnable runnable) {
    Thread thread = new Thread(runnable, "process-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  private static void feed(OutputStream stdin, byte[] bytes) {
    try (stdin) {
      stdin.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the program exited before reading everything; its output tells why
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** {@code redis-cli} with these arguments. */
  public static List<String> redisCli(String... args) {
    List<String> command = new ArrayList<>();
    command.add("redis-cli");
    command.addAll(List.of(args));
    return command;
  }
}
