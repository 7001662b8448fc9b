package org.akkaredis.it.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * A disk whose writes succeed and whose fsync fails: an ext4 filesystem on a loop device whose image is a sparse
 * file on a small tmpfs ({@link SmallDisk}). Once {@link #fill} has taken the tmpfs's free space, a write() still
 * lands in the page cache, but the writeback an fsync starts cannot allocate the image's new blocks: the loop
 * device fails the I/O and fsync returns the error (ENOSPC or EIO, as the kernel reports it). Device-mapper's error
 * and flakey targets would be more direct, but kernels without device-mapper (this one) cannot use them. Needs root,
 * losetup and mkfs.ext4; where any step is not possible the test is skipped, saying which.
 */
public final class FailingFsyncDisk implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final SmallDisk backing;
  private final String loop;
  private final Path dir;

  private FailingFsyncDisk(SmallDisk backing, String loop, Path dir) {
    this.backing = backing;
    this.loop = loop;
    this.dir = dir;
  }

  /** {@code backingBytes} of tmpfs under an image of {@code imageBytes} (sparse: only written blocks take room). */
  public static FailingFsyncDisk mount(String prefix, long backingBytes, long imageBytes) {
    SmallDisk backing = SmallDisk.mount(prefix + "back-", backingBytes);
    Path image = backing.dir().resolve("disk.img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(imageBytes);
    } catch (IOException e) {
      backing.close();
      throw new UncheckedIOException(e);
    }
    Processes.Result attached = Processes.run(TIMEOUT, "losetup", "-f", "--show", image.toString());
    if (attached.exitCode() != 0) backing.close();
    Assumptions.assumeTrue(attached.exitCode() == 0, "A failing fsync needs a loop device, and attaching one is "
        + "not possible here: " + attached.describe());
    String loop = attached.stdout().trim();
    Path dir = TempDirs.create(prefix);
    Processes.Result made = Processes.run(TIMEOUT, "mkfs.ext4", "-q", "-F", loop);
    Processes.Result mounted = made.exitCode() == 0
        ? Processes.run(TIMEOUT, "mount", "-t", "ext4", loop, dir.toString()) : made;
    if (mounted.exitCode() != 0) {
      Processes.run(TIMEOUT, "losetup", "-d", loop);
      TempDirs.delete(dir);
      backing.close();
    }
    Assumptions.assumeTrue(mounted.exitCode() == 0, "A failing fsync needs an ext4 filesystem on a loop device, "
        + "and making or mounting one is not possible here: " + mounted.describe());
    return new FailingFsyncDisk(backing, loop, dir);
  }

  /** Where the failing filesystem is mounted. */
  public Path dir() {
    return dir;
  }

  /** Takes the image's room away: from now on an fsync that must write new blocks fails. */
  public void fill() {
    backing.fill();
  }

  /** Gives the room back. */
  public void free() {
    backing.free();
  }

  @Override
  public void close() {
    Processes.Result unmounted = Processes.run(TIMEOUT, "umount", "-l", dir.toString());
    Processes.Result detached = Processes.run(TIMEOUT, "losetup", "-d", loop);
    TempDirs.delete(dir);
    backing.close();
    if (unmounted.exitCode() != 0 || detached.exitCode() != 0) {
      throw new IllegalStateException("cannot release the disk: " + unmounted.describe() + " " + detached.describe());
    }
  }
}
