package org.akkaredis.config;

import java.io.File;
import java.net.URISyntaxException;
import java.security.CodeSource;

/** Version strings shown by {@code --version} and usable by INFO's server section. */
public final class ServerVersion {

  public static final String NAME = "akka-redis-cluster";
  public static final String VERSION = "0.1.0";
  /** The Redis release whose behaviour, settings and defaults this node mirrors. */
  public static final String REDIS_VERSION = "7.0.15";

  /**
   * INFO's redis_build_id: Redis hashes what its binary was built from; the node names its build by the jar (or
   * classes folder) it runs from, its size and modification time, so two builds show two ids.
   */
  public static final String BUILD_ID = buildId();

  private static String buildId() {
    CodeSource source = ServerVersion.class.getProtectionDomain().getCodeSource();
    if (source == null) return "0";
    try {
      File built = new File(source.getLocation().toURI());
      long hash = (31L * built.length() + built.lastModified()) * 1_000_003L ^ built.getName().hashCode();
      return Long.toHexString(hash);
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return "0";
    }
  }

  private ServerVersion() {
  }
}
