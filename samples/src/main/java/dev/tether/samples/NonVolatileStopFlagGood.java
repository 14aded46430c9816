package dev.tether.samples;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** {@code NonVolatileStopFlag}: the same poller; the flag is volatile, so stop() is seen. */
public final class NonVolatileStopFlagGood implements Runnable {
  private final Queue<String> inbox = new ConcurrentLinkedQueue<>();
  private volatile boolean stopped;

  @Override
  public void run() {
    while (!stopped) {
      String message = inbox.poll();
      if (message == null) {
        Thread.onSpinWait();
      } else {
        System.out.println(message);
      }
    }
  }

  /** Asks the poller to stop; the loop sees the write on its next check. */
  public void stop() {
    stopped = true;
  }

  /** Queues a message for the poller. */
  public void send(String message) {
    inbox.add(message);
  }
}
