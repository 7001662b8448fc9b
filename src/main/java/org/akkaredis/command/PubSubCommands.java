package org.akkaredis.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.pubsub.PubSub;
import org.akkaredis.pubsub.Subscriber;
import org.akkaredis.resp.Reply;

/**
 * Pub/Sub as Redis 7.0: (P)SUBSCRIBE, (P)UNSUBSCRIBE, PUBLISH and PUBSUB over the node's registry
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
