package dev.tether.benchmarks;

import dev.tether.CancelScope;
import dev.tether.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Moves {@value #ITEMS} values from P producers to P consumers (P ∈ {1, 4}) through a {@link
 * Channel} (buffered: capacity 1024, or hand-off: capacity 0) against an {@link ArrayBlockingQueue}
 * of 1024 and a {@link SynchronousQueue}, with blocking {@code send}/{@code put} and {@code
 * receive}/{@code take}, on the root scope ({@code channel1024Scoped}: on a cancellable one). The
 * producer and consumer threads are pooled: one invocation hands each of them its share and waits
 * for all of them. Throughput in values per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChannelBenchmark {
  static final int ITEMS = 100_000;
  private static final Integer VALUE = 42;

  /** Producers, and as many consumers. */
  @Param({"1", "4"})
  public int pairs;

  private ExecutorService threads;

  @Setup(Level.Trial)
  public void setUp() {
    threads = Pools.fixed(8);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    threads.shutdownNow();
  }

  /** Producer and consumer bodies: each moves {@code n} values. */
  private interface Side {
    void move(int n) throws InterruptedException;
  }

  private void transfer(Side producer, Side consumer) throws InterruptedException {
    int share = ITEMS / pairs;
    CountDownLatch done = new CountDownLatch(2 * pairs);
    for (int i = 0; i < pairs; i++) {
      threads.execute(run(consumer, share, done));
      threads.execute(run(producer, share, done));
    }
    done.await();
  }

  private static Runnable run(Side side, int n, CountDownLatch done) {
    return () -> {
      try {
        side.move(n);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        done.countDown();
      }
    };
  }

  private static void check(int v) {
    if (v != 42) {
      throw new AssertionError(v);
    }
  }

  private void channel(int capacity, CancelScope root) throws InterruptedException {
    Channel<Integer> ch = Channel.open(capacity);
    Channel.Sender<Integer> tx = ch.sender();
    Channel.Receiver<Integer> rx = ch.receiver();
    transfer(
        n -> {
          for (int i = 0; i < n; i++) {
            tx.send(root, VALUE);
          }
        },
        n -> {
          for (int i = 0; i < n; i++) {
            Integer v = rx.receive(root);
            check(v == null ? -1 : v);
          }
        });
  }

  private void queue(BlockingQueue<Integer> q) throws InterruptedException {
    transfer(
        n -> {
          for (int i = 0; i < n; i++) {
            q.put(VALUE);
          }
        },
        n -> {
          for (int i = 0; i < n; i++) {
            check(q.take());
          }
        });
  }

  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public void channel1024() throws InterruptedException {
    channel(1024, CancelScope.root());
  }

  /** As {@link #channel1024()}, with a cancellable scope: each wait registers on it. */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public void channel1024Scoped() throws InterruptedException {
    try (CancelScope scope = CancelScope.root().withCancel()) {
      channel(1024, scope);
    }
  }

  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public void arrayBlockingQueue1024() throws InterruptedException {
    queue(new ArrayBlockingQueue<>(1024));
  }

  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public void channelHandOff() throws InterruptedException {
    channel(0, CancelScope.root());
  }

  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public void synchronousQueue() throws InterruptedException {
    queue(new SynchronousQueue<>());
  }
}
