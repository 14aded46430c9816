package dev.tether.benchmarks;

import dev.tether.CancelScope;
import dev.tether.Ticker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N periodic tasks with the same period, all started together (within the scheduling loop), for a
 * few seconds: how many threads they take and how late each tick runs (lateness = actual time − its
 * fixed-rate grid time). Not a JMH benchmark, because neither quantity is the time of a benchmark
 * method.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.tether.benchmarks.TickerJitter [N]
 * [timers] [periodMs] [seconds]}
 */
public final class TickerJitter {
  private TickerJitter() {}

  /** Where the callbacks record their lateness, in µs. */
  private static final class Samples {
    final long[] micros;
    final AtomicInteger next = new AtomicInteger();

    Samples(int capacity) {
      micros = new long[capacity];
    }

    void add(long lateNanos) {
      int i = next.getAndIncrement();
      if (i < micros.length) {
        micros[i] = lateNanos / 1_000;
      }
    }

    String summary() {
      int n = Math.min(next.get(), micros.length);
      long[] s = Arrays.copyOf(micros, n);
      Arrays.sort(s);
      if (n == 0) {
        return "no samples";
      }
      return String.format(
          "ticks %,d  p50 %,d µs  p99 %,d µs  max %,d µs",
          n, s[n / 2], s[(int) (n * 0.99)], s[n - 1]);
    }
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int timers = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    long periodMs = args.length > 2 ? Long.parseLong(args[2]) : 100;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    System.out.printf(
        "period %d ms, %d s per run, %d cores, %s%n",
        periodMs, seconds, Runtime.getRuntime().availableProcessors(), Runtime.version());
    // Warm up the two shared-thread forms, then measure; the Timers go last, because tearing
    // down their threads disturbs whatever runs next.
    ticker(n, periodMs, seconds, false);
    executor(n, periodMs, seconds, false);
    ticker(n, periodMs, seconds, true);
    executor(n, periodMs, seconds, true);
    if (timers > 0) {
      if (timers != n) {
        ticker(timers, periodMs, seconds, true);
        executor(timers, periodMs, seconds, true);
      }
      timers(timers, periodMs, seconds, true);
    }
  }

  /** Lets the previous run's threads end and its garbage go, before the next run. */
  private static void settle() throws InterruptedException {
    System.gc();
    Thread.sleep(1_000);
  }

  private static void ticker(int n, long periodMs, int seconds, boolean report)
      throws InterruptedException {
    long period = TimeUnit.MILLISECONDS.toNanos(periodMs);
    settle();
    Samples samples = new Samples(capacity(n, periodMs, seconds));
    int before = threads();
    CancelScope all = CancelScope.root().withCancel();
    for (int i = 0; i < n; i++) {
      long origin = System.nanoTime(); // open() starts its grid a few ns later
      long[] k = {0};
      var unused =
          Ticker.open(
              all,
              Duration.ofNanos(period),
              () -> {
                long now = System.nanoTime();
                long index = Math.max(k[0] + 1, (now - origin) / period); // dropped ticks skip
                k[0] = index;
                samples.add(now - origin - index * period);
              });
    }
    Thread.sleep(seconds * 1000L);
    int during = threads();
    all.cancel();
    if (report) {
      System.out.printf(
          "Ticker.open(…, action) x%,6d: +%d threads  %s%n", n, during - before, samples.summary());
    }
  }

  private static void executor(int n, long periodMs, int seconds, boolean report)
      throws InterruptedException {
    settle();
    Samples samples = new Samples(capacity(n, periodMs, seconds));
    int before = threads();
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    long period = TimeUnit.MILLISECONDS.toNanos(periodMs);
    for (int i = 0; i < n; i++) {
      long origin = System.nanoTime();
      long[] k = {0};
      ScheduledFuture<?> unused =
          executor.scheduleAtFixedRate(
              () -> {
                k[0]++;
                samples.add(System.nanoTime() - origin - k[0] * period);
              },
              period,
              period,
              TimeUnit.NANOSECONDS);
    }
    Thread.sleep(seconds * 1000L);
    int during = threads();
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
    if (report) {
      System.out.printf(
          "ScheduledExecutor(1)   x%,6d: +%d threads  %s%n", n, during - before, samples.summary());
    }
  }

  @SuppressWarnings("TimerInLoop") // the naive baseline: one Timer per ticker
  private static void timers(int n, long periodMs, int seconds, boolean report)
      throws InterruptedException {
    settle();
    Samples samples = new Samples(capacity(n, periodMs, seconds));
    int before = threads();
    List<Timer> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Timer timer = new Timer("timer-" + i, true);
      all.add(timer);
      timer.scheduleAtFixedRate(
          new TimerTask() {
            @Override
            public void run() {
              samples.add((System.currentTimeMillis() - scheduledExecutionTime()) * 1_000_000L);
            }
          },
          periodMs,
          periodMs);
    }
    Thread.sleep(seconds * 1000L);
    int during = threads();
    for (Timer t : all) {
      t.cancel();
    }
    if (report) {
      System.out.printf(
          "Timer per task         x%,6d: +%d threads  %s%n", n, during - before, samples.summary());
    }
  }

  private static int capacity(int n, long periodMs, int seconds) {
    return (int) Math.min(Integer.MAX_VALUE - 8, (long) n * (seconds * 1000L / periodMs + 2));
  }
}
