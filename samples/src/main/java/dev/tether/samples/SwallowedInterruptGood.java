package dev.tether.samples;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** {@code SwallowedInterrupt}: the same worker, restoring or propagating the interruption. */
public final class SwallowedInterruptGood {
  private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();

  /** Returns the next message; empty when interrupted, with the interrupt flag restored. */
  public Optional<String> next() {
    try {
      return Optional.of(inbox.take());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Pauses; the caller learns about a cancellation because it propagates. */
  public void pause() throws InterruptedException {
    Thread.sleep(100);
  }
}
