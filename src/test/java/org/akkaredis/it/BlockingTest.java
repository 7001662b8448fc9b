package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The blocking pops with several Lettuce connections on a standalone node: clients are served in the order they
 * blocked, woken by pushes from other connections and by EXEC, and time out. A client counts as blocked once
 * CLIENT LIST shows its blocking command (polled, never slept on).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlockingTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private RedisEndpoint node;
  private RedisClient client;
  private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();

  @BeforeAll
  void start() {
    node = Servers.standalone(Map.of());
    client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(node.port()).withTimeout(TIMEOUT)
        .build());
    client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
  }

  @AfterAll
  void stop() {
    if (client != null) client.shutdown(Duration.ZERO, TIMEOUT);
    if (node != null) node.close();
  }

  @BeforeEach
  void flush() {
    connect().sync().flushall();
  }

  @AfterEach
  void closeConnections() {
    connections.forEach(StatefulRedisConnection::close);
    connections.clear();
  }

  private StatefulRedisConnection<String, String> connect() {
    StatefulRedisConnection<String, String> connection = client.connect();
    connections.add(connection);
    return connection;
  }

  /** Waits until {@code n} clients are blocked in {@code command}. */
  private void awaitBlocked(RedisCommands<String, String> observer, String command, int n) {
    Await.until(n + " clients blocked in " + command, TIMEOUT,
        () -> observer.clientList().split("cmd=" + command + "\\b", -1).length - 1 == n, observer::clientList);
  }

  private static <T> T get(RedisFuture<T> future) throws Exception {
    return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aClientThatHangsUpWhileBlockedTakesNothing() {
    RedisCommands<String, String> pusher = connect().sync();
    try (RespConnection gone = RespConnection.open(node.port())) {
      gone.send("BLPOP", "{q}gone", "0");
      awaitBlocked(pusher, "blpop", 1);
    }
    awaitBlocked(pusher, "blpop", 0);
    assertEquals(1, pusher.rpush("{q}gone", "kept"));
    assertEquals(List.of("kept"), pusher.lrange("{q}gone", 0, -1));
  }

  @Test
  void clientsAreServedInTheOrderTheyBlocked() throws Exception {
    RedisCommands<String, String> pusher = connect().sync();
    RedisFuture<KeyValue<String, String>> first = connect().async().blpop(0, "{q}a", "{q}b");
    awaitBlocked(pusher, "blpop", 1);
    assertTrue(pusher.info("clients").contains("\r\nblocked_clients:1\r\n"));
    assertTrue(pusher.clientList().contains(" flags=b "), pusher.clientList());
    RedisFuture<KeyValue<String, String>> second = connect().async().brpop(0, "{q}b");
    awaitBlocked(pusher, "brpop", 1);
    assertEquals(3, pusher.rpush("{q}b", "x", "y", "z"));
    assertEquals(KeyValue.just("{q}b", "x"), get(first));
    assertEquals(KeyValue.just("{q}b", "z"), get(second));
    assertEquals(List.of("y"), pusher.lrange("{q}b", 0, -1));
  }

  @Test
  void keysInDifferentRangesWakeTheSameClientOnce() throws Exception {
    RedisCommands<String, String> pusher = connect().sync();
    // Standalone: foo (slot 12182) and bar (slot 5061) live in different slot ranges.
    RedisFuture<KeyValue<String, String>> waiting = connect().async().blpop(0, "foo", "bar");
    awaitBlocked(pusher, "blpop", 1);
    pusher.rpush("bar", "1");
    pusher.rpush("foo", "2");
    assertEquals(KeyValue.just("bar", "1"), get(waiting));
    assertEquals(List.of("2"), pusher.lrange("foo", 0, -1));
  }

  @Test
  void aTransactionWakesTheClientWithWhatIsLeftAfterExec() throws Exception {
    RedisCommands<String, String> pusher = connect().sync();
    RedisFuture<String> moved = connect().async().blmove("{m}src", "{m}dst", LMoveArgs.Builder.leftRight(), 0);
    awaitBlocked(pusher, "blmove", 1);
    pusher.multi();
    pusher.lpush("{m}src", "a", "b");
    pusher.lpop("{m}src");
    assertEquals(2, pusher.exec().size());
    assertEquals("a", get(moved));
    assertEquals(List.of("a"), pusher.lrange("{m}dst", 0, -1));
    assertEquals(0, pusher.exists("{m}src"));
  }

  @Test
  void aMoveToAKeyInAnotherRangeIsServedToo() throws Exception {
    RedisCommands<String, String> pusher = connect().sync();
    RedisFuture<String> moved = connect().async().brpoplpush(0, "foo", "bar");
    awaitBlocked(pusher, "brpoplpush", 1);
    pusher.rpush("foo", "v");
    assertEquals("v", get(moved));
    assertEquals(List.of("v"), pusher.lrange("bar", 0, -1));
  }

  /**
   * RENAME, RENAMENX and COPY fill the key a client waits on as a push does (Redis's signalKeyAsReady in
   * renameGenericCommand and copyCommand), and the client takes from what was moved into place, as Redis's "$pop
   * when new key is moved into place": BLPOP and BLMPOP, the source in the same range, in another range (standalone:
   * bar and foo are in different ranges), and COPY ... DB into the database the client waits in.
   */
  @Test
  void aKeyMovedIntoPlaceByRenameOrCopyWakesTheClient() {
    RedisCommands<String, String> r = connect().sync();
    List<List<String>> moves = List.of(
        List.of("RENAME", "{m}bob", "{m}foo"), List.of("RENAMENX", "{m}bob", "{m}foo"),
        List.of("COPY", "{m}bob", "{m}foo"), List.of("RENAME", "bar", "foo"), List.of("RENAMENX", "bar", "foo"),
        List.of("COPY", "bar", "foo"), List.of("COPY", "{m}bob", "{m}foo", "DB", "9"));
    for (List<String> move : moves) {
      for (String pop : List.of("blpop", "blmpop")) {
        String what = pop + " woken by " + String.join(" ", move);
        String source = move.get(1);
        String target = move.get(2);
        int db = move.size() > 3 ? 9 : 0;
        try (RespConnection waiting = RespConnection.open(node.port())) {
          assertEquals("OK", waiting.call("SELECT", String.valueOf(db)).text());
          waiting.call("DEL", target);
          r.del(source, target);
          if (pop.equals("blpop")) waiting.send("BLPOP", target, "0");
          else waiting.send("BLMPOP", "0", "1", target, "LEFT");
          awaitBlocked(r, pop, 1);
          r.lpush(source, "abc", "def", "hij");
          RespReply moved = callOnce(move);
          assertTrue(moved.type == '+' || moved.integer() == 1, what + ": " + moved);
          RespReply reply = waiting.read();
          assertEquals(target, reply.get(0).text(), what);
          RespReply element = pop.equals("blpop") ? reply.get(1) : reply.get(1).get(0);
          assertEquals("hij", element.text(), what);
          assertEquals(List.of("def", "abc"), waiting.call("LRANGE", target, "0", "-1").texts(), what);
          waiting.call("DEL", target);
        }
        awaitBlocked(r, pop, 0);
      }
    }
  }

  /** One command on a connection of its own (database 0), its reply as the server wrote it. */
  private RespReply callOnce(List<String> command) {
    try (RespConnection plain = RespConnection.open(node.port())) {
      return plain.call(command.toArray(String[]::new));
    }
  }

  /**
   * Redis's serveClientBlockedOnList: a client whose destination holds another type gets WRONGTYPE and the
   * element stays for the next client, in blocking order.
   */
  @Test
  void aMoveIntoAWrongTypeDestinationAnswersWrongTypeAndLeavesTheElementToTheNextClient() throws Exception {
    moveIntoWrongType("{s}src", "{s}str", "{s}dst");
  }

  /**
   * The same with the first client's destination in another range (standalone: bar and foo are in different
   * ranges): woken, it takes through both ranges, and the next client, whose destination is in the source's
   * range and who could be served at once, waits until it has declined.
   */
  @Test
  void aMoveIntoAWrongTypeDestinationInAnotherRangeLeavesTheElementToTheNextClient() throws Exception {
    moveIntoWrongType("bar", "foo", "{bar}dst");
  }

  private void moveIntoWrongType(String source, String wrongType, String destination) throws Exception {
    RedisCommands<String, String> pusher = connect().sync();
    pusher.set(wrongType, "not a list");
    RedisFuture<String> first = connect().async().brpoplpush(0, source, wrongType);
    awaitBlocked(pusher, "brpoplpush", 1);
    RedisFuture<String> second = connect().async().brpoplpush(0, source, destination);
    awaitBlocked(pusher, "brpoplpush", 2);
    pusher.lpush(source, "v");
    ExecutionException wrong = assertThrows(ExecutionException.class, () -> get(first));
    assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", wrong.getCause().getMessage());
    assertEquals("v", get(second));
    assertEquals(List.of("v"), pusher.lrange(destination, 0, -1));
    assertEquals(0, pusher.exists(source));
  }

  /**
   * Issue 12's case, as Redis's own "BRPOPLPUSH with multiple blocked clients": the first client's target holds a
   * string, so LPUSH answers it WRONGTYPE and hands foo to the second (checked against redis-server 7.0.15).
   */
  @Test
  void brpoplpushIntoAStringAnswersWrongTypeAndHandsTheElementToTheNextClient() throws Exception {
    RedisCommands<String, String> pusher = connect().sync();
    pusher.set("target1", "nolist");
    RedisFuture<String> first = connect().async().brpoplpush(0, "blist", "target1");
    awaitBlocked(pusher, "brpoplpush", 1);
    RedisFuture<String> second = connect().async().brpoplpush(0, "blist", "target2");
    awaitBlocked(pusher, "brpoplpush", 2);
    pusher.lpush("blist", "foo");
    ExecutionException wrong = assertThrows(ExecutionException.class, () -> get(first));
    assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", wrong.getCause().getMessage());
    assertEquals("foo", get(second));
    assertEquals(List.of("foo"), pusher.lrange("target2", 0, -1));
    assertEquals(0, pusher.exists("blist"));
  }

  /** Both clients with the same string target: both get WRONGTYPE and foo stays in blist (as redis-server 7.0.15). */
  @Test
  void brpoplpushOfTwoClientsIntoTheSameStringLeavesTheElement() throws Exception {
    RedisCommands<String, String> pusher = connect().sync();
    pusher.set("target", "nolist");
    RedisFuture<String> first = connect().async().brpoplpush(0, "blist", "target");
    awaitBlocked(pusher, "brpoplpush", 1);
    RedisFuture<String> second = connect().async().brpoplpush(0, "blist", "target");
    awaitBlocked(pusher, "brpoplpush", 2);
    pusher.lpush("blist", "foo");
    for (RedisFuture<String> client : List.of(first, second)) {
      ExecutionException wrong = assertThrows(ExecutionException.class, () -> get(client));
      assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
          wrong.getCause().getMessage());
    }
    assertEquals(List.of("foo"), pusher.lrange("blist", 0, -1));
  }

  /** CLIENT UNBLOCK's replies, checked against redis-server 7.0.15. */
  @Test
  void clientUnblockEndsTheWaitAsATimeoutOrWithAnError() throws Exception {
    RedisCommands<String, String> admin = connect().sync();
    StatefulRedisConnection<String, String> waiting = connect();
    long id = waiting.sync().clientId();
    RedisFuture<KeyValue<String, String>> popped = waiting.async().blpop(0, "{u}list");
    awaitBlocked(admin, "blpop", 1);
    assertEquals(1L, unblock(admin, id));
    assertNull(get(popped), "answered as a timeout");
    assertEquals(0L, unblock(admin, id), "no longer blocked");

    RedisFuture<String> moved = waiting.async().blmove("{u}list", "{u}dst", LMoveArgs.Builder.leftRight(), 0);
    awaitBlocked(admin, "blmove", 1);
    assertEquals(1L, unblock(admin, id, "ERROR"));
    ExecutionException error = assertThrows(ExecutionException.class, () -> get(moved));
    assertEquals("UNBLOCKED client unblocked via CLIENT UNBLOCK", error.getCause().getMessage());
    admin.rpush("{u}list", "kept");
    assertEquals(List.of("kept"), admin.lrange("{u}list", 0, -1), "the unblocked client takes nothing later");
  }

  private static long unblock(RedisCommands<String, String> admin, Object... args) {
    io.lettuce.core.protocol.CommandArgs<String, String> command =
        new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("UNBLOCK");
    for (Object arg : args) command.add(String.valueOf(arg));
    return admin.dispatch(io.lettuce.core.protocol.CommandType.CLIENT,
        new io.lettuce.core.output.IntegerOutput<>(io.lettuce.core.codec.StringCodec.UTF8), command);
  }

  @Test
  void sortedSetPopsWakeOnZadd() throws Exception {
    RedisCommands<String, String> pusher = connect().sync();
    RedisFuture<KeyValue<String, ScoredValue<String>>> max = connect().async().bzpopmax(0, "{z}s");
    awaitBlocked(pusher, "bzpopmax", 1);
    pusher.zadd("{z}s", 1.0, "one", 2.5, "two");
    assertEquals(KeyValue.just("{z}s", ScoredValue.just(2.5, "two")), get(max));
    assertEquals(List.of("one"), pusher.zrange("{z}s", 0, -1));
  }

  @Test
  void aTimeoutAnswersNullAndLeavesNothingBehind() throws Exception {
    RedisCommands<String, String> c = connect().sync();
    assertNull(c.blpop(0.05, "{t}none"));
    assertNull(c.bzpopmin(0.05, "{t}none"));
    // A later push is not taken by the client that timed out.
    c.rpush("{t}none", "kept");
    assertEquals(List.of("kept"), c.lrange("{t}none", 0, -1));
  }

  @Test
  void insideExecABlockingPopDoesNotWait() {
    RedisCommands<String, String> c = connect().sync();
    c.multi();
    c.blpop(0, "{e}empty");
    assertEquals(1, c.exec().size());
  }

  @Test
  void errorsComeBeforeAnyWaiting() {
    RedisCommands<String, String> c = connect().sync();
    c.set("{w}str", "x");
    RedisCommandExecutionException wrong = assertThrows(RedisCommandExecutionException.class,
        () -> c.blpop(0, "{w}str"));
    assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", wrong.getMessage());
    RedisCommandExecutionException negative = assertThrows(RedisCommandExecutionException.class,
        () -> c.blpop(-1, "{w}l"));
    assertEquals("ERR timeout is negative", negative.getMessage());
  }
}
