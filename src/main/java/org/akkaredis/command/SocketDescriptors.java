package org.akkaredis.command;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The file descriptor of each client's socket, for CLIENT LIST's fd field. Akka hides the sockets, so the
 * descriptors are found as Linux shows them: /proc/net/tcp and tcp6 give each connection's socket inode by its
 * two addresses, /proc/self/fd the descriptor holding each inode. Where there is no /proc, nothing is found and
 * CLIENT LIST leaves the field out.
 */
final class SocketDescriptors {
  private SocketDescriptors() {}

  /** Gives every session whose descriptor is not known yet the one its socket has, if it can be found. */
  static void resolve(List<Session> sessions) {
    if (sessions.stream().allMatch(s -> s.fd != UNKNOWN || s.addr.isEmpty())) return;
    Map<String, Long> inodes = new HashMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        inodes.putAll(connections(Files.readString(Path.of(table), StandardCharsets.US_ASCII)));
      } catch (IOException | RuntimeException e) {
        // no such table here (no /proc, no IPv6)
      }
    }
    Map<Long, Integer> descriptors = inodes.isEmpty() ? Map.of() : descriptorsOfSockets(Path.of("/proc/self/fd"));
    for (Session s : sessions) {
      if (s.fd != UNKNOWN) continue;
      Long inode = inodes.get(s.laddr + " " + s.addr);
      Integer fd = inode == null ? null : descriptors.get(inode);
      // Without /proc nothing will ever be found; with it, a socket missed once (seen under load, just after its
      // accept) is looked for again at the next CLIENT LIST.
      if (fd != null) s.fd = fd;
      else if (inodes.isEmpty()) s.fd = NOT_FOUND;
    }
  }

  /** Session.fd before the descriptor was looked for, and after it was not found. */
  static final int UNKNOWN = -1;
  static final int NOT_FOUND = -2;

  /**
   * A /proc/net/tcp or tcp6 table as "local remote" (Redis's ip:port, brackets around IPv6) to socket inode.
   * Addresses there are hex 32-bit words in the machine's byte order (little-endian), ports hex.
   */
  static Map<String, Long> connections(String table) {
    Map<String, Long> inodes = new HashMap<>();
    String[] lines = table.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] fields = lines[i].trim().split("\\s+");
      // Only established connections (state 01); closing ones have no inode left to find.
      if (fields.length < 10 || !fields[3].equals("01") || fields[9].equals("0")) continue;
      try {
        inodes.put(address(fields[1]) + " " + address(fields[2]), Long.parseLong(fields[9]));
      } catch (UnknownHostException | NumberFormatException e) {
        // a line not in the expected form: skipped
      }
    }
    return inodes;
  }

  /** "0100007F:1F90" → "127.0.0.1:8080"; an IPv4-mapped IPv6 address as its IPv4 address, as Java shows it. */
  static String address(String hex) throws UnknownHostException {
    int colon = hex.indexOf(':');
    String ip = hex.substring(0, colon);
    byte[] bytes = new byte[ip.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      long value = Long.parseLong(ip.substring(word * 8, word * 8 + 8), 16);
      for (int b = 0; b < 4; b++) bytes[word * 4 + b] = (byte) (value >>> (8 * b));
    }
    String text = InetAddress.getByAddress(bytes).getHostAddress();
    int port = Integer.parseInt(hex.substring(colon + 1), 16);
    return (text.contains(":") ? "[" + text + "]" : text) + ":" + port;
  }

  /** Socket inode to descriptor, from the links of a /proc/PID/fd directory ("socket:[12345]"). */
  static Map<Long, Integer> descriptorsOfSockets(Path fdDirectory) {
    Map<Long, Integer> descriptors = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(fdDirectory)) {
      for (Path entry : entries) {
        try {
          String target = Files.readSymbolicLink(entry).toString();
          if (target.startsWith("socket:[") && target.endsWith("]")) {
            descriptors.put(Long.parseLong(target.substring(8, target.length() - 1)),
                Integer.parseInt(entry.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // closed meanwhile, or not a descriptor
        }
      }
    } catch (IOException | RuntimeException e) {
      // no such directory here
    }
    return descriptors;
  }
}
