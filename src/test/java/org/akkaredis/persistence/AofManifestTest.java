package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.akkaredis.persistence.AofManifest.FileInfo;
import org.akkaredis.persistence.AofManifest.ManifestFormatException;
import org.akkaredis.persistence.AofManifest.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifest texts below are the exact bytes Debian's redis-server 7.0.15 wrote (aof-disable-auto-gc yes keeps
 * the HISTORY lines that a rewrite writes and then, normally, deletes at once); the error texts are what it logged.
 */
class AofManifestTest {
  private static final String NAME = "appendonly.aof";

  /** First start with appendonly yes. */
  private static final String FRESH = """
      file appendonly.aof.1.base.rdb seq 1 type b
      file appendonly.aof.1.incr.aof seq 1 type i
      """;
  private static final String AFTER_FIRST_REWRITE = """
      file appendonly.aof.2.base.rdb seq 2 type b
      file appendonly.aof.1.incr.aof seq 1 type h
      file appendonly.aof.1.base.rdb seq 1 type h
      file appendonly.aof.2.incr.aof seq 2 type i
      """;
  private static final String AFTER_SECOND_REWRITE = """
      file appendonly.aof.3.base.rdb seq 3 type b
      file appendonly.aof.2.incr.aof seq 2 type h
      file appendonly.aof.2.base.rdb seq 2 type h
      file appendonly.aof.1.incr.aof seq 1 type h
      file appendonly.aof.1.base.rdb seq 1 type h
      file appendonly.aof.3.incr.aof seq 3 type i
      """;
  /** After CONFIG SET aof-disable-auto-gc no: the history files deleted. */
  private static final String AFTER_SECOND_REWRITE_GC = """
      file appendonly.aof.3.base.rdb seq 3 type b
      file appendonly.aof.3.incr.aof seq 3 type i
      """;
  /** aof-use-rdb-preamble no; two rewrites killed (SIGUSR1) after they had opened their INCR. */
  private static final String TWO_ABORTED_REWRITES = """
      file appendonly.aof.1.base.aof seq 1 type b
      file appendonly.aof.1.incr.aof seq 1 type i
      file appendonly.aof.2.incr.aof seq 2 type i
      file appendonly.aof.3.incr.aof seq 3 type i
      """;
  private static final String THEN_A_REWRITE_THAT_SUCCEEDED = """
      file appendonly.aof.2.base.aof seq 2 type b
      file appendonly.aof.1.incr.aof seq 1 type h
      file appendonly.aof.2.incr.aof seq 2 type h
      file appendonly.aof.3.incr.aof seq 3 type h
      file appendonly.aof.1.base.aof seq 1 type h
      file appendonly.aof.4.incr.aof seq 4 type i
      """;
  /** The same files after a start with appendonly no (which deletes the history), then BGREWRITEAOF. */
  private static final String REWRITE_WITH_APPENDONLY_NO = """
      file appendonly.aof.3.base.aof seq 3 type b
      """;
  /** Then CONFIG SET appendonly yes: its rewrite renames temp-appendonly.aof.incr to the next INCR. */
  private static final String THEN_APPENDONLY_YES = """
      file appendonly.aof.4.base.aof seq 4 type b
      file appendonly.aof.5.incr.aof seq 5 type i
      """;
  /** appendfilename set to: my fi"le&lt;TAB&gt;é.aof */
  private static final String QUOTED_NAME = "file \"my fi\\\"le\\t\\xc3\\xa9.aof.1.base.rdb\" seq 1 type b\n"
      + "file \"my fi\\\"le\\t\\xc3\\xa9.aof.1.incr.aof\" seq 1 type i\n";

  @Test
  void parsesWhatRedisWroteAndFormatsItByteForByte() throws IOException {
    for (String text : List.of(FRESH, AFTER_FIRST_REWRITE, AFTER_SECOND_REWRITE, AFTER_SECOND_REWRITE_GC,
        TWO_ABORTED_REWRITES, THEN_A_REWRITE_THAT_SUCCEEDED, REWRITE_WITH_APPENDONLY_NO, THEN_APPENDONLY_YES,
        QUOTED_NAME)) {
      assertArrayEquals(text.getBytes(StandardCharsets.US_ASCII),
          AofManifest.parse(text).format().getBytes(StandardCharsets.US_ASCII), text);
    }
  }

  @Test
  void sortsLinesIntoBaseHistoryAndIncrs() throws IOException {
    AofManifest manifest = AofManifest.parse(THEN_A_REWRITE_THAT_SUCCEEDED);
    assertEquals(new FileInfo("appendonly.aof.2.base.aof", 2, Type.BASE), manifest.base());
    assertEquals(List.of(new FileInfo("appendonly.aof.1.incr.aof", 1, Type.HISTORY),
        new FileInfo("appendonly.aof.2.incr.aof", 2, Type.HISTORY),
        new FileInfo("appendonly.aof.3.incr.aof", 3, Type.HISTORY),
        new FileInfo("appendonly.aof.1.base.aof", 1, Type.HISTORY)), manifest.history());
    assertEquals(List.of(new FileInfo("appendonly.aof.4.incr.aof", 4, Type.INCR)), manifest.incrs());
    assertEquals(List.of(manifest.base(), manifest.incrs().get(0)), manifest.filesToLoad());
    assertEquals(2, manifest.lastBaseSeq());
    assertEquals(4, manifest.lastIncrSeq());
  }

  @Test
  void quotedNamesAreUnescaped() throws IOException {
    AofManifest manifest = AofManifest.parse(QUOTED_NAME);
    assertEquals("my fi\"le\té.aof.1.base.rdb", manifest.base().name());
    assertEquals(QUOTED_NAME, AofManifest.fresh("my fi\"le\té.aof", true).format());
  }

  @Test
  void formatQuotesOnlyNamesThatNeedIt() throws IOException {
    assertEquals("file appendonly-x_1.aof.1.base.rdb seq 1 type b\nfile appendonly-x_1.aof.1.incr.aof seq 1 type i\n",
        AofManifest.fresh("appendonly-x_1.aof", true).format());
    assertEquals("file \"a b.1.base.rdb\" seq 1 type b\nfile \"a b.1.incr.aof\" seq 1 type i\n",
        AofManifest.fresh("a b", true).format());
    AofManifest oddName = AofManifest.fresh("c\"d\u0001\u007f\n\r\u0007\b", true);
    assertEquals("file \"c\\\"d\\x01\\x7f\\n\\r\\a\\b.1.base.rdb\" seq 1 type b\n",
        oddName.format().lines().findFirst().orElseThrow() + "\n");
    assertEquals(oddName, AofManifest.parse(oddName.format()));
  }

  @Test
  void namesAreBuiltAsRedisBuildsThem() {
    assertEquals("appendonly.aof.1.base.rdb", AofManifest.baseName(NAME, 1, true));
    assertEquals("appendonly.aof.12.base.aof", AofManifest.baseName(NAME, 12, false));
    assertEquals("appendonly.aof.3.incr.aof", AofManifest.incrName(NAME, 3));
    assertEquals("appendonly.aof.manifest", AofManifest.manifestName(NAME));
    assertEquals("temp-appendonly.aof.manifest", AofManifest.tempManifestName(NAME));
  }

  @Test
  void freshStartCreatesBaseAndIncrSeqOne() throws IOException {
    assertEquals(AofManifest.parse(FRESH), AofManifest.fresh(NAME, true));
    assertEquals(FRESH, AofManifest.fresh(NAME, true).format());
    assertEquals("file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
        AofManifest.fresh(NAME, false).format());
  }

  @Test
  void rewritesTurnTheOldBaseAndIncrsIntoHistoryAsRedisDoes() throws IOException {
    // BGREWRITEAOF opens the next INCR when it starts and swaps the BASE when it ends.
    AofManifest first = AofManifest.fresh(NAME, true).openNewIncr(NAME).afterRewrite(NAME, true);
    assertEquals(AFTER_FIRST_REWRITE, first.format());
    assertEquals(AofManifest.parse(AFTER_FIRST_REWRITE), first);
    AofManifest second = first.openNewIncr(NAME).afterRewrite(NAME, true);
    assertEquals(AFTER_SECOND_REWRITE, second.format());
    assertEquals(AFTER_SECOND_REWRITE_GC, second.withoutHistory().format());
  }

  @Test
  void abortedRewritesLeaveTheirIncrsUntilOneSucceeds() throws IOException {
    AofManifest aborted = AofManifest.fresh(NAME, false).openNewIncr(NAME).openNewIncr(NAME);
    assertEquals(TWO_ABORTED_REWRITES, aborted.format());
    assertEquals(THEN_A_REWRITE_THAT_SUCCEEDED, aborted.openNewIncr(NAME).afterRewrite(NAME, false).format());
  }

  @Test
  void aRewriteWithAppendonlyOffKeepsNoIncrButTheCounterGoesOn() throws IOException {
    AofManifest loaded = AofManifest.parse(THEN_A_REWRITE_THAT_SUCCEEDED).withoutHistory();
    AofManifest off = loaded.afterRewrite(NAME, false, Long.MAX_VALUE).withoutHistory();
    assertEquals(REWRITE_WITH_APPENDONLY_NO, off.format());
    assertNull(off.lastIncr());
    AofManifest on = off.openNewIncr(NAME).afterRewrite(NAME, false).withoutHistory();
    assertEquals(THEN_APPENDONLY_YES, on.format());
  }

  @Test
  void historyToDeleteListsTheHistoryFiles() throws IOException {
    AofManifest manifest = AofManifest.parse(AFTER_SECOND_REWRITE);
    assertEquals(manifest.history(), manifest.historyToDelete());
    assertEquals(List.of(), manifest.withoutHistory().historyToDelete());
    AofManifest withoutHistory = AofManifest.parse(AFTER_SECOND_REWRITE_GC);
    assertSame(withoutHistory, withoutHistory.withoutHistory());
  }

  @Test
  void historyToDeleteSparesANameThatIsLiveAgain() throws IOException {
    // Redis 7.0 given this manifest creates appendonly.aof.1.base.rdb and appendonly.aof.1.incr.aof, then deletes
    // the new INCR as a history file: seen on redis-server 7.0.15.
    AofManifest started = AofManifest.parse("file appendonly.aof.1.incr.aof seq 1 type h\n")
        .openOnServerStart(NAME, true);
    assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\n"
        + "file appendonly.aof.1.incr.aof seq 1 type i\n", started.format());
    assertEquals(List.of(), started.historyToDelete());
    assertEquals(FRESH, started.withoutHistory().format());
  }

  @Test
  void serverStartOpensAnIncrOnlyWhenThereIsNone() throws IOException {
    AofManifest running = AofManifest.parse(AFTER_SECOND_REWRITE_GC);
    assertSame(running, running.openOnServerStart(NAME, true));
    AofManifest baseOnly = AofManifest.parse("file appendonly.aof.3.base.aof seq 3 type b\n");
    // A manifest read from disk has no INCR counter left: the new INCR is seq 1 again, as in Redis.
    assertEquals("file appendonly.aof.3.base.aof seq 3 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
        baseOnly.openOnServerStart(NAME, false).format());
    assertEquals(AofManifest.fresh(NAME, true), AofManifest.empty().openOnServerStart(NAME, true));
  }

  @Test
  void acceptsWhatRedisAccepts() throws IOException {
    String incr = "file appendonly.aof.1.incr.aof seq 1 type i\n";
    String base = "file appendonly.aof.1.base.rdb seq 1 type b\n";
    AofManifest expected = AofManifest.parse(base + incr);
    assertEquals(expected, AofManifest.parse("# comment\n" + base + "#\n" + incr));
    assertEquals(expected, AofManifest.parse(base + incr + "# a last comment without newline"));
    assertEquals(expected, AofManifest.parse(base.replace("\n", "\r\n") + incr.replace("\n", "\r\n")));
    assertEquals(expected, AofManifest.parse("  file   appendonly.aof.1.base.rdb\tseq 1 type b  \n" + incr));
    assertEquals(expected, AofManifest.parse(base + "FILE appendonly.aof.1.incr.aof SEQ 1 TYPE i\n"));
    assertEquals(expected, AofManifest.parse(base + "type i seq 1 file appendonly.aof.1.incr.aof\n"));
    assertEquals(expected, AofManifest.parse(base + "file appendonly.aof.1.incr.aof seq 1 type i foo bar\n"));
    assertEquals(expected, AofManifest.parse(base + "file \"appendonly.aof.1.incr.aof\" seq 1 type i\n"));
    assertEquals(expected, AofManifest.parse(base + "file 'appendonly.aof.1.incr.aof' seq 1 type i\n"));
    assertEquals(expected, AofManifest.parse(base + "file appendonly.aof.1.incr.aof seq 1abc type incr\n"));
    assertEquals(-5, AofManifest.parse("file appendonly.aof.1.base.rdb seq -5 type b\n" + incr).base().seq());
    String longest = "file appendonly.aof.1.incr.aof seq 1 type i" + " ".repeat(1023 - 43) + "\n";
    assertEquals(expected, AofManifest.parse(base + longest));
  }

  static Stream<Arguments> rejectedManifests() {
    String base = "file appendonly.aof.1.base.rdb seq 1 type b\n";
    String incr = "file appendonly.aof.1.incr.aof seq 1 type i\n";
    String invalid = "Invalid AOF manifest file format";
    String tooLong = "The AOF manifest file contains too long line";
    String nonMonotonic = "Found a non-monotonic sequence number";
    return Stream.of(
        Arguments.of("", "Found an empty AOF manifest", 0, null),
        Arguments.of(base + "garbage\n", invalid, 2, "garbage"),
        Arguments.of(base + "\n" + incr, invalid, 2, ""),
        Arguments.of(base + "file appendonly.aof.1.incr.aof seq 1 type x\n", "Unknown AOF file type", 2,
            "file appendonly.aof.1.incr.aof seq 1 type x"),
        Arguments.of(base + base + incr, "Found duplicate base file information", 2,
            "file appendonly.aof.1.base.rdb seq 1 type b"),
        Arguments.of(base + "file appendonly.aof.2.incr.aof seq 2 type i\n" + incr,
            nonMonotonic, 3, "file appendonly.aof.1.incr.aof seq 1 type i"),
        Arguments.of(base + "file ../appendonly.aof.1.incr.aof seq 1 type i\n",
            "File can't be a path, just a filename", 2, "file ../appendonly.aof.1.incr.aof seq 1 type i"),
        Arguments.of(base + "file appendonly.aof.1.incr.aof seq 1 type i", tooLong, 0, null),
        Arguments.of(base + "file " + "x".repeat(1100) + " seq 1 type i\n", tooLong, 0, null),
        Arguments.of(base + "file appendonly.aof.1.incr.aof seq 1 type i" + " ".repeat(1024 - 43) + "\n", tooLong, 0,
            null),
        // fgets splits a long comment; Redis parses the rest as line 3.
        Arguments.of(base + "#" + "c".repeat(1023) + "ccccccc\n" + incr, invalid, 3, "ccccccc"),
        Arguments.of(base + "file appendonly.aof.1.incr.aof seq 0 type i\n", invalid, 2,
            "file appendonly.aof.1.incr.aof seq 0 type i"),
        Arguments.of(base + "file \"appendonly.aof.1.incr.aof seq 1 type i\n", invalid, 2,
            "file \"appendonly.aof.1.incr.aof seq 1 type i"),
        Arguments.of(base + "file \"appendonly\"x seq 1 type i\n", invalid, 2, "file \"appendonly\"x seq 1 type i"),
        Arguments.of(base + "file appendonly.aof.1.incr.aof seq 1 type i foo\n", invalid, 2,
            "file appendonly.aof.1.incr.aof seq 1 type i foo"),
        Arguments.of(base + "file appendonly.aof.1.incr.aof seq 1\n", invalid, 2,
            "file appendonly.aof.1.incr.aof seq 1"),
        Arguments.of(base + "name appendonly.aof.1.incr.aof seq 1 type i\n", invalid, 2,
            "name appendonly.aof.1.incr.aof seq 1 type i"),
        Arguments.of(base + "file appendonly.aof.1.incr.aof seq 1 type \"\"\n", invalid, 2,
            "file appendonly.aof.1.incr.aof seq 1 type \"\""),
        Arguments.of(base + "  # not a comment: '#' must come first\n", invalid, 2,
            "# not a comment: '#' must come first"),
        Arguments.of(base + "file appendonly.aof.1.incr.aof seq -1 type i\n", nonMonotonic, 2,
            "file appendonly.aof.1.incr.aof seq -1 type i"));
  }

  @ParameterizedTest
  @MethodSource("rejectedManifests")
  void rejectsWhatRedisRejectsWithItsMessage(String text, String message, int lineNumber, String line) {
    ManifestFormatException e = assertThrows(ManifestFormatException.class, () -> AofManifest.parse(text));
    assertEquals(message, e.getMessage());
    assertEquals(lineNumber, e.lineNumber());
    assertEquals(line, e.line());
  }

  @Test
  void redisLogLinesAreWhatRedisLogs() {
    ManifestFormatException e = assertThrows(ManifestFormatException.class,
        () -> AofManifest.parse("file appendonly.aof.1.base.rdb seq 1 type b\ngarbage\n"));
    assertEquals(List.of("*** FATAL AOF MANIFEST FILE ERROR ***", "Reading the manifest file, at line 2",
        ">>> 'garbage'", "Invalid AOF manifest file format"), e.redisLogLines());
    ManifestFormatException empty = assertThrows(ManifestFormatException.class, () -> AofManifest.parse(""));
    assertEquals(List.of("*** FATAL AOF MANIFEST FILE ERROR ***", "Found an empty AOF manifest"),
        empty.redisLogLines());
  }
}
