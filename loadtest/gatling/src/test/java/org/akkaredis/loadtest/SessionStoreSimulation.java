package org.akkaredis.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A web session store: each loop is one user's visit — HSET of a new session hash (user, cart, last page),
 * five page views that HGETALL it, and an EXPIRE of 30 minutes that keeps it alive.
 */
public class SessionStoreSimulation extends RedisSimulation {
  private final AtomicLong visits = new AtomicLong();

  private final ScenarioBuilder sessions = scenario("session store")
      .during(LoadSettings.duration()).on(
          exec(session -> session.set("sid", "session:" + visits.incrementAndGet())),
          exec(Redis.command("HSET", redis, (session, r) -> r.async().hset(session.getString("sid"),
              Map.of("user", "user-" + session.userId(), "cart", "3 items", "page", "/checkout")))),
          exec(Redis.command("HGETALL", redis, (session, r) -> r.async().hgetall(session.getString("sid"))))
              .repeat(5).on(exec(Redis.command("HGETALL", redis,
                  (session, r) -> r.async().hgetall(session.getString("sid"))))),
          exec(Redis.command("EXPIRE", redis, (session, r) -> r.async().expire(session.getString("sid"), 1800))));

  public SessionStoreSimulation() {
    super(0);
    setUp(sessions.injectOpen(atOnceUsers(LoadSettings.users()))).assertions(errorsAndP99());
  }
}
