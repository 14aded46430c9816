package dev.tether.benchmarks;

import dev.tether.TaskGroup;
import java.util.concurrent.ExecutorService;
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
    CancellationRuns.InGroup run;

    @Setup(Level.Invocation)
    public void setUp() throws InterruptedException {
      run = CancellationRuns.InGroup.start(SIBLINGS);
    }

    @TearDown(Level.Invocation)
    public void tearDown() {
      run.close();
    }
  }

  /**
   * The JDK way on a cached pool: siblings in {@link Thread#sleep}; the waiting thread sees the
   * failure through its {@link java.util.concurrent.Future}, cancels every sibling with {@code
   * cancel(true)} and waits for them to end.
   */
  @State(Scope.Thread)
  public static class Executor {
    ExecutorService pool;
    CancellationRuns.OnExecutor run;

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
      run = CancellationRuns.OnExecutor.submit(pool, SIBLINGS);
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

  @Benchmark
  public Object executorCancelAll(Executor state) throws InterruptedException {
    return state.run.failAndCancelAll();
  }
}
