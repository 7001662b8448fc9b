package org.akkaredis.command;

import java.util.List;

/**
 * Everything Redis says about one command or subcommand ("client|list"), read from {@link CommandCatalog}'s
 * data: what COMMAND INFO shows (arity, flags, legacy key positions, ACL categories, tips, key
 * specifications) and what COMMAND DOCS shows ({@code doc}). The dispatcher reads arity, flags and key
 * positions from it, the key finder its key specifications.
 */
public record CommandMetadata(
    String name,
    int arity,
    List<String> flags,
    int firstKey,
    int lastKey,
    int step,
    List<String> aclCategories,
    List<String> tips,
    List<KeySpec> keySpecs,
    CommandDocs.Doc doc) {

  public CommandMetadata {
    flags = CommandFlags.of(flags);
  }

  /** The container's name for a subcommand ("client" for "client|list"), null for a command. */
  public String container() {
    int bar = name.indexOf('|');
    return bar < 0 ? null : name.substring(0, bar);
  }
}
