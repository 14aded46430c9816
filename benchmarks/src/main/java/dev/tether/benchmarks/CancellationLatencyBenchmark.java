package dev.tether.benchmarks;

import dev.tether.TaskGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cancellation latency: the time from the first failure until every one of 1,000 siblings blocked
 * in a sleep has finished. A per-invocation setup (not measured) starts the siblings, waits until
 * they are blocked, and parks the failing task on a latch; the measured operation releases it and
 * waits until the whole group has ended.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CancellationLatencyBenchmark {
  static final int SIBLINGS = 1000;

  /** A {@link TaskGroup} on the runtime's default pool, siblings in {@code scope.sleep}. */
  @State(Scope.Thread)
  public static class Group {
    TaskGroup group;
    CountDownLatch fail;

    @Setup(Level.Invocation)
    public void setUp() throws InterruptedException {
      CountDownLatch blocked = new CountDownLatch(SIBLINGS + 1);
      CountDownLatch release = new CountDownLatch(1);
      fail = release;
      group = TaskGroup.open();
      for (int i = 0; i < SIBLINGS; i++) {
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
    }

    @TearDown(Level.Invocation)
    public void tearDown() {
      group.close();
    }
  }

  /**
   * The JDK way on a cached pool: siblings in {@link Thread#sleep}; the waiting thread sees the
   * failure through its {@link Future}, cancels every sibling with {@code cancel(true)} and waits
   * for them to end.
   */
  @State(Scope.Thread)
  public static class Executor {
    ExecutorService pool;
    List<Future<?>> futures;
    Future<?> failing;
    CountDownLatch fail;
    CountDownLatch finished;

    @Setup(Level.Trial)
    public void setUpPool() {
      pool = Pools.cached();
    }

    @TearDown(Level.Trial)
    public void tearDownPool() {
      pool.shutdownNow();
    }

    @Setup(Level.Invocation)
    public void setUp() throws InterruptedException {
      CountDownLatch blocked = new CountDownLatch(SIBLINGS + 1);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(SIBLINGS);
      fail = release;
      finished = done;
      futures = new ArrayList<>(SIBLINGS);
      for (int i = 0; i < SIBLINGS; i++) {
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
      failing =
          pool.submit(
              () -> {
                blocked.countDown();
                release.await();
                throw new IllegalStateException("first failure");
              });
      blocked.await();
    }

    @TearDown(Level.Invocation)
    public void tearDown() throws InterruptedException {
      for (Future<?> f : futures) {
        f.cancel(true);
      }
      finished.await();
    }
  }

  @Benchmark
  public Object taskGroup(Group state) throws InterruptedException {
    state.fail.countDown();
    try {
      state.group.await();
      throw new AssertionError("the group did not fail");
    } catch (IllegalStateException expected) {
      return expected;
    }
  }

  @Benchmark
  public Object executorCancelAll(Executor state) throws InterruptedException {
    state.fail.countDown();
    try {
      state.failing.get();
      throw new AssertionError("the task did not fail");
    } catch (ExecutionException expected) {
      for (Future<?> f : state.futures) {
        f.cancel(true);
      }
      state.finished.await();
      return expected;
    }
  }
}
