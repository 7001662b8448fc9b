package org.akkaredis.command;

import java.io.IOException;
import org.akkaredis.keyspace.RangeState;

/** What SAVE needs of persistence (a lower layer's work, wired in by the node): writing the snapshot file. */
public interface Snapshots {
  /** Writes every range's data to dir/dbfilename; {@code held} are all the node's ranges, held by the caller. */
  void save(RangeState[] held) throws IOException;

  /** A node without persistence (tests of other parts): every save fails. */
  Snapshots NONE = held -> {
    throw new IOException("no snapshot writer");
  };
}
