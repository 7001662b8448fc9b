package org.akkaredis.cluster.migration;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.io.TcpSO;
import akka.japi.Pair;
import akka.stream.KillSwitches;
import akka.stream.OverflowStrategy;
import akka.stream.QueueOfferResult;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.SourceQueueWithComplete;
import akka.stream.javadsl.Tcp;
import akka.util.ByteString;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * MIGRATE's connection to its target: an Akka Streams TCP client that writes RESP and reads the replies as lines,
 * as Redis's syncWrite / syncReadLine do, without blocking a thread. Every step has the command's timeout as its
 * deadline: the connection, each MiB of the request taken by the socket, each reply line. What arrives is kept
 * here until read (at most {@link #MAX_BUFFERED} bytes, past which the connection fails), so a line already
 * received is read at once.
 */
public final class TargetConnection implements SocketCache.Closeable {
  /**
   * The request goes to the socket in pieces of this size, each to be taken within the timeout. Redis writes 64 KiB
   * at a time; a piece here costs hand-overs between threads, so a 100 MB key in 64 KiB pieces took seconds longer.
   */
  static final int WRITE_CHUNK = 1024 * 1024;
  /** A reply line longer than this fails the connection (RESTORE's replies are short status or error lines). */
  static final int MAX_LINE = 64 * 1024;
  /**
   * Chunks queued ahead of the socket (4 MiB): a chunk counts as taken once queued, so the socket's writes follow
   * each other without waiting for each chunk's hand-over. They are slices of the request, not copies.
   */
  static final int WRITES_QUEUED = 4;
  /** What the target may send ahead of what is read: far more than the replies to one MIGRATE. */
  static final int MAX_BUFFERED = 1024 * 1024;

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
  /** Set once the stream is materialized, before the connection is handed out. */
  private SourceQueueWithComplete<ByteString> out;
  private UniqueKillSwitch killSwitch;
  /** Received and not read yet, the read waiting for a line, and why the input ended: under this object's lock. */
  private ByteString received = ByteString.emptyByteString();
  private CompletableFuture<String> waiting;
  private LinkFailure ended;

  private TargetConnection(ActorSystem<?> system) {
    this.system = system;
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
    InetSocketAddress address = addressOf(host, port);
    TargetConnection connection = new TargetConnection(system);
    Pair<Pair<Pair<SourceQueueWithComplete<ByteString>, CompletionStage<Tcp.OutgoingConnection>>, UniqueKillSwitch>,
        CompletionStage<Done>> materialized = Source.<ByteString>queue(WRITES_QUEUED, OverflowStrategy.backpressure())
        .viaMat(Tcp.get(system).outgoingConnection(address, Optional.empty(), List.of(TcpSO.tcpNoDelay(true)),
            false, Optional.of(timeout), Optional.empty()), Keep.both())
        .viaMat(KillSwitches.single(), Keep.both())
        .toMat(Sink.foreach(connection::onReceived), Keep.both())
        .run(system);
    synchronized (connection) {
      connection.out = materialized.first().first().first();
      connection.killSwitch = materialized.first().second();
    }
    materialized.second().whenComplete((done, failure) -> connection.onEnded(failure));
    CompletableFuture<TargetConnection> opened = new CompletableFuture<>();
    materialized.first().first().second().whenComplete((outgoing, failure) -> {
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

  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

  /**
   * An IP literal as it is (Java reads it without asking DNS), any other name unresolved, for Akka's DNS to resolve
   * without blocking a thread of ours.
   */
  static InetSocketAddress addressOf(String host, int port) {
    if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
      try {
        return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
      } catch (UnknownHostException notALiteral) {
        return InetSocketAddress.createUnresolved(host, port);
      }
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  /**
   * A target that is there but does not take the connection: Redis's non-blocking connect succeeds and the write
   * that follows fails, so it answers "writing" after a retry. A name that does not resolve fails the connect.
   */
  private static boolean refused(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof UnknownHostException) return false;
      if (String.valueOf(e.getMessage()).contains("Connection refused")) return true;
    }
    return false;
  }

  /**
   * Writes {@code request}, each MiB of it taken by the connection within {@code timeout} (taken: queued behind
   * at most {@link #WRITES_QUEUED} others, which the socket must have written first).
   */
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

  /**
   * The next reply line without its CR LF, read within {@code timeout}; the end of the connection fails it. One read
   * at a time: the next is asked for once this one has completed.
   */
  public CompletionStage<String> readLine(Duration timeout) {
    CompletableFuture<String> line;
    synchronized (this) {
      String ready = takeLine();
      if (ready != null) return CompletableFuture.completedFuture(ready);
      if (ended != null) return CompletableFuture.failedFuture(ended);
      line = new CompletableFuture<>();
      waiting = line;
    }
    within(line, timeout, () -> new LinkFailure(FailureKind.TIMEOUT, "read timeout"));
    return line;
  }

  /** The stream's sink: what arrived, for the read waiting (if any). */
  private void onReceived(ByteString chunk) {
    CompletableFuture<String> served = null;
    String line = null;
    LinkFailure failure = null;
    synchronized (this) {
      received = received.concat(chunk);
      if (waiting != null) {
        line = takeLine();
        if (line != null) {
          served = waiting;
          waiting = null;
        }
      }
      if (line == null && (received.length() > MAX_BUFFERED
          || (received.length() > MAX_LINE && received.indexOf((byte) '\n') < 0))) {
        failure = new LinkFailure(FailureKind.BROKEN, "the target sent more than was asked for");
      }
    }
    if (served != null) served.complete(line);
    if (failure != null) killSwitch.abort(failure);
  }

  /** The input ended: the target closed the connection, it failed, or it was closed here. */
  private void onEnded(Throwable failure) {
    CompletableFuture<String> failed;
    LinkFailure reason;
    synchronized (this) {
      reason = failure instanceof LinkFailure link ? link
          : new LinkFailure(FailureKind.BROKEN, failure == null ? "connection closed by the target"
              : String.valueOf(failure.getMessage()));
      if (ended == null) ended = reason;
      failed = waiting;
      waiting = null;
    }
    if (failed != null) failed.completeExceptionally(reason);
  }

  /** The first whole line received, taken off the buffer; null when there is none yet. */
  private String takeLine() {
    int newline = received.indexOf((byte) '\n');
    if (newline < 0) return null;
    int end = newline > 0 && received.apply(newline - 1) == '\r' ? newline - 1 : newline;
    String text = received.slice(0, end).decodeString(StandardCharsets.ISO_8859_1);
    received = received.drop(newline + 1).compact();
    return text;
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
    SourceQueueWithComplete<ByteString> output;
    UniqueKillSwitch kill;
    synchronized (this) {
      output = out;
      kill = killSwitch;
    }
    if (output != null) output.complete();
    if (kill != null) kill.abort(new LinkFailure(FailureKind.BROKEN, "closed"));
  }
}
