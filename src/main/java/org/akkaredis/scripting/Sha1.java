package org.akkaredis.scripting;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Redis's sha1hex: the SHA1 of bytes as 40 lower-case hex digits (script names, redis.sha1hex). */
final class Sha1 {
  private Sha1() {}

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static String hex(byte[] data) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(data);
      char[] out = new char[40];
      for (int i = 0; i < 20; i++) {
        out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
        out[2 * i + 1] = HEX[digest[i] & 0xf];
      }
      return new String(out);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }
}
