package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.keyspace.SlotRouting;
import org.junit.jupiter.api.Test;

class RdbWriterTest {
  private static final long NOW = 1_700_000_000_000L;

  @Test
  void crc64MatchesRedisCheckValue() {
    // crc64.c's own test: crc64(0, "123456789") == 0xe9c6d914c4b8d9ca.
    byte[] vector = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xe9c6d914c4b8d9caL, Crc64.update(0, vector, 0, vector.length));
  }

  @Test
  void crc64CanBeComputedInPieces() {
    byte[] vector = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(Crc64.update(0, vector, 0, 9), Crc64.update(Crc64.update(0, vector, 0, 4), vector, 4, 5));
  }

  @Test
  void lengthsUseTheShortestOfSixFourteenThirtyTwoAndSixtyFourBits() {
    assertEquals("00", length(0));
    assertEquals("3f", length(63));
    assertEquals("4040", length(64));
    assertEquals("7fff", length(16383));
    assertEquals("8000004000", length(16384));
    assertEquals("80ffffffff", length(0xffffffffL));
    assertEquals("810000000100000000", length(0x100000000L));
  }

  @Test
  void integerTextIsStoredAsAnIntegerAndEverythingElseAsBytes() {
    assertEquals("c00c", string("12"));
    assertEquals("c0ff", string("-1"));
    assertEquals("c12c01", string("300"));
    assertEquals("c270110100", string("70000"));
    assertEquals("c200000080", string("-2147483648"));
    assertEquals("0a32313437343833363438", string("2147483648"));
    assertEquals("03303132", string("012"));
    assertEquals("022d30", string("-0"));
    assertEquals("00", string(""));
    assertEquals("03616263", string("abc"));
  }

  @Test
  void aFileIsHeaderAuxDatabasesEofAndTheCrcOfAllBefore() throws IOException {
    RangeState range = range(2);
    Entry k = range.db(1).put(Key.of("k"), bytes("v"));
    range.db(1).expireAt(k, NOW + 5000);
    byte[] file = file(range);

    assertEquals("REDIS0010", new String(file, 0, 9, StandardCharsets.US_ASCII));
    String hex = HexFormat.of().formatHex(file);
    String expiry = HexFormat.of().formatHex(littleEndian(NOW + 5000));
    // SELECTDB 1, RESIZEDB 1 key 1 expire, EXPIRETIME_MS, a string "k" = "v", EOF; database 0 is empty: absent.
    String tail = "fe01" + "fb0101" + "fc" + expiry + "00" + "016b" + "0176" + "ff";
    assertEquals(tail, hex.substring(hex.length() - 16 - tail.length(), hex.length() - 16));
    assertEquals(1, hex.split("fe0", -1).length - 1, "one SELECTDB");
    long crc = Crc64.update(0, file, 0, file.length - 8);
    assertArrayEquals(littleEndian(crc), Arrays.copyOfRange(file, file.length - 8, file.length));
  }

  @Test
  void auxFieldsAreThoseRedisSevenWrites() throws IOException {
    String hex = HexFormat.of().formatHex(file(range(1)));
    // aux opcode fa, then key and value strings; integers in Redis's integer encoding; then EOF (no keys).
    String expected = HexFormat.of().formatHex(bytes("REDIS0010"))
        + "fa" + "09" + hexOf("redis-ver") + "06" + hexOf("7.0.15")
        + "fa" + "0a" + hexOf("redis-bits") + "c040"
        + "fa" + "05" + hexOf("ctime") + "c2" + HexFormat.of().formatHex(littleEndianInt(1_700_000_000))
        + "fa" + "08" + hexOf("used-mem") + "c2" + HexFormat.of().formatHex(littleEndianInt(1_000_000))
        + "fa" + "08" + hexOf("aof-base") + "c000"
        + "ff";
    assertEquals(expected, hex.substring(0, hex.length() - 16));
  }

  private static String hexOf(String text) {
    return HexFormat.of().formatHex(bytes(text));
  }

  @Test
  void aFullSyncsChunksAreSmallRdbsAndAValueTooBigForOneGoesAsCommands() throws IOException {
    RangeState range = range(1);
    for (int i = 0; i < 20; i++) range.db(0).put(Key.of("key:" + i), bytes("value-" + i));
    RedisList big = new RedisList();
    for (int i = 0; i < 300; i++) big.push(false, bytes("element-" + i));
    range.db(0).put(Key.of("big"), big);
    List<byte[]> chunks = new java.util.ArrayList<>();
    RdbWriter.chunksOf(range, 200, chunks::add);
    List<String> commands = new java.util.ArrayList<>();
    int rdbChunks = 0;
    for (byte[] chunk : chunks) {
      assertTrue(chunk.length < 1000, "a chunk stays near the size asked for: " + chunk.length);
      List<byte[][]> decoded = DataLoader.commandsOfRdb(chunk);
      if (decoded == null) {
        commands.add(new String(chunk, StandardCharsets.US_ASCII).startsWith("*") ? "commands" : "?");
        continue;
      }
      rdbChunks++;
      for (byte[][] command : decoded) {
        commands.add(new String(command[0], StandardCharsets.US_ASCII) + " " + new String(command[1],
            StandardCharsets.US_ASCII));
      }
    }
    assertTrue(rdbChunks > 1, "the small keys fill several RDB chunks");
    for (int i = 0; i < 20; i++) assertTrue(commands.contains("SET key:" + i), "key:" + i + " in " + commands);
    assertTrue(commands.contains("commands"), "the big list as RPUSH commands");
    assertFalse(commands.contains("RPUSH big"), "not as one RDB record");
  }

  @Test
  void eachTypeHasItsPlainEncoding() {
    RangeState range = range(1);
    RedisList list = new RedisList();
    list.push(false, bytes("a"));
    list.push(false, bytes("b"));
    range.db(0).put(Key.of("l"), list);
    RedisSet set = new RedisSet();
    set.add(Key.of("m"), false, 512);
    range.db(0).put(Key.of("s"), set);
    RedisHash hash = new RedisHash();
    hash.fields.put(Key.of("f"), bytes("v"));
    range.db(0).put(Key.of("h"), hash);
    RedisZSet zset = new RedisZSet(128, 64, 1);
    zset.put(Key.of("x"), 1.5, 128, 64);
    zset.put(Key.of("y"), 2.5, 128, 64);
    range.db(0).put(Key.of("z"), zset);

    assertEquals("01016c" + "02" + "0161" + "0162", HexFormat.of().formatHex(keyOf(range, "l")));
    assertEquals("020173" + "01" + "016d", HexFormat.of().formatHex(keyOf(range, "s")));
    assertEquals("040168" + "01" + "0166" + "0176", HexFormat.of().formatHex(keyOf(range, "h")));
    // Highest score first; scores as little-endian IEEE doubles.
    assertEquals("05017a" + "02" + "0179" + "0000000000000440" + "0178" + "000000000000f83f",
        HexFormat.of().formatHex(keyOf(range, "z")));
    RdbWriter.Part part = RdbWriter.keysOf(range, 0);
    assertEquals(4, part.keys());
    assertEquals(0, part.expires());
  }

  /** As Redis's rdbSave (checked against 7.0.15): a key whose time has passed is written too; the loader decides. */
  @Test
  void keysWhoseTimeHasPassedAreWrittenToo() throws IOException {
    RangeState range = range(1);
    Entry gone = range.db(0).put(Key.of("gone"), bytes("x"));
    range.db(0).expireAt(gone, NOW - 1);
    range.db(0).put(Key.of("kept"), bytes("y"));
    RdbWriter.Part part = RdbWriter.keysOf(range, 0);
    assertEquals(2, part.keys());
    assertEquals(1, part.expires());
    List<byte[]> chunks = new java.util.ArrayList<>();
    RdbWriter.chunksOf(range, 1 << 16, chunks::add);
    assertEquals(1, chunks.size());
    List<String> sets = DataLoader.commandsOfRdb(chunks.get(0)).stream()
        .filter(c -> new String(c[0], StandardCharsets.US_ASCII).equals("SET"))
        .map(c -> new String(c[1], StandardCharsets.US_ASCII)).sorted().toList();
    assertEquals(List.of("gone", "kept"), sets, "a replica's full sync carries it");
  }

  private static RangeState range(int databases) {
    return new RangeState(0, 0, 16383, databases, Settings.defaults(), () -> NOW, SlotRouting::standalone);
  }

  private static byte[] file(RangeState range) throws IOException {
    List<List<RdbWriter.Part>> parts = new java.util.ArrayList<>();
    for (int db = 0; db < range.databases(); db++) parts.add(List.of(RdbWriter.keysOf(range, db)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbWriter.write(out, new RdbWriter.Aux("7.0.15", 1_700_000_000, 1_000_000, false), parts);
    return out.toByteArray();
  }

  /** The record of one key, written alone. */
  private static byte[] keyOf(RangeState range, String key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbWriter.writeKey(out, range.db(0).peek(Key.of(key)));
    return out.toByteArray();
  }

  private static String length(long length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbWriter.writeLength(out, length);
    return HexFormat.of().formatHex(out.toByteArray());
  }

  private static String string(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbWriter.writeString(out, bytes(text));
    return HexFormat.of().formatHex(out.toByteArray());
  }

  private static byte[] littleEndian(long value) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) b[i] = (byte) (value >>> (8 * i));
    return b;
  }

  private static byte[] littleEndianInt(int value) {
    return Arrays.copyOf(littleEndian(value), 4);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
