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
 * function names across libraries, on a Lua state of their own as Redis keeps one for functions.
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
    return functions.get(name);
  }

  synchronized List<Library> all() {
    return new ArrayList<>(libraries.values());
  }

  /** FUNCTION LOAD [REPLACE]: the library's name, or the error text (without "ERR "). */
  synchronized String load(byte[] code, boolean replace, StringBuilder error) {
    if (code.length < 2 || code[0] != '#' || code[1] != '!') return fail(error, "Missing library metadata");
    int end = -1;
    for (int i = 0; i < code.length; i++) {
      if (code[i] == '\n') {
        end = i;
        break;
      }
    }
    if (end < 0) return fail(error, "Invalid library metadata");
    List<byte[]> parts = SdsText.splitArgs(Arrays.copyOf(code, end));
    if (parts == null || parts.isEmpty()) return fail(error, "Invalid library metadata");
    String engineName = text(parts.get(0)).substring(2);
    String name = null;
    for (int i = 1; i < parts.size(); i++) {
      String part = text(parts.get(i));
      if (part.regionMatches(true, 0, "name=", 0, 5)) {
        if (name != null) return fail(error, "Invalid metadata value, name argument was given multiple times");
        name = part.substring(5);
        continue;
      }
      return fail(error, "Invalid metadata value given: " + part);
    }
    if (name == null) return fail(error, "Library name was not given");
    if (!engineName.equalsIgnoreCase("lua")) return fail(error, "Engine '" + engineName + "' not found");
    if (!validName(name)) {
      return fail(error,
          "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
    }
    Library old = libraries.get(name);
    if (old != null && !replace) return fail(error, "Library '" + name + "' already exists");
    Object loaded = engine.loadLibrary(Arrays.copyOfRange(code, end, code.length));
    if (loaded instanceof String text) return fail(error, text);
    @SuppressWarnings("unchecked")
    List<LuaEngine.Function> registered = (List<LuaEngine.Function>) loaded;
    if (registered.isEmpty()) return fail(error, "No functions registered");
    for (LuaEngine.Function function : registered) {
      LuaEngine.Function existing = functions.get(function.name());
      if (existing != null && (old == null || !old.functions().contains(existing))) {
        registered.forEach(engine::release);
        return fail(error, "Function " + function.name() + " already exists");
      }
    }
    if (old != null) remove(old);
    Library library = new Library(name, code, registered);
    libraries.put(name, library);
    for (LuaEngine.Function function : registered) functions.put(function.name(), function);
    return name;
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
      functions.remove(function.name());
      engine.release(function);
    }
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

  private static String fail(StringBuilder error, String text) {
    error.append(text);
    return null;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
