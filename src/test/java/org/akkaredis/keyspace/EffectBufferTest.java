package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Where recorded effects go: a client's writes to replication and the AOF, a replica's applied writes to the AOF
 * only, each run of one database and origin in one call; and what a reply must wait for.
 */
class EffectBufferTest {
  private static class Recorder implements EffectSink {
    final List<String> calls = new ArrayList<>();
    final CompletableFuture<Void> synced;

    Recorder(CompletableFuture<Void> synced) {
      this.synced = synced;
    }

    @Override public void accept(int range, int db, byte[] resp) {
      calls.add(range + " " + db + " " + new String(resp, StandardCharsets.US_ASCII).replace("\r\n", " ").trim());
    }

    @Override public CompletionStage<Void> synced() {
      return synced;
    }
  }

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void clientWritesReachBothSinksAndAppliedOnesOnlyTheAof() {
    Recorder replication = new Recorder(null);
    CompletableFuture<Void> fsync = new CompletableFuture<>();
    Recorder aof = new Recorder(fsync);
    Propagation propagation = new Propagation();
    propagation.sink(replication);
    propagation.aofSink(aof);
    EffectBuffer buffer = new EffectBuffer();
    buffer.add(3, 0, false, b("SET"), b("a"), b("1"));
    buffer.add(3, 0, false, b("SET"), b("b"), b("2"));
    buffer.add(3, 1, false, b("DEL"), b("c"));
    buffer.add(3, 1, true, b("DEL"), b("d"));
    CompletionStage<Void> wait = buffer.flushTo(propagation);
    assertSame(fsync, wait, "the reply waits for the AOF's fsync");
    assertEquals(List.of("3 0 *3 $3 SET $1 a $1 1 *3 $3 SET $1 b $1 2", "3 1 *2 $3 DEL $1 c"), replication.calls);
    assertEquals(List.of("3 0 *3 $3 SET $1 a $1 1 *3 $3 SET $1 b $1 2", "3 1 *2 $3 DEL $1 c",
        "3 1 *2 $3 DEL $1 d"), aof.calls);
    assertNull(buffer.flushTo(propagation), "nothing left, nothing to wait for");
  }

  @Test
  void whatAReplicaAppliedWaitsForTheAofWriteEvenWhenClientRepliesWouldNot() {
    CompletableFuture<Void> written = new CompletableFuture<>();
    Recorder aof = new Recorder(null) { // appendfsync everysec: a client's reply waits for nothing
      @Override public CompletionStage<Void> written() {
        return written;
      }
    };
    Propagation propagation = new Propagation();
    propagation.aofSink(aof);
    EffectBuffer buffer = new EffectBuffer();
    buffer.add(2, 0, false, b("SET"), b("a"), b("1"));
    assertNull(buffer.flushTo(propagation), "a client's write is answered without waiting");
    buffer.add(2, 0, true, b("SET"), b("b"), b("2"));
    assertSame(written, buffer.flushTo(propagation), "the replica's acknowledgement waits for the file");
  }

  @Test
  void withoutAnAofAppliedWritesAreNotRecordedAndNothingWaits() {
    Recorder replication = new Recorder(null);
    Propagation propagation = new Propagation();
    propagation.sink(replication);
    assertSame(EffectSink.NONE, propagation.appliedSink());
    EffectBuffer buffer = new EffectBuffer();
    buffer.add(0, 0, false, b("INCR"), b("n"));
    assertNull(buffer.flushTo(propagation));
    assertEquals(List.of("0 0 *2 $4 INCR $1 n"), replication.calls);
  }

  @Test
  void aTransactionSpanningRangesIsWrappedAndGoesAsRangeMinusOne() {
    Recorder aof = new Recorder(null);
    Propagation propagation = new Propagation();
    propagation.aofSink(aof);
    EffectBuffer buffer = new EffectBuffer();
    int start = buffer.begin();
    buffer.add(1, 0, false, b("SET"), b("a"), b("1"));
    buffer.add(2, 0, false, b("SET"), b("b"), b("2"));
    buffer.end(start);
    buffer.flushTo(propagation);
    assertEquals(List.of("-1 0 *1 $5 MULTI *3 $3 SET $1 a $1 1 *3 $3 SET $1 b $1 2 *1 $4 EXEC"), aof.calls);
  }
}
