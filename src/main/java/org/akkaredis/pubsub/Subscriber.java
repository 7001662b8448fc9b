package org.akkaredis.pubsub;

import akka.util.ByteString;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * One client's subscriptions (Redis's c->pubsub_channels and c->pubsub_patterns) and where its messages go. Its
 * sets change only under the registry's lock; the counts are read without it (CLIENT LIST).
 */
public final class Subscriber {
  /** Where a subscriber's messages go: its connection's push channel, which never blocks. */
  public interface Outbox {
    void push(ByteString frame);
  }

  final PubSub registry;
  final IntSupplier protocol;
  final Outbox outbox;
  /** In subscription order, as UNSUBSCRIBE without arguments answers them. */
  final Set<ChannelName> channels = new LinkedHashSet<>();
  final Set<ChannelName> patterns = new LinkedHashSet<>();
  /** Shard channels (Redis's c->pubsubshard_channels), in subscription order. */
  final Set<ChannelName> shardChannels = new LinkedHashSet<>();
  private volatile int channelCount;
  private volatile int patternCount;
  private volatile int shardChannelCount;

  Subscriber(PubSub registry, IntSupplier protocol, Outbox outbox) {
    this.registry = registry;
    this.protocol = protocol;
    this.outbox = outbox;
  }

  /** CLIENT LIST's sub. */
  public int channelCount() {
    return channelCount;
  }

  /** CLIENT LIST's psub. */
  public int patternCount() {
    return patternCount;
  }

  /** CLIENT LIST's ssub, and what SSUBSCRIBE's and SUNSUBSCRIBE's replies count (Redis's clientShardSubscriptionsCount). */
  public int shardChannelCount() {
    return shardChannelCount;
  }

  /** Redis's clientSubscriptionsCount: what (P)SUBSCRIBE's and (P)UNSUBSCRIBE's replies count. */
  public int subscriptions() {
    return channelCount + patternCount;
  }

  /** Redis's CLIENT_PUBSUB flag: the client holds at least one subscription, of any kind. */
  public boolean subscribed() {
    return subscriptions() + shardChannelCount > 0;
  }

  /** Every subscription of the client ends (RESET, the connection closed). */
  public void leave() {
    registry.leave(this);
  }

  /** Called under the registry's lock after each change. */
  void recount() {
    channelCount = channels.size();
    patternCount = patterns.size();
    shardChannelCount = shardChannels.size();
  }
}
