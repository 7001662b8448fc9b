package org.akkaredis;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The node's logging, set up in code: logback finds it through {@code META-INF/services} when there is no
 * logback.xml. A logback.xml would cost logback's XML configurator (the JDK's XML parser and Joran's rules), a
 * quarter of the main thread's work before the first PONG. {@code -Dlogback.configurationFile=...} still
 * replaces it.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  /** Every line of the node's log: its time, level, logger and message. */
  static final String PATTERN = "%d{dd MMM yyyy HH:mm:ss.SSS} %-5level [%logger{0}] %msg%n";

  @Override public void configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    // A bind failure is reported by the node itself in one line (and "-addr" binds may fail by design).
    context.getLogger("akka.io.TcpListener").setLevel(Level.OFF);
    // Its only warning at start says Akka Cluster is not in use, which is the design (docs/architecture.md).
    context.getLogger("akka.remote.RemoteActorRefProvider").setLevel(Level.ERROR);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
  }
}
