package org.akkaredis.command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What DEBUG needs of the cluster bus (a layer the command package does not know), implemented in the root:
 * DROP-CLUSTER-PACKET-FILTER.
 */
public interface ClusterBus {
  /**
   * From now on the node drops the bus messages it receives of this type (Redis's type numbers: PING 0, PONG 1,
   * MEET 2, FAIL 3, PUBLISH 4, FAILOVER_AUTH_REQUEST 5, FAILOVER_AUTH_ACK 6, UPDATE 7, MFSTART 8, MODULE 9,
   * PUBLISHSHARD 10); -1 drops none. Completes once in force. Without cluster mode there is no bus: nothing to do.
   */
  CompletionStage<Void> dropInbound(long type);

  /**
   * PUBLISH in cluster mode: the message goes to every other node of the cluster, whose own subscribers receive it
   * (Redis's PUBLISH bus message). Never blocks; without cluster mode there is no bus: nothing to do.
   */
  default void publish(byte[] channel, byte[] message) {}

  /**
   * SPUBLISH in cluster mode: the message goes to the other nodes of this node's shard (its master and replicas)
   * only. Never blocks; without cluster mode nothing to do.
   */
  default void publishShard(byte[] channel, byte[] message) {}

  /** A node without a cluster bus. */
  ClusterBus NONE = type -> CompletableFuture.completedFuture(null);
}
