package org.akkaredis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.stream.KillSwitch;
import org.akkaredis.command.Session;
import org.junit.jupiter.api.Test;

class ClientRegistryTest {
  /** Records whether the connection was closed. */
  private static final class RecordingSwitch implements KillSwitch {
    boolean shutdown;

    @Override public void shutdown() {
      shutdown = true;
    }

    @Override public void abort(Throwable cause) {
      shutdown = true;
    }
  }

  private static Session session(ClientRegistry registry, long lastInteractionMs) {
    Session session = new Session(registry.nextId(), "127.0.0.1:1", "127.0.0.1:6379", 0, org.akkaredis.config.Settings.defaults());
    session.lastInteractionMs = lastInteractionMs;
    return session;
  }

  @Test
  void closesOnlyClientsIdleLongerThanTheTimeout() {
    ClientRegistry registry = new ClientRegistry();
    RecordingSwitch idle = new RecordingSwitch();
    RecordingSwitch active = new RecordingSwitch();
    Session idleSession = session(registry, 1_000);
    registry.add(idleSession, idle);
    registry.add(session(registry, 9_500), active);

    assertEquals(0, registry.closeIdle(10_000, 0), "timeout 0 never closes");
    assertEquals(1, registry.closeIdle(10_000, 5));
    assertTrue(idle.shutdown);
    assertTrue(idleSession.closeRequested);
    assertFalse(active.shutdown);
  }

  @Test
  void aMonitorIsNeverTimedOutAndLeavesTheMonitorsWithItsConnection() {
    ClientRegistry registry = new ClientRegistry();
    RecordingSwitch connection = new RecordingSwitch();
    Session monitor = session(registry, 1_000);
    registry.add(monitor, connection);
    registry.monitors().enter(monitor);
    registry.monitors().start(monitor);

    assertEquals(0, registry.closeIdle(10_000, 5));
    assertFalse(connection.shutdown);
    registry.remove(monitor);
    assertEquals(0, registry.monitors().count());
    assertEquals(null, monitor.monitoring);
  }

  @Test
  void killOfAnUnknownClientIsRefused() {
    assertFalse(new ClientRegistry().kill(42));
  }
}
