package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.ResultGroup;
import dev.tether.WorkerPool;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code ExecutorNeverShutDown}, with Tether's runtime: the work runs in a {@link ResultGroup} or a
 * {@link WorkerPool} that the method opens and closes, so no thread outlives the call.
 */
public final class ExecutorNeverShutDownRuntime {
  /** Runs the lookups four at a time and returns their results in order. */
  public List<String> lookUpAll(CancelScope scope, List<Callable<String>> lookups)
      throws InterruptedException {
    try (ResultGroup<String> group = ResultGroup.<String>open(scope).withLimit(4)) {
      for (Callable<String> lookup : lookups) {
        group.go(s -> lookup.call());
      }
      return group.await();
    }
  }

  /** Hands every job to four workers through a buffer of 16: the producer cannot run ahead. */
  public void handleAll(CancelScope scope, List<String> jobs, Consumer<String> handler)
      throws InterruptedException {
    try (WorkerPool<String> pool =
        WorkerPool.<String>open(scope, (s, job) -> handler.accept(job))
            .withLimit(4)
            .withCapacity(16)) {
      for (String job : jobs) {
        pool.go(job); // blocks while 16 jobs wait
      }
      pool.await(); // waits for the workers; throws the first failure
    }
  }
}
