package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.ResultGroup;
import dev.tether.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code TimerInLoop}, with Tether's runtime: one {@link Ticker} for periodic work, and one {@link
 * ResultGroup} with a limit for a batch, instead of a timer or a pool per iteration.
 */
public final class TimerInLoopRuntime {
  /** Calls {@code poll} once per {@code period} until {@code scope} is cancelled. */
  public void pollEvery(CancelScope scope, Duration period, Runnable poll)
      throws InterruptedException {
    try (Ticker ticker = Ticker.open(period)) {
      while (ticker.tick(scope)) { // false once the scope is cancelled
        poll.run();
      }
    }
  }

  /** Checksums every file's chunks, four chunks at a time in all, with no pool per file. */
  public List<Long> checksums(CancelScope scope, List<List<Callable<Long>>> files)
      throws InterruptedException {
    try (ResultGroup<Long> group = ResultGroup.<Long>open(scope).withLimit(4)) {
      for (List<Callable<Long>> chunks : files) {
        for (Callable<Long> chunk : chunks) {
          group.go(s -> chunk.call());
        }
      }
      List<Long> parts = group.await(); // in submission order
      Long[] sums = new Long[files.size()];
      int next = 0;
      for (int file = 0; file < files.size(); file++) {
        long sum = 0;
        for (int chunk = 0; chunk < files.get(file).size(); chunk++) {
          sum += parts.get(next++);
        }
        sums[file] = sum;
      }
      return List.of(sums);
    }
  }
}
