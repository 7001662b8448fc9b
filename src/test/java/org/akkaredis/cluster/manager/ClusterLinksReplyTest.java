package org.akkaredis.cluster.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.akkaredis.cluster.BusLinks;
import org.akkaredis.cluster.ClusterNode;
import org.akkaredis.cluster.ClusterState;
import org.akkaredis.config.Settings;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.Test;

/** CLUSTER LINKS' reply from the node table and the bus's links table, in Redis 7.0's shape. */
class ClusterLinksReplyTest {

  /** Each link as its six fields and values, the values as text. */
  private static List<List<String>> rows(Reply reply) {
    return ((Reply.Array) reply).items().stream().map(link -> ((Reply.MapReply) link).keysAndValues().stream()
        .map(item -> item instanceof Reply.Int i ? Long.toString(i.value())
            : new String(((Reply.Bulk) item).bytes(), StandardCharsets.ISO_8859_1)).toList()).toList();
  }

  private static ClusterState withPeers() {
    ClusterState state = new ClusterState("a".repeat(40), 7001, 17001, "127.0.0.1", Settings.defaults(),
        new Random(1), 1000);
    state.meet("127.0.0.1", 7002, 17002, 1000);
    state.meet("127.0.0.1", 7003, 17003, 1000);
    return state;
  }

  private static ClusterNode at(ClusterState state, int cport) {
    return state.nodes().stream().filter(n -> n.cport() == cport).findFirst().orElseThrow();
  }

  @Test
  void eachPeerHasItsLinkToThenItsLinkFromWithSixFields() {
    ClusterState state = withPeers();
    String b = at(state, 17002).id();
    String c = at(state, 17003).id();
    BusLinks links = new BusLinks();
    links.sent("127.0.0.1", 17002, 1500);
    links.received(b, "127.0.0.1", 17002, 1, 1600);
    links.sent("127.0.0.1", 17003, 1700);
    links.received(c, "127.0.0.1", 17003, 1, 1800);
    state.busLinks(links.snapshot());
    assertEquals(List.of(
        List.of("direction", "to", "node", b, "create-time", "1500", "events", "r", "send-buffer-allocated", "0",
            "send-buffer-used", "0"),
        List.of("direction", "from", "node", b, "create-time", "1600", "events", "r", "send-buffer-allocated", "0",
            "send-buffer-used", "0"),
        List.of("direction", "to", "node", c, "create-time", "1700", "events", "r", "send-buffer-allocated", "0",
            "send-buffer-used", "0"),
        List.of("direction", "from", "node", c, "create-time", "1800", "events", "r", "send-buffer-allocated", "0",
            "send-buffer-used", "0")),
        rows(ClusterCommands.linksReply(state)));
  }

  @Test
  void aLinkNotYetMadeOrGoneIsNotListed() {
    ClusterState state = withPeers();
    assertEquals(List.of(), rows(ClusterCommands.linksReply(state)), "nothing sent or received yet");
    String c = at(state, 17003).id();
    BusLinks links = new BusLinks();
    links.received(c, "127.0.0.1", 17003, 1, 1800);
    links.received("f".repeat(40), "127.0.0.1", 17009, 1, 1900); // a sender the node table does not know
    state.busLinks(links.snapshot());
    List<List<String>> rows = rows(ClusterCommands.linksReply(state));
    assertEquals(1, rows.size(), rows.toString());
    assertEquals(List.of("from", c), List.of(rows.get(0).get(1), rows.get(0).get(3)));
  }

  @Test
  void bytesHeldForAPeerAreItsLinksSendBufferAndMakeItWritable() {
    ClusterState state = withPeers();
    String b = at(state, 17002).id();
    BusLinks links = new BusLinks();
    links.sent("127.0.0.1", 17002, 1500);
    links.received(b, "127.0.0.1", 17002, 1, 1600);
    state.busLinks(links.snapshot());
    state.busQueuedBytes(Map.of(BusLinks.address("127.0.0.1", 17002), 2210L));
    List<List<String>> rows = rows(ClusterCommands.linksReply(state));
    assertEquals(List.of("to", "rw", "2210", "2210"),
        List.of(rows.get(0).get(1), rows.get(0).get(7), rows.get(0).get(9), rows.get(0).get(11)));
    assertEquals(List.of("from", "r", "0", "0"),
        List.of(rows.get(1).get(1), rows.get(1).get(7), rows.get(1).get(9), rows.get(1).get(11)));
  }
}
