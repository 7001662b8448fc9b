package org.akkaredis.config;

/** Version strings shown by {@code --version} and usable by INFO's server section. */
public final class ServerVersion {

  public static final String NAME = "akka-redis-cluster";
  public static final String VERSION = "0.1.0";
  /** The Redis release whose behaviour, settings and defaults this node mirrors. */
  public static final String REDIS_VERSION = "7.0.15";

  private ServerVersion() {
  }
}
