package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An RDB's expired keys at load, as Redis's rdbLoad: a master leaves out a key whose time is before now, a replica
 * (nodes.conf says so) keeps every key, since only its master's DEL may remove one.
 */
class DataLoaderTest {
  private static final long NOW = 1_700_000_000_000L;

  @TempDir Path dir;

  /** "gone" expired a second ago, "due" expires at this very ms, "later" in 5 s, "kept" has no TTL. */
  private Path dump() throws IOException {
    RangeState range = new RangeState(0, 0, 16383, 1, Settings.defaults(), () -> NOW, SlotRouting::standalone);
    range.db(0).expireAt(range.db(0).put(Key.of("gone"), bytes("1")), NOW - 1000);
    range.db(0).expireAt(range.db(0).put(Key.of("due"), bytes("2")), NOW);
    range.db(0).expireAt(range.db(0).put(Key.of("later"), bytes("3")), NOW + 5000);
    range.db(0).put(Key.of("kept"), bytes("4"));
    Path file = dir.resolve("dump.rdb");
    try (OutputStream out = Files.newOutputStream(file)) {
      RdbWriter.write(out, new RdbWriter.Aux("7.0.15", NOW / 1000, 1_000_000, false),
          List.of(List.of(RdbWriter.keysOf(range, 0))));
    }
    return file;
  }

  @Test
  void aMasterLeavesOutTheKeysWhoseTimeIsBeforeNow() throws IOException {
    List<String> keys = new ArrayList<>();
    SaveStatus saved = new SaveStatus(NOW);
    DataLoader.loadRdb(Settings.defaults(), dump(), args -> keys.add(setKey(args)), new LoadStatus(), saved, NOW,
        true);
    assertEquals(List.of("due", "kept", "later"), keys.stream().filter(k -> k != null).sorted().toList());
    assertEquals(3, saved.loadKeysLoaded);
    assertEquals(1, saved.loadKeysExpired);
  }

  @Test
  void aReplicaLoadsEveryKeyWithItsTime() throws IOException {
    List<byte[][]> commands = new ArrayList<>();
    SaveStatus saved = new SaveStatus(NOW);
    DataLoader.loadRdb(Settings.defaults(), dump(), commands::add, new LoadStatus(), saved, NOW, false);
    assertEquals(List.of("due", "gone", "kept", "later"),
        commands.stream().map(DataLoaderTest::setKey).filter(k -> k != null).sorted().toList());
    assertEquals(List.of("SET", "gone", "1", "PXAT", Long.toString(NOW - 1000)), commands.stream()
        .filter(c -> "gone".equals(setKey(c))).map(DataLoaderTest::texts).findFirst().orElseThrow());
    assertEquals(4, saved.loadKeysLoaded);
    assertEquals(0, saved.loadKeysExpired);
  }

  @Test
  void debugReloadOnAMasterLeavesOutTheExpiredKeysAsTheStartDoes() throws IOException {
    byte[] bytes = Files.readAllBytes(dump());
    assertEquals(List.of("due", "kept", "later"), DataLoader.commandsOfSnapshot(bytes, true, NOW).stream()
        .map(DataLoaderTest::setKey).filter(k -> k != null).sorted().toList());
    assertEquals(4, DataLoader.commandsOfSnapshot(bytes, false, NOW).stream()
        .map(DataLoaderTest::setKey).filter(k -> k != null).count());
    assertNull(DataLoader.commandsOfSnapshot(bytes("*1\r\n$4\r\nPING\r\n"), true, NOW), "no RDB");
  }

  @Test
  void noFileLoadsNothing() throws IOException {
    List<byte[][]> commands = new ArrayList<>();
    assertFalse(DataLoader.loadRdb(Settings.defaults(), dir.resolve("none.rdb"), commands::add,
        new LoadStatus(), new SaveStatus(NOW), NOW, true));
    assertEquals(List.of(), commands);
  }

  /** The key of a SET command, null for any other. */
  private static String setKey(byte[][] args) {
    return new String(args[0], StandardCharsets.US_ASCII).equals("SET")
        ? new String(args[1], StandardCharsets.US_ASCII) : null;
  }

  private static List<String> texts(byte[][] args) {
    return Arrays.stream(args).map(a -> new String(a, StandardCharsets.US_ASCII)).toList();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
