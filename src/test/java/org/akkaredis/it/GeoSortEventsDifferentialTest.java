package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The keyspace notifications of the geo commands and SORT against a real redis-server 7.0 (notify-keyspace-events
 * KEA): GEOADD's are ZADD's, the storing searches send georadiusstore / geosearchstore, SORT ... STORE sortstore,
 * and an empty result deletes the destination with del. A PSUBSCRIBE on each server reads the events up to a marker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeoSortEventsDifferentialTest {
  private static final String MARKER = "__geo_sort_marker__";
  private Servers.NodeAndRedis servers;

  @BeforeAll
  void start() {
    servers = Servers.nodeAndRedis(false, Map.of("notify-keyspace-events", "KEA"));
  }

  @AfterAll
  void stop() {
    if (servers != null) servers.close();
  }

  private static List<String> events(RedisEndpoint server, List<String[]> commands) {
    try (RespConnection subscriber = RespConnection.open(server.port());
        RespConnection client = RespConnection.open(server.port())) {
      subscriber.call("PSUBSCRIBE", "__key*__:*");
      List<String> out = new ArrayList<>();
      for (String[] command : commands) out.add("> " + String.join(" ", command) + " : " + client.call(command));
      client.call("SET", MARKER, "1");
      while (true) {
        RespReply message = subscriber.read();
        String channel = message.get(2).text();
        if (channel.endsWith(MARKER) || message.get(3).text().equals(MARKER)) {
          if (channel.startsWith("__keyevent")) return out;
          continue;
        }
        out.add(channel + " " + message.get(3).text());
      }
    }
  }

  @Test
  void geoAndSortSendRedisEvents() {
    List<String[]> commands = List.of(
        new String[] {"FLUSHALL"},
        new String[] {"GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"},
        new String[] {"GEOADD", "g", "NX", "13.361389", "38.115556", "Palermo"},
        new String[] {"GEOADD", "g", "XX", "CH", "13.361389", "38.2", "Palermo"},
        new String[] {"GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d1"},
        new String[] {"GEORADIUSBYMEMBER", "g", "Palermo", "200", "km", "STOREDIST", "d1"},
        new String[] {"GEOSEARCHSTORE", "d2", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"},
        new String[] {"GEOSEARCHSTORE", "d2", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m"},
        new String[] {"GEOSEARCHSTORE", "d2", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m"},
        new String[] {"GEORADIUS", "g", "15", "37", "1", "m", "STORE", "d1"},
        new String[] {"GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"},
        new String[] {"RPUSH", "l", "2", "1"},
        new String[] {"SORT", "l", "STORE", "s"},
        new String[] {"SORT", "l", "STORE", "s"},
        new String[] {"SORT", "nokey", "STORE", "s"},
        new String[] {"SORT", "nokey", "STORE", "s"},
        new String[] {"ZADD", "z", "1", "a"},
        new String[] {"SORT", "z", "BY", "nosort", "STORE", "z"});
    assertEquals(events(servers.redis(), commands), events(servers.node(), commands));
  }
}
