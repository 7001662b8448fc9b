package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.util.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.Test;

/** MONITOR's lines (as Redis's replicationFeedMonitors writes them) and who gets them. */
class MonitorsTest {
  private static byte[][] argv(String... words) {
    byte[][] out = new byte[words.length][];
    for (int i = 0; i < words.length; i++) out[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
    return out;
  }

  private static String line(long micros, int db, String addr, String... args) {
    return Monitors.line(micros, db, addr, argv(args)).utf8String();
  }

  @Test void aLineIsTheTimeTheDbTheAddressAndTheQuotedArguments() {
    // Byte for byte what redis-server 7.0.15 wrote for SET 'a"b\c' "x\ny\x01\xff".
    assertEquals("+1796575539.805948 [0 127.0.0.1:47676] \"set\" \"a\\\"b\\\\c\" \"x\\ny\\x01\\xff\"\r\n",
        line(1796575539_805948L, 0, "127.0.0.1:47676", "set", "a\"b\\c", "x\ny\u0001\u00ff"));
  }

  @Test void microsecondsArePaddedToSixDigits() {
    assertEquals("+1700000000.000042 [5 [::1]:6000] \"ping\"\r\n", line(1700000000_000042L, 5, "[::1]:6000", "ping"));
    assertEquals("+1700000000.000000 [0 a:1] \"get\" \"\"\r\n", line(1700000000_000000L, 0, "a:1", "get", ""));
  }

  @Test void controlBytesSpacesAndTabsAreEscapedAsSdscatreprDoes() {
    assertEquals("+1.000001 [0 a:1] \"echo\" \"a b\\t\\r\\a\\b\\x7f\\x00\"\r\n",
        line(1_000_001L, 0, "a:1", "echo", "a b\t\r\u0007\b\u007f\u0000"));
  }

  /** A monitor session whose pushes are collected. */
  private static List<String> collect(Session monitor) {
    List<String> lines = new ArrayList<>();
    monitor.pushes = (ByteString bytes) -> lines.add(bytes.utf8String());
    return lines;
  }

  private static String withoutTime(String line) {
    return line.substring(line.indexOf(' ') + 1);
  }

  @Test void everyRunCommandIsFedWithSecretsRedactedAndAdminCommandsLeftOut() {
    ServerCommandsTest.Node node = new ServerCommandsTest.Node();
    Session monitor = node.connect("127.0.0.1:1111");
    Session client = node.connect("127.0.0.1:2222");
    List<String> lines = collect(monitor);
    Monitors monitors = node.ctx.clients().monitors();
    assertEquals(Reply.OK, Monitors.monitor(monitors, monitor, false));
    finished(node, client, "ping");
    assertTrue(lines.isEmpty(), "no line before MONITOR's reply went out");
    monitors.start(monitor);
    finished(node, client, "auth", "user", "secret");
    finished(node, client, "hello", "3", "AUTH", "user", "secret", "SETNAME", "x");
    finished(node, client, "config", "get", "maxmemory");
    finished(node, client, "client", "list");
    finished(node, Session.applier("loader", node.settings), "ping"); // DEBUG LOADAOF's commands: not shown
    client.db = 3;
    finished(node, client, "ping");
    assertEquals(List.of(
        "[0 127.0.0.1:2222] \"auth\" \"(redacted)\" \"(redacted)\"\r\n",
        "[0 127.0.0.1:2222] \"hello\" \"3\" \"AUTH\" \"(redacted)\" \"(redacted)\" \"SETNAME\" \"x\"\r\n",
        "[3 127.0.0.1:2222] \"ping\"\r\n"), lines.stream().map(MonitorsTest::withoutTime).toList());
    assertTrue(lines.get(0).matches("(?s)\\+\\d{10}\\.\\d{6} .*"), lines.get(0));
  }

  @Test void aMonitorIsFlaggedOAndResetEndsIt() {
    ServerCommandsTest.Node node = new ServerCommandsTest.Node();
    Session monitor = node.connect("127.0.0.1:1111");
    Session client = node.connect("127.0.0.1:2222");
    List<String> lines = collect(monitor);
    Monitors monitors = node.ctx.clients().monitors();
    Monitors.monitor(monitors, monitor, false);
    monitors.start(monitor);
    assertEquals("O", monitor.flags());
    assertEquals(1, monitors.count());
    assertEquals(new Reply.Simple("RESET"), node.run(monitor, "reset"));
    assertEquals("N", monitor.flags());
    assertEquals(0, monitors.count());
    monitors.start(monitor); // a late start, after the RESET: still none
    finished(node, client, "ping");
    assertTrue(lines.isEmpty());
  }

  @Test void monitorIsRefusedInsideExecAndIgnoredWhenAlreadyMonitoring() {
    Monitors monitors = new Monitors();
    Session session = new ServerCommandsTest.Node().connect("127.0.0.1:1111");
    assertEquals(Monitors.DENY_BLOCKING, Monitors.monitor(monitors, session, true));
    assertFalse(session.flags().contains("O"));
    assertEquals(Reply.OK, Monitors.monitor(monitors, session, false));
    assertNull(Monitors.monitor(monitors, session, false), "Redis answers a second MONITOR with nothing");
    Session replica = new ServerCommandsTest.Node().connect("127.0.0.1:2222");
    replica.replica = true;
    assertNull(Monitors.monitor(monitors, replica, false));
    assertEquals("S", replica.flags());
  }

  private static void finished(ServerCommandsTest.Node node, Session session, String... args) {
    byte[][] argv = argv(args);
    CommandSpec spec = CommandRunner.resolve(node.ctx.commands(), argv).spec();
    CommandCalls.finished(node.ctx, session, spec, argv, System.nanoTime());
  }
}
