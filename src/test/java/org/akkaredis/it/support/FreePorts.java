package org.akkaredis.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Ports nobody listens on right now, taken below the OS's ephemeral range (32768 and up on Linux): a port the
 * OS hands out for port 0 can be taken by an outgoing connection before the test binds it.
 */
public final class FreePorts {
  private static final int FIRST = 10000;
  private static final int LAST = 32000;
  /** Where this JVM starts looking, so test JVMs that run side by side rarely probe the same ports. */
  private static final AtomicInteger cursor = new AtomicInteger(FIRST + ThreadLocalRandom.current().nextInt(LAST - FIRST));

  private FreePorts() {}

  public static int next() {
    for (int attempt = 0; attempt <= LAST - FIRST; attempt++) {
      int port = FIRST + Math.floorMod(cursor.getAndIncrement() - FIRST, LAST - FIRST + 1);
      if (isFree(port)) return port;
    }
    throw new AssertionError("no free port between " + FIRST + " and " + LAST);
  }

  /**
   * The first of {@code count} consecutive free ports whose bus ports (+ 10000, Redis's default) are free too, for
   * nodes started as users start them (the bus port is not given), all below the ephemeral range.
   */
  public static int clusterBase(int count) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = 12000 + ThreadLocalRandom.current().nextInt(10000);
      if (IntStream.range(0, count).allMatch(i -> isFree(base + i) && isFree(base + i + 10000))) return base;
    }
    throw new AssertionError("no " + count + " free ports between 12000 and 22000 (with their bus ports)");
  }

  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
