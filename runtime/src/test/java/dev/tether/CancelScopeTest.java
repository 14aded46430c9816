package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class CancelScopeTest {

  /**
   * A blocking helper under test: blocks until the scope is cancelled or the thread interrupted.
   */
  interface Blocker {
    void block(CancelScope scope) throws Exception;
  }

  record Helper(String name, Blocker blocker) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Helper> helpers() {
    return Stream.of(
        new Helper("sleep", s -> s.sleep(Duration.ofMinutes(5))),
        new Helper("await", s -> s.waitFor(new CountDownLatch(1))),
        new Helper("awaitTimed", s -> s.waitFor(new CountDownLatch(1), Duration.ofMinutes(5))),
        new Helper("take", s -> s.take(new LinkedBlockingQueue<>())),
        new Helper("poll", s -> s.poll(new LinkedBlockingQueue<>(), Duration.ofMinutes(5))),
        new Helper(
            "put",
            s -> {
              BlockingQueue<String> full = new ArrayBlockingQueue<>(1);
              full.add("x");
              s.put(full, "y");
            }),
        new Helper("get", s -> s.get(new CompletableFuture<>())),
        new Helper("getTimed", s -> s.get(new CompletableFuture<>(), Duration.ofMinutes(5))));
  }

  /** What a helper run on another thread did. */
  static final class Outcome {
    volatile @Nullable Throwable thrown;
    volatile boolean interruptedAfter;
    final CountDownLatch done = new CountDownLatch(1);
  }

  private static Thread runBlocked(Helper helper, CancelScope scope, Outcome outcome) {
    Thread t =
        new Thread(
            () -> {
              try {
                helper.blocker().block(scope);
              } catch (Throwable e) {
                outcome.thrown = e;
              }
              outcome.interruptedAfter = Thread.interrupted();
              outcome.done.countDown();
            },
            "blocked-" + helper);
    t.start();
    return t;
  }

  static void awaitBlocked(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(System.nanoTime() < deadline, "thread never blocked: " + t.getState());
      Thread.sleep(1);
    }
  }

  @Test
  void rootIsNeverCancelledAndHoldsNothing() {
    CancelScope root = CancelScope.root();
    assertSame(root, CancelScope.root());
    assertFalse(root.isCancelled());
    assertTrue(root.cause().isEmpty());
    assertTrue(root.deadline().isEmpty());
    assertThrows(UnsupportedOperationException.class, root::cancel);
    root.close();
    assertFalse(root.isCancelled());
    AtomicInteger runs = new AtomicInteger();
    CancelScope.Registration registration = root.onCancel(runs::incrementAndGet);
    assertEquals(0, root.listenerCount());
    assertFalse(registration.remove());
    for (int i = 0; i < 1000; i++) {
      root.withCancel().close();
    }
    assertEquals(0, root.listenerCount());
  }

  @Test
  void cancelSetsCauseOnceAndPropagatesToDescendants() {
    try (CancelScope parent = CancelScope.root().withCancel();
        CancelScope child = parent.withCancel();
        CancelScope grandchild = child.withTimeout(Duration.ofMinutes(5))) {
      IllegalStateException why = new IllegalStateException("boom");
      parent.cancel(why);
      parent.cancel(new IllegalArgumentException("ignored"));
      for (CancelScope s : List.of(parent, child, grandchild)) {
        assertTrue(s.isCancelled());
        assertSame(why, s.cause().orElseThrow());
        CancellationException e = assertThrows(CancellationException.class, s::throwIfCancelled);
        assertSame(why, e.getCause());
      }
    }
  }

  @Test
  void plainCancelHasCancellationCauseAndDoesNotReachParent() {
    try (CancelScope parent = CancelScope.root().withCancel();
        CancelScope child = parent.withCancel()) {
      child.cancel();
      assertInstanceOf(CancellationException.class, child.cause().orElseThrow());
      assertFalse(parent.isCancelled());
    }
  }

  @Test
  void childOfCancelledParentIsBornCancelled() {
    CancelScope parent = CancelScope.root().withCancel();
    parent.cancel();
    try (CancelScope child = parent.withCancel()) {
      assertSame(parent.cause().orElseThrow(), child.cause().orElseThrow());
      assertEquals(0, parent.listenerCount());
    }
  }

  @Test
  void closedChildrenDoNotPileUpOnALongLivedParent() {
    try (CancelScope parent = CancelScope.root().withCancel()) {
      int deadlinesBefore = CancelScope.pendingDeadlines();
      for (int i = 0; i < 100_000; i++) {
        CancelScope child =
            (i % 2 == 0) ? parent.withCancel() : parent.withTimeout(Duration.ofHours(1));
        child.close();
      }
      for (int i = 0; i < 1000; i++) {
        parent.withCancel().cancel(); // cancel deregisters too
      }
      assertEquals(0, parent.listenerCount());
      assertTrue(CancelScope.pendingDeadlines() <= deadlinesBefore);
      assertFalse(parent.isCancelled());
    }
  }

  @Test
  void deadlineFiresWithDistinctCause() throws InterruptedException {
    try (CancelScope scope = CancelScope.root().withTimeout(Duration.ofMillis(20))) {
      CountDownLatch fired = new CountDownLatch(1);
      var unused = scope.onCancel(fired::countDown);
      assertTrue(fired.await(10, TimeUnit.SECONDS));
      Throwable cause = scope.cause().orElseThrow();
      DeadlineExceededException e = assertInstanceOf(DeadlineExceededException.class, cause);
      assertInstanceOf(TimeoutException.class, e);
      assertEquals(scope.deadline().orElseThrow(), e.deadline());
      CancellationException thrown =
          assertThrows(CancellationException.class, scope::throwIfCancelled);
      assertSame(cause, thrown.getCause());
    }
  }

  @Test
  void pastDeadlineCancelsAtOnceAndEarlierParentDeadlineIsInherited() {
    try (CancelScope past = CancelScope.root().withDeadline(Instant.now().minusSeconds(1))) {
      assertInstanceOf(DeadlineExceededException.class, past.cause().orElseThrow());
    }
    try (CancelScope zero = CancelScope.root().withTimeout(Duration.ZERO)) {
      assertTrue(zero.isCancelled());
    }
    try (CancelScope parent = CancelScope.root().withTimeout(Duration.ofMinutes(1));
        CancelScope later = parent.withTimeout(Duration.ofHours(1));
        CancelScope sooner = parent.withTimeout(Duration.ofSeconds(1));
        CancelScope huge = parent.withTimeout(Duration.ofSeconds(Long.MAX_VALUE))) {
      Instant parentDeadline = parent.deadline().orElseThrow();
      assertEquals(parentDeadline, later.deadline().orElseThrow());
      assertEquals(parentDeadline, huge.deadline().orElseThrow());
      assertTrue(sooner.deadline().orElseThrow().isBefore(parentDeadline));
    }
    try (CancelScope huge = CancelScope.root().withTimeout(Duration.ofSeconds(Long.MAX_VALUE))) {
      assertEquals(Instant.MAX, huge.deadline().orElseThrow());
      assertFalse(huge.isCancelled());
    }
  }

  @Test
  void allDeadlinesShareOneDaemonTimerThread() throws InterruptedException {
    List<CancelScope> scopes = new ArrayList<>();
    CountDownLatch fired = new CountDownLatch(200);
    for (int i = 0; i < 200; i++) {
      CancelScope s = CancelScope.root().withTimeout(Duration.ofMillis(1 + i % 20));
      var unused = s.onCancel(fired::countDown);
      scopes.add(s);
    }
    assertTrue(fired.await(10, TimeUnit.SECONDS));
    List<Thread> timers =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("tether-deadline"))
            .toList();
    assertEquals(1, timers.size());
    assertTrue(timers.get(0).isDaemon());
    scopes.forEach(CancelScope::close);
  }

  @Test
  void onCancelRunsOnceUnlessRemovedAndAtOnceWhenAlreadyCancelled() {
    CancelScope scope = CancelScope.root().withCancel();
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    CancelScope.Registration ra = scope.onCancel(a::incrementAndGet);
    CancelScope.Registration rb = scope.onCancel(b::incrementAndGet);
    assertEquals(2, scope.listenerCount());
    assertTrue(rb.remove());
    assertFalse(rb.remove());
    scope.cancel();
    scope.cancel();
    assertEquals(1, a.get());
    assertEquals(0, b.get());
    assertFalse(ra.remove());
    AtomicInteger c = new AtomicInteger();
    try (CancelScope.Registration rc = scope.onCancel(c::incrementAndGet)) {
      assertEquals(1, c.get());
      assertFalse(rc.remove());
    }
  }

  @Test
  void throwingCallbackDoesNotStopTheOthers() {
    CancelScope scope = CancelScope.root().withCancel();
    AtomicInteger ran = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("callback");
    var unused1 =
        scope.onCancel(
            () -> {
              throw boom;
            });
    var unused2 = scope.onCancel(ran::incrementAndGet);
    assertSame(boom, assertThrows(IllegalStateException.class, scope::cancel));
    assertEquals(1, ran.get());
    assertTrue(scope.isCancelled());
  }

  @ParameterizedTest
  @MethodSource("helpers")
  void helperThrowsCancellationWithCauseAndLeavesNoInterrupt(Helper helper) throws Exception {
    CancelScope scope = CancelScope.root().withCancel();
    Outcome outcome = new Outcome();
    Thread t = runBlocked(helper, scope, outcome);
    awaitBlocked(t);
    IllegalStateException why = new IllegalStateException("stop");
    scope.cancel(why);
    assertTrue(outcome.done.await(10, TimeUnit.SECONDS));
    CancellationException e = assertInstanceOf(CancellationException.class, outcome.thrown);
    assertSame(why, e.getCause());
    assertFalse(outcome.interruptedAfter, "stray interrupt");
  }

  @ParameterizedTest
  @MethodSource("helpers")
  void helperThrowsInterruptedAndKeepsTheFlagWhenInterrupted(Helper helper) throws Exception {
    CancelScope scope = CancelScope.root().withCancel();
    Outcome outcome = new Outcome();
    Thread t = runBlocked(helper, scope, outcome);
    awaitBlocked(t);
    t.interrupt();
    assertTrue(outcome.done.await(10, TimeUnit.SECONDS));
    assertInstanceOf(InterruptedException.class, outcome.thrown);
    assertTrue(outcome.interruptedAfter, "interrupt lost");
    assertFalse(scope.isCancelled());
    assertEquals(0, scope.listenerCount());
  }

  @ParameterizedTest
  @MethodSource("helpers")
  void helperOnCancelledScopeThrowsAtOnce(Helper helper) {
    CancelScope scope = CancelScope.root().withCancel();
    scope.cancel();
    CancellationException e =
        assertThrows(CancellationException.class, () -> helper.blocker().block(scope));
    assertSame(scope.cause().orElseThrow(), e.getCause());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @ParameterizedTest
  @MethodSource("helpers")
  void helperOnInterruptedThreadThrowsAtOnceAndKeepsTheFlag(Helper helper) {
    CancelScope scope = CancelScope.root().withCancel();
    Thread.currentThread().interrupt();
    try {
      assertThrows(InterruptedException.class, () -> helper.blocker().block(scope));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  @ParameterizedTest
  @MethodSource("helpers")
  void helperReportsDeadlineAsCause(Helper helper) throws Exception {
    CancelScope scope = CancelScope.root().withTimeout(Duration.ofMillis(30));
    Outcome outcome = new Outcome();
    runBlocked(helper, scope, outcome);
    assertTrue(outcome.done.await(10, TimeUnit.SECONDS));
    CancellationException e = assertInstanceOf(CancellationException.class, outcome.thrown);
    assertInstanceOf(DeadlineExceededException.class, e.getCause());
    assertFalse(outcome.interruptedAfter);
  }

  @Test
  void helpersThatCompleteReturnTheirValueAndLeaveNoInterrupt() throws Exception {
    try (CancelScope scope = CancelScope.root().withCancel()) {
      CountDownLatch open = new CountDownLatch(0);
      scope.waitFor(open);
      assertTrue(scope.waitFor(open, Duration.ofSeconds(1)));
      assertFalse(scope.waitFor(new CountDownLatch(1), Duration.ofMillis(1)));
      BlockingQueue<String> queue = new LinkedBlockingQueue<>();
      scope.put(queue, "a");
      assertEquals("a", scope.take(queue));
      assertNull(scope.poll(queue, Duration.ofMillis(1)));
      assertEquals("v", scope.get(CompletableFuture.completedFuture("v")));
      assertThrows(
          TimeoutException.class, () -> scope.get(new CompletableFuture<>(), Duration.ofMillis(1)));
      scope.sleep(Duration.ofMillis(1));
      scope.sleep(Duration.ofMillis(-1));
      assertEquals(0, scope.listenerCount());
      assertFalse(Thread.currentThread().isInterrupted());
    }
  }

  @Test
  void cancellationRacingWithCompletionNeverLeavesAnInterrupt() throws Exception {
    for (int i = 0; i < 2000; i++) {
      CancelScope scope = CancelScope.root().withCancel();
      CountDownLatch latch = new CountDownLatch(1);
      AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();
      AtomicInteger interruptedAfter = new AtomicInteger();
      Thread t =
          new Thread(
              () -> {
                try {
                  scope.waitFor(latch);
                } catch (CancellationException | InterruptedException e) {
                  thrown.set(e);
                }
                if (Thread.interrupted()) {
                  interruptedAfter.incrementAndGet();
                }
              });
      t.start();
      if (i % 2 == 0) {
        latch.countDown();
        scope.cancel();
      } else {
        scope.cancel();
        latch.countDown();
      }
      t.join(10_000);
      assertFalse(t.isAlive());
      assertEquals(0, interruptedAfter.get(), "stray interrupt in round " + i);
      Throwable e = thrown.get();
      assertTrue(e == null || e instanceof CancellationException, String.valueOf(e));
    }
  }
}
