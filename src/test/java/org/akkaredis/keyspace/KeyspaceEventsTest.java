package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;

class KeyspaceEventsTest {
  private final List<String> published = new ArrayList<>();
  private final KeyspaceEvents events = new KeyspaceEvents();

  KeyspaceEventsTest() {
    events.sink((channel, message) -> published.add(text(channel) + " " + text(message)));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private void follow(String setting) {
    Settings settings = Settings.defaults();
    assertEquals(null, settings.set(List.of("notify-keyspace-events", setting)));
    events.bind(settings);
  }

  @Test
  void keyspaceAndKeyeventMessagesAsRedisNamesThem() {
    follow("KEA");
    events.notify(KeyspaceEvents.GENERIC, "rename_from", "a:b".getBytes(StandardCharsets.ISO_8859_1), 3);
    assertEquals(List.of("__keyspace@3__:a:b rename_from", "__keyevent@3__:rename_from a:b"), published);
  }

  @Test
  void onlyTheEnabledClassesAndChannelKinds() {
    follow("Kl");
    events.notify(KeyspaceEvents.GENERIC, "del", new byte[] {'k'}, 0);
    events.notify(KeyspaceEvents.LIST, "lpush", new byte[] {'k'}, 0);
    assertEquals(List.of("__keyspace@0__:k lpush"), published);
    assertFalse(events.enabled(KeyspaceEvents.NEW), "A does not hold n, and Kl neither");
  }

  @Test
  void classesWithoutKOrEPublishNothing() {
    follow("A");
    assertFalse(events.enabled(KeyspaceEvents.GENERIC));
    events.notify(KeyspaceEvents.GENERIC, "del", new byte[] {'k'}, 0);
    assertEquals(List.of(), published);
  }

  @Test
  void followsConfigSetOfTheSetting() {
    Settings settings = Settings.defaults();
    events.bind(settings);
    assertFalse(events.enabled(KeyspaceEvents.KEY_MISS));
    assertEquals(null, settings.set(List.of("notify-keyspace-events", "Em")));
    assertTrue(events.enabled(KeyspaceEvents.KEY_MISS));
    assertEquals(null, settings.set(List.of("notify-keyspace-events", "")));
    assertFalse(events.enabled(KeyspaceEvents.KEY_MISS));
  }

  @Test
  void theSettingsBitsAreRedisNotifyBits() {
    String[] letters = {"K", "E", "g", "$", "l", "s", "h", "z", "x", "e", "t", "m", "n"};
    int[] bits = {KeyspaceEvents.KEYSPACE, KeyspaceEvents.KEYEVENT, KeyspaceEvents.GENERIC, KeyspaceEvents.STRING,
        KeyspaceEvents.LIST, KeyspaceEvents.SET, KeyspaceEvents.HASH, KeyspaceEvents.ZSET, KeyspaceEvents.EXPIRED,
        KeyspaceEvents.EVICTED, KeyspaceEvents.STREAM, KeyspaceEvents.KEY_MISS, KeyspaceEvents.NEW};
    for (int i = 0; i < letters.length; i++) {
      Settings settings = Settings.defaults();
      settings.set(List.of("notify-keyspace-events", letters[i]));
      assertEquals(bits[i], settings.notifyKeyspaceEvents(), letters[i]);
    }
  }
}
