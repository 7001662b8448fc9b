package org.akkaredis.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.akkaredis.resp.Reply;

/**
 * COMMAND and its subcommands (COUNT, DOCS, GETKEYS, GETKEYSANDFLAGS, HELP, INFO, LIST), built from the command
 * table: each row's metadata ({@link CommandCatalog}) says what they answer. COMMAND is a container that also
 * answers without a subcommand; its entry in COMMAND INFO and DOCS lists the subcommands, as Redis's does.
 */
public final class CommandIntrospection {
  private CommandIntrospection() {}

  public static void register(CommandTable.Builder b) {
    b.handle("command", node(table -> infoOfAll(table)));
    b.handle("command|count", node(table -> Reply.integer(table.size())));
    b.handle("command|docs", node(CommandIntrospection::docs));
    b.handle("command|getkeys", node((table, args) -> getKeys(table, args, false)));
    b.handle("command|getkeysandflags", node((table, args) -> getKeys(table, args, true)));
    b.handle("command|help", (Handler.OfSession) (session, args) -> ConnectionCommands.help(HELP));
    b.handle("command|info", node((table, args) -> args.length == 2 ? infoOfAll(table) : info(table, args)));
    b.handle("command|list", node(CommandIntrospection::list));
  }

  /** COMMAND's subcommands only read the command table. */
  private static Handler.OfNode node(java.util.function.BiFunction<CommandTable, byte[][], Reply> reply) {
    return (ctx, session, args) -> CompletableFuture.completedFuture(reply.apply(ctx.commands(), args));
  }

  private static Handler.OfNode node(java.util.function.Function<CommandTable, Reply> reply) {
    return (ctx, session, args) -> CompletableFuture.completedFuture(reply.apply(ctx.commands()));
  }

  private static final List<String> HELP = List.of(
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)",
      "    Return details about all Redis commands.",
      "COUNT",
      "    Return the total number of commands in this Redis server.",
      "LIST",
      "    Return a list of all commands in this Redis server.",
      "INFO [<command-name> ...]",
      "    Return details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "DOCS [<command-name> ...]",
      "    Return documentation details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "GETKEYS <full-command>",
      "    Return the keys from a full Redis command.",
      "GETKEYSANDFLAGS <full-command>",
      "    Return the keys and the access flags from a full Redis command.",
      "HELP",
      "    Prints this help.");

  // The table as COMMAND shows it

  private static List<CommandSpec> all(CommandTable table) {
    return new ArrayList<>(table.all());
  }

  /** A command by its full name, "get" or "client|list", any case (Redis's lookupCommandBySds). */
  static CommandSpec byFullName(CommandTable table, String fullName) {
    String[] parts = fullName.split("\\|", -1);
    if (parts.length > 2) return null;
    CommandSpec base = table.lookup(parts[0]);
    if (base == null || parts.length == 1) return base;
    return base.subcommands().get(parts[1].toLowerCase(Locale.ROOT));
  }

  /** The command a full command line runs (Redis's lookupCommand): a subcommand when the command has them. */
  static CommandSpec byArguments(CommandTable table, byte[][] argv) {
    CommandSpec base = table.lookup(argv[0]);
    if (base == null || argv.length == 1 || base.subcommands().isEmpty()) return base;
    return base.subcommands().get(CommandTable.lowerAscii(argv[1]));
  }

  // COMMAND, COMMAND INFO

  private static Reply infoOfAll(CommandTable table) {
    List<Reply> entries = new ArrayList<>(table.size());
    for (CommandSpec spec : all(table)) entries.add(entry(spec));
    return Reply.array(entries);
  }

  private static Reply info(CommandTable table, byte[][] args) {
    List<Reply> entries = new ArrayList<>(args.length - 2);
    for (int i = 2; i < args.length; i++) {
      CommandSpec spec = byFullName(table, Args.text(args[i]));
      entries.add(spec == null ? Reply.NULL : entry(spec));
    }
    return Reply.array(entries);
  }

  /**
   * One COMMAND INFO entry, Redis 7.0's ten elements: name, arity, flags, first key, last key, step, ACL
   * categories, tips, key specifications, subcommands.
   */
  static Reply entry(CommandSpec spec) {
    CommandMetadata meta = spec.metadata();
    List<Reply> flags = new ArrayList<>();
    for (String flag : spec.flags()) flags.add(Reply.simple(flag));
    List<Reply> categories = new ArrayList<>();
    for (String category : meta.aclCategories()) categories.add(Reply.simple("@" + category));
    List<Reply> tips = new ArrayList<>();
    for (String tip : meta.tips()) tips.add(Reply.bulk(tip));
    List<Reply> keySpecs = new ArrayList<>();
    for (KeySpec keySpec : meta.keySpecs()) keySpecs.add(keySpec.reply());
    Reply subcommands;
    if (spec.subcommands().isEmpty()) {
      subcommands = new Reply.SetReply(List.of());
    } else {
      List<Reply> subs = new ArrayList<>();
      for (CommandSpec sub : spec.subcommands().values()) subs.add(entry(sub));
      subcommands = Reply.array(subs);
    }
    return Reply.array(
        Reply.bulk(spec.name()),
        Reply.integer(spec.arity()),
        new Reply.SetReply(flags),
        Reply.integer(spec.firstKey()),
        Reply.integer(spec.lastKey()),
        Reply.integer(spec.step()),
        new Reply.SetReply(categories),
        new Reply.SetReply(tips),
        new Reply.SetReply(keySpecs),
        subcommands);
  }

  // COMMAND DOCS

  private static Reply docs(CommandTable table, byte[][] args) {
    List<Reply> map = new ArrayList<>();
    if (args.length == 2) {
      for (CommandSpec spec : all(table)) {
        map.add(Reply.bulk(spec.name()));
        map.add(docsOf(spec));
      }
    } else {
      for (int i = 2; i < args.length; i++) {
        CommandSpec spec = byFullName(table, Args.text(args[i]));
        if (spec == null) continue;
        map.add(Reply.bulk(spec.name()));
        map.add(docsOf(spec));
      }
    }
    return Reply.map(map);
  }

  /**
   * A command's documentation map (summary, since, group, complexity, doc flags, deprecation, history,
   * arguments), then the maps of the subcommands the node implements.
   */
  static Reply docsOf(CommandSpec spec) {
    List<Reply> fields = spec.metadata().doc().fields();
    if (!spec.subcommands().isEmpty()) {
      List<Reply> subs = new ArrayList<>();
      for (CommandSpec sub : spec.subcommands().values()) {
        subs.add(Reply.bulk(sub.name()));
        subs.add(docsOf(sub));
      }
      fields.add(Reply.bulk("subcommands"));
      fields.add(Reply.map(subs));
    }
    return Reply.map(fields);
  }

  // COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN glob]

  private static Reply list(CommandTable table, byte[][] args) {
    String filter = null;
    byte[] filterArg = null;
    for (int i = 2; i < args.length; i++) {
      int moreArgs = args.length - 1 - i;
      if (Args.is(args[i], "filterby") && moreArgs == 2) {
        if (Args.is(args[i + 1], "module")) filter = "module";
        else if (Args.is(args[i + 1], "aclcat")) filter = "aclcat";
        else if (Args.is(args[i + 1], "pattern")) filter = "pattern";
        else return Reply.SYNTAX_ERROR;
        filterArg = args[i + 2];
        i += 2;
      } else {
        return Reply.SYNTAX_ERROR;
      }
    }
    List<Reply> names = new ArrayList<>();
    for (CommandSpec spec : all(table)) {
      addIfMatches(names, spec, filter, filterArg);
      for (CommandSpec sub : spec.subcommands().values()) addIfMatches(names, sub, filter, filterArg);
    }
    return Reply.array(names);
  }

  private static void addIfMatches(List<Reply> names, CommandSpec spec, String filter, byte[] filterArg) {
    boolean matches;
    if (filter == null) {
      matches = true;
    } else if (filter.equals("module")) {
      matches = false;
    } else if (filter.equals("aclcat")) {
      String category = Args.text(filterArg);
      matches = spec.metadata().aclCategories().stream().anyMatch(category::equalsIgnoreCase);
    } else {
      matches = Args.globMatch(filterArg, Args.bytes(spec.name()), true);
    }
    if (matches) names.add(Reply.bulk(spec.name()));
  }

  // COMMAND GETKEYS / GETKEYSANDFLAGS

  private static Reply getKeys(CommandTable table, byte[][] args, boolean withFlags) {
    byte[][] argv = Arrays.copyOfRange(args, 2, args.length);
    CommandSpec spec = byArguments(table, argv);
    if (spec == null) return Reply.error("ERR Invalid command specified");
    if (!KeyFinder.hasKeyArguments(spec)) return Reply.error("ERR The command has no key arguments");
    if (!spec.arityOk(argv.length)) return Reply.error("ERR Invalid number of arguments specified for command");
    List<KeyFinder.KeyRef> keys = KeyFinder.findKeys(spec, argv);
    if (keys.isEmpty()) {
      return spec.hasFlag("no_mandatory_keys") ? Reply.EMPTY_ARRAY
          : Reply.error("ERR Invalid arguments specified for command");
    }
    List<Reply> reply = new ArrayList<>(keys.size());
    for (KeyFinder.KeyRef key : keys) {
      Reply name = Reply.bulk(argv[key.position()]);
      if (!withFlags) {
        reply.add(name);
      } else {
        List<Reply> flags = new ArrayList<>();
        for (String flag : key.flags()) flags.add(Reply.simple(flag));
        reply.add(Reply.array(name, new Reply.SetReply(flags)));
      }
    }
    return Reply.array(reply);
  }
}
