package org.akkaredis.command;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every command the node knows, by lower-case name. Built once at start from the command groups' tables. */
public final class CommandTable {
  private final Map<String, CommandSpec> commands;
  /** Open-addressing index by case-insensitive name bytes: every command looks itself up without allocating. */
  private final byte[][] indexNames;
  private final CommandSpec[] indexSpecs;

  private CommandTable(Map<String, CommandSpec> commands) {
    this.commands = Map.copyOf(commands);
    int capacity = Integer.highestOneBit(Math.max(16, commands.size() * 4));
    indexNames = new byte[capacity][];
    indexSpecs = new CommandSpec[capacity];
    for (CommandSpec spec : commands.values()) {
      byte[] name = spec.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      int i = caseInsensitiveHash(name) & (capacity - 1);
      while (indexNames[i] != null) i = (i + 1) & (capacity - 1);
      indexNames[i] = name;
      indexSpecs[i] = spec;
    }
  }

  public CommandSpec lookup(byte[] name) {
    int mask = indexNames.length - 1;
    for (int i = caseInsensitiveHash(name) & mask; indexNames[i] != null; i = (i + 1) & mask) {
      if (Args.is(name, indexNames[i])) return indexSpecs[i];
    }
    return null;
  }

  private static int caseInsensitiveHash(byte[] bytes) {
    int h = 0;
    for (byte b : bytes) h = 31 * h + lowerAscii(b);
    return h ^ (h >>> 16);
  }

  private static int lowerAscii(byte b) {
    return b >= 'A' && b <= 'Z' ? b + 32 : b & 0xFF;
  }

  public CommandSpec lookup(String name) {
    return commands.get(name.toLowerCase(Locale.ROOT));
  }

  public Collection<CommandSpec> all() {
    return commands.values();
  }

  public int size() {
    return commands.size();
  }

  static String lowerAscii(byte[] bytes) {
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      int c = bytes[i] & 0xFF;
      chars[i] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return new String(chars);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every command group of this package; the node adds the cluster's own rows. */
  public static Builder withAllGroups() {
    Builder b = new Builder();
    ConnectionCommands.register(b);
    ServerCommands.register(b);
    CommandIntrospection.register(b);
    StringCommands.register(b);
    KeyCommands.register(b);
    HashCommands.register(b);
    ListCommands.register(b);
    BlockingCommands.register(b);
    SetCommands.register(b);
    SortedSetCommands.register(b);
    TransactionCommands.register(b);
    ReplicationCommands.register(b);
    return b;
  }

  /**
   * Collects rows. Flags are given as one space-separated string, as Redis's command docs list them, e.g.
   * {@code "write denyoom fast"}.
   */
  public static final class Builder {
    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();
    private final Map<String, Map<String, CommandSpec>> subcommands = new LinkedHashMap<>();

    /** A command whose keys are the arguments from firstKey to lastKey by step. */
    public Builder add(String name, int arity, String flags, int firstKey, int lastKey, int step,
        String group, String since, String summary, String complexity, Handler handler) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (commands.containsKey(lower)) throw new IllegalArgumentException("duplicate command " + name);
      commands.put(lower, new CommandSpec(lower, arity, flagList(flags), firstKey, lastKey, step, group, summary,
          since, complexity, handler, Map.of()));
      return this;
    }

    /** A command without keys. */
    public Builder add(String name, int arity, String flags, String group, String since, String summary,
        String complexity, Handler handler) {
      return add(name, arity, flags, 0, 0, 0, group, since, summary, complexity, handler);
    }

    /** A container command (CLIENT, CONFIG, ...); its subcommands are added with {@link #sub}. */
    public Builder container(String name, int arity, String group, String since, String summary) {
      return container(name, arity, "", group, since, summary, "Depends on subcommand.", null);
    }

    /** A container that also answers on its own, without a subcommand (COMMAND). */
    public Builder container(String name, int arity, String flags, String group, String since, String summary,
        String complexity, Handler withoutSubcommand) {
      String lower = name.toLowerCase(Locale.ROOT);
      subcommands.put(lower, new LinkedHashMap<>());
      commands.put(lower, new CommandSpec(lower, arity, flagList(flags), 0, 0, 0, group, summary, since, complexity,
          withoutSubcommand, Map.of()));
      return this;
    }

    /** A subcommand of a container; its name is "container|sub" as Redis 7.0 reports it. */
    public Builder sub(String container, String sub, int arity, String flags, int firstKey, int lastKey, int step,
        String since, String summary, String complexity, Handler handler) {
      String parent = container.toLowerCase(Locale.ROOT);
      Map<String, CommandSpec> subs = subcommands.get(parent);
      if (subs == null) throw new IllegalArgumentException("no container " + container);
      String group = commands.get(parent).group();
      String lower = sub.toLowerCase(Locale.ROOT);
      subs.put(lower, new CommandSpec(parent + "|" + lower, arity, flagList(flags), firstKey, lastKey, step, group,
          summary, since, complexity, handler, Map.of()));
      return this;
    }

    public Builder sub(String container, String sub, int arity, String flags, String since, String summary,
        String complexity, Handler handler) {
      return sub(container, sub, arity, flags, 0, 0, 0, since, summary, complexity, handler);
    }

    public CommandTable build() {
      Map<String, CommandSpec> all = new LinkedHashMap<>(commands);
      subcommands.forEach((parent, subs) -> {
        CommandSpec c = all.get(parent);
        all.put(parent, new CommandSpec(c.name(), c.arity(), c.flags(), 0, 0, 0, c.group(), c.summary(), c.since(),
            c.complexity(), c.handler(), Map.copyOf(subs)));
      });
      return new CommandTable(all);
    }

    private static List<String> flagList(String flags) {
      return flags.isBlank() ? List.of() : Arrays.asList(flags.trim().split("\\s+"));
    }
  }
}
