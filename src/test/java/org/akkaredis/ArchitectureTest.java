package org.akkaredis;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the code and the table "Packages and their layers" of docs/architecture.md the same, reading the table
 * from the doc itself: a package's classes use only their own package, the packages its row lists under "may
 * use" (the root's "all": any) and classes that are not ours; every package has a row and every row a package;
 * every arrow the table lists is one the code has; the packages form no cycle.
 */
class ArchitectureTest {
  private static final String ROOT = "org.akkaredis";
  private static final Path DOC = Path.of(System.getProperty("basedir", "."), "docs", "architecture.md");
  private static final String SECTION = "## Packages and their layers";

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  private static final Map<String, Set<String>> TABLE = mayUseTable();

  @TestFactory
  Stream<DynamicTest> eachPackageUsesOnlyWhatItsRowAllows() {
    return TABLE.entrySet().stream().filter(row -> !row.getValue().contains("all"))
        .map(row -> DynamicTest.dynamicTest(row.getKey() + " may use " + row.getValue(), () -> {
          List<String> allowed = new ArrayList<>();
          allowed.add(qualified(row.getKey()));
          row.getValue().forEach(used -> allowed.add(qualified(used)));
          classes().that().resideInAPackage(qualified(row.getKey()))
              .should().onlyDependOnClassesThat(
                  resideOutsideOfPackage(ROOT + "..").or(resideInAnyPackage(allowed.toArray(String[]::new))))
              .because("docs/architecture.md's row of " + row.getKey() + " allows only " + row.getValue())
              .check(CLASSES);
        }));
  }

  @Test
  void everyPackageHasARowAndEveryRowAPackage() {
    assertEquals(packagesOfTheCode(), TABLE.keySet(),
        "the packages of src/main and the rows of docs/architecture.md's table");
    TABLE.forEach((name, used) -> used.stream().filter(use -> !use.equals("all")).forEach(use ->
        assertTrue(TABLE.containsKey(use), name + " may use " + use + ", which has no row of its own")));
  }

  @Test
  void theTableListsExactlyTheArrowsOfTheCode() {
    Map<String, Set<String>> listed = new TreeMap<>();
    Map<String, Set<String>> real = new TreeMap<>();
    Map<String, Set<String>> arrows = realArrows();
    TABLE.forEach((name, used) -> {
      if (!used.contains("all")) {
        listed.put(name, used);
        real.put(name, arrows.getOrDefault(name, Set.of()));
      }
    });
    assertEquals(listed, real, "the arrows docs/architecture.md lists and the ones the code has");
  }

  /** A functional core: the cluster model's rules are plain methods, so they run without actors in tests. */
  @Test
  void clusterModelUsesNoAkka() {
    noClasses().that().resideInAPackage(ROOT + ".cluster")
        .should().dependOnClassesThat().resideInAPackage("akka..")
        .check(CLASSES);
  }

  @Test
  void noCyclesBetweenPackages() {
    slices().assignedFrom(new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        return isOurs(javaClass.getPackageName())
            ? SliceIdentifier.of(javaClass.getPackageName()) : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "the packages of " + ROOT;
      }
    }).should().beFreeOfCycles().check(CLASSES);
  }

  /** Package (as the table names it: "root", "keyspace", "cluster.bus") → the packages its row lists. */
  private static Map<String, Set<String>> mayUseTable() {
    List<String> lines;
    try {
      lines = Files.readAllLines(DOC);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DOC.toAbsolutePath(), e);
    }
    int start = lines.indexOf(SECTION);
    if (start < 0) {
      throw new IllegalStateException(DOC + " has no section \"" + SECTION + "\"");
    }
    Map<String, Set<String>> table = new LinkedHashMap<>();
    boolean header = true;
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (!line.startsWith("|")) {
        continue;
      }
      String[] cells = line.split("\\|");
      // | package | what it holds | may use |: cells[0] is the empty text before the first bar
      if (cells.length != 4) {
        throw new IllegalStateException("not a row of three cells: " + line);
      }
      if (header || cells[1].strip().startsWith("---")) {
        header = false;
        continue;
      }
      String name = cells[1].strip().replace("`", "");
      Set<String> used = new TreeSet<>();
      for (String use : cells[3].split(",")) {
        String usedPackage = use.strip().replace("`", "");
        if (!usedPackage.isEmpty() && !usedPackage.equals("–")) {
          used.add(usedPackage);
        }
      }
      if (table.put(name, used) != null) {
        throw new IllegalStateException("two rows for " + name);
      }
    }
    if (table.isEmpty()) {
      throw new IllegalStateException(DOC + ": no rows under \"" + SECTION + "\"");
    }
    return table;
  }

  private static boolean isOurs(String packageName) {
    return packageName.equals(ROOT) || packageName.startsWith(ROOT + ".");
  }

  private static String qualified(String name) {
    return name.equals("root") ? ROOT : ROOT + "." + name;
  }

  private static String tableName(String packageName) {
    return packageName.equals(ROOT) ? "root" : packageName.substring(ROOT.length() + 1);
  }

  private static Set<String> packagesOfTheCode() {
    Set<String> packages = new TreeSet<>();
    CLASSES.forEach(javaClass -> packages.add(tableName(javaClass.getPackageName())));
    return packages;
  }

  /** Package → the other packages of ours its classes use. */
  private static Map<String, Set<String>> realArrows() {
    Map<String, Set<String>> arrows = new TreeMap<>();
    for (JavaClass javaClass : CLASSES) {
      String from = javaClass.getPackageName();
      for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
        String to = dependency.getTargetClass().getBaseComponentType().getPackageName();
        if (!to.equals(from) && isOurs(to)) {
          arrows.computeIfAbsent(tableName(from), any -> new TreeSet<>()).add(tableName(to));
        }
      }
    }
    return arrows;
  }
}
