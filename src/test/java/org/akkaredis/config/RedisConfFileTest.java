package org.akkaredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a redis.conf, and telling it from HOCON. */
class RedisConfFileTest {

  @TempDir
  Path dir;

  @Test
  void theFirstSettingLineTellsTheSyntax() {
    assertEquals(ConfigFileFormat.REDIS_CONF, ConfigFileFormat.of("# comment\n\nport 7001\n"));
    assertEquals(ConfigFileFormat.REDIS_CONF, ConfigFileFormat.of("include /etc/redis/common.conf\nport = 1"));
    assertEquals(ConfigFileFormat.REDIS_CONF, ConfigFileFormat.of("requirepass a=b:c\n"));
    assertEquals(ConfigFileFormat.REDIS_CONF, ConfigFileFormat.of("save \"\"\n"));
    assertEquals(ConfigFileFormat.HOCON, ConfigFileFormat.of("// comment\nport = 7001\n"));
    assertEquals(ConfigFileFormat.HOCON, ConfigFileFormat.of("port: 7001"));
    assertEquals(ConfigFileFormat.HOCON, ConfigFileFormat.of("  \"port\"=7001"));
    assertEquals(ConfigFileFormat.HOCON, ConfigFileFormat.of("save += \"1 1\""));
    assertEquals(ConfigFileFormat.HOCON, ConfigFileFormat.of("include \"common.conf\"\nport 1"));
    assertEquals(ConfigFileFormat.HOCON, ConfigFileFormat.of("include required(file(\"x\"))"));
    assertEquals(ConfigFileFormat.HOCON, ConfigFileFormat.of("# only comments\n"));
  }

  private Settings load(String text) throws Exception {
    Path file = dir.resolve("redis.conf");
    Files.writeString(file, text);
    return CommandLine.parse(new String[] {file.toString()}).settings();
  }

  private String value(Settings settings, String name) {
    return settings.get(List.of(name)).get(0).getValue();
  }

  @Test
  void linesAreReadAsRedisServerReadsThem() throws Exception {
    Settings settings = load("# a comment\n  PORT   7001  \r\n\n"
        + "save 900 1\nsave 300 10\n"
        + "bind 127.0.0.1 ::1\n"
        + "client-output-buffer-limit replica 1mb 2mb 3 pubsub 4mb 5mb 6\n"
        + "requirepass \"a b\\x41\\\"\"\n"
        + "masterauth 'it\\'s'\n"
        + "list-max-ziplist-entries 512\n"
        + "maxmemory 1GB\n");
    assertEquals(ConfigFileFormat.REDIS_CONF, settings.configFormat());
    assertEquals(7001, settings.port());
    assertEquals("900 1 300 10", value(settings, "save"));
    assertEquals(List.of("127.0.0.1", "::1"), settings.bind());
    assertEquals("normal 0 0 0 slave 1048576 2097152 3 pubsub 4194304 5242880 6",
        value(settings, "client-output-buffer-limit"));
    assertEquals("a bA\"", settings.requirepass());
    assertEquals("it's", value(settings, "masterauth"));
    assertEquals("1073741824", value(settings, "maxmemory"));
  }

  @Test
  void aSettingTheNodeDoesNotActOnIsReadButRefusedAtOtherThanItsDefault() throws Exception {
    assertEquals("10.0.0.1 6379", value(Settings.fromRedisConfUnchecked(RedisConfFile.parse("slaveof 10.0.0.1 6379\n")),
        "replicaof"));
    String file = dir.resolve("redis.conf").toString();
    ConfigException refused = assertThrows(ConfigException.class,
        () -> load("slaveof 10.0.0.1 6379\nrdbchecksum no\ntcp-keepalive 300\n"));
    assertEquals("Bad config: settings 'rdbchecksum' (got 'no', default 'yes'), 'replicaof' (got '10.0.0.1 6379', "
        + "default '') are not implemented by this node: only the default value is accepted in " + file,
        refused.getMessage());
    assertEquals(300, load("tcp-keepalive 300\n").longValue("tcp-keepalive"), "the default loads");
  }

  @Test
  void saveLinesAddUpAndAnEmptyOneClears() throws Exception {
    assertEquals("60 5", value(load("save 900 1\nsave \"\"\nsave 60 5\n"), "save"));
    assertEquals("", value(load("save 900 1\nsave \"\"\n"), "save"));
    assertEquals("3600 1 300 100 60 10000", value(load("port 1\n"), "save"));
    // As in redis-server, whose arguments are more lines of the file.
    Files.writeString(dir.resolve("saves.conf"), "save 900 1\n");
    String file = dir.resolve("saves.conf").toString();
    assertEquals("900 1 60 5", value(CommandLine.parse(new String[] {file, "--save", "60 5"}).settings(), "save"));
    assertEquals("", value(CommandLine.parse(new String[] {file, "--save", ""}).settings(), "save"));
    Files.writeString(dir.resolve("saves.conf"), "port 1\n");
    assertEquals("60 5", value(CommandLine.parse(new String[] {file, "--save", "60 5"}).settings(), "save"));
  }

  @Test
  void includesAreReadInPlaceAndWildcardsInNameOrder() throws Exception {
    Path confD = Files.createDirectory(dir.resolve("conf.d"));
    Files.writeString(confD.resolve("b.conf"), "timeout 7\n");
    Files.writeString(confD.resolve("a.conf"), "timeout 5\nloglevel warning\n");
    Files.writeString(dir.resolve("common.conf"), "port 7005\n");
    Settings settings = load("port 1\ninclude " + dir.resolve("common.conf") + "\ninclude " + confD + "/*.conf\n"
        + "include " + dir + "/empty.d-*.conf\n");
    assertEquals(7005, settings.port());
    assertEquals(7, settings.timeout());
    assertEquals("warning", settings.loglevel());
  }

  @Test
  void aBadLineIsReportedAsRedisServerReportsIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("port 7001\n\nbogus 1 2\n"));
    assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 3\n"
        + ">>> 'bogus 1 2'\nBad directive or wrong number of arguments", e.getMessage());
    assertEquals(">>> 'port 1 2'\nwrong number of arguments", lastTwoLines(() -> load("port 1 2\n")));
    assertEquals(">>> 'appendonly maybe'\nargument must be 'yes' or 'no'",
        lastTwoLines(() -> load("appendonly maybe\n")));
    assertEquals(">>> 'port \"7001'\nUnbalanced quotes in configuration line", lastTwoLines(() -> load("port \"7001\n")));
    assertEquals(">>> 'rename-command FLUSHALL \"\"'\nrename-command is not supported by this node",
        lastTwoLines(() -> load("rename-command FLUSHALL \"\"\n")));
  }

  private static String lastTwoLines(org.junit.jupiter.api.function.Executable loading) {
    String message = assertThrows(ConfigException.class, loading).getMessage();
    String[] lines = message.split("\n");
    return lines[lines.length - 2] + "\n" + lines[lines.length - 1];
  }

  @Test
  void theDefaultUserLineRedisServerWritesIsAccepted() throws Exception {
    assertEquals(7001, load("port 7001\nuser default on nopass ~* &* +@all\n").port());
  }
}
