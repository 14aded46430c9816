package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testing.ThreadLeakDetector;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Black-box probes of the runtime's documented promises (see {@code docs/runtime-promises.md}),
 * through the public API only: the edge cases a demanding user meets (illegal arguments, calls
 * after close, an interrupt on entry, zero, negative and huge timeouts, reentrancy, exceptions from
 * callbacks, thread names). The tests named in {@code docs/runtime-promises.md} as fixes failed on
 * the code before the fix.
 */
@Timeout(60)
class PromiseProbeTest {
  private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
  private static final Duration HUGE_NEGATIVE = Duration.ofSeconds(Long.MIN_VALUE);

  // --- CancelScope: timeouts and deadlines at the edges ------------------------------------------

  @Test
  void aHugeTimeoutIsNoDeadlineToSpeakOfAndAHugeNegativeOneIsPassed() {
    try (CancelScope far = CancelScope.root().withTimeout(HUGE)) {
      assertFalse(far.isCancelled());
      assertEquals(Instant.MAX, far.deadline().orElseThrow());
    }
    try (CancelScope far = CancelScope.root().withDeadline(Instant.MAX)) {
      assertFalse(far.isCancelled());
    }
    for (Duration passed : List.of(Duration.ZERO, Duration.ofNanos(-1), HUGE_NEGATIVE)) {
      try (CancelScope gone = CancelScope.root().withTimeout(passed)) {
        assertTrue(gone.isCancelled(), "withTimeout(" + passed + ")");
        assertInstanceOf(DeadlineExceededException.class, gone.cause().orElseThrow());
      }
    }
    for (Instant passed : List.of(Instant.MIN, Instant.EPOCH, Instant.now())) {
      try (CancelScope gone = CancelScope.root().withDeadline(passed)) {
        assertTrue(gone.isCancelled(), "withDeadline(" + passed + ")");
        assertEquals(
            passed,
            assertInstanceOf(DeadlineExceededException.class, gone.cause().orElseThrow())
                .deadline());
      }
    }
  }

  @Test
  void isCancelledTurnsTrueWhenTheDeadlineThreadDeliversThePassedDeadline()
      throws InterruptedException {
    Thread me = Thread.currentThread();
    for (long millis = 20; ; millis *= 2) {
      try (CancelScope scope = CancelScope.root().withTimeout(Duration.ofMillis(millis))) {
        AtomicReference<Thread> deliveredOn = new AtomicReference<>();
        CountDownLatch delivered = new CountDownLatch(1);
        var unused =
            scope.onCancel(
                () -> {
                  deliveredOn.set(Thread.currentThread());
                  delivered.countDown();
                });
        if (deliveredOn.get() == me) {
          continue; // a busy machine: the deadline passed before the callback was registered
        }
        assertTrue(delivered.await(10, TimeUnit.SECONDS));
        assertTrue(scope.isCancelled());
        assertFalse(Instant.now().isBefore(scope.deadline().orElseThrow()));
        Thread t = deliveredOn.get();
        assertEquals("tether-deadline", t.getName());
        assertTrue(t.isDaemon());
        return;
      }
    }
  }

  /**
   * What {@link CancelScope#isCancelled()} documents: a passed deadline counts once {@code
   * tether-deadline} delivers it, later when a callback on that thread is slow; until then a child
   * keeps the parent's earlier deadline, even one made with a zero timeout.
   */
  @Test
  void aPassedDeadlineCountsOnceTheDeadlineThreadDeliversIt() throws InterruptedException {
    CountDownLatch blocking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (CancelScope slow = blockTheDeadlineThread(blocking, release)) {
      assertTrue(blocking.await(10, TimeUnit.SECONDS));
      assertTrue(slow.isCancelled()); // marked before its callbacks run
      // slow's deadline has passed (its callback runs): tether-deadline reaches this one after it.
      try (CancelScope parent = CancelScope.root().withTimeout(Duration.ofMillis(5))) {
        CountDownLatch delivered = new CountDownLatch(1);
        var unused = parent.onCancel(delivered::countDown);
        while (Instant.now().isBefore(parent.deadline().orElseThrow())) {
          Thread.sleep(1);
        }
        assertFalse(parent.isCancelled(), "not delivered yet: tether-deadline is busy");
        try (CancelScope child = parent.withTimeout(Duration.ZERO)) {
          assertEquals(parent.deadline(), child.deadline());
          assertFalse(child.isCancelled(), "the child keeps the parent's earlier deadline");
          release.countDown();
          assertTrue(delivered.await(10, TimeUnit.SECONDS));
          assertInstanceOf(DeadlineExceededException.class, child.cause().orElseThrow());
          assertSame(parent.cause().orElseThrow(), child.cause().orElseThrow());
        }
      }
    } finally {
      release.countDown();
    }
  }

  /**
   * Returns a scope whose deadline callback blocks {@code tether-deadline} until {@code release} (a
   * slow callback, against the advice); counts down {@code blocking} when it does. A deadline that
   * passed before the callback was registered runs it on this thread instead: then it does nothing,
   * and a longer timeout is tried.
   */
  private static CancelScope blockTheDeadlineThread(
      CountDownLatch blocking, CountDownLatch release) {
    Thread me = Thread.currentThread();
    for (long millis = 1; ; millis *= 2) {
      AtomicBoolean ranHere = new AtomicBoolean();
      CancelScope scope = CancelScope.root().withTimeout(Duration.ofMillis(millis));
      var unused =
          scope.onCancel(
              () -> {
                if (Thread.currentThread() == me) {
                  ranHere.set(true);
                  return;
                }
                blocking.countDown();
                awaitUninterruptibly(release);
              });
      if (!ranHere.get()) {
        return scope;
      }
    }
  }

  @Test
  void theHelpersAcceptZeroNegativeAndHugeTimeouts() throws Exception {
    try (CancelScope scope = CancelScope.root().withCancel()) {
      for (Duration d : List.of(Duration.ZERO, Duration.ofNanos(-1), HUGE_NEGATIVE)) {
        scope.sleep(d);
        assertFalse(scope.waitFor(new CountDownLatch(1), d));
        assertNull(scope.poll(new LinkedBlockingQueue<String>(), d));
        assertThrows(TimeoutException.class, () -> scope.get(new CompletableFuture<>(), d));
      }
      assertTrue(scope.waitFor(new CountDownLatch(0), HUGE));
      assertEquals("x", scope.poll(new LinkedBlockingQueue<>(List.of("x")), HUGE));
      assertEquals("y", scope.get(CompletableFuture.completedFuture("y"), HUGE));
      assertFalse(Thread.currentThread().isInterrupted());
    }
  }

  @Test
  void aHugeSleepEndsWithTheCancellation() throws InterruptedException {
    try (TaskGroup group = TaskGroup.open()) {
      CountDownLatch sleeping = new CountDownLatch(1);
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      group.go(
          s -> {
            sleeping.countDown();
            try {
              s.sleep(HUGE);
            } catch (CancellationException e) {
              outcome.set(e);
              throw e;
            }
          });
      assertTrue(sleeping.await(10, TimeUnit.SECONDS));
      IllegalStateException why = new IllegalStateException("stop");
      group.scope().cancel(why);
      assertThrows(CancellationException.class, group::await);
      assertSame(why, outcome.get().getCause());
    }
  }

  @Test
  void aCancelledScopeWinsOverAnInterruptOnEntryWhichStaysSet() {
    CancelScope scope = CancelScope.root().withCancel();
    IllegalStateException why = new IllegalStateException("why");
    scope.cancel(why);
    Thread.currentThread().interrupt();
    try {
      CancellationException e =
          assertThrows(CancellationException.class, () -> scope.sleep(Duration.ofSeconds(1)));
      assertSame(why, e.getCause());
      assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt was lost");
    } finally {
      var unused = Thread.interrupted();
    }
  }

  @Test
  void aCancelledFutureIsReportedAsTheFuturesCancellationNotTheScopes() throws Exception {
    try (CancelScope scope = CancelScope.root().withCancel()) {
      FutureTask<String> task = new FutureTask<>(() -> "never");
      assertTrue(task.cancel(false));
      assertNull(assertThrows(CancellationException.class, () -> scope.get(task)).getCause());
      CompletableFuture<String> future = new CompletableFuture<>();
      assertTrue(future.cancel(false));
      // JDK 17 to 22: no cause; JDK 23 and later: caused by the future's own CancellationException.
      Throwable cause =
          assertThrows(CancellationException.class, () -> scope.get(future)).getCause();
      assertTrue(cause == null || cause instanceof CancellationException, String.valueOf(cause));
      assertFalse(scope.isCancelled());
    }
  }

  // --- CancelScope: root, reentrancy, callbacks
  // ---------------------------------------------------

  @Test
  void theRootCannotBeCancelledButClosingItDoesNothing() {
    CancelScope root = CancelScope.root();
    UnsupportedOperationException e =
        assertThrows(UnsupportedOperationException.class, root::cancel);
    assertEquals("the root scope cannot be cancelled", e.getMessage());
    assertThrows(
        UnsupportedOperationException.class, () -> root.cancel(new IllegalStateException()));
    root.close();
    assertFalse(root.isCancelled());
    assertTrue(root.deadline().isEmpty());
    root.throwIfCancelled();
  }

  @Test
  void aScopeCancelledFromItsOwnCallbackIsCancelledOnceWithTheFirstCause() {
    CancelScope scope = CancelScope.root().withCancel();
    IllegalStateException first = new IllegalStateException("first");
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger late = new AtomicInteger();
    var unused =
        scope.onCancel(
            () -> {
              runs.incrementAndGet();
              scope.cancel(new IllegalStateException("second")); // does nothing
              scope.close();
              var unusedInner = scope.onCancel(late::incrementAndGet); // runs at once
            });
    scope.cancel(first);
    assertEquals(1, runs.get());
    assertEquals(1, late.get());
    assertSame(first, scope.cause().orElseThrow());
  }

  /** Fixed: the callback still ran after its registration was closed. */
  @Test
  void aRegistrationClosedWhileTheCancellationIsUnderWayNeverRuns() throws Exception {
    CancelScope scope = CancelScope.root().withCancel();
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger secondRuns = new AtomicInteger();
    var first =
        scope.onCancel(
            () -> {
              firstRunning.countDown();
              try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    CancelScope.Registration second = scope.onCancel(secondRuns::incrementAndGet);
    try (TaskGroup canceller = TaskGroup.open()) {
      canceller.go(s -> scope.cancel());
      assertTrue(firstRunning.await(10, TimeUnit.SECONDS));
      second.close(); // the second callback has not started yet
      release.countDown();
      canceller.await();
    }
    assertEquals(0, secondRuns.get(), "a closed registration ran");
    first.close();
  }

  @Test
  void aCallbackThatThrowsOnAnAlreadyCancelledScopeThrowsToTheRegisteringThread() {
    CancelScope scope = CancelScope.root().withCancel();
    scope.cancel();
    IllegalStateException boom = new IllegalStateException("boom");
    assertSame(
        boom,
        assertThrows(
            IllegalStateException.class,
            () ->
                scope.onCancel(
                    () -> {
                      throw boom;
                    })));
  }

  @Test
  void closeRethrowsACallbacksExceptionLikeCancel() {
    CancelScope scope = CancelScope.root().withCancel();
    IllegalStateException boom = new IllegalStateException("boom");
    var unused =
        scope.onCancel(
            () -> {
              throw boom;
            });
    assertSame(boom, assertThrows(IllegalStateException.class, scope::close));
    assertTrue(scope.isCancelled());
    scope.close(); // idempotent
  }

  // --- TaskGroup ---------------------------------------------------------------------------------

  @Test
  void illegalConfigurationIsRejectedWithTheDocumentedExceptions() {
    try (TaskGroup group = TaskGroup.open()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> group.withLimit(0));
      assertEquals("limit must be at least 1: 0", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> group.withLimit(Integer.MIN_VALUE));
    }
    assertEquals(
        "capacity must be at least 0: -1",
        assertThrows(IllegalArgumentException.class, () -> Channel.open(-1)).getMessage());
    try (WorkerPool<String> pool = WorkerPool.open((s, j) -> {})) {
      assertThrows(IllegalArgumentException.class, () -> pool.withLimit(0));
      assertThrows(IllegalArgumentException.class, () -> pool.withCapacity(-1));
    }
    for (Duration bad : List.of(Duration.ZERO, Duration.ofNanos(-1), HUGE_NEGATIVE)) {
      assertThrows(IllegalArgumentException.class, () -> Ticker.open(bad));
      assertThrows(
          IllegalArgumentException.class, () -> Ticker.open(CancelScope.root(), bad, () -> {}));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> ThreadLeakDetector.create().withLinger(Duration.ofNanos(-1)));
    var unused = ThreadLeakDetector.create().withLinger(HUGE);
  }

  /** Fixed: a task that awaited or closed its own group waited for itself forever. */
  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aTaskThatAwaitsOrClosesItsOwnGroupGetsAnIllegalStateException() throws InterruptedException {
    for (int call = 0; call < 2; call++) {
      boolean close = call == 1;
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      try (TaskGroup group = TaskGroup.open()) {
        group.go(
            s -> {
              try {
                if (close) {
                  closeIt(group);
                } else {
                  group.await();
                }
              } catch (RuntimeException e) {
                thrown.set(e);
              }
            });
        group.await();
      }
      assertInstanceOf(IllegalStateException.class, thrown.get(), close ? "close" : "await");
    }
  }

  /** Calls {@code close()} outside a try-with-resources, as a task that stops its group would. */
  private static void closeIt(AutoCloseable closeable) throws Exception {
    closeable.close();
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aWorkerThatClosesItsOwnPoolGetsAnIllegalStateException() throws InterruptedException {
    AtomicReference<WorkerPool<String>> self = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try (WorkerPool<String> pool =
        WorkerPool.<String>open(
                (s, job) -> {
                  try {
                    self.get().close();
                  } catch (RuntimeException e) {
                    thrown.set(e);
                  }
                })
            .withLimit(1)) {
      self.set(pool);
      pool.go("job");
      pool.await();
    }
    assertInstanceOf(IllegalStateException.class, thrown.get());
  }

  /** Fixed: close() returned (with the callback's exception) before the tasks had finished. */
  @Test
  void closeWaitsForTheTasksEvenWhenACancelCallbackThrows() throws InterruptedException {
    IllegalStateException boom = new IllegalStateException("callback");
    AtomicBoolean finished = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TaskGroup group = TaskGroup.open();
    var unused1 =
        group
            .scope()
            .onCancel(
                () -> {
                  throw boom;
                });
    var unused2 = group.scope().onCancel(release::countDown); // runs although the first threw
    group.go(
        s -> {
          started.countDown();
          awaitUninterruptibly(release); // a task that ignores the group's interrupt
          sleepUninterruptibly(100); // and takes a while to end
          finished.set(true);
        });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    RuntimeException e = assertThrows(RuntimeException.class, group::close);
    assertTrue(finished.get(), "close() returned while a task was still running");
    assertSame(boom, e);
  }

  /** Fixed: await() interrupted with a throwing callback left the tasks running. */
  @Test
  void anInterruptedAwaitWaitsForTheTasksEvenWhenACancelCallbackThrows()
      throws InterruptedException {
    IllegalStateException boom = new IllegalStateException("callback");
    AtomicBoolean finished = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (TaskGroup group = TaskGroup.open()) {
      var unused1 =
          group
              .scope()
              .onCancel(
                  () -> {
                    throw boom;
                  });
      var unused2 = group.scope().onCancel(release::countDown); // await's cancellation releases
      group.go(
          s -> {
            started.countDown();
            awaitUninterruptibly(release);
            sleepUninterruptibly(100);
            finished.set(true);
          });
      assertTrue(started.await(10, TimeUnit.SECONDS));
      Thread.currentThread().interrupt();
      try {
        InterruptedException e = assertThrows(InterruptedException.class, group::await);
        assertTrue(finished.get(), "await() returned while a task was still running");
        assertTrue(Thread.currentThread().isInterrupted());
        assertSame(boom, e.getSuppressed()[0]);
      } finally {
        var unusedFlag = Thread.interrupted();
      }
    }
  }

  private static void sleepUninterruptibly(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    boolean interrupted = false;
    try {
      long left;
      while ((left = end - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What {@link TaskGroup#go} documents for a task that calls it on its own full group. */
  @Test
  void aTaskWaitingForASlotOfItsOwnFullGroupWaitsUntilTheGroupIsCancelled()
      throws InterruptedException {
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicBoolean childRan = new AtomicBoolean();
    AtomicBoolean tryGoStarted = new AtomicBoolean(true);
    try (TaskGroup group = TaskGroup.open().withLimit(1)) {
      group.go(
          s -> {
            tryGoStarted.set(group.tryGo(c -> childRan.set(true)));
            waiting.countDown();
            group.go(c -> childRan.set(true)); // waits for its own slot
          });
      assertTrue(waiting.await(10, TimeUnit.SECONDS));
      IllegalStateException why = new IllegalStateException("stop");
      group.scope().cancel(why);
      assertSame(why, assertThrows(CancellationException.class, group::await).getCause());
    }
    assertFalse(tryGoStarted.get(), "tryGo does not wait");
    assertFalse(childRan.get());
  }

  @Test
  void closeKeepsWaitingWhenInterruptedAndSetsTheFlagAgain() throws InterruptedException {
    AtomicBoolean finished = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (TaskGroup releaser = TaskGroup.open()) {
      TaskGroup group = TaskGroup.open();
      group.go(
          s -> {
            started.countDown();
            awaitUninterruptibly(release);
            finished.set(true);
          });
      assertTrue(started.await(10, TimeUnit.SECONDS));
      releaser.go(
          s -> {
            s.sleep(Duration.ofMillis(100));
            release.countDown();
          });
      Thread.currentThread().interrupt();
      try {
        group.close();
        assertTrue(finished.get(), "close() returned while a task was still running");
        assertTrue(Thread.currentThread().isInterrupted(), "close() lost the interrupt");
      } finally {
        var unused = Thread.interrupted();
      }
      releaser.await();
    }
  }

  @Test
  void pipelineStagesRejectBadArguments() {
    try (TaskGroup group = TaskGroup.open()) {
      Channel.Receiver<String> in = Channel.<String>open(1).receiver();
      assertEquals(
          "workers must be at least 1: 0",
          assertThrows(
                  IllegalArgumentException.class, () -> Pipeline.map(group, in, 0, 1, (s, v) -> v))
              .getMessage());
      assertThrows(
          IllegalArgumentException.class, () -> Pipeline.map(group, in, 1, -1, (s, v) -> v));
    }
  }

  /** Fixed: a callback that threw a checked exception (sneakily) skipped the callbacks after it. */
  @Test
  void aCallbackThrowingACheckedExceptionDoesNotStopTheOthers() {
    CancelScope scope = CancelScope.root().withCancel();
    java.io.IOException checked = new java.io.IOException("sneaky");
    AtomicInteger ran = new AtomicInteger();
    var unused1 = scope.onCancel(() -> PromiseProbeTest.<RuntimeException>sneakyThrow(checked));
    var unused2 = scope.onCancel(ran::incrementAndGet);
    Throwable thrown = assertThrows(Throwable.class, scope::cancel);
    assertSame(checked, thrown);
    assertEquals(1, ran.get(), "a callback after the throwing one did not run");
  }

  @SuppressWarnings("unchecked")
  private static <X extends Throwable> void sneakyThrow(Throwable t) throws X {
    throw (X) t;
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          assertTrue(latch.await(10, TimeUnit.SECONDS));
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void actionsBeforeGoHappenBeforeTheTaskAndTheTasksHappenBeforeAwait()
      throws InterruptedException {
    int[] plain = new int[64];
    try (TaskGroup group = TaskGroup.open()) {
      for (int i = 0; i < plain.length; i++) {
        int index = i;
        plain[index] = 1; // read by the task
        group.go(s -> plain[index] += 1);
      }
      group.await();
    }
    for (int v : plain) {
      assertEquals(2, v);
    }
  }

  @Test
  void theRuntimesThreadsAreNamedAndDaemon() throws InterruptedException {
    AtomicReference<Thread> task = new AtomicReference<>();
    try (TaskGroup group = TaskGroup.open()) {
      group.go(s -> task.set(Thread.currentThread()));
      group.await();
    }
    assertTrue(task.get().getName().matches("tether-task-\\d+"), task.get().getName());
    assertTrue(task.get().isDaemon());
    AtomicReference<Thread> ticker = new AtomicReference<>();
    CountDownLatch ticked = new CountDownLatch(1);
    CancelScope ticks =
        Ticker.open(
            CancelScope.root(),
            Duration.ofMillis(1),
            () -> {
              ticker.set(Thread.currentThread());
              ticked.countDown();
            });
    try {
      assertTrue(ticked.await(10, TimeUnit.SECONDS));
    } finally {
      ticks.close();
    }
    assertEquals("tether-ticker", ticker.get().getName());
    assertTrue(ticker.get().isDaemon());
  }

  // --- Ticker
  // -------------------------------------------------------------------------------------

  @Test
  void aTickerOpenedUnderACancelledParentNeverRunsItsAction() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    CancelScope parent = CancelScope.root().withCancel();
    parent.cancel();
    for (int i = 0; i < 2_000; i++) {
      CancelScope ticks = Ticker.open(parent, Duration.ofNanos(1), runs::incrementAndGet);
      assertTrue(ticks.isCancelled());
    }
    // A busy neighbour keeps tether-ticker awake, so that a due entry would run at once.
    CountDownLatch neighbourRan = new CountDownLatch(1);
    CancelScope neighbour =
        Ticker.open(CancelScope.root(), Duration.ofNanos(1), neighbourRan::countDown);
    try {
      assertTrue(neighbourRan.await(10, TimeUnit.SECONDS));
      for (int i = 0; i < 2_000; i++) {
        assertTrue(Ticker.open(parent, Duration.ofNanos(1), runs::incrementAndGet).isCancelled());
      }
      Thread.sleep(20);
    } finally {
      neighbour.close();
    }
    assertEquals(0, runs.get(), "actions ran under a scope cancelled before the ticker opened");
  }

  @Test
  void aClosedTickerRejectsResetAndTicksNoMore() throws InterruptedException {
    Ticker ticker = Ticker.open(Duration.ofMillis(1));
    ticker.close();
    ticker.close(); // idempotent
    assertThrows(IllegalStateException.class, () -> ticker.reset(Duration.ofMillis(1)));
    assertFalse(ticker.tick(CancelScope.root()));
    try (Ticker slow = Ticker.open(HUGE)) {
      CancelScope cancelled = CancelScope.root().withCancel();
      cancelled.cancel();
      assertFalse(slow.tick(cancelled)); // without waiting
    }
  }

  // --- Channel, WorkerPool, StateOwner -----------------------------------------------------------

  @Test
  void everythingOpenedUnderACancelledParentReportsTheParentsCause() throws InterruptedException {
    CancelScope parent = CancelScope.root().withCancel();
    IllegalStateException why = new IllegalStateException("parent");
    parent.cancel(why);
    AtomicInteger ran = new AtomicInteger();
    try (TaskGroup group = TaskGroup.open(parent)) {
      group.go(s -> ran.incrementAndGet());
      assertFalse(group.tryGo(s -> ran.incrementAndGet()));
      assertSame(why, assertThrows(CancellationException.class, group::await).getCause());
    }
    try (ResultGroup<Integer> group = ResultGroup.open(parent)) {
      group.go(s -> ran.incrementAndGet());
      assertSame(why, assertThrows(CancellationException.class, group::await).getCause());
    }
    try (WorkerPool<String> pool =
        WorkerPool.<String>open(parent, (s, j) -> ran.incrementAndGet())) {
      assertSame(why, assertThrows(CancellationException.class, () -> pool.go("x")).getCause());
      assertFalse(pool.tryGo("y"));
      assertThrows(CancellationException.class, pool::await);
    }
    try (StateOwner<int[]> owner = StateOwner.open(parent, new int[1])) {
      assertSame(
          why,
          assertThrows(CancellationException.class, () -> owner.ask(CancelScope.root(), s -> 1))
              .getCause());
      assertThrows(CancellationException.class, () -> owner.tell(CancelScope.root(), s -> s[0]++));
    }
    try (Ticker ticker = Ticker.open(Duration.ofMillis(1))) {
      assertFalse(ticker.tick(parent));
    }
    assertEquals(0, ran.get(), "work ran under a cancelled parent");
  }

  /**
   * Fixed: every worker started with the first job, so {@code withLimit(n)} started n tasks for a
   * single job, and {@code withLimit(Integer.MAX_VALUE)} tried to start two billion.
   */
  @Test
  void workersStartAsJobsArriveUpToTheLimit() throws InterruptedException {
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      AtomicInteger tasks = new AtomicInteger();
      Executor counting =
          r -> {
            tasks.incrementAndGet();
            threads.execute(r);
          };
      ConcurrentLinkedQueue<Integer> done = new ConcurrentLinkedQueue<>();
      try (WorkerPool<Integer> pool =
          WorkerPool.<Integer>open((s, job) -> done.add(job))
              .withLimit(1000)
              .withExecutor(counting)) {
        for (int i = 0; i < 3; i++) {
          pool.go(i);
        }
        pool.await();
      }
      assertEquals(3, done.size());
      assertTrue(tasks.get() <= 3, tasks.get() + " workers for 3 jobs");
      done.clear();
      try (WorkerPool<Integer> pool =
          WorkerPool.<Integer>open((s, job) -> done.add(job)).withLimit(Integer.MAX_VALUE)) {
        for (int i = 0; i < 100; i++) {
          pool.go(i);
        }
        pool.await();
      }
      assertEquals(100, done.size());
      try (WorkerPool<Integer> pool =
          WorkerPool.<Integer>open((s, job) -> done.add(job)).withLimit(2).withCapacity(0)) {
        for (int i = 0; i < 100; i++) {
          pool.go(i); // a hand-off: waits for one of the two workers
        }
        pool.await();
      }
      assertEquals(200, done.size());
    } finally {
      threads.shutdown();
      assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void sendAndReceiveWithTheInterruptFlagSetThrowAndKeepIt() {
    Channel<String> ch = Channel.open(4);
    Thread.currentThread().interrupt();
    try {
      assertThrows(InterruptedException.class, () -> ch.sender().send(CancelScope.root(), "x"));
      assertTrue(Thread.currentThread().isInterrupted());
      assertThrows(InterruptedException.class, () -> ch.receiver().receive(CancelScope.root()));
      assertTrue(Thread.currentThread().isInterrupted());
      assertTrue(ch.sender().trySend("y")); // the non-blocking forms do not look at the flag
      assertEquals("y", ch.receiver().tryReceive());
    } finally {
      var unused = Thread.interrupted();
    }
  }

  @Test
  void aClosedStateOwnerRejectsLaterCallsWithCancellation() throws InterruptedException {
    StateOwner<StringBuilder> owner = StateOwner.open(CancelScope.root(), new StringBuilder());
    owner.tell(CancelScope.root(), sb -> sb.append('x'));
    assertEquals("x", owner.ask(CancelScope.root(), StringBuilder::toString));
    owner.close();
    assertThrows(CancellationException.class, () -> owner.tell(CancelScope.root(), sb -> {}));
    assertThrows(
        CancellationException.class, () -> owner.ask(CancelScope.root(), StringBuilder::length));
    owner.close(); // idempotent
  }

  @Test
  void aFailingAskThrowsTheSameInstanceAndAFailingTellReachesClose() throws InterruptedException {
    IllegalStateException askFailure = new IllegalStateException("ask");
    IllegalStateException tellFailure = new IllegalStateException("tell");
    StateOwner<int[]> owner = StateOwner.open(CancelScope.root(), new int[1]);
    assertSame(
        askFailure,
        assertThrows(
            IllegalStateException.class,
            () ->
                owner.ask(
                    CancelScope.root(),
                    s -> {
                      throw askFailure;
                    })));
    owner.tell(
        CancelScope.root(),
        s -> {
          throw tellFailure;
        });
    int value = owner.ask(CancelScope.root(), s -> s[0]);
    assertEquals(0, value);
    assertSame(tellFailure, assertThrows(IllegalStateException.class, owner::close));
    assertNotSame(askFailure, tellFailure);
  }
}
