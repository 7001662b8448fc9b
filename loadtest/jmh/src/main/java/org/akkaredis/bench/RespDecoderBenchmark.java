package org.akkaredis.bench;

import akka.util.ByteString;
import java.util.concurrent.TimeUnit;
import org.akkaredis.resp.ProtocolException;
import org.akkaredis.resp.RespDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One socket read of {@code commands} pipelined SETs, as redis-benchmark -r sends them ({@code SET key:<12 digits>
 * xxx}), fed to a connection's decoder and taken out command by command: the time per read (divide by
 * {@code commands} for the time per command).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RespDecoderBenchmark {
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
