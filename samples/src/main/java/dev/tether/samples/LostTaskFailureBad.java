package dev.tether.samples;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;

/** {@code LostTaskFailure}: a fan-out that reports success while some of its tasks failed. */
public final class LostTaskFailureBad {
  private final ExecutorService executor;

  /** Uploads files on {@code executor}. */
  public LostTaskFailureBad(ExecutorService executor) {
    this.executor = executor;
  }

  /** Uploads every file in parallel, and returns normally even when an upload threw. */
  public void uploadAll(List<String> files) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(files.size());
    for (String file : files) {
      executor.execute(
          () -> {
            try {
              upload(file);
            } finally {
              done.countDown();
            }
          });
    }
    done.await();
  }

  /** Runs every check, and never looks at which of them failed. */
  public void checkAll(List<Callable<Boolean>> checks) throws InterruptedException {
    executor.invokeAll(checks);
  }

  /** Looks up the prices of a product; a failed lookup looks like a product with no prices. */
  public CompletableFuture<List<Integer>> prices(String sku) {
    return CompletableFuture.supplyAsync(() -> fetchPrices(sku), executor)
        .exceptionally(e -> List.of());
  }

  /** Runs every check and never takes their futures: the failures stay in the service. */
  public void startChecks(List<Callable<Boolean>> checks) {
    CompletionService<Boolean> service = new ExecutorCompletionService<>(executor);
    for (Callable<Boolean> check : checks) {
      service.submit(check);
    }
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
