package dev.tether.samples;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** {@code PermitNotReleasedInFinally}: a connection limit that shrinks with every failed send. */
public final class PermitNotReleasedInFinallyBad {
  private final Semaphore connections = new Semaphore(10);
  private final ReadWriteLock routesLock = new ReentrantReadWriteLock();
  private final Map<String, String> routes = new HashMap<>();

  /** Sends with at most ten requests in flight; a send that throws keeps its permit forever. */
  public void send(String request) throws InterruptedException {
    connections.acquire();
    String framed = "[" + request + "]";
    transmit(framed);
    connections.release();
  }

  /** Sends unless ten requests are in flight; a send that throws keeps its permit forever. */
  public boolean trySend(String request) {
    if (connections.tryAcquire()) {
      transmit(request);
      connections.release();
      return true;
    }
    return false;
  }

  /** Replaces the routes unless another thread does; a route that throws keeps the lock forever. */
  public boolean tryReplaceRoutes(Map<String, String> fresh) {
    if (routesLock.writeLock().tryLock()) {
      routes.clear();
      fresh.forEach((host, route) -> routes.put(host, checked(route)));
      routesLock.writeLock().unlock();
      return true;
    }
    return false;
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
