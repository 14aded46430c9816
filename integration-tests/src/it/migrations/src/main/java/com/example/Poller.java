package com.example;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Polls a source with a pause after every poll, made by a new scheduler each time. */
public final class Poller {
  private final Runnable source;

  public Poller(Runnable source) {
    this.source = source;
  }

  /**
   * Polls {@code times} times, pausing {@code pauseMillis} after every poll (TimerInLoop reports
   * the scheduler per pause). TetherMigrations leaves it alone: one Ticker would poll on a
   * fixed-rate grid, with no pause after a slow poll, and leave the interrupt status set.
   */
  public void pollWithPauses(int times, long pauseMillis)
      throws InterruptedException, ExecutionException {
    for (int i = 0; i < times; i++) {
      source.run();
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
      try {
        timer.schedule(() -> {}, pauseMillis, TimeUnit.MILLISECONDS).get();
      } finally {
        timer.shutdown();
      }
    }
  }
}
