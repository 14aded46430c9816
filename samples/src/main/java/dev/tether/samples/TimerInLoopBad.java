package dev.tether.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code TimerInLoop}: a batch job that builds and tears down a thread pool for every file. */
public final class TimerInLoopBad {
  /** Checksums every file's chunks, four at a time, with a new pool per file. */
  public List<Long> checksums(List<List<Callable<Long>>> files)
      throws InterruptedException, ExecutionException {
    List<Long> sums = new ArrayList<>();
    for (List<Callable<Long>> chunks : files) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        long sum = 0;
        for (Future<Long> part : pool.invokeAll(chunks)) {
          sum += part.get();
        }
        sums.add(sum);
      } finally {
        pool.shutdown();
      }
    }
    return sums;
  }
}
