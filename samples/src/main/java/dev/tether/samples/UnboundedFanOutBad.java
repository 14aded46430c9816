package dev.tether.samples;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** {@code UnboundedFanOut}: a notifier that starts as many threads as there are subscribers. */
public final class UnboundedFanOutBad {
  private final ExecutorService senders = Executors.newCachedThreadPool();

  /** Sends the event to every subscriber, one new platform thread each. */
  public void publish(String event, List<Consumer<String>> subscribers) {
    for (Consumer<String> subscriber : subscribers) {
      new Thread(() -> subscriber.accept(event), "notify").start();
    }
  }

  /** Sends the event to every subscriber through a pool that grows one thread per busy task. */
  public void publishPooled(String event, List<Consumer<String>> subscribers) {
    for (Consumer<String> subscriber : subscribers) {
      senders.execute(() -> subscriber.accept(event));
    }
  }

  /** Stops the pool. */
  public void close() {
    senders.shutdown();
  }
}
