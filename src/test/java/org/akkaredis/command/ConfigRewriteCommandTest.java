package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.akkaredis.command.ServerCommandsTest.Node;
import org.akkaredis.config.CommandLine;
import org.akkaredis.config.ConfigFileFormat;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONFIG SET, CONFIG REWRITE, then a start from the rewritten file: the same CONFIG GET values, for a redis.conf
 * and for a HOCON file, whose comments stay.
 */
class ConfigRewriteCommandTest {

  @TempDir
  Path dir;

  @Test
  void aRewrittenRedisConfStartsWithTheSameSettings() throws Exception {
    roundTrip("node.conf", "# my node\nport 7001\nsave 900 1\nsave 300 10\n", ConfigFileFormat.REDIS_CONF);
  }

  @Test
  void aRewrittenHoconFileStartsWithTheSameSettings() throws Exception {
    roundTrip("node.conf", "# my node\nport = 7001\nsave = \"900 1 300 10\"\n", ConfigFileFormat.HOCON);
  }

  private void roundTrip(String name, String text, ConfigFileFormat format) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    Settings settings = CommandLine.parse(new String[] {file.toString()}).settings();
    assertEquals(format, settings.configFormat());
    Node node = new Node(settings, file.toString());
    Session session = node.connect();
    assertEquals("+OK\r\n", node.resp(session, "config", "set", "maxmemory", "1gb", "save", "", "appendonly", "yes",
        "bind", "127.0.0.1 ::1", "client-output-buffer-limit", "pubsub 1mb 2mb 3", "slowlog-max-len", "64",
        "masterauth", "a b\"c\u00e9", "loglevel", "warning", "hash-max-listpack-entries", "7",
        "repl-backlog-size", "2mb", "port", "7002", "protected-mode", "no", "hz", "1000"));
    assertEquals("+OK\r\n", node.resp(session, "config", "rewrite"));

    String rewritten = Files.readString(file);
    assertTrue(rewritten.startsWith("# my node\n"), rewritten);
    Settings restarted = CommandLine.parse(new String[] {file.toString()}).settings();
    assertEquals(settings.get(List.of("*")), restarted.get(List.of("*")));
    assertEquals(format, restarted.configFormat());

    assertEquals("+OK\r\n", node.resp(session, "config", "set", "maxmemory", "0", "bind", "* -::*"));
    assertEquals("+OK\r\n", node.resp(session, "config", "rewrite"));
    assertEquals(settings.get(List.of("*")),
        CommandLine.parse(new String[] {file.toString()}).settings().get(List.of("*")));
  }

  @Test
  void aFileThatCannotBeWrittenIsRedisServersError() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("gone"));
    Path file = sub.resolve("node.conf");
    Files.writeString(file, "port 7001\n");
    Settings settings = CommandLine.parse(new String[] {file.toString()}).settings();
    Files.delete(file);
    Files.delete(sub);
    Node node = new Node(settings, file.toString());
    assertEquals("-ERR Rewriting config file: No such file or directory\r\n",
        node.resp(node.connect(), "config", "rewrite"));
  }
}
