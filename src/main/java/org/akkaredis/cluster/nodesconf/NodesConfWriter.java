package org.akkaredis.cluster.nodesconf;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * Writes nodes.conf so that a crash leaves either the old or the new file, never a torn one: the text goes to a
 * temporary file in the same directory, which is renamed over nodes.conf. A write that must survive a power loss
 * (a vote, an epoch) fsyncs the file before the rename and the directory after it; the others do not, as Redis's
 * clusterSaveConfig without CLUSTER_TODO_FSYNC_CONFIG (every node saves on every slot move it hears of, and 20
 * nodes fsyncing each of them share one disk). Runs on the blocking-I/O dispatcher (spawn it with
 * {@code DispatcherSelector.blocking()}).
 */
public final class NodesConfWriter {

  public sealed interface Command {}

  /** Writes {@code text}, fsynced when {@code durable}; {@code done} gets null, or the error's message. */
  public record Write(String text, boolean durable, CompletableFuture<String> done) implements Command {}

  private NodesConfWriter() {}

  public static Behavior<Command> create(Path file) {
    return Behaviors.receive(Command.class)
        .onMessage(Write.class, write -> {
          String error = null;
          try {
            write(file, write.text(), write.durable());
          } catch (IOException e) {
            error = e.toString();
          }
          if (write.done() != null) write.done().complete(error);
          return Behaviors.same();
        })
        .build();
  }

  public static void write(Path file, String text, boolean durable) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temporary = directory.resolve("temp-" + ProcessHandle.current().pid() + "-" + file.getFileName());
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) channel.write(bytes);
      if (durable) channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (!durable) return;
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /**
   * Claims {@code file} for this node until the returned channel is closed, as Redis's flock on nodes.conf
   * does: two nodes sharing one file would overwrite each other's identity. The lock is taken on
   * "{@code file}.lock" because every write replaces nodes.conf itself by a new file.
   *
   * @throws IOException with Redis's message when another node holds it
   */
  public static FileChannel lock(Path file) throws IOException {
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    Files.createDirectories(lockFile.toAbsolutePath().getParent());
    FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) { // held by another node of this JVM
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("Sorry, the cluster configuration file " + file.getFileName() + " is already used by "
          + "a different Redis Cluster node. Please make sure that different nodes use different cluster "
          + "configuration files.");
    }
    return channel;
  }

  /** The file's text, or null when there is none yet. */
  public static String read(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
