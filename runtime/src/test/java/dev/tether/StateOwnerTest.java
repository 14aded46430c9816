package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StateOwnerTest {
  private static final CancelScope ROOT = CancelScope.root();

  @Test
  void requestsRunOneAtATimeOnTheOwnerThread() throws InterruptedException {
    Set<Thread> ownerThreads = new HashSet<>(); // touched by the owner only
    try (StateOwner<Map<String, Integer>> counts = StateOwner.open(ROOT, new HashMap<>())) {
      List<Thread> callers = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < 1000; i++) {
                      counts.tell(ROOT, m -> m.merge("n", 1, Integer::sum));
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        callers.add(t);
        t.start();
      }
      for (Thread t : callers) {
        t.join();
      }
      int n =
          counts.ask(
              ROOT,
              m -> {
                ownerThreads.add(Thread.currentThread());
                return m.get("n");
              });
      assertEquals(4000, n);
      Thread owner = counts.ask(ROOT, m -> Thread.currentThread());
      assertTrue(owner != Thread.currentThread());
      assertEquals(Set.of(owner), counts.ask(ROOT, m -> Set.copyOf(ownerThreads)));
    }
  }

  @Test
  void aFailingAskReachesItsCallerAndTheOwnerKeepsGoing() throws InterruptedException {
    IllegalArgumentException bad = new IllegalArgumentException("bad key");
    try (StateOwner<List<String>> owner = StateOwner.open(ROOT, new ArrayList<>())) {
      assertSame(
          bad,
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  owner.ask(
                      ROOT,
                      l -> {
                        throw bad;
                      })));
      owner.tell(ROOT, l -> l.add("still alive"));
      assertEquals(List.of("still alive"), owner.ask(ROOT, List::copyOf));
    }
  }

  @Test
  void aFailingTellIsRethrownByClose() throws InterruptedException {
    IllegalStateException first = new IllegalStateException("first");
    IllegalStateException second = new IllegalStateException("second");
    StateOwner<List<String>> owner = StateOwner.open(ROOT, new ArrayList<>());
    owner.tell(
        ROOT,
        l -> {
          throw first;
        });
    owner.tell(
        ROOT,
        l -> {
          throw second;
        });
    assertEquals(Integer.valueOf(0), owner.ask(ROOT, List::size), "the owner survived both");
    IllegalStateException e = assertThrows(IllegalStateException.class, owner::close);
    assertSame(first, e);
    assertSame(second, e.getSuppressed()[0]);
  }

  @Test
  void parentCancellationStopsTheOwnerAndWakesWaitingCallers() throws Exception {
    CancelScope parent = ROOT.withCancel();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StateOwner<List<String>> owner = StateOwner.open(parent, new ArrayList<>());
    try {
      owner.tell(
          ROOT,
          l -> {
            busy.countDown();
            TaskGroupTest.awaitIgnoringInterrupts(release);
          });
      busy.await();
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      Thread asker = ChannelTest.spawn("asker", () -> owner.ask(ROOT, List::size), failure);
      ChannelTest.awaitBlocked(asker);
      IllegalStateException why = new IllegalStateException("shutdown");
      parent.cancel(why);
      asker.join();
      assertTrue(failure.get() instanceof CancellationException, String.valueOf(failure.get()));
      assertSame(why, failure.get().getCause());
      release.countDown();
      assertThrows(CancellationException.class, () -> owner.tell(ROOT, List::clear));
      assertThrows(CancellationException.class, () -> owner.ask(ROOT, List::size));
    } finally {
      release.countDown(); // a failed assertion must not leave close() waiting for the task
      owner.close();
    }
  }

  @Test
  void theCallersScopeBoundsItsWait() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (StateOwner<List<String>> owner = StateOwner.open(ROOT, new ArrayList<>())) {
      owner.tell(
          ROOT,
          l -> {
            busy.countDown();
            TaskGroupTest.awaitIgnoringInterrupts(release);
          });
      busy.await();
      try (CancelScope mine = ROOT.withCancel()) {
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        Thread asker = ChannelTest.spawn("asker", () -> owner.ask(mine, List::size), failure);
        ChannelTest.awaitBlocked(asker);
        mine.cancel();
        asker.join();
        assertTrue(failure.get() instanceof CancellationException);
      }
      release.countDown();
      assertEquals(Integer.valueOf(0), owner.ask(ROOT, List::size), "the owner is unaffected");
    }
  }

  /**
   * {@code tell} on the owner's own thread with a full mailbox: only that thread could free a slot,
   * so it waits until the caller's scope is cancelled (documented on {@code tell}).
   */
  @Test
  void tellFromTheOwnersThreadWithAFullMailboxWaitsUntilTheScopeIsCancelled() throws Exception {
    AtomicReference<@Nullable Thread> ownerThread = new AtomicReference<>();
    AtomicReference<@Nullable Throwable> inner = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch innerDone = new CountDownLatch(1);
    try (StateOwner<List<String>> owner = StateOwner.open(ROOT, new ArrayList<>());
        CancelScope mine = ROOT.withCancel()) {
      AtomicReference<StateOwner<List<String>>> self = new AtomicReference<>(owner);
      owner.tell(
          ROOT,
          l -> {
            ownerThread.set(Thread.currentThread());
            started.countDown();
            try {
              for (int i = 0; i <= StateOwner.MAILBOX; i++) {
                self.get().tell(mine, list -> list.add("later"));
              }
            } catch (Throwable e) {
              if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
              }
              inner.set(e);
            } finally {
              innerDone.countDown();
            }
          });
      started.await();
      ChannelTest.awaitBlocked(ownerThread.get());
      assertEquals(1, innerDone.getCount(), "the mutation waits in its own tell");
      mine.cancel();
      innerDone.await();
      assertTrue(inner.get() instanceof CancellationException, String.valueOf(inner.get()));
      assertEquals(
          Integer.valueOf(StateOwner.MAILBOX),
          owner.ask(ROOT, List::size),
          "the queued mutations ran; the one that waited was not queued");
    }
  }

  @Test
  void askingTheOwnerFromInsideARequestFails() throws InterruptedException {
    try (StateOwner<List<String>> owner = StateOwner.open(ROOT, new ArrayList<>())) {
      AtomicReference<StateOwner<List<String>>> self = new AtomicReference<>(owner);
      assertThrows(IllegalStateException.class, () -> owner.ask(ROOT, l -> askQuietly(self.get())));
    }
  }

  private static int askQuietly(StateOwner<List<String>> owner) {
    try {
      return owner.ask(ROOT, List::size);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void interruptedAskKeepsTheFlag() {
    try (StateOwner<List<String>> owner = StateOwner.open(ROOT, new ArrayList<>())) {
      Thread.currentThread().interrupt();
      try {
        assertThrows(InterruptedException.class, () -> owner.ask(ROOT, List::size));
        assertTrue(Thread.currentThread().isInterrupted());
      } finally {
        var unused = Thread.interrupted();
      }
    }
  }
}
