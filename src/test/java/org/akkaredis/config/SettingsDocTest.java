package org.akkaredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's tables of settings against the settings table: one row per setting, and its "Used now"
 * column says "no" exactly for the settings the node refuses at other than their default
 * ({@link SettingTable#NOT_IMPLEMENTED}), and CONFIG SET's column says what the table's access is.
 */
class SettingsDocTest {
  private static final Path DOC = Path.of(System.getProperty("basedir", "."), "docs", "configuration.md");
  private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z0-9_-]+)`[^|]*\\|.*");

  private record Row(String name, String configSet, String usedNow) {}

  private static Map<String, Row> rows() throws IOException {
    Map<String, Row> rows = new TreeMap<>();
    for (String line : Files.readAllLines(DOC)) {
      Matcher row = ROW.matcher(line);
      if (!row.matches()) continue;
      String[] cells = line.split("\\|", -1);
      // "", name, default, values, CONFIG SET, used now, meaning, ""
      assertEquals(8, cells.length, () -> "a row of six cells: " + line);
      assertTrue(rows.put(row.group(1), new Row(row.group(1), cells[4].strip(), cells[5].strip())) == null,
          () -> row.group(1) + " has two rows");
    }
    return rows;
  }

  /** The README's count of the settings refused at other than their default is the table's. */
  @Test
  void theReadmeCountsTheSettingsNotImplemented() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("basedir", "."), "README.md"));
    Matcher count = Pattern.compile("… (\\d+) of\\s+them, marked \"no\" in docs/configuration.md").matcher(readme);
    assertTrue(count.find(), "the README's sentence on settings not implemented");
    assertEquals(SettingTable.NOT_IMPLEMENTED.size(), Integer.parseInt(count.group(1)));
  }

  @Test
  void everySettingHasOneRowAndItsUsedColumnIsTheCodes() throws IOException {
    Map<String, Row> rows = rows();
    Set<String> names = new TreeSet<>();
    SettingTable.ALL.forEach(definition -> names.add(definition.name));
    assertEquals(names, rows.keySet(), "the settings documented are the settings of the table");

    List<String> wrong = new ArrayList<>();
    for (SettingDefinition definition : SettingTable.ALL) {
      Row row = rows.get(definition.name);
      boolean documentedAsNotImplemented = row.usedNow().equals("no");
      if (documentedAsNotImplemented == SettingTable.implemented(definition)) {
        wrong.add(definition.name + ": the doc says '" + row.usedNow() + "', the code "
            + (SettingTable.implemented(definition) ? "acts on it" : "refuses other values than the default"));
      }
      String access = switch (definition.access) {
        case MUTABLE -> "yes";
        case IMMUTABLE -> "no";
        case PROTECTED -> "protected";
      };
      if (!row.configSet().equals(access)) {
        wrong.add(definition.name + ": CONFIG SET '" + row.configSet() + "' in the doc, '" + access + "' in the code");
      }
      if (!Set.of("yes", "no", "reported", "partly", "yes (at start)").contains(row.usedNow())) {
        wrong.add(definition.name + ": 'Used now' must be yes, no, reported, partly or yes (at start), not '"
            + row.usedNow() + "'");
      }
    }
    assertEquals(List.of(), wrong);
  }
}
