package dev.tether.samples;

import java.util.concurrent.Semaphore;

/** {@code PermitNotReleasedInFinally}: a connection limit that shrinks with every failed send. */
public final class PermitNotReleasedInFinallyBad {
  private final Semaphore connections = new Semaphore(10);

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

  private static void transmit(String request) {
    if (request.isEmpty()) {
      throw new IllegalArgumentException("empty request");
    }
  }
}
