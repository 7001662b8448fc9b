package org.akkaredis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Standard output's lines reach the node's log, Akka's basic logger's at their own level. */
class StdoutToLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("akka.stdout.test");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private PrintStream out;

  @BeforeEach
  void attach() {
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.DEBUG);
    logger.setAdditive(false);
    out = new PrintStream(new StdoutToLog(logger), true, StandardCharsets.UTF_8);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(appender);
  }

  private List<String> logged() {
    return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  @Test
  void anAkkaLineKeepsItsLevelWithoutItsOwnLevelAndTime() {
    out.println("[WARN] [12/06/2026 16:23:49.079] [akka-redis-cluster-akka.remote.default-remote-dispatcher-9] "
        + "[akka.stream.Log(akka://akka-redis-cluster/system/Materializers/StreamSupervisor-1)] [outbound connection "
        + "to [akka://akka-redis-cluster@127.0.0.1:40011], message stream] Upstream failed");
    out.println("[ERROR] [12/06/2026 16:23:49.080] [t] [s] broken");
    out.println("[DEBUG] [12/06/2026 16:23:49.081] [t] [s] detail");
    assertEquals(List.of(
        "WARN [akka-redis-cluster-akka.remote.default-remote-dispatcher-9] [akka.stream.Log(akka://akka-redis-cluster"
            + "/system/Materializers/StreamSupervisor-1)] [outbound connection to [akka://akka-redis-cluster@127.0.0.1"
            + ":40011], message stream] Upstream failed",
        "ERROR [t] [s] broken", "DEBUG [t] [s] detail"), logged());
  }

  @Test
  void anyOtherLineIsInfoAndEmptyLinesAreDropped() {
    out.print("plain text\r\n\n");
    out.print("in ");
    out.print("pieces\n");
    assertEquals(List.of("INFO plain text", "INFO in pieces"), logged());
  }

  @Test
  void aVeryLongLineIsLoggedInPieces() {
    out.println("x".repeat(StdoutToLog.MAX_LINE + 10));
    assertEquals(List.of(StdoutToLog.MAX_LINE, 10),
        appender.list.stream().map(e -> e.getFormattedMessage().length()).toList());
  }

  @Test
  void aLineWrittenWhileLoggingOneIsDroppedInsteadOfLooping() {
    ListAppender<ILoggingEvent> echo = new ListAppender<>() {
      @Override protected void append(ILoggingEvent event) {
        super.append(event);
        out.println("echo of " + event.getFormattedMessage()); // a console appender on this very stream
      }
    };
    echo.start();
    logger.addAppender(echo);
    try {
      out.println("once");
    } finally {
      logger.detachAppender(echo);
    }
    assertEquals(List.of("INFO once"), logged());
  }
}
