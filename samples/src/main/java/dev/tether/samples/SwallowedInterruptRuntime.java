package dev.tether.samples;

import dev.tether.CancelScope;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;

/**
 * {@code SwallowedInterrupt}, with Tether's runtime: the {@link CancelScope} helpers wait until the
 * scope is cancelled (a {@code CancellationException}) or the thread interrupted (an {@code
 * InterruptedException} that leaves the interrupt flag set), so there is nothing to swallow.
 */
public final class SwallowedInterruptRuntime {
  private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();

  /** Queues a message. */
  public void send(CancelScope scope, String message) throws InterruptedException {
    scope.put(inbox, message);
  }

  /** Returns the next message; stops waiting when {@code scope} is cancelled. */
  public String next(CancelScope scope) throws InterruptedException {
    return scope.take(inbox);
  }

  /** Waits at most two seconds for a reply, or less if {@code scope} ends first. */
  public String reply(CancelScope scope, Future<String> reply)
      throws InterruptedException, ExecutionException, TimeoutException {
    return scope.get(reply, Duration.ofSeconds(2));
  }

  /** Pauses, and stops pausing when {@code scope} is cancelled. */
  public void pause(CancelScope scope, Duration duration) throws InterruptedException {
    scope.sleep(duration);
  }
}
