package org.akkaredis.config;

import org.akkaredis.text.SdsText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A config file in redis.conf's own syntax, read as redis-server 7.0 reads it: lines split on '\n' and trimmed,
 * '#' comments and blank lines skipped, each other line split into words by sdssplitargs (quotes and escapes),
 * the first word, lower-cased, naming the directive. {@code include path} reads another file in its place (a
 * path with {@code * ? [} reads every matching file, in name order, and none if nothing matches).
 */
final class RedisConfFile {
  private RedisConfFile() {}

  /** Includes nested deeper than this are a loop: redis-server would recurse until it crashes. */
  private static final int MAX_INCLUDE_DEPTH = 32;

  /**
   * One directive line.
   *
   * @param name the first word, lower-cased
   * @param args the words after it
   * @param lineNumber the line's number in its own file (an included file counts from 1)
   * @param text the line as trimmed, for errors
   */
  record Directive(String name, List<String> args, int lineNumber, String text) {
  }

  /** Every directive of the file, includes expanded in place. */
  static List<Directive> read(Path file) throws ConfigException {
    List<Directive> directives = new ArrayList<>();
    read(file, directives, 0);
    return directives;
  }

  /** Every directive of a file's text (an include reads its file from disk). */
  static List<Directive> parse(String text) throws ConfigException {
    List<Directive> directives = new ArrayList<>();
    parse(text.getBytes(StandardCharsets.UTF_8), directives, 0);
    return directives;
  }

  private static void read(Path file, List<Directive> into, int depth) throws ConfigException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("Fatal error, can't open config file '" + file + "': No such file or directory");
    } catch (IOException e) {
      throw new ConfigException("Fatal error, can't open config file '" + file + "': " + e.getMessage());
    }
    parse(content, into, depth);
  }

  private static void parse(byte[] content, List<Directive> into, int depth) throws ConfigException {
    int lineNumber = 0;
    int start = 0;
    while (start <= content.length) {
      int end = start;
      while (end < content.length && content[end] != '\n') end++;
      lineNumber++;
      byte[] line = SdsText.trim(content, start, end);
      start = end + 1;
      if (line.length == 0 || line[0] == '#') {
        continue;
      }
      String text = new String(line, StandardCharsets.UTF_8);
      List<byte[]> words = SdsText.splitArgs(line);
      if (words == null) {
        throw fatal(lineNumber, text, "Unbalanced quotes in configuration line");
      }
      if (words.isEmpty()) {
        continue;
      }
      String name = new String(words.get(0), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
      List<String> args = new ArrayList<>();
      for (int i = 1; i < words.size(); i++) {
        args.add(new String(words.get(i), StandardCharsets.UTF_8));
      }
      if (name.equals("include") && args.size() == 1) {
        if (depth >= MAX_INCLUDE_DEPTH) {
          throw fatal(lineNumber, text, "Too many nested includes (an include loop?)");
        }
        include(args.get(0), into, depth + 1);
        continue;
      }
      into.add(new Directive(name, List.copyOf(args), lineNumber, text));
    }
  }

  private static void include(String pattern, List<Directive> into, int depth) throws ConfigException {
    if (pattern.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
      read(Path.of(pattern), into, depth);
      return;
    }
    Path glob = Path.of(pattern);
    Path directory = glob.getParent() == null ? Path.of(".") : glob.getParent();
    if (directory.toString().chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
      throw new ConfigException("Fatal error, can't include '" + pattern
          + "': wildcards are supported in the file name only, not in its directories");
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.getFileName());
    List<Path> matches = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (matcher.matches(entry.getFileName())) {
          matches.add(glob.getParent() == null ? entry.getFileName() : entry);
        }
      }
    } catch (IOException e) {
      return; // as glob(3) finding nothing: an empty conf.d is allowed
    }
    matches.sort(null);
    for (Path match : matches) {
      read(match, into, depth);
    }
  }

  /** redis-server's report of a bad line, printed as it is before exiting with status 1. */
  static ConfigException fatal(int lineNumber, String lineText, String problem) {
    return ConfigException.verbatim("\n*** FATAL CONFIG FILE ERROR (Redis " + ServerVersion.REDIS_VERSION + ") ***\n"
        + "Reading the configuration file, at line " + lineNumber + "\n"
        + ">>> '" + lineText + "'\n"
        + problem);
  }

  /** The same report for a problem found once every line is read (no line to show). */
  static ConfigException fatal(String problem) {
    return ConfigException.verbatim("\n*** FATAL CONFIG FILE ERROR (Redis " + ServerVersion.REDIS_VERSION + ") ***\n"
        + problem);
  }
}
