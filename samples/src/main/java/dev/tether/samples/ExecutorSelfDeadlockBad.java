package dev.tether.samples;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** {@code ExecutorSelfDeadlock}: an event loop that waits for itself. */
public final class ExecutorSelfDeadlockBad {
  private final ExecutorService events = Executors.newSingleThreadExecutor();

  /** Handles an event after auditing it on the same thread: the audit can never start. */
  public Future<String> handle(String event) {
    return events.submit(
        () -> {
          Future<String> audit = events.submit(() -> "audited " + event);
          return audit.get() + ", handled";
        });
  }

  /** Stops the loop from one of its own tasks: termination waits for this very task. */
  public void stopFromInside() {
    events.execute(
        () -> {
          events.shutdown();
          try {
            events.awaitTermination(1, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }
}
