package org.akkaredis.persistence;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Function libraries in the RDB encoding: each library an RDB_OPCODE_FUNCTION2 record with its code (rdbSaveFunctions,
 * which the RDB file and the AOF's RDB preamble carry before the databases), and FUNCTION DUMP's payload, those
 * records followed by the RDB version and the CRC-64 as a key's DUMP payload ends (functionDumpCommand).
 */
public final class FunctionPayload {
  static final int OPCODE_FUNCTION2 = 0xF5;

  private FunctionPayload() {}

  /** The libraries' records; {@code compress}: rdbcompression, strings over 20 bytes LZF-compressed as Redis's. */
  public static byte[] records(List<byte[]> codes, boolean compress) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] code : codes) {
      out.write(OPCODE_FUNCTION2);
      if (compress) {
        RdbWriter.writeCompressibleString(out, code);
      } else {
        RdbWriter.writeString(out, code);
      }
    }
    return out.toByteArray();
  }

  /** FUNCTION DUMP's payload of the libraries. */
  public static byte[] dump(List<byte[]> codes, boolean compress) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(records(codes, compress));
    out.write(DumpPayload.RDB_VERSION & 0xFF);
    out.write(DumpPayload.RDB_VERSION >>> 8 & 0xFF);
    byte[] body = out.toByteArray();
    RdbWriter.writeLongLittleEndian(out, Crc64.update(0, body, 0, body.length));
    return out.toByteArray();
  }

  /**
   * The codes a FUNCTION RESTORE payload holds, or the error text Redis answers (without "ERR "): the version and
   * checksum first, then each record.
   */
  public static Result restore(byte[] payload) {
    if (!DumpPayload.versionAndChecksumOk(payload)) {
      return new Result(null, "DUMP payload version or checksum are wrong");
    }
    try {
      return new Result(RdbReader.readLibraries(payload), null);
    } catch (RdbReader.RdbFormatException e) {
      return new Result(null, e.getMessage());
    }
  }

  /** The libraries' codes, or the error text. */
  public record Result(List<byte[]> codes, String error) {}
}
