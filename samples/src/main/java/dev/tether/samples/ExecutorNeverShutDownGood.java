package dev.tether.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code ExecutorNeverShutDown}: the pool is shut down when the call is done with it. */
public final class ExecutorNeverShutDownGood {
  /** Runs the lookups four at a time, and shuts the pool down however the call ends. */
  public List<String> lookUpAll(List<Callable<String>> lookups)
      throws InterruptedException, ExecutionException {
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      List<String> results = new ArrayList<>();
      for (Future<String> result : executor.invokeAll(lookups)) {
        results.add(result.get());
      }
      return results;
    } finally {
      executor.shutdown();
    }
  }
}
