package dev.tether.samples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** {@code UnsynchronizedSharedMutation}: the stream builds the results, the counter is atomic. */
public final class UnsynchronizedSharedMutationGood {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private final LongAdder processed = new LongAdder();
  private final AtomicInteger requestsThisSecond = new AtomicInteger();

  /** Returns the trimmed, non-empty names: the stream collects them, in order. */
  public static List<String> cleanNames(List<String> raw) {
    return raw.parallelStream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toList());
  }

  /** Counts the words in {@code lines} with a parallel sum. */
  public static long countWords(List<String> lines) {
    return lines.parallelStream().mapToLong(line -> line.split("\\s+").length).sum();
  }

  /** Counts each score from 0 to 9: every thread fills its own array, and the arrays are added. */
  public static int[] histogram(int[] scores) {
    return Arrays.stream(scores)
        .parallel()
        .collect(
            () -> new int[10],
            (counts, score) -> counts[score]++,
            (a, b) -> {
              for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
              }
            });
  }

  /** Squares 0 … n-1 in parallel: each element of the range writes its own slot. */
  public static long[] squares(int n) {
    long[] squares = new long[n];
    IntStream.range(0, n).parallel().forEach(i -> squares[i] = (long) i * i);
    return squares;
  }

  /** Sums the lengths of {@code words}, one task per word: each task returns its own length. */
  public long totalLength(List<String> words) throws InterruptedException, ExecutionException {
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (String word : words) {
      tasks.add(word::length);
    }
    long total = 0;
    for (Future<Integer> length : pool.invokeAll(tasks)) {
      total += length.get();
    }
    return total;
  }

  /** Processes {@code item} on the pool and counts it without losing updates. */
  public void process(String item) {
    pool.execute(
        () -> {
          System.out.println(item);
          processed.increment();
        });
  }

  /** How many items were processed so far. */
  public long processed() {
    return processed.sum();
  }

  /** Resets the rate limit every second; the atomic makes the reset visible to every caller. */
  public ScheduledFuture<?> start() {
    return clock.scheduleAtFixedRate(() -> requestsThisSecond.set(0), 1, 1, TimeUnit.SECONDS);
  }

  /** Whether one more request fits in this second. */
  public boolean tryAcquire() {
    return requestsThisSecond.incrementAndGet() <= 100;
  }

  /** Stops the pool and the clock. */
  public void shutdown() {
    pool.shutdown();
    clock.shutdown();
  }
}
