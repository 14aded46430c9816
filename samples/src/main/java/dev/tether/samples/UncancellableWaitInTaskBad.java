package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.TaskGroup;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/** {@code UncancellableWaitInTask}: a consumer task whose wait ignores its scope. */
public final class UncancellableWaitInTaskBad {
  /** Handles queued jobs until the scope is cancelled; but a cancellation cannot end the wait. */
  public void consume(CancelScope parent, BlockingQueue<String> jobs, Consumer<String> handle)
      throws InterruptedException {
    try (TaskGroup group = TaskGroup.open(parent)) {
      group.go(
          s -> {
            while (!s.isCancelled()) {
              handle.accept(jobs.take());
              Thread.sleep(10);
            }
          });
      group.await();
    }
  }
}
