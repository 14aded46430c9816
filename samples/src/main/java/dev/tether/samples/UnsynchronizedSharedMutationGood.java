package dev.tether.samples;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** {@code UnsynchronizedSharedMutation}: the stream builds the results, the counter is atomic. */
public final class UnsynchronizedSharedMutationGood {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final LongAdder processed = new LongAdder();

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

  /** Stops the pool. */
  public void shutdown() {
    pool.shutdown();
  }
}
