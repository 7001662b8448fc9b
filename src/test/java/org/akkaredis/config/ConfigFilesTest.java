package org.akkaredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The files under conf/ and docs/ agree with the settings table. Runs from the project directory. */
class ConfigFilesTest {

  private static final Path CONF = Path.of("conf");
  private static final Pattern COMMENTED_SETTING = Pattern.compile("^# ([a-z_-]+) = (.*)$");

  @Test
  void theSixNodeFilesLoad() throws Exception {
    for (int node = 1; node <= 6; node++) {
      int port = 7000 + node;
      Settings settings = CommandLine.parse(new String[] {CONF.resolve("node-" + port + ".conf").toString()})
          .settings();
      assertEquals(port, settings.port());
      assertEquals(List.of("127.0.0.1"), settings.bind());
      assertTrue(settings.clusterEnabled());
      assertTrue(settings.appendonly());
      assertEquals(5000, settings.clusterNodeTimeout());
      assertEquals("nodes.conf", settings.clusterConfigFile());
      assertEquals(Path.of("data/" + port).toAbsolutePath().toString(), settings.dir());
    }
  }

  @Test
  void theReferenceListsEverySettingWithItsDefault() throws Exception {
    Path reference = CONF.resolve("reference.conf.example");
    // As it stands, everything is commented out: it loads as the defaults.
    Settings asItStands = CommandLine.parse(new String[] {reference.toString()}).settings();
    assertEquals(Settings.defaults().get(List.of("*")), asItStands.get(List.of("*")));

    List<String> uncommented = Files.readAllLines(reference).stream()
        .map(COMMENTED_SETTING::matcher)
        .filter(Matcher::matches)
        .map(m -> m.group(1) + " = " + m.group(2))
        .collect(Collectors.toList());
    List<String> names = uncommented.stream().map(line -> line.substring(0, line.indexOf(' '))).toList();
    assertEquals(SettingTable.ALL.stream().map(d -> d.name).sorted().toList(), names.stream().sorted().toList());
    Settings fromDefaults = Settings.fromHocon(ConfigFactory.parseString(String.join("\n", uncommented)),
        "reference.conf.example");
    assertEquals(Settings.defaults().get(List.of("*")), fromDefaults.get(List.of("*")));
  }

  @Test
  void theDocumentationTableListsEverySetting() throws Exception {
    String docs = Files.readString(Path.of("docs/configuration.md"));
    for (SettingDefinition definition : SettingTable.ALL) {
      assertTrue(docs.contains("| `" + definition.name + "`"), definition.name);
      if (definition.alias != null) {
        assertTrue(docs.contains("(alias `" + definition.alias + "`)"), definition.alias);
      }
    }
  }
}
