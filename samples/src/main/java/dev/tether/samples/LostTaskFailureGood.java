package dev.tether.samples;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code LostTaskFailure}: the same fan-out, rethrowing the first failure of its tasks. */
public final class LostTaskFailureGood {
  private static final Logger LOG = Logger.getLogger(LostTaskFailureGood.class.getName());

  private final ExecutorService executor;

  /** Uploads files on {@code executor}. */
  public LostTaskFailureGood(ExecutorService executor) {
    this.executor = executor;
  }

  /** Uploads every file in parallel; throws when an upload failed. */
  public void uploadAll(List<String> files) throws InterruptedException, ExecutionException {
    List<Future<?>> uploads = new ArrayList<>();
    for (String file : files) {
      uploads.add(executor.submit(() -> upload(file)));
    }
    for (Future<?> upload : uploads) {
      upload.get(); // rethrows the task's failure as an ExecutionException
    }
  }

  /** Runs every check; returns whether all passed, and throws when one of them failed. */
  public boolean checkAll(List<Callable<Boolean>> checks)
      throws InterruptedException, ExecutionException {
    boolean passed = true;
    for (Future<Boolean> check : executor.invokeAll(checks)) {
      passed &= check.get();
    }
    return passed;
  }

  /** Looks up the prices of a product; a failed lookup is logged before it becomes "no prices". */
  public CompletableFuture<List<Integer>> prices(String sku) {
    return CompletableFuture.supplyAsync(() -> fetchPrices(sku), executor)
        .exceptionally(
            e -> {
              LOG.log(Level.WARNING, "prices of " + sku + " unavailable", e);
              return List.of();
            });
  }

  /** Runs every check; returns how many passed, and throws when one of them failed. */
  public int runChecks(List<Callable<Boolean>> checks)
      throws InterruptedException, ExecutionException {
    CompletionService<Boolean> service = new ExecutorCompletionService<>(executor);
    for (Callable<Boolean> check : checks) {
      service.submit(check);
    }
    int passed = 0;
    for (int i = 0; i < checks.size(); i++) {
      if (service.take().get()) { // get() rethrows the check's failure
        passed++;
      }
    }
    return passed;
  }

  /**
   * Closes a stream on a helper thread, waiting at most a second: a best-effort wait whose result
   * is dropped, for a task that logs its own failure.
   */
  public void closeQuietly(Closeable stream) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    executor.execute(
        () -> {
          try {
            stream.close();
          } catch (IOException e) {
            LOG.log(Level.FINE, "close failed, ignored", e);
          } finally {
            closed.countDown();
          }
        });
    closed.await(1, TimeUnit.SECONDS);
  }

  private static List<Integer> fetchPrices(String sku) {
    if (sku.isEmpty()) {
      throw new IllegalArgumentException("no sku");
    }
    return List.of(sku.length());
  }

  private static void upload(String file) {
    if (file.isEmpty()) {
      throw new IllegalArgumentException("no file name");
    }
  }
}
