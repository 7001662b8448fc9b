package org.akkaredis.command;

import static org.akkaredis.command.EffectsNode.resp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.Test;

/**
 * What the bit and HyperLogLog commands hand to replication and the AOF, as Redis 7.0.15's call() propagates them:
 * the command itself when server.dirty grew, nothing when the data did not change; PFCOUNT, a read-only command,
 * when it wrote the cardinality it computed into the value's header.
 */
class BitEffectsTest {
  private final TestKeyspace ks = new TestKeyspace(table());

  static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    StringCommands.register(b);
    KeyCommands.register(b);
    BitCommands.register(b);
    HyperLogLogCommands.register(b);
    return b.build();
  }

  private List<String> effects(String... args) {
    return ks.effects(args);
  }

  private void propagated(String... args) {
    assertEquals(List.of(resp(args)), effects(args), String.join(" ", args));
  }

  private void nothing(String... args) {
    assertEquals(List.of(), effects(args), String.join(" ", args) + " changes nothing");
  }

  @Test
  void bitWritesPropagateOnlyWhenTheyChangeTheString() {
    propagated("setbit", "b", "7", "1");
    nothing("setbit", "b", "7", "1");
    propagated("setbit", "b", "7", "0");
    nothing("setbit", "b", "3", "0");
    propagated("setbit", "b", "100", "0");
    nothing("getbit", "b", "7");
    nothing("bitfield", "b", "get", "u8", "0");
    nothing("bitfield_ro", "b", "get", "u8", "0");
    propagated("bitfield", "b", "set", "u8", "0", "255");
    nothing("bitfield", "b", "set", "u8", "0", "255");
    nothing("bitfield", "b", "overflow", "fail", "incrby", "u8", "0", "1");
    propagated("bitfield", "b", "incrby", "u8", "0", "1");
    nothing("bitfield", "new", "overflow", "fail", "incrby", "u2", "100", "8");
    assertEquals(Reply.integer(13), ks.run("strlen", "new"), "the key is there all the same, as in Redis");
    nothing("bitfield", "b", "overflow", "fail", "set", "u8", "400", "256");
    assertEquals(Reply.integer(51), ks.run("strlen", "b"));
    propagated("bitop", "not", "c", "b");
    propagated("bitop", "and", "c", "nokey");
    nothing("bitop", "and", "c", "nokey");
    nothing("setbit", "b", "x", "1");
  }

  @Test
  void hllWritesAndPfcountsCacheWriteBack() {
    propagated("pfadd", "h");
    nothing("pfadd", "h");
    propagated("pfadd", "h", "a", "b");
    nothing("pfadd", "h", "a");
    propagated("pfcount", "h");
    nothing("pfcount", "h");
    nothing("pfcount", "h", "nokey");
    propagated("pfmerge", "m", "h");
    propagated("pfmerge", "m", "h");
    nothing("pfdebug", "encoding", "m");
    propagated("pfdebug", "todense", "m");
    nothing("pfdebug", "todense", "m");
    nothing("pfdebug", "getreg", "m");
    propagated("pfdebug", "getreg", "h");
    nothing("pfcount", "nokey");
  }

  @Test
  void setbitStoresARawStringAndKeepsTheTtl() {
    ks.run("set", "n", "12345");
    ks.run("expire", "n", "100");
    ks.run("setbit", "n", "0", "1");
    assertEquals(Reply.bulk("raw".getBytes(StandardCharsets.US_ASCII)), ks.run("object", "encoding", "n"));
    assertEquals(Reply.integer(100), ks.run("ttl", "n"));
  }
}
