package dev.tether.benchmarks.sts;

import dev.tether.TaskGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * JDK 25 only, built by the {@code sts} profile: the fan-out/fan-in of {@code FanOutBenchmark}
 * (same N, same work), with the JDK's preview {@link StructuredTaskScope} (subtasks on virtual
 * threads) against {@link TaskGroup} on a virtual-thread-per-task executor, {@link TaskGroup} on
 * its default threads (a virtual thread per task on JDK 21+ since the runtime's {@code
 * DefaultExecutor}; a shared pool of platform threads before), and the JDK's two plain ways: a
 * virtual-thread-per-task executor with a {@link CountDownLatch}, and the same executor's {@link
 * ExecutorService#invokeAll}.
 *
 * <p>Compiled with {@code --release 25 --enable-preview}; run with {@code java --enable-preview
 * -jar benchmarks.jar StructuredFanOut}. The forks get {@code --enable-preview} from {@link Fork}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = "--enable-preview")
public class StructuredFanOutBenchmark {

  /** How many tasks each operation starts and waits for. */
  @Param({"10", "1000", "100000"})
  public int tasks;

  /** {@code trivial}: a few ns of CPU; {@code blocking}: parks for 100 µs. */
  @Param({"trivial", "blocking"})
  public String work;

  private ExecutorService virtualThreads;
  private Runnable task;

  @Setup(Level.Trial)
  public void setUp() {
    virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    task =
        work.equals("blocking")
            ? () -> LockSupport.parkNanos(100_000)
            : () -> Blackhole.consumeCPU(16);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    virtualThreads.shutdownNow();
  }

  /** The JDK 25 preview API: {@code open()} waits for all subtasks and throws the first failure. */
  @Benchmark
  public void structuredTaskScope() throws InterruptedException {
    Runnable t = task;
    try (var scope = StructuredTaskScope.open()) {
      for (int i = 0; i < tasks; i++) {
        scope.fork(t);
      }
      scope.join();
    }
  }

  /** {@link TaskGroup}, one new virtual thread per task. */
  @Benchmark
  public void taskGroupVirtualThreads() throws InterruptedException {
    Runnable t = task;
    TaskGroup group = TaskGroup.open().withExecutor(virtualThreads);
    for (int i = 0; i < tasks; i++) {
      group.go(s -> t.run());
    }
    group.await();
  }

  /**
   * {@link TaskGroup} on its default threads: a new virtual thread per task on JDK 21+ (until the
   * runtime's virtual-thread default, this was its shared pool of platform threads).
   */
  @Benchmark
  public void taskGroupDefault() throws InterruptedException {
    Runnable t = task;
    TaskGroup group = TaskGroup.open();
    for (int i = 0; i < tasks; i++) {
      group.go(s -> t.run());
    }
    group.await();
  }

  /** The JDK without structure: virtual-thread-per-task executor, a latch, failures unseen. */
  @Benchmark
  public void executorLatch() throws InterruptedException {
    Runnable t = task;
    CountDownLatch done = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      virtualThreads.execute(
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

  /** {@link ExecutorService#invokeAll} on the virtual-thread-per-task executor. */
  @Benchmark
  public void invokeAll() throws Exception {
    Runnable t = task;
    List<Callable<Object>> all = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      all.add(Executors.callable(t));
    }
    for (Future<Object> f : virtualThreads.invokeAll(all)) {
      f.get();
    }
  }
}
