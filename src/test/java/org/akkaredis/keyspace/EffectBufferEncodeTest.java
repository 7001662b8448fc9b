package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A command as the stream and the AOF carry it: RESP2 arrays of bulks, whatever the lengths' digit counts. */
class EffectBufferEncodeTest {

  @Test
  void encodesACommandAsAnArrayOfBulks() {
    byte[] encoded = EffectBuffer.encode(ascii("SET"), ascii("k:1"), ascii("xxx"));
    assertEquals("*3\r\n$3\r\nSET\r\n$3\r\nk:1\r\n$3\r\nxxx\r\n", new String(encoded, StandardCharsets.US_ASCII));
  }

  @Test
  void lengthsOfEveryDigitCountAndEmptyBulks() {
    for (int length : new int[] {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10000, 65536, 100000, 1000000}) {
      byte[] value = new byte[length];
      Arrays.fill(value, (byte) 'v');
      String expected = "*2\r\n$" + length + "\r\n" + "v".repeat(length) + "\r\n$0\r\n\r\n";
      assertEquals(expected, new String(EffectBuffer.encode(value, new byte[0]), StandardCharsets.US_ASCII),
          "length " + length);
    }
  }

  @Test
  void manyArguments() {
    byte[][] args = new byte[12][];
    StringBuilder expected = new StringBuilder("*12\r\n");
    for (int i = 0; i < args.length; i++) {
      args[i] = ascii("a" + i);
      expected.append('$').append(args[i].length).append("\r\n").append("a").append(i).append("\r\n");
    }
    assertEquals(expected.toString(), new String(EffectBuffer.encode(args), StandardCharsets.US_ASCII));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
