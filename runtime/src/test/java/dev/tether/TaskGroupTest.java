package dev.tether;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TaskGroupTest {

  /** An executor that gives each task a new platform thread and remembers them all. */
  static final class ThreadPerTask implements java.util.concurrent.Executor {
    final ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable r) {
      Thread t = new Thread(r, "test-task");
      threads.add(t);
      t.start();
    }

    void assertAllDead() throws InterruptedException {
      for (Thread t : threads) {
        t.join(10_000);
        assertFalse(t.isAlive(), "leaked " + t);
      }
    }
  }

  /** Waits for {@code latch} like a task that ignores the group's interrupt. */
  static void awaitIgnoringInterrupts(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void awaitWaitsForEveryTask() throws InterruptedException {
    AtomicInteger done = new AtomicInteger();
    try (TaskGroup group = TaskGroup.open()) {
      for (int i = 0; i < 1000; i++) {
        group.go(s -> done.incrementAndGet());
      }
      group.await();
      assertTrue(group.scope().isCancelled(), "await closes the scope");
    }
    assertEquals(1000, done.get());
  }

  @Test
  void firstFailureOfThousandCancelsTheRestAndIsRethrownAsIs() throws InterruptedException {
    RuntimeException boom = new IllegalStateException("task 500 failed");
    StackTraceElement[] stack = boom.getStackTrace().clone();
    AtomicInteger cancelled = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    CountDownLatch allStarted = new CountDownLatch(999);
    try (TaskGroup group = TaskGroup.open()) {
      for (int i = 0; i < 1000; i++) {
        int n = i;
        group.go(
            s -> {
              try {
                if (n == 500) {
                  allStarted.await(); // every sibling is running
                  throw boom;
                }
                allStarted.countDown();
                s.sleep(Duration.ofMinutes(5));
              } catch (CancellationException e) {
                cancelled.incrementAndGet();
                throw e;
              } finally {
                finished.incrementAndGet();
              }
            });
      }
      RuntimeException thrown = assertThrows(RuntimeException.class, group::await);
      assertSame(boom, thrown);
      assertArrayEquals(stack, thrown.getStackTrace());
      assertEquals(0, thrown.getSuppressed().length, "cancellations are not failures");
      assertSame(boom, group.scope().cause().orElseThrow());
    }
    assertEquals(999, cancelled.get());
    assertEquals(1000, finished.get());
  }

  @Test
  void noTaskStartsAfterCancellation() throws InterruptedException {
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      AtomicInteger started = new AtomicInteger();
      CountDownLatch release = new CountDownLatch(1);
      RuntimeException boom = new RuntimeException("boom");
      TaskGroup group = TaskGroup.open().withExecutor(single);
      group.go(
          s -> {
            started.incrementAndGet();
            release.await();
            throw boom;
          });
      for (int i = 0; i < 100; i++) {
        group.go(s -> started.incrementAndGet()); // queued behind the first
      }
      release.countDown();
      assertSame(boom, assertThrows(RuntimeException.class, group::await));
      assertEquals(1, started.get());
    } finally {
      single.shutdown();
    }
  }

  @Test
  void goOnCancelledGroupDoesNotStartAndAwaitReportsTheCancellation() {
    AtomicInteger started = new AtomicInteger();
    CancelScope parent = CancelScope.root().withCancel();
    TaskGroup group = TaskGroup.open(parent);
    IllegalStateException why = new IllegalStateException("parent gone");
    parent.cancel(why);
    group.go(s -> started.incrementAndGet());
    assertFalse(group.tryGo(s -> started.incrementAndGet()));
    CancellationException e = assertThrows(CancellationException.class, group::await);
    assertSame(why, e.getCause());
    assertEquals(0, started.get());
  }

  @Test
  void tasksThatAllCompleteDespiteCancellationSucceed() throws InterruptedException {
    try (TaskGroup group = TaskGroup.open()) {
      group.go(s -> s.cancel());
      group.await();
    }
  }

  @Test
  void limitIsNeverExceeded() throws InterruptedException {
    AtomicInteger active = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    try (TaskGroup group = TaskGroup.open().withLimit(4)) {
      for (int i = 0; i < 300; i++) {
        group.go(
            s -> {
              int now = active.incrementAndGet();
              peak.accumulateAndGet(now, Math::max);
              s.sleep(Duration.ofNanos(20_000));
              active.decrementAndGet();
            });
      }
      group.await();
    }
    assertTrue(peak.get() <= 4, "peak " + peak.get());
    assertTrue(peak.get() >= 1);
  }

  @Test
  void tryGoReturnsFalseWhenFull() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    try (TaskGroup group = TaskGroup.open().withLimit(1)) {
      assertTrue(group.tryGo(s -> s.waitFor(release)));
      assertFalse(group.tryGo(s -> {}));
      release.countDown();
      group.await();
    }
  }

  @Test
  void goWaitingForASlotStopsWhenTheGroupIsCancelled() throws InterruptedException {
    AtomicInteger secondRan = new AtomicInteger();
    TaskGroup group = TaskGroup.open().withLimit(1);
    group.go(s -> s.sleep(Duration.ofMinutes(5)));
    CountDownLatch returned = new CountDownLatch(1);
    Thread submitter =
        new Thread(
            () -> {
              group.go(s -> secondRan.incrementAndGet());
              returned.countDown();
            });
    submitter.start();
    CancelScopeTest.awaitBlocked(submitter);
    group.scope().cancel();
    assertTrue(returned.await(10, TimeUnit.SECONDS));
    assertThrows(CancellationException.class, group::await);
    assertEquals(0, secondRan.get());
  }

  @Test
  void interruptWhileWaitingForASlotCancelsTheGroup() throws InterruptedException {
    TaskGroup group = TaskGroup.open().withLimit(1);
    group.go(s -> s.sleep(Duration.ofMinutes(5)));
    AtomicBoolean flagAfter = new AtomicBoolean();
    Thread submitter =
        new Thread(
            () -> {
              group.go(s -> {});
              flagAfter.set(Thread.currentThread().isInterrupted());
            });
    submitter.start();
    CancelScopeTest.awaitBlocked(submitter);
    submitter.interrupt();
    submitter.join(10_000);
    assertFalse(submitter.isAlive());
    assertTrue(flagAfter.get());
    assertInstanceOf(InterruptedException.class, group.scope().cause().orElseThrow());
    assertThrows(CancellationException.class, group::await);
  }

  @Test
  void closeWithoutAwaitCancelsAndJoinsAndLeavesNoThread() throws InterruptedException {
    ThreadPerTask executor = new ThreadPerTask();
    AtomicInteger running = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(20);
    try (TaskGroup group = TaskGroup.open().withExecutor(executor)) {
      for (int i = 0; i < 20; i++) {
        boolean cooperative = i % 2 == 0;
        group.go(
            s -> {
              running.incrementAndGet();
              try {
                started.countDown();
                if (cooperative) {
                  s.sleep(Duration.ofMinutes(5));
                } else {
                  Thread.sleep(300_000); // only the group's interrupt ends this
                }
              } finally {
                running.decrementAndGet();
              }
            });
      }
      assertTrue(started.await(10, TimeUnit.SECONDS));
    }
    assertEquals(0, running.get(), "close returned before its tasks ended");
    assertEquals(20, executor.threads.size());
    executor.assertAllDead();
  }

  @Test
  void closeWithoutAwaitOnTheDefaultPoolLeavesNoRunningTask() {
    AtomicInteger running = new AtomicInteger();
    TaskGroup group = TaskGroup.open();
    for (int i = 0; i < 50; i++) {
      group.go(
          s -> {
            running.incrementAndGet();
            try {
              s.sleep(Duration.ofMinutes(5));
            } finally {
              running.decrementAndGet();
            }
          });
    }
    group.close();
    assertEquals(0, running.get());
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("tether-task-"))
            .allMatch(Thread::isDaemon));
  }

  @Test
  void closeThrowsTheFailureAwaitDidNotReportAndTryWithResourcesKeepsIt() {
    IOException io = new IOException("disk");
    IllegalArgumentException body = new IllegalArgumentException("the try block failed");
    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              try (TaskGroup group = TaskGroup.open()) {
                group.go(
                    s -> {
                      throw io;
                    });
                while (!group.scope().isCancelled()) {
                  Thread.onSpinWait();
                }
                throw body;
              }
            });
    assertSame(body, thrown);
    assertEquals(1, thrown.getSuppressed().length);
    TaskFailedException closeFailure =
        assertInstanceOf(TaskFailedException.class, thrown.getSuppressed()[0]);
    assertSame(io, closeFailure.getCause());
  }

  @Test
  void closeAfterAwaitReportsNothingAgain() throws InterruptedException {
    IllegalStateException boom = new IllegalStateException("boom");
    TaskGroup group = TaskGroup.open();
    group.go(
        s -> {
          throw boom;
        });
    assertSame(boom, assertThrows(IllegalStateException.class, group::await));
    group.close();
  }

  @Test
  void errorWinsOverEarlierExceptionAndIsNeverWrapped() throws InterruptedException {
    IOException first = new IOException("first");
    OutOfMemoryError error = new OutOfMemoryError("simulated");
    CountDownLatch firstRecorded = new CountDownLatch(1);
    TaskGroup group = TaskGroup.open();
    var unused = group.scope().onCancel(firstRecorded::countDown);
    CountDownLatch secondStarted = new CountDownLatch(1);
    group.go(
        s -> {
          secondStarted.await();
          throw first;
        });
    group.go(
        s -> {
          secondStarted.countDown();
          awaitIgnoringInterrupts(firstRecorded); // a task that ignores cancellation
          throw error;
        });
    OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class, group::await);
    assertSame(error, thrown);
    assertEquals(List.of(first), Arrays.asList(thrown.getSuppressed()));
  }

  @Test
  void checkedFailureIsWrappedWithTheOriginalAsCause() {
    IOException io = new IOException("disk");
    TaskGroup group = TaskGroup.open();
    group.go(
        s -> {
          throw io;
        });
    TaskFailedException e = assertThrows(TaskFailedException.class, group::await);
    assertSame(io, e.getCause());
  }

  @Test
  void laterRealFailuresAreSuppressedButCancellationsAreNot() {
    RuntimeException first = new IllegalStateException("first");
    RuntimeException second = new IllegalArgumentException("second, ignoring cancellation");
    CountDownLatch cancelled = new CountDownLatch(1);
    TaskGroup group = TaskGroup.open();
    var unused = group.scope().onCancel(cancelled::countDown);
    CountDownLatch othersStarted = new CountDownLatch(2);
    group.go(
        s -> {
          othersStarted.await();
          throw first;
        });
    group.go(
        s -> {
          othersStarted.countDown();
          awaitIgnoringInterrupts(cancelled);
          throw second;
        });
    group.go(
        s -> {
          othersStarted.countDown();
          s.sleep(Duration.ofMinutes(5));
        });
    RuntimeException thrown = assertThrows(RuntimeException.class, group::await);
    assertSame(first, thrown);
    assertEquals(List.of(second), Arrays.asList(thrown.getSuppressed()));
  }

  @Test
  void interruptInAwaitCancelsJoinsRestoresTheFlagAndThrows() throws InterruptedException {
    AtomicInteger running = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(10);
    TaskGroup group = TaskGroup.open();
    for (int i = 0; i < 10; i++) {
      group.go(
          s -> {
            running.incrementAndGet();
            try {
              started.countDown();
              s.sleep(Duration.ofMinutes(5));
            } finally {
              running.decrementAndGet();
            }
          });
    }
    AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    AtomicInteger runningAfter = new AtomicInteger(-1);
    Thread waiter =
        new Thread(
            () -> {
              try {
                group.await();
              } catch (InterruptedException | RuntimeException e) {
                thrown.set(e);
              }
              flagAfter.set(Thread.currentThread().isInterrupted());
              runningAfter.set(running.get());
            });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    waiter.start();
    CancelScopeTest.awaitBlocked(waiter);
    waiter.interrupt();
    waiter.join(10_000);
    assertFalse(waiter.isAlive());
    InterruptedException e = assertInstanceOf(InterruptedException.class, thrown.get());
    assertTrue(flagAfter.get());
    assertEquals(0, runningAfter.get());
    assertSame(e, group.scope().cause().orElseThrow());
  }

  @Test
  void goAfterAwaitOrCloseThrows() throws InterruptedException {
    TaskGroup awaited = TaskGroup.open();
    awaited.go(s -> {});
    awaited.await();
    assertThrows(IllegalStateException.class, () -> awaited.go(s -> {}));
    assertThrows(IllegalStateException.class, () -> awaited.tryGo(s -> {}));
    awaited.await(); // same outcome again
    awaited.close();

    TaskGroup closed = TaskGroup.open();
    closed.close();
    assertThrows(IllegalStateException.class, () -> closed.go(s -> {}));
    assertThrows(IllegalStateException.class, () -> closed.withLimit(2));
  }

  @Test
  void configurationAfterTheFirstTaskIsRejected() throws InterruptedException {
    try (TaskGroup group = TaskGroup.open()) {
      assertThrows(IllegalArgumentException.class, () -> group.withLimit(0));
      group.go(s -> {});
      assertThrows(IllegalStateException.class, () -> group.withLimit(2));
      group.await();
    }
  }

  @Test
  void parentDeadlineCancelsTheGroupWithItsCause() {
    try (CancelScope parent = CancelScope.root().withTimeout(Duration.ofMillis(50))) {
      TaskGroup group = TaskGroup.open(parent);
      group.go(s -> s.sleep(Duration.ofMinutes(5)));
      CancellationException e = assertThrows(CancellationException.class, group::await);
      assertInstanceOf(DeadlineExceededException.class, e.getCause());
      assertEquals(0, parent.listenerCount(), "the group left its parent");
    }
  }

  @Test
  void nonCooperativeSiblingsAreInterruptedAndWorkersKeepNoInterrupt() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch sleeping = new CountDownLatch(1);
      TaskGroup group = TaskGroup.open().withExecutor(single);
      group.go(
          s -> {
            sleeping.countDown();
            Thread.sleep(300_000);
          });
      TaskGroup failing = TaskGroup.open().withExecutor(other);
      failing.go(
          s -> {
            throw new IllegalStateException("unrelated");
          });
      assertThrows(IllegalStateException.class, failing::await);
      assertTrue(sleeping.await(10, TimeUnit.SECONDS));
      RuntimeException boom = new RuntimeException("boom");
      group.scope().cancel(boom);
      CancellationException e = assertThrows(CancellationException.class, group::await);
      assertSame(boom, e.getCause());
      assertFalse(
          single.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS));
    } finally {
      single.shutdown();
      other.shutdown();
    }
  }

  @Test
  void rejectedTaskReleasesItsSlot() throws InterruptedException {
    ExecutorService dead = Executors.newSingleThreadExecutor();
    dead.shutdown();
    TaskGroup group = TaskGroup.open().withExecutor(dead).withLimit(1);
    assertThrows(RejectedExecutionException.class, () -> group.go(s -> {}));
    assertThrows(RejectedExecutionException.class, () -> group.go(s -> {}));
    group.await();
  }

  @Test
  void tasksMaySpawnTasksWhileAwaitWaits() throws InterruptedException {
    AtomicInteger leaves = new AtomicInteger();
    try (TaskGroup group = TaskGroup.open()) {
      group.go(
          s -> {
            for (int i = 0; i < 10; i++) {
              group.go(
                  s2 -> {
                    for (int j = 0; j < 10; j++) {
                      group.go(s3 -> leaves.incrementAndGet());
                    }
                  });
            }
          });
      group.await();
    }
    assertEquals(100, leaves.get());
  }

  /**
   * A task's {@code scope.sleep} woken by the group's interrupt is not woken a second time by the
   * scope's own callback once it has ended: that second wake-up (an unpark that leaves a stale
   * permit behind, so the thread's next park returns at once) was a per-task cost of cancelling a
   * group. A callback registered between the group's and the sleep's lets the sleep end first.
   */
  @Test
  void aSleepEndedByTheGroupsInterruptIsNotWokenAgain() throws InterruptedException {
    TaskGroup group = TaskGroup.open();
    CountDownLatch ended = new CountDownLatch(1);
    CountDownLatch sleeping = new CountDownLatch(1);
    AtomicLong parkedNanos = new AtomicLong(-1);
    var unused =
        group
            .scope()
            .onCancel(
                () -> {
                  try {
                    assertTrue(ended.await(10, TimeUnit.SECONDS));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    group.go(
        s -> {
          sleeping.countDown();
          try {
            s.sleep(Duration.ofMinutes(1));
          } catch (CancellationException e) {
            assertTrue(Thread.interrupted(), "the group interrupts the tasks it cancels");
            ended.countDown();
            long start = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            parkedNanos.set(System.nanoTime() - start);
            throw e;
          }
        });
    assertTrue(sleeping.await(10, TimeUnit.SECONDS));
    Thread.sleep(20); // into the sleep's park
    group.scope().cancel();
    assertThrows(CancellationException.class, group::await);
    assertTrue(
        parkedNanos.get() >= TimeUnit.MILLISECONDS.toNanos(250),
        "the next park returned after " + parkedNanos.get() + " ns: a stale wake-up");
  }
}
