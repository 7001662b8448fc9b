package org.akkaredis.cluster.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PublishBacklogTest {
  @Test
  void admitsUpToItsLimitDropsPastItAndAdmitsAgainOnceTaken() {
    PublishBacklog backlog = new PublishBacklog(200);
    long weight = PublishBacklog.weight(new byte[4], new byte[16]);
    assertEquals(84, weight);
    assertTrue(backlog.admit(weight));
    assertTrue(backlog.admit(weight));
    assertFalse(backlog.admit(weight));
    assertEquals(1, backlog.dropped());
    assertEquals(168, backlog.waitingBytes());
    backlog.taken(weight);
    assertTrue(backlog.admit(weight));
    assertEquals(1, backlog.dropped());
  }
}
