package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.akkaredis.it.support.DifferentialRunner;
import org.akkaredis.it.support.DifferentialRunner.Mismatch;
import org.akkaredis.it.support.RedisEndpoint;
import org.akkaredis.it.support.Script;
import org.akkaredis.it.support.ServerPair;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestFactory;

/**
 * Sends the same command scripts to a real redis-server 7.0 and to the node and compares every raw reply
 * byte for byte (or, where two correct servers legitimately differ, by a named looser comparison): once with
 * both standalone, once with both in cluster mode owning every slot. With {@code -Dit.server=redis-server}
 * a second redis-server stands in for the node, which checks the scripts' loose comparisons.
 */
class DifferentialTest {
  /** Mismatches listed in a failure after the first one, which is described in full. */
  private static final int LISTED_MISMATCHES = 15;

  /** Both servers in one mode, every script against each; the nested classes pick the mode. */
  abstract class BothServers extends ServerPair {
    BothServers(boolean cluster) {
      super(cluster);
    }

    @TestFactory
    Stream<DynamicTest> scripts() {
      return dynamicTests(redis, node, DifferentialTest.this.scripts());
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

  /** The scripts to run; a subclass runs its own through the same servers and comparisons. */
  List<Script> scripts() {
    return DifferentialScripts.all();
  }

  /** Each script twice: one command at a time, then pipelined (each connection's run of commands in one write). */
  private static Stream<DynamicTest> dynamicTests(RedisEndpoint redis, RedisEndpoint node, List<Script> scripts) {
    DifferentialRunner runner = new DifferentialRunner(redis, node);
    return scripts.stream().flatMap(script -> Stream.of(
        DynamicTest.dynamicTest(script.name(), () -> check(runner, script, false)),
        DynamicTest.dynamicTest(script.name() + " (pipelined)", () -> check(runner, script, true))));
  }

  static void check(DifferentialRunner runner, Script script, boolean pipelined) {
    List<Mismatch> mismatches = runner.run(script, pipelined);
    if (mismatches.isEmpty()) return;
    String others = mismatches.stream().skip(1).limit(LISTED_MISMATCHES)
        .map(m -> "  step " + m.step() + ": " + m.command().display() + "  expected " + m.expected() + "  got "
            + m.actual())
        .collect(Collectors.joining("\n"));
    fail("first mismatch of " + mismatches.size() + " in script '" + script.name() + "'"
        + (pipelined ? " (pipelined)" : "") + ":\n"
        + mismatches.get(0).describe()
        + (others.isEmpty() ? "" : "\nlater mismatches (state may have diverged after the first):\n" + others));
  }
}
