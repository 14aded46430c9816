package dev.tether.samples;

import java.util.List;

/** {@code UnownedThread}: background work started on threads that nobody keeps. */
public final class UnownedThreadBad {
  /** Sends a notification in the background; nobody ever learns whether it finished. */
  public void notifyLater(String message) {
    new Thread(() -> System.out.println("sent: " + message), "notifier").start();
  }

  /** Warms both caches on their own threads and returns at once, while they are still running. */
  public void warmUp(Runnable users, Runnable orders) {
    for (Runnable cache : List.of(users, orders)) {
      Thread warmer = new Thread(cache);
      warmer.setDaemon(true);
      warmer.start();
    }
  }
}
