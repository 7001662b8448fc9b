package org.akkaredis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.util.ByteString;
import java.util.Arrays;
import org.akkaredis.command.ReplyBuffers;
import org.junit.jupiter.api.Test;

/** A client's reply buffer sized as Redis's clientsCronResizeOutputBuffer sizes it. */
class ReplyBufferTest {
  private final ReplyBuffers shared = new ReplyBuffers();

  private static ByteString bytes(int n, char c) {
    char[] chars = new char[n];
    Arrays.fill(chars, c);
    return ByteString.fromString(new String(chars));
  }

  @Test
  void anIdleClientsBufferShrinksToTheMinimumAfterItsPeakIsForgotten() {
    ReplyBuffer buffer = new ReplyBuffer(0);
    assertEquals(ReplyBuffer.CHUNK_BYTES, buffer.size());
    assertEquals(ReplyBuffer.CHUNK_BYTES, buffer.peak(), "a new buffer counts as full, as Redis's new client");
    buffer.resize(100, shared);
    assertEquals(ReplyBuffer.CHUNK_BYTES, buffer.size(), "not before its peak reset");
    buffer.resize(5000, shared);
    assertEquals(0, buffer.peak(), "reset to what it holds");
    buffer.resize(5100, shared);
    assertEquals(ReplyBuffer.MIN_BYTES, buffer.size());
    assertEquals(1, shared.shrinks());
    buffer.resize(5200, shared);
    assertEquals(ReplyBuffer.MIN_BYTES, buffer.size(), "never below the minimum");
    assertFalse(buffer.mayResize(), "an idle buffer at the minimum needs no cron");
  }

  @Test
  void aBufferThatBigRepliesFillDoublesUpToTheChunkSize() {
    shared.peakResetTimeMs(-1);
    ReplyBuffer buffer = new ReplyBuffer(0);
    buffer.resize(0, shared);
    assertEquals(ReplyBuffer.CHUNK_BYTES, buffer.size(), "full, but already the largest");
    ReplyBuffer small = shrunk();
    long now = 0;
    for (int size : new int[] {2048, 4096, 8192, 16384}) {
      ByteString reply = bytes(32768, 'x');
      int taken = small.take(reply);
      assertEquals(small.size(), taken, "what fits; the rest goes to the reply list");
      assertTrue(small.mayResize());
      small.drain();
      small.resize(now += 100, shared);
      assertEquals(size, small.size());
    }
    assertEquals(4, shared.expands());
    small.take(bytes(32768, 'x'));
    small.drain();
    small.resize(now + 100, shared);
    assertEquals(ReplyBuffer.CHUNK_BYTES, small.size(), "not beyond the chunk size");
  }

  @Test
  void repliesAreCopiedInOrderAndDrainedAsOneWrite() {
    ReplyBuffer buffer = new ReplyBuffer(0);
    assertEquals(3, buffer.take(ByteString.fromString("+OK")));
    assertEquals(4, buffer.take(ByteString.fromString(":12\n")));
    assertEquals(7, buffer.used());
    assertEquals("+OK:12\n", buffer.drain().utf8String());
    assertTrue(buffer.isEmpty());
  }

  @Test
  void noResizingWhileItIsTurnedOff() {
    shared.resizing(false);
    ReplyBuffer buffer = new ReplyBuffer(0);
    buffer.resize(10_000, shared);
    buffer.resize(20_000, shared);
    assertEquals(ReplyBuffer.CHUNK_BYTES, buffer.size());
    assertEquals(0, shared.shrinks());
  }

  private ReplyBuffer shrunk() {
    ReplyBuffers resetting = new ReplyBuffers();
    resetting.peakResetTimeMs(0);
    ReplyBuffer buffer = new ReplyBuffer(0);
    buffer.resize(0, resetting);
    buffer.resize(0, resetting);
    assertEquals(ReplyBuffer.MIN_BYTES, buffer.size());
    return buffer;
  }
}
