package org.akkaredis.bench;

import akka.util.ByteString;
import org.akkaredis.resp.ProtocolException;
import org.akkaredis.resp.RespDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One socket read of {@code commands} pipelined SETs, as redis-benchmark -r sends them ({@code SET key:<12 digits>
 * xxx}), fed to a connection's decoder and taken out command by command: the time per read (divide by
 * {@code commands} for the time per command).
 */
public class RespDecoderBenchmark extends HotPathBenchmark {
  /** 1: redis-benchmark -P 1; 16: -P 16; 100: a deep pipeline. */
  @Param({"1", "16", "100"})
  public int commands;

  private ByteString read;
  private RespDecoder decoder;

  @Setup(Level.Trial)
  public void setUp() throws ProtocolException {
    read = Fixtures.pipelinedSets(commands);
    // the limits of a node with default settings: proto-max-bulk-len 512mb, client-query-buffer-limit 1gb
    decoder = new RespDecoder(512L << 20, 1L << 30);
    int decoded = Fixtures.checkDecodes(decoder, read);
    if (decoded != commands) throw new IllegalStateException("the fixture decodes to " + decoded + " commands");
  }

  @Benchmark
  public void decodeRead(Blackhole sink) throws ProtocolException {
    decoder.feed(read);
    byte[][] args;
    while ((args = decoder.next()) != null) sink.consume(args);
  }
}
