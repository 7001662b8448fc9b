package org.akkaredis.it.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A named sequence of commands for a differential run. Each step goes to one of two connections (0 unless
 * said otherwise) on both servers and names how its replies are compared.
 */
public final class Script {
  /** One command, or a full SCAN-style iteration whose results are compared as a set. */
  public sealed interface Step permits Command, FullScan {
    int connection();

    /** The command as redis-cli would show it. */
    String display();
  }

  public record Command(int connection, List<byte[]> args, Comparison comparison) implements Step {
    @Override
    public String display() {
      return Script.display(args);
    }
  }

  /**
   * Iterates a cursor command (SCAN/HSCAN) to the end on each server and compares what was returned as a
   * set, since cursor values and page boundaries are each server's own. {@code cursorIndex} is the
   * position of the cursor argument.
   */
  public record FullScan(int connection, List<byte[]> args, int cursorIndex, boolean pairs) implements Step {
    @Override
    public String display() {
      return Script.display(args) + " (iterated to the end)";
    }
  }

  private final String name;
  private final List<Step> steps = new ArrayList<>();

  public Script(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public List<Step> steps() {
    return List.copyOf(steps);
  }

  /** Compared byte for byte, on connection 0. */
  public Script cmd(String... args) {
    return add(0, Comparison.exact(), bytes(args));
  }

  public Script cmd(Comparison comparison, String... args) {
    return add(0, comparison, bytes(args));
  }

  /** Compared byte for byte, on connection {@code connection}. */
  public Script on(int connection, String... args) {
    return add(connection, Comparison.exact(), bytes(args));
  }

  public Script on(int connection, Comparison comparison, String... args) {
    return add(connection, comparison, bytes(args));
  }

  public Script binary(byte[]... args) {
    return add(0, Comparison.exact(), Arrays.asList(args));
  }

  public Script scan(String... argsWithCursor) {
    steps.add(new FullScan(0, bytes(argsWithCursor), 1, false));
    return this;
  }

  public Script hscan(String... argsWithCursor) {
    steps.add(new FullScan(0, bytes(argsWithCursor), 2, true));
    return this;
  }

  private Script add(int connection, Comparison comparison, List<byte[]> args) {
    steps.add(new Command(connection, List.copyOf(args), comparison));
    return this;
  }

  private static List<byte[]> bytes(String... args) {
    List<byte[]> bytes = new ArrayList<>();
    for (String arg : args) bytes.add(arg.getBytes(StandardCharsets.UTF_8));
    return bytes;
  }

  static String display(List<byte[]> args) {
    StringBuilder out = new StringBuilder();
    for (byte[] arg : args) {
      if (out.length() > 0) out.append(' ');
      String escaped = RespReply.escape(arg, 80);
      boolean plain = arg.length > 0 && escaped.matches("[A-Za-z0-9_{}:.+*?\\-]+");
      out.append(plain ? escaped : "\"" + escaped + "\"");
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return name;
  }
}
