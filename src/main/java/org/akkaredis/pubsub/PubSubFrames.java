package org.akkaredis.pubsub;

import akka.util.ByteString;
import akka.util.ByteStringBuilder;
import java.nio.charset.StandardCharsets;

/**
 * The messages a subscriber receives, as Redis writes them: {@code message channel payload} and
 * {@code pmessage pattern channel payload}, {@code smessage channel payload}, an array in RESP2 and a push ({@code >}) in RESP3.
 */
final class PubSubFrames {
  private PubSubFrames() {}

  private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PMESSAGE = "pmessage".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SMESSAGE = "smessage".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SUNSUBSCRIBE = "sunsubscribe".getBytes(StandardCharsets.US_ASCII);

  static ByteString message(int protocol, byte[] channel, byte[] payload) {
    return frame(protocol, MESSAGE, channel, payload);
  }

  static ByteString smessage(int protocol, byte[] channel, byte[] payload) {
    return frame(protocol, SMESSAGE, channel, payload);
  }

  /** The unsubscription a client gets when its shard channel's slot leaves the node's shard. */
  static ByteString sunsubscribed(int protocol, byte[] channel, int count) {
    ByteStringBuilder out = new ByteStringBuilder();
    header(out, protocol >= 3 ? '>' : '*', 3);
    bulk(out, SUNSUBSCRIBE);
    bulk(out, channel);
    header(out, ':', count);
    return out.result();
  }

  static ByteString pmessage(int protocol, byte[] pattern, byte[] channel, byte[] payload) {
    return frame(protocol, PMESSAGE, pattern, channel, payload);
  }

  /** An array (RESP2) or a push (RESP3) of bulk strings. */
  private static ByteString frame(int protocol, byte[]... items) {
    ByteStringBuilder out = new ByteStringBuilder();
    header(out, protocol >= 3 ? '>' : '*', items.length);
    for (byte[] item : items) bulk(out, item);
    return out.result();
  }

  private static void header(ByteStringBuilder out, char type, int count) {
    out.putByte((byte) type);
    out.putBytes(Integer.toString(count).getBytes(StandardCharsets.US_ASCII));
    out.putByte((byte) '\r').putByte((byte) '\n');
  }

  private static void bulk(ByteStringBuilder out, byte[] bytes) {
    header(out, '$', bytes.length);
    out.putBytes(bytes);
    out.putByte((byte) '\r').putByte((byte) '\n');
  }
}
