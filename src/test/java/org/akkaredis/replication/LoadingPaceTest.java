package org.akkaredis.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadingPaceTest {

  private static byte[][] command(String... args) {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) bytes[i] = args[i].getBytes(StandardCharsets.US_ASCII);
    return bytes;
  }

  @Test
  void keyLoadDelayIsMicrosecondsPerKeyAndANegativeOneSleepsOneMicrosecondInThatManyKeys() {
    assertEquals(4_000_000, LoadingPace.delayNanos(1, 4000));
    assertEquals(0, LoadingPace.delayNanos(1000, 0));
    assertEquals(250_000, LoadingPace.delayNanos(1000, -4), "1000 keys, 1 us for one in 4 on average");
  }

  @Test
  void shortDelaysAddUpUntilTheyAreWorthATimer() {
    LoadingPace pace = new LoadingPace();
    long ms = 1_000_000;
    assertEquals(0, pace.owe(1, 4000, 0), "4 ms is owed, not waited");
    assertEquals(0, pace.owe(1, 4000, 0));
    assertEquals(12 * ms, pace.owe(1, 4000, 0), "12 ms: everything owed so far");
    assertEquals(0, pace.owe(1, 4000, 12 * ms), "the account goes on from where the wait ended");
    assertEquals(0, pace.owe(5, 0, 12 * ms));
  }

  @Test
  void aTimerThatFiresLateIsMadeUpButALongGapIsNot() {
    LoadingPace pace = new LoadingPace();
    long ms = 1_000_000;
    assertEquals(12 * ms, pace.owe(3, 4000, 0));
    assertEquals(0, pace.owe(3, 4000, 30 * ms), "due at 24 ms, it is 30 ms already: no wait");
    assertEquals(0, pace.owe(1, 4000, 31 * ms), "due at 28 ms");
    assertEquals(10 * ms, pace.owe(3, 4000, 30 * ms), "due at 40 ms");
    assertEquals(0, pace.owe(1, 10_000, 1000 * ms), "a second later: 50 ms may be made up, no more");
    assertEquals(10 * ms, pace.owe(5, 10_000, 1000 * ms), "60 ms of keys at once: 10 ms to wait");
  }

  @Test
  void commandsAreCutIntoBatchesOfAtMostTheIntervalEachWithTheKeysThatBeginInIt() {
    List<byte[][]> commands = List.of(command("SELECT", "0"), command("SET", "a", "x".repeat(600)),
        command("SET", "b", "x".repeat(600)), command("RPUSH", "l", "x".repeat(300)),
        command("RPUSH", "l", "x".repeat(300)), command("PEXPIREAT", "l", "1"));
    LoadingPace.Batched batched = LoadingPace.batches(commands, 1024, null);
    assertEquals(List.of(2, 2, 2), batched.batches().stream().map(b -> b.commands().size()).toList(),
        "611 bytes, then a SET and an RPUSH (910), then the rest: each under 1024 bytes");
    assertEquals(List.of(1, 2, 0), batched.batches().stream().map(LoadingPace.Batch::keys).toList(),
        "SELECT is no key; the list's commands are one key, counted where it begins");
    assertArrayEquals("l".getBytes(StandardCharsets.US_ASCII), batched.lastKey());
  }

  @Test
  void aKeyGoingOnFromThePreviousChunkIsNotCountedAgain() {
    LoadingPace.Batched batched = LoadingPace.batches(List.of(command("RPUSH", "l", "y"), command("SET", "k", "v")),
        2097152, "l".getBytes(StandardCharsets.US_ASCII));
    assertEquals(1, batched.batches().size());
    assertEquals(1, batched.batches().get(0).keys());
  }

  @Test
  void aCommandBiggerThanTheIntervalIsABatchOfItsOwn() {
    LoadingPace.Batched batched = LoadingPace.batches(List.of(command("SET", "a", "x".repeat(5000)),
        command("SET", "b", "v")), 1024, null);
    assertEquals(List.of(1, 1), batched.batches().stream().map(b -> b.commands().size()).toList());
    assertNull(LoadingPace.batches(List.of(), 1024, null).lastKey());
  }
}
