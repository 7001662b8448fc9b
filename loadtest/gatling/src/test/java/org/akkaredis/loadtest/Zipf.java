package org.akkaredis.loadtest;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Zipf-distributed ranks 0..n-1: rank k is drawn with probability proportional to 1/(k+1)^s, so a few keys
 * are hot and most are cold, as in a real cache. The cumulative distribution is computed once (n doubles);
 * each draw is a binary search.
 */
public final class Zipf {
  private final double[] cumulative;

  public Zipf(int n, double exponent) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, was " + n);
    }
    cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, exponent);
      cumulative[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cumulative[k] /= sum;
    }
  }

  /** A rank for the uniform draw u in [0, 1). */
  public int rankOf(double u) {
    int found = Arrays.binarySearch(cumulative, u);
    int rank = found >= 0 ? found + 1 : -found - 1;
    return Math.min(rank, cumulative.length - 1);
  }

  public int next(RandomGenerator random) {
    return rankOf(random.nextDouble());
  }

  /** The probability of a rank, for checks. */
  public double probabilityOf(int rank) {
    return rank == 0 ? cumulative[0] : cumulative[rank] - cumulative[rank - 1];
  }
}
