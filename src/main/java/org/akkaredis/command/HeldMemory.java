package org.akkaredis.command;

/**
 * What the node holds besides the keyspace, as Redis's used_memory counts it: each client's buffers (CLIENT LIST's
 * tot-mem: query buffer, queued transaction, reply buffer, output queue), split into normal clients and replicas,
 * the replication backlog and the AOF buffer. {@link #refresh} hands the total to the keyspace's MemoryBudget, so
 * that used_memory and the maxmemory comparison include it; the server refreshes it every 100 ms (Redis's
 * clientsCron updates its per-client memory figures at hz 10), INFO and MEMORY STATS at each call.
 *
 * @param replicaOutput the replicas' output queues: Redis 7.0 shares one replication buffer between the backlog
 *     and the replicas, and leaves what the replicas hold past the backlog out of the maxmemory comparison; here
 *     each replica has its own queue beside the backlog, so that part is the replicas' queues.
 */
public record HeldMemory(long clientsNormal, long clientsReplicas, long replicaOutput, long backlog,
    long aofBuffer) {

  /** INFO's used_memory_overhead less used_memory_startup. */
  public long total() {
    return clientsNormal + clientsReplicas + backlog + aofBuffer;
  }

  /** INFO's mem_not_counted_for_evict, as Redis's freeMemoryGetNotCountedMemory: replicas' output and AOF buffer. */
  public long notCountedForEvict() {
    return replicaOutput + aofBuffer;
  }

  /** INFO's mem_total_replication_buffers: the backlog and what the replicas hold past it. */
  public long replicationBuffers() {
    return backlog + replicaOutput;
  }

  /** Measures it now. */
  public static HeldMemory of(NodeContext ctx) {
    long normal = 0;
    long replicas = 0;
    long replicaOutput = 0;
    for (Session s : ctx.clients().sessions()) {
      if (ConnectionCommands.isReplica(s)) {
        replicas += ConnectionCommands.clientMemory(s);
        replicaOutput += s.outputMemory;
      } else {
        normal += ConnectionCommands.clientMemory(s);
      }
    }
    return new HeldMemory(normal, replicas, replicaOutput, ctx.replication().backlogBytes(),
        ctx.persistence().aofBufferBytes());
  }

  /** Measures it and hands it to the memory budget (used_memory, maxmemory); returns what it measured. */
  public static HeldMemory refresh(NodeContext ctx) {
    HeldMemory held = of(ctx);
    ctx.keyspace().memory().held(held.total(), held.notCountedForEvict());
    return held;
  }
}
