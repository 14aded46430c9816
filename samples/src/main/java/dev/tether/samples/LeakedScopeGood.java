package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.TaskGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/** {@code LeakedScope}: child scopes and groups closed by try-with-resources. */
public final class LeakedScopeGood {
  /** Waits at most two seconds for the price; the child scope is closed however the call ends. */
  public long price(CancelScope parent, CompletableFuture<Long> quote)
      throws InterruptedException, ExecutionException {
    try (CancelScope scope = parent.withTimeout(Duration.ofSeconds(2))) {
      return scope.get(quote);
    }
  }

  /** Ships every order, four at a time, and waits for all of them under one deadline. */
  public void shipAll(CancelScope parent, List<String> orders, Consumer<String> ship)
      throws InterruptedException {
    try (CancelScope scope = parent.withTimeout(Duration.ofSeconds(30));
        TaskGroup group = TaskGroup.open(scope).withLimit(4)) {
      for (String order : orders) {
        group.go(s -> ship.accept(order));
      }
      group.await();
    }
  }
}
