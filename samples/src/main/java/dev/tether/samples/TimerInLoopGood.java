package dev.tether.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code TimerInLoop}: the same batch job with one pool, created before the loop. */
public final class TimerInLoopGood {
  /** Checksums every file's chunks, four at a time, with one pool for all files. */
  public List<Long> checksums(List<List<Callable<Long>>> files)
      throws InterruptedException, ExecutionException {
    List<Long> sums = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (List<Callable<Long>> chunks : files) {
        long sum = 0;
        for (Future<Long> part : pool.invokeAll(chunks)) {
          sum += part.get();
        }
        sums.add(sum);
      }
    } finally {
      pool.shutdown();
    }
    return sums;
  }
}
