package org.akkaredis.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The start-up command line, read the way redis-server reads its own:
 * {@code [config-file] [--name value ...]}, where later values win, a setting may take several
 * words ({@code --bind 127.0.0.1 ::1}, {@code --save "3600 1"}), and {@code --save} given
 * several times adds rules instead of replacing them.
 */
public final class CommandLine {

  private static final String JAR = "java -jar target/akka-redis-cluster.jar";

  private final boolean helpRequested;
  private final boolean versionRequested;
  private final Settings settings;

  private CommandLine(boolean helpRequested, boolean versionRequested, Settings settings) {
    this.helpRequested = helpRequested;
    this.versionRequested = versionRequested;
    this.settings = settings;
  }

  /** Parsed argv: either help/version requested, or the settings. */
  public static CommandLine parse(String[] args) throws ConfigException {
    if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
      return new CommandLine(true, false, Settings.defaults());
    }
    if (args.length > 0 && (args[0].equals("-v") || args[0].equals("--version"))) {
      return new CommandLine(false, true, Settings.defaults());
    }
    int next = 0;
    String configFile = null;
    if (args.length > 0 && args[0].equals("-")) {
      throw new ConfigException("Bad config: reading settings from standard input ('-') is not supported; "
          + "give a config file or --name value arguments");
    }
    if (args.length > 0 && !args[0].startsWith("-")) {
      configFile = args[0];
      next = 1;
    }
    List<Option> options = readOptions(args, next);
    for (Option option : options) {
      if (option.name.equals("help")) {
        return new CommandLine(true, false, Settings.defaults());
      }
      if (option.name.equals("version")) {
        return new CommandLine(false, true, Settings.defaults());
      }
    }
    ConfigFileFormat format = configFile == null ? null : formatOf(configFile);
    Settings settings = Settings.defaults();
    List<String> fileSaveRules = null;
    if (format == ConfigFileFormat.REDIS_CONF) {
      List<RedisConfFile.Directive> directives = RedisConfFile.read(Path.of(configFile));
      settings = Settings.fromRedisConfUnchecked(directives);
      if (directives.stream().anyMatch(directive -> directive.name().equals("save"))) {
        // redis-server reads its arguments as more lines of the file: --save adds to the file's save lines.
        String rules = settings.rawValue("save");
        fileSaveRules = rules.isEmpty() ? List.of() : List.of(rules.split(" "));
      }
    } else if (format == ConfigFileFormat.HOCON) {
      settings = loadHocon(configFile);
    }
    settings = settings.withGivenUnchecked(toGiven(options, fileSaveRules));
    String where = "in " + (configFile == null ? Settings.COMMAND_LINE
        : configFile + (options.isEmpty() ? "" : " and " + Settings.COMMAND_LINE));
    settings.checkCombinations(where);
    settings.checkImplemented(where);
    if (configFile != null) {
      settings = settings.withConfigFile(Path.of(configFile).toAbsolutePath().normalize().toString(), format);
    }
    return new CommandLine(false, false, settings);
  }

  public boolean helpRequested() {
    return helpRequested;
  }

  public boolean versionRequested() {
    return versionRequested;
  }

  /** The settings to run with (Redis 7.0's defaults when help or version was requested). */
  public Settings settings() {
    return settings;
  }

  public static String usage() {
    return String.join("\n",
        "Usage: " + JAR + " [/path/to/node.conf] [--name value ...]",
        "       " + JAR + " -v or --version",
        "       " + JAR + " -h or --help",
        "",
        "The config file is a redis.conf (port 7001), or HOCON with redis.conf's names at",
        "top level (port = 7001): its first setting's line tells which.",
        "Arguments --name value after it override the file, exactly as redis-server takes them;",
        "a setting may take several words (--bind 127.0.0.1 ::1, --save \"3600 1 300 100\").",
        "Every setting redis-server 7.0 knows is accepted, with Redis 7.0's default when absent.",
        "",
        "Examples:",
        "       " + JAR + " (run with Redis 7.0's defaults)",
        "       " + JAR + " conf/node-7001.conf",
        "       " + JAR + " conf/node-7001.conf --loglevel verbose",
        "       " + JAR + " --port 7777 --cluster-enabled yes --dir data/7777",
        "",
        "Settings and their defaults: docs/configuration.md, conf/reference.conf.example");
  }

  /** e.g. {@code akka-redis-cluster 0.1.0 (redis_version 7.0.15)}. */
  public static String versionLine() {
    return ServerVersion.NAME + " " + ServerVersion.VERSION + " (redis_version " + ServerVersion.REDIS_VERSION + ")";
  }

  /** The file's syntax, which its first line that is not blank or a comment tells ({@link ConfigFileFormat}). */
  private static ConfigFileFormat formatOf(String configFile) throws ConfigException {
    Path path = Path.of(configFile);
    if (!Files.exists(path)) {
      throw new ConfigException("Bad config: cannot read config file '" + configFile + "': no such file");
    }
    if (Files.isDirectory(path)) {
      throw new ConfigException("Bad config: cannot read config file '" + configFile + "': it is a directory");
    }
    if (!Files.isReadable(path)) {
      throw new ConfigException("Bad config: cannot read config file '" + configFile + "': permission denied");
    }
    try {
      return ConfigFileFormat.of(new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException("Bad config: cannot read config file '" + configFile + "': " + e.getMessage());
    }
  }

  private static Settings loadHocon(String configFile) throws ConfigException {
    Path path = Path.of(configFile);
    Config hocon;
    try {
      // parseFile, not ConfigFactory.load: Akka's reference.conf keys are not node settings.
      // A file with any extension is HOCON; ${?ENV_VAR} substitutions resolve from the environment.
      hocon = ConfigFactory.parseFile(path.toFile(),
          ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF)).resolve();
    } catch (com.typesafe.config.ConfigException.Parse e) {
      throw new ConfigException("Bad config: " + e.getMessage()
          + " (the file is HOCON: write name = value, e.g. port = 7001)");
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("Bad config: " + e.getMessage());
    }
    return Settings.fromHoconUnchecked(hocon, configFile);
  }

  /** One {@code --name word...} group, as written. */
  private static final class Option {
    final String name;
    final List<String> words = new ArrayList<>();

    Option(String name) {
      this.name = name;
    }
  }

  /**
   * Groups arguments into options like redis-server: "--name" starts an option, and the
   * arguments up to the next "--name" are its words. An option still waiting for its first
   * word takes the next argument even if it starts with "--", except that "--save" followed by
   * another option (or by nothing) means --save "".
   */
  private static List<Option> readOptions(String[] args, int start) throws ConfigException {
    List<Option> options = new ArrayList<>();
    Option current = null;
    for (int i = start; i < args.length; i++) {
      String arg = args[i];
      boolean awaitingFirstWord = current != null && current.words.isEmpty();
      boolean startsOption = arg.startsWith("--")
          && (!awaitingFirstWord || current.name.equals("save"));
      if (startsOption) {
        if (awaitingFirstWord) {
          current.words.add(""); // --save --port 7001: redis-server reads --save ""
        }
        current = startOption(arg.substring(2));
        options.add(current);
      } else if (current == null) {
        throw new ConfigException("Bad config: unexpected argument '" + arg + "' in " + Settings.COMMAND_LINE
            + " (settings are given as --name value)");
      } else {
        current.words.add(arg);
      }
    }
    if (current != null && current.words.isEmpty()) {
      String name = current.name;
      boolean ignoredName = name.equals("help") || name.equals("version")
          || SettingTable.IGNORED_DEPRECATED_NAMES.contains(name);
      if (name.equals("save")) {
        current.words.add("");
      } else if (SettingTable.indexOf(name) >= 0) {
        throw new ConfigException("Bad config: '" + name + "' needs a value in " + Settings.COMMAND_LINE);
      } else if (!ignoredName) {
        throw new ConfigException("Bad config: unknown setting '" + name + "' in " + Settings.COMMAND_LINE);
      }
    }
    return options;
  }

  /** "--port 7002" as one argument, and "--port=7002", hold the name and a first word. */
  private static Option startOption(String body) {
    String[] nameAndRest = body.strip().split("\\s+", 2);
    String name = nameAndRest[0];
    String firstWords = nameAndRest.length > 1 ? nameAndRest[1] : null;
    int equals = name.indexOf('=');
    if (firstWords == null && equals > 0 && SettingTable.indexOf(name.substring(0, equals)) >= 0) {
      firstWords = name.substring(equals + 1);
      name = name.substring(0, equals);
    }
    Option option = new Option(name.toLowerCase(Locale.ROOT));
    if (firstWords != null) {
      option.words.add(firstWords);
    }
    return option;
  }

  /**
   * Turns options into settings to apply in order. Repeated --save options add rules (an
   * empty one clears the ones before), as repeated save lines do in redis.conf.
   *
   * @param fileSaveRules the save rules of a redis.conf's save lines, which --save adds to; null when the first
   *                      --save replaces the rules (no save line, or a HOCON file)
   */
  private static List<Settings.Given> toGiven(List<Option> options, List<String> fileSaveRules)
      throws ConfigException {
    List<Settings.Given> given = new ArrayList<>();
    List<String> saveWords = fileSaveRules == null ? null : new ArrayList<>(fileSaveRules);
    String where = "in " + Settings.COMMAND_LINE;
    for (Option option : options) {
      int index = SettingTable.indexOf(option.name);
      boolean multiWord = index >= 0 && SettingTable.ALL.get(index).type.multiWord();
      String text = String.join(" ", option.words);
      List<String> words = new ArrayList<>();
      if (multiWord) {
        for (String word : option.words) {
          words.addAll(Settings.splitWords(word));
        }
        if (words.size() > 1) {
          words.removeIf(String::isEmpty);
        }
      } else {
        words.addAll(option.words);
      }
      if (index >= 0 && SettingTable.ALL.get(index).name.equals("save")) {
        boolean clears = words.size() == 1 && words.get(0).isEmpty();
        saveWords = clears || saveWords == null ? new ArrayList<>() : saveWords;
        words.removeIf(String::isEmpty);
        saveWords.addAll(words);
        words = saveWords.isEmpty() ? List.of("") : List.copyOf(saveWords);
        text = String.join(" ", words);
      }
      given.add(new Settings.Given(option.name, List.copyOf(words), text, where));
    }
    return given;
  }
}
