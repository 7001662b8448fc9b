package org.akkaredis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The image's config file with the arguments docker/compose.yaml and the Kubernetes StatefulSet give it load as the
 * node's settings (docker/verify-podman.sh runs the images; this checks the files where no container runs).
 * Runs from the project directory.
 */
class ContainerFilesTest {

  private static final Path DOCKER = Path.of("docker");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  /** The quoted items of each flow list `key: [...]` in a YAML file (the files keep their lists on a few lines). */
  private static List<List<String>> flowLists(Path file, String key) throws Exception {
    Matcher list = Pattern.compile("\\b" + key + ": \\[(.*?)\\]", Pattern.DOTALL).matcher(Files.readString(file));
    List<List<String>> lists = new ArrayList<>();
    while (list.find()) {
      lists.add(QUOTED.matcher(list.group(1)).results().map(m -> m.group(1)).toList());
    }
    return lists;
  }

  private static Map<String, String> settings(List<String> overrides) throws Exception {
    List<String> args = new ArrayList<>();
    args.add(DOCKER.resolve("node.conf").toString());
    args.addAll(overrides);
    return CommandLine.parse(args.toArray(String[]::new)).settings().get(List.of("*")).stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static void assertTheImagesSettings(Map<String, String> settings) {
    assertEquals("6379", settings.get("port"));
    assertEquals("16379", settings.get("cluster-port"));
    assertEquals("yes", settings.get("cluster-enabled"));
    assertEquals("/data", settings.get("dir"));
    assertEquals("yes", settings.get("appendonly"));
  }

  @Test
  void eachComposeNodeAnnouncesTheHostsPublishedPorts() throws Exception {
    List<List<String>> commands = flowLists(DOCKER.resolve("compose.yaml"), "command");
    assertEquals(6, commands.size(), "six nodes' commands");
    for (int node = 1; node <= 6; node++) {
      List<String> command = commands.get(node - 1).stream()
          .map(arg -> arg.replace("${HOST_IP:?set HOST_IP}", "192.0.2.2")).toList();
      Map<String, String> settings = settings(command);
      assertTheImagesSettings(settings);
      assertEquals("192.0.2.2", settings.get("cluster-announce-ip"));
      assertEquals(String.valueOf(7000 + node), settings.get("cluster-announce-port"));
      assertEquals(String.valueOf(17000 + node), settings.get("cluster-announce-bus-port"));
      assertEquals("node-" + node, settings.get("cluster-announce-hostname"));
      assertTrue(Files.readString(DOCKER.resolve("compose.yaml"))
          .contains("ports: [\"" + (7000 + node) + ":6379\", \"" + (17000 + node) + ":16379\"]"), "node-" + node);
    }
  }

  @Test
  void theStatefulSetsPodsAnnounceTheirIpAndDnsName() throws Exception {
    List<List<String>> args = flowLists(DOCKER.resolve("k8s/akka-redis-cluster.yaml"), "args");
    assertEquals(1, args.size());
    List<String> podArgs = args.get(0).stream()
        .map(arg -> arg.replace("$(POD_IP)", "10.1.2.3").replace("$(POD_NAME)", "akka-redis-0")
            .replace("$(POD_NAMESPACE)", "default"))
        .toList();
    Map<String, String> settings = settings(podArgs);
    assertTheImagesSettings(settings);
    assertEquals("10.1.2.3", settings.get("cluster-announce-ip"));
    assertEquals("akka-redis-0.akka-redis.default.svc.cluster.local", settings.get("cluster-announce-hostname"));
    assertEquals("0", settings.get("cluster-announce-port"), "pods are reached at their own ports");
  }
}
