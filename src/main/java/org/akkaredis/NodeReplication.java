package org.akkaredis;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.command.Replication;
import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Deadlines;
import org.akkaredis.replication.NodeSleep;
import org.akkaredis.replication.ReplicationBoard;
import org.akkaredis.replication.ReplicationSource;

/** The node's replication as commands see it: figures from the board, WAIT through the source actor. */
final class NodeReplication implements Replication {
  private final ReplicationBoard board;
  private final ActorRef<ReplicationSource.Command> source;
  private final Settings settings;
  private final Deadlines deadlines;
  private volatile long writesPausedUntil;
  private final NodeSleep sleep;

  NodeReplication(ReplicationBoard board, ActorRef<ReplicationSource.Command> source, Settings settings,
      Deadlines deadlines, NodeSleep sleep) {
    this.board = board;
    this.sleep = sleep;
    this.source = source;
    this.settings = settings;
    this.deadlines = deadlines;
  }

  @Override public String infoFields(long nowMs) {
    return board.infoFields(nowMs, settings.longValue("repl-backlog-size"));
  }

  @Override public long offset() {
    return board.offset();
  }

  @Override public MasterLink masterLink() {
    ReplicationBoard.LinkView link = board.link();
    if (link == null) return null;
    String state = link.up() ? "connected" : link.syncing() ? "sync" : "connecting";
    return new MasterLink(link.masterHost(), link.masterPort(), state, board.offset());
  }

  @Override public List<ReplicaOffset> replicas() {
    return board.replicas().stream().map(r -> new ReplicaOffset(r.ip(), r.port(), r.ackOffset())).toList();
  }

  @Override public int goodReplicas() {
    return board.goodReplicas();
  }

  @Override public void beginSleep() {
    sleep.begin();
  }

  @Override public void endSleep() {
    sleep.end();
  }

  @Override public void killMasterLink() {
    source.tell(new ReplicationSource.KillMasterLink());
  }

  @Override public long writesPausedUntil() {
    return writesPausedUntil;
  }

  /** The cluster's manual failover pauses client writes until then (0: resumes them). */
  void pauseWritesUntil(long unixMs) {
    writesPausedUntil = unixMs;
    board.failoverPauseUntil(unixMs);
  }

  @Override public SyncCounts syncCounts() {
    return new SyncCounts(board.syncFull(), board.syncPartialOk(), board.syncPartialErr());
  }

  @Override public long replInputBytes() {
    return board.replInputBytes();
  }

  @Override public long replOutputBytes() {
    return board.replOutputBytes();
  }

  @Override public long backlogBytes() {
    return board.backlogBytes();
  }

  @Override public Source<ByteString, NotUsed> replicaStream(Session session) {
    int port = session.addr.lastIndexOf(':');
    String host = port < 0 ? session.addr : session.addr.substring(0, port);
    return ReplicationSource.clientStream(source, "client-" + session.id, host);
  }

  @Override public void replicaAcked(Session session, long offset) {
    source.tell(new ReplicationSource.ClientAck("client-" + session.id, offset));
  }

  @Override public CompletionStage<Integer> dropReplicas() {
    CompletableFuture<Integer> dropped = new CompletableFuture<>();
    source.tell(new ReplicationSource.DropReplicas(dropped));
    return deadlines.bound(dropped, () -> "ERR the replication source did not answer within " + deadlines.millis()
        + " ms");
  }

  @Override public CompletionStage<Void> changeReplicationId() {
    CompletableFuture<Void> changed = new CompletableFuture<>();
    source.tell(new ReplicationSource.ChangeReplicationId(changed));
    return deadlines.bound(changed, () -> "ERR the replication source did not answer within " + deadlines.millis()
        + " ms");
  }

  @Override public CompletionStage<Long> waitForReplicas(int replicas, long timeoutMs) {
    CompletableFuture<Long> acked = new CompletableFuture<>();
    long target = board.offset();
    source.tell(new ReplicationSource.Wait(replicas, timeoutMs, acked));
    // The source answers at the WAIT's timeout (and when it stops); should it not, the deadline after the timeout
    // answers what the board shows: the replicas that acknowledged the offset. WAIT 0 waits as long as it asks.
    if (timeoutMs <= 0) return acked;
    return deadlines.orAfter(acked, java.time.Duration.ofMillis(timeoutMs), () -> board.replicas().stream()
        .filter(replica -> replica.ackOffset() >= target).count());
  }
}
