package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.akkaredis.persistence.AofCommandReader.AofFormatException;
import org.akkaredis.persistence.AofCommandReader.Result;
import org.junit.jupiter.api.Test;

/** The byte strings named "written by Redis" are files Debian's redis-server 7.0.15 wrote, byte for byte. */
class AofCommandReaderTest {
  /** appendonly.aof.1.incr.aof after SET k1 v1, SET k2 v2, SET k3 v3 (110 bytes). */
  private static final String THREE_SETS = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
      + "*3\r\n$3\r\nset\r\n$2\r\nk1\r\n$2\r\nv1\r\n"
      + "*3\r\n$3\r\nset\r\n$2\r\nk2\r\n$2\r\nv2\r\n"
      + "*3\r\n$3\r\nset\r\n$2\r\nk3\r\n$2\r\nv3\r\n";
  /** With aof-timestamp-enabled yes: SET a 1, a second later SET b 2. */
  private static final String WITH_TIMESTAMPS = "#TS:1796186661\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
      + "*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\n1\r\n#TS:1796186663\r\n*3\r\n$3\r\nset\r\n$1\r\nb\r\n$1\r\n2\r\n";
  /** MULTI, SET a 1, INCR a, EXEC, then INCRBYFLOAT f 1.5 and EXPIRE f 100 in db 1. */
  private static final String WITH_TRANSACTION = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*1\r\n$5\r\nMULTI\r\n"
      + "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\na\r\n*1\r\n$4\r\nEXEC\r\n"
      + "*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*4\r\n$3\r\nSET\r\n$1\r\nf\r\n$3\r\n1.5\r\n$7\r\nKEEPTTL\r\n"
      + "*3\r\n$9\r\nPEXPIREAT\r\n$1\r\nf\r\n$13\r\n1796186883617\r\n";

  @Test
  void readsTheCommandsRedisWrote() throws IOException {
    Read read = read(THREE_SETS);
    assertEquals(List.of("SELECT 0", "set k1 v1", "set k2 v2", "set k3 v3"), read.commands);
    assertEquals(new Result(110, false), read.result);

    Read transaction = read(WITH_TRANSACTION);
    assertEquals(List.of("SELECT 0", "MULTI", "SET a 1", "INCR a", "EXEC", "SELECT 1", "SET f 1.5 KEEPTTL",
        "PEXPIREAT f 1796186883617"), transaction.commands);
    assertEquals(new Result(WITH_TRANSACTION.length(), false), transaction.result);
  }

  @Test
  void anEmptyStreamHasNoCommandsAndIsNotTruncated() throws IOException {
    Read read = read("");
    assertEquals(List.of(), read.commands);
    assertEquals(new Result(0, false), read.result);
  }

  @Test
  void skipsTimestampAnnotations() throws IOException {
    Read read = read(WITH_TIMESTAMPS);
    assertEquals(List.of("SELECT 0", "set a 1", "set b 2"), read.commands);
    assertEquals(new Result(WITH_TIMESTAMPS.length(), false), read.result);
    assertEquals(new Result(16, false), read("#TS:1796186661\r\n").result);
  }

  @Test
  void aTimestampTheStreamEndsInIsATruncatedTail() throws IOException {
    // Redis 7.0.15 would load this, keep "#TS:17" in the file and fail at the next start.
    Read read = read(THREE_SETS + "#TS:17");
    assertEquals(4, read.commands.size());
    assertEquals(new Result(110, true), read.result);
  }

  @Test
  void commandsMaySplitAnywhereInTheStream() throws IOException {
    byte[] data = mixedCommands(new Random(7));
    Read whole = read(new ByteArrayInputStream(data));
    assertEquals(new Result(data.length, false), whole.result);
    for (int chunk : new int[] {1, 2, 3, 5, 13, 4096, 65535, 65537}) {
      Read split = read(new ChunkedStream(data, chunk));
      assertEquals(whole.commands, split.commands, "read " + chunk + " bytes at a time");
      assertEquals(whole.result, split.result);
    }
  }

  /** Small and big values, so that commands straddle the reader's 64 KiB buffer at many different points. */
  private static byte[] mixedCommands(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 3000; i++) {
      int size = i % 500 == 0 ? 70_000 + random.nextInt(70_000) : random.nextInt(300);
      byte[] value = new byte[size];
      random.nextBytes(value);
      write(out, "SET".getBytes(StandardCharsets.US_ASCII), ("key:" + i).getBytes(StandardCharsets.US_ASCII), value);
      if (i % 97 == 0) out.writeBytes(("#TS:" + (1_700_000_000 + i) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  @Test
  void aTailCutAtAnyByteOfTheLastCommandIsTruncatedToTheCommandBefore() throws IOException {
    // redis-server 7.0.15 given THREE_SETS cut to 105 bytes: "!!! Truncating the AOF appendonly.aof.1.incr.aof at
    // offset 81 !!!", and it loads k1 and k2.
    assertEquals(new Result(81, true), read(THREE_SETS.substring(0, 105)).result);
    int lastStart = 81;
    for (int cut = lastStart + 1; cut < THREE_SETS.length(); cut++) {
      Read read = read(THREE_SETS.substring(0, cut));
      assertEquals(new Result(lastStart, true), read.result, "cut at " + cut);
      assertEquals(List.of("SELECT 0", "set k1 v1", "set k2 v2"), read.commands, "cut at " + cut);
    }
    assertEquals(new Result(lastStart, false), read(THREE_SETS.substring(0, lastStart)).result);
  }

  @Test
  void aCutThroughABigValueIsTruncatedToo() throws IOException {
    byte[] value = new byte[200_000];
    new Random(3).nextBytes(value);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(THREE_SETS.getBytes(StandardCharsets.US_ASCII));
    write(out, "SET".getBytes(StandardCharsets.US_ASCII), "big".getBytes(StandardCharsets.US_ASCII), value);
    byte[] data = out.toByteArray();
    for (int cut : new int[] {111, 115, 124, 130, 65_536, 65_537, 131_072, 150_000, data.length - 3, data.length - 1}) {
      Read read = read(new ChunkedStream(Arrays.copyOf(data, cut), cut % 2 == 0 ? 70_000 : 1 << 20));
      assertEquals(new Result(110, true), read.result, "cut at " + cut);
      assertEquals(4, read.commands.size());
    }
  }

  @Test
  void aCorruptMiddleFailsWithTheOffset() {
    // redis-server 7.0.15 with the '*' at offset 52 made an 'X': "Bad file format reading the append only file
    // appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix
    // <filename.manifest>", exit status 1; redis-check-aof: "ok_up_to=52".
    AofFormatException star = formatError(THREE_SETS.substring(0, 52) + "X" + THREE_SETS.substring(53));
    assertEquals(52, star.offset());
    assertEquals(52, star.validBytes());
    // The '$' at offset 56 made an 'x': redis-check-aof "Expected prefix '$', got: 'x'", ok_up_to=52.
    AofFormatException dollar = formatError(THREE_SETS.substring(0, 56) + "x" + THREE_SETS.substring(57));
    assertEquals(56, dollar.offset());
    assertEquals(52, dollar.validBytes());
    assertTrue(dollar.getMessage().contains("offset 56"), dollar.getMessage());
  }

  @Test
  void malformedHeadersAndBulksFail() {
    assertEquals(0, formatError("\r\n").offset());
    assertEquals(0, formatError("SET a b\r\n").offset());
    assertEquals(0, formatError("*0\r\n").offset());
    assertEquals(1, formatError("*-1\r\n").offset());
    assertEquals(1, formatError("*\r\n").offset());
    assertEquals(2, formatError("*3x\r\n$3\r\nSET\r\n").offset());
    assertEquals(3, formatError("*1\r\r\n").offset());
    assertEquals(19, formatError("*1234567890123456789\r\n").offset());
    assertEquals(4, formatError("*1\r\nPING\r\n").offset());
    assertEquals(5, formatError("*1\r\n$-1\r\n").offset());
    assertEquals(5, formatError("*1\r\n$\r\n").offset());
    assertEquals(4, formatError("*1\r\n$99999999999\r\n").offset());
    // Redis reads the two bytes after a bulk without looking at them; a file Redis wrote always has CRLF there.
    assertEquals(12, formatError("*1\r\n$4\r\nPINGXY").offset());
    assertEquals(13, formatError("*1\r\n$4\r\nPING\rX").offset());
  }

  @Test
  void aStreamEndingInsideAHeaderIsTruncated() throws IOException {
    for (String tail : List.of("*", "*1", "*1\r", "*1\r\n", "*1\r\n$", "*1\r\n$4", "*1\r\n$4\r", "*1\r\n$4\r\n",
        "*1\r\n$4\r\nPI", "*1\r\n$4\r\nPING", "*1\r\n$4\r\nPING\r", "*2\r\n$4\r\nPING\r\n")) {
      assertEquals(new Result(110, true), read(THREE_SETS + tail).result, tail);
    }
  }

  @Test
  void aTransactionReachesTheVisitorOnlyWithItsExec() throws IOException {
    byte[] data = WITH_TRANSACTION.getBytes(StandardCharsets.ISO_8859_1);
    long execEnd = WITH_TRANSACTION.indexOf("*2\r\n$6\r\nSELECT\r\n$1\r\n1");
    ChunkedStream oneByteAtATime = new ChunkedStream(data, 1);
    List<String> commands = new ArrayList<>();
    List<Long> bytesReadWhenSeen = new ArrayList<>();
    AofCommandReader.read(oneByteAtATime, args -> {
      commands.add(text(args));
      bytesReadWhenSeen.add(oneByteAtATime.bytesRead);
    });
    assertEquals(List.of("MULTI", "SET a 1", "INCR a", "EXEC"), commands.subList(1, 5));
    for (int i = 1; i < 5; i++) assertEquals(execEnd, bytesReadWhenSeen.get(i), commands.get(i));
  }

  @Test
  void aStreamEndingInsideATransactionIsTruncatedBeforeItsMulti() throws IOException {
    // redis-server 7.0.15: "Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof", then
    // "!!! Truncating the AOF appendonly.aof.1.incr.aof at offset 110 !!!".
    String open = THREE_SETS + "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nset\r\n$2\r\nk9\r\n$2\r\nv9\r\n";
    Read read = read(open);
    assertEquals(new Result(110, true), read.result);
    assertEquals(List.of("SELECT 0", "set k1 v1", "set k2 v2", "set k3 v3"), read.commands);
    assertEquals(new Result(110, true), read(open + "*1\r\n$4\r\nEX").result);
    Read closed = read(open + "*1\r\n$4\r\nexec\r\n");
    assertEquals(7, closed.commands.size());
    assertEquals(new Result(open.length() + 14, false), closed.result);
    assertEquals(new Result(110, true), read(THREE_SETS + "#TS:1\r\n*1\r\n$5\r\nmulti\r\n#TS:2\r\n").result);
  }

  @Test
  void aFormatErrorInsideATransactionReportsTheBytesBeforeIt() {
    AofFormatException e = formatError(THREE_SETS + "*1\r\n$5\r\nMULTI\r\nX");
    assertEquals(125, e.offset());
    assertEquals(110, e.validBytes());
  }

  @Test
  void readsAFiveMegabyteValue() throws IOException {
    byte[] value = new byte[5 * 1024 * 1024];
    new Random(5).nextBytes(value);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, "SET".getBytes(StandardCharsets.US_ASCII), "big".getBytes(StandardCharsets.US_ASCII), value);
    write(out, "GET".getBytes(StandardCharsets.US_ASCII), "big".getBytes(StandardCharsets.US_ASCII));
    byte[] data = out.toByteArray();
    for (int chunk : new int[] {1 << 20, 1000, 65_536}) {
      List<byte[][]> commands = new ArrayList<>();
      Result result = AofCommandReader.read(new ChunkedStream(data, chunk), commands::add);
      assertEquals(new Result(data.length, false), result);
      assertEquals(2, commands.size());
      assertArrayEquals(value, commands.get(0)[2]);
      assertEquals("GET big", text(commands.get(1)));
    }
  }

  @Test
  void anArgumentMayBeEmptyOrBinary() throws IOException {
    byte[] binary = {0, '\r', '\n', '*', '$', (byte) 0xff};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, "SET".getBytes(StandardCharsets.US_ASCII), new byte[0], binary);
    List<byte[][]> commands = new ArrayList<>();
    AofCommandReader.read(new ByteArrayInputStream(out.toByteArray()), commands::add);
    assertArrayEquals(new byte[0], commands.get(0)[1]);
    assertArrayEquals(binary, commands.get(0)[2]);
  }

  @Test
  void readsAMillionSets() throws IOException {
    byte[] data = millionSets();
    long[] count = new long[1];
    AofCommandReader.Result result = AofCommandReader.read(new ByteArrayInputStream(data), args -> count[0]++);
    assertEquals(1_000_000, count[0]);
    assertEquals(data.length, result.validBytes());
  }

  /** SET key:NNNNNNNN value-NNNNNNNN, a million times: one template copied, its digits filled in. */
  private static byte[] millionSets() {
    byte[] template = "*3\r\n$3\r\nSET\r\n$12\r\nkey:00000000\r\n$14\r\nvalue-00000000\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    String text = new String(template, StandardCharsets.US_ASCII);
    int keyDigits = text.indexOf("key:") + 4;
    int valueDigits = text.indexOf("value-") + 6;
    byte[] data = new byte[template.length * 1_000_000];
    for (int i = 0; i < 1_000_000; i++) {
      int at = i * template.length;
      System.arraycopy(template, 0, data, at, template.length);
      for (int digit = 7, rest = i; digit >= 0; digit--, rest /= 10) {
        data[at + keyDigits + digit] = (byte) ('0' + rest % 10);
        data[at + valueDigits + digit] = (byte) ('0' + rest % 10);
      }
    }
    return data;
  }

  private record Read(List<String> commands, Result result) {}

  private static Read read(String data) throws IOException {
    return read(stream(data));
  }

  private static Read read(InputStream in) throws IOException {
    List<String> commands = new ArrayList<>();
    Result result = AofCommandReader.read(in, args -> commands.add(text(args)));
    return new Read(commands, result);
  }

  private static AofFormatException formatError(String data) {
    return assertThrows(AofFormatException.class, () -> AofCommandReader.read(stream(data), args -> {}));
  }

  private static InputStream stream(String data) {
    return new ByteArrayInputStream(data.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String text(byte[][] args) {
    List<String> parts = new ArrayList<>();
    for (byte[] arg : args) parts.add(new String(arg, StandardCharsets.ISO_8859_1));
    return String.join(" ", parts);
  }

  private static void write(ByteArrayOutputStream out, byte[]... args) {
    out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] arg : args) {
      out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(arg);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
  }

  /** Hands out at most {@code chunk} bytes per read, as a pipe or a slow disk may. */
  private static final class ChunkedStream extends FilterInputStream {
    private final int chunk;
    private long bytesRead;

    ChunkedStream(byte[] data, int chunk) {
      super(new ByteArrayInputStream(data));
      this.chunk = chunk;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, Math.min(len, chunk));
      if (n > 0) bytesRead += n;
      return n;
    }
  }
}
