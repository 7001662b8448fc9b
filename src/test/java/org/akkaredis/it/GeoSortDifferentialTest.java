package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.akkaredis.it.support.DifferentialRunner;
import org.akkaredis.it.support.RespConnection;
import org.akkaredis.it.support.RespReply;
import org.akkaredis.it.support.Script;
import org.akkaredis.it.support.ServerPair;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The geo commands and SORT against a real redis-server 7.0, every reply byte for byte ({@link GeoSortScripts}),
 * one command at a time and pipelined, with both standalone and with both a one-node cluster owning every slot;
 * and geo sets moved between the two by DUMP and RESTORE.
 */
class GeoSortDifferentialTest {
  abstract static class BothServers extends ServerPair {
    BothServers(boolean cluster) {
      super(cluster);
    }

    /** A geo set DUMPed by one server and RESTOREd by the other answers the same searches (both ways). */
    @Test
    void geoSetsMoveByDumpAndRestoreBothWays() {
      try (RespConnection redis = RespConnection.open(this.redis.port());
          RespConnection node = RespConnection.open(this.node.port())) {
        for (RespConnection c : List.of(redis, node)) {
          c.call("DEL", "{g}from", "{g}to");
          c.call("GEOADD", "{g}from", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania",
              "2.349014", "48.864716", "Paris");
        }
        node.call("RESTORE".getBytes(), "{g}to".getBytes(), "0".getBytes(), redis.call("DUMP", "{g}from").bytes());
        redis.call("RESTORE".getBytes(), "{g}to".getBytes(), "0".getBytes(), node.call("DUMP", "{g}from").bytes());
        String[] search = {"GEOSEARCH", "{g}to", "FROMLONLAT", "15", "37", "BYRADIUS", "2000", "km", "ASC",
            "WITHDIST", "WITHCOORD", "WITHHASH"};
        RespReply expected = redis.call(search);
        assertEquals(3, expected.elements().size());
        assertEquals(expected.escaped(4000), node.call(search).escaped(4000));
        assertEquals(redis.call("GEOPOS", "{g}to", "Paris").escaped(200), node.call("GEOPOS", "{g}to", "Paris")
            .escaped(200));
      }
    }

    @TestFactory
    Stream<DynamicTest> scripts() {
      DifferentialRunner runner = new DifferentialRunner(redis, node);
      return GeoSortScripts.all().stream().flatMap(script -> Stream.of(
          DynamicTest.dynamicTest(script.name(), () -> DifferentialTest.check(runner, script, false)),
          DynamicTest.dynamicTest(script.name() + " (pipelined)", () -> DifferentialTest.check(runner, script, true))));
    }
  }

  @Nested
  class Standalone extends BothServers {
    Standalone() {
      super(false);
    }
  }

  @Nested
  class Cluster extends BothServers {
    Cluster() {
      super(true);
    }
  }
}
