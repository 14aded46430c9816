package dev.tether.samples;

import dev.tether.CancelScope;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * {@code NonVolatileStopFlag}, with Tether's runtime: a {@link CancelScope} is the stop flag. The
 * poller stops when its scope is cancelled ({@link CancelScope#cancel()}, a parent, a deadline),
 * and its blocking wait wakes up too.
 */
public final class NonVolatileStopFlagRuntime {
  private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();

  /** Hands every message to {@code handler} until {@code scope} is cancelled; returns the count. */
  public int run(CancelScope scope, Consumer<String> handler) throws InterruptedException {
    int handled = 0;
    while (!scope.isCancelled()) {
      String message = scope.poll(inbox, Duration.ofMillis(100)); // or scope.take(inbox)
      if (message != null) {
        handler.accept(message);
        handled++;
      }
    }
    return handled;
  }

  /** Queues a message for the poller. */
  public void send(String message) {
    inbox.add(message);
  }
}
