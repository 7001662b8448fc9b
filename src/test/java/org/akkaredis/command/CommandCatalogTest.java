package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.akkaredis.CommandGroups;
import org.akkaredis.cluster.manager.ClusterCommands;
import org.akkaredis.cluster.migration.MigrateCommand;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.Test;

/** The one source of command metadata: its data covers exactly what the node serves, and its format. */
class CommandCatalogTest {
  private static final Handler.Keyed UNUSED = (ctx, args) -> Reply.OK;

  /** Every full name the node's table serves, subcommands included. */
  private static Set<String> served(CommandTable table) {
    Set<String> names = new TreeSet<>();
    for (CommandSpec spec : table.all()) {
      names.add(spec.name());
      for (CommandSpec sub : spec.subcommands().values()) names.add(sub.name());
    }
    return names;
  }

  @Test
  void theDataHoldsExactlyTheCommandsTheNodeServesAndEachHasAHandler() {
    CommandTable node = CommandGroups.all(new ClusterCommands(null, null, null), new MigrateCommand(null, null));
    Set<String> inData = new TreeSet<>();
    for (CommandMetadata metadata : CommandCatalog.redis70().all()) inData.add(metadata.name());
    assertEquals(inData, served(node), "a command in the data but not served would be listed by COMMAND");
    for (CommandSpec spec : node.all()) {
      assertTrue(spec.handler() != null || !spec.subcommands().isEmpty(), spec.name() + " has no handler");
      for (CommandSpec sub : spec.subcommands().values()) assertNotNull(sub.handler(), sub.name());
      assertEquals(spec.name(), spec.metadata().name());
    }
  }

  @Test
  void everyEntryIsRedis70sButTheTwoThatCameIn72() {
    Set<String> later = new TreeSet<>();
    for (CommandMetadata metadata : CommandCatalog.redis70().all()) {
      if (metadata.doc().since().compareTo("7.1") >= 0) later.add(metadata.name());
      assertTrue(!metadata.aclCategories().isEmpty(), metadata.name() + " has ACL categories");
    }
    assertEquals(Set.of("client|setinfo", "cluster|myshardid"), later);
    assertEquals(List.of("slow"), CommandCatalog.redis70().get("cluster|myshardid").aclCategories());
  }

  @Test
  void aHandlerForACommandWithoutMetadataFailsAtOnce() {
    CommandTable.Builder b = CommandTable.builder();
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> b.handle("nosuchcommand", UNUSED));
    assertTrue(missing.getMessage().contains("no metadata for command 'nosuchcommand'"), missing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.handle("client|nosuch", UNUSED));
    b.handle("GET", UNUSED);
    assertThrows(IllegalArgumentException.class, () -> b.handle("get", UNUSED), "one handler per command");
  }

  @Test
  void aContainerJoinsTheTableWithItsFirstSubcommand() {
    CommandTable.Builder b = CommandTable.builder();
    CommandTable empty = b.build();
    assertEquals(0, empty.size());
    b.handle("client|id", UNUSED);
    CommandTable table = b.build();
    assertEquals(1, table.size());
    CommandSpec client = table.lookup("client");
    assertEquals(null, client.handler());
    assertEquals(Set.of("id"), client.subcommands().keySet());
    assertEquals(-2, client.arity());
    assertEquals("client|id", client.subcommands().get("id").name());
  }

  @Test
  void theDataFormatCarriesEveryFieldRedisUses() {
    CommandCatalog catalog = CommandCatalog.parse("""
        # a comment
        migrate generic 2.6.0 Atomically transfer a key
          =arity -6
          =flags write movablekeys
          =keys 3 3 1
          =acl keyspace write slow dangerous
          =tips nondeterministic_output
          =key_spec RW,access,delete; index 3; range 0 1 0
          =key_spec RW,access,delete,incomplete; keyword KEYS -2; range -1 1 0; notes; with a semicolon
          =key_spec RW,access; index 2; keynum 0 1 1
          =key_spec RO; unknown; unknown
          =doc_flags deprecated syscmd
          =deprecated_since 7.0.0
          =replaced_by `NEW`
          =history 3.0.0 Added the `COPY` and `REPLACE` options.
          =history 3.0.6 Added the `KEYS` option.
          key_or_empty_string oneof
            key key key_spec=0
            empty_string pure-token token=
          trim oneof flags=optional
            equal pure-token token==
          old string deprecated_since=2.8.12
          pairs block token=ID since=6.2.0 flags=optional,multiple,multiple_token
            id integer
        echo connection 1.0.0 Echo the given string|O(1)
          =arity 2
          =acl fast connection
          message string
        """);
    CommandMetadata migrateInfo = catalog.get("migrate");
    assertEquals(-6, migrateInfo.arity());
    assertEquals(List.of("write", "movablekeys"), migrateInfo.flags());
    assertEquals(List.of(3, 3, 1), List.of(migrateInfo.firstKey(), migrateInfo.lastKey(), migrateInfo.step()));
    assertEquals(List.of("keyspace", "write", "slow", "dangerous"), migrateInfo.aclCategories());
    assertEquals(List.of("nondeterministic_output"), migrateInfo.tips());
    assertEquals(new KeySpec(List.of("RW", "access", "delete"), "index", 3, null, 0, "range", 0, 1, 0, 0, 0, null),
        migrateInfo.keySpecs().get(0));
    assertEquals(new KeySpec(List.of("RW", "access", "delete", "incomplete"), "keyword", 0, "KEYS", -2, "range", -1,
        1, 0, 0, 0, "notes; with a semicolon"), migrateInfo.keySpecs().get(1));
    assertEquals(new KeySpec(List.of("RW", "access"), "index", 2, null, 0, "keynum", 0, 1, 0, 0, 1, null),
        migrateInfo.keySpecs().get(2));
    assertEquals(new KeySpec(List.of("RO"), "unknown", 0, null, 0, "unknown", 0, 0, 0, 0, 0, null),
        migrateInfo.keySpecs().get(3));

    CommandDocs.Doc migrate = migrateInfo.doc();
    assertEquals("Atomically transfer a key", migrate.summary());
    assertEquals(null, migrate.complexity());
    assertEquals(List.of("deprecated", "syscmd"), migrate.docFlags());
    assertEquals("`NEW`", migrate.replacedBy());
    assertEquals(new CommandDocs.Change("3.0.6", "Added the `KEYS` option."), migrate.history().get(1));
    assertEquals(4, migrate.arguments().size());
    assertEquals("", migrate.arguments().get(0).arguments().get(1).token());
    assertEquals(0, migrate.arguments().get(0).arguments().get(0).keySpecIndex());
    assertEquals("=", migrate.arguments().get(1).arguments().get(0).token());
    assertEquals("2.8.12", migrate.arguments().get(2).deprecatedSince());
    assertEquals(List.of("optional", "multiple", "multiple_token"), migrate.arguments().get(3).flags());
    assertEquals("id", migrate.arguments().get(3).arguments().get(0).name());
    assertEquals(List.of(Reply.bulk("summary"), Reply.bulk("Atomically transfer a key"), Reply.bulk("since"),
        Reply.bulk("2.6.0"), Reply.bulk("group"), Reply.bulk("generic"), Reply.bulk("doc_flags"),
        new Reply.SetReply(List.of(Reply.simple("deprecated"), Reply.simple("syscmd")))),
        migrate.fields().subList(0, 8));
    CommandMetadata echo = catalog.get("echo");
    assertEquals(List.of(), echo.flags());
    assertEquals(List.of(0, 0, 0), List.of(echo.firstKey(), echo.lastKey(), echo.step()));
    assertEquals(List.of(), echo.keySpecs());
    assertEquals(List.of(Reply.bulk("summary"), Reply.bulk("Echo the given string"), Reply.bulk("since"),
        Reply.bulk("1.0.0"), Reply.bulk("group"), Reply.bulk("connection"), Reply.bulk("complexity"),
        Reply.bulk("O(1)"), Reply.bulk("arguments"), Reply.array(Reply.map(List.of(Reply.bulk("name"),
            Reply.bulk("message"), Reply.bulk("type"), Reply.bulk("string"))))), echo.doc().fields());
  }

  @Test
  void badDataFailsWithTheEntrysLine() {
    IllegalArgumentException noArity = assertThrows(IllegalArgumentException.class,
        () -> CommandCatalog.parse("get string 1.0.0 Get|O(1)\n  =acl read\n"));
    assertTrue(noArity.getMessage().contains("line 1"), noArity.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> CommandCatalog.parse("get string 1.0.0 Get\n  =arity 2\nset string 1.0.0 Set\n  =arty -3\n"));
    assertTrue(unknown.getMessage().contains("line 3"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> CommandCatalog.parse("get string 1.0.0 Get\n  =arity 2\nget string 1.0.0 Get\n  =arity 2\n"));
    assertThrows(IllegalArgumentException.class,
        () -> CommandCatalog.parse("get string 1.0.0 Get\n  =arity 2\n  =key_spec RO; middle 1; range 0 1 0\n"));
  }
}
