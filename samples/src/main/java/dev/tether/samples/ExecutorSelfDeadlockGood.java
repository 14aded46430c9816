package dev.tether.samples;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** {@code ExecutorSelfDeadlock}: the same event loop, chaining instead of waiting for itself. */
public final class ExecutorSelfDeadlockGood {
  private final ExecutorService events = Executors.newSingleThreadExecutor();

  /** Audits the event, then handles it: two tasks, one after the other, no thread blocked. */
  public CompletableFuture<String> handle(String event) {
    return CompletableFuture.supplyAsync(() -> "audited " + event, events)
        .thenApplyAsync(audit -> audit + ", handled", events);
  }

  /** Stops the loop from the code that owns it, outside its tasks. */
  public boolean stop() throws InterruptedException {
    events.shutdown();
    return events.awaitTermination(1, TimeUnit.MINUTES);
  }
}
