package org.akkaredis.command;

import static org.akkaredis.command.EffectsNode.resp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the geo commands and SORT hand to the effect sink: what redis-server 7.0.15 wrote to its AOF for the same
 * commands (GEOADD as the ZADD it becomes, the storing searches and SORT ... STORE as sent, reads nothing).
 */
class GeoSortEffectsTest {
  private final TestKeyspace ks = new TestKeyspace(table());

  static CommandTable table() {
    CommandTable.Builder b = CommandTable.builder();
    KeyCommands.register(b);
    ListCommands.register(b);
    SortedSetCommands.register(b);
    GeoCommands.register(b);
    SortCommand.register(b);
    return b.build();
  }

  private List<String> effects(String... args) {
    return ks.effects(args);
  }

  @Test
  void geoaddIsPropagatedAsTheZaddItBecomes() {
    assertEquals(List.of(resp("zadd", "g", "3479099956230698", "Palermo", "3479447370796909", "Catania")),
        effects("geoadd", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"));
    assertEquals(List.of(resp("zadd", "g", "ch", "xx", "3479101030759983", "Palermo")),
        effects("geoadd", "g", "ch", "xx", "13.361389", "38.2", "Palermo"));
    assertEquals(List.of(), effects("geoadd", "g", "nx", "1", "1", "Palermo"));
    assertEquals(List.of(), effects("geoadd", "g", "200", "1", "x"));
  }

  @Test
  void storingSearchesAndSortStoreArePropagatedAsSent() {
    effects("geoadd", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
    String[] search = {"geosearchstore", "d", "g", "fromlonlat", "15", "37", "byradius", "200", "km", "storedist"};
    assertEquals(List.of(resp(search)), effects(search));
    String[] radius = {"georadius", "g", "15", "37", "200", "km", "store", "d2"};
    assertEquals(List.of(resp(radius)), effects(radius));
    assertEquals(List.of(), effects("georadius", "g", "15", "37", "200", "km"));
    assertEquals(List.of(), effects("geosearch", "g", "fromlonlat", "15", "37", "byradius", "200", "km"));
    // Nothing found: the destination is deleted, and that is the change propagated.
    String[] nothing = {"geosearchstore", "d", "g", "fromlonlat", "15", "37", "byradius", "1", "m"};
    assertEquals(List.of(resp(nothing)), effects(nothing));
    assertEquals(List.of(), effects(nothing));
    effects("rpush", "l", "3", "1", "2");
    assertEquals(List.of(resp("sort", "l", "store", "sl")), effects("sort", "l", "store", "sl"));
    assertEquals(List.of(), effects("sort", "l"));
    assertEquals(List.of(resp("sort", "nokey", "store", "sl")), effects("sort", "nokey", "store", "sl"));
    assertEquals(List.of(), effects("sort", "nokey", "store", "sl"));
  }
}
