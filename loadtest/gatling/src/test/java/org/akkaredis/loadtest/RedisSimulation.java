package org.akkaredis.loadtest;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.lettuce.core.SetArgs;
import java.util.function.Supplier;

/** A simulation with its own cluster client, closed when the run ends, and the workloads' shared parts. */
public abstract class RedisSimulation extends Simulation {
  protected final RedisCluster redis;
  private final String value = "v".repeat(100);

  protected RedisSimulation(int blockingConnections) {
    redis = RedisCluster.fromSettings(blockingConnections);
  }

  /** A cache's mix: 90 % GET, 10 % SET with a 60 s TTL, of a 100-byte value, on the keys the supplier draws. */
  protected ChainBuilder cacheMix(Supplier<String> key) {
    return randomSwitch().on(
        percent(90.0).then(exec(Redis.command("GET", redis, (session, r) -> r.async().get(key.get())))),
        percent(10.0).then(exec(Redis.command("SET EX 60", redis,
            (session, r) -> r.async().set(key.get(), value, SetArgs.Builder.ex(60))))));
  }

  /** Failed requests under errors.percent (1 % unless set) and the p99 under p99.ms. */
  protected static Assertion[] errorsAndP99() {
    return new Assertion[] {
        global().failedRequests().percent().lt(LoadSettings.maxErrorPercent(1.0)),
        global().responseTime().percentile(99.0).lt(LoadSettings.p99LimitMillis())};
  }

  @Override
  public void after() {
    redis.close();
  }
}
