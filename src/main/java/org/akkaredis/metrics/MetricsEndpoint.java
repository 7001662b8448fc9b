package org.akkaredis.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Prometheus endpoint: {@code GET /metrics} on the JDK's HTTP server, in Prometheus's text format
 * written by Micrometer's Prometheus registry. A scrape asks the node for INFO and CLUSTER INFO (as a client
 * would, without counting as a command) and turns them into redis_exporter's metrics ({@link InfoMetrics}); beside
 * them the JVM's memory, GC and threads (Micrometer's binders) and what the node registers of its own (gauges and
 * timers). One thread serves the scrapes, a scrape waits at most {@link #INFO_DEADLINE} for the node, and up to
 * {@link #QUEUE} requests wait for that thread; past them the server's own thread serves the request (back-pressure
 * on the scrapers, never on the node's actors).
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
  static final Duration INFO_DEADLINE = Duration.ofSeconds(5);
  static final int QUEUE = 16;
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** What a scrape asks the node for. */
  public interface Source {
    /** The text of INFO everything. */
    CompletionStage<String> info();

    /** The text of CLUSTER INFO, or null without cluster mode. */
    CompletionStage<String> clusterInfo();
  }

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final HttpServer server;
  private final ThreadPoolExecutor scrapes;

  private MetricsEndpoint(PrometheusMeterRegistry registry, JvmGcMetrics gc, HttpServer server,
      ThreadPoolExecutor scrapes) {
    this.registry = registry;
    this.gc = gc;
    this.server = server;
    this.scrapes = scrapes;
  }

  /** Listens on {@code host} ("*": every address) and {@code port} (0: any free one) and serves /metrics. */
  public static MetricsEndpoint start(String host, int port, Source source) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    registry.getPrometheusRegistry().register(new InfoCollector(source));
    InetSocketAddress address = host.equals("*") || host.equals("::*")
        ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      gc.close();
      registry.close();
      throw new IOException("Could not bind the metrics port " + port + ": " + e.getMessage(), e);
    }
    ThreadPoolExecutor scrapes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE), runnable -> {
          Thread thread = new Thread(runnable, "metrics-scrape");
          thread.setDaemon(true);
          return thread;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    server.setExecutor(scrapes);
    MetricsEndpoint endpoint = new MetricsEndpoint(registry, gc, server, scrapes);
    server.createContext("/", endpoint::serve);
    server.start();
    return endpoint;
  }

  /** The port listened on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** A gauge of the node's own, read at each scrape. */
  public void gauge(String name, String help, String label, String labelValue, LongSupplier value) {
    Gauge.builder(name, value, supplier -> supplier.getAsLong()).description(help).tag(label, labelValue)
        .strongReference(true)
        .register(registry);
  }

  /**
   * A timer of the node's own with fixed buckets (a histogram in the scrape: {@code _bucket}, {@code _count},
   * {@code _sum}); the recorder takes nanoseconds and allocates nothing.
   */
  public LongConsumer timer(String name, String help, String label, String labelValue, Duration... buckets) {
    Timer timer = Timer.builder(name).description(help).tag(label, labelValue).serviceLevelObjectives(buckets)
        .register(registry);
    return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The text a scrape gets now (tests and the endpoint). */
  public String scrape() {
    return registry.scrape();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        reply(exchange, 404, "Not found: the metrics are at /metrics\n");
      } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        reply(exchange, 405, "Method not allowed\n");
      } else {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        reply(exchange, 200, scrape());
      }
    } catch (RuntimeException e) {
      LOG.warn("A metrics scrape failed", e);
    }
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops listening, ends the scrape thread and the GC listener. */
  @Override public void close() {
    server.stop(0);
    scrapes.shutdownNow();
    gc.close();
    registry.close();
  }

  /** redis_exporter's metrics, made from INFO and CLUSTER INFO at each scrape. */
  private static final class InfoCollector implements MultiCollector {
    private final Source source;

    InfoCollector(Source source) {
      this.source = source;
    }

    @Override public MetricSnapshots collect() {
      try {
        String info = await(source.info());
        CompletionStage<String> cluster = source.clusterInfo();
        return InfoMetrics.of(info, cluster == null ? null : await(cluster));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return InfoMetrics.down();
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("The node did not answer INFO for a metrics scrape: {}", e.toString());
        return InfoMetrics.down();
      }
    }

    private static String await(CompletionStage<String> text)
        throws InterruptedException, ExecutionException, TimeoutException {
      return text.toCompletableFuture().get(INFO_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
