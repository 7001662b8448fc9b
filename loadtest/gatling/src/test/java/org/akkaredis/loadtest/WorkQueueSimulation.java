package org.akkaredis.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;

/**
 * A work queue: producers LPUSH jobs (each at most 200 a second) onto 8 queues spread over the slots;
 * as many consumers BRPOP them with a 0.2 s timeout, each on a dedicated connection (a blocking command on
 * the shared connection would stall every command queued behind it). A BRPOP that times out on an empty
 * queue is an OK with a nil reply; its response time is the wait for work.
 */
public class WorkQueueSimulation extends RedisSimulation {
  private static final int QUEUES = 8;

  private static String queue(long userId) {
    return "queue:" + (userId % QUEUES);
  }

  private final ScenarioBuilder producers = scenario("producers")
      .during(LoadSettings.duration()).on(
          pace(Duration.ofMillis(5)),
          exec(Redis.command("LPUSH", redis, (session, r) -> r.async().lpush(queue(session.userId()),
              "job-" + session.userId() + "-" + System.nanoTime()))));

  private final ScenarioBuilder consumer = scenario("consumers")
      .during(LoadSettings.duration()).on(
          exec(Redis.command("BRPOP", redis,
              (session, r) -> r.blocking(session.userId()).brpop(0.2, queue(session.userId())))));

  public WorkQueueSimulation() {
    super(LoadSettings.users());
    setUp(producers.injectOpen(atOnceUsers(LoadSettings.users())),
        consumer.injectOpen(atOnceUsers(LoadSettings.users())))
        .assertions(
            global().failedRequests().percent().lt(LoadSettings.maxErrorPercent(1.0)),
            details("LPUSH").responseTime().percentile(99.0).lt(LoadSettings.p99LimitMillis()));
  }
}
