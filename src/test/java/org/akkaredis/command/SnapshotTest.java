package org.akkaredis.command;

import static org.akkaredis.command.EffectsNode.resp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A range's snapshot: Redis's AOF-rewrite commands, in chunks that each stand alone. */
class SnapshotTest {
  private final TestKeyspace ks = new TestKeyspace(EffectsTest.table());

  private List<String> snapshot(int maxChunkBytes) {
    List<String> chunks = new ArrayList<>();
    ks.state.snapshot(maxChunkBytes, chunk -> chunks.add(new String(chunk, StandardCharsets.UTF_8)));
    return chunks;
  }

  @Test
  void eachTypeBecomesItsCreatingCommandThenPexpireat() {
    ks.run("set", "s", "v", "pxat", "4102444800000");
    assertEquals(List.of(resp("SET", "s", "v") + resp("PEXPIREAT", "s", "4102444800000")), snapshot(1 << 20));
    ks.run("del", "s");
    ks.run("hset", "h", "f", "1", "g", "2");
    assertEquals(List.of(resp("HSET", "h", "f", "1", "g", "2")), snapshot(1 << 20));
    ks.run("del", "h");
    ks.run("rpush", "l", "b", "c");
    ks.run("lpush", "l", "a");
    assertEquals(List.of(resp("RPUSH", "l", "a", "b", "c")), snapshot(1 << 20));
    ks.run("del", "l");
    ks.run("sadd", "t", "x");
    assertEquals(List.of(resp("SADD", "t", "x")), snapshot(1 << 20));
    ks.run("del", "t");
    ks.run("zadd", "z", "0.1", "a", "-inf", "b", "2.5", "c", "3", "d");
    // Scores in order, printed as "%.17g".
    assertEquals(List.of(resp("ZADD", "z", "-inf", "b", "0.10000000000000001", "a", "2.5", "c", "3", "d")),
        snapshot(1 << 20));
  }

  @Test
  void keysOfOtherDatabasesComeAfterASelectAndKeysWhoseTimePassedAreWrittenToo() {
    ks.run("set", "a", "1");
    ks.run("set", "gone", "1", "px", "10");
    ks.session.db = 2;
    ks.run("set", "b", "2");
    ks.advance(20);
    ks.state.tick();
    // As Redis's rewriteAppendOnlyFile and rdbSaveRio: every stored key, its time passed or not.
    assertEquals(List.of(resp("SET", "gone", "1") + resp("PEXPIREAT", "gone", "1700000000010") + resp("SET", "a", "1")
        + resp("SELECT", "2") + resp("SET", "b", "2")), snapshot(1 << 20));
  }

  @Test
  void bigValuesSplitIntoCommandsAndChunksStandAloneInTheirDatabase() {
    ks.session.db = 3;
    String[] push = new String[2 + 1000];
    push[0] = "rpush";
    push[1] = "big";
    for (int i = 0; i < 1000; i++) push[2 + i] = String.format("e%04d", i);
    ks.run(push);
    ks.run("set", "huge", "x".repeat(1000));
    List<String> chunks = snapshot(300);
    List<String> elements = new ArrayList<>();
    int hugeChunks = 0;
    for (String chunk : chunks) {
      List<byte[][]> commands = EffectsNode.parse(chunk.getBytes(StandardCharsets.UTF_8));
      assertEquals("SELECT 3", EffectsNode.display(commands.get(0)), "a chunk starts in its database");
      for (byte[][] command : commands.subList(1, commands.size())) {
        String name = new String(command[0], StandardCharsets.UTF_8);
        if (name.equals("SET")) {
          hugeChunks++;
          assertEquals(2, commands.size(), "an element bigger than a chunk is alone in its chunk");
          continue;
        }
        assertEquals("RPUSH", name);
        assertTrue(command.length - 2 <= 64, "at most 64 elements a command");
        for (int i = 2; i < command.length; i++) elements.add(new String(command[i], StandardCharsets.UTF_8));
      }
      if (!chunk.contains("huge")) assertTrue(chunk.length() <= 300, "chunk of " + chunk.length() + " bytes");
    }
    assertEquals(1, hugeChunks);
    assertEquals(List.of(push).subList(2, push.length), elements, "every element once, in order");
    assertTrue(chunks.size() > 30, "the list was split: " + chunks.size() + " chunks");
  }
}
