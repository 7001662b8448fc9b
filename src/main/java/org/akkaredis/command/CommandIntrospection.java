package org.akkaredis.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.akkaredis.resp.Reply;

/**
 * COMMAND and its subcommands (COUNT, DOCS, GETKEYS, GETKEYSANDFLAGS, HELP, INFO, LIST), built from the command
 * table. What the table does not hold -- ACL categories, command tips and key specifications -- comes from
 * Redis 7.0.15's own command table, kept below as data; a command missing there gets categories derived from
 * its flags and group and one key specification from its key positions.
 *
 * <p>COMMAND is registered as a plain command that dispatches its subcommands itself: COMMAND without a
 * subcommand must run too, which the table's containers do not allow. Its entry in COMMAND INFO and DOCS
 * still lists the subcommands, as Redis's does.
 */
public final class CommandIntrospection {
  private CommandIntrospection() {}

  public static void register(CommandTable.Builder b) {
    String flags = "loading stale";
    b.container("command", -1, flags, "server", "2.8.13", "Get array of Redis command details",
        "O(N) where N is the total number of Redis commands", node(table -> infoOfAll(table)));
    b.sub("command", "count", 2, flags, "2.8.13", "Get total number of Redis commands", "O(1)",
        node(table -> Reply.integer(table.size())));
    b.sub("command", "docs", -2, flags, "7.0.0", "Get array of specific Redis command documentation",
        "O(N) where N is the number of commands to look up", node(CommandIntrospection::docs));
    b.sub("command", "getkeys", -4, flags, "2.8.13", "Extract keys given a full Redis command",
        "O(N) where N is the number of arguments to the command", node((table, args) -> getKeys(table, args, false)));
    b.sub("command", "getkeysandflags", -4, flags, "7.0.0", "Extract keys and access flags given a full Redis command",
        "O(N) where N is the number of arguments to the command", node((table, args) -> getKeys(table, args, true)));
    b.sub("command", "help", 2, flags, "5.0.0", "Show helpful text about the different subcommands", "O(1)",
        (Handler.OfSession) (session, args) -> ConnectionCommands.help(HELP));
    b.sub("command", "info", -2, flags, "2.8.13",
        "Get array of specific Redis command details, or all when no argument is given.",
        "O(N) where N is the number of commands to look up",
        node((table, args) -> args.length == 2 ? infoOfAll(table) : info(table, args)));
    b.sub("command", "list", -2, flags, "7.0.0", "Get an array of Redis command names",
        "O(N) where N is the total number of Redis commands", node(CommandIntrospection::list));
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
    Metadata meta = metadata(spec);
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
   * A command's documentation map: Redis 7.0.15's (summary, since, group, complexity, doc flags, deprecation,
   * history, arguments) where {@link CommandDocs} has it, otherwise the table row's summary, since, group and
   * complexity; then the maps of the subcommands the node implements.
   */
  static Reply docsOf(CommandSpec spec) {
    CommandDocs.Doc doc = CommandDocs.of(spec.name());
    List<Reply> fields;
    if (doc != null) {
      fields = doc.fields();
    } else {
      fields = new ArrayList<>();
      addDoc(fields, "summary", spec.summary());
      addDoc(fields, "since", spec.since());
      addDoc(fields, "group", spec.group());
      addDoc(fields, "complexity", spec.complexity());
    }
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

  private static void addDoc(List<Reply> fields, String name, String value) {
    if (value == null) return;
    fields.add(Reply.bulk(name));
    fields.add(Reply.bulk(value));
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
      matches = metadata(spec).aclCategories().stream().anyMatch(category::equalsIgnoreCase);
    } else {
      matches = Args.globMatch(filterArg, Args.bytes(spec.name()), true);
    }
    if (matches) names.add(Reply.bulk(spec.name()));
  }

  // COMMAND GETKEYS / GETKEYSANDFLAGS

  /** One key found in a command line: its position and the access flags of the spec that found it. */
  record KeyRef(int position, List<String> flags) {}

  private static Reply getKeys(CommandTable table, byte[][] args, boolean withFlags) {
    byte[][] argv = Arrays.copyOfRange(args, 2, args.length);
    CommandSpec spec = byArguments(table, argv);
    if (spec == null) return Reply.error("ERR Invalid command specified");
    Metadata meta = metadata(spec);
    if (!hasKeyArguments(spec, meta)) return Reply.error("ERR The command has no key arguments");
    if (!spec.arityOk(argv.length)) return Reply.error("ERR Invalid number of arguments specified for command");
    List<KeyRef> keys = findKeys(spec, meta, argv);
    if (keys.isEmpty()) {
      return spec.hasFlag("no_mandatory_keys") ? Reply.EMPTY_ARRAY
          : Reply.error("ERR Invalid arguments specified for command");
    }
    List<Reply> reply = new ArrayList<>(keys.size());
    for (KeyRef key : keys) {
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

  /** Commands whose keys Redis finds with code of their own when their key specifications cannot. */
  private static final Set<String> NATIVE_KEY_FINDERS = Set.of("sort", "sort_ro", "migrate", "set", "bitfield");

  static boolean hasKeyArguments(CommandSpec spec, Metadata meta) {
    if (NATIVE_KEY_FINDERS.contains(spec.name())) return true;
    for (KeySpec keySpec : meta.keySpecs()) {
      if (!keySpec.flags().contains("not_key")) return true;
    }
    return false;
  }

  /**
   * The keys of a command line, as Redis's getKeysFromCommandWithSpecs finds them: by the key specifications
   * unless one has variable flags; when a spec cannot be applied (unknown, incomplete, out of range), by the
   * command's own finder, and none for the commands whose finder then finds none either.
   */
  static List<KeyRef> findKeys(CommandSpec spec, Metadata meta, byte[][] argv) {
    boolean realSpecs = false;
    boolean variableFlags = false;
    for (KeySpec keySpec : meta.keySpecs()) {
      if (!keySpec.flags().contains("not_key")) realSpecs = true;
      if (keySpec.flags().contains("variable_flags")) variableFlags = true;
    }
    if (realSpecs && !variableFlags) {
      List<KeyRef> found = keysBySpecs(spec, meta.keySpecs(), argv);
      if (found != null) return found;
    }
    return nativeKeys(spec.name(), argv);
  }

  /** Redis's getKeysUsingKeySpecs; null when a spec is invalid for this command line. */
  static List<KeyRef> keysBySpecs(CommandSpec spec, List<KeySpec> keySpecs, byte[][] argv) {
    int argc = argv.length;
    List<KeyRef> keys = new ArrayList<>();
    for (KeySpec keySpec : keySpecs) {
      if (keySpec.flags().contains("not_key")) continue;
      int first = 0;
      if (keySpec.beginType().equals("index")) {
        first = keySpec.index();
      } else if (keySpec.beginType().equals("keyword")) {
        int start = keySpec.startFrom() > 0 ? keySpec.startFrom() : argc + keySpec.startFrom();
        int end = keySpec.startFrom() > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
          if (i >= argc || i < 1) break;
          if (Args.is(argv[i], keySpec.keyword())) {
            first = i + 1;
            break;
          }
        }
        if (first == 0) continue;
      } else {
        return null;
      }
      int last;
      int step;
      if (keySpec.findType().equals("range")) {
        step = keySpec.keyStep();
        if (keySpec.lastKey() >= 0) {
          last = first + keySpec.lastKey();
        } else if (keySpec.limit() == 0) {
          last = argc + keySpec.lastKey();
        } else {
          last = first + ((argc - first) / keySpec.limit() + keySpec.lastKey());
        }
      } else if (keySpec.findType().equals("keynum")) {
        step = keySpec.keyStep();
        int numKeysAt = first + keySpec.keyNumIdx();
        if (numKeysAt >= argc) return null;
        Long numKeys = Args.parseLong(argv[numKeysAt]);
        if (numKeys == null || numKeys < 0 || numKeys > argc) return null;
        first += keySpec.firstKey();
        last = first + numKeys.intValue() - 1;
      } else {
        return null;
      }
      if (last >= argc || last < first || first >= argc) return null;
      for (int i = first; i <= last; i += step) keys.add(new KeyRef(i, keySpec.flags()));
      if (keySpec.flags().contains("incomplete")) return null;
    }
    return keys;
  }

  private static final List<String> RO_ACCESS = List.of("RO", "access");
  private static final List<String> OW_UPDATE = List.of("OW", "update");
  private static final List<String> RW_ACCESS_UPDATE = List.of("RW", "access", "update");
  private static final List<String> RW_ACCESS_DELETE = List.of("RW", "access", "delete");

  /** The key finders Redis keeps in code (sortGetKeys, migrateGetKeys, setGetKeys, bitfieldGetKeys, ...). */
  static List<KeyRef> nativeKeys(String command, byte[][] argv) {
    int argc = argv.length;
    List<KeyRef> keys = new ArrayList<>();
    switch (command) {
      case "sort" -> {
        keys.add(new KeyRef(1, RO_ACCESS));
        KeyRef store = null;
        // Options with arguments are skipped; the last STORE wins, as in SORT itself.
        for (int i = 2; i < argc; i++) {
          if (Args.is(argv[i], "limit")) i += 2;
          else if (Args.is(argv[i], "get") || Args.is(argv[i], "by")) i += 1;
          else if (Args.is(argv[i], "store") && i + 1 < argc) store = new KeyRef(i + 1, OW_UPDATE);
        }
        if (store != null) keys.add(store);
      }
      case "sort_ro" -> keys.add(new KeyRef(1, RO_ACCESS));
      case "migrate" -> {
        int first = 3;
        int count = 1;
        if (argc > 6) {
          for (int i = 6; i < argc; i++) {
            if (Args.is(argv[i], "keys") && argv[3].length == 0) {
              first = i + 1;
              count = argc - first;
              break;
            }
          }
        }
        for (int i = 0; i < count; i++) keys.add(new KeyRef(first + i, RW_ACCESS_DELETE));
      }
      case "set" -> {
        boolean get = false;
        for (int i = 3; i < argc; i++) {
          if (Args.is(argv[i], "get")) get = true;
        }
        keys.add(new KeyRef(1, get ? RW_ACCESS_UPDATE : OW_UPDATE));
      }
      case "bitfield" -> keys.add(new KeyRef(1, bitfieldReadOnly(argv) ? RO_ACCESS : RW_ACCESS_UPDATE));
      default -> {
        // The other commands' own finders find nothing where their key specifications failed.
      }
    }
    return keys;
  }

  /** BITFIELD only reads when every operation is GET (OVERFLOW aside) and complete. */
  private static boolean bitfieldReadOnly(byte[][] argv) {
    for (int i = 2; i < argv.length; i++) {
      int remaining = argv.length - i - 1;
      if (Args.is(argv[i], "get") && remaining >= 2) i += 2;
      else if (Args.is(argv[i], "overflow") && remaining >= 1) i += 1;
      else return false;
    }
    return true;
  }

  // Metadata: Redis 7.0.15's ACL categories, tips and key specifications

  /** A key specification as COMMAND INFO shows it (begin_search: index|keyword|unknown; find_keys: range|keynum|unknown). */
  record KeySpec(List<String> flags, String beginType, int index, String keyword, int startFrom, String findType,
      int lastKey, int keyStep, int limit, int keyNumIdx, int firstKey, String notes) {

    Reply reply() {
      List<Reply> map = new ArrayList<>();
      if (notes != null) {
        map.add(Reply.bulk("notes"));
        map.add(Reply.bulk(notes));
      }
      List<Reply> flagReplies = new ArrayList<>();
      for (String flag : flags) flagReplies.add(Reply.simple(flag));
      map.add(Reply.bulk("flags"));
      map.add(new Reply.SetReply(flagReplies));
      List<Reply> begin = switch (beginType) {
        case "index" -> List.of(Reply.bulk("index"), Reply.integer(index));
        case "keyword" -> List.of(Reply.bulk("keyword"), Reply.bulk(keyword), Reply.bulk("startfrom"),
            Reply.integer(startFrom));
        default -> List.of();
      };
      map.add(Reply.bulk("begin_search"));
      map.add(Reply.map(List.of(Reply.bulk("type"), Reply.bulk(beginType), Reply.bulk("spec"), Reply.map(begin))));
      List<Reply> find = switch (findType) {
        case "range" -> List.of(Reply.bulk("lastkey"), Reply.integer(lastKey), Reply.bulk("keystep"),
            Reply.integer(keyStep), Reply.bulk("limit"), Reply.integer(limit));
        case "keynum" -> List.of(Reply.bulk("keynumidx"), Reply.integer(keyNumIdx), Reply.bulk("firstkey"),
            Reply.integer(firstKey), Reply.bulk("keystep"), Reply.integer(keyStep));
        default -> List.of();
      };
      map.add(Reply.bulk("find_keys"));
      map.add(Reply.map(List.of(Reply.bulk("type"), Reply.bulk(findType), Reply.bulk("spec"), Reply.map(find))));
      return Reply.map(map);
    }
  }

  /** What COMMAND INFO shows beyond the table's row. */
  record Metadata(List<String> aclCategories, List<String> tips, List<KeySpec> keySpecs) {}

  static Metadata metadata(CommandSpec spec) {
    Metadata known = REDIS_70.get(spec.name());
    return known != null ? known : new Metadata(deriveAclCategories(spec), List.of(), deriveKeySpecs(spec));
  }

  /** Redis's ACL categories in the order COMMAND INFO lists them. */
  enum AclCategory {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM, PUBSUB, ADMIN,
    FAST, SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Categories implied by flags (Redis's setImplicitACLCategories) plus the one of the command's group. */
  static List<String> deriveAclCategories(CommandSpec spec) {
    EnumSet<AclCategory> categories = EnumSet.noneOf(AclCategory.class);
    AclCategory ofGroup = switch (spec.group() == null ? "" : spec.group()) {
      case "generic" -> AclCategory.KEYSPACE;
      case "string" -> AclCategory.STRING;
      case "list" -> AclCategory.LIST;
      case "set" -> AclCategory.SET;
      case "sorted-set" -> AclCategory.SORTEDSET;
      case "hash" -> AclCategory.HASH;
      case "bitmap" -> AclCategory.BITMAP;
      case "hyperloglog" -> AclCategory.HYPERLOGLOG;
      case "geo" -> AclCategory.GEO;
      case "stream" -> AclCategory.STREAM;
      case "pubsub" -> AclCategory.PUBSUB;
      case "connection" -> AclCategory.CONNECTION;
      case "transactions" -> AclCategory.TRANSACTION;
      case "scripting" -> AclCategory.SCRIPTING;
      default -> null;
    };
    if (ofGroup != null) categories.add(ofGroup);
    if (spec.hasFlag("write")) categories.add(AclCategory.WRITE);
    if (spec.hasFlag("readonly") && ofGroup != AclCategory.SCRIPTING) categories.add(AclCategory.READ);
    if (spec.hasFlag("admin")) {
      categories.add(AclCategory.ADMIN);
      categories.add(AclCategory.DANGEROUS);
    }
    if (spec.hasFlag("pubsub")) categories.add(AclCategory.PUBSUB);
    if (spec.hasFlag("fast")) categories.add(AclCategory.FAST);
    if (spec.hasFlag("blocking")) categories.add(AclCategory.BLOCKING);
    if (!categories.contains(AclCategory.FAST)) categories.add(AclCategory.SLOW);
    List<String> labels = new ArrayList<>(categories.size());
    for (AclCategory category : categories) labels.add(category.label());
    return labels;
  }

  /** One range specification from the row's first key, last key and step. */
  static List<KeySpec> deriveKeySpecs(CommandSpec spec) {
    if (!spec.hasKeys()) return List.of();
    List<String> flags = spec.hasFlag("write") ? RW_ACCESS_UPDATE : RO_ACCESS;
    int lastKey = spec.lastKey() >= 0 ? spec.lastKey() - spec.firstKey() : spec.lastKey();
    return List.of(new KeySpec(flags, "index", spec.firstKey(), null, 0, "range", lastKey, spec.step(), 0, 0, 0,
        null));
  }

  /**
   * Parses the data below: one line per command or subcommand, "name!categories!tips!specs" with space
   * separated categories and tips, ';' between key specifications, each "flags|begin|find[|notes]" where begin
   * is i:index, k:keyword:startfrom or u, and find is r:lastkey:keystep:limit, n:keynumidx:firstkey:keystep or u.
   */
  static Map<String, Metadata> parse(String data) {
    Map<String, Metadata> table = new HashMap<>();
    for (String line : data.split("\n")) {
      if (line.isBlank()) continue;
      String[] fields = line.strip().split("!", -1);
      List<KeySpec> specs = new ArrayList<>();
      if (!fields[3].isEmpty()) {
        for (String text : fields[3].split(";")) specs.add(parseKeySpec(text));
      }
      table.put(fields[0], new Metadata(words(fields[1]), words(fields[2]), List.copyOf(specs)));
    }
    return Map.copyOf(table);
  }

  private static List<String> words(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split(" "));
  }

  private static KeySpec parseKeySpec(String text) {
    String[] parts = text.split("\\|", -1);
    List<String> flags = List.of(parts[0].split(","));
    String[] begin = parts[1].split(":");
    String[] find = parts[2].split(":");
    String notes = parts.length > 3 ? parts[3] : null;
    String beginType = switch (begin[0]) {
      case "i" -> "index";
      case "k" -> "keyword";
      default -> "unknown";
    };
    String findType = switch (find[0]) {
      case "r" -> "range";
      case "n" -> "keynum";
      default -> "unknown";
    };
    int index = beginType.equals("index") ? Integer.parseInt(begin[1]) : 0;
    String keyword = beginType.equals("keyword") ? begin[1] : null;
    int startFrom = beginType.equals("keyword") ? Integer.parseInt(begin[2]) : 0;
    int a = find.length > 1 ? Integer.parseInt(find[1]) : 0;
    int b = find.length > 2 ? Integer.parseInt(find[2]) : 0;
    int c = find.length > 3 ? Integer.parseInt(find[3]) : 0;
    if (findType.equals("range")) {
      return new KeySpec(flags, beginType, index, keyword, startFrom, findType, a, b, c, 0, 0, notes);
    }
    return new KeySpec(flags, beginType, index, keyword, startFrom, findType, 0, c, 0, a, b, notes);
  }

  /** Redis 7.0.15's COMMAND output for what the command table does not carry, by full command name. */
  static final Map<String, Metadata> REDIS_70 = parse("""
      acl!slow!!
      acl|cat!slow!!
      acl|deluser!admin slow dangerous!!
      acl|dryrun!admin slow dangerous!!
      acl|genpass!slow!!
      acl|getuser!admin slow dangerous!!
      acl|help!slow!!
      acl|list!admin slow dangerous!!
      acl|load!admin slow dangerous!!
      acl|log!admin slow dangerous!!
      acl|save!admin slow dangerous!!
      acl|setuser!admin slow dangerous!!
      acl|users!admin slow dangerous!!
      acl|whoami!slow!!
      append!write string fast!!RW,insert|i:1|r:0:1:0
      asking!fast connection!!
      auth!fast connection!!
      bgrewriteaof!admin slow dangerous!!
      bgsave!admin slow dangerous!!
      bitcount!read bitmap slow!!RO,access|i:1|r:0:1:0
      bitfield!write bitmap slow!!RW,access,update,variable_flags|i:1|r:0:1:0|This command allows both access and modification of the key
      bitfield_ro!read bitmap fast!!RO,access|i:1|r:0:1:0
      bitop!write bitmap slow!!OW,update|i:2|r:0:1:0;RO,access|i:3|r:-1:1:0
      bitpos!read bitmap slow!!RO,access|i:1|r:0:1:0
      blmove!write list slow blocking!!RW,access,delete|i:1|r:0:1:0;RW,insert|i:2|r:0:1:0
      blmpop!write list slow blocking!!RW,access,delete|i:2|n:0:1:1
      blpop!write list slow blocking!!RW,access,delete|i:1|r:-2:1:0
      brpop!write list slow blocking!!RW,access,delete|i:1|r:-2:1:0
      brpoplpush!write list slow blocking!!RW,access,delete|i:1|r:0:1:0;RW,insert|i:2|r:0:1:0
      bzmpop!write sortedset slow blocking!!RW,access,delete|i:2|n:0:1:1
      bzpopmax!write sortedset fast blocking!!RW,access,delete|i:1|r:-2:1:0
      bzpopmin!write sortedset fast blocking!!RW,access,delete|i:1|r:-2:1:0
      client!slow!!
      client|caching!slow connection!!
      client|getname!slow connection!!
      client|getredir!slow connection!!
      client|help!slow connection!!
      client|id!slow connection!!
      client|info!slow connection!nondeterministic_output!
      client|kill!admin slow dangerous connection!!
      client|list!admin slow dangerous connection!nondeterministic_output!
      client|no-evict!admin slow dangerous connection!!
      client|pause!admin slow dangerous connection!!
      client|reply!slow connection!!
      client|setname!slow connection!!
      client|tracking!slow connection!!
      client|trackinginfo!slow connection!!
      client|unblock!admin slow dangerous connection!!
      client|unpause!admin slow dangerous connection!!
      cluster!slow!!
      cluster|addslots!admin slow dangerous!!
      cluster|addslotsrange!admin slow dangerous!!
      cluster|bumpepoch!admin slow dangerous!nondeterministic_output!
      cluster|count-failure-reports!admin slow dangerous!nondeterministic_output!
      cluster|countkeysinslot!slow!!
      cluster|delslots!admin slow dangerous!!
      cluster|delslotsrange!admin slow dangerous!!
      cluster|failover!admin slow dangerous!!
      cluster|flushslots!admin slow dangerous!!
      cluster|forget!admin slow dangerous!!
      cluster|getkeysinslot!slow!nondeterministic_output!
      cluster|help!slow!!
      cluster|info!slow!nondeterministic_output!
      cluster|keyslot!slow!!
      cluster|links!slow!nondeterministic_output!
      cluster|meet!admin slow dangerous!!
      cluster|myid!slow!!
      cluster|nodes!slow!nondeterministic_output!
      cluster|replicas!admin slow dangerous!nondeterministic_output!
      cluster|replicate!admin slow dangerous!!
      cluster|reset!admin slow dangerous!!
      cluster|saveconfig!admin slow dangerous!!
      cluster|set-config-epoch!admin slow dangerous!!
      cluster|setslot!admin slow dangerous!!
      cluster|shards!slow!nondeterministic_output!
      cluster|slaves!admin slow dangerous!nondeterministic_output!
      cluster|slots!slow!nondeterministic_output!
      command!slow connection!nondeterministic_output_order!
      command|count!slow connection!!
      command|docs!slow connection!nondeterministic_output_order!
      command|getkeys!slow connection!!
      command|getkeysandflags!slow connection!!
      command|help!slow connection!!
      command|info!slow connection!nondeterministic_output_order!
      command|list!slow connection!nondeterministic_output_order!
      config!slow!!
      config|get!admin slow dangerous!!
      config|help!slow!!
      config|resetstat!admin slow dangerous!!
      config|rewrite!admin slow dangerous!!
      config|set!admin slow dangerous!request_policy:all_nodes response_policy:all_succeeded!
      copy!keyspace write slow!!RO,access|i:1|r:0:1:0;OW,update|i:2|r:0:1:0
      dbsize!keyspace read fast!request_policy:all_shards response_policy:agg_sum!
      debug!admin slow dangerous!!
      decr!write string fast!!RW,access,update|i:1|r:0:1:0
      decrby!write string fast!!RW,access,update|i:1|r:0:1:0
      del!keyspace write slow!request_policy:multi_shard response_policy:agg_sum!RM,delete|i:1|r:-1:1:0
      discard!fast transaction!!
      dump!keyspace read slow!nondeterministic_output!RO,access|i:1|r:0:1:0
      echo!fast connection!!
      eval!slow scripting!!RW,access,update|i:2|n:0:1:1|We cannot tell how the keys will be used so we assume the worst, RW and UPDATE
      eval_ro!slow scripting!!RO,access|i:2|n:0:1:1|We cannot tell how the keys will be used so we assume the worst, RO and ACCESS
      evalsha!slow scripting!!RW,access,update|i:2|n:0:1:1
      evalsha_ro!slow scripting!!RO,access|i:2|n:0:1:1
      exec!slow transaction!!
      exists!keyspace read fast!request_policy:multi_shard response_policy:agg_sum!RO|i:1|r:-1:1:0
      expire!keyspace write fast!!RW,update|i:1|r:0:1:0
      expireat!keyspace write fast!!RW,update|i:1|r:0:1:0
      expiretime!keyspace read fast!!RO,access|i:1|r:0:1:0
      failover!admin slow dangerous!!
      fcall!slow scripting!!RW,access,update|i:2|n:0:1:1|We cannot tell how the keys will be used so we assume the worst, RW and UPDATE
      fcall_ro!slow scripting!!RO,access|i:2|n:0:1:1|We cannot tell how the keys will be used so we assume the worst, RO and ACCESS
      flushall!keyspace write slow dangerous!request_policy:all_shards response_policy:all_succeeded!
      flushdb!keyspace write slow dangerous!request_policy:all_shards response_policy:all_succeeded!
      function!slow!!
      function|delete!write slow scripting!request_policy:all_shards response_policy:all_succeeded!
      function|dump!slow scripting!!
      function|flush!write slow scripting!request_policy:all_shards response_policy:all_succeeded!
      function|help!slow scripting!!
      function|kill!slow scripting!request_policy:all_shards response_policy:one_succeeded!
      function|list!slow scripting!nondeterministic_output_order!
      function|load!write slow scripting!request_policy:all_shards response_policy:all_succeeded!
      function|restore!write slow scripting!request_policy:all_shards response_policy:all_succeeded!
      function|stats!slow scripting!nondeterministic_output request_policy:all_shards response_policy:special!
      geoadd!write geo slow!!RW,update|i:1|r:0:1:0
      geodist!read geo slow!!RO,access|i:1|r:0:1:0
      geohash!read geo slow!!RO,access|i:1|r:0:1:0
      geopos!read geo slow!!RO,access|i:1|r:0:1:0
      georadius!write geo slow!!RO,access|i:1|r:0:1:0;OW,update|k:STORE:6|r:0:1:0;OW,update|k:STOREDIST:6|r:0:1:0
      georadius_ro!read geo slow!!RO,access|i:1|r:0:1:0
      georadiusbymember!write geo slow!!RO,access|i:1|r:0:1:0;OW,update|k:STORE:5|r:0:1:0;OW,update|k:STOREDIST:5|r:0:1:0
      georadiusbymember_ro!read geo slow!!RO,access|i:1|r:0:1:0
      geosearch!read geo slow!!RO,access|i:1|r:0:1:0
      geosearchstore!write geo slow!!OW,update|i:1|r:0:1:0;RO,access|i:2|r:0:1:0
      get!read string fast!!RO,access|i:1|r:0:1:0
      getbit!read bitmap fast!!RO,access|i:1|r:0:1:0
      getdel!write string fast!!RW,access,delete|i:1|r:0:1:0
      getex!write string fast!!RW,access,update|i:1|r:0:1:0|RW and UPDATE because it changes the TTL
      getrange!read string slow!!RO,access|i:1|r:0:1:0
      getset!write string fast!!RW,access,update|i:1|r:0:1:0
      hdel!write hash fast!!RW,delete|i:1|r:0:1:0
      hello!fast connection!!
      hexists!read hash fast!!RO|i:1|r:0:1:0
      hget!read hash fast!!RO,access|i:1|r:0:1:0
      hgetall!read hash slow!nondeterministic_output_order!RO,access|i:1|r:0:1:0
      hincrby!write hash fast!!RW,access,update|i:1|r:0:1:0
      hincrbyfloat!write hash fast!!RW,access,update|i:1|r:0:1:0
      hkeys!read hash slow!nondeterministic_output_order!RO,access|i:1|r:0:1:0
      hlen!read hash fast!!RO|i:1|r:0:1:0
      hmget!read hash fast!!RO,access|i:1|r:0:1:0
      hmset!write hash fast!!RW,update|i:1|r:0:1:0
      hrandfield!read hash slow!nondeterministic_output!RO,access|i:1|r:0:1:0
      hscan!read hash slow!nondeterministic_output!RO,access|i:1|r:0:1:0
      hset!write hash fast!!RW,update|i:1|r:0:1:0
      hsetnx!write hash fast!!RW,insert|i:1|r:0:1:0
      hstrlen!read hash fast!!RO|i:1|r:0:1:0
      hvals!read hash slow!nondeterministic_output_order!RO,access|i:1|r:0:1:0
      incr!write string fast!!RW,access,update|i:1|r:0:1:0
      incrby!write string fast!!RW,access,update|i:1|r:0:1:0
      incrbyfloat!write string fast!!RW,access,update|i:1|r:0:1:0
      info!slow dangerous!nondeterministic_output request_policy:all_shards response_policy:special!
      keys!keyspace read slow dangerous!request_policy:all_shards nondeterministic_output_order!
      lastsave!admin fast dangerous!nondeterministic_output!
      latency!slow!!
      latency|doctor!admin slow dangerous!nondeterministic_output request_policy:all_nodes response_policy:special!
      latency|graph!admin slow dangerous!nondeterministic_output request_policy:all_nodes response_policy:special!
      latency|help!slow!!
      latency|histogram!admin slow dangerous!nondeterministic_output request_policy:all_nodes response_policy:special!
      latency|history!admin slow dangerous!nondeterministic_output request_policy:all_nodes response_policy:special!
      latency|latest!admin slow dangerous!nondeterministic_output request_policy:all_nodes response_policy:special!
      latency|reset!admin slow dangerous!request_policy:all_nodes response_policy:all_succeeded!
      lcs!read string slow!!RO,access|i:1|r:1:1:0
      lindex!read list slow!!RO,access|i:1|r:0:1:0
      linsert!write list slow!!RW,insert|i:1|r:0:1:0
      llen!read list fast!!RO|i:1|r:0:1:0
      lmove!write list slow!!RW,access,delete|i:1|r:0:1:0;RW,insert|i:2|r:0:1:0
      lmpop!write list slow!!RW,access,delete|i:1|n:0:1:1
      lolwut!read fast!!
      lpop!write list fast!!RW,access,delete|i:1|r:0:1:0
      lpos!read list slow!!RO,access|i:1|r:0:1:0
      lpush!write list fast!!RW,insert|i:1|r:0:1:0
      lpushx!write list fast!!RW,insert|i:1|r:0:1:0
      lrange!read list slow!!RO,access|i:1|r:0:1:0
      lrem!write list slow!!RW,delete|i:1|r:0:1:0
      lset!write list slow!!RW,update|i:1|r:0:1:0
      ltrim!write list slow!!RW,delete|i:1|r:0:1:0
      memory!slow!!
      memory|doctor!slow!nondeterministic_output request_policy:all_shards response_policy:special!
      memory|help!slow!!
      memory|malloc-stats!slow!nondeterministic_output request_policy:all_shards response_policy:special!
      memory|purge!slow!request_policy:all_shards response_policy:all_succeeded!
      memory|stats!slow!nondeterministic_output request_policy:all_shards response_policy:special!
      memory|usage!read slow!!RO|i:2|r:0:1:0
      mget!read string fast!request_policy:multi_shard!RO,access|i:1|r:-1:1:0
      migrate!keyspace write slow dangerous!nondeterministic_output!RW,access,delete|i:3|r:0:1:0;RW,access,delete,incomplete|k:KEYS:-2|r:-1:1:0
      module!slow!!
      module|help!slow!!
      module|list!admin slow dangerous!nondeterministic_output_order!
      module|load!admin slow dangerous!!
      module|loadex!admin slow dangerous!!
      module|unload!admin slow dangerous!!
      monitor!admin slow dangerous!!
      move!keyspace write fast!!RW,access,update|i:1|r:0:1:0
      mset!write string slow!request_policy:multi_shard response_policy:all_succeeded!OW,update|i:1|r:-1:2:0
      msetnx!write string slow!request_policy:multi_shard response_policy:agg_min!OW,insert|i:1|r:-1:2:0
      multi!fast transaction!!
      object!slow!!
      object|encoding!keyspace read slow!nondeterministic_output!RO|i:2|r:0:1:0
      object|freq!keyspace read slow!nondeterministic_output!RO|i:2|r:0:1:0
      object|help!keyspace slow!!
      object|idletime!keyspace read slow!nondeterministic_output!RO|i:2|r:0:1:0
      object|refcount!keyspace read slow!nondeterministic_output!RO|i:2|r:0:1:0
      persist!keyspace write fast!!RW,update|i:1|r:0:1:0
      pexpire!keyspace write fast!!RW,update|i:1|r:0:1:0
      pexpireat!keyspace write fast!!RW,update|i:1|r:0:1:0
      pexpiretime!keyspace read fast!!RO,access|i:1|r:0:1:0
      pfadd!write hyperloglog fast!!RW,insert|i:1|r:0:1:0
      pfcount!read hyperloglog slow!!RW,access|i:1|r:-1:1:0|RW because it may change the internal representation of the key, and propagate to replicas
      pfdebug!write hyperloglog admin slow dangerous!!RW,access|i:2|r:0:1:0
      pfmerge!write hyperloglog slow!!RW,access,insert|i:1|r:0:1:0;RO,access|i:2|r:-1:1:0
      pfselftest!hyperloglog admin slow dangerous!!
      ping!fast connection!request_policy:all_shards response_policy:all_succeeded!
      psetex!write string slow!!OW,update|i:1|r:0:1:0
      psubscribe!pubsub slow!!
      psync!admin slow dangerous!!
      pttl!keyspace read fast!nondeterministic_output!RO,access|i:1|r:0:1:0
      publish!pubsub fast!!
      pubsub!slow!!
      pubsub|channels!pubsub slow!!
      pubsub|help!slow!!
      pubsub|numpat!pubsub slow!!
      pubsub|numsub!pubsub slow!!
      pubsub|shardchannels!pubsub slow!!
      pubsub|shardnumsub!pubsub slow!!
      punsubscribe!pubsub slow!!
      quit!fast connection!!
      randomkey!keyspace read slow!request_policy:all_shards nondeterministic_output!
      readonly!fast connection!!
      readwrite!fast connection!!
      rename!keyspace write slow!!RW,access,delete|i:1|r:0:1:0;OW,update|i:2|r:0:1:0
      renamenx!keyspace write fast!!RW,access,delete|i:1|r:0:1:0;OW,insert|i:2|r:0:1:0
      replconf!admin slow dangerous!!
      replicaof!admin slow dangerous!!
      reset!fast connection!!
      restore!keyspace write slow dangerous!!OW,update|i:1|r:0:1:0
      restore-asking!keyspace write slow dangerous!!OW,update|i:1|r:0:1:0
      role!admin fast dangerous!!
      rpop!write list fast!!RW,access,delete|i:1|r:0:1:0
      rpoplpush!write list slow!!RW,access,delete|i:1|r:0:1:0;RW,insert|i:2|r:0:1:0
      rpush!write list fast!!RW,insert|i:1|r:0:1:0
      rpushx!write list fast!!RW,insert|i:1|r:0:1:0
      sadd!write set fast!!RW,insert|i:1|r:0:1:0
      save!admin slow dangerous!!
      scan!keyspace read slow!nondeterministic_output request_policy:special!
      scard!read set fast!!RO|i:1|r:0:1:0
      script!slow!!
      script|debug!slow scripting!!
      script|exists!slow scripting!request_policy:all_shards response_policy:agg_logical_and!
      script|flush!slow scripting!request_policy:all_nodes response_policy:all_succeeded!
      script|help!slow scripting!!
      script|kill!slow scripting!request_policy:all_shards response_policy:one_succeeded!
      script|load!slow scripting!request_policy:all_nodes response_policy:all_succeeded!
      sdiff!read set slow!nondeterministic_output_order!RO,access|i:1|r:-1:1:0
      sdiffstore!write set slow!!OW,update|i:1|r:0:1:0;RO,access|i:2|r:-1:1:0
      select!fast connection!!
      set!write string slow!!RW,access,update,variable_flags|i:1|r:0:1:0|RW and ACCESS due to the optional `GET` argument
      setbit!write bitmap slow!!RW,access,update|i:1|r:0:1:0
      setex!write string slow!!OW,update|i:1|r:0:1:0
      setnx!write string fast!!OW,insert|i:1|r:0:1:0
      setrange!write string slow!!RW,update|i:1|r:0:1:0
      shutdown!admin slow dangerous!!
      sinter!read set slow!nondeterministic_output_order!RO,access|i:1|r:-1:1:0
      sintercard!read set slow!!RO,access|i:1|n:0:1:1
      sinterstore!write set slow!!RW,update|i:1|r:0:1:0;RO,access|i:2|r:-1:1:0
      sismember!read set fast!!RO|i:1|r:0:1:0
      slaveof!admin slow dangerous!!
      slowlog!slow!!
      slowlog|get!admin slow dangerous!request_policy:all_nodes nondeterministic_output!
      slowlog|help!slow!!
      slowlog|len!admin slow dangerous!request_policy:all_nodes response_policy:agg_sum nondeterministic_output!
      slowlog|reset!admin slow dangerous!request_policy:all_nodes response_policy:all_succeeded!
      smembers!read set slow!nondeterministic_output_order!RO,access|i:1|r:0:1:0
      smismember!read set fast!!RO,access|i:1|r:0:1:0
      smove!write set fast!!RW,access,delete|i:1|r:0:1:0;RW,insert|i:2|r:0:1:0
      sort!write set sortedset list slow dangerous!!RO,access|i:1|r:0:1:0;RO,access|u|u|For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort;OW,update|u|u|For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array
      sort_ro!read set sortedset list slow dangerous!!RO,access|i:1|r:0:1:0;RO,access|u|u|For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort
      spop!write set fast!nondeterministic_output!RW,access,delete|i:1|r:0:1:0
      spublish!pubsub fast!!not_key|i:1|r:0:1:0
      srandmember!read set slow!nondeterministic_output!RO,access|i:1|r:0:1:0
      srem!write set fast!!RW,delete|i:1|r:0:1:0
      sscan!read set slow!nondeterministic_output!RO,access|i:1|r:0:1:0
      ssubscribe!pubsub slow!!not_key|i:1|r:-1:1:0
      strlen!read string fast!!RO|i:1|r:0:1:0
      subscribe!pubsub slow!!
      substr!read string slow!!RO,access|i:1|r:0:1:0
      sunion!read set slow!nondeterministic_output_order!RO,access|i:1|r:-1:1:0
      sunionstore!write set slow!!OW,update|i:1|r:0:1:0;RO,access|i:2|r:-1:1:0
      sunsubscribe!pubsub slow!!not_key|i:1|r:-1:1:0
      swapdb!keyspace write fast dangerous!!
      sync!admin slow dangerous!!
      time!fast!nondeterministic_output!
      touch!keyspace read fast!request_policy:multi_shard response_policy:agg_sum!RO|i:1|r:-1:1:0
      ttl!keyspace read fast!nondeterministic_output!RO,access|i:1|r:0:1:0
      type!keyspace read fast!!RO|i:1|r:0:1:0
      unlink!keyspace write fast!request_policy:multi_shard response_policy:agg_sum!RM,delete|i:1|r:-1:1:0
      unsubscribe!pubsub slow!!
      unwatch!fast transaction!!
      wait!slow connection!request_policy:all_shards response_policy:agg_min!
      watch!fast transaction!!RO|i:1|r:-1:1:0
      xack!write stream fast!!RW,update|i:1|r:0:1:0
      xadd!write stream fast!nondeterministic_output!RW,update|i:1|r:0:1:0|UPDATE instead of INSERT because of the optional trimming feature
      xautoclaim!write stream fast!nondeterministic_output!RW,delete|i:1|r:0:1:0
      xclaim!write stream fast!nondeterministic_output!RW,update|i:1|r:0:1:0
      xdel!write stream fast!!RW,delete|i:1|r:0:1:0
      xgroup!slow!!
      xgroup|create!write stream slow!!RW,insert|i:2|r:0:1:0
      xgroup|createconsumer!write stream slow!!RW,insert|i:2|r:0:1:0
      xgroup|delconsumer!write stream slow!!RW,delete|i:2|r:0:1:0
      xgroup|destroy!write stream slow!!RW,delete|i:2|r:0:1:0
      xgroup|help!stream slow!!
      xgroup|setid!write stream slow!!RW,update|i:2|r:0:1:0
      xinfo!slow!!
      xinfo|consumers!read stream slow!nondeterministic_output!RO,access|i:2|r:0:1:0
      xinfo|groups!read stream slow!!RO,access|i:2|r:0:1:0
      xinfo|help!stream slow!!
      xinfo|stream!read stream slow!!RO,access|i:2|r:0:1:0
      xlen!read stream fast!!RO|i:1|r:0:1:0
      xpending!read stream slow!nondeterministic_output!RO,access|i:1|r:0:1:0
      xrange!read stream slow!!RO,access|i:1|r:0:1:0
      xread!read stream slow blocking!!RO,access|k:STREAMS:1|r:-1:1:2
      xreadgroup!write stream slow blocking!!RO,access|k:STREAMS:4|r:-1:1:2
      xrevrange!read stream slow!!RO,access|i:1|r:0:1:0
      xsetid!write stream fast!!RW,update|i:1|r:0:1:0
      xtrim!write stream slow!nondeterministic_output!RW,delete|i:1|r:0:1:0
      zadd!write sortedset fast!!RW,update|i:1|r:0:1:0
      zcard!read sortedset fast!!RO|i:1|r:0:1:0
      zcount!read sortedset fast!!RO,access|i:1|r:0:1:0
      zdiff!read sortedset slow!!RO,access|i:1|n:0:1:1
      zdiffstore!write sortedset slow!!OW,update|i:1|r:0:1:0;RO,access|i:2|n:0:1:1
      zincrby!write sortedset fast!!RW,access,update|i:1|r:0:1:0
      zinter!read sortedset slow!!RO,access|i:1|n:0:1:1
      zintercard!read sortedset slow!!RO,access|i:1|n:0:1:1
      zinterstore!write sortedset slow!!OW,update|i:1|r:0:1:0;RO,access|i:2|n:0:1:1
      zlexcount!read sortedset fast!!RO,access|i:1|r:0:1:0
      zmpop!write sortedset slow!!RW,access,delete|i:1|n:0:1:1
      zmscore!read sortedset fast!!RO,access|i:1|r:0:1:0
      zpopmax!write sortedset fast!!RW,access,delete|i:1|r:0:1:0
      zpopmin!write sortedset fast!!RW,access,delete|i:1|r:0:1:0
      zrandmember!read sortedset slow!nondeterministic_output!RO,access|i:1|r:0:1:0
      zrange!read sortedset slow!!RO,access|i:1|r:0:1:0
      zrangebylex!read sortedset slow!!RO,access|i:1|r:0:1:0
      zrangebyscore!read sortedset slow!!RO,access|i:1|r:0:1:0
      zrangestore!write sortedset slow!!OW,update|i:1|r:0:1:0;RO,access|i:2|r:0:1:0
      zrank!read sortedset fast!!RO,access|i:1|r:0:1:0
      zrem!write sortedset fast!!RW,delete|i:1|r:0:1:0
      zremrangebylex!write sortedset slow!!RW,delete|i:1|r:0:1:0
      zremrangebyrank!write sortedset slow!!RW,delete|i:1|r:0:1:0
      zremrangebyscore!write sortedset slow!!RW,delete|i:1|r:0:1:0
      zrevrange!read sortedset slow!!RO,access|i:1|r:0:1:0
      zrevrangebylex!read sortedset slow!!RO,access|i:1|r:0:1:0
      zrevrangebyscore!read sortedset slow!!RO,access|i:1|r:0:1:0
      zrevrank!read sortedset fast!!RO,access|i:1|r:0:1:0
      zscan!read sortedset slow!nondeterministic_output!RO,access|i:1|r:0:1:0
      zscore!read sortedset fast!!RO,access|i:1|r:0:1:0
      zunion!read sortedset slow!!RO,access|i:1|n:0:1:1
      zunionstore!write sortedset slow!!OW,update|i:1|r:0:1:0;RO,access|i:2|n:0:1:1
      """);
}
