package org.akkaredis.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.keyspace.HeldKeyspace;
import org.akkaredis.keyspace.SlotRouting;
import org.akkaredis.keyspace.Slots;
import org.akkaredis.pubsub.PubSub;
import org.akkaredis.pubsub.Subscriber;
import org.akkaredis.resp.Reply;

/**
 * Pub/Sub as Redis 7.0: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, (S)PUBLISH and PUBSUB over the node's registry
 * ({@link NodeContext#pubsub()}). Subscriptions are the connection's; messages reach it through its push channel.
 */
public final class PubSubCommands {
  private PubSubCommands() {}

  public static void register(CommandTable.Builder b) {
    b.handle("subscribe", (Handler.OfNode) (ctx, session, args) -> done(subscribe(ctx.pubsub(), session, args, false)));
    b.handle("psubscribe", (Handler.OfNode) (ctx, session, args) -> done(subscribe(ctx.pubsub(), session, args, true)));
    b.handle("unsubscribe",
        (Handler.OfNode) (ctx, session, args) -> done(unsubscribe(ctx.pubsub(), session, args, false)));
    b.handle("punsubscribe",
        (Handler.OfNode) (ctx, session, args) -> done(unsubscribe(ctx.pubsub(), session, args, true)));
    b.handle("publish", (Handler.OfNode) (ctx, session, args) -> done(publish(ctx, session, args)));
    b.handle("pubsub|channels", (Handler.OfNode) (ctx, session, args) -> done(args.length > 3
        ? subcommandSyntaxError(args)
        : Reply.array(bulks(ctx.pubsub().channels(args.length > 2 ? args[2] : null)))));
    b.handle("pubsub|numsub", (Handler.OfNode) (ctx, session, args) -> done(numsub(ctx.pubsub(), args)));
    b.handle("pubsub|numpat", (Handler.OfNode) (ctx, session, args) ->
        done(Reply.integer(ctx.pubsub().patternCount())));
    b.handle("ssubscribe", (Handler.OfNode) (ctx, session, args) -> done(ssubscribe(ctx, session, args)));
    b.handle("sunsubscribe", (Handler.OfNode) (ctx, session, args) -> done(sunsubscribe(ctx, session, args)));
    b.handle("spublish", (Handler.OfNode) (ctx, session, args) -> done(spublish(ctx, session, args)));
    b.handle("pubsub|shardchannels", (Handler.OfNode) (ctx, session, args) -> done(args.length > 3
        ? subcommandSyntaxError(args)
        : Reply.array(bulks(ctx.pubsub().shardChannels(args.length > 2 ? args[2] : null)))));
    b.handle("pubsub|shardnumsub", (Handler.OfNode) (ctx, session, args) -> {
      List<Reply> items = new ArrayList<>();
      for (int i = 2; i < args.length; i++) {
        items.add(Reply.bulk(args[i]));
        items.add(Reply.integer(ctx.pubsub().shardSubscribers(args[i])));
      }
      return done(Reply.array(items));
    });
    b.handle("pubsub|help", (Handler.OfNode) (ctx, session, args) -> done(ConnectionCommands.help(HELP)));
  }

  /** What a RESP2 client may run while it holds a subscription (Redis's processCommand). */
  private static final Set<String> ALLOWED_WHILE_SUBSCRIBED = Set.of("ping", "subscribe", "ssubscribe",
      "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

  /**
   * The refusal of a command a RESP2 subscriber may not run, or null: a RESP2 connection in subscribed mode reads
   * only pub/sub frames. RESP3 separates pushes from replies, so there any command runs.
   */
  static Reply subscribedRefusal(Session session, CommandSpec spec) {
    if (session.protocol != 2 || !session.subscribed() || ALLOWED_WHILE_SUBSCRIBED.contains(spec.name())) return null;
    return Reply.error("ERR Can't execute '" + spec.name() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT"
        + " / RESET are allowed in this context");
  }

  static Reply subscribe(PubSub registry, Session session, byte[][] args, boolean patterns) {
    Subscriber subscriber = session.subscriber(registry);
    holdMessages(session);
    List<Reply> replies = new ArrayList<>(args.length - 1);
    for (int i = 1; i < args.length; i++) {
      int count = patterns ? registry.psubscribe(subscriber, args[i]) : registry.subscribe(subscriber, args[i]);
      replies.add(confirmation(patterns ? "psubscribe" : "subscribe", args[i], count));
    }
    return new Reply.Sequence(replies);
  }

  /**
   * (P)UNSUBSCRIBE: one reply per channel named, or without names one per channel held (in subscription order;
   * Redis's follows its dict), or when none is held one with a null channel.
   */
  static Reply unsubscribe(PubSub registry, Session session, byte[][] args, boolean patterns) {
    String kind = patterns ? "punsubscribe" : "unsubscribe";
    Subscriber subscriber = session.subscriber(registry);
    holdMessages(session);
    List<byte[]> names = new ArrayList<>();
    for (int i = 1; i < args.length; i++) names.add(args[i]);
    if (args.length == 1) names.addAll(patterns ? registry.patternsOf(subscriber) : registry.channelsOf(subscriber));
    if (names.isEmpty()) return confirmation(kind, null, subscriber.subscriptions());
    List<Reply> replies = new ArrayList<>(names.size());
    for (byte[] name : names) {
      int count = patterns ? registry.punsubscribe(subscriber, name) : registry.unsubscribe(subscriber, name);
      replies.add(confirmation(kind, name, count));
    }
    return new Reply.Sequence(replies);
  }

  /**
   * PUBLISH: delivered to this node's subscribers, and in cluster mode sent to every other node (whose subscribers'
   * count is not known here: the reply counts this node's, as Redis's does). A RESP3 client subscribed to the
   * channel gets its own message before the reply, as in Redis.
   */
  static Reply publish(NodeContext ctx, Session session, byte[][] args) {
    Subscriber self = session.subscriptions();
    PubSub.Published published = ctx.pubsub().publish(args[1], args[2], self);
    if (ctx.settings().clusterEnabled()) ctx.clusterBus().publish(args[1], args[2]);
    Reply reply = Reply.integer(published.receivers());
    List<byte[]> own = published.toPublisher();
    for (int i = own.size() - 1; i >= 0; i--) {
      byte[] pattern = own.get(i);
      Reply.Push message = pattern == null
          ? new Reply.Push(List.of(Reply.bulk("message"), Reply.bulk(args[1]), Reply.bulk(args[2])))
          : new Reply.Push(List.of(Reply.bulk("pmessage"), Reply.bulk(pattern), Reply.bulk(args[1]),
              Reply.bulk(args[2])));
      reply = new Reply.AfterPush(message, reply);
    }
    return reply;
  }

  /**
   * Where a shard command's channels go in cluster mode (Redis's getNodeByQuery, channels taken as keys): null when
   * this node serves their slot, else the redirection or refusal. Without cluster mode every channel is served.
   */
  static Reply shardRouting(NodeContext ctx, byte[][] args, int first, int last) {
    SlotRouting routing = ctx.keyspace().routing();
    if (!routing.clusterEnabled() || last < first) return null;
    int slot = Slots.slotOf(args[first]);
    String refusal = routing.shardRefusal(slot, ctx.settings().clusterAllowPubsubshardWhenDown());
    // As getNodeByQuery: the first channel's slot unserved is answered before the others are looked at.
    if (refusal != null && refusal.startsWith("CLUSTERDOWN Hash")) return Reply.error(refusal);
    for (int i = first + 1; i <= last; i++) {
      if (Slots.slotOf(args[i]) != slot) return CommandRunner.CROSSSLOT;
    }
    return refusal == null ? null : Reply.error(refusal);
  }

  private static final Reply SSUBSCRIBE_DENIED =
      Reply.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");

  /** SSUBSCRIBE: the channels must be of one slot this node's shard serves; counts are of shard channels only. */
  static Reply ssubscribe(NodeContext ctx, Session session, byte[][] args) {
    // Redis 7.0 refuses it to a client that expects one reply per command (inside EXEC), unlike SUBSCRIBE.
    if (ctx.keyspace() instanceof HeldKeyspace) return SSUBSCRIBE_DENIED;
    Reply refused = shardRouting(ctx, args, 1, args.length - 1);
    if (refused != null) return refused;
    PubSub registry = ctx.pubsub();
    Subscriber subscriber = session.subscriber(registry);
    holdMessages(session);
    List<Reply> replies = new ArrayList<>(args.length - 1);
    for (int i = 1; i < args.length; i++) {
      int count = registry.ssubscribe(subscriber, args[i], Slots.slotOf(args[i]));
      replies.add(confirmation("ssubscribe", args[i], count));
    }
    return new Reply.Sequence(replies);
  }

  /** SUNSUBSCRIBE: routed as SSUBSCRIBE when it names channels; without names, every shard channel held. */
  static Reply sunsubscribe(NodeContext ctx, Session session, byte[][] args) {
    Reply refused = shardRouting(ctx, args, 1, args.length - 1);
    if (refused != null) return refused;
    PubSub registry = ctx.pubsub();
    Subscriber subscriber = session.subscriber(registry);
    holdMessages(session);
    List<byte[]> names = new ArrayList<>();
    for (int i = 1; i < args.length; i++) names.add(args[i]);
    if (args.length == 1) names.addAll(registry.shardChannelsOf(subscriber));
    if (names.isEmpty()) return confirmation("sunsubscribe", null, subscriber.shardChannelCount());
    List<Reply> replies = new ArrayList<>(names.size());
    for (byte[] name : names) {
      replies.add(confirmation("sunsubscribe", name, registry.sunsubscribe(subscriber, name, Slots.slotOf(name))));
    }
    return new Reply.Sequence(replies);
  }

  /**
   * SPUBLISH: to this node's subscribers of the shard channel, and in cluster mode to the other nodes of its shard
   * (the reply counts this node's, as Redis's does).
   */
  static Reply spublish(NodeContext ctx, Session session, byte[][] args) {
    Reply refused = shardRouting(ctx, args, 1, 1);
    if (refused != null) return refused;
    PubSub.Published published = ctx.pubsub().spublish(args[1], args[2], session.subscriptions());
    if (ctx.settings().clusterEnabled()) ctx.clusterBus().publishShard(args[1], args[2]);
    Reply reply = Reply.integer(published.receivers());
    if (!published.toPublisher().isEmpty()) {
      reply = new Reply.AfterPush(new Reply.Push(List.of(Reply.bulk("smessage"), Reply.bulk(args[1]),
          Reply.bulk(args[2]))), reply);
    }
    return reply;
  }

  /** Redis's addReplySubcommandSyntaxError: PUBSUB checks CHANNELS' arguments itself. */
  private static Reply subcommandSyntaxError(byte[][] args) {
    String name = Args.text(args[1]);
    return Reply.error("ERR unknown subcommand or wrong number of arguments for '"
        + (name.length() > 128 ? name.substring(0, 128) : name) + "'. Try PUBSUB HELP.");
  }

  private static Reply numsub(PubSub registry, byte[][] args) {
    List<Reply> items = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      items.add(Reply.bulk(args[i]));
      items.add(Reply.integer(registry.subscribers(args[i])));
    }
    return Reply.array(items);
  }

  /** Messages published from now on come after this command's reply (its confirmation is a reply, they are pushes). */
  private static void holdMessages(Session session) {
    PushTarget pushes = session.pushes;
    if (pushes != null) pushes.holdUntilRepliesSent();
  }

  private static Reply confirmation(String kind, byte[] name, int count) {
    Reply channel = name == null ? Reply.NULL : Reply.bulk(name);
    return new Reply.Push(List.of(Reply.bulk(kind), channel, Reply.integer(count)));
  }

  private static List<Reply> bulks(List<byte[]> names) {
    List<Reply> replies = new ArrayList<>(names.size());
    for (byte[] name : names) replies.add(Reply.bulk(name));
    return replies;
  }

  private static CompletionStage<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }

  private static final List<String> HELP = List.of(
      "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CHANNELS [<pattern>]",
      "    Return the currently active channels matching a <pattern> (default: '*').",
      "NUMPAT",
      "    Return number of subscriptions to patterns.",
      "NUMSUB [<channel> ...]",
      "    Return the number of subscribers for the specified channels, excluding",
      "    pattern subscriptions(default: no channels).",
      "SHARDCHANNELS [<pattern>]",
      "    Return the currently active shard level channels matching a <pattern> (default: '*').",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Return the number of subscribers for the specified shard level channel(s)",
      "HELP",
      "    Prints this help.");
}
