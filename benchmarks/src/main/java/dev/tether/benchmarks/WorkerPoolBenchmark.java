package dev.tether.benchmarks;

import dev.tether.CancelScope;
import dev.tether.WorkerPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Pushes {@value #JOBS} small jobs ({@code Blackhole.consumeCPU(64)}) through 4 workers: a {@link
 * WorkerPool} with a buffer of 1024 (opened, filled and awaited per invocation, on the runtime's
 * pooled threads) against a raw {@code ThreadPoolExecutor} of 4 threads with an unbounded queue
 * (created once), {@code execute} per job and a {@link CountDownLatch}. Jobs per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WorkerPoolBenchmark {
  static final int JOBS = 100_000;
  private static final int WORKERS = 4;

  private ExecutorService executor;

  @Setup(Level.Trial)
  public void setUp() {
    executor = Pools.fixed(WORKERS);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    executor.shutdownNow();
  }

  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void workerPool() throws InterruptedException {
    try (WorkerPool<Integer> pool =
        WorkerPool.<Integer>open(CancelScope.root(), (s, job) -> Blackhole.consumeCPU(64))
            .withLimit(WORKERS)
            .withCapacity(1024)) {
      Integer job = 1;
      for (int i = 0; i < JOBS; i++) {
        pool.go(job);
      }
      pool.await();
    }
  }

  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void threadPoolExecutor() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(JOBS);
    Runnable job =
        () -> {
          Blackhole.consumeCPU(64);
          done.countDown();
        };
    for (int i = 0; i < JOBS; i++) {
      executor.execute(job);
    }
    done.await();
  }
}
