package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.TaskGroup;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/** {@code UncancellableWaitInTask}: the consumer waits through its scope. */
public final class UncancellableWaitInTaskGood {
  /** Handles queued jobs until the scope is cancelled, which also ends the wait for the next. */
  public void consume(CancelScope parent, BlockingQueue<String> jobs, Consumer<String> handle)
      throws InterruptedException {
    try (TaskGroup group = TaskGroup.open(parent)) {
      group.go(
          s -> {
            while (!s.isCancelled()) {
              handle.accept(s.take(jobs));
              s.sleep(Duration.ofMillis(10));
            }
          });
      group.await();
    }
  }
}
