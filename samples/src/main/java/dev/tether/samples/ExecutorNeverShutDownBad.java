package dev.tether.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code ExecutorNeverShutDown}: every call leaves a thread pool behind. */
public final class ExecutorNeverShutDownBad {
  /** Runs the lookups four at a time; the pool's four threads stay alive after the call. */
  public List<String> lookUpAll(List<Callable<String>> lookups)
      throws InterruptedException, ExecutionException {
    ExecutorService executor = Executors.newFixedThreadPool(4);
    List<String> results = new ArrayList<>();
    for (Future<String> result : executor.invokeAll(lookups)) {
      results.add(result.get());
    }
    return results;
  }
}
