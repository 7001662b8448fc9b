package org.akkaredis.resp;

import akka.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expected results (replies, error texts, boundaries, quirks) were taken from a real redis-server 7.0.15
 * fed the same bytes.
 */
class RespDecoderTest {
  private static final long PROTO_MAX_BULK_LEN = 512L * 1024 * 1024;
  private static final long QUERY_BUFFER_LIMIT = 1024L * 1024 * 1024;
  private static final int MIB = 1024 * 1024;

  // ---------------------------------------------------------------- helpers

  private static RespDecoder decoder() {
    return new RespDecoder(PROTO_MAX_BULK_LEN, QUERY_BUFFER_LIMIT);
  }

  private static byte[] bytes(String latin1) {
    return latin1.getBytes(ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] repeat(char c, int count) {
    byte[] result = new byte[count];
    Arrays.fill(result, (byte) c);
    return result;
  }

  /** A multibulk request for the given arguments. */
  private static byte[] resp(byte[]... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes("*" + args.length + "\r\n"));
    for (byte[] arg : args) {
      out.writeBytes(bytes("$" + arg.length + "\r\n"));
      out.writeBytes(arg);
      out.writeBytes(bytes("\r\n"));
    }
    return out.toByteArray();
  }

  private static byte[] resp(String... args) {
    return resp(Arrays.stream(args).map(RespDecoderTest::bytes).toArray(byte[][]::new));
  }

  private static List<String> strings(byte[][] command) {
    List<String> result = new ArrayList<>(command.length);
    for (byte[] arg : command) {
      result.add(new String(arg, ISO_8859_1));
    }
    return result;
  }

  private static List<String> command(String... args) {
    return List.of(args);
  }

  /** Drains every complete command. */
  private static List<List<String>> drain(RespDecoder decoder) throws ProtocolException {
    List<List<String>> commands = new ArrayList<>();
    byte[][] command;
    while ((command = decoder.next()) != null) {
      commands.add(strings(command));
    }
    return commands;
  }

  /** Feeds each chunk and drains after it, as the connection does. */
  private static List<List<String>> decode(RespDecoder decoder, byte[]... chunks) throws ProtocolException {
    List<List<String>> commands = new ArrayList<>();
    for (byte[] chunk : chunks) {
      decoder.feed(ByteString.fromArray(chunk));
      commands.addAll(drain(decoder));
    }
    return commands;
  }

  private static List<List<String>> decode(byte[] input) throws ProtocolException {
    return decode(decoder(), input);
  }

  /** Everything observable after decoding some chunks: the commands, the error (if any), what is left. */
  private record Outcome(List<List<String>> commands, String error, boolean closeSilently, int buffered) {
  }

  private static Outcome outcome(RespDecoder decoder, List<byte[]> chunks) {
    List<List<String>> commands = new ArrayList<>();
    try {
      for (byte[] chunk : chunks) {
        decoder.feed(ByteString.fromArray(chunk));
        byte[][] command;
        while ((command = decoder.next()) != null) {
          commands.add(strings(command));
        }
      }
      return new Outcome(commands, null, false, decoder.buffered());
    } catch (ProtocolException e) {
      return new Outcome(commands, e.getMessage(), e.closeSilently(), -1);
    }
  }

  private static List<byte[]> oneByteAtATime(byte[] input) {
    List<byte[]> chunks = new ArrayList<>(input.length);
    for (byte b : input) {
      chunks.add(new byte[] {b});
    }
    return chunks;
  }

  private static List<byte[]> randomChunks(byte[] input, Random random, int maxChunk) {
    List<byte[]> chunks = new ArrayList<>();
    int pos = 0;
    while (pos < input.length) {
      int length = Math.min(input.length - pos, 1 + random.nextInt(maxChunk));
      chunks.add(Arrays.copyOfRange(input, pos, pos + length));
      pos += length;
    }
    return chunks;
  }

  private static List<byte[]> fixedChunks(byte[] input, int chunkSize) {
    List<byte[]> chunks = new ArrayList<>();
    for (int pos = 0; pos < input.length; pos += chunkSize) {
      chunks.add(Arrays.copyOfRange(input, pos, Math.min(input.length, pos + chunkSize)));
    }
    return chunks;
  }

  private static ProtocolException errorOf(RespDecoder decoder, byte[] input) {
    decoder.feed(ByteString.fromArray(input));
    return assertThrows(ProtocolException.class, () -> drain(decoder));
  }

  private static String errorMessage(byte[] input) {
    ProtocolException error = errorOf(decoder(), input);
    assertFalse(error.closeSilently(), "protocol errors are replied to");
    return error.getMessage();
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  // ---------------------------------------------------------------- basics

  @Test
  void decodesMultibulkAndInlineCommands() throws ProtocolException {
    assertEquals(List.of(command("SET", "key", "value"), command("GET", "key"), command("PING")),
        decode(concat(resp("SET", "key", "value"), bytes("GET key\r\nPING\n"))));
  }

  @Test
  void returnsNullUntilACommandIsComplete() throws ProtocolException {
    RespDecoder decoder = decoder();
    assertNull(decoder.next());
    decoder.feed(ByteString.fromArray(bytes("*2\r\n$3\r\nGET\r\n$3\r\nke")));
    assertNull(decoder.next());
    assertNull(decoder.next(), "asking again without new input changes nothing");
    decoder.feed(ByteString.fromArray(bytes("y\r\n")));
    assertEquals(command("GET", "key"), strings(decoder.next()));
    assertNull(decoder.next());
  }

  @Test
  void skipsEmptyCommands() throws ProtocolException {
    assertEquals(List.of(command("PING"), command("ECHO", "x")),
        decode(bytes("\r\n\n   \r\n*0\r\n*-1\r\n*-9223372036854775808\r\nPING\r\n\t\n*0\r\nECHO x\r\n")));
  }

  @Test
  void emptyArgumentsAreNotEmptyCommands() throws ProtocolException {
    assertEquals(List.of(command(""), command(""), command("ECHO", "")),
        decode(bytes("*1\r\n$0\r\n\r\n\"\"\r\nECHO ''\r\n")));
  }

  @Test
  void bulkArgumentsAreBinarySafe() throws ProtocolException {
    byte[] allBytes = new byte[256];
    for (int i = 0; i < 256; i++) {
      allBytes[i] = (byte) i;
    }
    byte[] tricky = bytes("\r\n\0*1\r\n$3\r\n\r\n");
    byte[] input = resp(bytes("SET"), tricky, allBytes);
    for (List<byte[]> chunks : List.of(List.of(input), oneByteAtATime(input))) {
      RespDecoder decoder = decoder();
      List<byte[][]> commands = new ArrayList<>();
      for (byte[] chunk : chunks) {
        decoder.feed(ByteString.fromArray(chunk));
        byte[][] command;
        while ((command = decoder.next()) != null) {
          commands.add(command);
        }
      }
      assertEquals(1, commands.size());
      assertArrayEquals(new byte[][] {bytes("SET"), tricky, allBytes}, commands.get(0));
    }
  }

  @Test
  void reportsUnconsumedBytes() throws ProtocolException {
    RespDecoder decoder = decoder();
    assertEquals(0, decoder.buffered());
    decoder.feed(ByteString.fromArray(bytes("PING\r\n*2\r\n$3\r\nGET\r\n$3\r\nk")));
    assertEquals(24, decoder.buffered());
    assertEquals(command("PING"), strings(decoder.next()));
    assertNull(decoder.next());
    assertEquals(1, decoder.buffered(), "parsed arguments and length lines are consumed");
    decoder.feed(ByteString.fromArray(bytes("ey\r\nPI")));
    assertEquals(command("GET", "key"), strings(decoder.next()));
    assertNull(decoder.next());
    assertEquals(2, decoder.buffered());
  }

  @Test
  void returnedArgumentsSurviveLaterInput() throws ProtocolException {
    RespDecoder decoder = decoder();
    decoder.feed(ByteString.fromArray(resp("SET", "a", "1")));
    byte[][] first = decoder.next();
    for (int i = 0; i < 1000; i++) {
      decoder.feed(ByteString.fromArray(resp("SET", "b", "2222222222")));
      assertNotNull(decoder.next());
    }
    assertEquals(command("SET", "a", "1"), strings(first));
  }

  // ---------------------------------------------------------------- split frames and pipelining

  private static byte[] mixedPipeline() {
    return concat(
        resp("SET", "key", "value"),
        bytes("PING\r\n"),
        bytes("\r\n*0\r\n*-1\r\n"),
        resp(bytes("ECHO"), bytes("a\r\nb\0c")),
        bytes("ECHO \"quoted \\x41\\n\" 'single\\'s'\n"),
        resp(""),
        bytes("  GET   k  \r\n"),
        resp("MSET", "k1", "v1", "k2", "v2", "k3", "v3"),
        bytes("*1\rX$4\r\nPING\r\n"));
  }

  private static List<List<String>> mixedPipelineCommands() {
    return List.of(
        command("SET", "key", "value"),
        command("PING"),
        command("ECHO", "a\r\nb\0c"),
        command("ECHO", "quoted A\n", "single's"),
        command(""),
        command("GET", "k"),
        command("MSET", "k1", "v1", "k2", "v2", "k3", "v3"),
        command("PING"));
  }

  @Test
  void splitAtEveryByteBoundaryDecodesTheSameCommands() {
    byte[] input = mixedPipeline();
    Outcome expected = new Outcome(mixedPipelineCommands(), null, false, 0);
    assertEquals(expected, outcome(decoder(), List.of(input)));
    for (int split = 0; split <= input.length; split++) {
      List<byte[]> chunks = List.of(Arrays.copyOfRange(input, 0, split), Arrays.copyOfRange(input, split, input.length));
      assertEquals(expected, outcome(decoder(), chunks), "split at " + split);
    }
    for (int first = 0; first <= input.length; first++) {
      for (int second = first; second <= input.length; second++) {
        List<byte[]> chunks = List.of(
            Arrays.copyOfRange(input, 0, first),
            Arrays.copyOfRange(input, first, second),
            Arrays.copyOfRange(input, second, input.length));
        assertEquals(expected, outcome(decoder(), chunks), "split at " + first + " and " + second);
      }
    }
  }

  @Test
  void oneByteAtATimeDecodesTheSameCommands() {
    assertEquals(new Outcome(mixedPipelineCommands(), null, false, 0), outcome(decoder(), oneByteAtATime(mixedPipeline())));
  }

  @Test
  void bigArgumentSplitAtEveryHeaderAndTrailerByteBoundary() {
    byte[] value = new byte[40_000]; // above the 32 KiB big-argument threshold
    new Random(7).nextBytes(value);
    byte[] input = concat(resp(bytes("SET"), bytes("k"), value), resp("GET", "k"));
    List<List<String>> commands = List.of(
        List.of("SET", "k", new String(value, ISO_8859_1)), command("GET", "k"));
    Outcome expected = new Outcome(commands, null, false, 0);
    // Every boundary around the headers and trailers, a sample inside the payload.
    for (int split = 0; split <= input.length; split += split < 100 || split > input.length - 100 ? 1 : 97) {
      List<byte[]> chunks = List.of(Arrays.copyOfRange(input, 0, split), Arrays.copyOfRange(input, split, input.length));
      assertEquals(expected, outcome(decoder(), chunks), "split at " + split);
    }
    assertEquals(expected, outcome(decoder(), oneByteAtATime(input)));
  }

  @Test
  void randomChunkingsDecodeTheSameCommands() {
    Random random = new Random(42);
    byte[] input = concat(mixedPipeline(), mixedPipeline(), resp(bytes("SET"), bytes("big"), repeat('v', 70_000)), mixedPipeline());
    Outcome expected = outcome(decoder(), List.of(input));
    assertEquals(3 * mixedPipelineCommands().size() + 1, expected.commands().size());
    assertNull(expected.error());
    for (int round = 0; round < 300; round++) {
      assertEquals(expected, outcome(decoder(), randomChunks(input, random, 1 + random.nextInt(20_000))), "round " + round);
    }
  }

  @Test
  void pipelinesThousandsOfCommandsInOneChunk() throws ProtocolException {
    ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
    List<List<String>> expected = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      if (i % 10 == 9) {
        pipeline.writeBytes(bytes("INCR counter:" + i + "\r\n"));
        expected.add(command("INCR", "counter:" + i));
      } else {
        pipeline.writeBytes(resp("SET", "key:" + i, "value:" + i));
        expected.add(command("SET", "key:" + i, "value:" + i));
      }
    }
    RespDecoder decoder = decoder();
    assertEquals(expected, decode(decoder, pipeline.toByteArray()));
    assertEquals(0, decoder.buffered());
    // The same pipeline split into socket-sized reads, reusing the decoder.
    assertEquals(expected, decode(decoder, fixedChunks(pipeline.toByteArray(), 16 * 1024).toArray(byte[][]::new)));
  }

  @Test
  void decodesCommandsWithMoreArgumentsThanTheInitialArgvSize() throws ProtocolException {
    String[] args = new String[3001];
    args[0] = "RPUSH";
    for (int i = 1; i < args.length; i++) {
      args[i] = "element-" + i;
    }
    byte[] input = resp(args);
    assertEquals(List.of(List.of(args)), decode(input));
    assertEquals(new Outcome(List.of(List.of(args)), null, false, 0),
        outcome(decoder(), randomChunks(input, new Random(3), 100)));
  }

  // ---------------------------------------------------------------- huge bulks and memory

  @Test
  void decodesA20MegabyteValueFedIn64KiBChunks() throws ProtocolException {
    int size = 20 * MIB;
    byte[] value = new byte[size];
    for (int i = 0; i < size; i++) {
      value[i] = (byte) (i * 31 + (i >>> 16));
    }
    byte[] input = concat(resp(bytes("SET"), bytes("k"), value), bytes("PING\r\n"));
    List<ByteString> chunks = fixedChunks(input, 64 * 1024).stream().map(ByteString::fromArray).toList();

    RespDecoder decoder = decoder();
    List<byte[][]> commands = new ArrayList<>();
    long allocatedBefore = allocatedBytes();
    for (ByteString chunk : chunks) {
      decoder.feed(chunk);
      byte[][] command;
      while ((command = decoder.next()) != null) {
        commands.add(command);
      }
    }
    long allocated = allocatedBytes() - allocatedBefore;

    assertEquals(2, commands.size());
    assertArrayEquals(new byte[][] {bytes("SET"), bytes("k"), value}, commands.get(0));
    assertEquals(command("PING"), strings(commands.get(1)));
    assertEquals(0, decoder.buffered());
    // The value grows with the data into its own array; buffering it whole and copying it out costs over 4x.
    assertTrue(allocated < 4L * size, "allocated " + allocated + " bytes for a " + size + " byte value");
  }

  @Test
  void bufferedCountsAPartlyReceivedBigArgument() throws ProtocolException {
    RespDecoder decoder = decoder();
    decoder.feed(ByteString.fromArray(concat(bytes("*2\r\n$3\r\nSET\r\n$100000\r\n"), repeat('x', 50_000))));
    assertNull(decoder.next());
    assertEquals(50_000, decoder.buffered());
    decoder.feed(ByteString.fromArray(repeat('x', 30_000)));
    assertNull(decoder.next());
    assertEquals(80_000, decoder.buffered());
    decoder.feed(ByteString.fromArray(concat(repeat('x', 20_000), bytes("\r"))));
    assertNull(decoder.next(), "the two bytes after the payload must arrive first");
    decoder.feed(ByteString.fromArray(bytes("\n")));
    byte[][] command = decoder.next();
    assertEquals(100_000, command[1].length);
    assertEquals(0, decoder.buffered());
  }

  @Test
  void aClaimedHugeBulkIsNotAllocatedUpFront() throws ProtocolException {
    RespDecoder decoder = new RespDecoder(4L * 1024 * MIB, QUERY_BUFFER_LIMIT);
    byte[] input = concat(bytes("*2\r\n$3\r\nSET\r\n$1000000000\r\n"), repeat('x', 100));
    long allocatedBefore = allocatedBytes();
    decoder.feed(ByteString.fromArray(input));
    assertNull(decoder.next());
    long allocated = allocatedBytes() - allocatedBefore;
    assertTrue(allocated < MIB, "allocated " + allocated + " bytes");
    assertEquals(100, decoder.buffered());
  }

  @Test
  void aClaimedHugeArgumentCountIsNotAllocatedUpFront() throws ProtocolException {
    RespDecoder decoder = decoder();
    long allocatedBefore = allocatedBytes();
    decoder.feed(ByteString.fromArray(bytes("*2147483647\r\n$3\r\nSET\r\n")));
    assertNull(decoder.next());
    long allocated = allocatedBytes() - allocatedBefore;
    assertTrue(allocated < MIB, "allocated " + allocated + " bytes");
  }

  // ---------------------------------------------------------------- Redis quirks

  @Test
  void bytesAfterCarriageReturnAndPayloadAreNotChecked() throws ProtocolException {
    assertEquals(List.of(command("PING")), decode(bytes("*1\rX$4\r\nPING\r\n")));
    assertEquals(List.of(command("PING")), decode(bytes("*1\r\n$4\r\nPINGxx")));
    assertEquals(List.of(command("a", "b")), decode(bytes("*2\r\n$1\r\na!!$1\rXb??")));
  }

  @Test
  void nulStopsTheSearchForTheEndOfALine() throws ProtocolException {
    // strchr() on Redis's query buffer stops at NUL, so these never complete.
    for (String stuck : List.of("PING\0\r\nPING\r\n", "*1\0\r\n$4\r\nPING\r\n", "*1\r\n$4\0\r\nPING\r\n")) {
      RespDecoder decoder = decoder();
      assertEquals(List.of(), decode(decoder, bytes(stuck)), stuck);
    }
    // ...until the unparsed bytes pass the inline limit.
    assertEquals("Protocol error: too big inline request", errorMessage(concat(bytes("PING\0\r\n"), repeat('x', 70_000))));
    assertEquals("Protocol error: too big mbulk count string", errorMessage(concat(bytes("*1"), new byte[70_000])));
    // NUL inside a bulk payload is just data.
    assertEquals(List.of(command("a\0b")), decode(bytes("*1\r\n$3\r\na\0b\r\n")));
  }

  @Test
  void inlineLineEndsAtNewlineWithOptionalCarriageReturn() throws ProtocolException {
    assertEquals(List.of(command("ECHO", "x"), command("ECHO", "a", "b"), command("PING")),
        decode(bytes("ECHO x\r\r\nECHO a\rb\r\nPING\n")));
  }

  // ---------------------------------------------------------------- inline quoting (sdssplitargs)

  static Stream<Arguments> inlineQuoting() {
    return Stream.of(
        Arguments.of("ECHO \"a\\x41b\"", List.of("ECHO", "aAb")),
        Arguments.of("ECHO 'it\\'s'", List.of("ECHO", "it's")),
        Arguments.of("ECHO a\"b c\"", List.of("ECHO", "ab c")),
        Arguments.of("ECHO ab\"cd\"", List.of("ECHO", "abcd")),
        Arguments.of("ECHO \"x\"\t", List.of("ECHO", "x")),
        Arguments.of("ECHO a\u000bb", List.of("ECHO", "a\u000bb")),
        Arguments.of("ECHO \u000b\"q\"\f", List.of("ECHO", "q")),
        Arguments.of("ECHO \"a\"\u000b", List.of("ECHO", "a")),
        Arguments.of("ECHO \"\\q\"", List.of("ECHO", "q")),
        Arguments.of("ECHO \"\\xzz\"", List.of("ECHO", "xzz")),
        Arguments.of("ECHO \"\\x4\"", List.of("ECHO", "x4")),
        Arguments.of("ECHO \"\\x41\\X41\"", List.of("ECHO", "AX41")),
        Arguments.of("ECHO \"\\xfF\\x00\"", List.of("ECHO", "\u00ff\0")),
        Arguments.of("ECHO 'a\\nb'", List.of("ECHO", "a\\nb")),
        Arguments.of("ECHO \"a\\n\\r\\t\\b\\a\\\\\"", List.of("ECHO", "a\n\r\t\b\u0007\\")),
        Arguments.of("ECHO \"a\fb\"", List.of("ECHO", "a\fb")),
        Arguments.of("ECHO \"a\rb\"", List.of("ECHO", "a\rb")),
        Arguments.of("ECHO \u00ff\u00fe", List.of("ECHO", "\u00ff\u00fe")),
        Arguments.of("  ECHO   x  ", List.of("ECHO", "x")),
        Arguments.of("SET \"\" ''", List.of("SET", "", "")));
  }

  @ParameterizedTest
  @MethodSource("inlineQuoting")
  void splitsInlineArgumentsLikeRedis(String line, List<String> expected) throws ProtocolException {
    assertEquals(List.of(expected), decode(bytes(line + "\r\n")));
    assertEquals(List.of(expected), decode(bytes(line + "\n")));
  }

  @ParameterizedTest
  @MethodSource("org.akkaredis.resp.RespDecoderTest#unbalancedQuotes")
  void rejectsUnbalancedQuotes(String line) {
    assertEquals("Protocol error: unbalanced quotes in request", errorMessage(bytes(line + "\r\n")));
  }

  static Stream<String> unbalancedQuotes() {
    return Stream.of("ECHO \"a\"b", "ECHO \"abc", "ECHO \"a\\\"", "ECHO a\"b c\"d", "ECHO 'a'b", "ECHO 'ab",
        "ECHO \"a\\", "ECHO \"ab\\\"", "ECHO \"a", "ECHO 'a\\\\'", "\"", "'");
  }

  // ---------------------------------------------------------------- protocol errors

  static Stream<Arguments> protocolErrors() {
    return Stream.of(
        Arguments.of("*-0\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*01\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*+1\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*-\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("* 1\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*1 \r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*abc\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*2147483648\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*9223372036854775807\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*9223372036854775808\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*-9223372036854775809\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*1\r\n\r\n", "Protocol error: expected '$', got ' '"),
        Arguments.of("*1\r\n\n\r\n", "Protocol error: expected '$', got ' '"),
        Arguments.of("*1\r\n\u00ff\r\n", "Protocol error: expected '$', got '\u00ff'"),
        Arguments.of("*1\r\n4\r\n", "Protocol error: expected '$', got '4'"),
        Arguments.of("*1\r\nPING\r\n", "Protocol error: expected '$', got 'P'"),
        Arguments.of("*2\r\n$3\r\nGET\r\n:1\r\n", "Protocol error: expected '$', got ':'"),
        Arguments.of("*1\r\n$-1\r\n", "Protocol error: invalid bulk length"),
        Arguments.of("*1\r\n$-0\r\n", "Protocol error: invalid bulk length"),
        Arguments.of("*1\r\n$01\r\n", "Protocol error: invalid bulk length"),
        Arguments.of("*1\r\n$\r\n", "Protocol error: invalid bulk length"),
        Arguments.of("*1\r\n$1x\r\n", "Protocol error: invalid bulk length"),
        Arguments.of("*1\r\n$ 1\r\n", "Protocol error: invalid bulk length"),
        Arguments.of("*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"),
        Arguments.of("*1\r\n$99999999999999999999\r\n", "Protocol error: invalid bulk length"));
  }

  @ParameterizedTest
  @MethodSource("protocolErrors")
  void reportsRedisErrorText(String input, String expectedMessage) {
    assertEquals(expectedMessage, errorMessage(bytes(input)));
    // Byte by byte, the error surfaces exactly when its line is complete.
    RespDecoder decoder = decoder();
    Outcome outcome = outcome(decoder, oneByteAtATime(bytes(input)));
    assertEquals(new Outcome(List.of(), expectedMessage, false, -1), outcome);
  }

  @Test
  void commandsBeforeAnErrorAreStillReturned() {
    Outcome outcome = outcome(decoder(), List.of(bytes("PING\r\nECHO a\r\n*x\r\nPING\r\n")));
    assertEquals(new Outcome(List.of(command("PING"), command("ECHO", "a")),
        "Protocol error: invalid multibulk length", false, -1), outcome);
  }

  @Test
  void largestCountsAndLengthsAreAccepted() throws ProtocolException {
    assertEquals(List.of(), decode(bytes("*2147483647\r\n")));
    assertEquals(List.of(), decode(bytes("*1\r\n$536870912\r\n")));
    assertEquals(List.of(), decode(bytes("*1048577\r\n")), "7.0 allows more than 1024*1024 arguments");
  }

  @Test
  void honoursProtoMaxBulkLen() throws ProtocolException {
    assertEquals(List.of(command("x".repeat(100))), decode(new RespDecoder(100, QUERY_BUFFER_LIMIT), resp("x".repeat(100))));
    assertEquals("Protocol error: invalid bulk length",
        errorOf(new RespDecoder(100, QUERY_BUFFER_LIMIT), bytes("*1\r\n$101\r\n")).getMessage());
  }

  @Test
  void decoderStaysFailedAfterAnError() {
    RespDecoder decoder = decoder();
    ProtocolException first = errorOf(decoder, bytes("*x\r\n"));
    decoder.feed(ByteString.fromArray(bytes("PING\r\n")));
    assertSame(first, assertThrows(ProtocolException.class, decoder::next));
    assertEquals(0, decoder.buffered());
  }

  // ---------------------------------------------------------------- lines that never end

  @Test
  void tooBigMultibulkCountString() throws ProtocolException {
    // The limit is on all unparsed bytes: more than 64 KiB without '\r'.
    assertEquals(List.of(), decode(concat(bytes("*"), repeat('1', 65_535))));
    assertEquals("Protocol error: too big mbulk count string", errorMessage(concat(bytes("*"), repeat('1', 65_536))));
    assertEquals("Protocol error: too big mbulk count string",
        outcome(decoder(), fixedChunks(concat(bytes("*"), repeat('1', 200_000)), 1000)).error());
  }

  @Test
  void tooBigBulkCountString() throws ProtocolException {
    assertEquals(List.of(), decode(concat(bytes("*1\r\n$"), repeat('1', 65_535))));
    assertEquals("Protocol error: too big bulk count string", errorMessage(concat(bytes("*1\r\n$"), repeat('1', 65_536))));
    assertEquals("Protocol error: too big bulk count string",
        outcome(decoder(), fixedChunks(concat(bytes("*1\r\n"), repeat('$', 200_000)), 1000)).error());
  }

  @Test
  void tooBigInlineRequest() throws ProtocolException {
    assertEquals(List.of(), decode(concat(bytes("PING"), repeat('x', 65_532))));
    assertEquals("Protocol error: too big inline request", errorMessage(concat(bytes("PING"), repeat('x', 65_533))));
    assertEquals("Protocol error: too big inline request",
        outcome(decoder(), fixedChunks(repeat('x', 200_000), 1000)).error());
    // A long line that arrives whole with its newline is accepted, as in Redis.
    assertEquals(List.of(command("ECHO", "y".repeat(100_000))), decode(bytes("ECHO " + "y".repeat(100_000) + "\r\n")));
  }

  @Test
  void tooLongLineWithATerminatorIsAnInvalidNumberNotTooBig() {
    assertEquals("Protocol error: invalid multibulk length", errorMessage(concat(bytes("*"), repeat('1', 70_000), bytes("\r\n"))));
  }

  // ---------------------------------------------------------------- unauthenticated limits

  @Test
  void unauthenticatedMultibulkLength() throws ProtocolException {
    RespDecoder unauthenticated = decoder();
    unauthenticated.setAuthenticated(false);
    assertEquals(List.of(), decode(unauthenticated, bytes("*10\r\n")));

    RespDecoder tooMany = decoder();
    tooMany.setAuthenticated(false);
    assertEquals("Protocol error: unauthenticated multibulk length", errorOf(tooMany, bytes("*11\r\n")).getMessage());

    RespDecoder invalidFirst = decoder();
    invalidFirst.setAuthenticated(false);
    assertEquals("Protocol error: invalid multibulk length", errorOf(invalidFirst, bytes("*99999999999\r\n")).getMessage());
  }

  @Test
  void unauthenticatedBulkLength() throws ProtocolException {
    RespDecoder unauthenticated = decoder();
    unauthenticated.setAuthenticated(false);
    assertEquals(List.of(), decode(unauthenticated, bytes("*1\r\n$16384\r\n")));

    RespDecoder tooLong = decoder();
    tooLong.setAuthenticated(false);
    assertEquals("Protocol error: unauthenticated bulk length", errorOf(tooLong, bytes("*1\r\n$16385\r\n")).getMessage());

    RespDecoder invalidFirst = decoder();
    invalidFirst.setAuthenticated(false);
    assertEquals("Protocol error: invalid bulk length", errorOf(invalidFirst, bytes("*1\r\n$99999999999\r\n")).getMessage());
  }

  @Test
  void inlineCommandsHaveNoUnauthenticatedLimits() throws ProtocolException {
    RespDecoder decoder = decoder();
    decoder.setAuthenticated(false);
    List<List<String>> commands = decode(decoder, bytes("AUTH " + "a ".repeat(20) + "x".repeat(20_000) + "\r\n"));
    assertEquals(22, commands.get(0).size());
  }

  @Test
  void authenticatingBetweenPipelinedCommandsLiftsTheLimits() throws ProtocolException {
    RespDecoder decoder = decoder();
    decoder.setAuthenticated(false);
    String[] many = new String[11];
    Arrays.fill(many, "a");
    decoder.feed(ByteString.fromArray(concat(bytes("AUTH pw\r\n"), resp(many), resp("SET", "k", "v".repeat(20_000)))));
    assertEquals(command("AUTH", "pw"), strings(decoder.next()));
    decoder.setAuthenticated(true);
    assertEquals(List.of(many), strings(decoder.next()));
    assertEquals(20_000, decoder.next()[2].length);
  }

  // ---------------------------------------------------------------- client-query-buffer-limit

  @Test
  void queryBufferLimitCountsOnlyUnconsumedBytes() throws ProtocolException {
    // As in Redis, parsed arguments leave the query buffer: three 700 KiB arguments pass a 1 MiB limit.
    byte[] value = repeat('v', 700 * 1024);
    byte[] input = resp(bytes("SET"), value, value);
    RespDecoder decoder = new RespDecoder(PROTO_MAX_BULK_LEN, MIB);
    List<List<String>> commands = decode(decoder, fixedChunks(input, 64 * 1024).toArray(byte[][]::new));
    assertEquals(1, commands.size());
    assertEquals(700 * 1024, commands.get(0).get(2).length());
  }

  @Test
  void queryBufferLimitClosesSilently() {
    byte[] input = concat(bytes("*2\r\n$3\r\nSET\r\n$1126400\r\n"), repeat('v', 1_126_400), bytes("\r\n"));
    RespDecoder decoder = new RespDecoder(PROTO_MAX_BULK_LEN, MIB);
    Outcome outcome = outcome(decoder, fixedChunks(input, 64 * 1024));
    assertEquals(new Outcome(List.of(), "closing client that reached max query buffer length", true, -1), outcome);
  }

  @Test
  void queryBufferLimitIsCheckedBeforeParsingWhatWasFed() {
    // Redis checks right after a read, so a read that overflows the limit runs none of its commands.
    byte[] pings = new byte[6 * 200_000];
    for (int i = 0; i < 200_000; i++) {
      System.arraycopy(bytes("PING\r\n"), 0, pings, 6 * i, 6);
    }
    Outcome outcome = outcome(new RespDecoder(PROTO_MAX_BULK_LEN, MIB), List.of(pings));
    assertEquals(new Outcome(List.of(), "closing client that reached max query buffer length", true, -1), outcome);
    assertEquals(200_000, outcome(new RespDecoder(PROTO_MAX_BULK_LEN, MIB), fixedChunks(pings, 64 * 1024)).commands().size());
  }

  // ---------------------------------------------------------------- garbage

  @Test
  void garbageNeverBreaksTheDecoderAndChunkingNeverChangesTheResult() {
    // Below 64 KiB no "too big" limit applies, so every chunking must give the same outcome.
    byte[] alphabet = bytes("**$$\r\n\r\n\r\n0123456789-\"'\\ x\0\tab");
    Random random = new Random(1234);
    int errors = 0;
    int commands = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] garbage = new byte[1 + random.nextInt(300)];
      for (int i = 0; i < garbage.length; i++) {
        garbage[i] = random.nextInt(8) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
      }
      Outcome whole = outcome(decoder(), List.of(garbage));
      assertEquals(whole, outcome(decoder(), oneByteAtATime(garbage)), () -> "input " + Arrays.toString(garbage));
      assertEquals(whole, outcome(decoder(), randomChunks(garbage, random, 20)), () -> "input " + Arrays.toString(garbage));
      if (whole.error() != null) {
        errors++;
        assertTrue(whole.error().startsWith("Protocol error: "), whole.error());
      }
      commands += whole.commands().size();
    }
    // The generator must actually reach both outcomes.
    assertTrue(errors > 100, "errors: " + errors);
    assertTrue(commands > 100, "commands: " + commands);
  }

  @Test
  void garbageErrorMessagesAreSingleLine() {
    Random random = new Random(99);
    for (int round = 0; round < 2000; round++) {
      byte[] garbage = new byte[2 + random.nextInt(20)];
      random.nextBytes(garbage);
      garbage[0] = '*';
      garbage[1] = '1';
      byte[] input = concat(garbage, bytes("\r\n"));
      Outcome outcome = outcome(decoder(), List.of(input));
      String error = Objects.requireNonNullElse(outcome.error(), "");
      assertFalse(error.contains("\r") || error.contains("\n"), error);
    }
  }
}
