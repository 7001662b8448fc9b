package org.akkaredis.server;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.stream.KillSwitches;
import akka.stream.SharedKillSwitch;
import akka.stream.javadsl.Flow;
import akka.util.ByteString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.command.CommandDispatcher;
import org.akkaredis.command.ConnectionCommands;
import org.akkaredis.command.HeldMemory;
import org.akkaredis.command.InstantaneousMetrics;
import org.akkaredis.command.Monitors;
import org.akkaredis.command.NodeContext;
import org.akkaredis.command.Session;
import org.akkaredis.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client port: one listener per bind address, one Akka Streams flow per accepted connection. */
public final class RespServer {
  private static final Logger LOG = LoggerFactory.getLogger(RespServer.class);
  private static final String MAX_CLIENTS = "-ERR max number of clients reached\r\n";
  /** Redis 7.0.15's text, word for word (its typos included). */
  static final String PROTECTED_MODE_DENIED = "-DENIED Redis is running in protected mode because protected mode is "
      + "enabled and no password is set for the default user. In this mode connections are only accepted from the "
      + "loopback interface. If you want to connect from external computers to Redis you may adopt one of the "
      + "following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from "
      + "the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE "
      + "Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change "
      + "permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration "
      + "file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the "
      + "server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an "
      + "authentication password for the default user. NOTE: You only need to do one of the above things in order "
      + "for the server to start accepting connections from the outside.\r\n";

  private final ActorSystem<?> system;
  private final Settings settings;
  private final CommandDispatcher dispatcher;
  private final NodeContext node;
  private final ClientRegistry clients;
  private final OutputLimits outputLimits;
  private final RecentPeak outputPeak;
  /** What the client port listens on now; CONFIG SET port / bind change it. */
  private List<ClientListener> bindings = List.of();
  /** Reads every client socket (the listeners accept on threads of their own). */
  private final SocketLoop loop;
  private List<String> boundAddresses = List.of();
  private int boundPort;

  public RespServer(ActorSystem<?> system, NodeContext node, ClientRegistry clients) {
    this.system = system;
    this.settings = node.settings();
    this.node = node;
    this.dispatcher = new CommandDispatcher(node);
    this.clients = clients;
    this.outputLimits = new OutputLimits(settings);
    this.outputPeak = clients.outputPeak();
    this.loop = new SocketLoop("akka-redis-clients-" + settings.port());
    system.getWhenTerminated().thenRun(() -> {
      List<ClientListener> open;
      synchronized (this) {
        open = bindings;
        bindings = List.of();
      }
      unbindAll(open);
      loop.close();
    });
    // Redis's clientsCron closes idle clients once a second when `timeout` is set (read anew each time).
    system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(1), Duration.ofSeconds(1),
        () -> {
          if (!node.cronPaused()) clients.closeIdle(System.currentTimeMillis(), settings.timeout());
        }, system.executionContext());
    // INFO's instantaneous_* figures: Redis samples them every 100 ms. The memory held for clients, the backlog and
    // the AOF buffer, which used_memory and maxmemory count, at the same pace (Redis's clientsCron at hz 10).
    system.scheduler().scheduleWithFixedDelay(Duration.ofMillis(InstantaneousMetrics.PERIOD_MS),
        Duration.ofMillis(InstantaneousMetrics.PERIOD_MS), () -> {
          node.stats().sample(System.currentTimeMillis(), node.replication().replInputBytes(),
              node.replication().replOutputBytes());
          HeldMemory.refresh(node);
        }, system.executionContext());
    settings.setApplier("port", this::applyPort);
    settings.setApplier("bind", this::applyBind);
  }

  /**
   * Binds every address of {@code bind}, one after the other; an address written with a leading '-' may fail
   * (Redis's rule: the default "* -::*" gives up IPv6 where the IPv4 wildcard already holds the port, as the
   * JVM cannot set IPV6_V6ONLY). Completes with the listeners, or fails with Redis's message for the first
   * address that could not bind.
   */
  public CompletionStage<List<ClientListener>> bind(int port) {
    List<String> addresses = settings.bind();
    try {
      List<ClientListener> bound = bindAll(addresses, port);
      listening(bound, addresses, port);
      return CompletableFuture.completedFuture(bound);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private synchronized void listening(List<ClientListener> bound, List<String> addresses, int port) {
    this.bindings = List.copyOf(bound);
    this.boundAddresses = List.copyOf(addresses);
    this.boundPort = port;
  }

  /** Binds the addresses on {@code port}; on a failure, those bound so far are closed again. */
  private List<ClientListener> bindAll(List<String> addresses, int port) {
    List<ClientListener> bound = new ArrayList<>();
    for (String address : addresses) {
      boolean optional = address.startsWith("-");
      String host = wildcard(optional ? address.substring(1) : address);
      try {
        // tcp-backlog as Redis's listen(): the accept queue of each listening socket.
        bound.add(new ClientListener(host, port, settings.tcpBacklog(), this::accept));
      } catch (IOException | RuntimeException failure) {
        if (optional) continue;
        unbindAll(bound);
        throw new IllegalStateException("Could not create server TCP listening socket " + host + ":" + port
            + ": bind: " + rootMessage(failure));
      }
    }
    return bound;
  }

  private static void unbindAll(List<ClientListener> bound) {
    bound.forEach(ClientListener::close);
  }

  /**
   * CONFIG SET port, as Redis's updatePort: listen on the new port first, then close the old listeners (the open
   * connections stay); when the new port cannot be had, nothing changes. Port 0 closes the listeners, as in Redis.
   */
  private CompletionStage<String> applyPort(Settings changed) {
    int port = changed.port();
    List<String> addresses = changed.bind();
    List<ClientListener> bound;
    try {
      bound = port == 0 ? List.of() : bindAll(addresses, port);
    } catch (IllegalStateException failure) {
      LOG.warn("Failed to listen on port {}: {}", port, rootMessage(failure));
      return CompletableFuture.completedFuture("Unable to listen on this port. Check server logs.");
    }
    List<ClientListener> old;
    synchronized (this) {
      old = bindings;
    }
    listening(bound, addresses, port);
    unbindAll(old);
    return CompletableFuture.completedFuture(null);
  }

  /**
   * CONFIG SET bind, as Redis's updateBind: close the listeners, listen on the new addresses; when that fails,
   * listen on the old ones again and refuse.
   */
  private CompletionStage<String> applyBind(Settings changed) {
    List<ClientListener> old;
    List<String> oldAddresses;
    int port;
    synchronized (this) {
      old = bindings;
      oldAddresses = boundAddresses;
      port = boundPort;
    }
    if (port == 0) {
      listening(List.of(), changed.bind(), 0);
      return CompletableFuture.completedFuture(null);
    }
    List<String> addresses = changed.bind();
    unbindAll(old);
    try {
      listening(bindAll(addresses, port), addresses, port);
      return CompletableFuture.completedFuture(null);
    } catch (IllegalStateException failure) {
      LOG.warn("Failed to bind {}: {}", addresses, rootMessage(failure));
      try {
        listening(bindAll(oldAddresses, port), oldAddresses, port);
      } catch (IllegalStateException again) {
        listening(List.of(), oldAddresses, port);
        LOG.warn("Failed to listen on the old addresses again: {}", rootMessage(again));
      }
      return CompletableFuture.completedFuture("Failed to bind to specified addresses.");
    }
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

  /** A socket the listener accepted: served by its own stream, or refused with Redis's error line. */
  private void accept(SocketChannel channel) throws IOException {
    if (clients.count() >= settings.maxclients()) {
      refuse(channel, MAX_CLIENTS);
      return;
    }
    SocketConnection connection = new SocketConnection(channel, loop);
    if (protectedModeRefuses(settings, connection.remoteAddress())) {
      refuse(channel, PROTECTED_MODE_DENIED);
      return;
    }
    // As Redis's stat_numconnections: the connections accepted, not those refused.
    node.stats().connectionsReceived.increment();
    Session session = new Session(clients.nextId(), format(connection.remoteAddress()),
        format(connection.localAddress()), System.currentTimeMillis(), settings);
    ClientConnection client = new ClientConnection(session, settings, dispatcher, node.stats());
    // Registered before the flow runs: a CLIENT LIST in the client's very first read must see it.
    SharedKillSwitch killSwitch = KillSwitches.shared("client-" + session.id);
    OutputQueue outputQueue = new OutputQueue(session, outputLimits, outputPeak, clients.replyBuffers(),
        ConnectionCommands::clientInfo);
    clients.add(session, killSwitch, outputQueue::discard);
    // What the client did not ask for (MONITOR's lines, Pub/Sub's messages, a replica's stream after SYNC) joins the
    // replies here.
    PushChannel pushes = new PushChannel(() -> OutputLimits.queueCap(outputLimits.of(session)), () -> {
      // The output queue may have closed it over the same limit already (and said so): one line, as Redis.
      if (session.closeRequested) return;
      LOG.warn("Client {} scheduled to be closed ASAP for overcoming of output buffer limits.",
          ConnectionCommands.clientInfo(session));
      clients.kill(session.id);
    }, node.stats().netOutputBytes::add, () -> session.batch);
    session.pushes = pushes;
    Flow<ByteString, ByteString, NotUsed> flow = Flow.of(ByteString.class)
        .via(killSwitch.flow())
        .watchTermination((notUsed, inputDone) -> {
          // The client closed its side: a command blocked for it (BLPOP ...) must give up, not take an element.
          inputDone.whenComplete((done, failure) -> session.disconnected = true);
          return notUsed;
        })
        // One read's commands run batch by batch, each once the output queue takes the batch before.
        .via(new CommandStage(client))
        .takeWhile(output -> !output.close(), true)
        .map(output -> {
          // Only once SYNC's or MONITOR's read was answered: nothing pushed may come before the replies before it.
          // What is offered here reaches the merge after these bytes: the queue wakes its stage asynchronously.
          if (output.replicaStream() != null) pushes.attach(output.replicaStream());
          Monitors monitoring = session.monitoring;
          if (monitoring != null) monitoring.start(session);
          pushes.repliesSent(output.batch());
          return output.bytes();
        })
        // eagerComplete: the connection ends with its requests (QUIT, a closed socket), whatever is pushed.
        .merge(pushes.source(), true)
        .via(outputQueue)
        .filter(bytes -> !bytes.isEmpty())
        .watchTermination((notUsed, terminated) -> {
          terminated.whenComplete((done, failure) -> {
            clients.remove(session);
            session.unwatch();
            session.leavePubSub();
          });
          return notUsed;
        });
    connection.flow().join(flow).run(system);
  }

  /** Answers a connection refused at accept with Redis's error line (a fresh socket takes it at once), and closes it. */
  private void refuse(SocketChannel channel, String error) throws IOException {
    node.stats().rejectedConnections.increment();
    try (channel) {
      channel.write(ByteBuffer.wrap(error.getBytes(StandardCharsets.US_ASCII)));
    }
  }

  /**
   * Redis 7.0's protected mode: with protected-mode yes and no password for the default user, only loopback
   * clients are served. Like redis-server 7.0 (and unlike 6.x, which waived it when bind was set), whatever the
   * bind addresses are.
   */
  static boolean protectedModeRefuses(Settings settings, InetSocketAddress remote) {
    return settings.protectedMode() && settings.requirepass().isEmpty()
        && (remote.getAddress() == null || !remote.getAddress().isLoopbackAddress());
  }

  /** Redis's address format: ip:port, with brackets around an IPv6 address. */
  static String format(InetSocketAddress address) {
    String ip = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + address.getPort();
  }
}
