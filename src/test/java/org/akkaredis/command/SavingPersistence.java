package org.akkaredis.command;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.akkaredis.keyspace.RangeState;
import org.akkaredis.persistence.AofStatus;
import org.akkaredis.persistence.LoadStatus;
import org.akkaredis.persistence.PersistenceInfo;
import org.akkaredis.persistence.SaveStatus;

/** Persistence for command tests: SAVE goes to {@link #saver}, whose success sets the time LASTSAVE says. */
final class SavingPersistence implements Persistence {
  interface Saver {
    void save(RangeState[] held) throws IOException;
  }

  Saver saver = held -> {
    throw new IOException("no snapshot writer");
  };
  volatile long lastSaveMs;

  SavingPersistence(long startMs) {
    lastSaveMs = startMs;
  }

  @Override public void save(RangeState[] held) throws IOException {
    saver.save(held);
    lastSaveMs = System.currentTimeMillis();
  }

  @Override public CompletionStage<String> bgsave() {
    return CompletableFuture.completedFuture("Background saving started");
  }

  @Override public CompletionStage<String> bgrewriteaof() {
    return CompletableFuture.completedFuture("ERR no AOF writer");
  }

  @Override public boolean loading() {
    return false;
  }

  @Override public long aofBufferBytes() {
    return 0; // no AOF
  }

  @Override public long lastSaveMs() {
    return lastSaveMs;
  }

  @Override public String infoFields(long nowMs) {
    SaveStatus save = new SaveStatus(lastSaveMs);
    return PersistenceInfo.fields(new LoadStatus(), save, new AofStatus(), 0, nowMs);
  }

  @Override public CompletionStage<String> beforeShutdown(boolean save, boolean noSave) {
    return CompletableFuture.completedFuture(null);
  }
}
