package dev.tether.samples;

import java.util.concurrent.Semaphore;

/** {@code PermitNotReleasedInFinally}: the same connection limit, releasing in a finally. */
public final class PermitNotReleasedInFinallyGood {
  private final Semaphore connections = new Semaphore(10);

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

  private static void transmit(String request) {
    if (request.isEmpty()) {
      throw new IllegalArgumentException("empty request");
    }
  }
}
