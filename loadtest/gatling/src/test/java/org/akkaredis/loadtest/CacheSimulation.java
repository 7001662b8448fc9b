package org.akkaredis.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.lettuce.core.SetArgs;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A read-mostly cache: 90 % GET, 10 % SET with a 60 s TTL, keys drawn from a Zipf distribution (exponent
 * 1.0) over `keys` keys, so a few keys are hot. `users` virtual users send back to back for `duration` s.
 */
public class CacheSimulation extends Simulation {
  private final RedisCluster redis = RedisCluster.fromSettings(0);
  private final Zipf keys = new Zipf(LoadSettings.keys(), 1.0);
  private final String value = "v".repeat(100);

  private String key() {
    return "cache:" + keys.next(ThreadLocalRandom.current());
  }

  private final ScenarioBuilder cache = scenario("read-mostly cache")
      .during(LoadSettings.duration()).on(
          randomSwitch().on(
              percent(90.0).then(exec(Redis.command("GET", redis, (session, r) -> r.async().get(key())))),
              percent(10.0).then(exec(Redis.command("SET EX 60", redis,
                  (session, r) -> r.async().set(key(), value, SetArgs.Builder.ex(60)))))));

  {
    setUp(cache.injectOpen(atOnceUsers(LoadSettings.users())))
        .assertions(
            global().failedRequests().percent().lt(LoadSettings.maxErrorPercent(1.0)),
            global().responseTime().percentile(99.0).lt(LoadSettings.p99LimitMillis()));
  }

  @Override
  public void after() {
    redis.close();
  }
}
