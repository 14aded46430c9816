package dev.tether.samples;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** {@code NonVolatileStopFlag}: a poller that may never see {@link #stop()}. */
public final class NonVolatileStopFlagBad implements Runnable {
  private final Queue<String> inbox = new ConcurrentLinkedQueue<>();
  private boolean stopped;

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

  /** Asks the poller to stop; without {@code volatile} the loop may keep reading a stale value. */
  public void stop() {
    stopped = true;
  }

  /** Queues a message for the poller. */
  public void send(String message) {
    inbox.add(message);
  }
}
