package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.akkaredis.it.support.LocalCluster;
import org.akkaredis.keyspace.Slots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Scripts as libraries ship them, through Lettuce's cluster client on a 3-master cluster of nodes in this JVM: a
 * token-bucket rate limiter (SCRIPT LOAD, EVALSHA, and EVAL again after SCRIPT FLUSH's NOSCRIPT), Redlock over three
 * keys on the three masters (SET NX PX, compare-and-delete, compare-and-PEXPIRE) under contention from several
 * threads, and BullMQ/Sidekiq-style job moves between hash-tagged lists, sorted sets and hashes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LettuceScriptsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The usual token bucket (as in Stripe's and Spring Cloud Gateway's limiters), with the clock as an argument. */
  static final String TOKEN_BUCKET = """
      local rate = tonumber(ARGV[1])
      local capacity = tonumber(ARGV[2])
      local now = tonumber(ARGV[3])
      local requested = tonumber(ARGV[4])
      local ttl = math.floor(capacity / rate * 2 * 1000)
      local state = redis.call('HMGET', KEYS[1], 'tokens', 'timestamp')
      local tokens = tonumber(state[1]) or capacity
      local last = tonumber(state[2]) or now
      local filled = math.min(capacity, tokens + math.max(0, now - last) * rate / 1000)
      local allowed = filled >= requested
      if allowed then filled = filled - requested end
      redis.call('HSET', KEYS[1], 'tokens', filled, 'timestamp', now)
      redis.call('PEXPIRE', KEYS[1], ttl)
      return { allowed and 1 or 0, math.floor(filled) }
      """;

  /** Redlock's release: delete only one's own lock. */
  static final String UNLOCK = """
      if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end""";

  /** Redlock's extend: a new TTL only for one's own lock. */
  static final String EXTEND = """
      if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end""";

  /** BullMQ's moveToActive in small: the next waiting job becomes active, its hash stamped. */
  static final String MOVE_TO_ACTIVE = """
      local id = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
      if not id then return false end
      redis.call('HSET', KEYS[3] .. id, 'processedOn', ARGV[1])
      redis.call('HINCRBY', KEYS[3] .. id, 'attemptsMade', 1)
      return id""";

  /** Sidekiq's scheduled-set poller: due jobs leave the sorted set for the queue, oldest first. */
  static final String PROMOTE_DUE = """
      local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
      for _, id in ipairs(due) do
        redis.call('ZREM', KEYS[1], id)
        redis.call('LPUSH', KEYS[2], id)
      end
      return #due""";

  /** BullMQ's moveToFinished in small: off the active list, into the completed set scored by time. */
  static final String MOVE_TO_COMPLETED = """
      if redis.call('LREM', KEYS[1], -1, ARGV[1]) == 0 then return redis.error_reply('Missing lock for job ' .. ARGV[1]) end
      redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
      redis.call('HSET', KEYS[3] .. ARGV[1], 'finishedOn', ARGV[2], 'returnvalue', ARGV[3])
      return redis.call('ZCARD', KEYS[2])""";

  private LocalCluster cluster;
  private ClientResources resources;
  private RedisClusterClient client;
  private StatefulRedisClusterConnection<String, String> connection;
  private RedisAdvancedClusterCommands<String, String> redis;

  @BeforeAll
  void start() {
    cluster = LocalCluster.start(3, 5000);
    cluster.create(3);
    resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    client = RedisClusterClient.create(resources,
        RedisURI.builder().withHost("127.0.0.1").withPort(cluster.member(0).port).withTimeout(TIMEOUT).build());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterAll
  void stop() {
    if (connection != null) connection.close();
    if (client != null) client.shutdown(Duration.ZERO, TIMEOUT);
    if (resources != null) resources.shutdown(0, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (cluster != null) cluster.close();
  }

  /** A key of {@code prefix} whose slot the {@code master}-th master serves (LocalCluster.create's even ranges). */
  private static String keyOn(int master, String prefix) {
    long first = Math.round(Slots.COUNT * master / 3.0);
    long last = Math.round(Slots.COUNT * (master + 1) / 3.0) - 1;
    for (int n = 0; ; n++) {
      String key = prefix + n;
      int slot = Slots.slotOf(key.getBytes());
      if (slot >= first && slot <= last) return key;
    }
  }

  private List<Object> limit(String sha, String key, long now, long requested) {
    return redis.evalsha(sha, ScriptOutputType.MULTI, new String[] {key}, "1", "10", Long.toString(now),
        Long.toString(requested));
  }

  @Test
  void tokenBucketByEvalshaOnEveryMasterAndEvalAfterFlush() {
    String sha = redis.scriptLoad(TOKEN_BUCKET);
    for (int master = 0; master < 3; master++) {
      String key = keyOn(master, "rate:user:");
      int allowed = 0;
      for (int i = 0; i < 12; i++) {
        List<Object> reply = limit(sha, key, 1_000, 1);
        allowed += ((Long) reply.get(0)).intValue();
        assertEquals(Math.max(0, 9 - i), ((Long) reply.get(1)).intValue(), key + " request " + i);
      }
      assertEquals(10, allowed, "a full bucket of 10 lets 10 of 12 requests through");
      assertEquals(List.of(0L, 0L), limit(sha, key, 1_999, 1), "not yet one token refilled");
      assertEquals(List.of(1L, 2L), limit(sha, key, 4_000, 1), "3 s refill 3 tokens");
      assertEquals(Map.of("tokens", "2", "timestamp", "4000"), redis.hgetall(key));
      long pttl = redis.pttl(key);
      assertTrue(pttl > 0 && pttl <= 20_000, "PEXPIRE twice the refill time: " + pttl);
    }

    assertEquals("OK", redis.scriptFlush());
    String key = keyOn(2, "rate:after-flush:");
    assertThrows(RedisNoScriptException.class, () -> limit(sha, key, 1_000, 4));
    // What a client library does on NOSCRIPT: EVAL, which caches the script again under the same SHA.
    List<Object> byEval = redis.eval(TOKEN_BUCKET, ScriptOutputType.MULTI, new String[] {key}, "1", "10", "1000", "4");
    assertEquals(List.of(1L, 6L), byEval);
    assertEquals(List.of(1L, 2L), limit(sha, key, 1_000, 4), "EVAL cached it on the key's master");
  }

  /** Redlock's three independent instances: one key on each master, held when a majority was set. */
  private record Redlock(RedisAdvancedClusterCommands<String, String> redis, List<String> keys, String unlockSha,
      String extendSha) {
    boolean acquire(String token, long ttlMs) {
      List<String> got = new ArrayList<>();
      for (String key : keys) {
        if ("OK".equals(redis.set(key, token, SetArgs.Builder.nx().px(ttlMs)))) got.add(key);
      }
      if (got.size() * 2 > keys.size()) return true;
      for (String key : got) unlock(key, token);
      return false;
    }

    long unlock(String key, String token) {
      return redis.evalsha(unlockSha, ScriptOutputType.INTEGER, new String[] {key}, token);
    }

    long releaseAll(String token) {
      long released = 0;
      for (String key : keys) released += unlock(key, token);
      return released;
    }

    long extendAll(String token, long ttlMs) {
      long extended = 0;
      for (String key : keys) {
        extended += (Long) redis.evalsha(extendSha, ScriptOutputType.INTEGER, new String[] {key}, token,
            Long.toString(ttlMs));
      }
      return extended;
    }
  }

  private Redlock redlock(String resource) {
    return new Redlock(redis, List.of(keyOn(0, resource), keyOn(1, resource), keyOn(2, resource)),
        redis.scriptLoad(UNLOCK), redis.scriptLoad(EXTEND));
  }

  @Test
  void redlockReleaseAndExtendTouchOnlyTheOwnersLock() {
    Redlock lock = redlock("lock:single:");
    assertTrue(lock.acquire("owner", 60_000));
    assertTrue(!lock.acquire("other", 60_000), "held by owner");
    assertEquals(0, lock.releaseAll("other"), "another token deletes nothing");
    assertEquals(0, lock.extendAll("other", 120_000), "nor extends");
    assertEquals(3, lock.extendAll("owner", 120_000));
    for (String key : lock.keys()) {
      long pttl = redis.pttl(key);
      assertTrue(pttl > 60_000 && pttl <= 120_000, key + " extended: " + pttl);
    }
    assertEquals(3, lock.releaseAll("owner"));
    for (String key : lock.keys()) assertNull(redis.get(key));
    assertEquals(0, lock.extendAll("owner", 1_000), "a released lock is not extended");
  }

  /**
   * Four threads compete for one Redlock; whoever holds it does a read-modify-write of a counter (GET, then SET one
   * more) that loses updates unless the lock excludes the others. The counter must equal the critical sections run,
   * and no two threads are ever inside at once.
   */
  @Test
  void redlockExcludesConcurrentHolders() throws Exception {
    Redlock lock = redlock("lock:contended:");
    String counter = keyOn(1, "lock:counter:");
    redis.set(counter, "0");
    int threads = 4;
    int sectionsEach = 15;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger sections = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String name = "worker-" + t;
        workers.add(pool.submit(() -> {
          int done = 0;
          for (int attempt = 0; done < sectionsEach; attempt++) {
            String token = name + ":" + attempt;
            if (!lock.acquire(token, 30_000)) continue;
            if (inside.incrementAndGet() != 1) overlaps.incrementAndGet();
            long value = Long.parseLong(redis.get(counter));
            assertTrue(lock.extendAll(token, 30_000) >= 2, "the holder extends its own majority");
            redis.set(counter, Long.toString(value + 1));
            inside.decrementAndGet();
            assertTrue(lock.releaseAll(token) >= 2, "the holder releases its own majority");
            sections.incrementAndGet();
            done++;
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) worker.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, overlaps.get(), "two holders at once");
    assertEquals(threads * sectionsEach, sections.get());
    assertEquals(Long.toString(threads * sectionsEach), redis.get(counter), "no update was lost");
    for (String key : lock.keys()) assertNull(redis.get(key));
  }

  @Test
  void jobsMoveBetweenHashTaggedKeysOnEachMaster() {
    String promote = redis.scriptLoad(PROMOTE_DUE);
    String toActive = redis.scriptLoad(MOVE_TO_ACTIVE);
    String toCompleted = redis.scriptLoad(MOVE_TO_COMPLETED);
    for (int master = 0; master < 3; master++) {
      String tag = "{" + keyOn(master, "queue") + "}";
      String wait = tag + ":wait";
      String active = tag + ":active";
      String delayed = tag + ":delayed";
      String completed = tag + ":completed";
      String jobPrefix = tag + ":job:";
      assertEquals(2L, redis.lpush(wait, "1", "2"));
      redis.zadd(delayed, 500, "3");
      redis.zadd(delayed, 100, "4");
      redis.zadd(delayed, 9_000, "5");

      Long promoted = redis.evalsha(promote, ScriptOutputType.INTEGER, new String[] {delayed, wait}, "1000", "10");
      assertEquals(2L, promoted);
      assertEquals(List.of("3", "4", "2", "1"), redis.lrange(wait, 0, -1), "promoted jobs queue behind the waiting");
      assertEquals(List.of("5"), redis.zrange(delayed, 0, -1));

      String[] activeKeys = {wait, active, jobPrefix};
      List<String> taken = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        taken.add(redis.evalsha(toActive, ScriptOutputType.VALUE, activeKeys, Integer.toString(2_000 + i)));
      }
      assertEquals(List.of("1", "2", "4", "3"), taken, "RPOPLPUSH takes the oldest first");
      assertNull(redis.evalsha(toActive, ScriptOutputType.VALUE, activeKeys, "3000"), "nothing waits: nil");
      assertEquals(Map.of("processedOn", "2001", "attemptsMade", "1"), redis.hgetall(jobPrefix + "2"));

      String[] finishKeys = {active, completed, jobPrefix};
      assertEquals(1L, (Long) redis.evalsha(toCompleted, ScriptOutputType.INTEGER, finishKeys, "2", "5000", "done"));
      assertEquals(2L, (Long) redis.evalsha(toCompleted, ScriptOutputType.INTEGER, finishKeys, "4", "5001", "ok"));
      RedisCommandExecutionException missing = assertThrows(RedisCommandExecutionException.class,
          () -> redis.evalsha(toCompleted, ScriptOutputType.INTEGER, finishKeys, "2", "5002", "again"));
      assertEquals("Missing lock for job 2", missing.getMessage());
      assertEquals(List.of("3", "1"), redis.lrange(active, 0, -1));
      assertEquals(List.of("2", "4"), redis.zrangebyscore(completed, Range.create(0, 10_000)));
      assertEquals("done", redis.hget(jobPrefix + "2", "returnvalue"));
    }
    RedisCommandExecutionException crossSlot = assertThrows(RedisCommandExecutionException.class,
        () -> redis.evalsha(promote, ScriptOutputType.INTEGER, new String[] {"queue:a:delayed", "queue:b:wait"}, "1",
            "1"));
    assertEquals("CROSSSLOT Keys in request don't hash to the same slot", crossSlot.getMessage());
  }
}
