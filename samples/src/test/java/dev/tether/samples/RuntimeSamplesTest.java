package dev.tether.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.CancelScope;
import dev.tether.DeadlineExceededException;
import dev.tether.TaskFailedException;
import dev.tether.TaskGroup;
import dev.tether.testing.DetectThreadLeaks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the {@code <Name>Runtime} samples and shows that they behave as their pages say: they do the
 * work, the first failure is rethrown and cancels the rest (fast, not after the slow tasks), a
 * cancelled scope or a deadline stops them, and no thread outlives a call ({@link
 * DetectThreadLeaks}; surefire runs Tether's tasks on platform threads, which the detector sees).
 * The detector does not count a pooled thread that was alive before the test, so a test of a task
 * that must end also looks at what its thread runs afterwards.
 */
@DetectThreadLeaks
@Timeout(60)
final class RuntimeSamplesTest {
  /** Far longer than any test may take: a task that waits this long was not cancelled. */
  private static final Duration FOREVER = Duration.ofMinutes(5);

  /** A generous bound for "promptly" on a loaded 2-core machine, far below {@link #FOREVER}. */
  private static final long PROMPT_MILLIS = 10_000;

  @Test
  void unownedThreadWarmsEveryCacheBeforeReturning() throws InterruptedException {
    AtomicInteger warmed = new AtomicInteger();
    List<Runnable> caches = Collections.nCopies(5, warmed::incrementAndGet);
    new UnownedThreadRuntime().warmUp(CancelScope.root(), caches);
    assertEquals(5, warmed.get());
  }

  @Test
  void unownedThreadRethrowsTheFirstFailureAndCancelsTheRest() {
    IllegalStateException broken = new IllegalStateException("cache broken");
    Runnable slow = () -> sleepUntilInterrupted(FOREVER);
    Runnable failing =
        () -> {
          throw broken;
        };
    long start = System.nanoTime();
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () -> new UnownedThreadRuntime().warmUp(CancelScope.root(), List.of(slow, failing)));
    assertSame(broken, thrown);
    assertPrompt(start);
  }

  @Test
  void unboundedFanOutRunsAtMostTheLimitAtOnce() throws InterruptedException {
    ConcurrencyMeter meter = new ConcurrencyMeter();
    List<Consumer<String>> subscribers = Collections.nCopies(64, event -> meter.run(5));
    new UnboundedFanOutRuntime().publish(CancelScope.root(), "event", subscribers);
    assertEquals(64, meter.calls.get());
    assertTrue(
        meter.max.get() <= UnboundedFanOutRuntime.LIMIT, "at most 8 at once, saw " + meter.max);
  }

  @Test
  void lostTaskFailureRethrowsTheFirstFailureAndCancelsTheOtherUploads() {
    LostTaskFailureRuntime.Uploader uploader =
        (scope, file) -> {
          if (file.equals("broken")) {
            throw new IOException("upload of " + file + " failed");
          }
          scope.sleep(FOREVER); // a slow upload, until the failure cancels it
        };
    long start = System.nanoTime();
    TaskFailedException thrown =
        assertThrows(
            TaskFailedException.class,
            () ->
                new LostTaskFailureRuntime()
                    .uploadAll(CancelScope.root(), List.of("a", "broken", "b"), uploader));
    assertInstanceOf(IOException.class, thrown.getCause());
    assertPrompt(start);
  }

  @Test
  void lostTaskFailureTurnsAFailedLookupIntoAnError() throws InterruptedException {
    LostTaskFailureRuntime sample = new LostTaskFailureRuntime();
    assertEquals(List.of(1, 2), sample.prices(CancelScope.root(), List.of("a", "bb")));
    assertThrows(
        IllegalArgumentException.class, () -> sample.prices(CancelScope.root(), List.of("a", "")));
  }

  @Test
  void timerInLoopTicksUntilTheScopeEnds() throws InterruptedException {
    AtomicInteger polls = new AtomicInteger();
    long start = System.nanoTime();
    try (CancelScope scope = CancelScope.root().withTimeout(Duration.ofMillis(300))) {
      new TimerInLoopRuntime().pollEvery(scope, Duration.ofMillis(20), polls::incrementAndGet);
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertPrompt(start);
    // Missed ticks are dropped, not caught up in a burst: at most one poll per period that passed
    // (and the first), however late a loaded machine delivers the timeout.
    assertTrue(
        polls.get() >= 2 && polls.get() <= elapsedMillis / 20 + 1,
        "polls: " + polls + " in " + elapsedMillis + " ms");
  }

  @Test
  void timerInLoopChecksumsEveryFile() throws InterruptedException {
    List<List<Callable<Long>>> files =
        List.of(List.of(() -> 1L, () -> 2L), List.of(() -> 3L), List.of());
    assertEquals(
        List.of(3L, 3L, 0L), new TimerInLoopRuntime().checksums(CancelScope.root(), files));
  }

  @Test
  void executorNeverShutDownLooksUpInOrder() throws InterruptedException {
    List<Callable<String>> lookups = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String key = "k" + i;
      lookups.add(() -> key.toUpperCase(java.util.Locale.ROOT));
    }
    List<String> results =
        new ExecutorNeverShutDownRuntime().lookUpAll(CancelScope.root(), lookups);
    assertEquals(20, results.size());
    assertEquals("K0", results.get(0));
    assertEquals("K19", results.get(19));
  }

  @Test
  void executorNeverShutDownHandlesEveryJobWithFourWorkers() throws InterruptedException {
    ConcurrencyMeter meter = new ConcurrencyMeter();
    Queue<String> handled = new ConcurrentLinkedQueue<>();
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      jobs.add("job" + i);
    }
    new ExecutorNeverShutDownRuntime()
        .handleAll(
            CancelScope.root(),
            jobs,
            job -> {
              meter.run(1);
              handled.add(job);
            });
    assertEquals(100, handled.size());
    assertTrue(meter.max.get() <= 4, "at most 4 workers, saw " + meter.max);
  }

  @Test
  void executorNeverShutDownRethrowsAFailedJob() {
    IllegalArgumentException bad = new IllegalArgumentException("bad job");
    RuntimeException thrown =
        assertThrows(
            RuntimeException.class,
            () ->
                new ExecutorNeverShutDownRuntime()
                    .handleAll(
                        CancelScope.root(),
                        List.of("ok", "bad", "ok"),
                        job -> {
                          if (job.equals("bad")) {
                            throw bad;
                          }
                        }));
    // Either await() rethrows the failure, or a go() that comes after it finds the pool cancelled
    // and throws a CancellationException caused by it (close() adds it as suppressed, too).
    assertSame(bad, thrown instanceof CancellationException ? thrown.getCause() : thrown);
  }

  @Test
  void swallowedInterruptWaitsEndWithTheScope() throws InterruptedException {
    SwallowedInterruptRuntime sample = new SwallowedInterruptRuntime();
    sample.send(CancelScope.root(), "hello");
    assertEquals("hello", sample.next(CancelScope.root()));
    long start = System.nanoTime();
    try (CancelScope scope = CancelScope.root().withTimeout(Duration.ofMillis(100))) {
      CancellationException e = assertThrows(CancellationException.class, () -> sample.next(scope));
      assertInstanceOf(DeadlineExceededException.class, e.getCause());
    }
    assertPrompt(start);
  }

  @Test
  void swallowedInterruptKeepsTheInterruptFlag() {
    SwallowedInterruptRuntime sample = new SwallowedInterruptRuntime();
    Thread.currentThread().interrupt();
    try {
      assertThrows(
          InterruptedException.class,
          () -> sample.pause(CancelScope.root(), Duration.ofSeconds(1)));
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag must stay set");
    } finally {
      boolean unused = Thread.interrupted(); // clear it for the next test
    }
  }

  @Test
  void untimedWaitInTestFailsAtTheDeadlineInsteadOfHanging() {
    long start = System.nanoTime();
    CancellationException e =
        assertThrows(
            CancellationException.class,
            () ->
                UntimedWaitInTestRuntime.awaitNotification(Duration.ofMillis(200), listener -> {}));
    assertInstanceOf(DeadlineExceededException.class, e.getCause());
    assertPrompt(start);
  }

  @Test
  void untimedWaitInTestPassesWhenTheListenerIsCalled() throws InterruptedException {
    UntimedWaitInTestRuntime tests = new UntimedWaitInTestRuntime();
    tests.notifiesListener();
    tests.computesAnswers();
  }

  @Test
  void unsynchronizedSharedMutationLosesNothing() throws InterruptedException {
    UnsynchronizedSharedMutationRuntime sample = new UnsynchronizedSharedMutationRuntime();
    assertEquals(
        List.of("a", "b"), sample.cleanNames(CancelScope.root(), List.of(" a ", "  ", "b ")));
    List<String> lines = Collections.nCopies(500, "three little words");
    assertEquals(1500, sample.countWords(CancelScope.root(), lines));
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      words.add(i % 3 == 0 ? "fizz" : "buzz");
    }
    assertEquals(Map.of("fizz", 334, "buzz", 666), sample.histogram(CancelScope.root(), words));
  }

  @Test
  void nonVolatileStopFlagStopsWhenTheScopeIsCancelled() throws InterruptedException {
    NonVolatileStopFlagRuntime sample = new NonVolatileStopFlagRuntime();
    CountDownLatch seen = new CountDownLatch(2);
    long start;
    try (TaskGroup group = TaskGroup.open()) {
      group.go(s -> sample.run(s, message -> seen.countDown()));
      sample.send("a");
      sample.send("b");
      assertTrue(seen.await(10, TimeUnit.SECONDS), "the poller did not handle the messages");
      start = System.nanoTime();
      group.close(); // cancels the poller's scope and waits for it
    }
    assertPrompt(start);
  }

  @Test
  void uncancellableTaskLoopStopsOnClose() throws InterruptedException {
    CountDownLatch seen = new CountDownLatch(3);
    AtomicReference<Thread> pumpThread = new AtomicReference<>();
    long start;
    try (UncancellableTaskLoopRuntime pump =
        new UncancellableTaskLoopRuntime(
            CancelScope.root(),
            event -> {
              pumpThread.set(Thread.currentThread());
              seen.countDown();
            })) {
      for (String event : List.of("a", "b", "c")) {
        pump.publish(CancelScope.root(), event);
      }
      assertTrue(seen.await(10, TimeUnit.SECONDS), "the pump did not handle the events");
      assertTrue(runs(pumpThread.get(), UncancellableTaskLoopRuntime.class), "no pump loop");
      start = System.nanoTime();
    }
    assertPrompt(start);
    // The pump ran on a pooled thread, which the leak detector does not count if an earlier test
    // started it: so look at what that thread runs now. close() returned, so the loop has ended.
    assertFalse(
        runs(pumpThread.get(), UncancellableTaskLoopRuntime.class),
        "the pump loop still runs after close()");
  }

  @Test
  void cancelDoesNotInterruptStopsTheRendering() throws InterruptedException {
    CancelDoesNotInterruptRuntime sample = new CancelDoesNotInterruptRuntime();
    assertEquals("r0r1r2", sample.render(CancelScope.root(), "r", 3));
    long start = System.nanoTime();
    try (CancelScope scope = CancelScope.root().withTimeout(Duration.ofMillis(100))) {
      // A million 1 ms pages would take over 15 minutes: the deadline stops it.
      assertThrows(CancellationException.class, () -> sample.render(scope, "r", 1_000_000));
    }
    assertPrompt(start);
  }

  @Test
  void detachedRequestWorkIsDoneBeforeTheRequestEnds() throws InterruptedException {
    AtomicBoolean indexed = new AtomicBoolean();
    DetachedRequestWorkRuntime quick =
        new DetachedRequestWorkRuntime((s, doc) -> indexed.set(true), Duration.ofSeconds(10));
    quick.process(CancelScope.root(), new byte[] {1});
    assertTrue(indexed.get(), "the work must be done when process returns");

    DetachedRequestWorkRuntime slow =
        new DetachedRequestWorkRuntime((s, doc) -> s.sleep(FOREVER), Duration.ofSeconds(10));
    long start = System.nanoTime();
    try (CancelScope request = CancelScope.root().withTimeout(Duration.ofMillis(100))) {
      CancellationException e =
          assertThrows(CancellationException.class, () -> slow.process(request, new byte[] {1}));
      assertInstanceOf(DeadlineExceededException.class, e.getCause());
    }
    assertPrompt(start);
  }

  @Test
  void executorSelfDeadlockCompletesWithOneSlot() throws InterruptedException {
    assertEquals(
        "audited e, handled e", new ExecutorSelfDeadlockRuntime().handle(CancelScope.root(), "e"));
  }

  @Test
  void permitNotReleasedInFinallyKeepsItsBoundAfterAFailure() throws InterruptedException {
    PermitNotReleasedInFinallyRuntime sample = new PermitNotReleasedInFinallyRuntime();
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      requests.add("r" + i);
    }
    assertThrows(
        IllegalStateException.class,
        () ->
            sample.sendAll(
                CancelScope.root(),
                requests,
                r -> {
                  throw new IllegalStateException("send failed: " + r);
                }));
    ConcurrencyMeter meter = new ConcurrencyMeter();
    sample.sendAll(CancelScope.root(), requests, r -> meter.run(2));
    assertEquals(50, meter.calls.get());
    assertTrue(
        meter.max.get() <= PermitNotReleasedInFinallyRuntime.CONNECTIONS,
        "at most 10 in flight, saw " + meter.max);
  }

  /** True if {@code thread} is running code of {@code type} (a method or one of its lambdas). */
  private static boolean runs(Thread thread, Class<?> type) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals(type.getName())) {
        return true;
      }
    }
    return false;
  }

  private static void assertPrompt(long startNanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    assertTrue(millis < PROMPT_MILLIS, "took " + millis + " ms: it was not cancelled promptly");
  }

  /** Sleeps, ending early (with the interrupt flag restored) when the thread is interrupted. */
  private static void sleepUntilInterrupted(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts calls and the largest number of them that ran at once. */
  private static final class ConcurrencyMeter {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();

    void run(long millis) {
      calls.incrementAndGet();
      int now = running.incrementAndGet();
      max.accumulateAndGet(now, Math::max);
      try {
        sleepUntilInterrupted(Duration.ofMillis(millis));
      } finally {
        running.decrementAndGet();
      }
    }
  }
}
