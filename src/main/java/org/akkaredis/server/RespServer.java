package org.akkaredis.server;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.stream.KillSwitches;
import akka.stream.SharedKillSwitch;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.Tcp;
import akka.util.ByteString;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.command.CommandDispatcher;
import org.akkaredis.command.NodeContext;
import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;

/** The client port: one listener per bind address, one Akka Streams flow per accepted connection. */
public final class RespServer {
  private static final ByteString MAX_CLIENTS = ByteString.fromString("-ERR max number of clients reached\r\n");

  private final ActorSystem<?> system;
  private final Settings settings;
  private final CommandDispatcher dispatcher;
  private final NodeContext node;
  private final ClientRegistry clients;

  public RespServer(ActorSystem<?> system, NodeContext node, ClientRegistry clients) {
    this.system = system;
    this.settings = node.settings();
    this.node = node;
    this.dispatcher = new CommandDispatcher(node);
    this.clients = clients;
    // Redis's clientsCron closes idle clients once a second when `timeout` is set (read anew each time).
    system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(1), Duration.ofSeconds(1),
        () -> clients.closeIdle(System.currentTimeMillis(), settings.timeout()), system.executionContext());
  }

  /**
   * Binds every address of {@code bind}, one after the other; an address written with a leading '-' may fail
   * (Redis's rule: the default "* -::*" gives up IPv6 where the IPv4 wildcard already holds the port, as the
   * JVM cannot set IPV6_V6ONLY). Completes with the bindings, or fails with Redis's message for the first
   * address that could not bind.
   */
  public CompletionStage<List<Tcp.ServerBinding>> bind(int port) {
    List<Tcp.ServerBinding> bound = new ArrayList<>();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (String address : settings.bind()) {
      boolean optional = address.startsWith("-");
      String host = wildcard(optional ? address.substring(1) : address);
      chain = chain.thenCompose(previous -> Tcp.get(system).bind(host, port)
          .to(Sink.foreach(this::accept))
          .run(system)
          .handle((binding, failure) -> {
            if (failure == null) bound.add(binding);
            else if (!optional) {
              throw new IllegalStateException("Could not create server TCP listening socket " + host + ":" + port
                  + ": bind: " + rootMessage(failure));
            }
            return null;
          }));
    }
    return chain.thenApply(done -> bound);
  }

  /** Redis writes "*" for every IPv4 address and "::*" for every IPv6 one. */
  private static String wildcard(String address) {
    return switch (address) {
      case "*" -> "0.0.0.0";
      case "::*" -> "::";
      default -> address;
    };
  }

  private static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) t = t.getCause();
    String message = t.getMessage() == null ? t.toString() : t.getMessage();
    return message.contains("Address already in use") ? "Address already in use" : message;
  }

  private void accept(Tcp.IncomingConnection connection) {
    node.stats().connectionsReceived.increment();
    if (clients.count() >= settings.maxclients()) {
      node.stats().rejectedConnections.increment();
      connection.handleWith(Flow.fromSinkAndSource(Sink.ignore(), Source.single(MAX_CLIENTS)), system);
      return;
    }
    Session session = new Session(clients.nextId(), format(connection.remoteAddress()),
        format(connection.localAddress()), System.currentTimeMillis(), settings);
    ClientConnection client = new ClientConnection(session, settings, dispatcher, node.stats());
    // Registered before the flow runs: a CLIENT LIST in the client's very first read must see it.
    SharedKillSwitch killSwitch = KillSwitches.shared("client-" + session.id);
    clients.add(session, killSwitch);
    // After SYNC the replication stream's bytes join the replies (a replica gets none, so they do not interleave).
    CompletableFuture<Source<ByteString, NotUsed>> replicaStream = new CompletableFuture<>();
    Flow<ByteString, ByteString, NotUsed> flow = Flow.of(ByteString.class)
        .via(killSwitch.flow())
        .watchTermination((notUsed, inputDone) -> {
          // The client closed its side: a command blocked for it (BLPOP ...) must give up, not take an element.
          inputDone.whenComplete((done, failure) -> session.disconnected = true);
          return notUsed;
        })
        .mapAsync(1, client::onRead)
        .takeWhile(output -> !output.close(), true)
        .map(output -> {
          // Only once SYNC's read was answered: nothing of the stream may come before the replies before it.
          if (output.replicaStream() != null) replicaStream.complete(output.replicaStream());
          return output.bytes();
        })
        // eagerComplete: the connection ends with its requests (QUIT, a closed socket), whatever the stream does.
        .merge(Source.completionStageSource(replicaStream), true)
        .filter(bytes -> !bytes.isEmpty())
        .watchTermination((notUsed, terminated) -> {
          terminated.whenComplete((done, failure) -> {
            clients.remove(session);
            session.unwatch();
          });
          return notUsed;
        });
    connection.handleWith(flow, system);
  }

  /** Redis's address format: ip:port, with brackets around an IPv6 address. */
  static String format(InetSocketAddress address) {
    String ip = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + address.getPort();
  }
}
