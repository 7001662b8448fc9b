package org.akkaredis.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.akkaredis.config.Settings;
import org.junit.jupiter.api.Test;

/** The waiting queues of one range, with clients that pop one element of a list. */
class BlockedClientsTest {
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final RangeState state =
      new RangeState(0, 0, 16383, 1, Settings.defaults(), clock::get, SlotRouting::standalone);
  private final List<String> answers = new ArrayList<>();

  private class Popper extends BlockedClients.Client {
    final String name;
    boolean gone;
    /** Woken only: takes later, through its own ranges. */
    boolean later;

    Popper(String name, long deadline) {
      super(deadline, -1);
      this.name = name;
    }

    @Override protected boolean canServe(Entry entry) {
      return entry.value instanceof RedisList;
    }

    @Override protected boolean takesLater() {
      return later;
    }

    @Override protected void serve(Db db, Key key) {
      if (later) {
        answers.add(name + ":woken");
        return;
      }
      RedisList list = (RedisList) db.peek(key).value;
      answers.add(name + ":" + new String(list.pop(true)));
      if (list.size() == 0) db.delete(key);
    }

    @Override protected void finish(String error) {
      answers.add(name + (error == null ? ":timeout" : ":" + error));
    }

    @Override protected void answer(String error) {
      if (error != null) answers.add(name + " not confirmed: " + error);
    }

    @Override protected boolean disconnected() {
      return gone;
    }
  }

  private void push(String key, String... values) {
    RedisList list = new RedisList();
    for (String v : values) list.push(false, v.getBytes());
    state.db(0).put(Key.of(key), list);
  }

  @Test
  void servesInBlockingOrderWhileTheKeyHasValues() {
    Popper a = new Popper("a", 0);
    Popper b = new Popper("b", 0);
    Popper c = new Popper("c", 0);
    state.blocked().block(a, 0, List.of(Key.of("k")));
    state.blocked().block(b, 0, List.of(Key.of("other"), Key.of("k")));
    state.blocked().block(c, 0, List.of(Key.of("k")));
    push("k", "1", "2");
    assertTrue(state.blocked().hasReadyKeys());
    state.blocked().serveReady(state);
    assertEquals(List.of("a:1", "b:2"), answers);
    assertFalse(state.blocked().hasReadyKeys());
    assertEquals(1, state.blocked().waiting(), "c still waits; b's other queue dropped it when it was served");
    push("other", "3");
    state.blocked().serveReady(state);
    assertEquals(List.of("a:1", "b:2"), answers, "b was served once, on k");
  }

  @Test
  void aClientThatTakesLaterHoldsBackTheNextUntilTheKeyIsSignalled() {
    Popper woken = new Popper("woken", 0);
    woken.later = true;
    Popper next = new Popper("next", 0);
    state.blocked().block(woken, 0, List.of(Key.of("k")));
    state.blocked().block(next, 0, List.of(Key.of("k")));
    push("k", "1");
    state.blocked().serveReady(state);
    assertEquals(List.of("woken:woken"), answers, "the next client is not served before the woken one decided");
    assertEquals(1, state.blocked().waiting());
    state.blocked().signal(0, Key.of("k"));
    state.blocked().serveReady(state);
    assertEquals(List.of("woken:woken", "next:1"), answers, "what the woken client left goes to the next");
  }

  @Test
  void aValueOfAnotherTypeServesNobody() {
    Popper a = new Popper("a", 0);
    state.blocked().block(a, 0, List.of(Key.of("k")));
    state.db(0).put(Key.of("k"), "string".getBytes());
    state.blocked().serveReady(state);
    assertEquals(List.of(), answers);
    assertEquals(1, state.blocked().waiting());
  }

  @Test
  void timeoutsAndDisconnectionsOnTheTick() {
    Popper soon = new Popper("soon", clock.get() + 100);
    Popper never = new Popper("never", 0);
    Popper gone = new Popper("gone", 0);
    for (Popper p : List.of(soon, never, gone)) state.blocked().block(p, 0, List.of(Key.of("k")));
    gone.gone = true;
    state.tick();
    state.blocked().expire(state);
    assertEquals(List.of("gone:timeout"), answers, "answered, so that its connection can end");
    assertEquals(2, state.blocked().waiting(), "the disconnected client left");
    clock.addAndGet(100);
    state.tick();
    state.blocked().expire(state);
    assertEquals(List.of("gone:timeout", "soon:timeout"), answers);
    push("k", "v");
    state.blocked().serveReady(state);
    assertEquals(List.of("gone:timeout", "soon:timeout", "never:v"), answers);
    assertEquals(0, state.blocked().waiting());
  }

  @Test
  void aClientWhoseSlotMovedAwayGetsTheRedirection() {
    String[] owners = new String[Slots.COUNT];
    java.util.Arrays.fill(owners, SlotRouting.SELF);
    java.util.concurrent.atomic.AtomicReference<SlotRouting> routing =
        new java.util.concurrent.atomic.AtomicReference<>(new SlotRouting(true, true, false, owners.clone(), new java.util.BitSet()));
    RangeState cluster = new RangeState(0, 0, 16383, 1, Settings.defaults(), clock::get, routing::get);
    int slot = Slots.slotOf("k".getBytes());
    Popper popper = new Popper("p", 0);
    BlockedClients.Client inSlot = new BlockedClients.Client(0, slot) {
      @Override protected boolean canServe(Entry entry) {
        return true;
      }

      @Override protected void serve(Db db, Key key) {}

      @Override protected void finish(String error) {
        answers.add(String.valueOf(error));
      }

      @Override protected boolean disconnected() {
        return false;
      }
    };
    cluster.blocked().block(inSlot, 0, List.of(Key.of("k")));
    cluster.blocked().block(popper, 0, List.of(Key.of("k")));
    cluster.blocked().expire(cluster);
    assertEquals(List.of(), answers);
    owners[slot] = "10.0.0.2:7002";
    routing.set(new SlotRouting(true, true, false, owners, new java.util.BitSet()));
    cluster.blocked().expire(cluster);
    assertEquals(List.of("MOVED " + slot + " 10.0.0.2:7002"), answers);
  }

  @Test
  void aClientClaimedElsewhereIsSkipped() {
    Popper a = new Popper("a", 0);
    Popper b = new Popper("b", 0);
    state.blocked().block(a, 0, List.of(Key.of("k")));
    state.blocked().block(b, 0, List.of(Key.of("k")));
    assertTrue(a.claim(), "another range served it");
    push("k", "v");
    state.blocked().serveReady(state);
    assertEquals(List.of("b:v"), answers);
  }

  @Test
  void aServedClientIsNotToldItSucceededWhenTheAofDoesNotConfirmInTime() {
    Propagation propagation = new Propagation();
    CompletableFuture<Void> fsync = new CompletableFuture<>();
    propagation.aofSink(new EffectSink() {
      @Override public void accept(int range, int db, byte[] resp) {}

      @Override public CompletionStage<Void> synced() {
        return fsync;
      }
    });
    RangeState aof = new RangeState(0, 0, 16383, 1, Settings.defaults(), clock::get, SlotRouting::standalone,
        propagation);
    CompletableFuture<Void> deadline = new CompletableFuture<>();
    aof.blocked().boundSyncs(synced -> deadline);
    BlockedClients.Client popper = new Popper("a", 0) {
      @Override protected void serve(Db db, Key key) {
        super.serve(db, key);
        aof.effect(0, "LPOP".getBytes(), "k".getBytes());
      }
    };
    aof.blocked().block(popper, 0, List.of(Key.of("k")));
    RedisList list = new RedisList();
    list.push(false, "1".getBytes());
    aof.db(0).put(Key.of("k"), list);
    aof.blocked().serveReady(aof);
    assertEquals(List.of("a:1"), answers, "taken, not answered while the fsync is pending");
    deadline.completeExceptionally(new Deadlines.Exceeded("ERR the AOF writer did not confirm the write"));
    assertEquals(List.of("a:1", "a not confirmed: ERR the AOF writer did not confirm the write"), answers);
  }
}
