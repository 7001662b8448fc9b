package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FUNCTION DUMP's payload and the RDB's function records, without a node (redis-server's bytes: FunctionPersistenceRedisTest). */
class FunctionPayloadTest {
  private static final byte[] CODE = bytes("#!lua name=lib\nredis.register_function('f', function() return 1 end)"
      + " -- return 1 end return 1 end return 1 end");

  @Test
  void anEmptyDumpIsTheVersionAndTheChecksum() {
    byte[] payload = FunctionPayload.dump(List.of(), true);
    assertEquals(10, payload.length);
    assertEquals("0a00", HexFormat.of().formatHex(payload, 0, 2));
    assertEquals(List.of(), FunctionPayload.restore(payload).codes());
  }

  @Test
  void aPayloadGivesBackItsCodesCompressedOrNot() {
    byte[] other = bytes("#!lua name=b\nredis.register_function('g', function() return 2 end)");
    for (boolean compress : new boolean[] {false, true}) {
      byte[] payload = FunctionPayload.dump(List.of(CODE, other), compress);
      List<byte[]> codes = FunctionPayload.restore(payload).codes();
      assertEquals(2, codes.size());
      assertArrayEquals(CODE, codes.get(0));
      assertArrayEquals(other, codes.get(1));
      assertEquals(0xF5, payload[0] & 0xFF);
      assertEquals(compress ? 0xC3 : 0x40, payload[1] & 0xFF, "LZF form only when compressing (else a 14-bit length)");
    }
  }

  @Test
  void lzfRoundTripsThroughTheReadersDecompression() throws IOException {
    Random random = new Random(7);
    for (int n = 0; n < 200; n++) {
      byte[] text = new byte[21 + random.nextInt(3000)];
      for (int i = 0; i < text.length; i++) text[i] = (byte) ('a' + random.nextInt(1 + n % 5));
      byte[] compressed = Lzf.compress(text, text.length - 4);
      if (compressed == null) continue;
      ByteArrayOutputStream record = new ByteArrayOutputStream();
      RdbWriter.writeCompressibleString(record, text);
      assertArrayEquals(text, readString(record.toByteArray()), "length " + text.length);
    }
    assertNull(Lzf.compress(bytes("abcdefghijklmnopqrstuvwxyz0123456789"), 32), "incompressible");
  }

  @Test
  void restoreRefusesWhatRedisRefuses() {
    byte[] payload = FunctionPayload.dump(List.of(CODE), false);
    byte[] corrupt = payload.clone();
    corrupt[5] ^= 1;
    assertEquals("DUMP payload version or checksum are wrong", FunctionPayload.restore(corrupt).error());
    assertEquals("DUMP payload version or checksum are wrong", FunctionPayload.restore(bytes("short")).error());
    byte[] keyPayload = DumpPayload.of(bytes("value"));
    assertEquals("given type is not a function", FunctionPayload.restore(keyPayload).error());
    // A record whose string runs past the payload.
    byte[] truncated = withFooter(new byte[] {(byte) 0xF5, 0x3F, 'x'});
    assertEquals("Failed loading library payload", FunctionPayload.restore(truncated).error());
  }

  /** Redis 7.0 rc1/rc2's FUNCTION record (opcode 246): name, engine, description, body, loaded as 7.0 translates it. */
  @Test
  void thePreReleaseRecordIsTranslated() throws IOException {
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(0xF6);
    RdbWriter.writeString(record, bytes("old"));
    RdbWriter.writeString(record, bytes("LUA"));
    RdbWriter.writeLength(record, 1);
    RdbWriter.writeString(record, bytes("a description"));
    RdbWriter.writeString(record, bytes("redis.register_function('o', function() return 0 end)"));
    List<byte[]> codes = FunctionPayload.restore(withFooter(record.toByteArray())).codes();
    assertEquals("#!LUA name=old\nredis.register_function('o', function() return 0 end)",
        new String(codes.get(0), StandardCharsets.ISO_8859_1));

    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(bytes("REDIS0010"));
    file.writeBytes(record.toByteArray());
    file.writeBytes(FunctionPayload.records(List.of(CODE), true));
    file.write(0xFF);
    RdbWriter.writeLongLittleEndian(file, 0);
    List<String> loaded = new ArrayList<>();
    RdbReader.read(new ByteArrayInputStream(file.toByteArray()), new RdbReader.Visitor() {
      @Override public void key(int db, byte[] key, RdbReader.Value value, long expireAtMs) {}

      @Override public void library(byte[] code) {
        loaded.add(new String(code, StandardCharsets.ISO_8859_1));
      }
    });
    assertEquals(2, loaded.size());
    assertTrue(loaded.get(0).startsWith("#!LUA name=old\n"));
    assertEquals(new String(CODE, StandardCharsets.ISO_8859_1), loaded.get(1));
  }

  private static byte[] readString(byte[] record) throws IOException {
    byte[] payload = new byte[record.length + 1];
    payload[0] = (byte) 0xF5;
    System.arraycopy(record, 0, payload, 1, record.length);
    return FunctionPayload.restore(withFooter(payload)).codes().get(0);
  }

  private static byte[] withFooter(byte[] records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(records);
    out.write(10);
    out.write(0);
    byte[] body = out.toByteArray();
    RdbWriter.writeLongLittleEndian(out, Crc64.update(0, body, 0, body.length));
    return out.toByteArray();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
