package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.ResultGroup;
import dev.tether.TaskGroup;
import java.util.List;

/**
 * {@code LostTaskFailure}, with Tether's runtime: the first failed upload cancels the others and is
 * rethrown; a failed price lookup is an error, not an empty list.
 */
public final class LostTaskFailureRuntime {
  /** Uploads one file; may block, and should stop when {@code scope} is cancelled. */
  @FunctionalInterface
  public interface Uploader {
    /** Uploads {@code file}. */
    void upload(CancelScope scope, String file) throws Exception;
  }

  /** Uploads every file in parallel; throws the first failure, after cancelling the rest. */
  public void uploadAll(CancelScope scope, List<String> files, Uploader uploader)
      throws InterruptedException {
    try (TaskGroup group = TaskGroup.open(scope).withLimit(8)) {
      for (String file : files) {
        group.go(s -> uploader.upload(s, file));
      }
      group.await(); // rethrows the first failure; the other uploads were cancelled
    }
  }

  /** Looks up the price of every product, in order; a failed lookup fails the call. */
  public List<Integer> prices(CancelScope scope, List<String> skus) throws InterruptedException {
    try (ResultGroup<Integer> group = ResultGroup.<Integer>open(scope).withLimit(8)) {
      for (String sku : skus) {
        group.go(s -> fetchPrice(sku));
      }
      return group.await();
    }
  }

  private static int fetchPrice(String sku) {
    if (sku.isEmpty()) {
      throw new IllegalArgumentException("no sku");
    }
    return sku.length();
  }
}
