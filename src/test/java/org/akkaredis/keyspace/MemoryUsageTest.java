package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/**
 * The estimate against JOL, which walks the real objects of this JVM: every class the estimate names has the
 * instance size JOL reads from the class, and with every element counted (samples 0) a value's estimate is the
 * size of the object graph the value really is.
 */
class MemoryUsageTest {
  private static final MemoryUsage USAGE = MemoryUsage.current();
  private static final long BIG = Long.MAX_VALUE;

  private static long instanceSize(String className) throws ClassNotFoundException {
    return ClassLayout.parseClass(Class.forName(className)).instanceSize();
  }

  private static long graph(Object root) {
    return GraphLayout.parseInstance(root).totalSize();
  }

  /**
   * A map's view objects (keySet, values, entrySet: one reference to the map each) exist once something iterated
   * over them, and the map keeps them; the estimate leaves them out, so JOL may find up to three more.
   */
  private static void assertGraphLessViews(Object value, long estimate, String what) {
    long view = USAGE.layout().object(1, 0, 0, 0);
    long more = graph(value) - estimate;
    assertTrue(more >= 0 && more <= 3 * view && more % view == 0, what + ": JOL finds " + more + " bytes more");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theLayoutIsThisJvmsAndEveryClassHasJolsInstanceSize() throws Exception {
    MemoryUsage.Layout layout = USAGE.layout();
    assertEquals(ClassLayout.parseClass(Object.class).headerSize(), layout.header());
    assertEquals(ClassLayout.parseClass(byte[].class).instanceSize(), layout.byteArray(0));
    assertEquals(GraphLayout.parseInstance((Object) new Object[3]).totalSize(), layout.referenceArray(3));
    assertEquals(instanceSize(Key.class.getName()), USAGE.key);
    assertEquals(instanceSize(Entry.class.getName()), USAGE.entry);
    assertEquals(instanceSize("java.util.HashMap$Node"), USAGE.hashMapNode);
    assertEquals(instanceSize(HashMap.class.getName()), USAGE.hashMap);
    assertEquals(instanceSize(FieldMap.class.getName()), USAGE.fieldMap);
    assertEquals(instanceSize(RangeDb.SlotMap.class.getName()), USAGE.keyTable);
    assertEquals(instanceSize(RedisZSet.class.getName() + "$NodeTable"), USAGE.keyTable);
    assertEquals(instanceSize(ArrayList.class.getName()), USAGE.arrayList);
    assertEquals(instanceSize(Integer.class.getName()), USAGE.integer);
    assertEquals(instanceSize(RedisHash.class.getName()), USAGE.redisHash);
    assertEquals(instanceSize(RedisList.class.getName()), USAGE.redisList);
    assertEquals(instanceSize(RedisSet.class.getName()), USAGE.redisSet);
    assertEquals(instanceSize(RedisZSet.class.getName()), USAGE.redisZSet);
    assertEquals(instanceSize(RedisZSet.Node.class.getName()), USAGE.zsetNode);
    assertEquals(instanceSize(ScanIndex.class.getName()), USAGE.scanIndex);
  }

  @Test
  void theLayoutWithoutCompressedReferencesLeavesNoGapUnfilled() {
    MemoryUsage.Layout wide = new MemoryUsage.Layout(12, 8, 16, 8);
    assertEquals(24, wide.object(1, 0, 0, 0), "a reference starts at 16 after a 12-byte header");
    assertEquals(24, wide.object(1, 1, 0, 0), "an int fills the gap");
    assertEquals(24, wide.object(1, 0, 0, 4), "so do small fields");
    assertEquals(16, new MemoryUsage.Layout(16, 8, 24, 8).object(0, 0, 0, 0));
  }

  @Test
  void aStringIsItsBytes() {
    assertEquals(graph(new byte[0]), USAGE.ofValue(new byte[0], 5));
    byte[] value = new byte[1000];
    assertEquals(graph(value), USAGE.ofValue(value, 5));
  }

  @Test
  void aListWithEveryElementCountedIsItsObjectGraph() {
    RedisList list = new RedisList();
    assertEquals(graph(list), USAGE.ofValue(list, 0));
    for (int i = 0; i < 1000; i++) list.push(i % 2 == 0, bytes("element-" + i));
    for (int i = 0; i < 100; i++) list.pop(true);
    assertEquals(graph(list), USAGE.ofValue(list, 0));
  }

  @Test
  void aHashWithEveryFieldCountedIsItsObjectGraph() {
    // An empty hash's arrays are FieldMap's shared empty ones: JOL counts them, no hash owns them.
    long shared = USAGE.layout().referenceArray(0) + USAGE.layout().intArray(0);
    assertGraphLessViews(new RedisHash(), USAGE.ofValue(new RedisHash(), 0) + shared, "no fields");
    for (int n : new int[] {1, 12, 13, 500}) {
      RedisHash hash = new RedisHash();
      for (int i = 0; i < n; i++) hash.fields.put(Key.of("field:" + i), bytes("v".repeat(i % 40)));
      assertGraphLessViews(hash, USAGE.ofValue(hash, 0), n + " fields");
      for (int i = 0; i < n; i += 3) hash.fields.remove(Key.of("field:" + i));
      assertGraphLessViews(hash, USAGE.ofValue(hash, 0), n + " fields, a third removed");
    }
  }

  @Test
  void aHashInTheMiddleOfAnHscanCountsItsIndex() {
    RedisHash hash = new RedisHash();
    for (int i = 0; i < 300; i++) hash.fields.put(Key.of("f" + i), bytes("value"));
    hash.scan(0, 10, new ArrayList<>());
    assertTrue(hash.scanIndex() != null);
    assertGraphLessViews(hash, USAGE.ofValue(hash, 0), "a hash being scanned");
  }

  @Test
  void aSetWithEveryMemberCountedIsItsObjectGraphLessTheJdksSharedIntegers() {
    for (int n : new int[] {0, 1, 10, 11, 127, 128, 129, 1000}) {
      RedisSet set = new RedisSet();
      for (int i = 0; i < n; i++) set.add(Key.of("member:" + i), false, 512);
      // Positions below 128 are boxed into Integer's cache, and an empty member list is the JDK's one empty
      // array: JOL counts them, no set owns them.
      long shared = Math.min(n, 128) * USAGE.integer + (n == 0 ? USAGE.layout().referenceArray(0) : 0);
      assertEquals(graph(set) - shared, USAGE.ofValue(set, 0), n + " members");
    }
  }

  @Test
  void aSortedSetWithEveryMemberCountedIsItsObjectGraphWithItsSkipListLevels() {
    for (int n : new int[] {0, 1, 13, 1000}) {
      RedisZSet zset = new RedisZSet(128, 64, 1);
      for (int i = 0; i < n; i++) zset.put(Key.of("member:" + i), i * 1.5, BIG, BIG);
      assertGraphLessViews(zset, USAGE.ofValue(zset, 0), n + " members");
      for (int i = 0; i < n; i += 3) zset.remove(Key.of("member:" + i));
      assertGraphLessViews(zset, USAGE.ofValue(zset, 0), n + " members, a third removed");
    }
  }

  @Test
  void samplesScaleTheFirstElementsToTheWholeAsRedisDoes() {
    RedisList uniform = new RedisList();
    for (int i = 0; i < 100; i++) uniform.push(false, new byte[10]);
    assertEquals(USAGE.ofValue(uniform, 0), USAGE.ofValue(uniform, 5), "alike elements: the sample is exact");

    RedisList growing = new RedisList();
    for (int i = 0; i < 100; i++) growing.push(false, new byte[i]);
    long exact = USAGE.ofValue(growing, 0);
    long sampled = USAGE.ofValue(growing, 5);
    long fixed = USAGE.redisList + USAGE.layout().referenceArray(128);
    long firstFive = 0;
    for (int i = 0; i < 5; i++) firstFive += USAGE.layout().byteArray(i);
    assertEquals(fixed + firstFive * 100 / 5, sampled);
    assertTrue(sampled < exact, "the first elements are the small ones");
    assertEquals(exact, USAGE.ofValue(growing, 100));
    assertEquals(exact, USAGE.ofValue(growing, 1000));
  }

  @Test
  void aKeyInTheKeyspaceCountsItsEntryTableShareAndTtlPlace() {
    AtomicLong clock = new AtomicLong(1_000_000);
    RangeState state = new RangeState(0, 0, 16383, 1, Settings.defaults(), clock::get, SlotRouting::standalone);
    RangeDb db = state.db(0);
    assertNull(db.memoryUsage(Key.of("missing"), 5));
    Key key = Key.of("k");
    Entry entry = db.put(key, bytes("value"));
    long withoutTtl = db.memoryUsage(key, 5);
    // The one key of its slot's map: the whole default table of 16 references is its share.
    assertEquals(USAGE.layout().referenceArray(16) - USAGE.layout().arrayHeader() + graph(entry), withoutTtl);
    db.expireAt(entry, clock.get() + 10);
    assertEquals(withoutTtl + USAGE.layout().reference(), db.memoryUsage(key, 5));
    clock.addAndGet(100);
    assertEquals(withoutTtl + USAGE.layout().reference(), db.memoryUsage(key, 5),
        "an expired key not yet deleted still counts, as Redis's MEMORY USAGE finds it");
  }

  @Test
  void tableCapacityDoublesAtThreeQuartersFull() {
    assertEquals(16, MemoryUsage.tableCapacity(1));
    assertEquals(16, MemoryUsage.tableCapacity(12));
    assertEquals(32, MemoryUsage.tableCapacity(13));
    assertEquals(1024, MemoryUsage.tableCapacity(768));
    assertEquals(2048, MemoryUsage.tableCapacity(769));
    assertEquals(USAGE.layout().referenceArray(2048), USAGE.table(769));
  }
}
