package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.Await;
import org.akkaredis.it.support.RedisServerFixture;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.TempDirs;
import org.akkaredis.persistence.AofCommandReader;
import org.akkaredis.persistence.AofManifest;
import org.junit.jupiter.api.Test;

/**
 * AofManifest and AofCommandReader read what a real redis-server 7.0 writes: its manifest, its INCR file, and the
 * BASE file a BGREWRITEAOF makes (in AOF format, with aof-use-rdb-preamble no).
 */
class AofFormatRedisTest {
  private static final String APPENDFILENAME = "appendonly.aof";
  private static final Duration REWRITE_TIMEOUT = Duration.ofSeconds(15);

  @Test
  void readsTheManifestAndTheCommandsRedisWrites() throws IOException {
    Path dir = TempDirs.create("aof-format-");
    // appendfsync always: each command is in the file before its reply comes back.
    try (RedisServerFixture redis = RedisServerFixture.start(false, Map.of("dir", dir.toString(),
        "appendonly", "yes", "aof-use-rdb-preamble", "no", "appendfsync", "always"));
        RespConnection c = redis.connect()) {
      Path aofDir = dir.resolve("appendonlydir");
      Path manifestFile = aofDir.resolve(AofManifest.manifestName(APPENDFILENAME));
      String freshText = Files.readString(manifestFile, StandardCharsets.US_ASCII);
      AofManifest fresh = AofManifest.parse(freshText);
      assertEquals(AofManifest.fresh(APPENDFILENAME, false), fresh);
      assertEquals(freshText, fresh.format());

      String big = "x".repeat(100_000);
      c.call("SET", "k", "v");
      c.call("RPUSH", "l", "a", "b");
      c.call("INCRBYFLOAT", "f", "1.5");
      c.call("EXPIRE", "k", "1000");
      c.call("MULTI");
      c.call("SET", "t", "1");
      c.call("INCR", "t");
      c.call("EXEC");
      c.call("SELECT", "1");
      c.call("SET".getBytes(StandardCharsets.US_ASCII), "bin".getBytes(StandardCharsets.US_ASCII),
          new byte[] {0, '\r', '\n', (byte) 0xff});
      c.call("SET", "big", big);

      Commands incr = read(aofDir.resolve(fresh.lastIncr().name()));
      assertFalse(incr.result.truncated());
      assertEquals(Files.size(aofDir.resolve(fresh.lastIncr().name())), incr.result.validBytes());
      List<String> expected = List.of("SELECT 0", "SET k v", "RPUSH l a b", "SET f 1.5 KEEPTTL", "PEXPIREAT k *",
          "MULTI", "SET t 1", "INCR t", "EXEC", "SELECT 1", "SET bin \0\r\n\u00ff", "SET big " + big);
      assertEquals(expected.size(), incr.texts.size(), incr.texts.toString());
      for (int i = 0; i < expected.size(); i++) {
        String want = expected.get(i);
        String got = incr.texts.get(i);
        if (want.endsWith("*")) {
          assertTrue(got.startsWith(want.substring(0, want.length() - 1)), got);
        } else {
          assertEquals(want, got);
        }
      }

      assertEquals("+Background append only file rewriting started\\r\\n", c.call("BGREWRITEAOF").escaped(100));
      AofManifest expectedAfterRewrite = fresh.openNewIncr(APPENDFILENAME).afterRewrite(APPENDFILENAME, false)
          .withoutHistory();
      String[] lastText = {""};
      Await.until("the rewrite's manifest without history", REWRITE_TIMEOUT, () -> {
        lastText[0] = readString(manifestFile);
        return lastText[0].equals(expectedAfterRewrite.format());
      }, () -> lastText[0]);
      assertEquals(expectedAfterRewrite, AofManifest.parse(lastText[0]));
      for (AofManifest.FileInfo old : fresh.filesToLoad()) {
        Path oldFile = aofDir.resolve(old.name());
        Await.until(old.name() + " deleted as history", REWRITE_TIMEOUT, () -> !Files.exists(oldFile));
      }

      Commands base = read(aofDir.resolve(expectedAfterRewrite.base().name()));
      assertFalse(base.result.truncated());
      assertTrue(base.texts.containsAll(List.of("SELECT 0", "SET k v", "RPUSH l a b", "SET t 2", "SET f 1.5",
          "SELECT 1", "SET bin \0\r\n\u00ff", "SET big " + big)), base.texts.toString());
      assertTrue(base.texts.stream().anyMatch(text -> text.startsWith("PEXPIREAT k ")), base.texts.toString());
    } finally {
      TempDirs.delete(dir);
    }
  }

  private record Commands(List<String> texts, AofCommandReader.Result result) {}

  /** Each command as its arguments joined by spaces, bytes as ISO-8859-1 characters. */
  private static Commands read(Path file) throws IOException {
    List<String> texts = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      AofCommandReader.Result result = AofCommandReader.read(in, args -> {
        List<String> parts = new ArrayList<>();
        for (byte[] arg : args) parts.add(new String(arg, StandardCharsets.ISO_8859_1));
        texts.add(String.join(" ", parts));
      });
      return new Commands(texts, result);
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
