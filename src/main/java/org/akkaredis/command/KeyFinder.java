package org.akkaredis.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the keys of a command line as Redis 7.0's getKeysFromCommandWithSpecs does: by the command's key
 * specifications, and by the few finders Redis keeps in code where those cannot. COMMAND GETKEYS and the
 * placement of movable-key commands (SINTERCARD, ZUNION, ...) use it.
 */
final class KeyFinder {
  private KeyFinder() {}

  /** One key found in a command line: its position and the access flags of the spec that found it. */
  record KeyRef(int position, List<String> flags) {}

  /** Commands whose keys Redis finds with code of their own when their key specifications cannot. */
  private static final Set<String> NATIVE_KEY_FINDERS = Set.of("sort", "sort_ro", "migrate", "set", "bitfield");

  static boolean hasKeyArguments(CommandSpec spec) {
    if (NATIVE_KEY_FINDERS.contains(spec.name())) return true;
    for (KeySpec keySpec : spec.metadata().keySpecs()) {
      if (!keySpec.hasFlag("not_key")) return true;
    }
    return false;
  }

  /**
   * The keys of a command line: by the key specifications unless one has variable flags; when a spec cannot be
   * applied (unknown, incomplete, out of range), by the command's own finder, and none for the commands whose
   * finder then finds none either.
   */
  static List<KeyRef> findKeys(CommandSpec spec, byte[][] argv) {
    List<KeySpec> keySpecs = spec.metadata().keySpecs();
    boolean realSpecs = false;
    boolean variableFlags = false;
    for (KeySpec keySpec : keySpecs) {
      if (!keySpec.hasFlag("not_key")) realSpecs = true;
      if (keySpec.hasFlag("variable_flags")) variableFlags = true;
    }
    if (realSpecs && !variableFlags) {
      List<KeyRef> found = keysBySpecs(keySpecs, argv);
      if (found != null) return found;
    }
    return nativeKeys(spec.name(), argv);
  }

  /** Redis's getKeysUsingKeySpecs; null when a spec is invalid for this command line. */
  static List<KeyRef> keysBySpecs(List<KeySpec> keySpecs, byte[][] argv) {
    int argc = argv.length;
    List<KeyRef> keys = new ArrayList<>();
    for (KeySpec keySpec : keySpecs) {
      if (keySpec.hasFlag("not_key")) continue;
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
      if (keySpec.hasFlag("incomplete")) return null;
    }
    return keys;
  }

  private static final List<String> RO_ACCESS = List.of("RO", "access");
  private static final List<String> OW_UPDATE = List.of("OW", "update");
  private static final List<String> RW_ACCESS_UPDATE = List.of("RW", "access", "update");
  private static final List<String> RW_ACCESS_DELETE = List.of("RW", "access", "delete");

  /**
   * Whether a SORT or SORT_RO reads keys its BY or GET patterns name (a pattern with a '*'): which keys, and so
   * which slots, only its run knows.
   */
  static boolean readsPatternKeys(String command, byte[][] argv) {
    if (!command.equals("sort") && !command.equals("sort_ro")) return false;
    for (int i = 2; i + 1 < argv.length; i++) {
      if (Args.is(argv[i], "limit")) {
        i += 2;
      } else if (Args.is(argv[i], "store")) {
        i += 1;
      } else if (Args.is(argv[i], "get") || Args.is(argv[i], "by")) {
        for (byte b : argv[++i]) if (b == '*') return true;
      }
    }
    return false;
  }

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
}
