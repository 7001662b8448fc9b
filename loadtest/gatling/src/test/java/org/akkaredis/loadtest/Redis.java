package org.akkaredis.loadtest;

import com.typesafe.scalalogging.Logger;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.commons.stats.Status;
import io.gatling.commons.util.Clock;
import io.gatling.core.action.Action;
import io.gatling.core.stats.StatsEngine;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import scala.Option;

/**
 * The Redis protocol for Gatling: {@code Redis.command("GET", (session, redis) -> redis.async().get(key))}
 * is an action that sends one command through the simulation's {@link RedisCluster} (Lettuce, asynchronous)
 * and reports it to Gatling's StatsEngine as a request named "GET" with its response time, OK when a reply
 * came and KO otherwise. A KO's message is the error's first word and text (CLUSTERDOWN, MOVED past
 * Lettuce's redirect limit, TRYAGAIN, ...) or "timeout", so the report's error table tells them apart.
 */
public final class Redis {
  private Redis() {}

  /** Sends a command for a virtual user: the shared connection is redis.async(). */
  @FunctionalInterface
  public interface Command {
    CompletionStage<?> send(io.gatling.javaapi.core.Session session, RedisCluster redis);
  }

  public static CommandBuilder command(String requestName, RedisCluster redis, Command command) {
    return new CommandBuilder(requestName, redis, command, null);
  }

  /** The action builder; saveAs keeps the reply in the session under a name (null: the reply is dropped). */
  public record CommandBuilder(String requestName, RedisCluster redis, Command command, String saveAs)
      implements ActionBuilder {

    public CommandBuilder saveAs(String attribute) {
      return new CommandBuilder(requestName, redis, command, attribute);
    }

    @Override
    public io.gatling.core.action.builder.ActionBuilder asScala() {
      return (ScenarioContext context, Action next) -> new CommandAction(this,
          context.coreComponents().statsEngine(), context.coreComponents().clock(), next);
    }
  }

  /** Gatling's core Action, written against its Scala interface. */
  static final class CommandAction implements Action {
    private static final Logger LOGGER = Logger.apply(CommandAction.class);
    private final CommandBuilder spec;
    private final StatsEngine statsEngine;
    private final Clock clock;
    private final Action next;

    CommandAction(CommandBuilder spec, StatsEngine statsEngine, Clock clock, Action next) {
      this.spec = spec;
      this.statsEngine = statsEngine;
      this.clock = clock;
      this.next = next;
    }

    @Override
    public String name() {
      return "redis-" + spec.requestName();
    }

    @Override
    public void execute(io.gatling.core.session.Session session) {
      long start = clock.nowMillis();
      CompletionStage<?> reply;
      try {
        reply = spec.command().send(new io.gatling.javaapi.core.Session(session), spec.redis());
      } catch (RuntimeException e) {
        // The command could not even be sent (e.g. no connection to the slot's node).
        finish(session, start, null, e);
        return;
      }
      // Lettuce completes on its own threads; the virtual user goes on on its own event loop, as Gatling needs.
      reply.whenComplete((value, error) -> {
        long end = clock.nowMillis();
        session.eventLoop().execute(() -> finishAt(session, start, end, value, error));
      });
    }

    private void finish(io.gatling.core.session.Session session, long start, Object value, Throwable error) {
      finishAt(session, start, clock.nowMillis(), value, error);
    }

    private void finishAt(io.gatling.core.session.Session session, long start, long end, Object value,
        Throwable error) {
      io.gatling.core.session.Session after;
      if (error == null) {
        log(session, start, end, OK$.MODULE$, Option.empty(), Option.empty());
        after = spec.saveAs() == null || value == null ? session : session.set(spec.saveAs(), value);
      } else {
        Throwable cause = unwrap(error);
        log(session, start, end, KO$.MODULE$, Option.apply(codeOf(cause)), Option.apply(messageOf(cause)));
        after = session.markAsFailed();
      }
      next.$bang(after);
    }

    private void log(io.gatling.core.session.Session session, long start, long end, Status status,
        Option<String> code, Option<String> message) {
      statsEngine.logResponse(session.scenario(), session.groups(), spec.requestName(), start, end, status,
          code, message);
    }

    @Override
    public Logger logger() {
      return LOGGER;
    }

    @Override
    public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(Logger logger) {
      // Scala's trait initialiser would set the logger; the final field above is it.
    }
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The error's kind: Redis's error code (its first word), "timeout", or the exception's class. */
  static String codeOf(Throwable cause) {
    if (cause instanceof RedisCommandTimeoutException) {
      return "timeout";
    }
    if (cause instanceof RedisCommandExecutionException && cause.getMessage() != null) {
      String message = cause.getMessage();
      int space = message.indexOf(' ');
      return space < 0 ? message : message.substring(0, space);
    }
    return cause.getClass().getSimpleName();
  }

  static String messageOf(Throwable cause) {
    if (cause instanceof RedisCommandTimeoutException) {
      return "timeout: " + cause.getMessage();
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return cause instanceof RedisCommandExecutionException ? message
        : cause.getClass().getSimpleName() + ": " + message;
  }
}
