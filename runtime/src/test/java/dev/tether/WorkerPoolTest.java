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
        WorkerPool.open(
            CancelScope.root(),
            3,
            4,
            (s, job) -> {
              maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
              sum.addAndGet(job);
              active.decrementAndGet();
            })) {
      for (int i = 1; i <= 1000; i++) {
        pool.submit(i);
      }
      pool.await();
      assertThrows(IllegalStateException.class, () -> pool.submit(1), "closed after await");
    }
    assertEquals(500_500, sum.get());
    assertTrue(maxActive.get() <= 3, "at most 3 workers: " + maxActive.get());
  }

  @Test
  void submitBlocksWhenTheBufferIsFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    try (WorkerPool<Integer> pool =
        WorkerPool.open(
            CancelScope.root(),
            1,
            2,
            (s, job) -> {
              started.countDown();
              s.await(release);
            })) {
      pool.submit(1);
      started.await(); // the worker holds job 1
      pool.submit(2);
      pool.submit(3); // the buffer is full now
      assertFalse(pool.trySubmit(4));
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      CountDownLatch submitted = new CountDownLatch(1);
      Thread producer =
          ChannelTest.spawn(
              "producer",
              () -> {
                pool.submit(4);
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
        WorkerPool.open(
            CancelScope.root(),
            2,
            1,
            (s, job) -> {
              if (job == 3) {
                throw boom;
              }
              processed.incrementAndGet();
            });
    try (pool) {
      CancellationException blocked =
          assertThrows(
              CancellationException.class,
              () -> {
                for (int i = 0; ; i++) {
                  pool.submit(i); // eventually the failure cancels the blocked producer
                }
              });
      assertSame(boom, blocked.getCause());
      assertTrue(pool.scope().isCancelled());
      assertFalse(pool.trySubmit(9));
      assertSame(boom, assertThrows(IllegalStateException.class, pool::await));
    }
  }

  @Test
  void checkedFailureIsWrapped() throws InterruptedException {
    IOException io = new IOException("disk");
    try (WorkerPool<String> pool =
        WorkerPool.open(
            CancelScope.root(),
            1,
            0,
            (s, job) -> {
              throw io;
            })) {
      try {
        pool.submit("a");
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
        WorkerPool.open(
            CancelScope.root(),
            2,
            4,
            (s, job) -> {
              started.countDown();
              try {
                s.sleep(java.time.Duration.ofMinutes(1));
              } finally {
                finished.incrementAndGet();
              }
            });
    pool.submit("a");
    started.await();
    pool.close();
    assertEquals(1, finished.get(), "close waited for the running job");
    assertThrows(IllegalStateException.class, () -> pool.submit("b"));
  }

  @Test
  void parentCancellationEndsThePool() throws InterruptedException {
    CancelScope parent = CancelScope.root().withCancel();
    try (WorkerPool<String> pool = WorkerPool.open(parent, 2, 1, (s, job) -> {})) {
      parent.cancel();
      assertThrows(CancellationException.class, () -> pool.submit("x"));
      assertThrows(CancellationException.class, pool::await);
    }
  }

  @Test
  void drainConsumesAChannelUntilClosed() throws InterruptedException {
    Channel<Integer> ch = Channel.create(8);
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
    WorkerPool.drain(CancelScope.root(), 4, ch.receiver(), (s, v) -> sum.addAndGet(v));
    producer.join();
    assertEquals(5050, sum.get());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(
        IllegalArgumentException.class,
        () -> WorkerPool.open(CancelScope.root(), 0, 1, (s, j) -> {}));
    assertThrows(
        IllegalArgumentException.class,
        () -> WorkerPool.open(CancelScope.root(), 1, -1, (s, j) -> {}));
  }

  @Test
  void interruptedSubmitKeepsTheFlag() throws InterruptedException {
    try (WorkerPool<String> pool = WorkerPool.open(CancelScope.root(), 1, 0, (s, j) -> {})) {
      Thread.currentThread().interrupt();
      try {
        assertInstanceOf(
            InterruptedException.class, assertThrows(Exception.class, () -> pool.submit("x")));
        assertTrue(Thread.currentThread().isInterrupted());
      } finally {
        var unused = Thread.interrupted();
      }
    }
  }
}
