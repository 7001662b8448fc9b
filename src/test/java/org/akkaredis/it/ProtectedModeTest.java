package org.akkaredis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.akkaredis.it.support.NodeFixture;
import org.akkaredis.it.support.RespConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * protected-mode as redis-server 7.0.15 has it: with no password for the default user, a client from other than a
 * loopback address gets Redis's DENIED text and is disconnected; loopback clients are served; a password or
 * protected-mode no lets remote clients in. The remote client is this machine reached at a non-loopback address.
 */
class ProtectedModeTest {
  private static final String DENIED = "-DENIED Redis is running in protected mode because protected mode is enabled "
      + "and no password is set for the default user. In this mode connections are only accepted from the loopback "
      + "interface. If you want to connect from external computers to Redis you may adopt one of the following "
      + "solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the "
      + "loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis "
      + "is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) "
      + "Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting "
      + "the protected mode option to 'no', and then restarting the server. 3) If you started the server manually "
      + "just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password "
      + "for the default user. NOTE: You only need to do one of the above things in order for the server to start "
      + "accepting connections from the outside.\r\n";

  private static NodeFixture node;
  private static String remoteAddress;

  @BeforeAll
  static void start() throws SocketException {
    remoteAddress = nonLoopbackAddress().orElse(null);
    Assumptions.assumeTrue(remoteAddress != null,
        "this machine has no non-loopback IPv4 address to connect from as a remote client");
    // Every IPv4 address: Redis 7.0 protects whatever bind says.
    node = NodeFixture.startAsync(false, Map.of("bind", "0.0.0.0")).join();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static Optional<String> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) continue;
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) return Optional.of(address.getHostAddress());
      }
    }
    return Optional.empty();
  }

  private static String local(String... args) {
    try (RespConnection connection = RespConnection.open(node.port())) {
      return connection.call(args).text();
    }
  }

  private static long stat(String field) {
    try (RespConnection connection = RespConnection.open(node.port())) {
      return Long.parseLong(connection.infoField("stats", field));
    }
  }

  @Test
  void remoteClientsAreDeniedUntilAPasswordIsSetOrProtectionIsOff() {
    long rejectedBefore = stat("rejected_connections");
    try (RespConnection remote = RespConnection.open(remoteAddress, node.port())) {
      assertEquals(DENIED, new String(remote.readUntilClosed(), StandardCharsets.UTF_8));
    }
    assertEquals(rejectedBefore + 1, stat("rejected_connections"));
    assertEquals("PONG", local("ping"), "loopback clients are served");

    assertEquals("OK", local("config", "set", "requirepass", "secret"));
    try (RespConnection remote = RespConnection.open(remoteAddress, node.port())) {
      assertEquals("NOAUTH Authentication required.", remote.call("ping").text());
      assertEquals("OK", remote.call("auth", "secret").text());
      assertEquals("PONG", remote.call("ping").text());
      assertEquals("OK", remote.call("config", "set", "requirepass", "").text());
    }

    assertEquals("OK", local("config", "set", "protected-mode", "no"));
    try (RespConnection remote = RespConnection.open(remoteAddress, node.port())) {
      assertEquals("PONG", remote.call("ping").text());
      assertTrue(remote.call("client", "info").text().contains("addr=" + remoteAddress + ":"));
    }
    assertEquals("OK", local("config", "set", "protected-mode", "yes"));
  }
}
