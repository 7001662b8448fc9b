package org.akkaredis.it;

import static org.akkaredis.it.KeyspaceEventsDifferentialTest.block;
import static org.akkaredis.it.KeyspaceEventsDifferentialTest.cmd;
import static org.akkaredis.it.KeyspaceEventsDifferentialTest.unblocked;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.KeyspaceEventsDifferentialTest.Event;
import org.akkaredis.it.KeyspaceEventsDifferentialTest.PatternSubscriber;
import org.akkaredis.it.KeyspaceEventsDifferentialTest.Step;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.Test;

/**
 * The stream commands' keyspace notifications (class t) beside redis-server 7.0: xadd, xtrim, xdel, xsetid, the
 * xgroup-* events (consumers created by a read or a claim too), new and del, in the same order with the same
 * channels, under "KEA" and under "Et".
 */
class StreamKeyspaceEventsTest {
  /** The marker key PatternSubscriber reads up to. */
  private static final String MARKER = "__ke_marker__";

  private static final List<Step> STEPS = List.of(
      cmd("XADD", "s", "1-0", "f", "v"), cmd("XADD", "s", "2-0", "f", "v"), cmd("XADD", "s", "3-0", "f", "v"),
      cmd("XADD", "s", "MAXLEN", "2", "4-0", "f", "v"), cmd("XADD", "s", "MAXLEN", "9", "5-0", "f", "v"),
      cmd("XADD", "nokey", "NOMKSTREAM", "1-0", "f", "v"), cmd("XADD", "s", "1-0", "f", "v"),
      cmd("XTRIM", "s", "MAXLEN", "2"), cmd("XTRIM", "s", "MAXLEN", "2"), cmd("XDEL", "s", "4-0", "9-0"),
      cmd("XDEL", "s", "9-0"), cmd("XSETID", "s", "10-0"), cmd("XGROUP", "CREATE", "s", "g", "0"),
      cmd("XGROUP", "CREATE", "s", "g", "0"), cmd("XGROUP", "CREATE", "new", "g", "$", "MKSTREAM"),
      cmd("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
      cmd("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"),
      cmd("XCLAIM", "s", "g", "bob", "0", "5-0"), cmd("XAUTOCLAIM", "s", "g", "carol", "0", "0"),
      cmd("XGROUP", "CREATECONSUMER", "s", "g", "dave"), cmd("XGROUP", "CREATECONSUMER", "s", "g", "dave"),
      cmd("XGROUP", "DELCONSUMER", "s", "g", "dave"), cmd("XGROUP", "DELCONSUMER", "s", "g", "dave"),
      cmd("XGROUP", "SETID", "s", "g", "$"), cmd("XACK", "s", "g", "5-0"),
      block("XREADGROUP", "GROUP", "g", "erin", "BLOCK", "0", "STREAMS", "s", ">"), cmd("XADD", "s", "11-0", "f", "v"),
      unblocked(), cmd("XGROUP", "DESTROY", "s", "g"), cmd("XGROUP", "DESTROY", "s", "g"), cmd("DEL", "s"),
      cmd("COPY", "new", "copied"), cmd("RENAME", "copied", "renamed"));

  private static List<Event> run(RedisEndpoint server, PatternSubscriber events, String setting) {
    try (RespConnection client = server.connect(); RespConnection other = server.connect()) {
      client.call("CONFIG", "SET", "notify-keyspace-events", "");
      client.call("FLUSHALL");
      assertEquals("OK", client.call("CONFIG", "SET", "notify-keyspace-events", setting).text());
      for (Step step : STEPS) step.run(client, other, 0);
      client.call("CONFIG", "SET", "notify-keyspace-events", "E$");
      client.call("SET", MARKER, "1");
      client.call("CONFIG", "SET", "notify-keyspace-events", "");
      List<Event> out = new ArrayList<>();
      for (Event event : events.eventsUntilMarker()) out.add(event);
      return out;
    }
  }

  @Test
  void theSameEventsAsRedisServer() {
    try (Servers.NodeAndRedis both = Servers.nodeAndRedis(false, Map.of());
        PatternSubscriber onRedis = new PatternSubscriber(both.redis().port());
        PatternSubscriber onNode = new PatternSubscriber(both.node().port())) {
      for (String setting : List.of("KEA", "Et")) {
        List<Event> expected = run(both.redis(), onRedis, setting);
        List<Event> actual = run(both.node(), onNode, setting);
        assertEquals(String.join("\n", expected.stream().map(Event::toString).toList()),
            String.join("\n", actual.stream().map(Event::toString).toList()), "events under " + setting);
      }
    }
  }
}
