package dev.tether.samples;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

  /** Waits for a reply; an interruption is logged as a failure and forgotten. */
  public String reply(Future<String> reply) {
    try {
      return reply.get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("no reply: " + e);
      return "";
    }
  }

  /** Sends a message, retrying when interrupted — and forgets the interruption. */
  public void send(String message) {
    while (true) {
      try {
        inbox.put(message);
        return;
      } catch (InterruptedException e) {
        System.err.println("interrupted, retrying: " + e);
      }
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
