package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The HyperLogLog representations and estimator, against bytes and counts captured from redis-server 7.0.15. */
class HyperLogLogTest {
  private static final long MAX_BYTES = 3000;

  private static HyperLogLog withNumbers(int from, int to) {
    HyperLogLog hll = HyperLogLog.create();
    for (int i = from; i <= to; i++) hll.add(Integer.toString(i).getBytes(StandardCharsets.US_ASCII), MAX_BYTES);
    hll.invalidateCache();
    return hll;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void anEmptyHllIsOneSparseRunOfXzero() {
    byte[] empty = HyperLogLog.create().bytes();
    assertEquals("48594c4c01000000000000000000000" + "07fff", HexFormat.of().formatHex(empty));
    assertTrue(HyperLogLog.isValid(empty));
    assertEquals(0, HyperLogLog.count(empty));
    assertEquals("Z:16384", HyperLogLog.decode(empty));
  }

  @Test
  void sparseBytesAreRedisBytes() {
    HyperLogLog hll = HyperLogLog.create();
    for (String e : new String[] {"a", "b", "c", "d", "e"}) hll.add(e.getBytes(StandardCharsets.US_ASCII), MAX_BYTES);
    hll.invalidateCache();
    // redis-server: PFADD h a b c d e; GET h
    assertEquals("48594c4c0100000000000000000000805c7b8044768050b184498c80426d80425a",
        HexFormat.of().formatHex(hll.bytes()));
    assertEquals(5, HyperLogLog.count(hll.bytes()));
  }

  /** As PFADD then PFCOUNT leave a value: the cardinality cached in the header. */
  private static HyperLogLog counted(HyperLogLog hll) {
    hll.storeCardinality(HyperLogLog.count(hll.bytes()));
    return hll;
  }

  @Test
  void sparseAndDenseValuesAndCountsAreRedisOnes() throws Exception {
    // redis-server: PFADD s 1 2 ... 1000; PFCOUNT s; GET s (and the same for d with 1 ... 5000)
    HyperLogLog sparse = counted(withNumbers(1, 1000));
    assertEquals(HyperLogLog.SPARSE, sparse.encoding());
    assertEquals(1922, sparse.bytes().length);
    assertEquals("719dd6d68459551c0ffe9f675882cee133adeaf55feed3f7ef33f0f0df867a33", sha256(sparse.bytes()));
    assertEquals(1001, HyperLogLog.count(sparse.bytes()));

    HyperLogLog dense = counted(withNumbers(1, 5000));
    assertEquals(HyperLogLog.DENSE, dense.encoding());
    assertEquals(HyperLogLog.DENSE_SIZE, dense.bytes().length);
    assertEquals("8ac9da7e3738a0c460d8d9f3e0d9005e59dde54d38c2ad5e65d24f9520f17fe3", sha256(dense.bytes()));
    assertEquals(4985, HyperLogLog.count(dense.bytes()));

    assertEquals(99562, HyperLogLog.count(withNumbers(1, 100000).bytes()));
  }

  @Test
  void theCachedCardinalityIsLittleEndianWithAStaleBit() {
    HyperLogLog hll = withNumbers(1, 10);
    byte[] stale = hll.bytes();
    assertFalse(HyperLogLog.validCache(stale));
    hll.storeCardinality(0x0102L);
    byte[] cached = hll.bytes();
    assertTrue(HyperLogLog.validCache(cached));
    assertEquals(0x0102L, HyperLogLog.cachedCardinality(cached));
    assertEquals(0x02, cached[8]);
    assertEquals(0x01, cached[9]);
  }

  @Test
  void mergeAndDenseConversionKeepTheRegisters() {
    HyperLogLog a = withNumbers(1, 300);
    HyperLogLog b = withNumbers(200, 600);
    byte[] max = new byte[HyperLogLog.REGISTERS];
    assertTrue(HyperLogLog.merge(max, a.bytes()));
    assertTrue(HyperLogLog.merge(max, b.bytes()));
    assertEquals(HyperLogLog.count(withNumbers(1, 600).bytes()), HyperLogLog.countRaw(max));

    HyperLogLog dense = HyperLogLog.copyOf(a.bytes());
    assertTrue(dense.toDense());
    assertEquals(HyperLogLog.count(a.bytes()), HyperLogLog.count(dense.bytes()));
    byte[] fromDense = new byte[HyperLogLog.REGISTERS];
    byte[] fromSparse = new byte[HyperLogLog.REGISTERS];
    HyperLogLog.merge(fromDense, dense.bytes());
    HyperLogLog.merge(fromSparse, a.bytes());
    assertArrayEquals(fromSparse, fromDense);
  }

  @Test
  void aDenseValueTellsWhetherAnAddWouldRaiseARegister() {
    byte[] dense = withNumbers(1, 5000).bytes();
    byte[][] seen = {"PFADD".getBytes(StandardCharsets.US_ASCII), "1".getBytes(StandardCharsets.US_ASCII),
        "4999".getBytes(StandardCharsets.US_ASCII)};
    assertFalse(HyperLogLog.denseWouldChange(dense, seen, 1));
    byte[][] fresh = new byte[200][];
    for (int i = 0; i < fresh.length; i++) fresh[i] = ("new" + i).getBytes(StandardCharsets.US_ASCII);
    HyperLogLog copy = HyperLogLog.copyOf(dense);
    int changed = 0;
    for (byte[] e : fresh) changed += copy.add(e, MAX_BYTES);
    assertEquals(changed > 0, HyperLogLog.denseWouldChange(dense, fresh, 0));
  }

  @Test
  void aSmallSparseLimitPromotesEarly() {
    HyperLogLog hll = HyperLogLog.create();
    for (int i = 0; i < 50; i++) hll.add(Integer.toString(i).getBytes(StandardCharsets.US_ASCII), 100);
    assertEquals(HyperLogLog.DENSE, hll.encoding());
  }

  @Test
  void corruptedValuesAreDetected() {
    byte[] overlong = HexFormat.of().parseHex("48594c4c010000000000000000000080" + "7fff" + "00");
    assertTrue(HyperLogLog.isValid(overlong));
    assertEquals(-1, HyperLogLog.count(overlong));
    assertFalse(HyperLogLog.merge(new byte[HyperLogLog.REGISTERS], overlong));
    assertFalse(HyperLogLog.copyOf(overlong).toDense());
    assertFalse(HyperLogLog.isValid("HYLL".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(HyperLogLog.isValid(HexFormat.of().parseHex("48594c4c000000000000000000000000ff")));
    assertFalse(HyperLogLog.isValid(HexFormat.of().parseHex("48594c4c020000000000000000000000")));
  }

  @Test
  void murmurHashAndRegisterPatternMatchRedis() {
    // The register and run of the sparse bytes above: "a" sets a register to 1 (a VAL of value 1).
    int pat = HyperLogLog.patLen("a".getBytes(StandardCharsets.US_ASCII));
    assertTrue((pat & 0xFF) >= 1 && (pat & 0xFF) <= HyperLogLog.Q + 1);
    assertEquals(HyperLogLog.murmurHash64A(new byte[0], 0, 0, 0), HyperLogLog.murmurHash64A(new byte[3], 1, 0, 0));
  }

  @Test
  void theEstimatorOfAnEmptyOrFullHistogram() {
    int[] empty = new int[64];
    empty[0] = HyperLogLog.REGISTERS;
    assertEquals(0, HyperLogLog.estimate(empty));
    assertEquals(Double.POSITIVE_INFINITY, HyperLogLog.sigma(1.0));
    assertEquals(0.0, HyperLogLog.tau(0.0));
    assertEquals(0.0, HyperLogLog.tau(1.0));
  }
}
