package org.akkaredis.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A read-mostly cache: 90 % GET, 10 % SET with a 60 s TTL, keys drawn from a Zipf distribution (exponent
 * 1.0) over `keys` keys, so a few keys are hot. `users` virtual users send back to back for `duration` s.
 */
public class CacheSimulation extends RedisSimulation {
  private final Zipf keys = new Zipf(LoadSettings.keys(), 1.0);

  private final ScenarioBuilder cache = scenario("read-mostly cache")
      .during(LoadSettings.duration()).on(
          cacheMix(() -> "cache:" + keys.next(ThreadLocalRandom.current())));

  public CacheSimulation() {
    super(0);
    setUp(cache.injectOpen(atOnceUsers(LoadSettings.users()))).assertions(errorsAndP99());
  }
}
