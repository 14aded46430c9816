package dev.tether.samples;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

  /** Waits for a reply; a failure gives an empty reply, an interruption restores the flag too. */
  public String reply(Future<String> reply) {
    try {
      return reply.get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      System.err.println("no reply: " + e);
      return "";
    }
  }

  /**
   * Sends a message, retrying when interrupted, and restores the flag on the way out (Guava's
   * {@code Uninterruptibles} idiom): restoring it in the catch would make the retry throw at once.
   */
  public void send(String message) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          inbox.put(message);
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Pauses; the caller learns about a cancellation because it propagates. */
  public void pause() throws InterruptedException {
    Thread.sleep(100);
  }
}
