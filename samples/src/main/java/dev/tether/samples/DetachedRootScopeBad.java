package dev.tether.samples;

import dev.tether.CancelScope;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** {@code DetachedRootScope}: a lookup that ignores its caller's cancellation and deadline. */
public final class DetachedRootScopeBad {
  /** Waits up to two seconds for the user, even after the request was cancelled. */
  public String user(CancelScope request, CompletableFuture<String> lookup)
      throws InterruptedException, ExecutionException {
    try (CancelScope scope = CancelScope.root().withTimeout(Duration.ofSeconds(2))) {
      return scope.get(lookup);
    }
  }
}
