package dev.tether.benchmarks;

import dev.tether.TaskGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Fan-out/fan-in of N tasks, then waiting for all of them: {@link TaskGroup} against the JDK's ways
 * of doing the same, all on one fixed pool of 64 threads (so that blocking tasks run with the same
 * parallelism everywhere), plus {@link TaskGroup} on its own default pool for reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FanOutBenchmark {

  /** How many tasks each operation starts and waits for. */
  @Param({"10", "1000", "100000"})
  public int tasks;

  /** {@code trivial}: a few ns of CPU; {@code blocking}: parks for 100 µs. */
  @Param({"trivial", "blocking"})
  public String work;

  private ExecutorService executor;
  private Runnable task;

  @Setup(Level.Trial)
  public void setUp() {
    executor = Pools.fixed(64);
    task =
        work.equals("blocking")
            ? () -> LockSupport.parkNanos(100_000)
            : () -> Blackhole.consumeCPU(16);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    executor.shutdownNow();
  }

  @Benchmark
  public void taskGroup() throws InterruptedException {
    Runnable t = task;
    TaskGroup group = TaskGroup.open().withExecutor(executor);
    for (int i = 0; i < tasks; i++) {
      group.go(s -> t.run());
    }
    group.await();
  }

  @Benchmark
  public void taskGroupDefaultPool() throws InterruptedException {
    Runnable t = task;
    TaskGroup group = TaskGroup.open();
    for (int i = 0; i < tasks; i++) {
      group.go(s -> t.run());
    }
    group.await();
  }

  @Benchmark
  @SuppressWarnings("LostTaskFailure") // the baseline is the executor + latch fan-out itself
  public void executorLatch() throws InterruptedException {
    Runnable t = task;
    CountDownLatch done = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      executor.execute(
          () -> {
            try {
              t.run();
            } finally {
              done.countDown();
            }
          });
    }
    done.await();
  }

  @Benchmark
  public void completableFutureAllOf() {
    CompletableFuture<?>[] futures = new CompletableFuture<?>[tasks];
    for (int i = 0; i < tasks; i++) {
      futures[i] = CompletableFuture.runAsync(task, executor);
    }
    CompletableFuture.allOf(futures).join();
  }

  @Benchmark
  public void invokeAll() throws InterruptedException, ExecutionException {
    Runnable t = task;
    List<Callable<Void>> calls = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      calls.add(
          () -> {
            t.run();
            return null;
          });
    }
    for (Future<Void> f : executor.invokeAll(calls)) {
      f.get();
    }
  }
}
