package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.junit.jupiter.api.Test;

/**
 * redis.set_repl, as Redis's "Test selective replication of certain Redis commands from Lua": a master with the AOF
 * on and a replica; what a script wrote under REPL_NONE stays on the master alone, under REPL_AOF reaches only the
 * AOF (DEBUG LOADAOF brings it back), under REPL_REPLICA only the replica, under REPL_ALL both.
 */
class ScriptSetReplTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void setReplSendsEachWriteWhereItSays() {
    try (LocalCluster cluster = LocalCluster.start(2, 5000)) {
      cluster.create(1);
      try (RespConnection master = RespConnection.open(cluster.member(0).port);
          RespConnection replica = RespConnection.open(cluster.member(1).port)) {
        Await.until("the replica in sync", WAIT,
            () -> replica.infoField("replication", "master_link_status").equals("up"));
        assertEquals("OK", master.call("CONFIG", "SET", "appendonly", "yes").text());
        Await.until("the AOF's first rewrite", WAIT,
            () -> master.infoField("persistence", "aof_rewrite_in_progress").equals("0")
                && master.infoField("persistence", "aof_enabled").equals("1")
                && master.infoField("persistence", "aof_rewrite_scheduled").equals("0"));
        RespReply ran = master.call("EVAL", String.join("\n",
            "redis.call('set', '{t}a', '1')",
            "redis.set_repl(redis.REPL_NONE)",
            "redis.call('set', '{t}b', '2')",
            "redis.set_repl(redis.REPL_AOF)",
            "redis.call('set', '{t}c', '3')",
            "redis.set_repl(redis.REPL_REPLICA)",
            "redis.call('set', '{t}e', '5')",
            "redis.set_repl(redis.REPL_ALL)",
            "redis.call('set', '{t}d', '4')"), "0");
        assertEquals(true, ran.isNull(), ran.toString());
        List<String> keys = List.of("{t}a", "{t}b", "{t}c", "{t}d", "{t}e");
        String[] mget = new String[] {"MGET", "{t}a", "{t}b", "{t}c", "{t}d", "{t}e"};
        assertEquals("[1, 2, 3, 4, 5]", values(master.call(mget)), keys.toString());
        // READONLY: the replica serves reads of its master's slots.
        replica.call("READONLY");
        String[] seen = new String[1];
        Await.until("a and d, e on the replica", WAIT,
            () -> (seen[0] = values(replica.call(mget))).equals("[1, null, null, 4, 5]"), () -> seen[0]);
        assertEquals("OK", master.call("DEBUG", "LOADAOF").text());
        assertEquals("[1, null, 3, 4, null]", values(master.call(mget)));
      }
    }
  }

  private static String values(RespReply reply) {
    return reply.elements().stream().map(e -> e.isNull() ? "null" : e.text()).toList().toString();
  }
}
