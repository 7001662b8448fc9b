package org.akkaredis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SocketDescriptorsTest {

  @Test
  void procNetTcpLinesGiveEachConnectionsInode() throws Exception {
    String tcp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        + "   0: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 20 4 30 "
        + "10 -1\n";
    assertEquals(Map.of("127.0.0.1:8080 127.0.0.1:54321", 4242L), SocketDescriptors.connections(tcp));
    assertEquals("[0:0:0:0:0:0:0:1]:6379", SocketDescriptors.address("00000000000000000000000001000000:18EB"));
    assertEquals("127.0.0.1:6379", SocketDescriptors.address("0000000000000000FFFF00000100007F:18EB"),
        "an IPv4-mapped address, as Java reports it");
  }

  /** A real connection of this JVM: the descriptor found is the one /proc shows holding its socket. */
  @Test
  void aSessionsDescriptorIsTheOneHoldingItsSocket() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")) && Files.exists(Path.of("/proc/net/tcp")),
        "no Linux /proc here: CLIENT LIST leaves fd out");
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         Socket client = new Socket()) {
      client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
      try (Socket accepted = server.accept()) {
        Session session = new Session(1, format(accepted.getRemoteSocketAddress()),
            format(accepted.getLocalSocketAddress()), 0, Settings.defaults());
        // The client's end of the same connection, seen from its side: another socket, another descriptor.
        Session other = new Session(2, format(client.getRemoteSocketAddress()),
            format(client.getLocalSocketAddress()), 0, Settings.defaults());
        SocketDescriptors.resolve(List.of(session, other));
        assertTrue(session.fd >= 0 && other.fd >= 0 && session.fd != other.fd, session.fd + " " + other.fd);
        String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + session.fd)).toString();
        assertTrue(link.startsWith("socket:["), link);
      }
    }
  }

  private static String format(java.net.SocketAddress address) {
    InetSocketAddress inet = (InetSocketAddress) address;
    String ip = inet.getAddress().getHostAddress();
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + inet.getPort();
  }
}
