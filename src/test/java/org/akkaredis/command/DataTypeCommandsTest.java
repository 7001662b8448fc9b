package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import org.akkaredis.keyspace.Key;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.Test;

/**
 * Lists, sets and sorted sets on a one-range keyspace: what the differential test cannot show (RESP3 shapes, the
 * command table's rows) and a few replies per type. Expected replies were taken from redis-server 7.0.15.
 */
class DataTypeCommandsTest {
  private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

  private static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    KeyCommands.register(b);
    StringCommands.register(b);
    ListCommands.register(b);
    SetCommands.register(b);
    SortedSetCommands.register(b);
    return b.build();
  }

  private final TestKeyspace ts = new TestKeyspace(table());

  private String resp3(String... args) {
    ts.session.protocol = 3;
    try {
      return new String(RespWriter.encode(ts.run(args), 3), StandardCharsets.UTF_8);
    } finally {
      ts.session.protocol = 2;
    }
  }

  @Test
  void listsPushPopAndDisappearWhenEmpty() {
    assertEquals(":3\r\n", ts.resp("RPUSH", "l", "a", "b", "c"));
    assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", ts.resp("LPOP", "l", "2"));
    assertEquals("$1\r\nc\r\n", ts.resp("RPOP", "l"));
    assertNull(ts.db().peek(Key.of("l")));
    assertEquals("*-1\r\n", ts.resp("LPOP", "l", "2"));
    assertEquals("$-1\r\n", ts.resp("LPOP", "l"));
    ts.resp("SET", "s", "x");
    assertEquals(WRONGTYPE, ts.resp("LPUSH", "s", "a"));
    assertEquals(WRONGTYPE, ts.resp("LRANGE", "s", "0", "-1"));
    assertEquals("*0\r\n", ts.resp("LRANGE", "l", "0", "-1"));
  }

  @Test
  void listEncodingIsAlwaysQuicklistIn70() {
    ts.resp("RPUSH", "l", "a");
    assertEquals("$9\r\nquicklist\r\n", ts.resp("OBJECT", "ENCODING", "l"));
    assertEquals("+list\r\n", ts.resp("TYPE", "l"));
  }

  @Test
  void setRepliesAreSetsInResp3() {
    ts.resp("SADD", "s", "3", "1", "2");
    assertEquals("~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", resp3("SMEMBERS", "s"));
    assertEquals("~0\r\n", resp3("SPOP", "missing", "2"));
    assertEquals("*2\r\n:1\r\n:0\r\n", ts.resp("SMISMEMBER", "s", "1", "9"));
    assertEquals("$6\r\nintset\r\n", ts.resp("OBJECT", "ENCODING", "s"));
    assertEquals("+set\r\n", ts.resp("TYPE", "s"));
    assertEquals(":3\r\n", ts.resp("SREM", "s", "1", "2", "3"));
    assertNull(ts.db().peek(Key.of("s")));
  }

  @Test
  void sortedSetScoresAreDoublesInResp3AndPairsNest() {
    ts.resp("ZADD", "z", "1", "a", "1.1", "b");
    assertEquals("$18\r\n1.1000000000000001\r\n", ts.resp("ZSCORE", "z", "b"));
    assertEquals(",1.1000000000000001\r\n", resp3("ZSCORE", "z", "b"));
    assertEquals("*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,1.1000000000000001\r\n",
        resp3("ZRANGE", "z", "0", "-1", "WITHSCORES"));
    assertEquals("*2\r\n$1\r\na\r\n,1\r\n", resp3("ZPOPMIN", "z"), "without a count ZPOPMIN stays flat");
    assertEquals("*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$18\r\n1.1000000000000001\r\n",
        ts.resp("ZMPOP", "1", "z", "MIN"), "ZMPOP nests its pairs in RESP2 too");
    assertNull(ts.db().peek(Key.of("z")));
    ts.resp("ZADD", "z", "1", "a");
    assertEquals("+zset\r\n", ts.resp("TYPE", "z"));
    assertEquals("$8\r\nlistpack\r\n", ts.resp("OBJECT", "ENCODING", "z"));
  }

  @Test
  void aCopyOfEachTypeIsIndependent() {
    ts.resp("RPUSH", "l", "a");
    ts.resp("SADD", "s", "a");
    ts.resp("ZADD", "z", "1", "a");
    for (String key : new String[] {"l", "s", "z"}) assertEquals(":1\r\n", ts.resp("COPY", key, key + "2"));
    ts.resp("RPUSH", "l2", "b");
    ts.resp("SADD", "s2", "b");
    ts.resp("ZADD", "z2", "2", "b");
    assertEquals(":1\r\n", ts.resp("LLEN", "l"));
    assertEquals(":1\r\n", ts.resp("SCARD", "s"));
    assertEquals(":1\r\n", ts.resp("ZCARD", "z"));
  }

  @Test
  void movableKeysAreFoundByTheKeySpecifications() {
    CommandTable table = table();
    byte[][] zunion = {"zunionstore".getBytes(), "d".getBytes(), "2".getBytes(), "a".getBytes(), "b".getBytes(),
        "WEIGHTS".getBytes(), "1".getBytes(), "2".getBytes()};
    assertEquals(List.of(1, 3, 4), KeyFinder.findKeys(table.lookup("zunionstore"), zunion).stream()
        .map(KeyFinder.KeyRef::position).toList());
  }

  @Test
  void randomPicksWithAPositiveCountAreDistinctAndPopsRemoveThem() {
    for (int i = 0; i < 50; i++) {
      ts.run("SADD", "s", "m" + i);
      ts.run("ZADD", "z", Integer.toString(i), "m" + i);
    }
    for (String[] command : new String[][] {{"SRANDMEMBER", "s", "20"}, {"ZRANDMEMBER", "z", "20"},
        {"SPOP", "s", "20"}}) {
      List<Reply> items = command[0].equals("SPOP")
          ? ((Reply.SetReply) ts.run(command)).items()
          : ((Reply.Array) ts.run(command)).items();
      assertEquals(20, items.size());
      assertEquals(20, new HashSet<>(items).size(), String.join(" ", command) + " repeats a member");
    }
    assertEquals(":30\r\n", ts.resp("SCARD", "s"));
    assertEquals(5, ((Reply.Array) ts.run("ZRANDMEMBER", "z", "-5")).items().size());
  }
}
