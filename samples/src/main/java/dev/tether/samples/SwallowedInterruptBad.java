package dev.tether.samples;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** {@code SwallowedInterrupt}: a worker that keeps running after it was asked to stop. */
public final class SwallowedInterruptBad {
  private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();

  /** Returns the next message, or {@code null} when interrupted — and forgets the interruption. */
  public String next() {
    try {
      return inbox.take();
    } catch (InterruptedException e) {
      System.err.println("interrupted while waiting: " + e);
      return null;
    }
  }

  /** Pauses, and ignores a cancellation that arrives meanwhile. */
  public void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      // nothing to do
    }
  }
}
