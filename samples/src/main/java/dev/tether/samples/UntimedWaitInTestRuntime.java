package dev.tether.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.CancelScope;
import dev.tether.ResultGroup;
import dev.tether.TaskGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@code UntimedWaitInTest}, with Tether's runtime: each test runs under a scope with a deadline,
 * so a wait that never ends fails the test (a {@code CancellationException} caused by a {@code
 * DeadlineExceededException}) instead of hanging the build.
 */
public final class UntimedWaitInTestRuntime {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void notifiesListener() throws InterruptedException {
    awaitNotification(TIMEOUT, Runnable::run);
  }

  @Test
  void computesAnswers() throws InterruptedException {
    try (CancelScope test = CancelScope.root().withTimeout(TIMEOUT);
        ResultGroup<Integer> group = ResultGroup.open(test)) {
      group.go(s -> 6 * 7);
      group.go(s -> 7 * 6);
      assertEquals(List.of(42, 42), group.await());
    }
  }

  /**
   * Registers a listener with {@code subscribe} and waits until it is called, failing once {@code
   * timeout} has passed.
   */
  static void awaitNotification(Duration timeout, Consumer<Runnable> subscribe)
      throws InterruptedException {
    CountDownLatch called = new CountDownLatch(1);
    try (CancelScope test = CancelScope.root().withTimeout(timeout);
        TaskGroup group = TaskGroup.open(test)) {
      group.go(s -> subscribe.accept(called::countDown));
      test.waitFor(called); // throws CancellationException at the deadline
      group.await();
    }
  }
}
