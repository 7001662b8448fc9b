package org.akkaredis.pubsub;

import akka.util.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import org.akkaredis.config.RedisGlob;

/**
 * The node's channel and pattern subscriptions (Redis's server.pubsub_channels and server.pubsub_patterns), and
 * PUBLISH's fan-out to them.
 *
 * <p>A plain object behind one lock, called directly by whichever thread publishes: a client's connection (PUBLISH),
 * the cluster bus (a PUBLISH on another node) and, through {@link #publish(byte[], byte[])}, a slot range's thread
 * (keyspace notifications). PUBLISH needs its receiver count at once, and one lock around the fan-out gives every
 * subscriber the messages in one order, as Redis's single thread does. Delivery never blocks: each subscriber's
 * {@link Subscriber.Outbox} is its connection's bounded push channel, which closes a client that cannot keep up
 * (client-output-buffer-limit pubsub) instead of holding the publisher.
 */
public final class PubSub {
  private static final Subscriber[] NONE = new Subscriber[0];

  /** Channel → its subscribers in subscription order (copied on change: delivery iterates a stable array). */
  private final Map<ChannelName, Subscriber[]> channels = new LinkedHashMap<>();
  /** Pattern → its subscribers, patterns in the order they were first subscribed. */
  private final Map<ChannelName, Subscriber[]> patterns = new LinkedHashMap<>();
  /** Shard channel → its subscribers (Redis's server.pubsubshard_channels). */
  private final Map<ChannelName, Subscriber[]> shardChannels = new LinkedHashMap<>();
  /**
   * Slot → its shard channels with a subscriber (Redis 7.0's slot-to-shard-channel index): what a slot that stops
   * being served here takes with it ({@link #dropSlots}).
   */
  private final Map<Integer, Set<ChannelName>> shardChannelsBySlot = new HashMap<>();

  /** A new client's subscriptions, empty; its messages are framed in {@code protocol}'s RESP version at delivery. */
  public Subscriber subscriber(IntSupplier protocol, Subscriber.Outbox outbox) {
    return new Subscriber(this, protocol, outbox);
  }

  /** SUBSCRIBE of one channel: the client's subscription count after it. */
  public synchronized int subscribe(Subscriber s, byte[] channel) {
    ChannelName name = new ChannelName(channel);
    if (s.channels.add(name)) channels.merge(name, new Subscriber[] {s}, PubSub::joined);
    s.recount();
    return s.subscriptions();
  }

  /** UNSUBSCRIBE of one channel: the client's subscription count after it. */
  public synchronized int unsubscribe(Subscriber s, byte[] channel) {
    ChannelName name = new ChannelName(channel);
    if (s.channels.remove(name)) remove(channels, name, s);
    s.recount();
    return s.subscriptions();
  }

  public synchronized int psubscribe(Subscriber s, byte[] pattern) {
    ChannelName name = new ChannelName(pattern);
    if (s.patterns.add(name)) patterns.merge(name, new Subscriber[] {s}, PubSub::joined);
    s.recount();
    return s.subscriptions();
  }

  public synchronized int punsubscribe(Subscriber s, byte[] pattern) {
    ChannelName name = new ChannelName(pattern);
    if (s.patterns.remove(name)) remove(patterns, name, s);
    s.recount();
    return s.subscriptions();
  }

  /** SSUBSCRIBE of one shard channel, of {@code slot}: the client's shard channel count after it. */
  public synchronized int ssubscribe(Subscriber s, byte[] channel, int slot) {
    ChannelName name = new ChannelName(channel);
    if (s.shardChannels.add(name)) {
      if (!shardChannels.containsKey(name)) shardChannelsBySlot.computeIfAbsent(slot, n -> new LinkedHashSet<>()).add(name);
      shardChannels.merge(name, new Subscriber[] {s}, PubSub::joined);
    }
    s.recount();
    return s.shardChannelCount();
  }

  /** SUNSUBSCRIBE of one shard channel, of {@code slot}: the client's shard channel count after it. */
  public synchronized int sunsubscribe(Subscriber s, byte[] channel, int slot) {
    ChannelName name = new ChannelName(channel);
    if (s.shardChannels.remove(name)) removeShard(name, s, slot);
    s.recount();
    return s.shardChannelCount();
  }

  /** The client's shard channels, in subscription order (SUNSUBSCRIBE without arguments). */
  public synchronized List<byte[]> shardChannelsOf(Subscriber s) {
    return s.shardChannels.stream().map(name -> name.bytes).toList();
  }

  /**
   * SPUBLISH's delivery on this node, the local one and one from another node of the shard alike: to the shard
   * channel's subscribers only (no pattern matches a shard channel). What {@code publisher} (may be null) would get
   * is returned, as {@link #publish(byte[], byte[], Subscriber)} does.
   */
  public synchronized Published spublish(byte[] channel, byte[] message, Subscriber publisher) {
    List<byte[]> toPublisher = new ArrayList<>(0);
    int receivers = deliver(shardChannels.getOrDefault(new ChannelName(channel), NONE), publisher, null, toPublisher,
        resp -> PubSubFrames.smessage(resp, channel, message));
    return new Published(receivers, toPublisher);
  }

  /**
   * The slots no longer served by this node's shard (Redis 7.0's removeChannelsInSlot): each subscriber of a shard
   * channel of theirs gets {@code sunsubscribe channel count}, as if it had unsubscribed, and the channels are gone.
   * Answers how many channels went.
   */
  public synchronized int dropSlots(java.util.function.IntPredicate slotDropped) {
    int dropped = 0;
    List<Integer> slots = shardChannelsBySlot.keySet().stream().filter(slotDropped::test).sorted().toList();
    for (int slot : slots) {
      // In the channels' byte order, as Redis 7.0 walks its slot-to-channels radix tree.
      List<ChannelName> names = shardChannelsBySlot.remove(slot).stream()
          .sorted((a, b) -> Arrays.compareUnsigned(a.bytes, b.bytes)).toList();
      for (ChannelName name : names) {
        dropped++;
        for (Subscriber s : shardChannels.remove(name)) {
          s.shardChannels.remove(name);
          s.recount();
          s.outbox.push(PubSubFrames.sunsubscribed(s.protocol.getAsInt(), name.bytes, s.shardChannelCount()));
        }
      }
    }
    return dropped;
  }

  /** PUBSUB SHARDCHANNELS [pattern]: the shard channels with at least one subscriber (matching the pattern). */
  public synchronized List<byte[]> shardChannels(byte[] pattern) {
    List<byte[]> names = new ArrayList<>();
    for (ChannelName name : shardChannels.keySet()) {
      if (pattern == null || RedisGlob.matches(pattern, name.bytes, false)) names.add(name.bytes);
    }
    return names;
  }

  /** PUBSUB SHARDNUMSUB: the shard channel's subscribers. */
  public synchronized int shardSubscribers(byte[] channel) {
    return shardChannels.getOrDefault(new ChannelName(channel), NONE).length;
  }

  /** INFO's pubsubshard_channels. */
  public synchronized int shardChannelCount() {
    return shardChannels.size();
  }

  /** The client's channels, in subscription order (UNSUBSCRIBE without arguments). */
  public synchronized List<byte[]> channelsOf(Subscriber s) {
    return s.channels.stream().map(name -> name.bytes).toList();
  }

  public synchronized List<byte[]> patternsOf(Subscriber s) {
    return s.patterns.stream().map(name -> name.bytes).toList();
  }

  /** RESET, or the connection closed: every subscription of the client ends, without a reply. */
  public synchronized void leave(Subscriber s) {
    for (ChannelName name : s.channels) remove(channels, name, s);
    for (ChannelName name : s.patterns) remove(patterns, name, s);
    for (ChannelName name : s.shardChannels) removeShard(name, s, -1);
    s.channels.clear();
    s.patterns.clear();
    s.shardChannels.clear();
    s.recount();
  }

  /**
   * The sink of messages published on this node only: PUBLISH's local fan-out, the cluster bus's PUBLISH from another
   * node, and keyspace notifications (which Redis does not send over the bus). Callable from any thread; never
   * blocks. Answers how many clients received it (a client subscribed by a channel and by a matching pattern counts
   * twice, as in Redis).
   */
  public int publish(byte[] channel, byte[] message) {
    return publish(channel, message, null).receivers();
  }

  /**
   * What one PUBLISH did: the receivers, and what the publishing client itself is to receive ahead of its reply
   * (a RESP3 client may publish to its own channel): null for the channel, else the matching pattern, in order.
   */
  public record Published(int receivers, List<byte[]> toPublisher) {}

  /**
   * Publishes, except that what {@code publisher} (may be null) would get is returned rather than pushed: Redis writes
   * it to the publisher's output before PUBLISH's reply.
   */
  public synchronized Published publish(byte[] channel, byte[] message, Subscriber publisher) {
    List<byte[]> toPublisher = new ArrayList<>(0);
    int receivers = deliver(channels.getOrDefault(new ChannelName(channel), NONE), publisher, null, toPublisher,
        resp -> PubSubFrames.message(resp, channel, message));
    for (Map.Entry<ChannelName, Subscriber[]> entry : patterns.entrySet()) {
      byte[] pattern = entry.getKey().bytes;
      if (!RedisGlob.matches(pattern, channel, false)) continue;
      receivers += deliver(entry.getValue(), publisher, pattern, toPublisher,
          resp -> PubSubFrames.pmessage(resp, pattern, channel, message));
    }
    return new Published(receivers, toPublisher);
  }

  /**
   * Pushes each subscriber its protocol's frame, made once per protocol; the publisher itself is not pushed to, its
   * share ({@code pattern}, null for the channel) is added to {@code toPublisher}. Answers how many received it.
   */
  private static int deliver(Subscriber[] subscribers, Subscriber publisher, byte[] pattern, List<byte[]> toPublisher,
      IntFunction<ByteString> frame) {
    ByteString[] frames = new ByteString[2];
    for (Subscriber s : subscribers) {
      if (s == publisher) {
        toPublisher.add(pattern);
        continue;
      }
      int resp = s.protocol.getAsInt() >= 3 ? 3 : 2;
      if (frames[resp - 2] == null) frames[resp - 2] = frame.apply(resp);
      s.outbox.push(frames[resp - 2]);
    }
    return subscribers.length;
  }

  /** PUBSUB CHANNELS [pattern]: the channels with at least one subscriber (matching the pattern). */
  public synchronized List<byte[]> channels(byte[] pattern) {
    List<byte[]> names = new ArrayList<>();
    for (ChannelName name : channels.keySet()) {
      if (pattern == null || RedisGlob.matches(pattern, name.bytes, false)) names.add(name.bytes);
    }
    return names;
  }

  /** PUBSUB NUMSUB: the channel's subscribers. */
  public synchronized int subscribers(byte[] channel) {
    Subscriber[] subscribers = channels.get(new ChannelName(channel));
    return subscribers == null ? 0 : subscribers.length;
  }

  /** PUBSUB NUMPAT and INFO's pubsub_patterns: the distinct patterns subscribed. */
  public synchronized int patternCount() {
    return patterns.size();
  }

  /** INFO's pubsub_channels: the channels with at least one subscriber. */
  public synchronized int channelCount() {
    return channels.size();
  }

  private static Subscriber[] joined(Subscriber[] present, Subscriber[] added) {
    Subscriber[] all = Arrays.copyOf(present, present.length + added.length);
    System.arraycopy(added, 0, all, present.length, added.length);
    return all;
  }

  /** Takes {@code s} off a shard channel; the last subscriber takes the channel out of its slot's set. */
  private void removeShard(ChannelName name, Subscriber s, int slot) {
    remove(shardChannels, name, s);
    if (shardChannels.containsKey(name)) return;
    if (slot >= 0) {
      Set<ChannelName> names = shardChannelsBySlot.get(slot);
      if (names != null && names.remove(name) && names.isEmpty()) shardChannelsBySlot.remove(slot);
      return;
    }
    shardChannelsBySlot.values().removeIf(names -> names.remove(name) && names.isEmpty());
  }

  private static void remove(Map<ChannelName, Subscriber[]> table, ChannelName name, Subscriber s) {
    Subscriber[] present = table.getOrDefault(name, NONE);
    Subscriber[] left = Arrays.stream(present).filter(other -> other != s).toArray(Subscriber[]::new);
    if (left.length == 0) table.remove(name);
    else table.put(name, left);
  }
}
