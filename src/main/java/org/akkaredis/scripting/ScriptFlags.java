package org.akkaredis.scripting;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.akkaredis.text.SdsText;

/**
 * A script's flags from its {@code #!lua} shebang (eval.c evalExtractShebangFlags). A script without a shebang
 * is in EVAL compatibility mode: no flags of its own, the command's flags apply.
 */
public record ScriptFlags(boolean compatMode, boolean noWrites, boolean allowOom, boolean allowStale,
    boolean noCluster, boolean allowCrossSlotKeys) {

  static final ScriptFlags COMPAT = new ScriptFlags(true, false, false, false, false, false);

  /** A function's flags (redis.register_function's flags table, names already checked and lower case). */
  static ScriptFlags of(List<String> names) {
    return new ScriptFlags(false, names.contains("no-writes"), names.contains("allow-oom"),
        names.contains("allow-stale"), names.contains("no-cluster"), names.contains("allow-cross-slot-keys"));
  }

  /** The flags' names in Redis's order, as FUNCTION LIST shows them. */
  List<String> names() {
    List<String> names = new java.util.ArrayList<>();
    if (noWrites) names.add("no-writes");
    if (allowOom) names.add("allow-oom");
    if (allowStale) names.add("allow-stale");
    if (noCluster) names.add("no-cluster");
    if (allowCrossSlotKeys) names.add("allow-cross-slot-keys");
    return names;
  }

  /** The flags and the shebang's length (what precedes the code), or the error text (without "ERR "). */
  record Parsed(ScriptFlags flags, int shebangLength, String error) {}

  static Parsed parse(byte[] body) {
    if (body.length < 2 || body[0] != '#' || body[1] != '!') return new Parsed(COMPAT, 0, null);
    int end = -1;
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '\n') {
        end = i;
        break;
      }
    }
    if (end < 0) return new Parsed(null, 0, "Invalid script shebang");
    List<byte[]> parts = SdsText.splitArgs(java.util.Arrays.copyOf(body, end));
    if (parts == null || parts.isEmpty()) return new Parsed(null, 0, "Invalid engine in script shebang");
    String engine = new String(parts.get(0), StandardCharsets.ISO_8859_1);
    if (!engine.equals("#!lua")) return new Parsed(null, 0, "Unexpected engine in script shebang: " + engine);
    boolean noWrites = false;
    boolean allowOom = false;
    boolean allowStale = false;
    boolean noCluster = false;
    boolean crossSlot = false;
    for (int j = 1; j < parts.size(); j++) {
      String part = new String(parts.get(j), StandardCharsets.ISO_8859_1);
      if (!part.startsWith("flags=")) return new Parsed(null, 0, "Unknown lua shebang option: " + part);
      String list = part.substring(6);
      for (String flag : list.split(",", -1)) {
        switch (flag) {
          case "no-writes" -> noWrites = true;
          case "allow-oom" -> allowOom = true;
          case "allow-stale" -> allowStale = true;
          case "no-cluster" -> noCluster = true;
          case "allow-cross-slot-keys" -> crossSlot = true;
          default -> {
            if (!flag.isEmpty() || !list.isEmpty()) {
              return new Parsed(null, 0, "Unexpected flag in script shebang: " + flag);
            }
          }
        }
      }
    }
    return new Parsed(new ScriptFlags(false, noWrites, allowOom, allowStale, noCluster, crossSlot), end, null);
  }
}
