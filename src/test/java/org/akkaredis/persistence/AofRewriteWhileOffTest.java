package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.Key;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.keyspace.SlotRouting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BGREWRITEAOF with appendonly no, checked against what redis-server 7.0.15 leaves in appendonlydir. */
class AofRewriteWhileOffTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final RdbWriter.Aux AUX = new RdbWriter.Aux("7.0.15", NOW / 1000, 0, false);

  private Path dir;
  private final RangeState[] ranges = new RangeState[2];
  private final AofStatus status = new AofStatus();

  @BeforeEach
  void fill() throws IOException {
    dir = Files.createTempDirectory("aof-off-");
    for (int i = 0; i < ranges.length; i++) {
      ranges[i] = new RangeState(i, 0, 16383, 2, Settings.defaults(), () -> NOW, SlotRouting::standalone);
    }
    ranges[0].db(0).put(Key.of("a"), "1".getBytes(StandardCharsets.US_ASCII));
    ranges[1].db(1).put(Key.of("b"), "2".getBytes(StandardCharsets.US_ASCII));
  }

  @AfterEach
  void deleteDir() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) Files.deleteIfExists(file);
    }
  }

  private Settings settings(String preamble) throws Exception {
    Map<String, String> values = new HashMap<>(Map.of("dir", dir.toString(), "aof-use-rdb-preamble", preamble));
    return Settings.defaults().withOverrides(values);
  }

  private List<String> loaded(Settings settings) throws IOException {
    List<String> commands = new ArrayList<>();
    DataLoader.loadAof(settings, DataLoader.manifest(settings), args -> {
      StringBuilder line = new StringBuilder();
      for (byte[] arg : args) line.append(line.length() == 0 ? "" : " ").append(new String(arg,
          StandardCharsets.UTF_8));
      commands.add(line.toString());
    }, new LoadStatus());
    return commands;
  }

  private List<String> filesInAofDir() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesABaseListedAloneInTheManifestAsRedisDoesWithTheAofOff() throws Exception {
    Settings settings = settings("yes");
    long[] clock = {NOW};
    AofRewriteWhileOff.rewrite(settings, ranges, AUX, status, () -> clock[0]);
    // redis-server 7.0.15, appendonly no, after SET a 1 and BGREWRITEAOF: these two files, this manifest.
    assertEquals(List.of("appendonly.aof.1.base.rdb", "appendonly.aof.manifest"), filesInAofDir());
    assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\n", Files.readString(
        dir.resolve("appendonlydir/appendonly.aof.manifest")));
    List<String> commands = loaded(settings);
    assertTrue(commands.contains("SET a 1"), commands.toString());
    assertEquals(1, status.rewrites);
    assertTrue(status.lastRewriteOk);
    assertFalse(status.rewriteInProgress);
  }

  @Test
  void aSecondRewriteReplacesTheFirstAndCommandFormHoldsEveryDatabase() throws Exception {
    AofRewriteWhileOff.rewrite(settings("yes"), ranges, AUX, status, () -> NOW);
    ranges[0].db(0).put(Key.of("c"), "3".getBytes(StandardCharsets.US_ASCII));
    Settings commandForm = settings("no");
    AofRewriteWhileOff.rewrite(commandForm, ranges, AUX, status, () -> NOW);
    assertEquals(List.of("appendonly.aof.2.base.aof", "appendonly.aof.manifest"), filesInAofDir());
    assertEquals("file appendonly.aof.2.base.aof seq 2 type b\n", Files.readString(
        dir.resolve("appendonlydir/appendonly.aof.manifest")));
    List<String> commands = loaded(commandForm);
    assertTrue(commands.contains("SET a 1"), commands.toString());
    assertTrue(commands.contains("SET c 3"), commands.toString());
    assertTrue(commands.contains("SET b 2"), commands.toString());
    assertTrue(commands.indexOf("SELECT 1") >= 0 && commands.indexOf("SELECT 1") < commands.indexOf("SET b 2"),
        commands.toString());
    assertEquals(2, status.rewrites);
  }

  @Test
  void anIncrOfAnEarlierAofIsHistoryAndGoes() throws Exception {
    Settings settings = settings("no");
    Path aofDir = dir.resolve("appendonlydir");
    Files.createDirectories(aofDir);
    Files.writeString(aofDir.resolve("appendonly.aof.1.base.aof"), "");
    Files.writeString(aofDir.resolve("appendonly.aof.1.incr.aof"), "*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$1\r\n9\r\n");
    Files.writeString(aofDir.resolve("appendonly.aof.manifest"),
        "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
    AofRewriteWhileOff.rewrite(settings, ranges, AUX, status, () -> NOW);
    assertEquals(List.of("appendonly.aof.2.base.aof", "appendonly.aof.manifest"), filesInAofDir());
    assertFalse(loaded(settings).contains("SET z 9"));
    assertNull(DataLoader.manifest(settings).lastIncr());
  }
}
