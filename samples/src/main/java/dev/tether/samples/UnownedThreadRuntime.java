package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.TaskGroup;
import java.util.List;

/**
 * {@code UnownedThread}, with Tether's runtime: the caches are warmed in a {@link TaskGroup} that
 * owns the work, waits for it, and rethrows the first failure after cancelling the rest.
 */
public final class UnownedThreadRuntime {
  /** Warms every cache concurrently and returns once all are warm, or throws the first failure. */
  public void warmUp(CancelScope scope, List<Runnable> caches) throws InterruptedException {
    try (TaskGroup group = TaskGroup.open(scope).withLimit(8)) {
      for (Runnable cache : caches) {
        group.go(s -> cache.run());
      }
      group.await();
    }
  }
}
