package dev.tether.benchmarks.sts;

import dev.tether.TaskGroup;
import dev.tether.benchmarks.CancellationRuns;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * through {@link java.util.concurrent.Future#get} and calls {@code cancel(true)} on every sibling.
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
    CancellationRuns.InGroup run;

    @Setup(Level.Invocation)
    public void setUp(Siblings n) throws InterruptedException {
      run = CancellationRuns.InGroup.start(n.siblings);
    }

    @TearDown(Level.Invocation)
    public void tearDown() {
      run.close();
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
    CancellationRuns.OnExecutor run;

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
      run = CancellationRuns.OnExecutor.submit(pool, n.siblings);
    }

    @TearDown(Level.Invocation)
    public void tearDown() throws InterruptedException {
      run.cancelAll();
    }
  }

  @Benchmark
  public Object taskGroup(Group state) throws InterruptedException {
    return state.run.failAndAwait();
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
    return state.run.failAndCancelAll();
  }
}
