package org.akkaredis.command;

import java.util.List;
import java.util.Map;

/**
 * One row of the command table: a command's metadata from {@link CommandCatalog} and the handler bound to it.
 * {@code firstKey}/{@code lastKey}/{@code step} follow COMMAND INFO: lastKey -1 means the last argument,
 * -2 the one before it. Container commands (CLIENT, CONFIG, ...) have subcommands, and a handler of their own
 * only when they also answer without one (COMMAND).
 */
public record CommandSpec(CommandMetadata metadata, Handler handler, Map<String, CommandSpec> subcommands) {

  /** The lower-case full name: "get", "client|list". */
  public String name() {
    return metadata.name();
  }

  public int arity() {
    return metadata.arity();
  }

  public List<String> flags() {
    return metadata.flags();
  }

  public int firstKey() {
    return metadata.firstKey();
  }

  public int lastKey() {
    return metadata.lastKey();
  }

  public int step() {
    return metadata.step();
  }

  public String group() {
    return metadata.doc().group();
  }

  public String summary() {
    return metadata.doc().summary();
  }

  public String since() {
    return metadata.doc().since();
  }

  public String complexity() {
    return metadata.doc().complexity();
  }

  public boolean hasFlag(String flag) {
    return metadata.flags().contains(flag);
  }

  /**
   * Redis's CMD_MAY_REPLICATE, which COMMAND INFO does not list (so the catalog has no such flag): the commands
   * commands.c of 7.0.15 gives it. A read-only script may not run them.
   */
  private static final java.util.Set<String> MAY_REPLICATE =
      java.util.Set.of("pfcount", "publish", "spublish", "eval", "evalsha", "fcall");

  public boolean mayReplicate() {
    return MAY_REPLICATE.contains(name());
  }

  public boolean isWrite() {
    return hasFlag("write");
  }

  public boolean hasKeys() {
    return metadata.firstKey() > 0;
  }

  /** Arity rule: positive means exactly, negative means at least |arity| (the name counts). */
  public boolean arityOk(int argc) {
    int arity = metadata.arity();
    return arity > 0 ? argc == arity : argc >= -arity;
  }

  /** Positions of the key arguments in {@code args}. */
  public int[] keyPositions(int argc) {
    int firstKey = metadata.firstKey();
    int lastKey = metadata.lastKey();
    if (firstKey <= 0 || firstKey >= argc) return new int[0];
    int last = lastKey >= 0 ? lastKey : argc + lastKey;
    if (last >= argc) last = argc - 1;
    if (last < firstKey) return new int[0];
    int count = (last - firstKey) / metadata.step() + 1;
    int[] positions = new int[count];
    for (int i = 0; i < count; i++) positions[i] = firstKey + i * metadata.step();
    return positions;
  }
}
