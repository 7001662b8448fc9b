package org.akkaredis.scripting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.akkaredis.text.SdsText;

/**
 * The node's function libraries (functions.c): each library's name, code and the functions it registered, the
 * function names across libraries (case-insensitive, as Redis's), on a Lua state of their own as Redis keeps one for functions.
 */
final class Libraries {
  /** A loaded library: its name, its whole code (shebang included) and its functions in registration order. */
  record Library(String name, byte[] code, List<LuaEngine.Function> functions) {}

  private final LuaEngine engine = new LuaEngine();
  private final Map<String, Library> libraries = new LinkedHashMap<>();
  private final Map<String, LuaEngine.Function> functions = new HashMap<>();

  LuaEngine engine() {
    return engine;
  }

  synchronized LuaEngine.Function function(String name) {
    return functions.get(nameKey(name));
  }

  synchronized List<Library> all() {
    return new ArrayList<>(libraries.values());
  }

  /** The libraries' codes, in the order they were loaded (what FUNCTION DUMP, the RDB and the AOF carry). */
  synchronized List<byte[]> codes() {
    List<byte[]> codes = new ArrayList<>(libraries.size());
    for (Library library : libraries.values()) codes.add(library.code());
    return codes;
  }

  /** FUNCTION STATS's counts of the Lua engine: libraries and functions. */
  synchronized int[] counts() {
    return new int[] {libraries.size(), functions.size()};
  }

  /** FUNCTION RESTORE's policies (restorePolicy). */
  enum RestorePolicy { APPEND, REPLACE, FLUSH }

  /**
   * FUNCTION RESTORE (functionRestoreCommand): the libraries of {@code codes} are created apart (as into a fresh
   * library context: a name twice in the payload fails), then take the place of all libraries (FLUSH) or join them
   * (libraryJoin: a library of the same name fails, or is replaced with REPLACE; a function of another library with
   * the same name fails). Null, or the error text (without "ERR "); on an error nothing changes.
   */
  synchronized String restore(List<byte[]> codes, RestorePolicy policy) {
    Map<String, Library> restored = new LinkedHashMap<>();
    Map<String, LuaEngine.Function> restoredFunctions = new HashMap<>();
    String error = null;
    for (byte[] code : codes) {
      StringBuilder failure = new StringBuilder();
      Library library = create(code, failure, name -> restored.containsKey(name));
      if (library == null) {
        error = failure.toString();
        break;
      }
      restored.put(library.name(), library);
      for (LuaEngine.Function function : library.functions()) {
        if (restoredFunctions.putIfAbsent(nameKey(function.name()), function) != null && error == null) {
          error = "Function " + function.name() + " already exists";
        }
      }
      if (error != null) break;
    }
    if (error == null && policy != RestorePolicy.FLUSH) error = joinError(restored, policy == RestorePolicy.REPLACE);
    if (error != null) {
      for (Library library : restored.values()) library.functions().forEach(engine::release);
      return error;
    }
    List<Library> replaced = new ArrayList<>();
    for (Library library : libraries.values()) {
      if (policy == RestorePolicy.FLUSH || restored.containsKey(library.name())) replaced.add(library);
    }
    replaced.forEach(this::remove);
    for (Library library : restored.values()) link(library);
    return null;
  }

  /** libraryJoin's checks: a library that exists (unless replaced), a function another library has. */
  private String joinError(Map<String, Library> restored, boolean replace) {
    for (Library library : restored.values()) {
      if (libraries.containsKey(library.name()) && !replace) return "Library " + library.name() + " already exists";
    }
    for (Library library : restored.values()) {
      for (LuaEngine.Function function : library.functions()) {
        LuaEngine.Function existing = functions.get(nameKey(function.name()));
        if (existing == null) continue;
        Library owner = libraries.get(ownerOf(existing));
        if (owner == null || !restored.containsKey(owner.name())) {
          return "Function " + function.name() + " already exists";
        }
      }
    }
    return null;
  }

  private String ownerOf(LuaEngine.Function function) {
    for (Library library : libraries.values()) {
      if (library.functions().contains(function)) return library.name();
    }
    return null;
  }

  /**
   * functionsCreateWithLibraryCtx without linking: the metadata checked, the code run so it registers its
   * functions; {@code exists} says whether a library of the name is there already (an error). Null on an error.
   */
  private Library create(byte[] code, StringBuilder error, java.util.function.Predicate<String> exists) {
    if (code.length < 2 || code[0] != '#' || code[1] != '!') return failed(error, "Missing library metadata");
    int end = -1;
    for (int i = 0; i < code.length; i++) {
      if (code[i] == '\n') {
        end = i;
        break;
      }
    }
    if (end < 0) return failed(error, "Invalid library metadata");
    List<byte[]> parts = SdsText.splitArgs(Arrays.copyOf(code, end));
    if (parts == null || parts.isEmpty()) return failed(error, "Invalid library metadata");
    String engineName = text(parts.get(0)).substring(2);
    String name = null;
    for (int i = 1; i < parts.size(); i++) {
      String part = text(parts.get(i));
      if (part.regionMatches(true, 0, "name=", 0, 5)) {
        if (name != null) return failed(error, "Invalid metadata value, name argument was given multiple times");
        name = part.substring(5);
        continue;
      }
      return failed(error, "Invalid metadata value given: " + part);
    }
    if (name == null) return failed(error, "Library name was not given");
    if (!engineName.equalsIgnoreCase("lua")) return failed(error, "Engine '" + engineName + "' not found");
    if (!validName(name)) {
      return failed(error,
          "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
    }
    if (exists.test(name)) return failed(error, "Library '" + name + "' already exists");
    Object loaded = engine.loadLibrary(Arrays.copyOfRange(code, end, code.length));
    if (loaded instanceof String text) return failed(error, text);
    @SuppressWarnings("unchecked")
    List<LuaEngine.Function> registered = (List<LuaEngine.Function>) loaded;
    if (registered.isEmpty()) return failed(error, "No functions registered");
    return new Library(name, code, registered);
  }

  private void link(Library library) {
    libraries.put(library.name(), library);
    for (LuaEngine.Function function : library.functions()) functions.put(nameKey(function.name()), function);
  }

  private static Library failed(StringBuilder error, String text) {
    error.append(text);
    return null;
  }

  /** FUNCTION LOAD [REPLACE]: the library's name, or the error text (without "ERR "). */
  synchronized String load(byte[] code, boolean replace, StringBuilder error) {
    Library library = create(code, error, name -> !replace && libraries.containsKey(name));
    if (library == null) return null;
    Library old = libraries.get(library.name());
    for (LuaEngine.Function function : library.functions()) {
      LuaEngine.Function existing = functions.get(nameKey(function.name()));
      if (existing != null && (old == null || !old.functions().contains(existing))) {
        library.functions().forEach(engine::release);
        error.append("Function ").append(function.name()).append(" already exists");
        return null;
      }
    }
    if (old != null) remove(old);
    link(library);
    return library.name();
  }

  /** FUNCTION DELETE: whether the library existed. */
  synchronized boolean delete(String name) {
    Library library = libraries.get(name);
    if (library == null) return false;
    remove(library);
    return true;
  }

  synchronized void flush() {
    libraries.clear();
    functions.clear();
    engine.flush();
  }

  private void remove(Library library) {
    libraries.remove(library.name());
    for (LuaEngine.Function function : library.functions()) {
      functions.remove(nameKey(function.name()));
      engine.release(function);
    }
  }

  /** Function names are looked up without regard to case (functionDictType: dictSdsKeyCaseCompare). */
  private static String nameKey(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean validName(String name) {
    if (name.isEmpty()) return false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok) return false;
    }
    return true;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
