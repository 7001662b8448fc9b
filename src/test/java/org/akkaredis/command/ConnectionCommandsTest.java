package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.Test;

/**
 * The connection commands and CLIENT on plain sessions. Expected replies were taken from redis-server 7.0.15
 * (standalone and cluster-enabled) running the same commands.
 */
class ConnectionCommandsTest {
  private static final String OK = "+OK\r\n";
  private static final String NOT_INTEGER = "-ERR value is not an integer or out of range\r\n";
  private static final String WRONGPASS = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
  private static final String HELLO_NOAUTH = "-NOAUTH HELLO must be called with the client already authenticated, "
      + "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
      + "protocol version at the same time\r\n";
  private static final String NAME_ERROR =
      "-ERR Client names cannot contain spaces, newlines or special characters.\r\n";

  private final ServerCommandsTest.Node node = new ServerCommandsTest.Node();
  private final Session s = node.connect();

  private static ServerCommandsTest.Node cluster() {
    return ServerCommandsTest.Node.with(Map.of("cluster-enabled", "yes"));
  }

  private static ServerCommandsTest.Node withPassword() {
    return ServerCommandsTest.Node.with(Map.of("requirepass", "sekret"));
  }

  private static String helloReply(String mode, int protocol, long id) {
    String header = protocol == 3 ? "%7\r\n" : "*14\r\n";
    return header + "$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:" + protocol
        + "\r\n$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$" + mode.length() + "\r\n" + mode
        + "\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n";
  }

  // PING, ECHO, QUIT

  @Test
  void pingAndEcho() {
    assertEquals("+PONG\r\n", node.resp(s, "ping"));
    assertEquals("$2\r\nhi\r\n", node.resp(s, "PING", "hi"));
    assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", node.resp(s, "ping", "a", "b"));
    assertEquals("$1\r\nx\r\n", node.resp(s, "echo", "x"));
    assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", node.resp(s, "echo"));
    assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", node.resp(s, "echo", "a", "b"));
    byte[] binary = {0, (byte) 0xff, '\r', '\n'};
    assertEquals(Reply.bulk(binary), node.runBytes(s, new byte[][] {Args.bytes("echo"), binary}));
    s.protocol = 3;
    assertEquals("+PONG\r\n", node.resp(s, "ping"));
    assertEquals("$2\r\nhi\r\n", node.resp(s, "ping", "hi"));
  }

  @Test
  void quitAnswersOkAndClosesAfterwards() {
    assertEquals(OK, node.resp(s, "quit", "whatever"));
    assertTrue(s.closeRequested);
  }

  // SELECT, READONLY, READWRITE, ASKING

  @Test
  void selectInStandaloneMode() {
    assertEquals(OK, node.resp(s, "select", "15"));
    assertEquals(15, s.db);
    assertEquals("-ERR DB index is out of range\r\n", node.resp(s, "select", "16"));
    assertEquals("-ERR DB index is out of range\r\n", node.resp(s, "select", "-1"));
    assertEquals("-ERR DB index is out of range\r\n", node.resp(s, "select", "2147483647"));
    assertEquals(NOT_INTEGER, node.resp(s, "select", "x"));
    assertEquals(NOT_INTEGER, node.resp(s, "select", "00"));
    assertEquals(NOT_INTEGER, node.resp(s, "select", "1.0"));
    assertEquals("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
        node.resp(s, "select", "2147483648"));
    assertEquals("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
        node.resp(s, "select", "-2147483649"));
    assertEquals(15, s.db, "failed SELECTs change nothing");
  }

  @Test
  void selectInClusterModeAllowsOnlyZero() {
    ServerCommandsTest.Node cluster = cluster();
    Session c = cluster.connect();
    assertEquals(OK, cluster.resp(c, "select", "0"));
    assertEquals("-ERR SELECT is not allowed in cluster mode\r\n", cluster.resp(c, "select", "1"));
    assertEquals("-ERR SELECT is not allowed in cluster mode\r\n", cluster.resp(c, "select", "16"));
    assertEquals(NOT_INTEGER, cluster.resp(c, "select", "x"));
    assertEquals(0, c.db);
  }

  @Test
  void clusterClientFlagsNeedClusterMode() {
    String disabled = "-ERR This instance has cluster support disabled\r\n";
    assertEquals(disabled, node.resp(s, "readonly"));
    assertEquals(disabled, node.resp(s, "readwrite"));
    assertEquals(disabled, node.resp(s, "asking"));
    assertFalse(s.readonly || s.asking);

    ServerCommandsTest.Node cluster = cluster();
    Session c = cluster.connect();
    assertEquals(OK, cluster.resp(c, "readonly"));
    assertTrue(c.readonly);
    assertEquals("r", c.flags());
    assertEquals(OK, cluster.resp(c, "asking"));
    assertTrue(c.asking);
    assertEquals(OK, cluster.resp(c, "readwrite"));
    assertFalse(c.readonly);
    assertEquals("-ERR wrong number of arguments for 'readonly' command\r\n", cluster.resp(c, "readonly", "x"));
  }

  /**
   * ASKING holds for the next command only, or up to the EXEC of a transaction begun right after it (Redis's
   * resetClient); the dispatcher asks {@link Session#askingFor} before each command, as here.
   */
  @Test
  void askingLastsOneCommandOrOneTransaction() {
    Session c = cluster().connect();
    byte[][] asking = {bytes("ASKING")};
    byte[][] get = {bytes("GET"), bytes("k")};
    byte[][] next = {bytes("GET"), bytes("k")};
    assertFalse(c.askingFor(get));
    assertFalse(c.askingFor(asking));
    c.ask();
    assertTrue(c.askingFor(get));
    assertTrue(c.askingFor(get), "the same command run again after a pause keeps it");
    assertFalse(c.askingFor(next));
    assertFalse(c.asking);

    c.ask();
    assertTrue(c.askingFor(asking));
    c.ask();
    assertTrue(c.askingFor(get), "ASKING twice: still for the next command");
    assertFalse(c.askingFor(asking));
    c.ask();

    byte[][] multi = {bytes("MULTI")};
    byte[][] set = {bytes("SET"), bytes("k"), bytes("v")};
    byte[][] exec = {bytes("EXEC")};
    assertTrue(c.askingFor(multi));
    c.beginMulti();
    assertTrue(c.askingFor(set));
    assertTrue(c.askingFor(exec), "queued commands keep it up to EXEC");
    c.endMulti();
    assertFalse(c.askingFor(next));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // AUTH

  @Test
  void authWithoutPassword() {
    assertEquals("-ERR AUTH <password> called without any password configured for the default user. "
        + "Are you sure your configuration is correct?\r\n", node.resp(s, "auth", "x"));
    assertEquals(OK, node.resp(s, "auth", "default", "anything"));
    assertEquals(OK, node.resp(s, "auth", "default", ""));
    assertEquals(WRONGPASS, node.resp(s, "auth", "u", "p"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "auth", "a", "b", "c"));
    assertEquals("-ERR wrong number of arguments for 'auth' command\r\n", node.resp(s, "auth"));
  }

  @Test
  void authWithRequirepass() {
    ServerCommandsTest.Node secured = withPassword();
    Session c = secured.connect();
    assertFalse(c.authenticated);
    assertEquals(WRONGPASS, secured.resp(c, "auth", "x"));
    assertEquals(WRONGPASS, secured.resp(c, "auth", "default", "x"));
    assertEquals(WRONGPASS, secured.resp(c, "auth", "foo", "sekret"));
    assertEquals(WRONGPASS, secured.resp(c, "auth", "DEFAULT", "sekret"), "user names are case-sensitive");
    assertFalse(c.authenticated);
    assertEquals(OK, secured.resp(c, "auth", "sekret"));
    assertTrue(c.authenticated);
    assertEquals(WRONGPASS, secured.resp(c, "auth", "x"));
    assertTrue(c.authenticated, "a failed AUTH keeps the earlier authentication");
    Session other = secured.connect();
    assertEquals(OK, secured.resp(other, "auth", "default", "sekret"));
    assertTrue(other.authenticated);
  }

  // HELLO

  @Test
  void helloAnswersInTheProtocolItSwitchesTo() {
    assertEquals(helloReply("standalone", 2, s.id), node.resp(s, "hello"));
    assertEquals(helloReply("standalone", 2, s.id), node.resp(s, "hello", "2"));
    assertEquals(2, s.protocol);
    assertEquals(helloReply("standalone", 3, s.id), node.resp(s, "hello", "3"));
    assertEquals(3, s.protocol);
    assertEquals(helloReply("standalone", 3, s.id), node.resp(s, "hello"));
    ServerCommandsTest.Node cluster = cluster();
    Session c = cluster.connect();
    assertEquals(helloReply("cluster", 3, c.id), cluster.resp(c, "HELLO", "3"));
  }

  @Test
  void helloRefusesBadVersionsAndOptions() {
    assertEquals("-NOPROTO unsupported protocol version\r\n", node.resp(s, "hello", "1"));
    assertEquals("-NOPROTO unsupported protocol version\r\n", node.resp(s, "hello", "4"));
    assertEquals("-NOPROTO unsupported protocol version\r\n", node.resp(s, "hello", "-1"));
    assertEquals("-ERR Protocol version is not an integer or out of range\r\n", node.resp(s, "hello", "x"));
    assertEquals("-ERR Protocol version is not an integer or out of range\r\n", node.resp(s, "hello", "2.0"));
    assertEquals("-ERR Protocol version is not an integer or out of range\r\n", node.resp(s, "hello", "03"));
    assertEquals("-ERR Syntax error in HELLO option 'foo'\r\n", node.resp(s, "hello", "3", "foo"));
    assertEquals("-ERR Syntax error in HELLO option 'auth'\r\n", node.resp(s, "hello", "3", "auth", "a"));
    assertEquals("-ERR Syntax error in HELLO option 'setname'\r\n", node.resp(s, "hello", "2", "setname"));
    assertEquals(NAME_ERROR, node.resp(s, "hello", "3", "setname", "a b"));
    assertEquals(2, s.protocol, "failed HELLOs keep the protocol");
  }

  @Test
  void helloSetnameAndAuth() {
    assertEquals(helloReply("standalone", 3, s.id), node.resp(s, "hello", "3", "auth", "default", "x"));
    assertEquals(helloReply("standalone", 3, s.id), node.resp(s, "hello", "3", "setname", "abc"));
    assertEquals("$3\r\nabc\r\n", node.resp(s, "client", "getname"));

    ServerCommandsTest.Node secured = withPassword();
    Session c = secured.connect();
    assertEquals(HELLO_NOAUTH, secured.resp(c, "hello", "3"));
    assertEquals(HELLO_NOAUTH, secured.resp(c, "hello"));
    assertEquals(NAME_ERROR, secured.resp(c, "hello", "3", "setname", "a b"));
    assertEquals(WRONGPASS, secured.resp(c, "hello", "3", "auth", "default", "wrong", "setname", "a b"));
    // Options act in order: the name is kept although the AUTH after it fails, or no AUTH comes at all.
    assertEquals(WRONGPASS, secured.resp(c, "hello", "3", "setname", "xyz", "auth", "default", "wrong"));
    assertEquals("xyz", c.name);
    assertEquals(HELLO_NOAUTH, secured.resp(c, "hello", "3", "setname", "abc"));
    assertEquals("abc", c.name);
    assertEquals(2, c.protocol);
    assertFalse(c.authenticated);
    assertEquals(NAME_ERROR, secured.resp(c, "hello", "3", "auth", "default", "sekret", "setname", "a b"));
    assertTrue(c.authenticated, "the AUTH before the bad name counted");
    assertEquals(2, c.protocol);
    Session d = secured.connect();
    assertEquals(helloReply("standalone", 3, d.id),
        secured.resp(d, "hello", "3", "AUTH", "default", "sekret", "SETNAME", "zz"));
    assertEquals("zz", d.name);
    assertEquals(3, d.protocol);
  }

  // RESET

  @Test
  void resetRestoresTheStateOfANewConnection() {
    ServerCommandsTest.Node secured = withPassword();
    Session c = secured.connect();
    assertEquals(OK, secured.resp(c, "auth", "sekret"));
    assertEquals(helloReply("standalone", 3, c.id), secured.resp(c, "hello", "3", "setname", "foo"));
    assertEquals(OK, secured.resp(c, "select", "3"));
    assertEquals(OK, secured.resp(c, "client", "no-evict", "on"));
    c.beginMulti();
    c.multiQueue.add(new byte[][] {Args.bytes("ping")});
    assertEquals("+RESET\r\n", secured.resp(c, "reset"));
    assertEquals(2, c.protocol);
    assertEquals(0, c.db);
    assertEquals("", c.name);
    assertFalse(c.inMulti());
    assertFalse(c.authenticated, "authentication is needed again");
    assertTrue(c.noEvict, "RESET leaves NO-EVICT alone");
    assertEquals("-ERR wrong number of arguments for 'reset' command\r\n", secured.resp(c, "reset", "x"));

    ServerCommandsTest.Node cluster = cluster();
    Session r = cluster.connect();
    assertEquals(OK, cluster.resp(r, "readonly"));
    assertEquals(OK, cluster.resp(r, "asking"));
    assertEquals("+RESET\r\n", cluster.resp(r, "reset"));
    assertFalse(r.readonly || r.asking);
    assertTrue(r.authenticated);
  }

  // CLIENT subcommands of the connection itself

  @Test
  void clientIdNameAndNoEvict() {
    assertEquals(":" + s.id + "\r\n", node.resp(s, "client", "id"));
    assertEquals("-ERR wrong number of arguments for 'client|id' command\r\n", node.resp(s, "client", "id", "x"));
    assertEquals("$-1\r\n", node.resp(s, "client", "getname"));
    assertEquals(OK, node.resp(s, "client", "setname", "my-name"));
    assertEquals("$7\r\nmy-name\r\n", node.resp(s, "client", "getname"));
    assertEquals(NAME_ERROR, node.resp(s, "client", "setname", "a b"));
    assertEquals(NAME_ERROR, node.resp(s, "client", "setname", "a\u0001"));
    assertEquals(NAME_ERROR, node.resp(s, "client", "setname", "é"));
    assertEquals("$7\r\nmy-name\r\n", node.resp(s, "client", "getname"));
    assertEquals(OK, node.resp(s, "client", "setname", ""));
    assertEquals("$-1\r\n", node.resp(s, "client", "getname"));
    assertEquals("-ERR wrong number of arguments for 'client|setname' command\r\n",
        node.resp(s, "client", "setname", "x", "y"));
    assertEquals(OK, node.resp(s, "client", "no-evict", "on"));
    assertEquals("e", s.flags());
    assertEquals("-ERR syntax error\r\n", node.resp(s, "client", "no-evict", "foo"));
    assertEquals(OK, node.resp(s, "client", "no-evict", "OFF"));
    assertEquals("N", s.flags());
    assertEquals("-ERR wrong number of arguments for 'client' command\r\n", node.resp(s, "client"));
    assertEquals("-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n", node.resp(s, "client", "foo"));
  }

  @Test
  void clientSetinfoAsRedis72() {
    assertEquals(OK, node.resp(s, "client", "setinfo", "LIB-NAME", "jedis"));
    assertEquals(OK, node.resp(s, "client", "setinfo", "lib-ver", "5.2.0"));
    assertEquals("jedis", s.libName);
    assertEquals("5.2.0", s.libVer);
    assertEquals("-ERR Unrecognized option 'foo'\r\n", node.resp(s, "client", "setinfo", "foo", "x"));
    assertEquals("-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n",
        node.resp(s, "client", "setinfo", "LIB-NAME", "redis py"));
    assertEquals("-ERR wrong number of arguments for 'client|setinfo' command\r\n",
        node.resp(s, "client", "setinfo", "lib-name"));
    assertEquals("jedis", s.libName);
  }

  @Test
  void clientHelpListsTheSubcommands() {
    Reply help = node.run(s, "client", "help");
    List<Reply> lines = ((Reply.Array) help).items();
    assertEquals(Reply.simple("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"), lines.get(0));
    assertTrue(lines.contains(Reply.simple("KILL <ip:port>")));
    assertTrue(lines.contains(Reply.simple("    * SKIPME (YES|NO)")));
    assertEquals(Reply.simple("    Prints this help."), lines.get(lines.size() - 1));
    assertEquals("-ERR wrong number of arguments for 'client|help' command\r\n", node.resp(s, "client", "help", "x"));
  }

  // CLIENT INFO / LIST

  private static final Pattern LINE = Pattern.compile("id=\\d+ addr=\\S+ laddr=\\S+ (fd=\\d+ )?name=\\S* age=\\d+ "
      + "idle=\\d+ flags=\\w+ db=\\d+ sub=0 psub=0 ssub=0 multi=-?\\d+ qbuf=\\d+ qbuf-free=\\d+ argv-mem=\\d+ "
      + "multi-mem=\\d+ rbs=\\d+ rbp=\\d+ obl=0 oll=0 omem=0 tot-mem=\\d+ events=r cmd=\\S+ user=default redir=-1 "
      + "resp=[23]");

  private static String verbatim(Reply reply) {
    return new String(((Reply.Verbatim) reply).text(), StandardCharsets.UTF_8);
  }

  @Test
  void clientInfoIsThisConnectionsLineInRedis70Format() {
    s.name = "me";
    String line = verbatim(node.run(s, "client", "info"));
    assertTrue(line.endsWith("\n"));
    assertTrue(LINE.matcher(line.substring(0, line.length() - 1)).matches(), line);
    assertTrue(line.startsWith("id=" + s.id + " addr=" + s.addr + " laddr=127.0.0.1:7000 "));
    // tot-mem: the arguments' 10 bytes and a reference to each of the 2, as Redis's getClientMemoryUsage.
    assertTrue(line.contains(" name=me age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 "
        + "qbuf-free=0 argv-mem=10 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=26 events=r "
        + "cmd=client|info user=default redir=-1 resp=2\n"), line);
    s.protocol = 3;
    assertTrue(node.resp(s, "client", "info").startsWith("=" + (line.length() + 4) + "\r\ntxt:id="));
  }

  @Test
  void clientListShowsEveryConnectionInIdOrder() {
    Session other = node.connect();
    other.db = 3;
    other.beginMulti();
    other.multiQueue.add(new byte[][] {Args.bytes("set"), Args.bytes("k"), Args.bytes("v")});
    String list = verbatim(node.run(s, "client", "list"));
    String[] lines = list.split("\n");
    assertEquals(2, lines.length);
    assertTrue(list.endsWith("\n"));
    for (String line : lines) assertTrue(LINE.matcher(line).matches(), line);
    assertTrue(lines[0].startsWith("id=" + s.id + " "));
    assertTrue(lines[1].startsWith("id=" + other.id + " "));
    assertTrue(lines[1].contains(" flags=x db=3 sub=0 psub=0 ssub=0 multi=1 "), lines[1]);
    // 3 + 1 + 1 bytes and 8 per argument, as redis-server counts them
    assertTrue(lines[1].contains(" multi-mem=29 "), lines[1]);
    assertTrue(lines[1].contains(" cmd=NULL "), lines[1]);

    String normal = verbatim(node.run(s, "client", "list", "type", "NORMAL"));
    assertEquals(list.replaceAll(" argv-mem=\\d+ ", "").replaceAll(" tot-mem=\\d+ ", ""),
        normal.replaceAll(" argv-mem=\\d+ ", "").replaceAll(" tot-mem=\\d+ ", ""));
    assertTrue(normal.contains(" argv-mem=20 "), "the caller's line counts its own command's arguments");
    assertEquals("", verbatim(node.run(s, "client", "list", "type", "pubsub")));
    assertEquals("", verbatim(node.run(s, "client", "list", "type", "replica")));
    assertEquals("", verbatim(node.run(s, "client", "list", "type", "slave")));
    assertEquals("", verbatim(node.run(s, "client", "list", "type", "master")));
    assertEquals("-ERR Unknown client type 'foo'\r\n", node.resp(s, "client", "list", "type", "foo"));
    String byIds = verbatim(node.run(s, "client", "list", "id", String.valueOf(other.id), "99", "-5",
        String.valueOf(s.id)));
    assertTrue(byIds.startsWith("id=" + other.id + " "));
    assertEquals(2, byIds.split("\n").length);
    assertEquals("", verbatim(node.run(s, "client", "list", "id", "0")));
    assertEquals("-ERR Invalid client ID\r\n", node.resp(s, "client", "list", "id", "x"));
    assertEquals("-ERR Invalid client ID\r\n", node.resp(s, "client", "list", "id", "1", "type", "normal"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "client", "list", "id"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "client", "list", "foo"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "client", "list", "type", "normal", "id", "1"));
  }

  // CLIENT KILL

  @Test
  void clientKillOldFormTakesAnAddressAndMayKillTheCaller() {
    Session other = node.connect();
    assertEquals("-ERR No such client\r\n", node.resp(s, "client", "kill", "1.2.3.4:5"));
    assertEquals("-ERR No such client\r\n", node.resp(s, "client", "kill", "id"));
    assertEquals(OK, node.resp(s, "client", "kill", other.addr));
    assertEquals(List.of(other.id), node.killed);
    assertEquals(OK, node.resp(s, "client", "kill", s.addr));
    assertTrue(s.closeRequested, "the caller closes after this reply");
    assertEquals(List.of(other.id), node.killed, "the caller is not killed before its reply");
  }

  @Test
  void clientKillWithFilters() {
    Session second = node.connect();
    Session third = node.connect("10.0.0.9:4000");
    assertEquals(":0\r\n", node.resp(s, "client", "kill", "id", "99"));
    assertEquals(":1\r\n", node.resp(s, "client", "kill", "id", String.valueOf(second.id)));
    assertEquals(List.of(second.id), node.killed);
    assertEquals(":0\r\n", node.resp(s, "client", "kill", "addr", "1.2.3.4:5"));
    assertEquals(":0\r\n", node.resp(s, "client", "kill", "laddr", "1.2.3.4:5"));
    assertEquals(":0\r\n", node.resp(s, "client", "kill", "type", "master"));
    assertEquals(":1\r\n", node.resp(s, "client", "kill", "addr", "10.0.0.9:4000", "type", "normal"));
    assertEquals(List.of(second.id, third.id), node.killed);
    assertEquals(":0\r\n", node.resp(s, "client", "kill", "id", String.valueOf(s.id)), "SKIPME yes by default");
    assertFalse(s.closeRequested);
    assertEquals(":1\r\n", node.resp(s, "client", "kill", "user", "default", "skipme", "no", "id",
        String.valueOf(s.id)));
    assertTrue(s.closeRequested);
  }

  @Test
  void clientKillTypeReplicaWithoutAnAddressOrIdFilterIsForTheReplicationSource() {
    assertTrue(ConnectionCommands.killsAllReplicas(args("client", "kill", "type", "replica")));
    assertTrue(ConnectionCommands.killsAllReplicas(args("client", "kill", "TYPE", "slave", "skipme", "no")));
    assertFalse(ConnectionCommands.killsAllReplicas(args("client", "kill", "type", "replica", "id", "5")));
    assertFalse(ConnectionCommands.killsAllReplicas(args("client", "kill", "addr", "1.2.3.4:5", "type", "replica")));
    assertFalse(ConnectionCommands.killsAllReplicas(args("client", "kill", "type", "normal")));
    assertFalse(ConnectionCommands.killsAllReplicas(args("client", "kill", "replica")), "the old form is an address");
    assertEquals(":0\r\n", node.resp(s, "client", "kill", "type", "replica"), "a node without replicas");
  }

  private static byte[][] args(String... words) {
    byte[][] bytes = new byte[words.length][];
    for (int i = 0; i < words.length; i++) bytes[i] = words[i].getBytes(StandardCharsets.US_ASCII);
    return bytes;
  }

  @Test
  void clientKillRefusesBadFilters() {
    assertEquals("-ERR client-id should be greater than 0\r\n", node.resp(s, "client", "kill", "id", "x"));
    assertEquals("-ERR client-id should be greater than 0\r\n", node.resp(s, "client", "kill", "id", "0"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "client", "kill", "foo", "bar"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "client", "kill", "id", "5", "type"));
    assertEquals("-ERR Unknown client type 'foo'\r\n", node.resp(s, "client", "kill", "type", "foo"));
    assertEquals("-ERR syntax error\r\n", node.resp(s, "client", "kill", "skipme", "x"));
    assertEquals("-ERR No such user 'nobody'\r\n", node.resp(s, "client", "kill", "user", "nobody"));
    assertEquals("-ERR wrong number of arguments for 'client|kill' command\r\n", node.resp(s, "client", "kill"));
    assertTrue(node.killed.isEmpty());
  }

  @Test
  void everyCommandHereIsInTheTableWithRedisMetadata() {
    CommandTable table = node.ctx.commands();
    for (String name : List.of("ping", "echo", "quit", "select", "readonly", "readwrite", "asking", "auth", "hello",
        "reset", "client")) {
      assertTrue(table.lookup(name) != null, name);
    }
    assertEquals(-1, table.lookup("ping").arity());
    assertEquals(List.of("noscript", "loading", "stale", "fast", "no_auth", "allow_busy"),
        table.lookup("hello").flags());
    assertEquals("cluster", table.lookup("asking").group());
    assertEquals(12, table.lookup("client").subcommands().size());
    assertEquals("client|no-evict", table.lookup("client").subcommands().get("no-evict").name());
  }

  private static Reply kill(LinkedReplica replica, Session caller, String... args) {
    byte[][] argv = new byte[args.length + 2][];
    argv[0] = Args.bytes("client");
    argv[1] = Args.bytes("kill");
    for (int i = 0; i < args.length; i++) argv[i + 2] = Args.bytes(args[i]);
    return ConnectionCommands.clientKill(new ServerCommandsTest.Node(), replica, caller, argv);
  }

  @Test
  void onAReplicaTheMastersClientIsKilledByItsAddressOrTypeAsInRedis() {
    LinkedReplica replica = new LinkedReplica("127.0.0.1", 7001, "connected");
    Session caller = node.connect();
    assertEquals(Reply.OK, kill(replica, caller, "127.0.0.1:7001"));
    assertEquals(Reply.integer(1), kill(replica, caller, "type", "master"));
    assertEquals(Reply.integer(1), kill(replica, caller, "addr", "127.0.0.1:7001", "type", "master"));
    assertEquals(Reply.integer(1), kill(replica, caller, "skipme", "yes"));
    assertEquals(4, replica.sleepingAtKills().size());
    // Filters the master's client does not pass: another address or type, an id, a local address, a user.
    assertEquals(Reply.error("ERR No such client"), kill(replica, caller, "127.0.0.1:7002"));
    assertEquals(Reply.integer(0), kill(replica, caller, "type", "normal"));
    assertEquals(Reply.integer(0), kill(replica, caller, "id", "1234"));
    assertEquals(Reply.integer(0), kill(replica, caller, "laddr", "127.0.0.1:7001"));
    assertEquals(Reply.integer(0), kill(replica, caller, "type", "master", "user", "default"));
    assertEquals(4, replica.sleepingAtKills().size());
  }

  @Test
  void aLinkThatIsNotUpHasNoMasterClientToKill() {
    for (String state : List.of("connecting", "sync")) {
      LinkedReplica replica = new LinkedReplica("127.0.0.1", 7001, state);
      assertEquals(Reply.error("ERR No such client"), kill(replica, node.connect(), "127.0.0.1:7001"));
      assertEquals(Reply.integer(0), kill(replica, node.connect(), "type", "master"));
      assertEquals(List.of(), replica.sleepingAtKills());
    }
  }
}
