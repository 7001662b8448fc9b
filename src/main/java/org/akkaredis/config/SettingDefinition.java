package org.akkaredis.config;

import java.util.List;
import java.util.function.Function;

/** One row of the settings table: a redis-server 7.0 setting. */
final class SettingDefinition {

  /** Whether CONFIG SET may change a setting. */
  enum Access {
    /** CONFIG SET changes it. */
    MUTABLE,
    /** Only the config file and command line set it ("can't set immutable config"). */
    IMMUTABLE,
    /**
     * CONFIG SET changes it only when enable-protected-configs allows ("can't set protected
     * config"), because it could be used to write files anywhere.
     */
    PROTECTED
  }

  /** An extra rule on top of the value type, e.g. "dbfilename can't be a path". */
  interface ValueCheck {
    /**
     * @param candidate the other settings as they would be after the change
     * @param atStartup true while loading the config file and command line
     * @return redis-server's error text, or null if the value is acceptable
     */
    String problem(Object value, Function<String, Object> candidate, boolean atStartup);
  }

  final String name;
  /** The other name redis-server also answers to (slaveof for replicaof, ...), or null. */
  final String alias;
  final ValueType type;
  final String defaultText;
  final Object defaultValue;
  final Access access;
  /** Hidden settings answer CONFIG GET only to their exact name, never to a pattern. */
  final boolean hidden;
  final ValueCheck check;

  private SettingDefinition(String name, String alias, ValueType type, String defaultText, Access access,
               boolean hidden, ValueCheck check) {
    this.name = name;
    this.alias = alias;
    this.type = type;
    this.defaultText = defaultText;
    this.access = access;
    this.hidden = hidden;
    this.check = check;
    this.defaultValue = parseDefault(name, type, defaultText);
  }

  SettingDefinition(String name, ValueType type, String defaultText, Access access) {
    this(name, null, type, defaultText, access, false, null);
  }

  SettingDefinition alias(String otherName) {
    return new SettingDefinition(name, otherName, type, defaultText, access, hidden, check);
  }

  SettingDefinition hidden() {
    return new SettingDefinition(name, alias, type, defaultText, access, true, check);
  }

  SettingDefinition check(ValueCheck valueCheck) {
    return new SettingDefinition(name, alias, type, defaultText, access, hidden, valueCheck);
  }

  /** Splits a value the way CONFIG SET does for this type: multi-word values on single spaces. */
  List<String> wordsOf(String value) {
    if (!type.multiWord()) {
      return List.of(value);
    }
    return value.isEmpty() ? List.of() : List.of(value.split(" ", -1));
  }

  private static Object parseDefault(String name, ValueType type, String defaultText) {
    List<String> words = type.multiWord()
        ? (defaultText.isEmpty() ? List.of("") : List.of(defaultText.split(" ")))
        : List.of(defaultText);
    try {
      return type.parse(words, initialValueFor(type));
    } catch (ValueType.InvalidValue e) {
      throw new IllegalStateException("bad default for " + name + ": " + e.redisText, e);
    }
  }

  /** The "previous value" handed to parse() for the default itself. */
  private static Object initialValueFor(ValueType type) {
    if (type instanceof CompoundTypes.ClientOutputBufferLimitType) {
      CompoundTypes.ClassLimit none = new CompoundTypes.ClassLimit(0, 0, 0);
      return List.of(none, none, none);
    }
    return null;
  }

  @Override
  public String toString() {
    return name;
  }
}
