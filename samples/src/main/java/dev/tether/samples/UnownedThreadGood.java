package dev.tether.samples;

import java.util.ArrayList;
import java.util.List;

/** {@code UnownedThread}: the same work on threads that the caller keeps and joins. */
public final class UnownedThreadGood {
  /** Sends a notification on a thread, and waits until it is sent. */
  public void notifyNow(String message) throws InterruptedException {
    Thread notifier = new Thread(() -> System.out.println("sent: " + message), "notifier");
    notifier.start();
    notifier.join();
  }

  /** Warms every cache on its own thread and returns when all of them are done. */
  public void warmUp(List<Runnable> caches) throws InterruptedException {
    List<Thread> warmers = new ArrayList<>();
    for (Runnable cache : caches) {
      Thread warmer = new Thread(cache);
      warmers.add(warmer);
      warmer.start();
    }
    for (Thread warmer : warmers) {
      warmer.join();
    }
  }
}
