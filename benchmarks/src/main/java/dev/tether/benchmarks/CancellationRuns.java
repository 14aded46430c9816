package dev.tether.benchmarks;

import dev.tether.TaskGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The runs that the cancellation-latency benchmarks ({@link CancellationLatencyBenchmark}, and on
 * JDK 25 {@code sts.StructuredCancellationBenchmark}) share: siblings blocked in a one-minute sleep
 * and one task parked on a latch, which fails once released. Starting a run (not measured) waits
 * until every sibling is blocked; the measured operation releases the failing task and returns when
 * the failure has been seen and every sibling has ended.
 */
public final class CancellationRuns {
  private CancellationRuns() {}

  /** A {@link TaskGroup}, siblings in {@code scope.sleep}. */
  public static final class InGroup {
    private final TaskGroup group;
    private final CountDownLatch fail;

    private InGroup(TaskGroup group, CountDownLatch fail) {
      this.group = group;
      this.fail = fail;
    }

    /**
     * Opens a group on the runtime's default threads and starts {@code siblings} and the failing
     * task.
     */
    public static InGroup start(int siblings) throws InterruptedException {
      CountDownLatch blocked = new CountDownLatch(siblings + 1);
      CountDownLatch release = new CountDownLatch(1);
      TaskGroup group = TaskGroup.open();
      for (int i = 0; i < siblings; i++) {
        group.go(
            s -> {
              blocked.countDown();
              s.sleep(Duration.ofMinutes(1));
            });
      }
      group.go(
          s -> {
            blocked.countDown();
            release.await();
            throw new IllegalStateException("first failure");
          });
      blocked.await();
      return new InGroup(group, release);
    }

    /** The measured operation: {@code await()} returns after the group has cancelled the rest. */
    public Object failAndAwait() throws InterruptedException {
      fail.countDown();
      try {
        group.await();
        throw new AssertionError("the group did not fail");
      } catch (IllegalStateException expected) {
        return expected;
      }
    }

    /** Closes the group (not measured). */
    public void close() {
      group.close();
    }
  }

  /**
   * The JDK way: tasks on an executor, siblings in {@link Thread#sleep}; the waiting thread sees
   * the failure through its {@link Future}, cancels every sibling with {@code cancel(true)} and
   * waits for them to end.
   */
  public static final class OnExecutor {
    private final List<Future<?>> futures;
    private final Future<?> failing;
    private final CountDownLatch fail;
    private final CountDownLatch finished;

    private OnExecutor(
        List<Future<?>> futures, Future<?> failing, CountDownLatch fail, CountDownLatch finished) {
      this.futures = futures;
      this.failing = failing;
      this.fail = fail;
      this.finished = finished;
    }

    /** Submits {@code siblings} and the failing task to {@code pool}. */
    public static OnExecutor submit(ExecutorService pool, int siblings)
        throws InterruptedException {
      CountDownLatch blocked = new CountDownLatch(siblings + 1);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(siblings);
      List<Future<?>> futures = new ArrayList<>(siblings);
      for (int i = 0; i < siblings; i++) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    blocked.countDown();
                    Thread.sleep(60_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    done.countDown();
                  }
                }));
      }
      Future<?> failing =
          pool.submit(
              () -> {
                blocked.countDown();
                release.await();
                throw new IllegalStateException("first failure");
              });
      blocked.await();
      return new OnExecutor(futures, failing, release, done);
    }

    /** The measured operation: {@code get()} fails, then the {@code cancel(true)} loop. */
    public Object failAndCancelAll() throws InterruptedException {
      fail.countDown();
      try {
        failing.get();
        throw new AssertionError("the task did not fail");
      } catch (ExecutionException expected) {
        cancelAll();
        return expected;
      }
    }

    /** Cancels every sibling and waits until all have ended (again after a measured run). */
    public void cancelAll() throws InterruptedException {
      for (Future<?> f : futures) {
        f.cancel(true);
      }
      finished.await();
    }
  }
}
