package dev.tether.samples;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** {@code PermitNotReleasedInFinally}: the same connection limit, releasing in a finally. */
public final class PermitNotReleasedInFinallyGood {
  private final Semaphore connections = new Semaphore(10);
  private final ReadWriteLock routesLock = new ReentrantReadWriteLock();
  private final Map<String, String> routes = new HashMap<>();

  /** Sends with at most ten requests in flight; the permit comes back even when a send throws. */
  public void send(String request) throws InterruptedException {
    connections.acquire();
    try {
      transmit("[" + request + "]");
    } finally {
      connections.release();
    }
  }

  /** Sends unless ten requests are in flight. */
  public boolean trySend(String request) {
    if (!connections.tryAcquire()) {
      return false;
    }
    try {
      transmit(request);
      return true;
    } finally {
      connections.release();
    }
  }

  /** Replaces the routes unless another thread does; the lock comes back even when one throws. */
  public boolean tryReplaceRoutes(Map<String, String> fresh) {
    if (!routesLock.writeLock().tryLock()) {
      return false;
    }
    try {
      routes.clear();
      fresh.forEach((host, route) -> routes.put(host, checked(route)));
      return true;
    } finally {
      routesLock.writeLock().unlock();
    }
  }

  private static String checked(String route) {
    if (route.isEmpty()) {
      throw new IllegalArgumentException("empty route");
    }
    return route;
  }

  private static void transmit(String request) {
    if (request.isEmpty()) {
      throw new IllegalArgumentException("empty request");
    }
  }
}
