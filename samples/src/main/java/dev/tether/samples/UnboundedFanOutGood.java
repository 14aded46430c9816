package dev.tether.samples;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/** {@code UnboundedFanOut}: the same notifier, with at most eight sends in flight. */
public final class UnboundedFanOutGood {
  private final ExecutorService senders = Executors.newFixedThreadPool(8);
  private final ExecutorService elastic = Executors.newCachedThreadPool();
  private final Semaphore inFlight = new Semaphore(8);

  /** Sends the event to every subscriber; the fixed pool queues what its threads cannot take. */
  public void publish(String event, List<Consumer<String>> subscribers) {
    for (Consumer<String> subscriber : subscribers) {
      senders.execute(() -> subscriber.accept(event));
    }
  }

  /** Sends through an elastic pool, with a semaphore bounding how many run at once. */
  public void publishElastic(String event, List<Consumer<String>> subscribers)
      throws InterruptedException {
    for (Consumer<String> subscriber : subscribers) {
      inFlight.acquire();
      elastic.execute(
          () -> {
            try {
              subscriber.accept(event);
            } finally {
              inFlight.release();
            }
          });
    }
  }

  /** Stops the pools. */
  public void close() {
    senders.shutdown();
    elastic.shutdown();
  }
}
