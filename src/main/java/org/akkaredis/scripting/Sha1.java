package org.akkaredis.scripting;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Redis's sha1hex: the SHA1 of bytes as 40 lower-case hex digits (script names, redis.sha1hex). */
final class Sha1 {
  private Sha1() {}

  static String hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }
}
