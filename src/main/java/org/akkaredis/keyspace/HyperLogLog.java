package org.akkaredis.keyspace;

import java.util.Arrays;

/**
 * Redis 7.0's HyperLogLog (hyperloglog.c) byte for byte, so that a value moved by DUMP/RESTORE, the RDB or the AOF
 * means the same on redis-server and on the node: the 16-byte "HYLL" header with its cached cardinality (little
 * endian, the top bit of the last byte set when stale), 16384 six-bit registers either dense (12288 bytes, LSB
 * first) or sparse (ZERO, XZERO and VAL opcodes), MurmurHash64A with Redis's seed, and Ertl's estimator.
 *
 * <p>An instance is a working copy of one value (the stored bytes are never changed in place: a GET reply or a
 * snapshot may still hold them), grown as Redis's sds grows; {@link #bytes()} gives the value to store.
 */
public final class HyperLogLog {
  public static final int P = 14;
  public static final int Q = 64 - P;
  public static final int REGISTERS = 1 << P;
  private static final int P_MASK = REGISTERS - 1;
  private static final int BITS = 6;
  private static final int REGISTER_MAX = (1 << BITS) - 1;
  public static final int HDR_SIZE = 16;
  public static final int DENSE_SIZE = HDR_SIZE + (REGISTERS * BITS + 7) / 8;
  public static final int DENSE = 0;
  public static final int SPARSE = 1;
  private static final int MAX_ENCODING = 1;
  private static final int SPARSE_VAL_MAX_VALUE = 32;
  private static final int SPARSE_VAL_MAX_LEN = 4;
  private static final int SPARSE_ZERO_MAX_LEN = 64;
  private static final int SPARSE_XZERO_MAX_LEN = 16384;
  private static final double ALPHA_INF = 0.721347520444481703680;
  private static final long SEED = 0xadc83b19L;

  private byte[] buf;
  private int len;

  private HyperLogLog(byte[] buf, int len) {
    this.buf = buf;
    this.len = len;
  }

  /** A working copy of a stored value (already checked by {@link #isValid}). */
  public static HyperLogLog copyOf(byte[] value) {
    return new HyperLogLog(Arrays.copyOf(value, value.length), value.length);
  }

  /** Redis's createHLLObject: an empty sparse HLL, one XZERO covering every register. */
  public static HyperLogLog create() {
    int sparselen = HDR_SIZE + ((REGISTERS + (SPARSE_XZERO_MAX_LEN - 1)) / SPARSE_XZERO_MAX_LEN) * 2;
    byte[] s = new byte[sparselen];
    int p = HDR_SIZE;
    int aux = REGISTERS;
    while (aux > 0) {
      int xzero = Math.min(SPARSE_XZERO_MAX_LEN, aux);
      setXzero(s, p, xzero);
      p += 2;
      aux -= xzero;
    }
    s[0] = 'H';
    s[1] = 'Y';
    s[2] = 'L';
    s[3] = 'L';
    s[4] = SPARSE;
    return new HyperLogLog(s, sparselen);
  }

  /** The value to store: exactly the representation's bytes. */
  public byte[] bytes() {
    return buf.length == len ? buf : Arrays.copyOf(buf, len);
  }

  public int encoding() {
    return buf[4];
  }

  /** Redis's isHLLObjectOrReply: the magic, a known encoding, a dense one of its exact size. */
  public static boolean isValid(byte[] v) {
    if (v.length < HDR_SIZE) return false;
    if (v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L') return false;
    if ((v[4] & 0xFF) > MAX_ENCODING) return false;
    return v[4] != DENSE || v.length == DENSE_SIZE;
  }

  // ---- the cached cardinality ---------------------------------------------------------------------------

  public static boolean validCache(byte[] v) {
    return (v[15] & 0x80) == 0;
  }

  public static long cachedCardinality(byte[] v) {
    long card = 0;
    for (int i = 7; i >= 0; i--) card = (card << 8) | (v[8 + i] & 0xFF);
    return card;
  }

  public void invalidateCache() {
    buf[15] |= (byte) 0x80;
  }

  public void storeCardinality(long card) {
    for (int i = 0; i < 8; i++) buf[8 + i] = (byte) (card >>> (8 * i));
  }

  // ---- hashing ------------------------------------------------------------------------------------------

  /** MurmurHash2, 64-bit version, reading little endian as Redis's endian-neutral variant. */
  public static long murmurHash64A(byte[] key, int off, int len, long seed) {
    final long m = 0xc6a4a7935bd1e995L;
    final int r = 47;
    long h = seed ^ (len * m);
    int end = off + (len - (len & 7));
    int i = off;
    for (; i != end; i += 8) {
      long k = (key[i] & 0xFFL) | (key[i + 1] & 0xFFL) << 8 | (key[i + 2] & 0xFFL) << 16
          | (key[i + 3] & 0xFFL) << 24 | (key[i + 4] & 0xFFL) << 32 | (key[i + 5] & 0xFFL) << 40
          | (key[i + 6] & 0xFFL) << 48 | (key[i + 7] & 0xFFL) << 56;
      k *= m;
      k ^= k >>> r;
      k *= m;
      h ^= k;
      h *= m;
    }
    switch (len & 7) {
      case 7: h ^= (key[i + 6] & 0xFFL) << 48; // fall through
      case 6: h ^= (key[i + 5] & 0xFFL) << 40; // fall through
      case 5: h ^= (key[i + 4] & 0xFFL) << 32; // fall through
      case 4: h ^= (key[i + 3] & 0xFFL) << 24; // fall through
      case 3: h ^= (key[i + 2] & 0xFFL) << 16; // fall through
      case 2: h ^= (key[i + 1] & 0xFFL) << 8; // fall through
      case 1:
        h ^= key[i] & 0xFFL;
        h *= m;
        break;
      default:
        break;
    }
    h ^= h >>> r;
    h *= m;
    h ^= h >>> r;
    return h;
  }

  /** Redis's hllPatLen: the register of an element (high bits) and its run of zeros plus one (low 8 bits). */
  public static int patLen(byte[] ele) {
    long hash = murmurHash64A(ele, 0, ele.length, SEED);
    int index = (int) (hash & P_MASK);
    hash >>>= P;
    hash |= 1L << Q;
    int count = Long.numberOfTrailingZeros(hash) + 1;
    return index << 8 | count;
  }

  // ---- dense registers ----------------------------------------------------------------------------------

  /** The register {@code reg} of dense registers starting at {@code base}. */
  public static int denseGet(byte[] p, int base, int reg) {
    int bytePos = base + reg * BITS / 8;
    int fb = reg * BITS & 7;
    int b0 = p[bytePos] & 0xFF;
    int b1 = bytePos + 1 < p.length ? p[bytePos + 1] & 0xFF : 0;
    return ((b0 >> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
  }

  public static void denseSet(byte[] p, int base, int reg, int val) {
    int bytePos = base + reg * BITS / 8;
    int fb = reg * BITS & 7;
    int fb8 = 8 - fb;
    p[bytePos] = (byte) ((p[bytePos] & ~(REGISTER_MAX << fb)) | (val << fb));
    if (bytePos + 1 < p.length) {
      p[bytePos + 1] = (byte) ((p[bytePos + 1] & ~(REGISTER_MAX >> fb8)) | (val >> fb8));
    }
  }

  private boolean denseSetIfGreater(int index, int count) {
    if (count > denseGet(buf, HDR_SIZE, index)) {
      denseSet(buf, HDR_SIZE, index, count);
      return true;
    }
    return false;
  }

  // ---- sparse opcodes -----------------------------------------------------------------------------------

  private static boolean isZero(int op) {
    return (op & 0xc0) == 0;
  }

  private static boolean isXzero(int op) {
    return (op & 0xc0) == 0x40;
  }

  private static int zeroLen(int op) {
    return (op & 0x3f) + 1;
  }

  private static int xzeroLen(byte[] p, int at) {
    return (((p[at] & 0x3f) << 8) | (p[at + 1] & 0xFF)) + 1;
  }

  private static int valValue(int op) {
    return ((op >> 2) & 0x1f) + 1;
  }

  private static int valLen(int op) {
    return (op & 0x3) + 1;
  }

  private static byte val(int value, int len) {
    return (byte) (((value - 1) << 2 | (len - 1)) | 0x80);
  }

  private static void setXzero(byte[] p, int at, int len) {
    int l = len - 1;
    p[at] = (byte) ((l >> 8) | 0x40);
    p[at + 1] = (byte) (l & 0xff);
  }

  /**
   * Walks sparse opcodes from {@code from} to {@code end}, giving each run (first register, length, value) to
   * {@code run}; false when the runs do not cover exactly the 16384 registers (Redis's checks since
   * CVE-2025-32023).
   */
  private static boolean walkSparse(byte[] p, int from, int end, RunVisitor run) {
    int idx = 0;
    int at = from;
    while (at < end) {
      int op = p[at] & 0xFF;
      int runlen;
      int value = 0;
      int oplen = 1;
      if (isZero(op)) {
        runlen = zeroLen(op);
      } else if (isXzero(op)) {
        // A last XZERO cut short reads a zero as its second byte, as Redis reads the sds terminator.
        runlen = (((op & 0x3f) << 8) | (at + 1 < end ? p[at + 1] & 0xFF : 0)) + 1;
        oplen = 2;
      } else {
        runlen = valLen(op);
        value = valValue(op);
      }
      if (runlen + idx > REGISTERS) return false;
      if (run != null) run.run(idx, runlen, value);
      idx += runlen;
      at += oplen;
    }
    return idx == REGISTERS;
  }

  private interface RunVisitor {
    void run(int first, int length, int value);
  }

  /** Redis's hllSparseToDense (nothing for a dense one); false for a corrupted sparse representation. */
  public boolean toDense() {
    if (buf[4] == DENSE) return true;
    byte[] dense = new byte[DENSE_SIZE];
    System.arraycopy(buf, 0, dense, 0, HDR_SIZE); // the magic and the cached cardinality
    dense[4] = DENSE;
    boolean valid = walkSparse(buf, HDR_SIZE, len, (first, length, value) -> {
      if (value == 0) return;
      for (int i = 0; i < length; i++) denseSet(dense, HDR_SIZE, first + i, value);
    });
    if (!valid) return false;
    buf = dense;
    len = DENSE_SIZE;
    return true;
  }

  private void makeRoom(int extra) {
    if (buf.length - len >= extra) return;
    // As sds's greedy growth: twice what is needed, so a run of additions does not copy each time.
    buf = Arrays.copyOf(buf, Math.max(len + extra, Math.min(len * 2, len + 1024 * 1024)));
  }

  /**
   * Redis's hllSparseSet / hllDenseSet: raises register {@code index} to {@code count}; 1 if it changed, 0 if
   * not, -1 for a corrupted representation. A sparse one outgrowing {@code sparseMaxBytes} becomes dense.
   */
  public int set(int index, int count, long sparseMaxBytes) {
    if (buf[4] == DENSE) return denseSetIfGreater(index, count) ? 1 : 0;
    if (buf[4] != SPARSE) return -1;
    if (count > SPARSE_VAL_MAX_VALUE) return promote(index, count);
    makeRoom(3);
    buf[len] = 0; // Redis's sds terminator, which a last XZERO cut short reads as its second byte
    byte[] p = buf;
    int sparse = HDR_SIZE;
    int end = len;
    int at = sparse;
    int first = 0;
    int prev = -1;
    long span = 0;
    while (at < end) {
      int op = p[at] & 0xFF;
      int oplen = 1;
      if (isZero(op)) {
        span = zeroLen(op);
      } else if ((op & 0x80) != 0) {
        span = valLen(op);
      } else {
        span = xzeroLen(p, at);
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = at;
      at += oplen;
      first += span;
    }
    if (span == 0 || at >= end) return -1;
    int op = p[at] & 0xFF;
    int next = isXzero(op) ? at + 2 : at + 1;
    if (next >= end) next = -1;
    boolean isZero = false;
    boolean isXzero = false;
    boolean isVal = false;
    int runlen;
    if (isZero(op)) {
      isZero = true;
      runlen = zeroLen(op);
    } else if (isXzero(op)) {
      isXzero = true;
      runlen = xzeroLen(p, at);
    } else {
      isVal = true;
      runlen = valLen(op);
    }
    if (isVal) {
      int oldcount = valValue(op);
      if (oldcount >= count) return 0;
      if (runlen == 1) {
        p[at] = val(count, 1);
        return updated(prev, sparse);
      }
    }
    if (isZero && runlen == 1) {
      p[at] = val(count, 1);
      return updated(prev, sparse);
    }
    byte[] seq = new byte[5];
    int n = 0;
    int last = (int) (first + span - 1);
    if (isZero || isXzero) {
      if (index != first) {
        int l = index - first;
        if (l > SPARSE_ZERO_MAX_LEN) {
          setXzero(seq, n, l);
          n += 2;
        } else {
          seq[n++] = (byte) (l - 1);
        }
      }
      seq[n++] = val(count, 1);
      if (index != last) {
        int l = last - index;
        if (l > SPARSE_ZERO_MAX_LEN) {
          setXzero(seq, n, l);
          n += 2;
        } else {
          seq[n++] = (byte) (l - 1);
        }
      }
    } else {
      int curval = valValue(op);
      if (index != first) seq[n++] = val(curval, index - first);
      seq[n++] = val(count, 1);
      if (index != last) seq[n++] = val(curval, last - index);
    }
    int seqlen = n;
    int oldlen = isXzero ? 2 : 1;
    int deltalen = seqlen - oldlen;
    if (deltalen > 0 && len + deltalen > sparseMaxBytes) return promote(index, count);
    if (deltalen != 0 && next >= 0) System.arraycopy(p, next, p, next + deltalen, end - next);
    len += deltalen;
    System.arraycopy(seq, 0, p, at, seqlen);
    return updated(prev, sparse);
  }

  /** After a sparse change: merges adjacent VAL opcodes of the same value (up to 5 opcodes from prev). */
  private int updated(int prev, int sparse) {
    byte[] p = buf;
    int end = len;
    int at = prev >= 0 ? prev : sparse;
    int scanlen = 5;
    while (at < end && scanlen-- > 0) {
      int op = p[at] & 0xFF;
      if (isXzero(op)) {
        at += 2;
        continue;
      } else if (isZero(op)) {
        at++;
        continue;
      }
      if (at + 1 < end && (p[at + 1] & 0x80) != 0) {
        int v1 = valValue(op);
        int v2 = valValue(p[at + 1] & 0xFF);
        if (v1 == v2) {
          int l = valLen(op) + valLen(p[at + 1] & 0xFF);
          if (l <= SPARSE_VAL_MAX_LEN) {
            p[at + 1] = val(v1, l);
            System.arraycopy(p, at + 1, p, at, end - at - 1);
            len--;
            end--;
            continue;
          }
        }
      }
      at++;
    }
    invalidateCache();
    return 1;
  }

  private int promote(int index, int count) {
    if (!toDense()) return -1;
    denseSetIfGreater(index, count);
    return 1;
  }

  /** Redis's hllAdd: 1 if a register changed, 0 if not, -1 for a corrupted representation. */
  public int add(byte[] ele, long sparseMaxBytes) {
    int pat = patLen(ele);
    int index = pat >>> 8;
    int count = pat & 0xFF;
    if (buf[4] == DENSE) return denseSetIfGreater(index, count) ? 1 : 0;
    if (buf[4] == SPARSE) return set(index, count, sparseMaxBytes);
    return -1;
  }

  /**
   * Whether adding {@code elements[from..]} would raise a register of a stored dense value: when not, PFADD
   * changes nothing and need not copy the 12 KB.
   */
  public static boolean denseWouldChange(byte[] v, byte[][] elements, int from) {
    for (int j = from; j < elements.length; j++) {
      int pat = patLen(elements[j]);
      if ((pat & 0xFF) > denseGet(v, HDR_SIZE, pat >>> 8)) return true;
    }
    return false;
  }

  // ---- counting and merging -----------------------------------------------------------------------------

  /** Redis's hllCount over a stored value: the estimate, or -1 when a sparse representation is corrupted. */
  public static long count(byte[] v) {
    int[] histo = new int[64];
    if (v[4] == DENSE) {
      for (int j = 0; j < REGISTERS; j++) histo[denseGet(v, HDR_SIZE, j)]++;
    } else {
      boolean valid = walkSparse(v, HDR_SIZE, v.length, (first, length, value) -> histo[value] += length);
      if (!valid) return -1;
    }
    return estimate(histo);
  }

  /** The estimate of registers held one per byte (PFCOUNT of several keys, merged). */
  public static long countRaw(byte[] registers) {
    int[] histo = new int[64];
    for (int j = 0; j < REGISTERS; j++) histo[registers[j]]++;
    return estimate(histo);
  }

  /** Ertl's improved estimator, as Redis 7.0's hllCount computes it from the registers' histogram. */
  static long estimate(int[] reghisto) {
    double m = REGISTERS;
    double z = m * tau((m - reghisto[Q + 1]) / m);
    for (int j = Q; j >= 1; --j) {
      z += reghisto[j];
      z *= 0.5;
    }
    z += m * sigma(reghisto[0] / m);
    return Math.round(ALPHA_INF * m * m / z);
  }

  static double sigma(double x) {
    if (x == 1.) return Double.POSITIVE_INFINITY;
    double zPrime;
    double y = 1;
    double z = x;
    do {
      x *= x;
      zPrime = z;
      z += x * y;
      y += y;
    } while (zPrime != z);
    return z;
  }

  static double tau(double x) {
    if (x == 0. || x == 1.) return 0.;
    double zPrime;
    double y = 1.0;
    double z = 1 - x;
    do {
      x = Math.sqrt(x);
      zPrime = z;
      y *= 0.5;
      z -= (1 - x) * (1 - x) * y;
    } while (zPrime != z);
    return z / 3;
  }

  /** Redis's hllMerge: raises {@code max} (one register per byte) to a stored value's registers; false if corrupted. */
  public static boolean merge(byte[] max, byte[] v) {
    if (v[4] == DENSE) {
      for (int i = 0; i < REGISTERS; i++) {
        int val = denseGet(v, HDR_SIZE, i);
        if (val > max[i]) max[i] = (byte) val;
      }
      return true;
    }
    return walkSparse(v, HDR_SIZE, v.length, (first, length, value) -> {
      for (int i = first; i < first + length; i++) if (value > max[i]) max[i] = (byte) value;
    });
  }

  // ---- PFDEBUG ------------------------------------------------------------------------------------------

  /** The registers of a dense working copy. */
  public int[] registers() {
    int[] out = new int[REGISTERS];
    for (int j = 0; j < REGISTERS; j++) out[j] = denseGet(buf, HDR_SIZE, j);
    return out;
  }

  /** PFDEBUG DECODE's text of a sparse value: "z:len", "Z:len", "v:value,len" separated by spaces. */
  public static String decode(byte[] v) {
    StringBuilder out = new StringBuilder();
    int at = HDR_SIZE;
    while (at < v.length) {
      int op = v[at] & 0xFF;
      if (isZero(op)) {
        out.append("z:").append(zeroLen(op)).append(' ');
        at++;
      } else if (isXzero(op)) {
        int l = at + 1 < v.length ? xzeroLen(v, at) : ((op & 0x3f) << 8) + 1;
        out.append("Z:").append(l).append(' ');
        at += 2;
      } else {
        out.append("v:").append(valValue(op)).append(',').append(valLen(op)).append(' ');
        at++;
      }
    }
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == ' ') end--;
    return out.substring(0, end);
  }
}
