package dev.tether.benchmarks.sts;

import dev.tether.TaskGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JDK 25 only, built by the {@code sts} profile: the cancellation latency of {@code
 * CancellationLatencyBenchmark} on virtual threads. Every sibling is blocked in a one-minute sleep;
 * a per-invocation setup (not measured, run on the benchmark thread) starts them, waits until all
 * are blocked and parks the failing task on a latch; the measured operation releases it and returns
 * when the failure has been seen and every sibling has ended.
 *
 * <p>Three ways side by side: {@link TaskGroup} on its default threads (a virtual thread per task
 * on JDK 21+), the JDK's preview {@link StructuredTaskScope} (its default joiner cancels the scope
 * at the first failure), and a virtual-thread-per-task executor whose caller sees the failure
 * through {@link Future#get} and calls {@code cancel(true)} on every sibling.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = "--enable-preview")
public class StructuredCancellationBenchmark {

  /** How many siblings are blocked when the first failure happens. */
  @State(Scope.Thread)
  public static class Siblings {
    @Param({"1000", "100000"})
    public int siblings;
  }

  /** {@link TaskGroup} on its default threads, siblings in {@code scope.sleep}. */
  @State(Scope.Thread)
  public static class Group {
    TaskGroup group;
    CountDownLatch fail;

    @Setup(Level.Invocation)
    public void setUp(Siblings n) throws InterruptedException {
      CountDownLatch blocked = new CountDownLatch(n.siblings + 1);
      CountDownLatch release = new CountDownLatch(1);
      fail = release;
      group = TaskGroup.open();
      for (int i = 0; i < n.siblings; i++) {
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

  /** {@link StructuredTaskScope#open()}, siblings in {@link Thread#sleep}. */
  @State(Scope.Thread)
  public static class Structured {
    StructuredTaskScope<Object, Void> scope;
    CountDownLatch fail;

    @Setup(Level.Invocation)
    public void setUp(Siblings n) throws InterruptedException {
      CountDownLatch blocked = new CountDownLatch(n.siblings + 1);
      CountDownLatch release = new CountDownLatch(1);
      fail = release;
      scope = StructuredTaskScope.open();
      for (int i = 0; i < n.siblings; i++) {
        scope.fork(
            () -> {
              blocked.countDown();
              Thread.sleep(60_000);
              return null;
            });
      }
      scope.fork(
          () -> {
            blocked.countDown();
            release.await();
            throw new IllegalStateException("first failure");
          });
      blocked.await();
    }

    @TearDown(Level.Invocation)
    public void tearDown() {
      scope.close();
    }
  }

  /** A virtual-thread-per-task executor and a {@code cancel(true)} loop. */
  @State(Scope.Thread)
  public static class Executor {
    ExecutorService pool;
    List<Future<?>> futures;
    Future<?> failing;
    CountDownLatch fail;
    CountDownLatch finished;

    @Setup(Level.Trial)
    public void setUpPool() {
      pool = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDownPool() {
      pool.shutdownNow();
    }

    @Setup(Level.Invocation)
    public void setUp(Siblings n) throws InterruptedException {
      CountDownLatch blocked = new CountDownLatch(n.siblings + 1);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(n.siblings);
      fail = release;
      finished = done;
      futures = new ArrayList<>(n.siblings);
      for (int i = 0; i < n.siblings; i++) {
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

  /** {@code join()} returns after the failing subtask has cancelled the scope. */
  @Benchmark
  public Object structuredTaskScope(Structured state) throws InterruptedException {
    state.fail.countDown();
    try {
      state.scope.join();
      throw new AssertionError("the scope did not fail");
    } catch (StructuredTaskScope.FailedException expected) {
      // join() returned, but the cancelled subtasks' threads may still be ending: close() waits
      // for them, and is part of what is measured, as TaskGroup.await() waits for its tasks.
      state.scope.close();
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
