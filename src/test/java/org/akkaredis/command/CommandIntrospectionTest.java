package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespWriter;
import org.junit.jupiter.api.Test;

/**
 * COMMAND and its subcommands. Exact expected bytes were captured from redis-server 7.0.15 (with
 * {@code redis-cli --no-raw} and raw sockets, RESP2 and RESP3).
 */
class CommandIntrospectionTest {
  private static final Handler.Keyed UNUSED = (ctx, args) -> Reply.OK;

  /**
   * Commands the node does not serve, with Redis 7.0.15's COMMAND INFO metadata, for the key finders (their docs
   * are short); and futurecmd, which Redis 7.0 lacks.
   */
  static final String UNSERVED = """
      eval scripting 2.6.0 Execute a Lua script server side|Depends on the script that is executed.
        =arity -3
        =flags noscript stale skip_monitor no_mandatory_keys movablekeys
        =acl slow scripting
        =key_spec RW,access,update; index 2; keynum 0 1 1; We cannot tell how the keys will be used so we assume \
      the worst, RW and UPDATE
      sort generic 1.0.0 Sort the elements in a list, set or sorted set|O(N+M*log(M))
        =arity -2
        =flags write denyoom movablekeys
        =keys 1 1 1
        =acl write set sortedset list slow dangerous
        =key_spec RO,access; index 1; range 0 1 0
        =key_spec RO,access; unknown; unknown; For the optional BY/GET keyword. It is marked 'unknown' because the \
      key names derive from the content of the key we sort
        =key_spec OW,update; unknown; unknown; For the optional STORE keyword. It is marked 'unknown' because the \
      keyword can appear anywhere in the argument array
      sort_ro generic 7.0.0 Sort the elements in a list, set or sorted set. Read-only variant of SORT.|O(N+M*log(M))
        =arity -2
        =flags readonly movablekeys
        =keys 1 1 1
        =acl read set sortedset list slow dangerous
        =key_spec RO,access; index 1; range 0 1 0
        =key_spec RO,access; unknown; unknown; For the optional BY/GET keyword. It is marked 'unknown' because the \
      key names derive from the content of the key we sort
      xread stream 5.0.0 Read streams|O(N)
        =arity -4
        =flags readonly blocking movablekeys
        =acl read stream slow blocking
        =key_spec RO,access; keyword STREAMS 1; range -1 1 2
      migrate generic 2.6.0 Atomically transfer a key from a Redis instance to another one.|O(N)
        =arity -6
        =flags write movablekeys
        =keys 3 3 1
        =acl keyspace write slow dangerous
        =tips nondeterministic_output
        =key_spec RW,access,delete; index 3; range 0 1 0
        =key_spec RW,access,delete,incomplete; keyword KEYS -2; range -1 1 0
      georadius geo 3.2.0 Query a geo index|O(N)
        =arity -6
        =flags write denyoom movablekeys
        =keys 1 1 1
        =acl write geo slow
        =key_spec RO,access; index 1; range 0 1 0
        =key_spec OW,update; keyword STORE 6; range 0 1 0
        =key_spec OW,update; keyword STOREDIST 6; range 0 1 0
      spublish pubsub 7.0.0 Post a message to a shard channel|O(N)
        =arity 3
        =flags pubsub loading stale fast
        =keys 1 1 1
        =acl pubsub fast
        =key_spec not_key; index 1; range 0 1 0
      bitfield bitmap 3.2.0 Perform arbitrary bitfield integer operations on strings|O(1)
        =arity -2
        =flags write denyoom
        =keys 1 1 1
        =acl write bitmap slow
        =key_spec RW,access,update,variable_flags; index 1; range 0 1 0; This command allows both access and \
      modification of the key
      futurecmd hash 9.0.0 Not in Redis 7.0|O(1)
        =arity -2
        =flags write fast
        =keys 1 -1 1
        =acl write hash fast
        =key_spec RW,access,update; index 1; range -1 1 0
      """;

  /** This group's commands, data commands the node serves, and the unserved ones above. */
  private static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder(CommandCatalog.redis70().with(CommandCatalog.parse(UNSERVED)));
    ConnectionCommands.register(b);
    ServerCommands.register(b);
    CommandIntrospection.register(b);
    for (String name : List.of("get", "set", "getset", "hmset", "mset", "zunionstore", "object|encoding", "eval",
        "sort", "sort_ro", "xread", "migrate", "georadius", "bitfield", "futurecmd")) {
      b.handle(name, UNUSED);
    }
    b.handle("spublish", (Handler.OfSession) (session, args) -> Reply.ZERO);
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
  void aCommandRedis70LacksShowsTheCategoriesAndKeySpecsItsDataGives() {
    List<Reply> entry = ((Reply.Array) ((Reply.Array) run("command", "info", "futurecmd")).items().get(0)).items();
    assertEquals(new Reply.SetReply(List.of(Reply.simple("@write"), Reply.simple("@hash"), Reply.simple("@fast"))),
        entry.get(6));
    assertEquals("~1\r\n%3\r\n$5\r\nflags\r\n~3\r\n+RW\r\n+access\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n"
        + "$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n"
        + "$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n"
        + "$5\r\nlimit\r\n:0\r\n", new String(RespWriter.encode(entry.get(8), 3), StandardCharsets.UTF_8));
    List<Reply> setinfo =
        ((Reply.Array) ((Reply.Array) run("command", "info", "client|setinfo")).items().get(0)).items();
    assertEquals(new Reply.SetReply(List.of(Reply.simple("@slow"), Reply.simple("@connection"))), setinfo.get(6),
        "Redis 7.2's categories of CLIENT SETINFO");
    assertEquals(new Reply.SetReply(List.of()), setinfo.get(8));
  }

  @Test
  void everyCommandHereHasRedisMetadata() {
    for (CommandSpec spec : table.all()) {
      assertFalse(spec.metadata().aclCategories().isEmpty(), spec.name());
      for (CommandSpec sub : spec.subcommands().values()) {
        assertFalse(sub.metadata().aclCategories().isEmpty(), sub.name());
      }
    }
    assertEquals(List.of("admin", "slow", "dangerous", "connection"),
        CommandCatalog.redis70().get("client|kill").aclCategories());
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
  void aCommandRedis70DoesNotDocumentGetsItsDataHeaderFields() {
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

  // COMMAND LIST

  @Test
  void commandListNamesCommandsAndSubcommands() {
    List<String> names = names(run("command", "list"));
    assertTrue(names.containsAll(List.of("get", "client", "client|list", "config|get", "command", "command|docs")));
    assertEquals(table.size() + 12 + 5 + 1 + 7, names.size());
    assertEquals(List.of("client|list"), names(run("command", "list", "filterby", "pattern", "CLIENT|L*")));
    assertEquals(List.of("client"), names(run("command", "list", "filterby", "pattern", "clien?")));
    assertEquals(List.of("client|help", "client|kill", "client|list", "client|reply"),
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
