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

/**
 * {@code UnsynchronizedSharedMutation}: parallel code that writes one shared list, slot or field.
 */
public final class UnsynchronizedSharedMutationBad {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private long totalLength;
  private int requestsThisSecond;

  /** Returns the trimmed, non-empty names — except that some go missing, or the list breaks. */
  public static List<String> cleanNames(List<String> raw) {
    List<String> names = new ArrayList<>();
    raw.parallelStream().map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
    return names;
  }

  /** Counts the words in {@code lines}; parallel updates of one array slot lose counts. */
  public static long countWords(List<String> lines) {
    long[] words = {0};
    lines.stream().parallel().forEach(line -> words[0] += line.split("\\s+").length);
    return words[0];
  }

  /** Counts each score from 0 to 9; two threads that see the same score lose one count. */
  public static int[] histogram(int[] scores) {
    int[] counts = new int[10];
    Arrays.stream(scores).parallel().forEach(score -> counts[score]++);
    return counts;
  }

  /** Sums the lengths of {@code words}, one task per word: the tasks race on the total. */
  public long totalLength(List<String> words) throws InterruptedException, ExecutionException {
    List<Callable<Void>> tasks = new ArrayList<>();
    for (String word : words) {
      tasks.add(
          () -> {
            totalLength += word.length();
            return null;
          });
    }
    for (Future<Void> done : pool.invokeAll(tasks)) {
      done.get();
    }
    return totalLength;
  }

  /** Resets the rate limit every second, on the clock's thread; callers may never see the reset. */
  public ScheduledFuture<?> start() {
    return clock.scheduleAtFixedRate(() -> requestsThisSecond = 0, 1, 1, TimeUnit.SECONDS);
  }

  /** Whether one more request fits in this second. */
  public synchronized boolean tryAcquire() {
    return requestsThisSecond++ < 100;
  }

  /** Stops the pool and the clock. */
  public void shutdown() {
    pool.shutdown();
    clock.shutdown();
  }
}
