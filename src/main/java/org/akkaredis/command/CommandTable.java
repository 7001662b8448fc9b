package org.akkaredis.command;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every command the node serves, by lower-case name: its metadata and handler. Built once at start by the
 * node's wiring, which has each command group bind its handlers.
 */
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

  /** A builder over the node's command data, Redis 7.0's ({@link CommandCatalog#redis70()}). */
  public static Builder builder() {
    return new Builder(CommandCatalog.redis70());
  }

  /** A builder over other command data (tests that need rows the node does not serve). */
  public static Builder builder(CommandCatalog catalog) {
    return new Builder(catalog);
  }

  /**
   * Binds handlers to commands. Everything else about a command comes from the {@link CommandCatalog}: a
   * handler for a name the catalog lacks fails at once, so no command runs without its metadata. A container
   * (CLIENT, CONFIG, ...) joins the table with its first subcommand; it has a handler only when bound one too
   * (COMMAND, which also answers without a subcommand).
   */
  public static final class Builder {
    private final CommandCatalog catalog;
    private final Map<String, Handler> handlers = new LinkedHashMap<>();

    private Builder(CommandCatalog catalog) {
      this.catalog = catalog;
    }

    /** Binds {@code handler} to a command or a subcommand by full name, "get" or "client|list". */
    public Builder handle(String fullName, Handler handler) {
      String name = fullName.toLowerCase(Locale.ROOT);
      if (catalog.get(name) == null) {
        throw new IllegalArgumentException("no metadata for command '" + name + "': the command data lacks it");
      }
      if (handler == null) throw new IllegalArgumentException("no handler for command '" + name + "'");
      if (handlers.putIfAbsent(name, handler) != null) {
        throw new IllegalArgumentException("duplicate handler for command '" + name + "'");
      }
      return this;
    }

    public CommandTable build() {
      Map<String, Map<String, CommandSpec>> subcommands = new LinkedHashMap<>();
      Set<String> names = new LinkedHashSet<>();
      handlers.forEach((name, handler) -> {
        CommandMetadata metadata = catalog.get(name);
        String container = metadata.container();
        if (container == null) {
          names.add(name);
          return;
        }
        if (catalog.get(container) == null) {
          throw new IllegalArgumentException("no metadata for container '" + container + "' of '" + name + "'");
        }
        names.add(container);
        String sub = name.substring(container.length() + 1);
        subcommands.computeIfAbsent(container, c -> new LinkedHashMap<>())
            .put(sub, new CommandSpec(metadata, handler, Map.of()));
      });
      Map<String, CommandSpec> all = new LinkedHashMap<>();
      for (String name : names) {
        all.put(name, new CommandSpec(catalog.get(name), handlers.get(name),
            Map.copyOf(subcommands.getOrDefault(name, Map.of()))));
      }
      return new CommandTable(all);
    }
  }
}
