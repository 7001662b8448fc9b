package org.akkaredis.persistence;

/** The start-up load's figures for INFO persistence (loading_*), written by the loader and read by any thread. */
public final class LoadStatus {
  public volatile boolean loading;
  public volatile long startMs;
  public volatile long totalBytes;
  public volatile long loadedBytes;
}
