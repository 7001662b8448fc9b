package org.akkaredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CONFIG REWRITE's text work: old file + settings → new file, for redis.conf and HOCON. */
class ConfigRewriteTest {

  private static Settings redisConf(String text) throws ConfigException {
    return Settings.fromRedisConfUnchecked(RedisConfFile.parse(text));
  }

  private static Settings set(Settings settings, String... nameValuePairs) {
    assertNull(settings.set(List.of(nameValuePairs)));
    return settings;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ConfigRewriteTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The resources are a redis.conf and what redis-server 7.0.15 made of it after these CONFIG SETs and CONFIG
   * REWRITE (its "user default ..." line left out: the node has no ACL users, and dir made /tmp). redis-server
   * appends in the random order of its hash table; the node in its table's order, so the appended part is
   * compared as a set.
   */
  @Test
  void aRedisConfIsRewrittenAsRedisServerRewritesIt() throws Exception {
    String before = resource("redis-7.0.15-before-rewrite.conf");
    Settings settings = redisConf(before).withOverrides(Map.of("dir", "/tmp")).withEveryValueAccepted();
    set(settings, "maxmemory", "3000000", "maxmemory-clients", "5%", "bind", "127.0.0.1 ::1", "hz", "1000",
        "shutdown-on-sigterm", "save now", "notify-keyspace-events", "Kx", "requirepass", "s3cr\"t",
        "masterauth", "", "save", "");

    String ours = ConfigRewrite.redisConf(before, ConfigRewrite.plan(settings));
    String redis = resource("redis-7.0.15-after-rewrite.conf");

    assertEquals(inPlace(redis), inPlace(ours));
    assertEquals(appended(redis).stream().sorted().toList(), appended(ours).stream().sorted().toList());
    assertEquals(List.of("requirepass \"s3cr\\\"t\"", "shutdown-on-sigterm save now", "hz 500",
        "maxmemory-clients 5%", "dir \"/tmp\"", "client-output-buffer-limit pubsub 64mb 16mb 90",
        "notify-keyspace-events \"xK\"", "latency-tracking-info-percentiles 50 99 99.9"), appended(ours));
  }

  private static String inPlace(String text) {
    return text.substring(0, text.indexOf(ConfigRewrite.SIGNATURE));
  }

  private static List<String> appended(String text) {
    String after = text.substring(text.indexOf(ConfigRewrite.SIGNATURE) + ConfigRewrite.SIGNATURE.length() + 1);
    return new ArrayList<>(List.of(after.split("\n")));
  }

  @Test
  void settingsAtTheirDefaultAreNotAppendedButLinesInTheFileAreKept() throws Exception {
    String before = "port 6379\ndbfilename dump.rdb\n";
    Settings settings = redisConf(before).withOverrides(Map.of("dir", "/data"));
    assertEquals("port 6379\ndbfilename \"dump.rdb\"\n\n" + ConfigRewrite.SIGNATURE + "\n"
            + "dir \"/data\"\nsave 3600 1\nsave 300 100\nsave 60 10000\n"
            + "latency-tracking-info-percentiles 50 99 99.9\n",
        ConfigRewrite.redisConf(before, ConfigRewrite.plan(settings)));
  }

  @Test
  void laterRewritesReuseTheMarkerAndSettle() throws Exception {
    Settings settings = set(redisConf("port 7000\n").withOverrides(Map.of("dir", "/data")), "timeout", "30");
    String once = ConfigRewrite.redisConf("port 7000\n", ConfigRewrite.plan(settings));
    String twice = ConfigRewrite.redisConf(once, ConfigRewrite.plan(settings));
    String thrice = ConfigRewrite.redisConf(twice, ConfigRewrite.plan(settings));
    // As redis-server's: the file's last newline reads as one more blank line, which the second rewrite keeps.
    assertEquals(once + "\n", twice);
    assertEquals(twice, thrice);
    assertEquals(1, thrice.split(ConfigRewrite.SIGNATURE, -1).length - 1);
  }

  @Test
  void linesNamingNoSettingBecomeCommentsButIncludesStay() throws Exception {
    Settings settings = Settings.defaults().withOverrides(Map.of("dir", "/d"));
    String before = "include /etc/redis/common.conf\nrename-command FLUSHALL \"\"\nnot-a-setting 1\n"
        + "port \"6379\n# comment\n";
    String after = ConfigRewrite.redisConf(before, ConfigRewrite.plan(settings));
    assertTrue(after.startsWith("include /etc/redis/common.conf\nrename-command FLUSHALL \"\"\n"
        + "# ??? not-a-setting 1\n# ??? port \"6379\n# comment\n\n" + ConfigRewrite.SIGNATURE + "\n"), after);
  }

  @Test
  void aMissingFileIsWrittenFromScratch() throws Exception {
    Settings settings = set(Settings.defaults().withOverrides(Map.of("dir", "/d")), "appendonly", "yes");
    assertEquals(ConfigRewrite.SIGNATURE + "\nappendonly yes\ndir \"/d\"\nsave 3600 1\nsave 300 100\n"
            + "save 60 10000\nlatency-tracking-info-percentiles 50 99 99.9\n",
        ConfigRewrite.redisConf(null, ConfigRewrite.plan(settings)));
  }

  @Test
  void sizesAreWrittenInTheLargestWholeUnit() {
    assertEquals("0", ConfigRewrite.memory(0));
    assertEquals("1gb", ConfigRewrite.memory(1L << 30));
    assertEquals("3mb", ConfigRewrite.memory(3L << 20));
    assertEquals("5kb", ConfigRewrite.memory(5L << 10));
    assertEquals("1000", ConfigRewrite.memory(1000));
  }

  // HOCON

  @Test
  void aHoconFileKeepsItsLayoutNamesAndComments() throws Exception {
    String before = String.join("\n",
        "# node 7001",
        "port = 7001",
        "  maxmemory: \"100 mb\"   # the cap",
        "slave-read-only = yes",
        "bind = \"127.0.0.1\"",
        "save = [",
        "  \"3600 1\",",
        "]",
        "port = 7002",
        "include \"common.conf\"",
        "");
    Settings settings = Settings.fromHoconUnchecked(com.typesafe.config.ConfigFactory.parseString(
        before.replace("include \"common.conf\"", "").replace("port = 7001\n", "")), "x.conf")
        .withOverrides(Map.of("dir", "/d")).withEveryValueAccepted();
    set(settings, "maxmemory", "2gb", "replica-read-only", "no", "port", "7003", "timeout", "9", "loglevel", "warning");
    String after = ConfigRewrite.hocon(before, ConfigRewrite.plan(settings));
    assertEquals(String.join("\n",
        "# node 7001",
        "port = 7003",
        "  maxmemory: 2gb   # the cap",
        "slave-read-only = no",
        "bind = \"127.0.0.1\"",
        "save = [",
        "  \"3600 1\",",
        "]",
        "include \"common.conf\"",
        ConfigRewrite.SIGNATURE,
        "loglevel = warning",
        "timeout = 9",
        "dir = \"/d\"",
        "save = \"3600 1\"",
        "latency-tracking-info-percentiles = \"50 99 99.9\"",
        ""), after);
    Settings reloaded = Settings.fromHocon(com.typesafe.config.ConfigFactory.parseString(
        after.replace("include \"common.conf\"", "")), "x.conf");
    assertEquals(settings.get(List.of("*")), reloaded.get(List.of("*")));
  }
}
