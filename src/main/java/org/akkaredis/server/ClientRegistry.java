package org.akkaredis.server;

import akka.stream.KillSwitch;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.command.ClientDirectory;
import org.akkaredis.command.ClientPause;
import org.akkaredis.command.Monitors;
import org.akkaredis.command.ReplyBuffers;
import org.akkaredis.command.Session;

/** The open client connections: ids for CLIENT ID, sessions for CLIENT LIST, kill switches for CLIENT KILL. */
public final class ClientRegistry implements ClientDirectory {
  /** {@code discard} drops what is queued for the client, so that closing it does not wait for it to read. */
  private record Client(Session session, KillSwitch killSwitch, Runnable discard) {}

  private final Map<Long, Client> clients = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final ClientPause pause = new ClientPause();
  private final RecentPeak outputPeak = new RecentPeak();
  private final ReplyBuffers replyBuffers = new ReplyBuffers();
  private final Monitors monitors = new Monitors();

  public long nextId() {
    return nextId.getAndIncrement();
  }

  public int count() {
    return clients.size();
  }

  void add(Session session, KillSwitch killSwitch) {
    add(session, killSwitch, () -> { });
  }

  void add(Session session, KillSwitch killSwitch, Runnable discard) {
    clients.put(session.id, new Client(session, killSwitch, discard));
  }

  /** The connection ended: it is no client any more, nor a monitor. */
  void remove(Session session) {
    monitors.remove(session);
    clients.remove(session.id);
  }

  @Override public Collection<Session> sessions() {
    return List.copyOf(clients.values().stream().map(Client::session).toList());
  }

  /** Closes the clients idle for more than {@code timeoutSeconds} (the {@code timeout} setting; 0 = never). */
  int closeIdle(long nowMs, long timeoutSeconds) {
    if (timeoutSeconds <= 0) return 0;
    int closed = 0;
    for (Client client : clients.values()) {
      // As Redis's clientsCron, which never times out a replica or a monitor.
      if (client.session().replica || client.session().monitoring != null) continue;
      if (nowMs - client.session().lastInteractionMs > timeoutSeconds * 1000 && kill(client.session().id)) closed++;
    }
    return closed;
  }

  RecentPeak outputPeak() {
    return outputPeak;
  }

  @Override public long recentMaxOutputBuffer() {
    return outputPeak.max(System.currentTimeMillis());
  }

  @Override public ReplyBuffers replyBuffers() {
    return replyBuffers;
  }

  @Override public ClientPause pause() {
    return pause;
  }

  @Override public Monitors monitors() {
    return monitors;
  }

  @Override public boolean kill(long clientId) {
    Client client = clients.get(clientId);
    if (client == null) return false;
    client.session().closeRequested = true;
    client.killSwitch().shutdown();
    client.discard().run(); // as Redis frees a killed client: what it has not read yet is not written
    return true;
  }
}
