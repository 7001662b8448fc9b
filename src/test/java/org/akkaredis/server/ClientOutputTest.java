package org.akkaredis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.util.ByteString;
import org.akkaredis.resp.OutputBufferLimit;
import org.junit.jupiter.api.Test;

class ClientOutputTest {
  private static ByteString bytes(int n) {
    return ByteString.fromArray(new byte[n]);
  }

  @Test
  void repliesFillTheReplyBufferThenWaitInTheListBehindIt() {
    ClientOutput output = new ClientOutput(0);
    int buffer = output.buffer().size();
    output.enqueue(bytes(10));
    output.enqueue(ByteString.emptyByteString());
    assertEquals(0, output.memory(), "in the reply buffer, not the list");
    assertEquals(10, output.bufferLength());
    output.enqueue(bytes(buffer));
    output.enqueue(bytes(20));
    assertEquals(10 + 20, output.memory(), "what did not fit, and what came after it");
    assertEquals(2, output.listLength());
    assertEquals(buffer, output.bufferLength());

    assertEquals(buffer, output.nextWrite().length(), "the buffer first: it holds the oldest bytes");
    assertEquals(buffer, output.bufferLength(), "under way");
    output.written();
    assertEquals(0, output.bufferLength());
    output.enqueue(bytes(5));
    assertEquals(3, output.listLength(), "the list is not empty: the buffer takes nothing");
    assertEquals(10, output.nextWrite().length());
    assertEquals(20, output.nextWrite().length());
    assertEquals(5, output.nextWrite().length());
    assertFalse(output.hasWaiting());
  }

  @Test
  void clearingDropsWhatWaits() {
    ClientOutput output = new ClientOutput(0);
    output.enqueue(bytes(10));
    output.nextWrite();
    output.enqueue(bytes(20));
    output.enqueue(bytes(ReplyBuffer.CHUNK_BYTES));
    output.clear();
    assertFalse(output.hasWaiting());
    assertEquals(0, output.memory());
    assertEquals(0, output.listLength());
    assertEquals(10, output.bufferLength(), "the write under way is the socket's");
  }

  @Test
  void aBigReplyGoesToTheSocketInPieces() {
    ClientOutput output = new ClientOutput(0);
    int size = ClientOutput.WRITE_CHUNK * 2 + 5;
    output.enqueue(bytes(size));
    long written = 0;
    int writes = 0;
    while (output.hasWaiting()) {
      ByteString piece = output.nextWrite();
      assertTrue(piece.length() <= ClientOutput.WRITE_CHUNK);
      written += piece.length();
      writes++;
      assertEquals(size - written, output.memory() + output.buffer().used());
      output.written();
    }
    assertEquals(size, written);
    assertEquals(3, writes, "the reply buffer's part, then the rest in pieces of at most WRITE_CHUNK");
    assertFalse(output.hasWaiting());
  }

  @Test
  void aConnectionQueuesUpToItsHardLimitElseItsSoftLimitElseAFixedCap() {
    assertEquals(1000, OutputLimits.queueCap(new OutputBufferLimit(1000, 10, 5)));
    assertEquals(10, OutputLimits.queueCap(new OutputBufferLimit(0, 10, 5)));
    assertEquals(OutputLimits.UNLIMITED_QUEUE_CAP, OutputLimits.queueCap(OutputBufferLimit.NONE));
  }

  @Test
  void batchesShrinkWithBigRepliesAndGrowWithSmallOnes() {
    BatchSize size = new BatchSize();
    assertEquals(BatchSize.START_COMMANDS, size.commands());
    size.ran(16, 16 * 100);
    assertEquals(32, size.commands());
    size.ran(10, 1000);
    assertEquals(32, size.commands(), "a batch cut short by the read's end says nothing about the next");
    size.ran(32, 32L * 1024 * 1024);
    assertEquals(1, size.commands(), "1 MB replies: one at a time");
    size.ran(1, 1024 * 1024);
    assertEquals(1, size.commands());
    for (int i = 0; i < 20; i++) size.ran(size.commands(), 10);
    assertEquals(BatchSize.MAX_COMMANDS, size.commands());
  }

  @Test
  void theRecentPeakForgetsWhatIsOlderThanEightSeconds() {
    RecentPeak peak = new RecentPeak();
    assertEquals(0, peak.max(1_000));
    peak.note(500, 1_000);
    peak.note(300, 2_500);
    assertEquals(500, peak.max(3_000));
    assertEquals(500, peak.max(8_999));
    assertEquals(300, peak.max(9_000), "the slot of second 1 is older than 8 seconds");
    assertEquals(0, peak.max(11_000));
    peak.note(700, 17_000); // reuses second 1's slot
    assertEquals(700, peak.max(17_000));
  }
}
