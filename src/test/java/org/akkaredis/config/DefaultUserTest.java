package org.akkaredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultUserTest {
  private static final Settings NO_PASSWORD = Settings.defaults();

  private static Settings withPassword(String password) throws ConfigException {
    return Settings.defaults().withOverrides(Map.of("requirepass", password));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void authAcceptsTheDefaultUserWithRequirepassOnly() throws ConfigException {
    Settings secret = withPassword("secret");
    assertTrue(DefaultUser.accepts(secret, bytes("default"), bytes("secret")));
    assertFalse(DefaultUser.accepts(secret, bytes("default"), bytes("Secret")));
    assertFalse(DefaultUser.accepts(secret, bytes("Default"), bytes("secret")), "user names are case-sensitive");
    assertTrue(DefaultUser.accepts(NO_PASSWORD, bytes("default"), bytes("anything")), "nopass");
    assertFalse(DefaultUser.accepts(NO_PASSWORD, bytes("bob"), bytes("anything")));
  }

  /** What redis-server 7.0.15 answers a replica's handshake, for each masteruser / masterauth it may have. */
  @Test
  void aSyncIsRefusedAsRedisRefusesTheReplicasHandshake() throws ConfigException {
    Settings secret = withPassword("secret");
    assertNull(DefaultUser.syncRefusal(secret, "", "secret"));
    assertNull(DefaultUser.syncRefusal(secret, "default", "secret"));
    assertEquals(DefaultUser.NOAUTH, DefaultUser.syncRefusal(secret, "", ""), "no masterauth");
    assertEquals(DefaultUser.WRONGPASS, DefaultUser.syncRefusal(secret, "", "wrong"));
    assertEquals(DefaultUser.WRONGPASS, DefaultUser.syncRefusal(secret, "bob", "secret"), "no such user");

    assertNull(DefaultUser.syncRefusal(NO_PASSWORD, "", ""));
    assertNull(DefaultUser.syncRefusal(NO_PASSWORD, "default", "any"), "AUTH default any: nopass accepts it");
    assertEquals(DefaultUser.AUTH_WITHOUT_PASSWORD, DefaultUser.syncRefusal(NO_PASSWORD, "", "any"),
        "AUTH <password> to a master without a password");
  }
}
