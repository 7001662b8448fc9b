package org.akkaredis.persistence;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** INFO persistence's loading and async_loading, as a replica's full sync sets them. */
class PersistenceInfoTest {
  private static final long NOW = 1_700_000_000_000L;

  private static String fields(boolean fullSync, boolean asyncLoading) {
    return PersistenceInfo.fields(new LoadStatus(), fullSync, asyncLoading, new SaveStatus(NOW), new AofStatus(), 0,
        NOW);
  }

  @Test
  void aFullSyncThatDropsTheDataIsLoading() {
    String info = fields(true, false);
    assertTrue(info.contains("loading:1\r\n") && info.contains("async_loading:0\r\n"), info);
  }

  @Test
  void aFullSyncThatLoadsAsideIsAsyncLoadingAndNotLoading() {
    String info = fields(true, true);
    assertTrue(info.startsWith("loading:0\r\n") && info.contains("async_loading:1\r\n"), info);
  }

  @Test
  void noSyncNoLoading() {
    String info = fields(false, false);
    assertTrue(info.startsWith("loading:0\r\n") && info.contains("async_loading:0\r\n"), info);
  }
}
