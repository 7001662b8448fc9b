package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespFuzzer;
import org.akkaredis.it.support.RespReader;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the wire protocol of a live node over TCP: connections send seeded, mostly malformed inputs
 * ({@link RespFuzzer}) split at random points, then close their sending side and read everything the node
 * answers. Each connection must be answered with well-formed replies and closed within a deadline (the node
 * never hangs), whatever it sent; meanwhile a checker client keeps writing and reading its own keys, which must
 * stay intact, and its connection must never be closed (the node closes only the offending connection).
 *
 * <p>The CI form sends {@value #CI_INPUTS} inputs; {@code -Dfuzz.inputs=1000000} runs the full size and
 * {@code -Dfuzz.seed=N} another seed (the failure message names the seed of the failing connection).
 */
class RespFuzzTest {
  private static final int CI_INPUTS = 20_000;
  private static final int WORKERS = 3;
  /** How long a connection may take to be answered and closed after its last input. */
  private static final int DEADLINE_MS = 20_000;
  private static final int CHECKER_KEYS = 200;

  private final AtomicLong inputs = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong errorReplies = new AtomicLong();
  private final AtomicLong resets = new AtomicLong();
  private final AtomicLong closedWellFormed = new AtomicLong();
  /** Replies "ERR internal error in ...": a handler threw (CommandRunner.internalError). */
  private final List<String> internalErrors = java.util.Collections.synchronizedList(new ArrayList<>());

  @Test
  void malformedInputsNeverHangOrCrashTheNodeNorDisturbOtherClients() throws Exception {
    long total = Long.getLong("fuzz.inputs", CI_INPUTS);
    long seed = Long.getLong("fuzz.seed", 20261206L);
    try (NodeFixture node = start(); RespConnection checker = RespConnection.open(node.port())) {
      Map<String, String> expected = new HashMap<>();
      for (int i = 0; i < CHECKER_KEYS; i++) put(checker, expected, "checker:" + i, "value-" + i);
      ExecutorService readers = Executors.newCachedThreadPool(daemon("fuzz-reader"));
      ExecutorService workers = Executors.newFixedThreadPool(WORKERS, daemon("fuzz-writer"));
      try {
        List<Future<?>> running = new ArrayList<>();
        CountDownLatch finished = new CountDownLatch(WORKERS);
        for (int w = 0; w < WORKERS; w++) {
          int worker = w;
          running.add(workers.submit(() -> {
            try {
              fuzz(node.port(), seed, worker, total / WORKERS + (worker < total % WORKERS ? 1 : 0), readers);
            } finally {
              finished.countDown();
            }
            return null;
          }));
        }
        long round = 0;
        do {
          // The checker goes on meanwhile, a round every 20 ms until the workers are done: its writes land and its
          // data stays as it wrote it.
          String key = "checker:" + (round % CHECKER_KEYS);
          put(checker, expected, key, "value-" + key + "-" + round++);
          verify(checker, expected, 20, round);
        } while (!finished.await(20, TimeUnit.MILLISECONDS));
        for (Future<?> worker : running) worker.get(); // fails with a worker's failure
      } finally {
        workers.shutdownNow();
        readers.shutdownNow();
      }
      verify(checker, expected, CHECKER_KEYS, 0);
      assertEquals("PONG", checker.call("PING").text());
      System.out.printf("fuzz: seed %d, %d inputs in %d connections, %d replies (%d errors), %d connections reset,"
          + " %d well-formed connections closed (QUIT) while sending%n",
          seed, inputs.get(), connections.get(), replies.get(), errorReplies.get(), resets.get(), closedWellFormed.get());
      assertEquals(total, inputs.get(), "inputs sent");
      assertEquals(List.of(), internalErrors, "a command threw inside the node");
    }
  }

  private static NodeFixture start() {
    if (Servers.AGAINST_REDIS) {
      throw new org.opentest4j.TestAbortedException("fuzzes the node in this JVM");
    }
    return NodeFixture.startAsync(false, Map.of()).join();
  }

  private static void put(RespConnection checker, Map<String, String> expected, String key, String value) {
    assertEquals("OK", checker.call("SET", key, value).text());
    expected.put(key, value);
  }

  private static void verify(RespConnection checker, Map<String, String> expected, int count, long round) {
    for (int i = 0; i < count; i++) {
      String key = "checker:" + ((round * 7 + i) % CHECKER_KEYS);
      assertEquals(expected.get(key), checker.call("GET", key).text(), key);
    }
  }

  /** One worker: connections of 1 to 40 inputs each until its share is sent. */
  private void fuzz(int port, long seed, int worker, long share, ExecutorService readers) throws Exception {
    long sent = 0;
    for (long connection = 0; sent < share; connection++) {
      long connectionSeed = seed * 1_000_003L + worker * 100_000_000L + connection;
      java.util.Random shape = new java.util.Random(connectionSeed);
      int count = (int) Math.min(share - sent, 1 + shape.nextInt(40));
      // Half the connections send well-formed commands only, so that many run before one breaks the protocol.
      sent += oneConnection(port, new RespFuzzer(connectionSeed), shape.nextBoolean(), count, connectionSeed, readers);
    }
  }

  /** Sends up to {@code count} inputs on a new connection (fewer when the node closes it); returns how many. */
  private int oneConnection(int port, RespFuzzer fuzzer, boolean wellFormed, int count, long connectionSeed,
      ExecutorService readers) throws Exception {
    int written = 0;
    connections.incrementAndGet();
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(DEADLINE_MS);
      socket.connect(new InetSocketAddress("127.0.0.1", port), DEADLINE_MS);
      Future<String> reading = readers.submit(() -> readUntilClosed(socket));
      OutputStream out = socket.getOutputStream();
      try {
        for (int i = 0; i < count; i++) {
          byte[] input = fuzzer.next(wellFormed);
          for (byte[] piece : fuzzer.split(input)) {
            out.write(piece);
            out.flush();
          }
          written++;
          inputs.incrementAndGet();
        }
        socket.shutdownOutput();
      } catch (IOException closedByTheNode) {
        // The node closed the connection (a protocol error): the rest of this connection's inputs are not sent.
        if (wellFormed) closedWellFormed.incrementAndGet();
      }
      String failure = reading.get(DEADLINE_MS * 2L, TimeUnit.MILLISECONDS);
      if (failure != null) throw new AssertionError("connection with seed " + connectionSeed + ": " + failure);
    }
    return written;
  }

  /** Reads replies until the node closes the connection; the failure, or null. */
  private String readUntilClosed(Socket socket) {
    try {
      RespReader reader = new RespReader(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
      while (true) {
        RespReply reply;
        try {
          reply = reader.read();
        } catch (EOFException closed) {
          return null;
        }
        replies.incrementAndGet();
        if (reply.isError()) {
          errorReplies.incrementAndGet();
          if (reply.text().startsWith("ERR internal error") && internalErrors.size() < 20) internalErrors.add(reply.text());
        }
      }
    } catch (SocketTimeoutException e) {
      return "the node neither answered nor closed the connection within " + DEADLINE_MS + " ms";
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("reset") || message.contains("Broken pipe")) {
        resets.incrementAndGet(); // the node closed while our input was unread: the kernel resets
        return null;
      }
      return "malformed reply stream: " + message;
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
