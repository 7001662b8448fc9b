package org.akkaredis.command;

import java.util.List;
import java.util.Map;

/**
 * One row of the command table: Redis's metadata (arity, flags, key positions, docs) and the handler.
 * {@code firstKey}/{@code lastKey}/{@code step} follow COMMAND INFO: lastKey -1 means the last argument,
 * -2 the one before it. Container commands (CLIENT, CONFIG, ...) have subcommands, and a handler of their own
 * only when they also answer without one (COMMAND).
 */
public record CommandSpec(
    String name,
    int arity,
    List<String> flags,
    int firstKey,
    int lastKey,
    int step,
    String group,
    String summary,
    String since,
    String complexity,
    Handler handler,
    Map<String, CommandSpec> subcommands) {

  public boolean hasFlag(String flag) {
    return flags.contains(flag);
  }

  public boolean isWrite() {
    return flags.contains("write");
  }

  public boolean hasKeys() {
    return firstKey > 0;
  }

  /** Arity rule: positive means exactly, negative means at least |arity| (the name counts). */
  public boolean arityOk(int argc) {
    return arity > 0 ? argc == arity : argc >= -arity;
  }

  /** Positions of the key arguments in {@code args}. */
  public int[] keyPositions(int argc) {
    if (firstKey <= 0 || firstKey >= argc) return new int[0];
    int last = lastKey >= 0 ? lastKey : argc + lastKey;
    if (last >= argc) last = argc - 1;
    if (last < firstKey) return new int[0];
    int count = (last - firstKey) / step + 1;
    int[] positions = new int[count];
    for (int i = 0; i < count; i++) positions[i] = firstKey + i * step;
    return positions;
  }
}
