package org.akkaredis.replication;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.akkaredis.persistence.RdbWriter;

/**
 * The data as a SYNC client gets it, as Redis's disk-based full sync sends it: {@code $<length>\r\n} and the RDB
 * file's bytes, with no CRLF after them (the replication stream follows at once). Cut into pieces of at most a
 * given size, so the connection's queue takes it a piece at a time.
 */
final class RdbBulk {
  private RdbBulk() {}

  /** The bulk of an RDB made of {@code ranges}' parts (per range, one part per database), in pieces. */
  static List<byte[]> of(RdbWriter.Aux aux, List<RdbWriter.Part[]> ranges, int maxPieceBytes) {
    List<List<RdbWriter.Part>> parts = RdbWriter.byDatabase(ranges);
    ByteArrayOutputStream rdb = new ByteArrayOutputStream();
    try {
      RdbWriter.write(rdb, aux, parts);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    byte[] file = rdb.toByteArray();
    List<byte[]> pieces = new ArrayList<>(file.length / maxPieceBytes + 2);
    pieces.add(("$" + file.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (int from = 0; from < file.length; from += maxPieceBytes) {
      pieces.add(Arrays.copyOfRange(file, from, Math.min(file.length, from + maxPieceBytes)));
    }
    return pieces;
  }
}
