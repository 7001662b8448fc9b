package org.akkaredis.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Failover under load: the cache workload (uniform keys, so every master gets its share) while a second
 * scenario SIGKILLs the master of key "failover:victim" after a third of the run (`kill.after` s). The
 * report's "responses per second" chart shows the error window: KO (timeouts, then CLUSTERDOWN or
 * connection errors) for that master's slots until its replica is promoted and Lettuce's topology refresh
 * finds it. The error assertion is loose (errors.percent, default 25 %); the p99 one is not made.
 * loadtest/gatling.sh restarts the killed node afterwards (it rejoins as a replica).
 */
public class FailoverSimulation extends RedisSimulation {
  private final Duration duration = LoadSettings.duration();
  private final Duration killAfter = Duration.ofSeconds(Long.getLong("kill.after", duration.toSeconds() / 3));
  private final int keys = LoadSettings.keys();

  private final ScenarioBuilder load = scenario("load")
      .during(duration).on(cacheMix(() -> "failover:" + ThreadLocalRandom.current().nextInt(keys)));

  private final ScenarioBuilder killer = scenario("kill a master")
      .pause(killAfter)
      .exec(session -> {
        System.out.println("FailoverSimulation: "
            + redis.killMasterOf("failover:victim", LoadSettings.clusterDataDir()));
        return session;
      });

  public FailoverSimulation() {
    super(0);
    setUp(load.injectOpen(atOnceUsers(LoadSettings.users())), killer.injectOpen(atOnceUsers(1)))
        .assertions(global().failedRequests().percent().lt(LoadSettings.maxErrorPercent(25.0)));
  }
}
