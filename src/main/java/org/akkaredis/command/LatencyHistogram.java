package org.akkaredis.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.akkaredis.resp.Reply;

/**
 * One command's run times for LATENCY HISTOGRAM, in the buckets Redis reports (its hdr_histogram read with a
 * logarithmic iterator from 1024 ns, base 2): bucket k counts runs up to 1024 * 2^k ns. Lock-free, since many
 * connections run the same command at once.
 */
public final class LatencyHistogram {
  static final int BUCKETS = 40;
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  public void record(long nanos) {
    int bucket = 0;
    long bound = 1024;
    while (nanos > bound && bucket < BUCKETS - 1) {
      bound <<= 1;
      bucket++;
    }
    counts.incrementAndGet(bucket);
  }

  public long total() {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) total += counts.get(i);
    return total;
  }

  /**
   * Redis's fillCommandCDF: {calls N histogram_usec {bucket-us cumulative-count ...}}, a bucket listed only when
   * the cumulative count grew there.
   */
  Reply reply() {
    List<Reply> buckets = new ArrayList<>();
    long cumulative = 0;
    for (int k = 0; k < BUCKETS; k++) {
      long count = counts.get(k);
      if (count == 0) continue;
      cumulative += count;
      buckets.add(Reply.integer((1024L << k) / 1000));
      buckets.add(Reply.integer(cumulative));
    }
    return Reply.map(List.of(Reply.bulk("calls"), Reply.integer(cumulative), Reply.bulk("histogram_usec"),
        Reply.map(buckets)));
  }
}
