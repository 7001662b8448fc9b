package org.akkaredis.it.support;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Runs scripts against a real Redis (expected) and the node (actual) on matching connections and collects
 * every reply that differs. A script runs either one command at a time, or pipelined: each run of
 * consecutive commands on one connection goes out in a single write, which is how the node sees a client
 * that pipelines (one TCP read holding many commands).
 */
public final class DifferentialRunner {
  /** One step whose replies disagree. */
  public record Mismatch(String script, int step, Script.Step command, String expected, String actual, String why) {
    public String describe() {
      return "script '" + script + "', step " + step + " (connection " + command.connection() + "):\n"
          + "  command:  " + command.display() + "\n"
          + "  expected: " + expected + "   (redis-server)\n"
          + "  actual:   " + actual + "   (node)\n"
          + "  why:      " + why;
    }
  }

  /** Thrown when the node stops answering: later steps cannot be compared. */
  private static final class ConnectionLost extends RuntimeException {
    ConnectionLost(UncheckedIOException cause) {
      super(cause);
    }
  }

  private static final int CONNECTIONS = 2;
  private static final int MAX_SCAN_CALLS = 10_000;

  private final RedisEndpoint expected;
  private final RedisEndpoint actual;

  public DifferentialRunner(RedisEndpoint expected, RedisEndpoint actual) {
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * Runs one script on fresh connections after FLUSHALL on both servers; stops at a lost connection.
   *
   * @param pipelined whether consecutive commands on one connection go out in one write
   */
  public List<Mismatch> run(Script script, boolean pipelined) {
    flushAll(expected);
    flushAll(actual);
    List<Mismatch> mismatches = new ArrayList<>();
    RespConnection[] onExpected = new RespConnection[CONNECTIONS];
    RespConnection[] onActual = new RespConnection[CONNECTIONS];
    List<Script.Step> steps = script.steps();
    try {
      int next = 0;
      while (next < steps.size()) {
        Script.Step first = steps.get(next);
        int c = first.connection();
        if (onExpected[c] == null) {
          onExpected[c] = expected.connect();
          onActual[c] = actual.connect();
        }
        if (first instanceof Script.FullScan scan) {
          compareScan(script, next + 1, scan, onExpected[c], onActual[c], mismatches);
          next++;
          continue;
        }
        int end = next + 1;
        while (pipelined && end < steps.size() && steps.get(end) instanceof Script.Command
            && steps.get(end).connection() == c) {
          end++;
        }
        List<Script.Command> batch = new ArrayList<>();
        for (Script.Step step : steps.subList(next, end)) batch.add((Script.Command) step);
        List<RespReply> e = send(onExpected[c], batch);
        List<RespReply> a;
        try {
          a = send(onActual[c], batch);
        } catch (ConnectionLost lost) {
          mismatches.add(new Mismatch(script.name(), next + 1, first, e.get(0).toString(), "(no reply)",
              "the node sent no reply: " + lost.getCause().getCause()));
          return mismatches;
        }
        for (int i = 0; i < batch.size(); i++) {
          compareReply(script, next + i + 1, batch.get(i), e.get(i), a.get(i), mismatches);
        }
        next = end;
      }
      return mismatches;
    } finally {
      for (int c = 0; c < CONNECTIONS; c++) {
        if (onExpected[c] != null) onExpected[c].close();
        if (onActual[c] != null) onActual[c].close();
      }
    }
  }

  private void compareReply(Script script, int index, Script.Command command, RespReply e, RespReply a,
                            List<Mismatch> mismatches) {
    String why = command.comparison().mismatch(e, a, expected, actual);
    if (why != null) {
      String reason = command.comparison().reason();
      mismatches.add(new Mismatch(script.name(), index, command, e.toString(), a.toString(),
          why + (reason.isEmpty() ? "" : " [compared loosely because: " + reason + "]")));
    }
  }

  private static void compareScan(Script script, int index, Script.FullScan scan, RespConnection onExpected,
                                  RespConnection onActual, List<Mismatch> mismatches) {
    String e = iterate(onExpected, scan);
    String a;
    try {
      a = iterate(onActual, scan);
    } catch (UncheckedIOException lost) {
      throw new AssertionError("the node sent no reply to " + scan.display(), lost);
    }
    if (!e.equals(a)) {
      mismatches.add(new Mismatch(script.name(), index, scan, e, a,
          "different elements over a full iteration [cursor values and pages are each server's own]"));
    }
  }

  /**
   * Sends the commands in one write and reads one reply per command. The write runs on its own thread:
   * a server that stops reading while its replies are not being read must not deadlock the test.
   */
  private static List<RespReply> send(RespConnection connection, List<Script.Command> commands) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Script.Command command : commands) {
      bytes.writeBytes(RespConnection.encode(command.args().toArray(byte[][]::new)));
    }
    CompletableFuture<Void> written = CompletableFuture.runAsync(() -> connection.sendRaw(bytes.toByteArray()),
        runnable -> {
          Thread writer = new Thread(runnable, "pipeline-writer");
          writer.setDaemon(true);
          writer.start();
        });
    List<RespReply> replies = new ArrayList<>();
    try {
      for (int i = 0; i < commands.size(); i++) replies.add(connection.read());
    } catch (UncheckedIOException lost) {
      throw new ConnectionLost(lost);
    }
    written.join();
    return replies;
  }

  private static void flushAll(RedisEndpoint server) {
    try (RespConnection connection = server.connect()) {
      RespReply reply = connection.call("FLUSHALL");
      if (reply.isError()) throw new AssertionError(server.describe() + ": FLUSHALL answered " + reply);
    }
  }

  /** The sorted elements returned over a full iteration, or the first error. */
  private static String iterate(RespConnection connection, Script.FullScan scan) {
    List<byte[]> args = new ArrayList<>(scan.args());
    TreeSet<String> seen = new TreeSet<>();
    String cursor = "0";
    for (int calls = 0; calls < MAX_SCAN_CALLS; calls++) {
      args.set(scan.cursorIndex(), cursor.getBytes(StandardCharsets.US_ASCII));
      RespReply page = connection.call(args);
      if (page.type != '*' || page.elements().size() != 2) return page.toString();
      cursor = page.get(0).text();
      List<RespReply> items = page.get(1).elements();
      if (scan.pairs()) {
        for (int i = 0; i + 1 < items.size(); i += 2) {
          seen.add(items.get(i).escaped(200) + "=" + items.get(i + 1).escaped(200));
        }
      } else {
        for (RespReply item : items) seen.add(item.escaped(200));
      }
      if (cursor.equals("0")) return seen.toString();
    }
    return "(no end after " + MAX_SCAN_CALLS + " calls)";
  }
}
