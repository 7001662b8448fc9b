package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** redis.set_repl's targets: each effect reaches the AOF, the replicas, both or neither; MULTI/EXEC reach both. */
class EffectTargetsTest {
  private final StringBuilder aof = new StringBuilder();
  private final StringBuilder replicas = new StringBuilder();
  private final Propagation propagation = new Propagation();

  EffectTargetsTest() {
    propagation.aofSink((range, db, resp) -> aof.append(text(resp)));
    propagation.sink((range, db, resp) -> replicas.append(text(resp)));
  }

  private static String text(byte[] resp) {
    // Each command as its last argument, enough to tell them apart.
    String[] lines = new String(resp, StandardCharsets.US_ASCII).split("\r\n");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("*")) {
        int args = Integer.parseInt(lines[i].substring(1));
        out.append(lines[i + 2 * args]).append(' ');
      }
    }
    return out.toString();
  }

  private static byte[] arg(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void eachEffectGoesWhereItsTargetsSay() {
    EffectBuffer buffer = new EffectBuffer();
    int start = buffer.begin();
    buffer.add(0, 0, false, arg("SET"), arg("a"), arg("all"));
    buffer.propagateTo(0);
    buffer.add(0, 0, false, arg("SET"), arg("b"), arg("none"));
    buffer.propagateTo(EffectBuffer.TO_AOF);
    buffer.add(0, 0, false, arg("SET"), arg("c"), arg("aof"));
    buffer.propagateTo(EffectBuffer.TO_REPLICAS);
    buffer.add(0, 0, false, arg("SET"), arg("d"), arg("replicas"));
    assertEquals(EffectBuffer.TO_REPLICAS, buffer.propagateTo(EffectBuffer.TO_ALL));
    buffer.end(start);
    buffer.flushTo(propagation);
    assertEquals("MULTI all aof EXEC ", aof.toString());
    assertEquals("MULTI all replicas EXEC ", replicas.toString());
  }

  @Test
  void nothingRecordedUnderReplNoneIsNotWrapped() {
    EffectBuffer buffer = new EffectBuffer();
    int start = buffer.begin();
    buffer.propagateTo(0);
    buffer.add(0, 0, false, arg("SET"), arg("b"), arg("none"));
    buffer.add(0, 0, false, arg("SET"), arg("c"), arg("none"));
    buffer.propagateTo(EffectBuffer.TO_ALL);
    buffer.end(start);
    assertEquals(true, buffer.isEmpty());
  }
}
