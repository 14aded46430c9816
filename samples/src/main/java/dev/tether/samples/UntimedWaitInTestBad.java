package dev.tether.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@code UntimedWaitInTest}: a test that hangs the build when the listener is never called. */
public final class UntimedWaitInTestBad {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  /** Waits for a callback that a bug may never make. */
  @Test
  void notifiesListener() throws InterruptedException {
    CountDownLatch called = new CountDownLatch(1);
    executor.execute(called::countDown);
    called.await();
  }

  /** Waits for a result that a deadlock may never produce. */
  @Test
  void computesAnswer() throws Exception {
    Future<Integer> answer = executor.submit(() -> 6 * 7);
    assertEquals(42, answer.get());
  }
}
