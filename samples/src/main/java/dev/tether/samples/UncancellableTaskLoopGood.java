package dev.tether.samples;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code UncancellableTaskLoop}: the same pump, which stops when it is interrupted. */
public final class UncancellableTaskLoopGood {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  /** Starts printing events as they arrive, until {@link #stop()}. */
  public void start() {
    executor.execute(
        () -> {
          try {
            while (!Thread.currentThread().isInterrupted()) {
              System.out.println(events.take()); // blocks, and ends the loop when interrupted
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  /** Queues an event. */
  public void publish(String event) {
    events.add(event);
  }

  /** Interrupts the pump and waits for it to finish. */
  public void stop() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(1, TimeUnit.SECONDS);
  }
}
