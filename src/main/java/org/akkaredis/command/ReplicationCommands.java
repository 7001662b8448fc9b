package org.akkaredis.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.keyspace.HeldKeyspace;
import org.akkaredis.resp.Reply;

/** WAIT and ROLE: what a client asks of the node's replication. */
public final class ReplicationCommands {
  private ReplicationCommands() {}

  static final Reply WAIT_ON_REPLICA = Reply.error("ERR WAIT cannot be used with replica instances. Please also "
      + "note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to "
      + "replicas are just local and are not propagated.");

  public static void register(CommandTable.Builder b) {
    b.handle("wait", (Handler.OfNode) ReplicationCommands::waitCommand);
    b.handle("sync", (Handler.OfNode) ReplicationCommands::sync);
    b.handle("role",
        (Handler.OfNode) (ctx, session, args) -> CompletableFuture.completedFuture(role(ctx.replication())));
  }

  static CompletionStage<Reply> waitCommand(NodeContext ctx, Session session, byte[][] args) {
    if (ctx.replication().masterLink() != null) return CompletableFuture.completedFuture(WAIT_ON_REPLICA);
    Long replicas = Args.parseLong(args[1]);
    if (replicas == null) return CompletableFuture.completedFuture(Reply.NOT_INTEGER);
    Long timeout = Args.parseLong(args[2]);
    if (timeout == null) {
      return CompletableFuture.completedFuture(Reply.error("ERR timeout is not an integer or out of range"));
    }
    if (timeout < 0) return CompletableFuture.completedFuture(Reply.error("ERR timeout is negative"));
    int wanted = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, replicas));
    // Inside a transaction Redis answers at once, with the replicas already in sync.
    long limit = ctx.keyspace() instanceof HeldKeyspace ? -1 : timeout;
    return ctx.replication().waitForReplicas(wanted, limit).thenApply(Reply::integer);
  }

  static final Reply SYNC_WITHOUT_MASTER_LINK =
      Reply.error("NOMASTERLINK Can't SYNC while not connected with my master");
  static final Reply SYNC_ON_REPLICA =
      Reply.error("ERR SYNC is not served by a replica: this node does not chain replication");

  /**
   * SYNC (the pre-PSYNC protocol): the client becomes a replica. Its reply is no reply: the connection carries
   * the RDB and then the replication stream from here on. A replica serves no SYNC (no chained replication);
   * SYNC from a client that already is a replica is ignored, as Redis ignores it.
   */
  static CompletionStage<Reply> sync(NodeContext ctx, Session session, byte[][] args) {
    if (session.replica) return CompletableFuture.completedFuture(null);
    Replication.MasterLink link = ctx.replication().masterLink();
    if (link != null) {
      return CompletableFuture.completedFuture(link.state().equals("connected") ? SYNC_ON_REPLICA
          : SYNC_WITHOUT_MASTER_LINK);
    }
    var stream = ctx.replication().replicaStream(session);
    if (stream == null) return CompletableFuture.completedFuture(Reply.error("ERR this node has no replication"));
    session.replica = true;
    session.replicaStream = stream;
    Replication replication = ctx.replication();
    session.replicaAcks = offset -> replication.replicaAcked(session, offset);
    return CompletableFuture.completedFuture(null);
  }

  static Reply role(Replication replication) {
    Replication.MasterLink link = replication.masterLink();
    if (link != null) {
      return Reply.array(List.of(Reply.bulk("slave"), Reply.bulk(link.host()), Reply.integer(link.port()),
          Reply.bulk(link.state()), Reply.integer(link.offset())));
    }
    List<Reply> replicas = new ArrayList<>();
    for (Replication.ReplicaOffset replica : replication.replicas()) {
      replicas.add(Reply.array(List.of(Reply.bulk(replica.ip()), Reply.bulk(Integer.toString(replica.port())),
          Reply.bulk(Long.toString(replica.offset())))));
    }
    return Reply.array(List.of(Reply.bulk("master"), Reply.integer(replication.offset()), Reply.array(replicas)));
  }
}
