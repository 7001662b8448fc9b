package org.akkaredis.server;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.command.Args;
import org.akkaredis.command.CommandDispatcher;
import org.akkaredis.command.ServerStats;
import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;
import org.akkaredis.resp.ProtocolException;
import org.akkaredis.resp.Reply;
import org.akkaredis.resp.RespDecoder;
import org.akkaredis.resp.RespWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's request handling, driven by its connection's stream one TCP read at a time ({@link CommandStage}):
 * decode the commands of the read, run them in batches ({@link BatchSize}), encode each batch's replies into one
 * ByteString.
 */
final class ClientConnection {
  /**
   * What to write back for one read, whether to close the connection after it, and the replication stream that
   * follows it when the read made the client a replica (SYNC), else null.
   */
  record Output(ByteString bytes, boolean close, Source<ByteString, NotUsed> replicaStream, long batch) {}

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

  private final Session session;
  private final RespDecoder decoder;
  private final RespWriter writer = new RespWriter(4096);
  private final CommandDispatcher dispatcher;
  private final ServerStats stats;
  private final BatchSize batchSize = new BatchSize();

  ClientConnection(Session session, Settings settings, CommandDispatcher dispatcher, ServerStats stats) {
    this.session = session;
    this.decoder = new RespDecoder(settings.protoMaxBulkLen(), settings.clientQueryBufferLimit());
    this.dispatcher = dispatcher;
    this.stats = stats;
  }

  Session session() {
    return session;
  }

  /** Takes one TCP read's bytes in: its commands run batch by batch with {@link #nextBatch}. */
  void feed(ByteString chunk) {
    stats.netInputBytes.add(chunk.size());
    stats.readsProcessed.increment();
    decoder.feed(chunk);
    session.queryBuffer = decoder.buffered();
    session.queryBufferAllocated = decoder.allocated();
  }

  /**
   * Whether another batch of the same read is to run after {@code output} was taken downstream (so a client that
   * does not read stops the node from running more of its commands, see {@link OutputQueue}): not after a close,
   * SYNC or QUIT, nor once no more is buffered.
   */
  boolean continuesAfter(Output output) {
    return !output.close() && !session.replica && !session.closeRequested && decoder.buffered() > 0;
  }

  /**
   * Decodes and runs the next batch of buffered commands; null when no complete command is buffered. Before a
   * client authenticates Redis parses with tighter limits, so a batch ends after an AUTH/HELLO.
   */
  CompletionStage<Output> nextBatch() {
    if (session.replica) return CompletableFuture.completedFuture(fromReplica());
    decoder.setAuthenticated(session.authenticated);
    List<byte[][]> commands = new ArrayList<>();
    ProtocolException protocolError = null;
    int most = batchSize.commands();
    try {
      for (byte[][] command = decoder.next(); command != null; command = commands.size() < most ? decoder.next() : null) {
        commands.add(command);
        if (!session.authenticated && changesAuthentication(command[0])) break;
      }
    } catch (ProtocolException e) {
      protocolError = e;
    }
    ProtocolException error = protocolError;
    if (commands.isEmpty()) {
      return CompletableFuture.completedFuture(error == null && !session.closeRequested ? null : finish(error));
    }
    stats.commandsProcessed.add(commands.size());
    session.batch++;
    return dispatcher.run(session, commands).thenApply(replies -> {
      // As Redis, a command sees itself in the query buffer (CLIENT LIST qbuf); what is left counts after it.
      session.queryBuffer = decoder.buffered();
      encode(replies);
      batchSize.ran(commands.size(), writer.length());
      return finish(error);
    });
  }

  /**
   * A replica's commands are answered with nothing: REPLCONF (its ACKs) is taken silently; any other command
   * would generate a reply, and Redis then disconnects the replica, which is done here before running it.
   */
  private Output fromReplica() {
    try {
      for (byte[][] command = decoder.next(); command != null; command = decoder.next()) {
        if (Args.is(command[0], "replconf")) {
          replconf(command);
          continue;
        }
        LOG.warn("Replica generated a reply to command '{}', disconnecting it: id={} addr={}",
            new String(command[0], java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT),
            session.id, session.addr);
        return new Output(ByteString.emptyByteString(), true, null, session.batch);
      }
    } catch (ProtocolException e) {
      return new Output(ByteString.emptyByteString(), true, null, session.batch);
    }
    return new Output(ByteString.emptyByteString(), false, null, session.batch);
  }

  private static boolean changesAuthentication(byte[] name) {
    return Args.is(name, "auth") || Args.is(name, "hello");
  }

  /**
   * Replies in order, but those CLIENT REPLY silenced; commands after QUIT or CLIENT KILL in the same read got none
   * and are not answered, nor are those after SYNC. A command that ran without a reply (a second MONITOR) is skipped.
   */
  private void encode(CommandDispatcher.Replies out) {
    Reply[] replies = out.replies();
    for (int i = 0; i < replies.length && (replies[i] != null || out.ran()[i] && !session.replica); i++) {
      if (replies[i] == null) continue;
      if (replies[i] instanceof Reply.Error e && !e.counted()) stats.error(e.text());
      if (!out.silent(i)) writer.write(replies[i], out.protocols()[i]);
      else writePushes(replies[i], out.protocols()[i]);
    }
  }

  /**
   * CLIENT REPLY OFF / SKIP silence replies, not pushes: Pub/Sub's (un)subscribe confirmations and a client's own
   * message still go out, in RESP2 too, as redis-server 7.0 sends them.
   */
  private void writePushes(Reply reply, int protocol) {
    if (reply instanceof Reply.Push push) writer.write(push, protocol);
    else if (reply instanceof Reply.AfterPush after) writer.write(after.push(), protocol);
    else if (reply instanceof Reply.Sequence sequence) sequence.replies().forEach(each -> writePushes(each, protocol));
  }

  /** REPLCONF ACK &lt;offset&gt; [FACK &lt;offset&gt;]: the replica's offset; its other options change nothing here. */
  private void replconf(byte[][] command) {
    for (int i = 1; i + 1 < command.length; i += 2) {
      if (!Args.is(command[i], "ack")) continue;
      Long offset = Args.parseLong(command[i + 1]);
      if (offset != null && session.replicaAcks != null) session.replicaAcks.accept(offset);
      return;
    }
  }

  private Output finish(ProtocolException error) {
    boolean close = session.closeRequested;
    Source<ByteString, NotUsed> replicaStream = session.replicaStream;
    session.replicaStream = null;
    if (error != null) {
      // Redis answers the protocol error and closes; past the query buffer limit it just closes.
      if (!error.closeSilently()) writer.write(Reply.error("ERR " + error.getMessage()), session.protocol);
      close = true;
    }
    if (writer.length() == 0 && !close && replicaStream == null) {
      return new Output(ByteString.emptyByteString(), false, null, session.batch);
    }
    ByteString out = writer.take();
    stats.netOutputBytes.add(out.size());
    if (!out.isEmpty()) stats.writesProcessed.increment();
    return new Output(out, close, replicaStream, session.batch);
  }
}
