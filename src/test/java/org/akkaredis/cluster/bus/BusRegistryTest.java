package org.akkaredis.cluster.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.Address;
import akka.actor.Cancellable;
import akka.actor.ExtendedActorSystem;
import akka.actor.Props;
import akka.event.Logging;
import akka.pattern.Patterns;
import akka.remote.AddressUidExtension;
import akka.remote.RARP;
import akka.remote.artery.ArteryTransport;
import akka.remote.artery.Association;
import akka.remote.artery.AssociationRegistry;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * The bus's remoting forgets a quarantine and talks to the peer again, through the project's
 * {@link AssociationRegistry}, which replaces Akka's (its javadoc says which race it closes).
 */
class BusRegistryTest {
  private static final String SYSTEM = "bus-registry-test";
  private static final AtomicInteger uidCollisions = new AtomicInteger();
  private static final int portA = FreePorts.next();
  private static final int portB = FreePorts.next();
  private static final ActorSystem a = remoteSystem(portA);
  private static final ActorSystem b = remoteSystem(portB);

  @AfterAll
  static void stop() {
    a.terminate();
    b.terminate();
  }

  /** Replies with what it gets. */
  static final class Echo extends AbstractActor {
    @Override
    public Receive createReceive() {
      return receiveBuilder().matchAny(message -> getSender().tell(message, getSelf())).build();
    }
  }

  /** Counts the errors Artery logs for a UID collision (the inbound stream failing on it). */
  static final class CollisionCounter extends AbstractActor {
    @Override
    public Receive createReceive() {
      return receiveBuilder().match(Logging.LogEvent.class, event -> {
        if (String.valueOf(event.message()).contains("UID collision")) uidCollisions.incrementAndGet();
      }).build();
    }
  }

  private static ActorSystem remoteSystem(int port) {
    ActorSystem system = ActorSystem.create(SYSTEM, ConfigFactory.parseMap(Map.of(
        "akka.actor.provider", "remote",
        "akka.remote.artery.transport", "tcp",
        "akka.remote.artery.canonical.hostname", "127.0.0.1",
        "akka.remote.artery.canonical.port", port,
        // Short, so that a removal pass runs every 100 ms: many chances for the race.
        "akka.remote.artery.advanced.remove-quarantined-association-after", "200 ms"))
        .withFallback(ConfigFactory.load()));
    ActorRef counter = system.actorOf(Props.create(CollisionCounter.class, CollisionCounter::new));
    system.eventStream().subscribe(counter, Logging.Error.class);
    system.eventStream().subscribe(counter, Logging.Warning.class);
    system.actorOf(Props.create(Echo.class, Echo::new), "echo");
    return system;
  }

  private static String echoPath(int port) {
    return "akka://" + SYSTEM + "@127.0.0.1:" + port + "/user/echo";
  }

  /** As ActorRefResolver does: the provider's cache drops a ref's association once it was removed. */
  private static ActorRef resolve(ActorSystem from, String path) {
    return ((ExtendedActorSystem) from).provider().resolveActorRef(path);
  }

  private static boolean answers(ActorSystem from, int port, String message) {
    try {
      return message.equals(Patterns.ask(resolve(from, echoPath(port)), message, Duration.ofSeconds(1))
          .toCompletableFuture().get(2, TimeUnit.SECONDS));
    } catch (Exception noAnswer) {
      return false;
    }
  }

  private static ArteryTransport remoting(ActorSystem system) {
    return (ArteryTransport) ((RARP) RARP.get(system)).provider().transport();
  }

  private static Address address(int port) {
    return new Address("akka", SYSTEM, "127.0.0.1", port);
  }

  @Test
  void theProjectsRegistryReplacesAkkas() {
    String from = AssociationRegistry.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertFalse(from.contains("akka-remote"), "AssociationRegistry loaded from " + from);
    // The replacement has Akka 2.6.21's binary signature and rules: a new Akka needs it checked again.
    assertEquals("2.6.21", akka.Version.current());
  }

  @Test
  void aQuarantinedPeerIsForgottenAndReachedAgain() {
    Await.until("b answers a", Duration.ofSeconds(20), () -> answers(a, portB, "first"));
    remoting(a).quarantine(address(portB), Option.apply(AddressUidExtension.get(b).longAddressUid()), "test");
    Association quarantined = remoting(a).association(address(portB));
    assertTrue(quarantined.associationState().isQuarantined());

    // Unused for a while, the quarantined association is removed; a ref resolved again (as the bus endpoint
    // does after its silence) opens a fresh one to the same incarnation of b, which accepts b's reply.
    Await.until("b answers a again after the quarantine was forgotten", Duration.ofSeconds(30),
        () -> answers(a, portB, "again"));
    assertNotSame(quarantined, remoting(a).association(address(portB)));
    assertFalse(remoting(a).association(address(portB)).associationState().isQuarantined());
  }

  /**
   * Both sides send all the time while either quarantines the other every 40-120 ms (a handshake on localhost takes
   * a few ms): Akka 2.6.21's registry logs a UID collision within seconds here (7 in 124 quarantines, measured with
   * 100-300 ms), after which that peer's handshakes
   * keep failing; this one never does, and the two still talk at the end.
   */
  @Test
  void quarantinesOverAndOverWhileBothSendNeverEndInAUidCollision() {
    Await.until("a and b answer each other", Duration.ofSeconds(20),
        () -> answers(a, portB, "hello") && answers(b, portA, "hello"));
    AtomicInteger quarantines = new AtomicInteger();
    Cancellable sending = a.scheduler().scheduleWithFixedDelay(Duration.ZERO, Duration.ofMillis(5), () -> {
      for (int i = 0; i < 10; i++) {
        resolve(a, echoPath(portB)).tell("from a", ActorRef.noSender());
        resolve(b, echoPath(portA)).tell("from b", ActorRef.noSender());
      }
    }, a.dispatcher());
    Cancellable quarantining = a.scheduler().scheduleWithFixedDelay(Duration.ZERO, Duration.ofMillis(40), () -> {
      if (ThreadLocalRandom.current().nextInt(3) != 0) return; // every 120 ms on average
      if (quarantines.incrementAndGet() % 2 == 0) {
        remoting(a).quarantine(address(portB), Option.apply(AddressUidExtension.get(b).longAddressUid()), "test");
      } else {
        remoting(b).quarantine(address(portA), Option.apply(AddressUidExtension.get(a).longAddressUid()), "test");
      }
    }, a.dispatcher());
    try {
      Await.until("60 quarantines", Duration.ofSeconds(120), () -> quarantines.get() >= 60);
    } finally {
      quarantining.cancel();
      sending.cancel();
    }
    Await.until("a and b answer each other after the last quarantine", Duration.ofSeconds(30),
        () -> answers(a, portB, "after") && answers(b, portA, "after"));
    assertEquals(0, uidCollisions.get(), "UID collisions logged");
  }
}
