package org.akkaredis;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the layers of docs/architecture.md: dependencies only point down, and packages form no cycle. */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.akkaredis");

  @Test
  void respAndConfigDependOnNothingOfOurs() {
    noClasses().that().resideInAnyPackage("..resp..", "..config..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "..keyspace..", "..command..", "..cluster..", "..server..", "..replication..")
        .check(CLASSES);
  }

  @Test
  void keyspaceKnowsNoCommandsClusterOrServer() {
    noClasses().that().resideInAPackage("..keyspace..")
        .should().dependOnClassesThat().resideInAnyPackage("..command..", "..cluster..", "..server..",
            "..replication..")
        .check(CLASSES);
  }

  @Test
  void commandsKnowNoClusterMechanismReplicationPersistenceOrServer() {
    noClasses().that().resideInAPackage("..command..")
        .should().dependOnClassesThat().resideInAnyPackage("..cluster..", "..server..", "..replication..",
            "..persistence..")
        .check(CLASSES);
  }

  @Test
  void replicationKnowsOnlyTheKeyspaceBelowIt() {
    noClasses().that().resideInAPackage("..replication..")
        .should().dependOnClassesThat().resideInAnyPackage("..command..", "..cluster..", "..server..")
        .check(CLASSES);
  }

  @Test
  void persistenceKnowsOnlyTheKeyspaceAndConfig() {
    noClasses().that().resideInAPackage("..persistence..")
        .should().dependOnClassesThat().resideInAnyPackage("..command..", "..cluster..", "..server..",
            "..replication..", "..resp..")
        .check(CLASSES);
  }

  @Test
  void serverAndClusterDoNotKnowEachOther() {
    noClasses().that().resideInAPackage("..server..")
        .should().dependOnClassesThat().resideInAnyPackage("..cluster..")
        .check(CLASSES);
    noClasses().that().resideInAPackage("..cluster..")
        .should().dependOnClassesThat().resideInAnyPackage("..server..")
        .check(CLASSES);
  }

  @Test
  void clusterModelKnowsNoMechanism() {
    noClasses().that().resideInAPackage("org.akkaredis.cluster")
        .should().dependOnClassesThat().resideInAnyPackage("..cluster.bus..", "..cluster.manager..",
            "..cluster.nodesconf..", "..command..", "akka..")
        .check(CLASSES);
  }

  @Test
  void noCyclesBetweenPackages() {
    slices().matching("org.akkaredis.(*)..").should().beFreeOfCycles().check(CLASSES);
  }
}
