package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.Test;

/** What a finished command leaves in commandstats, the slow log and the latency monitor; SLOWLOG and LATENCY. */
class CommandCallsTest {
  private static byte[][] argv(String... words) {
    return SlowLogTest.argv(words);
  }

  private static List<String> text(byte[][] argv) {
    return SlowLogTest.text(argv);
  }

  private static ServerCommandsTest.Node node(Map<String, String> settings) {
    return ServerCommandsTest.Node.with(settings);
  }

  private static CommandSpec spec(ServerCommandsTest.Node node, String... args) {
    return CommandRunner.resolve(node.ctx.commands(), argv(args)).spec();
  }

  private static void ran(ServerCommandsTest.Node node, long micros, String... args) {
    Session session = new Session(7, "127.0.0.1:5555", "127.0.0.1:6379", 0, node.settings);
    session.name = "foobar";
    CommandCalls.noteRun(node.stats, node.settings, session, spec(node, args), argv(args), micros * 1000,
        1_700_000_000_123L);
  }

  @Test void slowCommandsAreLoggedWithRedactedSecrets() {
    ServerCommandsTest.Node node = node(Map.of("slowlog-log-slower-than", "0"));
    ran(node, 3, "auth", "secret");
    ran(node, 3, "hello", "3", "AUTH", "default", "secret");
    ran(node, 3, "config", "set", "masterauth", "secret", "maxmemory", "1");
    ran(node, 3, "ping");
    List<SlowLog.Entry> entries = node.stats.slowlog.newest(-1);
    assertEquals(List.of("ping"), text(entries.get(0).argv()));
    assertEquals(List.of("config", "set", "masterauth", "(redacted)", "maxmemory", "1"), text(entries.get(1).argv()));
    assertEquals(List.of("hello", "3", "AUTH", "(redacted)", "(redacted)"), text(entries.get(2).argv()));
    assertEquals(List.of("auth", "(redacted)"), text(entries.get(3).argv()));
    SlowLog.Entry ping = entries.get(0);
    assertEquals(3, ping.durationMicros());
    assertEquals(1_700_000_000L, ping.timeSeconds());
    assertEquals("127.0.0.1:5555", ping.peer());
    assertEquals("foobar", ping.name());
  }

  @Test void commandStatsAndHistogramCountTheRunTime() {
    ServerCommandsTest.Node node = node(Map.of());
    ran(node, 1500, "ping");
    ran(node, 500, "ping");
    assertEquals(2000, node.stats.of("ping").usec.sum());
    assertEquals(2, node.stats.of("ping").histogram.total());
    assertEquals(0, node.stats.slowlog.length(), "below the default 10000 us");
  }

  @Test void latencyEventsByTheFastFlag() {
    ServerCommandsTest.Node node = node(Map.of("latency-monitor-threshold", "1"));
    ran(node, 2500, "ping");
    ran(node, 3500, "config", "get", "port");
    ran(node, 500, "config", "get", "port");
    List<LatencyMonitor.Latest> latest = node.stats.latency.latest();
    assertEquals(List.of(new LatencyMonitor.Latest("fast-command", 1_700_000_000L, 2, 2),
        new LatencyMonitor.Latest("command", 1_700_000_000L, 3, 3)), latest);
  }

  @Test void slowlogCommands() {
    ServerCommandsTest.Node node = node(Map.of("slowlog-log-slower-than", "0"));
    Session client = new Session(8, "127.0.0.1:5556", "127.0.0.1:6379", 0, node.settings);
    ran(node, 1, "ping");
    ran(node, 2, "echo", "hello");
    assertEquals(Reply.integer(2), node.run(client, "slowlog", "len"));
    Reply newest = node.run(client, "slowlog", "get", "1");
    assertEquals(Reply.array(Reply.array(Reply.integer(1), Reply.integer(1_700_000_000L), Reply.integer(2),
        Reply.array(Reply.bulk("echo"), Reply.bulk("hello")), Reply.bulk("127.0.0.1:5555"),
        Reply.bulk("foobar"))), newest);
    assertEquals(Reply.error("ERR count should be greater than or equal to -1"),
        node.run(client, "slowlog", "get", "-2"));
    assertEquals(Reply.error("ERR count should be greater than or equal to -1"),
        node.run(client, "slowlog", "get", "x"));
    assertEquals(Reply.error("ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP."),
        node.run(client, "slowlog", "get", "1", "2"));
    assertEquals(Reply.OK, node.run(client, "slowlog", "reset"));
    assertEquals(Reply.integer(0), node.run(client, "slowlog", "len"));
  }

  @Test void latencyCommands() {
    ServerCommandsTest.Node node = node(Map.of("latency-monitor-threshold", "1"));
    Session client = new Session(8, "127.0.0.1:5556", "127.0.0.1:6379", 0, node.settings);
    ran(node, 5000, "config", "get", "port");
    assertEquals(Reply.array(Reply.array(Reply.bulk("command"), Reply.integer(1_700_000_000L), Reply.integer(5),
        Reply.integer(5))), node.run(client, "latency", "latest"));
    assertEquals(Reply.array(Reply.array(Reply.integer(1_700_000_000L), Reply.integer(5))),
        node.run(client, "latency", "history", "command"));
    assertEquals(Reply.error("ERR No samples available for event 'fork'"), node.run(client, "latency", "graph", "fork"));
    Reply histogram = node.run(client, "latency", "histogram", "config", "nosuchcommand");
    assertEquals(2, ((Reply.MapReply) histogram).keysAndValues().size());
    assertEquals(Reply.bulk("config|get"), ((Reply.MapReply) histogram).keysAndValues().get(0));
    assertEquals(Reply.integer(0), node.run(client, "latency", "reset", "blabla"));
    assertEquals(Reply.integer(1), node.run(client, "latency", "reset"));
    assertEquals(Reply.EMPTY_ARRAY, node.run(client, "latency", "latest"));
  }
}
