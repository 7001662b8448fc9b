package org.akkaredis.replication;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Cuts the history's batches into the stream payloads one replica gets: consecutive batches share a payload up
 * to a size limit, a batch bigger than the limit goes in fragments (the replica's decoder joins them again),
 * and the batches of ranges the replica does not follow yet are left out.
 */
final class StreamPayloads {
  /** Bigger messages would exceed Artery's frame (256 KiB) or hold the bus's stream for long. */
  static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  private StreamPayloads() {}

  /** The payloads of the {@code batches} whose range {@code streamed} accepts, each at most {@code maxBytes}. */
  static List<Payload.Stream> of(List<ReplicationLog.Batch> batches, IntPredicate streamed, int maxBytes) {
    List<Payload.Stream> payloads = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long end = -1;
    for (ReplicationLog.Batch batch : batches) {
      if (!streamed.test(batch.range())) continue;
      if (bytes.size() > 0 && bytes.size() + batch.bytes().length > maxBytes) {
        payloads.add(new Payload.Stream(end, bytes.toByteArray()));
        bytes.reset();
      }
      if (batch.bytes().length > maxBytes) {
        long at = batch.start();
        for (int from = 0; from < batch.bytes().length; from += maxBytes) {
          byte[] fragment = Arrays.copyOfRange(batch.bytes(), from, Math.min(batch.bytes().length, from + maxBytes));
          at += fragment.length;
          payloads.add(new Payload.Stream(at, fragment));
        }
        continue;
      }
      bytes.writeBytes(batch.bytes());
      end = batch.end();
    }
    if (bytes.size() > 0) payloads.add(new Payload.Stream(end, bytes.toByteArray()));
    return payloads;
  }
}
