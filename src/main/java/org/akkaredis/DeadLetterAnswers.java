package org.akkaredis;

import akka.actor.DeadLetter;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import org.akkaredis.cluster.manager.ClusterManager;
import org.akkaredis.keyspace.Deadlines;
import org.akkaredis.keyspace.SlotRange;
import org.akkaredis.persistence.AofWriter;
import org.akkaredis.replication.ReplicationBoard;
import org.akkaredis.replication.ReplicationSource;

/**
 * Answers the messages that reached an actor that had stopped, when a client waits for them: a slot range's work or
 * hold, the cluster manager's work (TRYAGAIN: they did not run), a WAIT (the replicas the board shows at the
 * offset), an AOF barrier (the write's durability is unknown). Without it such a client would wait for its deadline
 * ({@link Deadlines}); the deadline remains for actors that are alive but do not answer.
 */
final class DeadLetterAnswers {
  private DeadLetterAnswers() {}

  /** Spawns the answerer and subscribes it to the system's dead letters. */
  static void start(ActorContext<?> ctx, ReplicationBoard board) {
    ActorRef<DeadLetter> answers = ctx.spawn(behavior(board), "dead-letter-answers");
    ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(DeadLetter.class, answers));
  }

  static Behavior<DeadLetter> behavior(ReplicationBoard board) {
    return Behaviors.receive(DeadLetter.class)
        .onMessage(DeadLetter.class, dead -> {
          answer(dead.message(), dead.recipient().path().name(), board);
          return Behaviors.same();
        })
        .build();
  }

  private static void answer(Object message, String recipient, ReplicationBoard board) {
    if (message instanceof SlotRange.Run<?> run) {
      if (run.ticket().giveUp()) run.result().completeExceptionally(new Deadlines.Exceeded(stoppedRange(recipient)));
    } else if (message instanceof SlotRange.Hold hold) {
      if (hold.ticket().giveUp()) {
        hold.granted().completeExceptionally(new Deadlines.Exceeded(stoppedRange(recipient)));
      }
    } else if (message instanceof ClusterManager.Run<?> run) {
      if (run.ticket().giveUp()) {
        run.result().completeExceptionally(new Deadlines.Exceeded(
            "TRYAGAIN the cluster manager is stopped; the command was not run"));
      }
    } else if (message instanceof ReplicationSource.Wait wait) {
      long target = board.offset();
      wait.acked().complete(board.replicas().stream().filter(replica -> replica.ackOffset() >= target).count());
    } else if (message instanceof AofWriter.Barrier barrier) {
      barrier.synced().completeExceptionally(new Deadlines.Exceeded(
          "ERR the AOF writer is stopped; the write was applied in memory but may not be on disk"));
    }
  }

  /** As the range itself answers what it kept when it stopped; {@code recipient} is its name, slot-range-F-L. */
  static String stoppedRange(String recipient) {
    String prefix = "slot-range-";
    String slots = recipient.startsWith(prefix) ? recipient.substring(prefix.length()) : recipient;
    return "TRYAGAIN slot range " + slots + " is stopped; the command was not run";
  }
}
