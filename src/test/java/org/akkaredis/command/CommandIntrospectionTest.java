package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.akkaredis.cluster.manager.ClusterCommands;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.Test;

/**
 * COMMAND and its subcommands. Exact expected bytes were captured from redis-server 7.0.15 (with
 * {@code redis-cli --no-raw} and raw sockets, RESP2 and RESP3).
 */
class CommandIntrospectionTest {
  private static final Handler.Keyed UNUSED = (ctx, args) -> Reply.OK;

  /** This group's commands plus rows for data commands with Redis 7.0.15's metadata, for the key finders. */
  private static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    ConnectionCommands.register(b);
    ServerCommands.register(b);
    CommandIntrospection.register(b);
    b.add("get", 2, "readonly fast", 1, 1, 1, "string", "1.0.0", "Get the value of a key", "O(1)", UNUSED);
    b.add("set", -3, "write denyoom", 1, 1, 1, "string", "1.0.0", "Set the string value of a key", "O(1)", UNUSED);
    b.add("getset", 3, "write denyoom fast", 1, 1, 1, "string", "1.0.0",
        "Set the string value of a key and return its old value", "O(1)", UNUSED);
    b.add("hmset", -4, "write denyoom fast", 1, 1, 1, "hash", "2.0.0", "Set multiple hash fields to multiple values",
        "O(N) where N is the number of fields being set.", UNUSED);
    b.add("mset", -3, "write denyoom", 1, -1, 2, "string", "1.0.1", "Set multiple keys to multiple values",
        "O(N) where N is the number of keys to set.", UNUSED);
    b.add("eval", -3, "noscript stale skip_monitor no_mandatory_keys movablekeys", 0, 0, 0, "scripting", "2.6.0",
        "Execute a Lua script server side", "Depends on the script that is executed.", UNUSED);
    b.add("zunionstore", -4, "write denyoom movablekeys", 1, 1, 1, "sorted-set", "2.0.0",
        "Add multiple sorted sets and store the resulting sorted set in a new key", "O(N)", UNUSED);
    b.add("sort", -2, "write denyoom movablekeys", 1, 1, 1, "generic", "1.0.0",
        "Sort the elements in a list, set or sorted set", "O(N+M*log(M))", UNUSED);
    b.add("sort_ro", -2, "readonly movablekeys", 1, 1, 1, "generic", "7.0.0",
        "Sort the elements in a list, set or sorted set. Read-only variant of SORT.", "O(N+M*log(M))", UNUSED);
    b.add("xread", -4, "readonly blocking movablekeys", 0, 0, 0, "stream", "5.0.0", "Read streams", "O(N)", UNUSED);
    b.add("migrate", -6, "write movablekeys", 3, 3, 1, "generic", "2.6.0",
        "Atomically transfer a key from a Redis instance to another one.", "O(N)", UNUSED);
    b.add("georadius", -6, "write denyoom movablekeys", 1, 1, 1, "geo", "3.2.0", "Query a geo index", "O(N)",
        UNUSED);
    b.add("spublish", 3, "pubsub loading stale fast", 1, 1, 1, "pubsub", "7.0.0", "Post a message to a shard "
        + "channel", "O(N)", (Handler.OfSession) (session, args) -> Reply.ZERO);
    b.add("bitfield", -2, "write denyoom", 1, 1, 1, "bitmap", "3.2.0",
        "Perform arbitrary bitfield integer operations on strings", "O(1)", UNUSED);
    b.container("object", -2, "generic", "2.2.3", "A container for object introspection commands");
    b.sub("object", "encoding", 3, "readonly", 2, 2, 1, "2.2.3", "Inspect the internal encoding of a Redis object",
        "O(1)", UNUSED);
    b.add("futurecmd", -2, "write fast", 1, -1, 1, "hash", "9.0.0", "Not in Redis 7.0", "O(1)", UNUSED);
    return b.build();
  }

  private final CommandTable table = table();

  private Reply run(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
    CommandRunner.Resolved resolved = CommandRunner.resolve(table, argv);
    if (resolved.error() != null) return resolved.error();
    Session session = new Session(1, "127.0.0.1:1", "127.0.0.1:6379", 0, org.akkaredis.config.Settings.defaults());
    if (resolved.spec().handler() instanceof Handler.OfSession handler) return handler.run(session, argv);
    NodeContext node = new NodeContext(null, org.akkaredis.config.Settings.defaults(), table, null,
        new ServerStats(), null, Replication.NONE, () -> {}, Persistence.NONE);
    return ((Handler.OfNode) resolved.spec().handler()).run(node, session, argv).toCompletableFuture().join();
  }

  private String resp2(String... args) {
    return new String(RespWriter.encode(run(args), 2), StandardCharsets.UTF_8);
  }

  private String resp3(String... args) {
    return new String(RespWriter.encode(run(args), 3), StandardCharsets.UTF_8);
  }

  private static final String GET_INFO = "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
      + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
      + "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
      + "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n"
      + "$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";

  @Test
  void commandInfoMatchesRedisByteForByteInResp2() {
    assertEquals("*2\r\n$-1\r\n" + GET_INFO, resp2("command", "info", "foo", "get"));
    assertEquals("*1\r\n" + GET_INFO, resp2("COMMAND", "INFO", "GET"));
  }

  @Test
  void commandInfoMatchesRedisByteForByteInResp3() {
    String expected = "*4\r\n*10\r\n$3\r\nset\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n"
        + "~3\r\n+@write\r\n+@string\r\n+@slow\r\n~0\r\n~1\r\n%4\r\n$5\r\nnotes\r\n$48\r\n"
        + "RW and ACCESS due to the optional `GET` argument\r\n$5\r\nflags\r\n~4\r\n+RW\r\n+access\r\n+update\r\n"
        + "+variable_flags\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n"
        + "$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n"
        + "$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n"
        + "*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n"
        + "+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n"
        + "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n"
        + "$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n"
        + "$5\r\nlimit\r\n:0\r\n~0\r\n"
        + "*10\r\n$9\r\nclient|id\r\n:2\r\n~3\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
        + "~2\r\n+@slow\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n"
        + "*10\r\n$4\r\nping\r\n:-1\r\n~1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n~2\r\n+@fast\r\n+@connection\r\n"
        + "~2\r\n$25\r\nrequest_policy:all_shards\r\n$29\r\nresponse_policy:all_succeeded\r\n~0\r\n~0\r\n";
    assertEquals(expected, resp3("command", "info", "set", "get", "client|id", "ping"));
    assertEquals("*1\r\n*10\r\n$11\r\nclient|list\r\n:-2\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n"
        + ":0\r\n:0\r\n:0\r\n~4\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n+@connection\r\n~1\r\n"
        + "$23\r\nnondeterministic_output\r\n~0\r\n~0\r\n", resp3("command", "info", "CLIENT|LIST"));
    assertEquals("*1\r\n_\r\n", resp3("command", "info", "get|foo"));
  }

  @Test
  void everyEntryHasTenElementsAndContainersListTheirSubcommands() {
    List<Reply> all = ((Reply.Array) run("command")).items();
    assertEquals(table.size(), all.size());
    assertEquals(all.size(), ((Reply.Array) run("command", "info")).items().size());
    for (Reply entry : all) {
      List<Reply> items = ((Reply.Array) entry).items();
      assertEquals(10, items.size());
      String name = new String(((Reply.Bulk) items.get(0)).bytes(), StandardCharsets.UTF_8);
      CommandSpec spec = table.lookup(name);
      if (spec.subcommands().isEmpty()) {
        assertEquals(new Reply.SetReply(List.of()), items.get(9), name);
      } else {
        List<Reply> subs = ((Reply.Array) items.get(9)).items();
        assertEquals(spec.subcommands().size(), subs.size(), name);
        for (Reply sub : subs) assertEquals(10, ((Reply.Array) sub).items().size());
      }
    }
    List<Reply> client = ((Reply.Array) ((Reply.Array) run("command", "info", "client")).items().get(0)).items();
    assertEquals(Reply.bulk("client"), client.get(0));
    assertEquals(Reply.integer(-2), client.get(1));
    assertEquals(new Reply.SetReply(List.of()), client.get(2));
    assertEquals(new Reply.SetReply(List.of(Reply.simple("@slow"))), client.get(6));
    List<Reply> command = ((Reply.Array) ((Reply.Array) run("command", "info", "command")).items().get(0)).items();
    assertEquals(7, ((Reply.Array) command.get(9)).items().size(), "COMMAND lists its own subcommands");
  }

  @Test
  void commandsUnknownToRedis70GetDerivedCategoriesAndKeySpecs() {
    List<Reply> entry = ((Reply.Array) ((Reply.Array) run("command", "info", "futurecmd")).items().get(0)).items();
    assertEquals(new Reply.SetReply(List.of(Reply.simple("@write"), Reply.simple("@hash"), Reply.simple("@fast"))),
        entry.get(6));
    assertEquals("~1\r\n%3\r\n$5\r\nflags\r\n~3\r\n+RW\r\n+access\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n"
        + "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n"
        + "$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n"
        + "$5\r\nlimit\r\n:0\r\n", new String(RespWriter.encode(entry.get(8), 3), StandardCharsets.UTF_8));
    CommandSpec readOnlyKeyspace = new CommandSpec("x", 1, List.of("readonly"), 0, 0, 0, "generic", "", "", "",
        null, Map.of());
    assertEquals(List.of("keyspace", "read", "slow"), CommandIntrospection.deriveAclCategories(readOnlyKeyspace));
    CommandSpec admin = new CommandSpec("y", 1, List.of("admin", "noscript"), 0, 0, 0, "server", "", "", "",
        null, Map.of());
    assertEquals(List.of("admin", "slow", "dangerous"), CommandIntrospection.deriveAclCategories(admin));
  }

  @Test
  void theEmbeddedRedisTableCoversEveryCommandRegisteredHere() {
    for (CommandSpec spec : table.all()) {
      if (spec.name().equals("futurecmd")) continue;
      assertNotNull(CommandIntrospection.REDIS_70.get(spec.name()), spec.name());
    }
    assertTrue(CommandIntrospection.REDIS_70.size() >= 366);
    assertEquals(List.of("admin", "slow", "dangerous", "connection"),
        CommandIntrospection.REDIS_70.get("client|kill").aclCategories());
  }

  @Test
  void commandCountAndHelp() {
    assertEquals(":" + table.size() + "\r\n", resp2("command", "count"));
    assertEquals("-ERR wrong number of arguments for 'command|count' command\r\n", resp2("command", "count", "x"));
    assertEquals("-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n", resp2("command", "foo"));
    assertEquals("-ERR wrong number of arguments for 'command|help' command\r\n", resp2("command", "help", "x"));
    List<Reply> help = ((Reply.Array) run("command", "help")).items();
    assertEquals(21, help.size());
    assertEquals(Reply.simple("COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"), help.get(0));
    assertEquals(Reply.simple("(no subcommand)"), help.get(1));
    assertEquals("-ERR wrong number of arguments for 'command|getkeys' command\r\n",
        resp2("command", "getkeys", "get"));
  }

  // COMMAND DOCS

  @Test
  void commandDocsMatchesRedisByteForByteInResp2() {
    assertEquals("*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n"
        + "$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n"
        + "*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n",
        resp2("command", "docs", "GET", "nosuch"));
    assertEquals("*2\r\n$5\r\nhmset\r\n*16\r\n$7\r\nsummary\r\n$43\r\nSet multiple hash fields to multiple "
        + "values\r\n$5\r\nsince\r\n$5\r\n2.0.0\r\n$5\r\ngroup\r\n$4\r\nhash\r\n$10\r\ncomplexity\r\n$47\r\n"
        + "O(N) where N is the number of fields being set.\r\n$9\r\ndoc_flags\r\n*1\r\n+deprecated\r\n"
        + "$16\r\ndeprecated_since\r\n$5\r\n4.0.0\r\n$11\r\nreplaced_by\r\n$38\r\n`HSET` with multiple field-value "
        + "pairs\r\n$9\r\narguments\r\n*2\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n"
        + "$14\r\nkey_spec_index\r\n:0\r\n*8\r\n$4\r\nname\r\n$11\r\nfield_value\r\n$4\r\ntype\r\n$5\r\nblock\r\n"
        + "$5\r\nflags\r\n*1\r\n+multiple\r\n$9\r\narguments\r\n*2\r\n*4\r\n$4\r\nname\r\n$5\r\nfield\r\n"
        + "$4\r\ntype\r\n$6\r\nstring\r\n*4\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n",
        resp2("command", "docs", "hmset"));
    assertEquals("*0\r\n", resp2("command", "docs", "foo"));
  }

  @Test
  void commandDocsMatchesRedisByteForByteInResp3() {
    String set = "%1\r\n$3\r\nset\r\n%6\r\n$7\r\nsummary\r\n$29\r\nSet the string value of a key\r\n"
        + "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n"
        + "$7\r\nhistory\r\n~4\r\n*2\r\n$6\r\n2.6.12\r\n$44\r\nAdded the `EX`, `PX`, `NX` and `XX` options.\r\n"
        + "*2\r\n$5\r\n6.0.0\r\n$27\r\nAdded the `KEEPTTL` option.\r\n*2\r\n$5\r\n6.2.0\r\n$42\r\n"
        + "Added the `GET`, `EXAT` and `PXAT` option.\r\n*2\r\n$5\r\n7.0.0\r\n$55\r\n"
        + "Allowed the `NX` and `GET` options to be used together.\r\n$9\r\narguments\r\n*5\r\n"
        + "%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n"
        + "%2\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n"
        + "%5\r\n$4\r\nname\r\n$9\r\ncondition\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nsince\r\n$6\r\n2.6.12\r\n"
        + "$5\r\nflags\r\n~1\r\n+optional\r\n$9\r\narguments\r\n*2\r\n"
        + "%3\r\n$4\r\nname\r\n$2\r\nnx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nNX\r\n"
        + "%3\r\n$4\r\nname\r\n$2\r\nxx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nXX\r\n"
        + "%5\r\n$4\r\nname\r\n$3\r\nget\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$3\r\nGET\r\n"
        + "$5\r\nsince\r\n$5\r\n6.2.0\r\n$5\r\nflags\r\n~1\r\n+optional\r\n"
        + "%4\r\n$4\r\nname\r\n$10\r\nexpiration\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nflags\r\n~1\r\n"
        + "+optional\r\n$9\r\narguments\r\n*5\r\n"
        + "%4\r\n$4\r\nname\r\n$7\r\nseconds\r\n$4\r\ntype\r\n$7\r\ninteger\r\n$5\r\ntoken\r\n$2\r\nEX\r\n"
        + "$5\r\nsince\r\n$6\r\n2.6.12\r\n"
        + "%4\r\n$4\r\nname\r\n$12\r\nmilliseconds\r\n$4\r\ntype\r\n$7\r\ninteger\r\n$5\r\ntoken\r\n$2\r\nPX\r\n"
        + "$5\r\nsince\r\n$6\r\n2.6.12\r\n"
        + "%4\r\n$4\r\nname\r\n$17\r\nunix-time-seconds\r\n$4\r\ntype\r\n$9\r\nunix-time\r\n$5\r\ntoken\r\n"
        + "$4\r\nEXAT\r\n$5\r\nsince\r\n$5\r\n6.2.0\r\n"
        + "%4\r\n$4\r\nname\r\n$22\r\nunix-time-milliseconds\r\n$4\r\ntype\r\n$9\r\nunix-time\r\n$5\r\ntoken\r\n"
        + "$4\r\nPXAT\r\n$5\r\nsince\r\n$5\r\n6.2.0\r\n"
        + "%4\r\n$4\r\nname\r\n$7\r\nkeepttl\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n"
        + "$7\r\nKEEPTTL\r\n$5\r\nsince\r\n$5\r\n6.0.0\r\n";
    assertEquals(set, resp3("command", "docs", "set"));
    assertEquals("%1\r\n$6\r\ngetset\r\n%8\r\n$7\r\nsummary\r\n$54\r\nSet the string value of a key and return "
        + "its old value\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n"
        + "$4\r\nO(1)\r\n$9\r\ndoc_flags\r\n~1\r\n+deprecated\r\n$16\r\ndeprecated_since\r\n$5\r\n6.2.0\r\n"
        + "$11\r\nreplaced_by\r\n$30\r\n`SET` with the `!GET` argument\r\n$9\r\narguments\r\n*2\r\n%3\r\n"
        + "$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n%2\r\n"
        + "$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n", resp3("command", "docs", "getset"));
    assertEquals("%1\r\n$9\r\nclient|id\r\n%4\r\n$7\r\nsummary\r\n$48\r\nReturns the client ID for the current "
        + "connection\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$10\r\nconnection\r\n$10\r\ncomplexity\r\n"
        + "$4\r\nO(1)\r\n", resp3("command", "docs", "client|id"));
  }

  @Test
  void containersListTheDocsOfTheirImplementedSubcommands() {
    Reply.MapReply client = (Reply.MapReply) ((Reply.MapReply) run("command", "docs", "client")).keysAndValues()
        .get(1);
    List<Reply> fields = client.keysAndValues();
    assertEquals(Reply.bulk("summary"), fields.get(0));
    assertEquals(Reply.bulk("A container for client connection commands"), fields.get(1));
    assertEquals(Reply.bulk("subcommands"), fields.get(8));
    List<Reply> subs = ((Reply.MapReply) fields.get(9)).keysAndValues();
    assertEquals(2 * table.lookup("client").subcommands().size(), subs.size());
    for (int i = 0; i < subs.size(); i += 2) {
      String name = new String(((Reply.Bulk) subs.get(i)).bytes(), StandardCharsets.UTF_8);
      assertTrue(name.startsWith("client|"), "redis-cli takes the text after '|': " + name);
      assertEquals(CommandIntrospection.docsOf(table.lookup("client").subcommands().get(name.substring(7))),
          subs.get(i + 1));
    }
    List<Reply> command = ((Reply.MapReply) ((Reply.MapReply) run("command", "docs", "command")).keysAndValues()
        .get(1)).keysAndValues();
    assertEquals(Reply.bulk("subcommands"), command.get(8), "COMMAND lists its own subcommands");
    assertEquals(2 * 7, ((Reply.MapReply) command.get(9)).keysAndValues().size());
  }

  @Test
  void aCommandRedis70DoesNotDocumentGetsTheTableRowsFields() {
    assertEquals("%1\r\n$9\r\nfuturecmd\r\n%4\r\n$7\r\nsummary\r\n$16\r\nNot in Redis 7.0\r\n$5\r\nsince\r\n"
        + "$5\r\n9.0.0\r\n$5\r\ngroup\r\n$4\r\nhash\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n",
        resp3("command", "docs", "futurecmd"));
  }

  @Test
  void commandDocsWithoutNamesCoversEveryCommandAsRedisCliReadsIt() {
    List<Reply> all = ((Reply.MapReply) run("command", "docs")).keysAndValues();
    assertEquals(2 * table.size(), all.size());
    for (int i = 0; i < all.size(); i += 2) {
      assertTrue(all.get(i) instanceof Reply.Bulk);
      List<Reply> fields = ((Reply.MapReply) all.get(i + 1)).keysAndValues();
      List<String> keys = new ArrayList<>();
      for (int j = 0; j < fields.size(); j += 2) {
        keys.add(new String(((Reply.Bulk) fields.get(j)).bytes(), StandardCharsets.UTF_8));
      }
      assertEquals(List.of("summary", "since", "group"), keys.subList(0, 3), keys.toString());
      assertTrue(keys.contains("complexity"), keys.toString());
    }
  }

  /** Every command group the node registers, as RedisNode builds its table. */
  private static CommandTable nodeTable() {
    CommandTable.Builder b = CommandTable.withAllGroups();
    new ClusterCommands(null, null).register(b);
    return b.build();
  }

  @Test
  void theDocsDataHoldsExactlyTheNodesCommandsThatRedis70Has() {
    CommandTable node = nodeTable();
    Set<String> implemented = new HashSet<>();
    for (CommandSpec spec : node.all()) {
      CommandSpec viewed = spec;
      implemented.add(viewed.name());
      for (CommandSpec sub : viewed.subcommands().values()) implemented.add(sub.name());
    }
    for (String name : implemented) {
      CommandSpec spec = CommandIntrospection.byFullName(node, name);
      boolean inRedis70 = spec.since().compareTo("7.1") < 0;
      assertEquals(inRedis70, CommandDocs.of(name) != null,
          name + ": CommandDocs.DATA holds Redis 7.0.15's COMMAND DOCS of every implemented command it has");
    }
    for (String name : CommandDocs.all().keySet()) {
      assertTrue(implemented.contains(name), name + " is documented but not implemented");
    }
    assertEquals(implemented.size() - 2, CommandDocs.all().size(),
        "client|setinfo and cluster|myshardid came in Redis 7.2");
  }

  @Test
  void theDataFormatCarriesEveryFieldRedisUses() {
    Map<String, CommandDocs.Doc> docs = CommandDocs.parse("""
        migrate generic 2.6.0 Atomically transfer a key
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
          message string
        """);
    CommandDocs.Doc migrate = docs.get("migrate");
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
    assertEquals(List.of(Reply.bulk("summary"), Reply.bulk("Echo the given string"), Reply.bulk("since"),
        Reply.bulk("1.0.0"), Reply.bulk("group"), Reply.bulk("connection"), Reply.bulk("complexity"),
        Reply.bulk("O(1)"), Reply.bulk("arguments"), Reply.array(Reply.map(List.of(Reply.bulk("name"),
            Reply.bulk("message"), Reply.bulk("type"), Reply.bulk("string"))))), docs.get("echo").fields());
  }

  // COMMAND LIST

  @Test
  void commandListNamesCommandsAndSubcommands() {
    List<String> names = names(run("command", "list"));
    assertTrue(names.containsAll(List.of("get", "client", "client|list", "config|get", "command", "command|docs")));
    assertEquals(table.size() + 9 + 5 + 1 + 7, names.size());
    assertEquals(List.of("client|list"), names(run("command", "list", "filterby", "pattern", "CLIENT|L*")));
    assertEquals(List.of("client"), names(run("command", "list", "filterby", "pattern", "clien?")));
    assertEquals(List.of("client|help", "client|kill", "client|list"),
        sorted(names(run("command", "list", "filterby", "pattern", "client*l*"))));
    List<String> connection = names(run("command", "list", "filterby", "aclcat", "connection"));
    assertTrue(connection.containsAll(List.of("ping", "client|id", "command", "command|docs", "readonly")));
    assertFalse(connection.contains("get"));
    assertEquals("*0\r\n", resp2("command", "list", "filterby", "aclcat", "foo"));
    assertEquals("*0\r\n", resp2("command", "list", "filterby", "module", "x"));
    assertEquals("-ERR syntax error\r\n", resp2("command", "list", "foo"));
    assertEquals("-ERR syntax error\r\n", resp2("command", "list", "filterby"));
    assertEquals("-ERR syntax error\r\n", resp2("command", "list", "filterby", "aclcat"));
    assertEquals("-ERR syntax error\r\n", resp2("command", "list", "filterby", "foo", "x"));
    assertEquals("-ERR syntax error\r\n", resp2("command", "list", "filterby", "pattern", "x", "extra"));
  }

  private static List<String> names(Reply reply) {
    List<String> names = new ArrayList<>();
    for (Reply item : ((Reply.Array) reply).items()) {
      names.add(new String(((Reply.Bulk) item).bytes(), StandardCharsets.UTF_8));
    }
    return names;
  }

  private static List<String> sorted(List<String> names) {
    List<String> copy = new ArrayList<>(names);
    copy.sort(null);
    return copy;
  }

  // COMMAND GETKEYS / GETKEYSANDFLAGS, each expectation as redis-server 7.0.15 answered

  @Test
  void getkeysFindsKeysAsRedisDoes() {
    assertEquals("*1\r\n$1\r\na\r\n", resp2("command", "getkeys", "get", "a"));
    assertEquals("*1\r\n$1\r\nk\r\n", resp2("command", "getkeys", "GET", "k"));
    assertEquals("*2\r\n$1\r\na\r\n$1\r\nc\r\n", resp2("command", "getkeys", "mset", "a", "b", "c", "d"));
    assertEquals("*2\r\n$1\r\na\r\n$1\r\nc\r\n", resp2("command", "getkeys", "mset", "a", "b", "c"));
    assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", resp2("command", "getkeys", "eval", "x", "2", "a", "b", "c"));
    assertEquals("*0\r\n", resp2("command", "getkeys", "eval", "x", "0"));
    assertEquals("*0\r\n", resp2("command", "getkeys", "eval", "x", "5", "a"));
    assertEquals("*0\r\n", resp2("command", "getkeys", "eval", "s", "x", "a"));
    assertEquals("*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n",
        resp2("command", "getkeys", "zunionstore", "d", "2", "a", "b"));
    assertEquals("*2\r\n$1\r\nk\r\n$1\r\nd\r\n", resp2("command", "getkeys", "sort", "k", "store", "d"));
    assertEquals("*2\r\n$1\r\nk\r\n$1\r\ne\r\n",
        resp2("command", "getkeys", "sort", "k", "by", "store", "store", "d", "limit", "0", "1", "store", "e"));
    assertEquals("*1\r\n$1\r\nk\r\n", resp2("command", "getkeys", "sort_ro", "k"));
    assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", resp2("command", "getkeys", "xread", "streams", "a", "b", "1", "2"));
    assertEquals("*1\r\n$1\r\na\r\n", resp2("command", "getkeys", "xread", "streams", "a", "b", "1"));
    assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        resp2("command", "getkeys", "migrate", "h", "p", "", "0", "5", "keys", "a", "b"));
    assertEquals("*1\r\n$1\r\nk\r\n", resp2("command", "getkeys", "migrate", "h", "p", "k", "0", "5"));
    assertEquals("*2\r\n$1\r\nk\r\n$1\r\nd\r\n",
        resp2("command", "getkeys", "georadius", "k", "1", "2", "3", "m", "store", "d"));
    assertEquals("*1\r\n$1\r\nk\r\n", resp2("command", "getkeys", "object", "encoding", "k"));
  }

  @Test
  void getkeysErrorsAsRedisDoes() {
    assertEquals("-ERR Invalid command specified\r\n", resp2("command", "getkeys", "foo", "a"));
    assertEquals("-ERR Invalid command specified\r\n", resp2("command", "getkeys", "client", "foo"));
    assertEquals("-ERR Invalid number of arguments specified for command\r\n", resp2("command", "getkeys", "set",
        "a"));
    assertEquals("-ERR The command has no key arguments\r\n", resp2("command", "getkeys", "client", "list"));
    assertEquals("-ERR The command has no key arguments\r\n", resp2("command", "getkeys", "CLIENT", "LIST"));
    assertEquals("-ERR The command has no key arguments\r\n", resp2("command", "getkeys", "config", "get"));
    assertEquals("-ERR The command has no key arguments\r\n", resp2("command", "getkeys", "spublish", "ch", "m"));
    assertEquals("-ERR Invalid arguments specified for command\r\n",
        resp2("command", "getkeys", "zunionstore", "d", "x", "a"));
    assertEquals("-ERR Invalid arguments specified for command\r\n",
        resp2("command", "getkeys", "xread", "count", "1", "streams"));
    assertEquals("-ERR wrong number of arguments for 'command|getkeys' command\r\n",
        resp2("command", "getkeys", "client"));
  }

  @Test
  void getkeysandflagsGivesEachKeysAccessFlags() {
    assertEquals("*1\r\n*2\r\n$1\r\na\r\n*2\r\n+OW\r\n+update\r\n", resp2("command", "getkeysandflags", "set", "a",
        "b"));
    assertEquals("*1\r\n*2\r\n$1\r\na\r\n~2\r\n+OW\r\n+update\r\n", resp3("command", "getkeysandflags", "set", "a",
        "b"));
    assertEquals("*1\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+update\r\n",
        resp2("command", "getkeysandflags", "set", "a", "b", "GET"));
    assertEquals("*2\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nd\r\n*2\r\n+OW\r\n+update\r\n",
        resp2("command", "getkeysandflags", "sort", "k", "store", "d"));
    assertEquals("*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*3\r\n+RW\r\n"
        + "+access\r\n+delete\r\n", resp2("command", "getkeysandflags", "migrate", "h", "p", "", "0", "5", "keys",
        "a", "b"));
    assertEquals("*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n",
        resp2("command", "getkeysandflags", "bitfield", "k", "get", "u8", "0"));
    assertEquals("*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n",
        resp2("command", "getkeysandflags", "bitfield", "k", "set", "u8", "0", "1"));
    assertEquals("-ERR The command has no key arguments\r\n", resp2("command", "getkeysandflags", "client", "list"));
  }
}
