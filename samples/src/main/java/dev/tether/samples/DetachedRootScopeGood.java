package dev.tether.samples;

import dev.tether.CancelScope;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** {@code DetachedRootScope}: the lookup nests inside its caller's scope. */
public final class DetachedRootScopeGood {
  /** Waits up to two seconds for the user, and stops when the request is cancelled. */
  public String user(CancelScope request, CompletableFuture<String> lookup)
      throws InterruptedException, ExecutionException {
    try (CancelScope scope = request.withTimeout(Duration.ofSeconds(2))) {
      return scope.get(lookup);
    }
  }

  /** A program's own root belongs in {@code main}. */
  public static void main(String[] args) throws InterruptedException, ExecutionException {
    try (CancelScope app = CancelScope.root().withCancel()) {
      System.out.println(
          new DetachedRootScopeGood().user(app, CompletableFuture.completedFuture("ada")));
    }
  }
}
