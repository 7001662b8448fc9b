package org.akkaredis.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata of every command the node serves, by full name, read from one data file
 * ({@code commands/redis-7.0.txt}, whose head describes its format). The command table, COMMAND INFO, DOCS,
 * COUNT, LIST and GETKEYS and the key finder all read it; the command groups only bind handlers to its names.
 */
public final class CommandCatalog {
  private static final String RESOURCE = "/commands/redis-7.0.txt";

  private final Map<String, CommandMetadata> byName;

  private CommandCatalog(Map<String, CommandMetadata> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /** The node's commands as Redis 7.0.15 describes them; read once, when the first table is built. */
  public static CommandCatalog redis70() {
    return Loaded.REDIS_70;
  }

  private static final class Loaded {
    static final CommandCatalog REDIS_70 = parse(read(RESOURCE));
  }

  private static String read(String resource) {
    try (InputStream in = CommandCatalog.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A command's metadata by its lower-case full name ("get", "client|list"), or null. */
  public CommandMetadata get(String fullName) {
    return byName.get(fullName);
  }

  /** Every entry, in the data's order. */
  public Collection<CommandMetadata> all() {
    return byName.values();
  }

  /** This catalog with {@code more}'s entries added, replacing those of the same name (tests add their own). */
  public CommandCatalog with(CommandCatalog more) {
    Map<String, CommandMetadata> merged = new LinkedHashMap<>(byName);
    merged.putAll(more.byName);
    return new CommandCatalog(merged);
  }

  // Parsing the data

  /** Parses data in the resource's format; a line it does not understand fails with its number. */
  public static CommandCatalog parse(String data) {
    String[] lines = data.split("\n");
    Map<String, CommandMetadata> entries = new LinkedHashMap<>();
    int[] at = {0};
    while (at[0] < lines.length) {
      int number = at[0] + 1;
      String header = lines[at[0]++];
      if (header.isBlank() || header.startsWith("#")) continue;
      try {
        CommandMetadata entry = parseEntry(header, lines, at);
        if (entries.put(entry.name(), entry) != null) throw new IllegalArgumentException("duplicate entry");
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("command data, entry at line " + number + ": " + e.getMessage(), e);
      }
    }
    return new CommandCatalog(entries);
  }

  private static CommandMetadata parseEntry(String header, String[] lines, int[] at) {
    String[] head = header.split(" ", 4);
    if (head.length < 4 || header.startsWith(" ")) throw new IllegalArgumentException("bad header: " + header);
    String name = head[0];
    int bar = head[3].indexOf('|');
    String summary = bar < 0 ? head[3] : head[3].substring(0, bar);
    String complexity = bar < 0 ? null : head[3].substring(bar + 1);
    Integer arity = null;
    List<String> flags = List.of();
    int[] keys = {0, 0, 0};
    List<String> aclCategories = List.of();
    List<String> tips = List.of();
    List<KeySpec> keySpecs = new ArrayList<>();
    List<String> docFlags = List.of();
    String deprecatedSince = null;
    String replacedBy = null;
    List<CommandDocs.Change> history = new ArrayList<>();
    while (at[0] < lines.length && lines[at[0]].startsWith("  =")) {
      String line = lines[at[0]++].substring(3);
      int space = line.indexOf(' ');
      String field = space < 0 ? line : line.substring(0, space);
      String value = space < 0 ? "" : line.substring(space + 1);
      switch (field) {
        case "arity" -> arity = Integer.parseInt(value);
        case "flags" -> flags = words(value);
        case "keys" -> {
          String[] positions = value.split(" ");
          for (int i = 0; i < 3; i++) keys[i] = Integer.parseInt(positions[i]);
        }
        case "acl" -> aclCategories = words(value);
        case "tips" -> tips = words(value);
        case "key_spec" -> keySpecs.add(parseKeySpec(value));
        case "doc_flags" -> docFlags = words(value);
        case "deprecated_since" -> deprecatedSince = value;
        case "replaced_by" -> replacedBy = value;
        case "history" -> {
          int split = value.indexOf(' ');
          history.add(new CommandDocs.Change(value.substring(0, split), value.substring(split + 1)));
        }
        default -> throw new IllegalArgumentException("unknown field: " + line);
      }
    }
    if (arity == null) throw new IllegalArgumentException(name + " has no =arity");
    List<CommandDocs.Argument> arguments = parseArguments(lines, at, 1);
    CommandDocs.Doc doc = new CommandDocs.Doc(summary, head[2], head[1], complexity, docFlags, deprecatedSince,
        replacedBy, List.copyOf(history), arguments);
    return new CommandMetadata(name, arity, flags, keys[0], keys[1], keys[2], aclCategories, tips,
        List.copyOf(keySpecs), doc);
  }

  private static List<String> words(String text) {
    return text.isBlank() ? List.of() : List.of(text.trim().split(" +"));
  }

  /** "FLAGS; BEGIN; FIND[; notes]", as the resource's head describes. */
  static KeySpec parseKeySpec(String text) {
    String[] parts = text.split("; ", 4);
    List<String> flags = List.of(parts[0].split(","));
    String[] begin = parts[1].split(" ");
    String[] find = parts[2].split(" ");
    String notes = parts.length > 3 ? parts[3] : null;
    String beginType = begin[0];
    int index = 0;
    String keyword = null;
    int startFrom = 0;
    switch (beginType) {
      case "index" -> index = Integer.parseInt(begin[1]);
      case "keyword" -> {
        keyword = begin[1];
        startFrom = Integer.parseInt(begin[2]);
      }
      case "unknown" -> { }
      default -> throw new IllegalArgumentException("unknown begin_search: " + parts[1]);
    }
    String findType = find[0];
    return switch (findType) {
      case "range" -> new KeySpec(flags, beginType, index, keyword, startFrom, findType, Integer.parseInt(find[1]),
          Integer.parseInt(find[2]), Integer.parseInt(find[3]), 0, 0, notes);
      case "keynum" -> new KeySpec(flags, beginType, index, keyword, startFrom, findType, 0,
          Integer.parseInt(find[3]), 0, Integer.parseInt(find[1]), Integer.parseInt(find[2]), notes);
      case "unknown" -> new KeySpec(flags, beginType, index, keyword, startFrom, findType, 0, 0, 0, 0, 0, notes);
      default -> throw new IllegalArgumentException("unknown find_keys: " + parts[2]);
    };
  }

  /** The arguments at one nesting level, each followed by its own arguments one level deeper. */
  private static List<CommandDocs.Argument> parseArguments(String[] lines, int[] at, int depth) {
    List<CommandDocs.Argument> arguments = new ArrayList<>();
    while (at[0] < lines.length && indentOf(lines[at[0]]) == 2 * depth) {
      String[] words = lines[at[0]++].strip().split(" ");
      int keySpecIndex = -1;
      String token = null;
      String since = null;
      String deprecatedSince = null;
      List<String> flags = List.of();
      for (int i = 2; i < words.length; i++) {
        int eq = words[i].indexOf('=');
        String value = words[i].substring(eq + 1);
        switch (words[i].substring(0, eq)) {
          case "key_spec" -> keySpecIndex = Integer.parseInt(value);
          case "token" -> token = value;
          case "since" -> since = value;
          case "deprecated_since" -> deprecatedSince = value;
          case "flags" -> flags = List.of(value.split(","));
          default -> throw new IllegalArgumentException("unknown argument field: " + words[i]);
        }
      }
      List<CommandDocs.Argument> nested = parseArguments(lines, at, depth + 1);
      arguments.add(new CommandDocs.Argument(words[0], words[1], keySpecIndex, token, since, deprecatedSince, flags,
          nested));
    }
    return List.copyOf(arguments);
  }

  private static int indentOf(String line) {
    int indent = 0;
    while (indent < line.length() && line.charAt(indent) == ' ') indent++;
    return indent;
  }
}
