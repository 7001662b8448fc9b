package org.akkaredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

  private static final String EXAMPLE = String.join("\n",
      "port = 7001",
      "bind = \"127.0.0.1\"",
      "cluster-enabled = yes",
      "cluster-config-file = \"nodes.conf\"",
      "cluster-node-timeout = 5000",
      "appendonly = yes",
      "dir = \"data/7001\"",
      "");

  @TempDir
  Path folder;

  private String write(String name, String content) throws IOException {
    Path file = folder.resolve(name);
    Files.writeString(file, content);
    return file.toString();
  }

  private static Settings parse(String... args) throws ConfigException {
    CommandLine commandLine = CommandLine.parse(args);
    assertFalse(commandLine.helpRequested());
    assertFalse(commandLine.versionRequested());
    return commandLine.settings();
  }

  private static String failure(String... args) {
    ConfigException e = assertThrows(ConfigException.class, () -> CommandLine.parse(args));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().startsWith("Bad config: "), e.getMessage());
    return e.getMessage();
  }

  @Test
  void theExampleFileLoadsAsItStands() throws Exception {
    String file = write("node.conf", EXAMPLE);
    Settings settings = parse(file);
    assertEquals(7001, settings.port());
    assertEquals(List.of("127.0.0.1"), settings.bind());
    assertTrue(settings.clusterEnabled());
    assertEquals("nodes.conf", settings.clusterConfigFile());
    assertEquals(5000, settings.clusterNodeTimeout());
    assertEquals(17001, settings.clusterPort());
    assertTrue(settings.appendonly());
    assertEquals(Path.of("data/7001").toAbsolutePath().toString(), settings.dir());
    assertEquals(Path.of(file).toAbsolutePath().toString(), settings.configFile());
    assertEquals("3600 1 300 100 60 10000", settings.rawValue("save"));
  }

  @Test
  void argumentsAfterTheFileWin() throws Exception {
    String file = write("node.conf", EXAMPLE);
    Settings settings = parse(file, "--port", "7002", "--cluster-node-timeout", "3000", "--port", "7003",
        "--appendonly", "no");
    assertEquals(7003, settings.port());
    assertEquals(3000, settings.clusterNodeTimeout());
    assertFalse(settings.appendonly());
    assertEquals(List.of("127.0.0.1"), settings.bind());
  }

  @Test
  void argumentsAloneWork() throws Exception {
    assertEquals(6379, parse().port());
    Settings settings = parse("--port", "7777", "--cluster-enabled", "yes", "--maxmemory", "1gb");
    assertEquals(7777, settings.port());
    assertTrue(settings.clusterEnabled());
    assertEquals("1073741824", settings.rawValue("maxmemory"));
    assertEquals("", settings.configFile());
  }

  @Test
  void settingsMayTakeSeveralWords() throws Exception {
    assertEquals(List.of("127.0.0.1", "::1"), parse("--bind", "127.0.0.1", "::1").bind());
    assertEquals("3600 1", parse("--save", "3600 1").rawValue("save"));
    assertEquals("3600 1 300 100", parse("--save", "3600", "1", "300", "100").rawValue("save"));
    assertEquals("3600 1 300 100", parse("--save", "3600 1", "--save", "300 100").rawValue("save"));
    assertEquals("300 100", parse("--save", "3600 1", "--save", "", "--save", "300 100").rawValue("save"));
    assertEquals("", parse("--save", "--port", "7001").rawValue("save"));
    assertEquals("", parse("--port", "7001", "--save").rawValue("save"));
    assertEquals("normal 1 2 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
        parse("--client-output-buffer-limit", "normal", "1", "2", "3").rawValue("client-output-buffer-limit"));
  }

  @Test
  void otherArgumentSpellingsRedisAccepts() throws Exception {
    assertEquals(7008, parse("--port 7008").port());
    assertEquals(7009, parse("--port=7009").port());
    assertEquals(7010, parse("--PORT", "7010").port());
    assertEquals("--secret--", parse("--requirepass", "--secret--").requirepass());
  }

  @Test
  void unknownNamesStopStartUpWithOneLine() throws Exception {
    String file = write("x.conf", "port = 7001\nprot = 5\n");
    assertEquals("Bad config: unknown setting 'prot' in " + file + " at line 2", failure(file));
    assertEquals("Bad config: unknown setting 'prot' in command line arguments", failure("--prot", "5"));
    assertEquals("Bad config: unknown setting 'prot' in command line arguments", failure("--prot"));
  }

  @Test
  void badValuesStopStartUpWithOneLine() throws Exception {
    assertEquals("Bad config: 'port' must be an integer between 0 and 65535, got 'abc' in command line arguments",
        failure("--port", "abc"));
    String file = write("y.conf", "port = abc\n");
    assertEquals("Bad config: 'port' must be an integer between 0 and 65535, got 'abc' in " + file + " at line 1",
        failure(file));
    assertEquals("Bad config: 'appendonly' must be yes or no, got 'maybe' in command line arguments",
        failure("--appendonly", "maybe"));
    assertEquals("Bad config: 'loglevel' must be one of debug, verbose, notice, warning, got 'loud' in command "
        + "line arguments", failure("--loglevel", "loud"));
    assertEquals("Bad config: 'save' is invalid (Invalid save parameters), got '1 2 3' in command line arguments",
        failure("--save", "1 2 3"));
    assertEquals("Bad config: 'port' takes a single value, got '1 2' in command line arguments",
        failure("--port", "1", "2"));
    assertEquals("Bad config: 'port' needs a value in command line arguments", failure("--port"));
  }

  @Test
  void otherStartUpProblemsAreOneLineToo() throws Exception {
    assertEquals("Bad config: cannot read config file 'no/such.conf': no such file", failure("no/such.conf"));
    String brokenHocon = write("broken.conf", "port = 7001\nbind = [\n");
    assertTrue(failure(brokenHocon).contains("the file is HOCON"));
    String file = write("node.conf", EXAMPLE);
    assertTrue(failure(file, "extra").contains("unexpected argument 'extra'"));
    assertTrue(failure("-").contains("standard input"));
    assertTrue(failure("--cluster-enabled", "yes", "--port", "60000").contains("55535"));
    assertTrue(failure(file, "--replicaof", "127.0.0.1", "7002").contains("'replicaof' is not allowed"));
  }

  @Test
  void helpAndVersion() throws Exception {
    for (String help : List.of("--help", "-h")) {
      assertTrue(CommandLine.parse(new String[] {help}).helpRequested());
    }
    for (String version : List.of("--version", "-v")) {
      assertTrue(CommandLine.parse(new String[] {version}).versionRequested());
    }
    String file = write("node.conf", EXAMPLE);
    assertTrue(CommandLine.parse(new String[] {file, "--port", "7002", "--version"}).versionRequested());
    assertEquals("akka-redis-cluster 0.1.0 (redis_version 7.0.15)", CommandLine.versionLine());
    assertTrue(CommandLine.usage().startsWith("Usage: "));
    assertTrue(CommandLine.usage().contains("--version"));
    assertTrue(CommandLine.usage().contains("--name value"));
  }
}
