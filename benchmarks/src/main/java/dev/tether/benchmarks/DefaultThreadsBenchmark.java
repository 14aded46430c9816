package dev.tether.benchmarks;

import dev.tether.TaskGroup;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The choice of {@link TaskGroup}'s default threads on JDK 17: its shared cached daemon pool
 * against a new platform thread per task.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DefaultThreadsBenchmark {

  @Param({"10", "1000"})
  public int tasks;

  @Param({"trivial", "blocking"})
  public String work;

  private Runnable task;
  private Executor threadPerTask;

  @Setup(Level.Trial)
  public void setUp() {
    task =
        work.equals("blocking")
            ? () -> LockSupport.parkNanos(100_000)
            : () -> Blackhole.consumeCPU(16);
    ThreadFactory factory = Pools.daemons("bench-per-task-");
    threadPerTask = r -> factory.newThread(r).start();
  }

  @Benchmark
  public void sharedCachedPool() throws InterruptedException {
    Runnable t = task;
    TaskGroup group = TaskGroup.open();
    for (int i = 0; i < tasks; i++) {
      group.go(s -> t.run());
    }
    group.await();
  }

  @Benchmark
  public void threadPerTask() throws InterruptedException {
    Runnable t = task;
    TaskGroup group = TaskGroup.open().withExecutor(threadPerTask);
    for (int i = 0; i < tasks; i++) {
      group.go(s -> t.run());
    }
    group.await();
  }
}
