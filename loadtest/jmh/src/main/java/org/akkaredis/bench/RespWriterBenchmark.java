package org.akkaredis.bench;

import akka.util.ByteString;
import java.nio.charset.StandardCharsets;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One batch's replies encoded into the one ByteString a connection writes: {@code replies} replies of one kind, the
 * reply of SET (+OK), GET (a 3-byte bulk), INCR (an integer) or LRANGE 0 9 (an array of ten 3-byte bulks), RESP2.
 * The time per batch.
 */
public class RespWriterBenchmark extends HotPathBenchmark {
  @Param({"1", "16"})
  public int replies;

  @Param({"ok", "bulk", "integer", "array"})
  public String kind;

  private Reply[] batch;
  private RespWriter writer;

  @Setup(Level.Trial)
  public void setUp() {
    batch = new Reply[replies];
    for (int i = 0; i < replies; i++) batch[i] = reply(kind, i);
    writer = new RespWriter();
  }

  static Reply reply(String kind, int i) {
    byte[] xxx = "xxx".getBytes(StandardCharsets.US_ASCII);
    return switch (kind) {
      case "ok" -> Reply.OK;
      case "bulk" -> Reply.bulk(xxx);
      // INCR's counts are new Longs, as a handler's reply is
      case "integer" -> Reply.integer(100_000L + i);
      case "array" -> {
        Reply[] items = new Reply[10];
        for (int j = 0; j < items.length; j++) items[j] = Reply.bulk(xxx);
        yield Reply.array(items);
      }
      default -> throw new IllegalArgumentException(kind);
    };
  }

  @Benchmark
  public ByteString encodeBatch() {
    for (Reply reply : batch) writer.write(reply, 2);
    return writer.take();
  }
}
