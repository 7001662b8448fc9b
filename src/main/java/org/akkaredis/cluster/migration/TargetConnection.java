package org.akkaredis.cluster.migration;

import akka.actor.typed.ActorSystem;
import akka.japi.Pair;
import akka.stream.OverflowStrategy;
import akka.stream.QueueOfferResult;
import akka.stream.javadsl.Framing;
import akka.stream.javadsl.FramingTruncation;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.SinkQueueWithCancel;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.SourceQueueWithComplete;
import akka.stream.javadsl.Tcp;
import akka.io.TcpSO;
import akka.util.ByteString;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * MIGRATE's connection to its target: an Akka Streams TCP client that writes RESP and reads the replies as lines,
 * as Redis's syncWrite / syncReadLine do, without blocking a thread. Every step has the command's timeout as its
 * deadline: the connection, each 64 KiB of the request taken by the socket, each reply line.
 */
public final class TargetConnection implements SocketCache.Closeable {
  /** Redis writes the request in pieces of this size, each within the timeout. */
  static final int WRITE_CHUNK = 64 * 1024;
  /** A reply line longer than this fails the connection (RESTORE's replies are short status or error lines). */
  static final int MAX_LINE = 64 * 1024;
  private static final ByteString NEWLINE = ByteString.fromString("\n");

  /** Why a step failed: how Redis's MIGRATE tells the client, and whether it tries once more. */
  public enum FailureKind {
    /** No connection (the host unknown, or no answer within the timeout): "connecting to the client", no retry. */
    CONNECT,
    /** The connection failed (refused, reset, closed by the target): retried once on a new connection. */
    BROKEN,
    /** The timeout passed (Redis's ETIMEDOUT): not retried. */
    TIMEOUT
  }

  /** A failed step of the exchange. */
  public static final class LinkFailure extends RuntimeException {
    public final FailureKind kind;

    LinkFailure(FailureKind kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }
  }

  private final ActorSystem<?> system;
  private final SourceQueueWithComplete<ByteString> out;
  private final SinkQueueWithCancel<ByteString> in;

  private TargetConnection(ActorSystem<?> system, SourceQueueWithComplete<ByteString> out,
      SinkQueueWithCancel<ByteString> in) {
    this.system = system;
    this.out = out;
    this.in = in;
  }

  /**
   * Connects to {@code host:port} (the name resolved by Akka's DNS, off the caller's thread). Fails with
   * {@link FailureKind#CONNECT} when the host cannot be resolved, the port is not one, or nothing answers within
   * the timeout; with {@link FailureKind#BROKEN} when the target refuses.
   */
  public static CompletionStage<TargetConnection> open(ActorSystem<?> system, String host, int port, Duration timeout) {
    if (port < 0 || port > 0xFFFF) {
      return CompletableFuture.failedFuture(new LinkFailure(FailureKind.CONNECT, "invalid port " + port));
    }
    InetSocketAddress address = InetSocketAddress.createUnresolved(host, port);
    Pair<Pair<SourceQueueWithComplete<ByteString>, CompletionStage<Tcp.OutgoingConnection>>,
        SinkQueueWithCancel<ByteString>> materialized = Source.<ByteString>queue(1, OverflowStrategy.backpressure())
        .viaMat(Tcp.get(system).outgoingConnection(address, Optional.empty(), List.of(TcpSO.tcpNoDelay(true)),
            false, Optional.of(timeout), Optional.empty()), Keep.both())
        .via(Framing.delimiter(NEWLINE, MAX_LINE, FramingTruncation.DISALLOW))
        .toMat(Sink.queue(), Keep.both())
        .run(system);
    TargetConnection connection = new TargetConnection(system, materialized.first().first(), materialized.second());
    CompletableFuture<TargetConnection> opened = new CompletableFuture<>();
    materialized.first().second().whenComplete((outgoing, failure) -> {
      if (failure == null) opened.complete(connection);
      else opened.completeExceptionally(new LinkFailure(refused(failure) ? FailureKind.BROKEN : FailureKind.CONNECT,
          String.valueOf(failure.getMessage())));
    });
    connection.within(opened, timeout, () -> new LinkFailure(FailureKind.CONNECT, "connect timeout"));
    opened.whenComplete((done, failure) -> {
      if (failure != null) connection.close();
    });
    return opened;
  }

  /**
   * A target that is there but does not take the connection: Redis's non-blocking connect succeeds and the write
   * that follows fails, so it answers "writing" after a retry. A name that does not resolve fails the connect.
   */
  private static boolean refused(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof UnknownHostException) return false;
      if (e instanceof java.net.ConnectException && !String.valueOf(e.getMessage()).contains("timeout")) return true;
      String message = String.valueOf(e.getMessage());
      if (message.contains("Connection refused")) return true;
    }
    return false;
  }

  /** Writes {@code request}, each 64 KiB of it taken by the connection within {@code timeout}. */
  public CompletionStage<Void> write(ByteString request, Duration timeout) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (int from = 0; from < request.length(); from += WRITE_CHUNK) {
      ByteString chunk = request.slice(from, Math.min(request.length(), from + WRITE_CHUNK));
      chain = chain.thenCompose(previous -> offer(chunk, timeout));
    }
    return chain;
  }

  private CompletionStage<Void> offer(ByteString chunk, Duration timeout) {
    CompletableFuture<Void> taken = new CompletableFuture<>();
    CompletionStage<QueueOfferResult> offered;
    try {
      offered = out.offer(chunk);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new LinkFailure(FailureKind.BROKEN, String.valueOf(e.getMessage())));
    }
    offered.whenComplete((result, failure) -> {
      if (failure == null && result == QueueOfferResult.enqueued()) taken.complete(null);
      else taken.completeExceptionally(new LinkFailure(FailureKind.BROKEN,
          failure != null ? String.valueOf(failure.getMessage()) : "connection closed: " + result));
    });
    within(taken, timeout, () -> new LinkFailure(FailureKind.TIMEOUT, "write timeout"));
    return taken;
  }

  /** The next reply line without its CR LF, read within {@code timeout}; the end of the connection fails it. */
  public CompletionStage<String> readLine(Duration timeout) {
    CompletableFuture<String> line = new CompletableFuture<>();
    CompletionStage<Optional<ByteString>> pulled;
    try {
      pulled = in.pull();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new LinkFailure(FailureKind.BROKEN, String.valueOf(e.getMessage())));
    }
    pulled.whenComplete((next, failure) -> {
      if (failure != null) {
        line.completeExceptionally(new LinkFailure(FailureKind.BROKEN, String.valueOf(failure.getMessage())));
      } else if (next.isEmpty()) {
        line.completeExceptionally(new LinkFailure(FailureKind.BROKEN, "connection closed by the target"));
      } else {
        String text = next.get().decodeString(java.nio.charset.StandardCharsets.ISO_8859_1);
        line.complete(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
      }
    });
    within(line, timeout, () -> new LinkFailure(FailureKind.TIMEOUT, "read timeout"));
    return line;
  }

  /** Fails {@code step} with what {@code failure} gives unless it completes within {@code timeout}. */
  private <T> void within(CompletableFuture<T> step, Duration timeout, Supplier<LinkFailure> failure) {
    if (step.isDone()) return;
    akka.actor.Cancellable timer = system.scheduler().scheduleOnce(timeout,
        () -> step.completeExceptionally(failure.get()), system.executionContext());
    step.whenComplete((value, error) -> timer.cancel());
  }

  /** Closes both directions; what is still in flight is dropped. */
  @Override public void close() {
    out.complete();
    in.cancel();
  }
}
