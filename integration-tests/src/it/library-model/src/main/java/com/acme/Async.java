package com.acme;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The project's own executor wrapper: Tether knows it only once a flag names it. */
public final class Async {
  private static final ExecutorService POOL = Executors.newFixedThreadPool(4);

  private Async() {}

  /** Runs {@code task} on the shared pool. */
  public static void run(Runnable task) {
    POOL.execute(task);
  }
}
