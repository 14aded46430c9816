package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour of Poller.pollWithPauses, which TetherMigrations does not migrate: what one Ticker
 * would change, and these tests pin, is the pause after a slow poll and the interrupt status.
 */
@Timeout(30)
class PollerTest {
  private static final long PAUSE_MILLIS = 100;

  @Test
  void pausesAFullPeriodAfterEvenASlowPoll() throws Exception {
    List<long[]> polls = new ArrayList<>(); // {start, end} in nanoseconds
    Poller poller =
        new Poller(
            () -> {
              long start = System.nanoTime();
              try {
                Thread.sleep(PAUSE_MILLIS * 3 / 2); // longer than the pause
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
              polls.add(new long[] {start, System.nanoTime()});
            });
    poller.pollWithPauses(3, PAUSE_MILLIS);
    assertEquals(3, polls.size());
    for (int i = 1; i < polls.size(); i++) {
      long pause = polls.get(i)[0] - polls.get(i - 1)[1];
      assertTrue(
          pause >= TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS),
          "pause before poll " + (i + 1) + ": " + TimeUnit.NANOSECONDS.toMillis(pause) + " ms");
    }
  }

  @Test
  void anInterruptedPauseClearsTheInterruptStatus() {
    Thread.currentThread().interrupt();
    try {
      assertThrows(
          InterruptedException.class, () -> new Poller(() -> {}).pollWithPauses(1, PAUSE_MILLIS));
      assertFalse(Thread.currentThread().isInterrupted(), "the interrupt status after the throw");
    } finally {
      Thread.interrupted();
    }
  }
}
