package org.akkaredis.persistence;

/**
 * The CRC-64 Redis puts at the end of an RDB file (its crc64.c): Jones polynomial 0xad93d23594c935a9, reflected
 * input and output, initial value 0, no final xor. crc64("123456789") is 0xe9c6d914c4b8d9ca.
 */
public final class Crc64 {
  /** The Jones polynomial bit-reversed, as a reflected CRC shifts right. */
  private static final long REFLECTED_POLY = Long.reverse(0xad93d23594c935a9L);
  private static final long[] TABLE = new long[256];

  static {
    for (int n = 0; n < 256; n++) {
      long crc = n;
      for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLY : crc >>> 1;
      TABLE[n] = crc;
    }
  }

  private Crc64() {}

  public static long update(long crc, byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) crc = TABLE[(int) ((crc ^ bytes[i]) & 0xff)] ^ (crc >>> 8);
    return crc;
  }
}
