package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WorkerPoolTest {

  @Test
  void processesEveryJobWithAtMostNWorkers() throws InterruptedException {
    AtomicInteger sum = new AtomicInteger();
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    try (WorkerPool<Integer> pool =
        WorkerPool.<Integer>open(
                CancelScope.root(),
                (s, job) -> {
                  maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                  sum.addAndGet(job);
                  active.decrementAndGet();
                })
            .withLimit(3)
            .withCapacity(4)) {
      for (int i = 1; i <= 1000; i++) {
        pool.go(i);
      }
      pool.await();
      assertThrows(IllegalStateException.class, () -> pool.go(1), "closed after await");
    }
    assertEquals(500_500, sum.get());
    assertTrue(maxActive.get() <= 3, "at most 3 workers: " + maxActive.get());
  }

  /**
   * {@code go} from a job, with a full buffer and no other worker to take a job: it waits until the
   * pool is cancelled (documented on {@code go}), then throws {@code CancellationException}.
   */
  @Test
  void goFromTheOnlyWorkerWithAFullBufferWaitsUntilThePoolIsCancelled() throws Exception {
    AtomicReference<@Nullable Thread> worker = new AtomicReference<>();
    AtomicReference<@Nullable Throwable> inner = new AtomicReference<>();
    AtomicReference<@Nullable WorkerPool<Integer>> self = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch innerDone = new CountDownLatch(1);
    WorkerPool<Integer> pool =
        WorkerPool.<Integer>open(
                CancelScope.root(),
                (s, job) -> {
                  if (job != 1) {
                    return;
                  }
                  worker.set(Thread.currentThread());
                  started.countDown();
                  try {
                    self.get().go(2); // fills the buffer (capacity 1)
                    self.get().go(3); // waits: this job is the only worker
                  } catch (Throwable e) {
                    if (e instanceof InterruptedException) {
                      Thread.currentThread().interrupt();
                    }
                    inner.set(e);
                  } finally {
                    innerDone.countDown();
                  }
                })
            .withLimit(1)
            .withCapacity(1);
    self.set(pool);
    try {
      pool.go(1);
      started.await();
      ChannelTest.awaitBlocked(worker.get());
      assertEquals(1, innerDone.getCount(), "the job waits in go(3)");
      pool.scope().cancel();
      innerDone.await();
      assertInstanceOf(CancellationException.class, inner.get());
    } finally {
      try {
        pool.close();
      } catch (CancellationException expected) {
        // the pool was cancelled on purpose
      }
    }
  }

  @Test
  void submitBlocksWhenTheBufferIsFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (WorkerPool<Integer> pool =
        WorkerPool.<Integer>open(
                CancelScope.root(),
                (s, job) -> {
                  started.countDown();
                  s.waitFor(release);
                })
            .withLimit(1)
            .withCapacity(2)) {
      pool.go(1);
      started.await(); // the worker holds job 1
      pool.go(2);
      pool.go(3); // the buffer is full now
      assertFalse(pool.tryGo(4));
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      CountDownLatch submitted = new CountDownLatch(1);
      Thread producer =
          ChannelTest.spawn(
              "producer",
              () -> {
                pool.go(4);
                submitted.countDown();
              },
              failure);
      ChannelTest.awaitBlocked(producer);
      assertEquals(1, submitted.getCount(), "back-pressure: the producer waits");
      release.countDown();
      producer.join();
      assertTrue(failure.get() == null, String.valueOf(failure.get()));
      pool.await();
    }
  }

  @Test
  void firstFailureCancelsThePoolAndIsRethrown() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicInteger processed = new AtomicInteger();
    WorkerPool<Integer> pool =
        WorkerPool.<Integer>open(
                CancelScope.root(),
                (s, job) -> {
                  if (job == 3) {
                    throw boom;
                  }
                  processed.incrementAndGet();
                })
            .withLimit(2)
            .withCapacity(1);
    try (pool) {
      CancellationException blocked =
          assertThrows(
              CancellationException.class,
              () -> {
                for (int i = 0; ; i++) {
                  pool.go(i); // eventually the failure cancels the blocked producer
                }
              });
      assertSame(boom, blocked.getCause());
      assertTrue(pool.scope().isCancelled());
      assertFalse(pool.tryGo(9));
      assertSame(boom, assertThrows(IllegalStateException.class, pool::await));
    }
  }

  @Test
  void checkedFailureIsWrapped() throws InterruptedException {
    IOException io = new IOException("disk");
    try (WorkerPool<String> pool =
        WorkerPool.<String>open(
                CancelScope.root(),
                (s, job) -> {
                  throw io;
                })
            .withLimit(1)
            .withCapacity(0)) {
      try {
        pool.go("a");
      } catch (CancellationException e) {
        // the failure may cancel the pool before the hand-off completes
      }
      TaskFailedException e = assertThrows(TaskFailedException.class, pool::await);
      assertSame(io, e.getCause());
    }
  }

  @Test
  void closeWithoutAwaitCancelsAndWaitsForWorkers() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    WorkerPool<String> pool =
        WorkerPool.<String>open(
                CancelScope.root(),
                (s, job) -> {
                  started.countDown();
                  try {
                    s.sleep(java.time.Duration.ofMinutes(1));
                  } finally {
                    finished.incrementAndGet();
                  }
                })
            .withLimit(2)
            .withCapacity(4);
    pool.go("a");
    started.await();
    pool.close();
    assertEquals(1, finished.get(), "close waited for the running job");
    assertThrows(IllegalStateException.class, () -> pool.go("b"));
  }

  @Test
  void parentCancellationEndsThePool() throws InterruptedException {
    CancelScope parent = CancelScope.root().withCancel();
    try (WorkerPool<String> pool =
        WorkerPool.<String>open(parent, (s, job) -> {}).withLimit(2).withCapacity(1)) {
      parent.cancel();
      assertThrows(CancellationException.class, () -> pool.go("x"));
      assertThrows(CancellationException.class, pool::await);
    }
  }

  @Test
  void drainConsumesAChannelUntilClosed() throws InterruptedException {
    Channel<Integer> ch = Channel.open(8);
    AtomicInteger sum = new AtomicInteger();
    Thread producer =
        new Thread(
            () -> {
              try (Channel.Sender<Integer> out = ch.sender()) {
                for (int i = 1; i <= 100; i++) {
                  out.send(CancelScope.root(), i);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    producer.start();
    WorkerPool.<Integer>open(CancelScope.root(), (s, v) -> sum.addAndGet(v))
        .withLimit(4)
        .drain(ch.receiver());
    producer.join();
    assertEquals(5050, sum.get());
  }

  @Test
  void rejectsBadArguments() {
    try (WorkerPool<String> pool = WorkerPool.<String>open((s, j) -> {})) {
      assertThrows(IllegalArgumentException.class, () -> pool.withLimit(0));
      assertThrows(IllegalArgumentException.class, () -> pool.withCapacity(-1));
    }
  }

  @Test
  void configurationAfterTheFirstJobAndDrainAfterGoAreRejected() throws InterruptedException {
    try (WorkerPool<String> pool = WorkerPool.<String>open((s, j) -> {})) {
      pool.go("a");
      assertThrows(IllegalStateException.class, () -> pool.withLimit(2));
      assertThrows(IllegalStateException.class, () -> pool.withCapacity(2));
      assertThrows(IllegalStateException.class, () -> pool.withExecutor(Runnable::run));
      assertThrows(
          IllegalStateException.class, () -> pool.drain(Channel.<String>open(1).receiver()));
      pool.await();
    }
  }

  @Test
  void withExecutorRunsTheWorkersThere() throws InterruptedException {
    TaskGroupTest.ThreadPerTask executor = new TaskGroupTest.ThreadPerTask();
    AtomicInteger onExecutor = new AtomicInteger();
    try (WorkerPool<String> pool =
        WorkerPool.<String>open(
                (s, j) -> {
                  if (Thread.currentThread().getName().equals("test-task")) {
                    onExecutor.incrementAndGet();
                  }
                })
            .withLimit(2)
            .withExecutor(executor)) {
      for (int i = 0; i < 10; i++) {
        pool.go("job");
      }
      pool.await();
    }
    assertEquals(10, onExecutor.get());
    assertEquals(2, executor.threads.size());
    executor.assertAllDead();
  }

  @Test
  void closeWithoutAwaitThrowsTheUnreportedFailure() throws InterruptedException {
    IllegalStateException boom = new IllegalStateException("boom");
    WorkerPool<String> pool =
        WorkerPool.<String>open(
            (s, j) -> {
              throw boom;
            });
    try {
      pool.go("a");
    } catch (CancellationException e) {
      // the failure may cancel the pool first
    }
    while (!pool.scope().isCancelled()) {
      Thread.sleep(1);
    }
    assertSame(boom, assertThrows(IllegalStateException.class, pool::close));
    pool.close(); // reported once
  }

  @Test
  void interruptedSubmitKeepsTheFlag() throws InterruptedException {
    try (WorkerPool<String> pool =
        WorkerPool.<String>open(CancelScope.root(), (s, j) -> {}).withLimit(1).withCapacity(0)) {
      Thread.currentThread().interrupt();
      try {
        assertInstanceOf(
            InterruptedException.class, assertThrows(Exception.class, () -> pool.go("x")));
        assertTrue(Thread.currentThread().isInterrupted());
      } finally {
        var unused = Thread.interrupted();
      }
    }
  }
}
