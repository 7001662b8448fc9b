package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SlotsTest {
  private static int slot(String key) {
    return Slots.slotOf(key.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void crc16IsXmodem() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0x31C3, Slots.crc16(check, 0, check.length));
  }

  @Test
  void slotsMatchRedis() {
    assertEquals(5798, slot("name"));
    assertEquals(12182, slot("foo"));
    assertEquals(5061, slot("bar"));
    assertEquals(866, slot("hello"));
    assertEquals(0, slot(""));
    assertEquals(0, slot("06S"));
    assertEquals(1, slot("Qi"));
  }

  @Test
  void hashTagsFollowRedisRules() {
    assertEquals(slot("{user1}.a"), slot("{user1}.b"));
    assertEquals(slot("user1"), slot("{user1}.a"));
    assertEquals(3443, slot("{user1000}.following"));
    assertEquals(8363, slot("foo{}{bar}"));
    assertEquals(4015, slot("foo{{bar}}zap"));
    assertEquals(5061, slot("foo{bar}{zap}"));
    assertEquals(5980, slot("{}abc"));
  }
}
