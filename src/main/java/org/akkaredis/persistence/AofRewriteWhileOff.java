package org.akkaredis.persistence;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.akkaredis.config.Settings;
import org.akkaredis.keyspace.RangeState;

/**
 * BGREWRITEAOF with appendonly no, as Redis 7.0 does it: a new BASE of what the node holds, listed alone in the
 * manifest (nothing appends, so no INCR is opened); the old BASE and INCRs become HISTORY and are deleted. DEBUG
 * LOADAOF then loads that BASE. Redis writes it in a forked child; the node writes it while it holds every range,
 * so the BASE is one consistent moment, and answers once it is on disk.
 */
public final class AofRewriteWhileOff {
  private AofRewriteWhileOff() {}

  /** Writes the BASE and the manifest under {@code <dir>/<appenddirname>}; INFO's rewrite figures follow. */
  public static void rewrite(Settings settings, RangeState[] held, RdbWriter.Aux aux, AofStatus status,
      LongSupplier clock) throws IOException {
    long startedMs = clock.getAsLong();
    status.rewriteStarted(startedMs);
    try {
      String appendfilename = settings.rawValue("appendfilename");
      boolean preamble = "yes".equals(settings.rawValue("aof-use-rdb-preamble"));
      AofFiles files = new AofFiles(AofFiles.dir(settings), appendfilename);
      AofManifest old = DataLoader.manifest(settings);
      AofManifest next = (old == null ? AofManifest.empty() : old)
          .afterRewrite(appendfilename, preamble, Long.MAX_VALUE);
      AofFiles.Base base = files.createBase(preamble, aux);
      try {
        for (RangeState state : held) {
          base.libraries(state.libraryCodes());
          if (preamble) {
            base.part(RdbWriter.partsOf(state), null);
          } else {
            List<byte[]> chunks = new ArrayList<>();
            state.snapshot(1 << 20, chunks::add);
            base.part(null, chunks);
          }
        }
        base.complete();
        base.installAs(next.base().name());
      } catch (IOException | RuntimeException e) {
        base.discard();
        throw e;
      }
      files.writeManifest(next);
      for (AofManifest.FileInfo doomed : next.historyToDelete()) files.delete(doomed.name());
      files.writeManifest(next.withoutHistory());
    } catch (IOException | RuntimeException e) {
      status.rewriteFailed();
      throw e;
    }
    status.rewriteSucceeded((clock.getAsLong() - startedMs) / 1000);
  }
}
