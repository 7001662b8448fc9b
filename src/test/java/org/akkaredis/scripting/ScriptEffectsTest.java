package org.akkaredis.scripting;

import static org.akkaredis.command.EffectsNode.resp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.command.EffectsNode;
import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;
import org.akkaredis.resp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A script's writes reach replicas and the AOF as the commands it ran, several of them wrapped in MULTI/EXEC as
 * one unit (Redis 7.0 replicates scripts by their effects only), and a script that writes nothing records nothing.
 */
class ScriptEffectsTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  private final EffectsNode node = new EffectsNode(testKit, Settings.defaults(),
      new AtomicLong(1_700_000_000_000L)).capturing();
  private final Session client = node.connect();

  @Test
  void oneWriteIsRecordedAlone() {
    assertEquals(Reply.OK, node.run(client, "EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v"));
    List<String> effects = node.takeEffects();
    assertEquals(1, effects.size(), effects.toString());
    assertEquals(resp("set", "k", "v"), effects.get(0).substring(effects.get(0).indexOf("] ") + 2));
  }

  @Test
  void severalWritesAreOneMultiExecInTheirOrder() {
    node.run(client, "EVAL", "redis.call('set', KEYS[1], 'a') redis.call('incr', KEYS[2]) "
        + "redis.call('get', KEYS[1]) redis.call('del', KEYS[1]) return 1", "2", "k", "n");
    String all = String.join("", node.takeEffects().stream()
        .map(e -> e.substring(e.indexOf("] ") + 2)).toList());
    assertEquals(resp("MULTI") + resp("set", "k", "a") + resp("incr", "n") + resp("del", "k") + resp("EXEC"), all);
  }

  @Test
  void aScriptThatOnlyReadsRecordsNothing() {
    node.run(client, "SET", "k", "v");
    node.takeEffects();
    node.run(client, "EVAL", "return redis.call('get', KEYS[1])", "1", "k");
    node.run(client, "EVAL", "return redis.pcall('set', KEYS[1])", "1", "k");
    assertEquals(List.of(), node.takeEffects());
  }

  @Test
  void scriptCommandsThemselvesRecordNothing() {
    node.run(client, "SCRIPT", "LOAD", "return 1");
    node.run(client, "EVALSHA", Sha1.hex("return 1".getBytes()), "0");
    assertEquals(List.of(), node.takeEffects());
  }
}
