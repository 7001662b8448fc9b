package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.RedisHash;
import org.akkaredis.keyspace.RedisList;
import org.akkaredis.keyspace.RedisSet;
import org.akkaredis.keyspace.RedisZSet;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.persistence.RdbReader.HashValue;
import org.akkaredis.persistence.RdbReader.ListValue;
import org.akkaredis.persistence.RdbReader.RdbFormatException;
import org.akkaredis.persistence.RdbReader.SetValue;
import org.akkaredis.persistence.RdbReader.StringValue;
import org.akkaredis.persistence.RdbReader.Value;
import org.akkaredis.persistence.RdbReader.ZSetValue;
import org.junit.jupiter.api.Test;

class RdbReaderTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final byte[] AFTER_THE_RDB = bytes("*1\r\n$4\r\nPING\r\n");

  /** The ways a caller may hand the stream over: each must give the same keys and stop at the same byte. */
  private static final List<Function<byte[], InputStream>> STREAMS = List.of(
      ByteArrayInputStream::new,
      file -> new BufferedInputStream(new ByteArrayInputStream(file)),
      file -> new BufferedInputStream(new ByteArrayInputStream(file), 7),
      file -> new Unmarkable(new ByteArrayInputStream(file)),
      file -> new Unmarkable(new Trickle(new ByteArrayInputStream(file))),
      file -> new BufferedInputStream(new Trickle(new ByteArrayInputStream(file)), 100));

  // ---- Round trip through RdbWriter ----

  @Test
  void whatTheWriterWritesComesBackKeyForKeyWithItsTtl() throws IOException {
    RangeState range = filledRange();
    byte[] file = written(range);
    Map<String, Object> expected = contents(range);
    for (Function<byte[], InputStream> stream : STREAMS) {
      Loaded loaded = new Loaded();
      long consumed = RdbReader.read(stream.apply(file), loaded);
      assertEquals(file.length, consumed, "bytes consumed");
      assertEquals(expected, loaded.keysWithTtl);
      assertEquals("7.0.15", latin1(loaded.aux.get("redis-ver")));
      assertEquals("1700000000", latin1(loaded.aux.get("ctime")));
    }
  }

  @Test
  void readingStopsRightAfterTheChecksumSoWhatFollowsStaysInTheStream() throws IOException {
    byte[] file = written(filledRange());
    assertTrue(file.length > 3 * 64 * 1024, "bigger than a few of the reader's chunks");
    byte[] withTail = concat(file, AFTER_THE_RDB);
    for (Function<byte[], InputStream> streamOf : STREAMS) {
      InputStream stream = streamOf.apply(withTail);
      assertEquals(file.length, RdbReader.read(stream, new Loaded()));
      assertArrayEquals(AFTER_THE_RDB, stream.readAllBytes(), "the bytes after the RDB part");
    }
  }

  @Test
  void aStringLargerThanTheBufferEndingTheFileLeavesTheStreamRightThere() throws IOException {
    byte[] big = new byte[200_000];
    new Random(7).nextBytes(big);
    byte[] file = new RdbBuilder(10).u8(0).string("big").string(big).end();
    for (Function<byte[], InputStream> streamOf : STREAMS) {
      InputStream stream = streamOf.apply(concat(file, AFTER_THE_RDB));
      Loaded loaded = new Loaded();
      assertEquals(file.length, RdbReader.read(stream, loaded));
      assertEquals(List.of("string", latin1(big)), loaded.keys.get("0 big"));
      assertArrayEquals(AFTER_THE_RDB, stream.readAllBytes());
    }
  }

  @Test
  void aMillionKeysAllArrive() throws IOException {
    RdbBuilder builder = new RdbBuilder(10).u8(0xFE).length(0).u8(0xFB).length(1_000_000).length(0);
    for (int i = 0; i < 1_000_000; i++) builder.u8(0).string("key:" + i).string("value-" + i);
    byte[] file = builder.end();
    long[] count = new long[1];
    RdbReader.Visitor counting = (db, key, value, expireAtMs) -> count[0]++;
    assertEquals(file.length, RdbReader.read(new ByteArrayInputStream(file), counting));
    assertEquals(1_000_000, count[0]);
  }

  // ---- Corrupt files ----

  @Test
  void aFlippedByteInAValueIsAChecksumMismatch() throws IOException {
    byte[] file = new RdbBuilder(10).u8(0).string("k").string("some value").end();
    int at = indexOf(file, bytes("some value")) + 3;
    file[at] ^= 0x20;
    RdbFormatException e = assertThrows(RdbFormatException.class, () -> read(file));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  @Test
  void aZeroChecksumMeansSavedWithoutOne() throws IOException {
    byte[] file = new RdbBuilder(10).u8(0).string("k").string("v").end();
    Arrays.fill(file, file.length - 8, file.length, (byte) 0);
    assertEquals(List.of("string", "v"), read(file).keys.get("0 k"));
  }

  @Test
  void aTruncatedFileSaysSoWhereverItEnds() throws IOException {
    byte[] file = written(filledRange());
    for (int length : new int[] {0, 4, 9, 20, 100, 70_000, file.length / 2, file.length - 9, file.length - 1}) {
      byte[] truncated = Arrays.copyOf(file, length);
      for (Function<byte[], InputStream> stream : STREAMS) {
        RdbFormatException e = assertThrows(RdbFormatException.class,
            () -> RdbReader.read(stream.apply(truncated), new Loaded()), "truncated to " + length);
        assertTrue(e.getMessage().contains("truncated"), length + ": " + e.getMessage());
      }
    }
  }

  @Test
  void aFileThatIsNoRdbFileIsRefused() {
    RdbFormatException e = assertThrows(RdbFormatException.class, () -> read(bytes("*1\r\n$4\r\nPING\r\n")));
    assertTrue(e.getMessage().contains("not an RDB file"), e.getMessage());
    e = assertThrows(RdbFormatException.class, () -> read(bytes("REDIS00x1\u00ff")));
    assertTrue(e.getMessage().contains("bad version"), e.getMessage());
  }

  @Test
  void versionsAboveTenAreRefused() {
    RdbFormatException e = assertThrows(RdbFormatException.class, () -> read(new RdbBuilder(11).end()));
    assertTrue(e.getMessage().contains("unsupported RDB version 11"), e.getMessage());
    assertThrows(RdbFormatException.class, () -> read(new RdbBuilder(0).end()));
  }

  @Test
  void oldVersionsWithoutAChecksumAreRead() throws IOException {
    // Before version 5 the file ends at the EOF opcode; version 1 to 10 are read.
    byte[] file = new RdbBuilder(3).u8(0xFE).length(0).u8(0).string("k").string("v").end();
    assertEquals(file.length - 1, indexOf(file, new byte[] {(byte) 0xFF}));
    Loaded loaded = new Loaded();
    InputStream stream = new ByteArrayInputStream(concat(file, AFTER_THE_RDB));
    assertEquals(file.length, RdbReader.read(stream, loaded));
    assertEquals(List.of("string", "v"), loaded.keys.get("0 k"));
    assertArrayEquals(AFTER_THE_RDB, stream.readAllBytes());
  }

  @Test
  void everySingleByteCorruptionIsAFormatErrorAndNothingElse() throws IOException {
    RdbBuilder builder = new RdbBuilder(10).u8(0xFA).string("redis-ver").string("7.0.15")
        .u8(0xFE).length(0).u8(0xFB).length(3).length(1)
        .u8(0xFC).littleEndian(NOW, 8).u8(0).string("s").string("hello")
        .u8(18).string("l").length(1).length(2).string(listpack(lpString("a"), lpInt(-100), lpInt(5000)))
        .u8(5).string("z").length(1).string("m").littleEndian(Double.doubleToLongBits(2.5), 8);
    byte[] file = builder.end();
    read(file);
    for (int at = 0; at < file.length; at++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] corrupt = file.clone();
        corrupt[at] ^= (byte) (1 << bit);
        try {
          // A visitor that takes anything: a corruption may well read as a duplicate key, say.
          RdbReader.read(new ByteArrayInputStream(corrupt), (db, key, value, expireAtMs) -> { });
          fail("flipping bit " + bit + " of byte " + at + " went unnoticed");
        } catch (RdbFormatException expected) {
          // what every corruption must give
        }
      }
    }
  }

  // ---- Opcodes ----

  @Test
  void expiriesInMillisecondsAndSecondsApplyToTheNextKeyOnly() throws IOException {
    byte[] file = new RdbBuilder(10).u8(0xFE).length(2)
        .u8(0xFC).littleEndian(NOW + 1234, 8).u8(0).string("ms").string("1")
        .u8(0xFD).littleEndian(1_800_000_000L, 4).u8(0).string("seconds").string("2")
        .u8(0).string("none").string("3")
        .end();
    Loaded loaded = read(file);
    assertEquals(NOW + 1234, loaded.expiries.get("2 ms"));
    assertEquals(1_800_000_000_000L, loaded.expiries.get("2 seconds"));
    assertEquals(-1L, loaded.expiries.get("2 none"));
  }

  @Test
  void idleFreqResizeAndFunctionsAreSkipped() throws IOException {
    byte[] file = new RdbBuilder(10)
        .u8(0xF5).string("#!lua name=lib\nredis.register_function('f', function() return 1 end)")
        .u8(0xFE).length(0).u8(0xFB).length(2).length(0)
        .u8(0xF8).length(100_000).u8(0).string("idle").string("a")
        .u8(0xF9).u8(200).u8(0).string("freq").string("b")
        .end();
    Loaded loaded = read(file);
    assertEquals(List.of("string", "a"), loaded.keys.get("0 idle"));
    assertEquals(List.of("string", "b"), loaded.keys.get("0 freq"));
  }

  @Test
  void moduleDataAndRedis72StreamsFailClearly() {
    RdbFormatException e = assertThrows(RdbFormatException.class,
        () -> read(new RdbBuilder(10).u8(0xF7).length(12345).end()));
    assertTrue(e.getMessage().contains("module aux"), e.getMessage());
    // Streams of types 15 and 19 load (StreamRdbRedisTest); 7.2's type 21 is refused by name.
    e = assertThrows(RdbFormatException.class, () -> read(new RdbBuilder(10).u8(21).string("events").end()));
    assertTrue(e.getMessage().contains("unsupported RDB type 21 (Redis 7.2's stream)"), e.getMessage());
    assertTrue(e.getMessage().contains("'events'"), e.getMessage());
    for (int type : new int[] {6, 7}) {
      e = assertThrows(RdbFormatException.class, () -> read(new RdbBuilder(10).u8(type).string("m").end()));
      assertTrue(e.getMessage().contains("(module value)"), e.getMessage());
    }
    // 7.0 rc's FUNCTION record (0xF6) is read as Redis 7.0 reads it (FunctionPayloadTest); a broken one fails.
    e = assertThrows(RdbFormatException.class, () -> read(new RdbBuilder(10).u8(0xF6).end()));
    assertTrue(e.getMessage().contains("Failed loading library name"), e.getMessage());
  }

  @Test
  void unknownTypesAndOpcodesFailClearly() {
    for (int type : new int[] {8, 22, 100, 0xF4}) {
      RdbFormatException e = assertThrows(RdbFormatException.class,
          () -> read(new RdbBuilder(10).u8(type).string("k").end()));
      assertTrue(e.getMessage().contains("unknown RDB type or opcode " + type), e.getMessage());
    }
  }

  // ---- Strings and lengths ----

  @Test
  void stringsStoredAsIntegersComeBackAsTheirText() throws IOException {
    byte[] file = new RdbBuilder(10)
        .u8(0).string("int8").u8(0xC0, 0x85)
        .u8(0).string("int16").u8(0xC1).littleEndian(-300, 2)
        .u8(0).string("int32").u8(0xC2).littleEndian(-2_000_000_000, 4)
        .u8(0).u8(0xC0, 7).u8(0xC0, 0)
        .end();
    Loaded loaded = read(file);
    assertEquals(List.of("string", "-123"), loaded.keys.get("0 int8"));
    assertEquals(List.of("string", "-300"), loaded.keys.get("0 int16"));
    assertEquals(List.of("string", "-2000000000"), loaded.keys.get("0 int32"));
    assertEquals(List.of("string", "0"), loaded.keys.get("0 7"), "a key can be an integer too");
  }

  @Test
  void lengthsOfFourteenThirtyTwoAndSixtyFourBits() throws IOException {
    byte[] fourteen = "x".repeat(300).getBytes(StandardCharsets.US_ASCII);
    byte[] file = new RdbBuilder(10)
        .u8(0).string("14").u8(0x40 | 300 >> 8, 300 & 0xFF).bytes(fourteen)
        .u8(0).string("32").u8(0x80).bigEndian(3, 4).bytes(bytes("abc"))
        .u8(0).string("64").u8(0x81).bigEndian(2, 8).bytes(bytes("de"))
        .end();
    Loaded loaded = read(file);
    assertEquals(List.of("string", latin1(fourteen)), loaded.keys.get("0 14"));
    assertEquals(List.of("string", "abc"), loaded.keys.get("0 32"));
    assertEquals(List.of("string", "de"), loaded.keys.get("0 64"));
  }

  @Test
  void lzfStringsAreDecompressed() throws IOException {
    // "abc" as literals, then a long back reference: 7 + 12 more + 2 = 21 bytes from 3 back.
    byte[] repeated = {0x02, 'a', 'b', 'c', (byte) 0xE0, 12, 2};
    // "a", then a short back reference: 2 + 2 = 4 bytes from 1 back, then literals "b!".
    byte[] run = {0x00, 'a', 0x40, 0x00, 0x01, 'b', '!'};
    byte[] file = new RdbBuilder(10)
        .u8(0).string("repeated").u8(0xC3).length(repeated.length).length(24).bytes(repeated)
        .u8(0).string("run").u8(0xC3).length(run.length).length(7).bytes(run)
        .end();
    Loaded loaded = read(file);
    assertEquals(List.of("string", "abc".repeat(8)), loaded.keys.get("0 repeated"));
    assertEquals(List.of("string", "aaaaab!"), loaded.keys.get("0 run"));
  }

  @Test
  void invalidLzfDataIsAFormatError() {
    assertThrows(RdbFormatException.class, () -> RdbReader.lzfDecompress(new byte[] {0x40, 0x05}, 4),
        "a back reference before the start");
    assertThrows(RdbFormatException.class, () -> RdbReader.lzfDecompress(new byte[] {0x02, 'a', 'b'}, 3),
        "a literal run past the input");
    assertThrows(RdbFormatException.class, () -> RdbReader.lzfDecompress(new byte[] {0x00, 'a'}, 2),
        "less output than announced");
    byte[] file = new RdbBuilder(10).u8(0).string("k").u8(0xC3).length(2).length(1_000_000).u8(0x00, 'a').end();
    RdbFormatException e = assertThrows(RdbFormatException.class, () -> read(file));
    assertTrue(e.getMessage().contains("cannot expand"), e.getMessage());
  }

  // ---- Plain encodings ----

  @Test
  void plainListsSetsHashesAndBothKindsOfSortedSet() throws IOException {
    byte[] file = new RdbBuilder(10)
        .u8(1).string("list").length(3).string("a").u8(0xC0, 5).string("")
        .u8(2).string("set").length(2).string("x").string("y")
        .u8(4).string("hash").length(2).string("f1").string("v1").string("f2").u8(0xC0, 2)
        .u8(3).string("zset").length(5).string("a").u8(3).bytes(bytes("1.5")).string("b").u8(253)
        .string("c").u8(254).string("d").u8(255).string("e").u8(2).bytes(bytes("-2"))
        .u8(5).string("zset2").length(2).string("p").littleEndian(Double.doubleToLongBits(0.1), 8)
        .string("q").littleEndian(Double.doubleToLongBits(Double.NEGATIVE_INFINITY), 8)
        .end();
    Loaded loaded = read(file);
    assertEquals(List.of("list", List.of("a", "5", "")), loaded.keys.get("0 list"));
    assertEquals(List.of("set", List.of("x", "y")), loaded.keys.get("0 set"));
    assertEquals(List.of("hash", Map.of("f1", "v1", "f2", "2")), loaded.keys.get("0 hash"));
    ZSetValue zset = (ZSetValue) loaded.values.get("0 zset");
    assertEquals(List.of("a", "b", "c", "d", "e"), texts(zset.members()));
    assertArrayEquals(new double[] {1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -2},
        zset.scores());
    assertEquals(List.of("zset", Map.of("p", 0.1, "q", Double.NEGATIVE_INFINITY)), loaded.keys.get("0 zset2"));
  }

  @Test
  void emptyCollectionsAreSkippedAsRedisSkipsEmptyKeys() throws IOException {
    byte[] file = new RdbBuilder(10)
        .u8(1).string("list").length(0)
        .u8(18).string("quicklist").length(1).length(2).string(listpack())
        .u8(11).string("intset").string(intset(2))
        .u8(0).string("kept").string("")
        .end();
    Loaded loaded = read(file);
    assertEquals(Map.of("0 kept", List.of("string", "")), loaded.keys);
  }

  // ---- Ziplists, zipmaps, intsets ----

  @Test
  void theZiplistOfRedisSourceComment() throws RdbFormatException {
    // ziplist.c's example: a ziplist of "2" and "5", as two 4-bit immediate integers.
    byte[] example = HexFormat.of().parseHex("0f0000000c0000000200" + "00f3" + "02f6" + "ff");
    assertEquals(List.of("2", "5"), texts(RdbReader.ziplistEntries(example)));
  }

  @Test
  void ziplistEntriesOfEveryEncoding() throws IOException {
    String fourteenBit = "y".repeat(300);
    String thirtyTwoBit = "z".repeat(20_000);
    byte[][] entries = {
        zipString(""), zipString("short"), zipString(fourteenBit), zipString(thirtyTwoBit),
        zipInt(0), zipInt(12), zipInt(13), zipInt(-128), zipInt(127), zipInt(-32768), zipInt(32767),
        zipInt(-8_388_608), zipInt(8_388_607), zipInt(Integer.MIN_VALUE), zipInt(Integer.MAX_VALUE),
        zipInt(Long.MIN_VALUE), zipInt(Long.MAX_VALUE), zipString("after a big one")};
    List<String> expected = List.of("", "short", fourteenBit, thirtyTwoBit, "0", "12", "13", "-128", "127",
        "-32768", "32767", "-8388608", "8388607", "-2147483648", "2147483647", "-9223372036854775808",
        "9223372036854775807", "after a big one");
    assertEquals(expected, texts(RdbReader.ziplistEntries(ziplist(entries))));
    byte[] file = new RdbBuilder(10).u8(10).string("l").string(ziplist(entries)).end();
    assertEquals(List.of("list", expected), read(file).keys.get("0 l"));
  }

  @Test
  void ziplistBasedListsSetsHashesAndSortedSets() throws IOException {
    byte[] file = new RdbBuilder(10)
        .u8(14).string("quicklist").length(2).string(ziplist(zipString("a"), zipInt(1)))
        .string(ziplist(zipString("b")))
        .u8(12).string("zset").string(ziplist(zipString("m"), zipString("1.5"), zipString("n"), zipInt(-3),
            zipString("o"), zipString("inf")))
        .u8(13).string("hash").string(ziplist(zipString("f"), zipString("v"), zipString("g"), zipInt(300)))
        .end();
    Loaded loaded = read(file);
    assertEquals(List.of("list", List.of("a", "1", "b")), loaded.keys.get("0 quicklist"));
    assertEquals(List.of("zset", Map.of("m", 1.5, "n", -3.0, "o", Double.POSITIVE_INFINITY)),
        loaded.keys.get("0 zset"));
    assertEquals(List.of("hash", Map.of("f", "v", "g", "300")), loaded.keys.get("0 hash"));
  }

  @Test
  void corruptZiplistsAreFormatErrors() {
    byte[] good = ziplist(zipString("a"), zipInt(1));
    byte[] wrongSize = good.clone();
    wrongSize[0]++;
    assertThrows(RdbFormatException.class, () -> RdbReader.ziplistEntries(wrongSize));
    byte[] wrongCount = good.clone();
    wrongCount[8] = 3;
    assertThrows(RdbFormatException.class, () -> RdbReader.ziplistEntries(wrongCount));
    byte[] noEnd = Arrays.copyOf(good, good.length - 1);
    assertThrows(RdbFormatException.class, () -> RdbReader.ziplistEntries(noEnd));
    byte[] oddPairs = new RdbBuilder(10).u8(13).string("h").string(ziplist(zipString("f"))).end();
    RdbFormatException e = assertThrows(RdbFormatException.class, () -> read(oddPairs));
    assertTrue(e.getMessage().contains("pairs"), e.getMessage());
  }

  @Test
  void zipmapHashesWithFreeBytesAndLongLengths() throws IOException {
    String longValue = "v".repeat(300);
    ByteArrayOutputStream zipmap = new ByteArrayOutputStream();
    zipmap.write(2);
    zipmapEntry(zipmap, "name", "redis", 2);
    zipmapEntry(zipmap, "long", longValue, 0);
    zipmap.write(0xFF);
    byte[] file = new RdbBuilder(10).u8(9).string("h").string(zipmap.toByteArray()).end();
    assertEquals(List.of("hash", Map.of("name", "redis", "long", longValue)), read(file).keys.get("0 h"));
  }

  @Test
  void intsetsOfEveryWidth() throws IOException {
    byte[] file = new RdbBuilder(10)
        .u8(11).string("16").string(intset(2, -300, 1, 2))
        .u8(11).string("32").string(intset(4, -70_000, 70_000))
        .u8(11).string("64").string(intset(8, Long.MIN_VALUE, 1L << 40))
        .end();
    Loaded loaded = read(file);
    assertEquals(List.of("set", List.of("-300", "1", "2")), loaded.keys.get("0 16"));
    assertEquals(List.of("set", List.of("-70000", "70000")), loaded.keys.get("0 32"));
    assertEquals(List.of("set", List.of("-9223372036854775808", "1099511627776")), loaded.keys.get("0 64"));
    byte[] badWidth = intset(2, 1);
    badWidth[0] = 3;
    assertThrows(RdbFormatException.class, () -> RdbReader.intsetMembers(badWidth));
    byte[] badCount = intset(4, 1, 2);
    badCount[4] = 3;
    assertThrows(RdbFormatException.class, () -> RdbReader.intsetMembers(badCount));
  }

  // ---- Listpacks ----

  @Test
  void listpackEntriesOfEveryEncodingAndBacklenSize() throws IOException {
    String twelveBit = "t".repeat(200);
    String thirtyTwoBit = "u".repeat(20_000);
    byte[][] entries = {
        lpString(""), lpString("six"), lpString(twelveBit), lpString(thirtyTwoBit),
        lpInt(0), lpInt(127), lpInt(128), lpInt(-1), lpInt(-4096), lpInt(4095), lpInt(-32768), lpInt(32767),
        lpInt(-8_388_608), lpInt(8_388_607), lpInt(Integer.MIN_VALUE), lpInt(Integer.MAX_VALUE),
        lpInt(Long.MIN_VALUE), lpInt(Long.MAX_VALUE)};
    List<String> expected = List.of("", "six", twelveBit, thirtyTwoBit, "0", "127", "128", "-1", "-4096", "4095",
        "-32768", "32767", "-8388608", "8388607", "-2147483648", "2147483647", "-9223372036854775808",
        "9223372036854775807");
    assertEquals(expected, texts(RdbReader.listpackEntries(listpack(entries))));
    byte[] file = new RdbBuilder(10).u8(18).string("l").length(1).length(2).string(listpack(entries)).end();
    assertEquals(List.of("list", expected), read(file).keys.get("0 l"));
  }

  @Test
  void listpackBasedListsSetsHashesAndSortedSets() throws IOException {
    byte[] file = new RdbBuilder(10)
        .u8(18).string("quicklist").length(3).length(2).string(listpack(lpString("a"), lpInt(1)))
        .length(1).string("a plain node: one element").length(2).string(listpack(lpString("z")))
        .u8(17).string("zset").string(listpack(lpString("m"), lpString("0.25"), lpString("n"), lpInt(7),
            lpString("o"), lpString("-inf")))
        .u8(16).string("hash").string(listpack(lpString("f"), lpInt(-5000), lpString("g"), lpString("")))
        .u8(20).string("set").string(listpack(lpString("x"), lpInt(42)))
        .end();
    Loaded loaded = read(file);
    assertEquals(List.of("list", List.of("a", "1", "a plain node: one element", "z")),
        loaded.keys.get("0 quicklist"));
    assertEquals(List.of("zset", Map.of("m", 0.25, "n", 7.0, "o", Double.NEGATIVE_INFINITY)),
        loaded.keys.get("0 zset"));
    assertEquals(List.of("hash", Map.of("f", "-5000", "g", "")), loaded.keys.get("0 hash"));
    assertEquals(List.of("set", List.of("42", "x")), loaded.keys.get("0 set"));
  }

  @Test
  void corruptListpacksAreFormatErrors() {
    byte[] good = listpack(lpString("abc"), lpInt(1000));
    byte[] badBacklen = good.clone();
    badBacklen[6 + 4] = 9;
    RdbFormatException e = assertThrows(RdbFormatException.class, () -> RdbReader.listpackEntries(badBacklen));
    assertTrue(e.getMessage().contains("backlen"), e.getMessage());
    byte[] badEncoding = good.clone();
    badEncoding[6] = (byte) 0xF5;
    assertThrows(RdbFormatException.class, () -> RdbReader.listpackEntries(badEncoding));
    byte[] overlong = good.clone();
    overlong[6] = (byte) (0x80 | 60);
    assertThrows(RdbFormatException.class, () -> RdbReader.listpackEntries(overlong));
    byte[] unknownContainer = new RdbBuilder(10).u8(18).string("l").length(1).length(3).string("x").end();
    e = assertThrows(RdbFormatException.class, () -> read(unknownContainer));
    assertTrue(e.getMessage().contains("container 3"), e.getMessage());
  }

  // ---- Helpers: a range to write, what it holds, and what the reader gave ----

  private static RangeState filledRange() {
    RangeState range = new RangeState(0, 0, 16383, 3, Settings.defaults(), () -> NOW, SlotRouting::standalone);
    range.db(0).put(Key.of("plain"), bytes("hello"));
    range.db(0).put(Key.of("number"), bytes("12345"));
    range.db(0).put(Key.of("negative"), bytes("-70000"));
    range.db(0).put(Key.of("big number"), bytes("9223372036854775807"));
    range.db(0).put(Key.of("padded"), bytes("007"));
    range.db(0).put(Key.of("empty"), bytes(""));
    byte[] binary = new byte[256];
    for (int i = 0; i < 256; i++) binary[i] = (byte) i;
    range.db(0).put(new Key(binary), binary);
    byte[] big = new byte[150_000];
    new Random(1).nextBytes(big);
    range.db(0).put(Key.of("big"), big);
    for (int i = 0; i < 3000; i++) range.db(0).put(Key.of("key:" + i), bytes("value " + i));
    Entry volatileKey = range.db(0).put(Key.of("volatile"), bytes("v"));
    range.db(0).expireAt(volatileKey, NOW + 3_600_000);

    RedisList list = new RedisList();
    for (String item : List.of("a", "b", "3", "", "a")) list.push(false, bytes(item));
    range.db(0).put(Key.of("list"), list);
    RedisList bigList = new RedisList();
    for (int i = 0; i < 1000; i++) bigList.push(false, bytes("item-" + i));
    Entry bigListEntry = range.db(0).put(Key.of("biglist"), bigList);
    range.db(0).expireAt(bigListEntry, NOW + 7_200_000);

    RedisSet set = new RedisSet();
    for (String member : List.of("x", "y", "z")) set.add(Key.of(member), false, 512);
    range.db(0).put(Key.of("set"), set);
    RedisSet intset = new RedisSet();
    for (String member : List.of("1", "2", "-300", "70000")) intset.add(Key.of(member), true, 512);
    range.db(0).put(Key.of("intset"), intset);

    RedisZSet zset = new RedisZSet(128, 64, 1);
    double[] scores = {1.5, -2, Double.POSITIVE_INFINITY, 0.1, Double.NEGATIVE_INFINITY};
    for (int i = 0; i < scores.length; i++) zset.put(Key.of("m" + i), scores[i], 128, 64);
    range.db(0).put(Key.of("zset"), zset);

    RedisHash hash = new RedisHash();
    hash.fields.put(Key.of("f1"), bytes("v1"));
    hash.fields.put(Key.of("f2"), bytes("2"));
    hash.fields.put(Key.of("f3"), bytes(""));
    range.db(0).put(Key.of("hash"), hash);

    range.db(1).put(Key.of("other"), bytes("in db 1"));
    RedisHash h1 = new RedisHash();
    h1.fields.put(Key.of("a"), bytes("b"));
    Entry h1Entry = range.db(1).put(Key.of("h1"), h1);
    range.db(1).expireAt(h1Entry, NOW + 5_000_000);
    range.db(2).put(Key.of("plain"), bytes("in db 2"));
    return range;
  }

  private static byte[] written(RangeState range) throws IOException {
    List<List<RdbWriter.Part>> parts = new ArrayList<>();
    for (int db = 0; db < range.databases(); db++) parts.add(List.of(RdbWriter.keysOf(range, db)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbWriter.write(out, new RdbWriter.Aux("7.0.15", 1_700_000_000, 1_000_000, false), parts);
    return out.toByteArray();
  }

  /** "db key" to the canonical form of its value and TTL, for every key of the range. */
  private static Map<String, Object> contents(RangeState range) {
    Map<String, Object> contents = new TreeMap<>();
    for (int db = 0; db < range.databases(); db++) {
      int index = db;
      for (int slot = range.firstSlot(); slot <= range.lastSlot(); slot++) {
        range.db(db).forEachKeyInSlot(slot, entry ->
            contents.put(index + " " + latin1(entry.key.bytes()), withTtl(canonical(entry.value), entry.expireAt())));
      }
    }
    return contents;
  }

  private static Object canonical(Object value) {
    if (value instanceof byte[] string) return List.of("string", latin1(string));
    if (value instanceof RedisList list) return List.of("list", texts(Arrays.asList(list.toArray())));
    if (value instanceof RedisSet set) {
      List<String> members = new ArrayList<>();
      for (Key member : set.members()) members.add(latin1(member.bytes()));
      members.sort(null);
      return List.of("set", members);
    }
    if (value instanceof RedisZSet zset) {
      Map<String, Double> scores = new TreeMap<>();
      for (RedisZSet.Node node = zset.first(); node != null; node = node.next()) {
        scores.put(latin1(node.member.bytes()), node.score);
      }
      return List.of("zset", scores);
    }
    if (value instanceof RedisHash hash) {
      Map<String, String> fields = new TreeMap<>();
      hash.fields.forEach((field, v) -> fields.put(latin1(field.bytes()), latin1(v)));
      return List.of("hash", fields);
    }
    throw new AssertionError("unexpected value " + value);
  }

  /** The reader's value in the same canonical form: sets sorted, sorted sets and hashes as maps. */
  static Object canonical(Value value) {
    if (value instanceof StringValue string) return List.of("string", latin1(string.value()));
    if (value instanceof ListValue list) return List.of("list", texts(list.items()));
    if (value instanceof SetValue set) {
      List<String> members = texts(set.members());
      members.sort(null);
      return List.of("set", members);
    }
    if (value instanceof ZSetValue zset) {
      assertEquals(zset.members().size(), zset.scores().length, "a score per member");
      Map<String, Double> scores = new TreeMap<>();
      for (int i = 0; i < zset.scores().length; i++) scores.put(latin1(zset.members().get(i)), zset.scores()[i]);
      return List.of("zset", scores);
    }
    HashValue hash = assertInstanceOf(HashValue.class, value);
    assertEquals(hash.fields().size(), hash.values().size(), "a value per field");
    Map<String, String> fields = new TreeMap<>();
    for (int i = 0; i < hash.fields().size(); i++) fields.put(latin1(hash.fields().get(i)), latin1(hash.values().get(i)));
    return List.of("hash", fields);
  }

  private static Object withTtl(Object canonical, long expireAtMs) {
    return List.of(canonical, expireAtMs);
  }

  /** Everything a read gave: per "db key" the canonical value and TTL, the raw values, the aux fields. */
  private static final class Loaded implements RdbReader.Visitor {
    final Map<String, Object> keys = new TreeMap<>();
    final Map<String, Object> keysWithTtl = new TreeMap<>();
    final Map<String, Value> values = new LinkedHashMap<>();
    final Map<String, Long> expiries = new LinkedHashMap<>();
    final Map<String, byte[]> aux = new LinkedHashMap<>();

    @Override public void aux(String key, byte[] value) {
      aux.put(key, value);
    }

    @Override public void key(int db, byte[] key, Value value, long expireAtMs) {
      String name = db + " " + latin1(key);
      if (values.put(name, value) != null) throw new AssertionError("duplicate key " + name);
      keys.put(name, canonical(value));
      keysWithTtl.put(name, withTtl(canonical(value), expireAtMs));
      expiries.put(name, expireAtMs);
    }
  }

  private static Loaded read(byte[] file) throws IOException {
    Loaded loaded = new Loaded();
    assertEquals(file.length, RdbReader.read(new ByteArrayInputStream(file), loaded));
    return loaded;
  }

  /** A stream without mark/reset: the reader must take exactly what it needs from it. */
  private static final class Unmarkable extends FilterInputStream {
    Unmarkable(InputStream in) {
      super(in);
    }

    @Override public boolean markSupported() {
      return false;
    }
  }

  /** A stream that gives at most 3 bytes a read, as a slow socket may. */
  private static final class Trickle extends FilterInputStream {
    Trickle(InputStream in) {
      super(in);
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 3));
    }
  }

  // ---- Helpers: RDB files, ziplists, listpacks, zipmaps and intsets built from their specification ----

  /** An RDB file written byte by byte. */
  private static final class RdbBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int version;

    RdbBuilder(int version) {
      this.version = version;
      bytes(RdbReaderTest.bytes(String.format("REDIS%04d", version)));
    }

    RdbBuilder u8(int... values) {
      for (int value : values) out.write(value);
      return this;
    }

    RdbBuilder bytes(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    RdbBuilder littleEndian(long value, int width) {
      for (int i = 0; i < width; i++) out.write((int) (value >>> (8 * i)) & 0xFF);
      return this;
    }

    RdbBuilder bigEndian(long value, int width) {
      for (int i = width - 1; i >= 0; i--) out.write((int) (value >>> (8 * i)) & 0xFF);
      return this;
    }

    /** The shortest of the 6, 14, 32 and 64-bit length encodings. */
    RdbBuilder length(long length) {
      if (length < 1 << 6) return u8((int) length);
      if (length < 1 << 14) return u8(0x40 | (int) (length >> 8), (int) length & 0xFF);
      if (length <= 0xFFFFFFFFL) return u8(0x80).bigEndian(length, 4);
      return u8(0x81).bigEndian(length, 8);
    }

    RdbBuilder string(byte[] bytes) {
      return length(bytes.length).bytes(bytes);
    }

    RdbBuilder string(String text) {
      return string(RdbReaderTest.bytes(text));
    }

    /** EOF, and from version 5 on the CRC-64 of all before. */
    byte[] end() {
      u8(0xFF);
      if (version >= 5) {
        byte[] sofar = out.toByteArray();
        littleEndian(Crc64.update(0, sofar, 0, sofar.length), 8);
      }
      return out.toByteArray();
    }
  }

  /** A ziplist of entries made by {@link #zipString} and {@link #zipInt}, each after its predecessor's length. */
  private static byte[] ziplist(byte[]... entries) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int previous = 0;
    int lastOffset = 10;
    for (byte[] entry : entries) {
      lastOffset = 10 + body.size();
      ByteArrayOutputStream withPrevlen = new ByteArrayOutputStream();
      if (previous < 254) {
        withPrevlen.write(previous);
      } else {
        withPrevlen.write(0xFE);
        writeLittleEndian(withPrevlen, previous, 4);
      }
      withPrevlen.writeBytes(entry);
      previous = withPrevlen.size();
      body.writeBytes(withPrevlen.toByteArray());
    }
    ByteArrayOutputStream ziplist = new ByteArrayOutputStream();
    writeLittleEndian(ziplist, 10 + body.size() + 1, 4);
    writeLittleEndian(ziplist, lastOffset, 4);
    writeLittleEndian(ziplist, entries.length, 2);
    ziplist.writeBytes(body.toByteArray());
    ziplist.write(0xFF);
    return ziplist.toByteArray();
  }

  /** 00pppppp, 01pppppp qqqqqqqq or 10000000 and 4 bytes big-endian, then the string. */
  private static byte[] zipString(String text) {
    byte[] bytes = bytes(text);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (bytes.length <= 0x3F) {
      out.write(bytes.length);
    } else if (bytes.length <= 0x3FFF) {
      out.write(0x40 | bytes.length >> 8);
      out.write(bytes.length & 0xFF);
    } else {
      out.write(0x80);
      for (int shift = 24; shift >= 0; shift -= 8) out.write(bytes.length >>> shift & 0xFF);
    }
    out.writeBytes(bytes);
    return out.toByteArray();
  }

  /** The smallest of: 1111xxxx (0 to 12), int8 0xFE, int16 0xC0, int24 0xF0, int32 0xD0, int64 0xE0. */
  private static byte[] zipInt(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (value >= 0 && value <= 12) {
      out.write(0xF1 + (int) value);
    } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
      out.write(0xFE);
      writeLittleEndian(out, value, 1);
    } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
      out.write(0xC0);
      writeLittleEndian(out, value, 2);
    } else if (value >= -(1 << 23) && value < 1 << 23) {
      out.write(0xF0);
      writeLittleEndian(out, value, 3);
    } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
      out.write(0xD0);
      writeLittleEndian(out, value, 4);
    } else {
      out.write(0xE0);
      writeLittleEndian(out, value, 8);
    }
    return out.toByteArray();
  }

  /** A listpack of entries made by {@link #lpString} and {@link #lpInt}, each followed by its backlen. */
  private static byte[] listpack(byte[]... entries) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] entry : entries) {
      body.writeBytes(entry);
      body.writeBytes(backlen(entry.length));
    }
    ByteArrayOutputStream listpack = new ByteArrayOutputStream();
    writeLittleEndian(listpack, 6 + body.size() + 1, 4);
    writeLittleEndian(listpack, entries.length, 2);
    listpack.writeBytes(body.toByteArray());
    listpack.write(0xFF);
    return listpack.toByteArray();
  }

  /** 10xxxxxx (< 64 bytes), 1110xxxx yyyyyyyy (< 4096) or 0xF0 and 4 bytes little-endian, then the string. */
  private static byte[] lpString(String text) {
    byte[] bytes = bytes(text);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (bytes.length < 64) {
      out.write(0x80 | bytes.length);
    } else if (bytes.length < 4096) {
      out.write(0xE0 | bytes.length >> 8);
      out.write(bytes.length & 0xFF);
    } else {
      out.write(0xF0);
      writeLittleEndian(out, bytes.length, 4);
    }
    out.writeBytes(bytes);
    return out.toByteArray();
  }

  /** 0xxxxxxx (0 to 127), 110xxxxx yyyyyyyy (13 bits, two's complement), or 0xF1 to 0xF4 and 2, 3, 4, 8 bytes. */
  private static byte[] lpInt(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (value >= 0 && value <= 127) {
      out.write((int) value);
    } else if (value >= -4096 && value <= 4095) {
      int bits = (int) value & 0x1FFF;
      out.write(0xC0 | bits >> 8);
      out.write(bits & 0xFF);
    } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
      out.write(0xF1);
      writeLittleEndian(out, value, 2);
    } else if (value >= -(1 << 23) && value < 1 << 23) {
      out.write(0xF2);
      writeLittleEndian(out, value, 3);
    } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
      out.write(0xF3);
      writeLittleEndian(out, value, 4);
    } else {
      out.write(0xF4);
      writeLittleEndian(out, value, 8);
    }
    return out.toByteArray();
  }

  /** The entry's length in 7-bit groups, the most significant first, all but the first with the high bit set. */
  private static byte[] backlen(int length) {
    int size = length <= 127 ? 1 : length < 16383 ? 2 : length < 2097151 ? 3 : length < 268435455 ? 4 : 5;
    byte[] backlen = new byte[size];
    for (int i = size - 1; i >= 0; i--) {
      backlen[i] = (byte) ((length & 0x7F) | (i == 0 ? 0 : 0x80));
      length >>>= 7;
    }
    return backlen;
  }

  private static void zipmapEntry(ByteArrayOutputStream zipmap, String key, String value, int free) {
    zipmapLength(zipmap, key.length());
    zipmap.writeBytes(bytes(key));
    zipmapLength(zipmap, value.length());
    zipmap.write(free);
    zipmap.writeBytes(bytes(value));
    for (int i = 0; i < free; i++) zipmap.write('#');
  }

  private static void zipmapLength(ByteArrayOutputStream zipmap, int length) {
    if (length < 254) {
      zipmap.write(length);
    } else {
      zipmap.write(254);
      writeLittleEndian(zipmap, length, 4);
    }
  }

  private static byte[] intset(int width, long... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeLittleEndian(out, width, 4);
    writeLittleEndian(out, values.length, 4);
    for (long value : values) writeLittleEndian(out, value, width);
    return out.toByteArray();
  }

  private static void writeLittleEndian(ByteArrayOutputStream out, long value, int width) {
    for (int i = 0; i < width; i++) out.write((int) (value >>> (8 * i)) & 0xFF);
  }

  static List<String> texts(List<byte[]> values) {
    List<String> texts = new ArrayList<>();
    for (byte[] value : values) texts.add(latin1(value));
    return texts;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
    }
    throw new AssertionError("not found");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
