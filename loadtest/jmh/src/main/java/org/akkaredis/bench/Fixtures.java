package org.akkaredis.bench;

import akka.util.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.akkaredis.resp.ProtocolException;
import org.akkaredis.resp.RespDecoder;

/** What the benchmarks feed the node: requests as redis-benchmark sends them. */
final class Fixtures {
  private Fixtures() {}

  /** redis-benchmark -r 100000's key: "key:" and a random number of 12 digits. */
  static byte[] key(int i) {
    return String.format("key:%012d", (i * 7919L) % 100_000).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[][] set(int i) {
    return new byte[][] {bytes("SET"), key(i), bytes("xxx")};
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code count} SET commands in RESP, one after another, as one read. */
  static ByteString pipelinedSets(int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      byte[][] args = set(i);
      out.append('*').append(args.length).append("\r\n");
      for (byte[] arg : args) {
        out.append('$').append(arg.length).append("\r\n").append(new String(arg, StandardCharsets.US_ASCII)).append("\r\n");
      }
    }
    return ByteString.fromArray(out.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Feeds {@code read} to {@code decoder} and checks that it gives back exactly the commands
   * {@link #pipelinedSets} encoded; returns how many it gave.
   */
  static int checkDecodes(RespDecoder decoder, ByteString read) throws ProtocolException {
    decoder.feed(read);
    int count = 0;
    byte[][] args;
    while ((args = decoder.next()) != null) {
      if (!Arrays.deepEquals(args, set(count))) {
        throw new IllegalStateException("command " + count + " decodes to something else than it was");
      }
      count++;
    }
    return count;
  }
}
