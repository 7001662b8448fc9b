package org.akkaredis.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The node's only ACL user, Redis 7.0's "default", whose password is requirepass (none: any password, "nopass").
 * AUTH, HELLO AUTH and a replica's sync request (its masteruser / masterauth) are all checked here, so that a
 * sync authenticates exactly as a client would.
 */
public final class DefaultUser {
  private DefaultUser() {}

  public static final String NAME = "default";
  private static final byte[] NAME_BYTES = NAME.getBytes(StandardCharsets.US_ASCII);

  /** Redis 7.0's replies, without the leading '-'. */
  public static final String NOAUTH = "NOAUTH Authentication required.";
  public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
  public static final String AUTH_WITHOUT_PASSWORD = "ERR AUTH <password> called without any password "
      + "configured for the default user. Are you sure your configuration is correct?";

  /** Whether a client starts authenticated: the default user has no password. */
  public static boolean noPassword(Settings settings) {
    return settings.requirepass().isEmpty();
  }

  /** AUTH user password: any password while requirepass is empty, else exactly requirepass; names are case-sensitive. */
  public static boolean accepts(Settings settings, byte[] user, byte[] password) {
    if (!Arrays.equals(user, NAME_BYTES)) return false;
    String requirepass = settings.requirepass();
    if (requirepass.isEmpty()) return true;
    return MessageDigest.isEqual(password, requirepass.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * What a master answers a replica whose link authenticates with {@code masteruser} / {@code masterauth} (either
   * "" when not set), as Redis's replica handshake meets it: null when the replica may sync; else the error reply
   * that stops it — AUTH's reply when the replica sent AUTH (it has a masterauth), else the NOAUTH that its PSYNC
   * and SYNC get.
   */
  public static String syncRefusal(Settings settings, String masteruser, String masterauth) {
    if (masterauth.isEmpty()) return noPassword(settings) ? null : NOAUTH;
    byte[] password = masterauth.getBytes(StandardCharsets.UTF_8);
    if (masteruser.isEmpty()) {
      // AUTH <password>, as a replica without masteruser sends it.
      if (noPassword(settings)) return AUTH_WITHOUT_PASSWORD;
      return accepts(settings, NAME_BYTES, password) ? null : WRONGPASS;
    }
    return accepts(settings, masteruser.getBytes(StandardCharsets.UTF_8), password) ? null : WRONGPASS;
  }
}
