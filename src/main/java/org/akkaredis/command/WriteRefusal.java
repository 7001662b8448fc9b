package org.akkaredis.command;

import org.akkaredis.resp.Reply;

/**
 * Redis 7.0's refusal of writes while the node cannot persist them (processCommand's check of
 * writeCommandsDeniedByDiskError): while {@link Persistence#writeDenial} gives a reason, write commands, an EXEC
 * that queued one, and PING (so a client sees the trouble without writing) get that MISCONF error. Inside MULTI
 * the refusal flags the transaction, and an EXEC refused ends it with EXECABORT, as other refusals do. A replica
 * applying its master's stream is not refused: Redis panics instead (repl-ignore-disk-write-error, not offered
 * here, would apply and log), since a replica that drops its master's writes would silently differ from it, so
 * the node stops; a PING from the master passes.
 */
final class WriteRefusal {
  private WriteRefusal() {}

  enum Verdict { RUN, REFUSE, STOP_NODE }

  /** Redis's reply to its master's client (serverPanic's text), which stops the node as well. */
  static final String REPLICA_PANIC = "Replica was unable to write command to disk.";

  /**
   * The rule alone: {@code denied} whether persistence refuses writes now; {@code write} a write command or an EXEC
   * of queued writes; {@code fromMaster} the session applies the master's stream (or loads the data at start).
   */
  static Verdict decide(boolean denied, boolean write, boolean ping, boolean fromMaster) {
    if (!denied || !(write || ping)) return Verdict.RUN;
    if (!fromMaster) return Verdict.REFUSE;
    return ping ? Verdict.RUN : Verdict.STOP_NODE;
  }

  /** The command path's check of a command about to run (or be queued): its refusal, or null to go on. */
  static Reply check(NodeContext node, Session session, CommandSpec spec, byte[][] args) {
    String denial = node.persistence().writeDenial();
    if (denial == null) return null;
    boolean write = spec.isWrite()
        || session.inMulti() && Args.is(args[0], "exec") && CommandDispatcher.queuesWrites(node, session);
    switch (decide(true, write, spec.name().equals("ping"), session.replicationApplier)) {
      case RUN:
        return null;
      case REFUSE:
        return Reply.error(denial);
      default:
        node.persistence().fatal(REPLICA_PANIC);
        return Reply.error("ERR " + REPLICA_PANIC);
    }
  }
}
