package org.akkaredis.persistence;

/**
 * LZF compression as Redis's lzf_c.c (liblzf 3.6 with Redis's lzfP.h: HLOG 16, VERY_FAST, not ULTRA_FAST) does it,
 * so that a compressed string comes out byte for byte as redis-server writes it. The hash table starts empty
 * (Redis's lives uninitialised on the stack; a stale slot there only finds a match that the checks accept anyway).
 */
final class Lzf {
  private static final int HLOG = 16;
  private static final int HSIZE = 1 << HLOG;
  private static final int MAX_LIT = 1 << 5;
  private static final int MAX_OFF = 1 << 13;
  private static final int MAX_REF = (1 << 8) + (1 << 3);

  private Lzf() {}

  /**
   * lzf_compress of {@code in} into at most {@code outLen} bytes: the compressed bytes, or null when they do not fit
   * (lzf_compress's 0).
   */
  static byte[] compress(byte[] in, int outLen) {
    int inLen = in.length;
    if (inLen == 0 || outLen <= 0) return null;
    // Slots hold position + 1, so 0 is an empty slot (never a match: a reference must be after the first byte).
    int[] htab = new int[HSIZE];
    byte[] out = new byte[outLen + 4];
    int ip = 0;
    int op = 0;
    int inEnd = inLen;
    int outEnd = outLen;
    int lit = 0;
    op++; // start run
    int hval = first(in, ip);
    while (ip < inEnd - 2) {
      hval = next(hval, in, ip);
      int slot = index(hval);
      int ref = htab[slot] - 1;
      htab[slot] = ip + 1;
      int off;
      if (ref > 0 && ref < ip && (off = ip - ref - 1) < MAX_OFF && in[ref + 2] == in[ip + 2]
          && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
        int len = 2;
        int maxlen = inEnd - ip - len;
        maxlen = Math.min(maxlen, MAX_REF);
        if (op + 3 + 1 >= outEnd && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd) return null;
        out[op - lit - 1] = (byte) (lit - 1); // stop run
        op -= lit == 0 ? 1 : 0; // undo run if length is zero
        matched:
        {
          if (maxlen > 16) {
            for (int k = 0; k < 16; k++) {
              len++;
              if (in[ref + len] != in[ip + len]) break matched;
            }
          }
          do {
            len++;
          } while (len < maxlen && in[ref + len] == in[ip + len]);
        }
        len -= 2; // len is now #octets - 1
        ip++;
        if (len < 7) {
          out[op++] = (byte) ((off >>> 8) + (len << 5));
        } else {
          out[op++] = (byte) ((off >>> 8) + (7 << 5));
          out[op++] = (byte) (len - 7);
        }
        out[op++] = (byte) off;
        lit = 0;
        op++; // start run
        ip += len + 1;
        if (ip >= inEnd - 2) break;
        // VERY_FAST: hash the last two positions of the match.
        ip -= 2;
        hval = first(in, ip);
        hval = next(hval, in, ip);
        htab[index(hval)] = ip + 1;
        ip++;
        hval = next(hval, in, ip);
        htab[index(hval)] = ip + 1;
        ip++;
      } else {
        if (op >= outEnd) return null;
        lit++;
        out[op++] = in[ip++];
        if (lit == MAX_LIT) {
          out[op - lit - 1] = (byte) (lit - 1); // stop run
          lit = 0;
          op++; // start run
        }
      }
    }
    if (op + 3 > outEnd) return null; // at most 3 bytes can be missing here
    while (ip < inEnd) {
      lit++;
      out[op++] = in[ip++];
      if (lit == MAX_LIT) {
        out[op - lit - 1] = (byte) (lit - 1);
        lit = 0;
        op++;
      }
    }
    out[op - lit - 1] = (byte) (lit - 1); // end run
    op -= lit == 0 ? 1 : 0;
    byte[] result = new byte[op];
    System.arraycopy(out, 0, result, 0, op);
    return result;
  }

  private static int first(byte[] in, int p) {
    return ((in[p] & 0xFF) << 8) | (in[p + 1] & 0xFF);
  }

  private static int next(int v, byte[] in, int p) {
    return (v << 8) | (in[p + 2] & 0xFF);
  }

  /** IDX for VERY_FAST on a 32-bit unsigned hval. */
  private static int index(int h) {
    return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
  }
}
