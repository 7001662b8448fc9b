package org.akkaredis.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * A real small disk for tests of full-disk behaviour: a tmpfs of a given size mounted on a temp directory (the
 * tests run as root; where mounting is not allowed the test is skipped, saying why). {@link #fill} takes every free
 * byte, {@link #free} gives it back.
 */
public final class SmallDisk implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final Path dir;
  private final Path filler;

  private SmallDisk(Path dir) {
    this.dir = dir;
    this.filler = dir.resolve("filler");
  }

  /** Mounts a tmpfs of {@code bytes} (rounded up to pages by the kernel); skips the test if that is not possible. */
  public static SmallDisk mount(String prefix, long bytes) {
    Path dir = TempDirs.create(prefix);
    Processes.Result mounted = Processes.run(TIMEOUT, "mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs",
        dir.toString());
    if (mounted.exitCode() != 0) TempDirs.delete(dir);
    Assumptions.assumeTrue(mounted.exitCode() == 0, "A full disk needs a small tmpfs, and mounting one is not "
        + "possible here (the tests must run as root with CAP_SYS_ADMIN): " + mounted.describe());
    return new SmallDisk(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Writes a filler file until the disk is full (ENOSPC); returns its size. */
  public long fill() {
    long written = 0;
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        written += block.length;
        out.flush();
      }
    } catch (IOException full) {
      // ENOSPC: the disk is full (the stream's close may fail the same way)
    }
    if (written == 0 && !Files.exists(filler)) throw new IllegalStateException("could not write the filler file");
    return written;
  }

  /** Gives back what {@link #fill} took. */
  public void free() {
    try {
      Files.deleteIfExists(filler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    Processes.Result unmounted = Processes.run(TIMEOUT, "umount", "-l", dir.toString());
    if (unmounted.exitCode() != 0) throw new IllegalStateException("cannot unmount: " + unmounted.describe());
    TempDirs.delete(dir);
  }
}
