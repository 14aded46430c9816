package dev.tether.samples;

import java.util.ArrayList;
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

  /**
   * Runs parties that wait on each other (a barrier, a hand-off) all at once, and returns when all
   * are done: the elements are the tasks themselves, every thread is joined, so one thread per
   * given task is the contract (a bounded pool would leave some parties waiting for ever).
   */
  public static void runTogether(List<Runnable> parties) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (Runnable party : parties) {
      threads.add(new Thread(party, "party"));
    }
    for (Thread thread : threads) {
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** Stops the pools. */
  public void close() {
    senders.shutdown();
    elastic.shutdown();
  }
}
