package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Random;
import org.akkaredis.keyspace.Entry;
import org.akkaredis.keyspace.MemoryBudget;
import org.akkaredis.keyspace.MemoryUsage;
import org.akkaredis.keyspace.RangeDb;
import org.junit.jupiter.api.Test;

/**
 * The dataset estimate behind used_memory and maxmemory: kept write by write (no scan), it always equals the
 * estimate recounted from scratch over what is stored, whatever commands changed the data; and it is within 20% of
 * what the data really takes in the heap, measured after a full GC.
 */
class DatasetEstimateTest {
  private static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    KeyCommands.register(b);
    StringCommands.register(b);
    ListCommands.register(b);
    SetCommands.register(b);
    SortedSetCommands.register(b);
    HashCommands.register(b);
    return b.build();
  }

  /** The estimate recounted from every stored key and every slot's map, as the ranges keep it incrementally. */
  private static long recount(TestKeyspace ts) {
    MemoryUsage usage = MemoryUsage.current();
    long total = 0;
    for (int db = 0; db < ts.state.databases(); db++) {
      RangeDb rangeDb = ts.state.db(db);
      long[] sum = {0};
      rangeDb.forEachStored(e -> sum[0] += usage.ofStored(e));
      total += sum[0];
      for (int slot = 0; slot < 16384; slot++) total += usage.ofSlotMap(rangeDb.countKeysInSlot(slot));
    }
    return total;
  }

  @Test
  void theIncrementalEstimateEqualsARecountAfterAnyMixOfWrites() {
    TestKeyspace ts = new TestKeyspace(table());
    MemoryBudget memory = ts.state.memory();
    Random random = new Random(7);
    assertEquals(0, memory.dataset());
    for (int i = 0; i < 20_000; i++) {
      String key = "k" + random.nextInt(300);
      String member = "m" + random.nextInt(40);
      String value = "v".repeat(random.nextInt(80));
      switch (random.nextInt(22)) {
        case 0 -> ts.run("SET", key, value);
        case 1 -> ts.run("APPEND", key, value);
        case 2 -> ts.run("SETRANGE", key, Integer.toString(random.nextInt(50)), value);
        case 3 -> ts.run("INCRBY", key, "7");
        case 4 -> ts.run("LPUSH", key, value, member);
        case 5 -> ts.run("RPOP", key);
        case 6 -> ts.run("LSET", key, "0", value);
        case 7 -> ts.run("SADD", key, member, value);
        case 8 -> ts.run("SREM", key, member);
        case 9 -> ts.run("HSET", key, member, value);
        case 10 -> ts.run("HDEL", key, member);
        case 11 -> ts.run("HINCRBY", key, member, "3");
        case 12 -> ts.run("ZADD", key, Integer.toString(random.nextInt(100)), member);
        case 13 -> ts.run("ZREM", key, member);
        case 14 -> ts.run("ZINCRBY", key, "2", member);
        case 15 -> ts.run("EXPIRE", key, "100");
        case 16 -> ts.run("PERSIST", key);
        case 17 -> ts.run("DEL", key);
        case 18 -> ts.run("RENAME", key, "k" + random.nextInt(300));
        case 19 -> ts.run("LTRIM", key, "0", Integer.toString(random.nextInt(5)));
        case 20 -> ts.run("SPOP", key);
        default -> {
          ts.advance(random.nextInt(2000));
          ts.run("GET", key);
        }
      }
      if (i % 1000 == 0) assertEquals(recount(ts), memory.dataset(), "after " + i + " commands");
    }
    assertEquals(recount(ts), memory.dataset());
    assertTrue(memory.dataset() > 0);
    for (int db = 0; db < ts.state.databases(); db++) ts.state.db(db).clear();
    assertEquals(0, memory.dataset(), "nothing left: nothing counted");
  }

  private static long heapAfterFullGc() {
    MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      lowest = Math.min(lowest, bean.getHeapMemoryUsage().getUsed());
    }
    return lowest;
  }

  @Test
  void theEstimateIsWithinTwentyPercentOfTheHeapTheDataTakes() {
    TestKeyspace ts = new TestKeyspace(table());
    MemoryBudget memory = ts.state.memory();
    Random random = new Random(11);
    long before = heapAfterFullGc();
    for (int i = 0; i < 150_000; i++) {
      ts.run("SET", "string:" + i, "x".repeat(random.nextInt(120)));
      if (i % 3 == 0) ts.run("PEXPIRE", "string:" + i, "100000000");
    }
    for (int i = 0; i < 1500; i++) {
      String[] hset = new String[2 + 2 * 40];
      hset[0] = "HSET";
      hset[1] = "hash:" + i;
      for (int f = 0; f < 40; f++) {
        hset[2 + 2 * f] = "field" + f;
        hset[3 + 2 * f] = "value" + random.nextInt(1_000_000);
      }
      ts.run(hset);
      for (int e = 0; e < 40; e++) ts.run("RPUSH", "list:" + i, "element" + random.nextInt(1_000_000));
      for (int e = 0; e < 40; e++) ts.run("SADD", "set:" + i, "member" + random.nextInt(1_000_000));
      for (int e = 0; e < 40; e++) {
        ts.run("ZADD", "zset:" + i, Integer.toString(random.nextInt(1000)), "member" + random.nextInt(1_000_000));
      }
    }
    long after = heapAfterFullGc();
    long measured = after - before;
    long estimated = memory.dataset();
    double ratio = (double) estimated / measured;
    System.out.printf("dataset estimate %d bytes, heap taken %d bytes, ratio %.3f%n", estimated, measured, ratio);
    assertTrue(ratio > 0.8 && ratio < 1.2,
        "estimate " + estimated + " vs heap " + measured + " (ratio " + String.format("%.3f", ratio) + ")");
    // Keeps the data reachable until after the measurement.
    Entry kept = ts.state.db(0).stored(org.akkaredis.keyspace.Key.of("string:1"));
    assertTrue(kept != null);
  }
}
