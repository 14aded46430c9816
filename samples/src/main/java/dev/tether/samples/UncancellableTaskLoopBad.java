package dev.tether.samples;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@code UncancellableTaskLoop}: an event pump that {@code shutdownNow()} cannot stop. */
public final class UncancellableTaskLoopBad {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final Queue<String> events = new ConcurrentLinkedQueue<>();

  /** Starts printing events as they arrive, forever. */
  public void start() {
    executor.execute(
        () -> {
          while (true) {
            String event = events.poll();
            if (event != null) {
              System.out.println(event);
            }
          }
        });
  }

  /** Queues an event. */
  public void publish(String event) {
    events.add(event);
  }

  /** Interrupts the pump, which ignores it and keeps spinning. */
  public void stop() {
    executor.shutdownNow();
  }
}
