package dev.tether.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code UntimedWaitInTest}: the same tests, which fail instead of hanging. */
public final class UntimedWaitInTestGood {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  /** Fails after ten seconds if the listener is never called. */
  @Test
  void notifiesListener() throws InterruptedException {
    CountDownLatch called = new CountDownLatch(1);
    executor.execute(called::countDown);
    assertTrue(called.await(10, TimeUnit.SECONDS), "listener not called");
  }

  /** The whole test has a timeout, so the untimed get() cannot hang the build. */
  @Test
  @Timeout(10)
  void computesAnswer() throws Exception {
    Future<Integer> answer = executor.submit(() -> 6 * 7);
    assertEquals(42, answer.get());
  }
}
