package dev.tether.samples;

import dev.tether.CancelScope;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** {@code LeakedScope}: a per-call child scope that is never closed. */
public final class LeakedScopeBad {
  /**
   * Waits at most two seconds for the price; the child scope stays registered with the caller's
   * long-lived scope, with its pending deadline, after every call.
   */
  public long price(CancelScope parent, CompletableFuture<Long> quote)
      throws InterruptedException, ExecutionException {
    CancelScope scope = parent.withTimeout(Duration.ofSeconds(2));
    long price = scope.get(quote);
    return price;
  }
}
