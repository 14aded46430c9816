package dev.tether.samples;

/** {@code UnownedThread}: the same work on threads that the caller keeps and joins. */
public final class UnownedThreadGood {
  /** Sends a notification on a thread, and waits until it is sent. */
  public void notifyNow(String message) throws InterruptedException {
    Thread notifier = new Thread(() -> System.out.println("sent: " + message), "notifier");
    notifier.start();
    notifier.join();
  }

  /** Warms both caches, each on its own thread, and returns when both are done. */
  public void warmUp(Runnable users, Runnable orders) throws InterruptedException {
    Thread usersWarmer = new Thread(users, "warm-users");
    Thread ordersWarmer = new Thread(orders, "warm-orders");
    usersWarmer.start();
    ordersWarmer.start();
    usersWarmer.join();
    ordersWarmer.join();
  }
}
