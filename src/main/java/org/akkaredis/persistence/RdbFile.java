package org.akkaredis.persistence;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.akkaredis.keyspace.RangeState;

/** Writes a snapshot file as Redis's rdbSave does: into temp-&lt;pid&gt;.rdb in the same directory, fsync, rename. */
public final class RdbFile {
  private RdbFile() {}

  /** Writes the data of {@code ranges} (every range of the node, held by the caller) to {@code file}. */
  public static void save(Path file, RangeState[] ranges, RdbWriter.Aux aux) throws IOException {
    List<RdbWriter.Part[]> parts = new ArrayList<>(ranges.length);
    List<byte[]> libraries = new ArrayList<>();
    for (RangeState range : ranges) {
      parts.add(RdbWriter.partsOf(range));
      libraries.addAll(range.libraryCodes());
    }
    save(file, parts, libraries, aux);
  }

  /**
   * Writes {@code parts} (per range, each per database, as {@link RdbWriter#partsOf} gives them) and the function
   * libraries' {@code codes} to {@code file}.
   */
  public static void save(Path file, List<RdbWriter.Part[]> ranges, List<byte[]> codes, RdbWriter.Aux aux)
      throws IOException {
    List<List<RdbWriter.Part>> parts = RdbWriter.byDatabase(ranges);
    Path dir = file.toAbsolutePath().getParent();
    Path temp = dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      RdbWriter.write(out, aux, FunctionPayload.records(codes, false), parts);
      out.flush();
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    // The rename is atomic: a reader sees the old file or the new one, never half of one.
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
