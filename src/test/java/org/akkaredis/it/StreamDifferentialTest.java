package org.akkaredis.it;

import java.util.List;
import org.akkaredis.it.support.Script;

/**
 * The stream scripts ({@link StreamScripts}) through {@link DifferentialTest}'s servers and comparisons: against a
 * real redis-server 7.0 and the node, standalone and in cluster mode, one command at a time and pipelined.
 */
class StreamDifferentialTest extends DifferentialTest {
  @Override List<Script> scripts() {
    return StreamScripts.all();
  }
}
