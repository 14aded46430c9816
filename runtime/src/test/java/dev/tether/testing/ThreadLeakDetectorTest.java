package dev.tether.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.tether.TaskGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

@Timeout(60)
class ThreadLeakDetectorTest {

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.start();
    return t;
  }

  @Test
  void reportsALeakedThreadWithItsStack() throws InterruptedException {
    ThreadLeakDetector.Snapshot snapshot =
        ThreadLeakDetector.create().withLinger(Duration.ofMillis(20)).snapshot();
    CountDownLatch stop = new CountDownLatch(1);
    Thread leaky = start("leaky-worker", () -> awaitQuietly(stop));
    try {
      assertEquals(List.of(leaky), snapshot.leakedThreads());
      AssertionError e = assertThrows(AssertionError.class, snapshot::assertNoLeaks);
      assertTrue(e.getMessage().startsWith("1 thread leaked"), e.getMessage());
      assertTrue(e.getMessage().contains("\"leaky-worker\""), e.getMessage());
      assertTrue(e.getMessage().contains("awaitQuietly"), "lists the stack: " + e.getMessage());
    } finally {
      stop.countDown();
      leaky.join();
    }
    snapshot.assertNoLeaks();
  }

  @Test
  void waitsForThreadsThatAreEnding() throws InterruptedException {
    ThreadLeakDetector.Snapshot snapshot =
        ThreadLeakDetector.create().withLinger(Duration.ofSeconds(20)).snapshot();
    CountDownLatch started = new CountDownLatch(1);
    start(
        "ending-soon",
        () -> {
          started.countDown();
          try {
            Thread.sleep(30);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    started.await();
    snapshot.assertNoLeaks(); // retries with backoff until the thread has ended
  }

  @Test
  void ignoresOlderThreadsAndIgnoredNames() throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Thread older = start("older", () -> awaitQuietly(stop));
    try {
      ThreadLeakDetector.Snapshot snapshot =
          ThreadLeakDetector.create().ignoring("ignored-.*").withLinger(Duration.ZERO).snapshot();
      Thread ignored = start("ignored-1", () -> awaitQuietly(stop));
      snapshot.assertNoLeaks();
      stop.countDown();
      ignored.join();
    } finally {
      stop.countDown();
      older.join();
    }
  }

  @Test
  void checksTheThreadsOfATrackedFactory() throws InterruptedException {
    ThreadLeakDetector.Snapshot snapshot =
        ThreadLeakDetector.create().ignoring("tracked").withLinger(Duration.ZERO).snapshot();
    // The name is ignored, as a virtual thread would be invisible: only tracking finds it.
    ThreadFactory factory = snapshot.tracking(r -> new Thread(r, "tracked"));
    CountDownLatch stop = new CountDownLatch(1);
    Thread t = factory.newThread(() -> awaitQuietly(stop));
    t.start();
    try {
      assertEquals(List.of(), snapshot.leakedThreads(), "visible and ignored by name");
    } finally {
      stop.countDown();
      t.join();
    }
    snapshot.assertNoLeaks();
  }

  @Test
  void idleThreadsOfTheSharedTaskPoolAreNotLeaks() throws InterruptedException {
    ThreadLeakDetector.Snapshot snapshot = ThreadLeakDetector.create().snapshot();
    try (TaskGroup group = TaskGroup.open()) {
      for (int i = 0; i < 8; i++) {
        group.go(s -> s.sleep(Duration.ofMillis(5)));
      }
      group.await();
    }
    snapshot.assertNoLeaks();
  }

  @Test
  void interruptedCheckKeepsTheFlag() throws InterruptedException {
    ThreadLeakDetector.Snapshot snapshot =
        ThreadLeakDetector.create().withLinger(Duration.ofSeconds(10)).snapshot();
    CountDownLatch stop = new CountDownLatch(1);
    Thread leaky = start("leaky", () -> awaitQuietly(stop));
    try {
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, snapshot::leakedThreads);
      assertTrue(Thread.interrupted(), "the interrupt status stays set");
    } finally {
      stop.countDown();
      leaky.join();
    }
  }

  /** Run only by {@link #extensionFailsALeakingTestAndPassesACleanOne()}. */
  @DetectThreadLeaks(lingerMillis = 20)
  static class Fixture {
    static volatile boolean armed;
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Test
    void leaks() {
      if (armed) {
        start("fixture-leak", () -> awaitQuietly(RELEASE));
      }
    }

    @Test
    void joinsItsThread() throws InterruptedException {
      start("fixture-clean", () -> {}).join();
    }
  }

  @Test
  void extensionFailsALeakingTestAndPassesACleanOne() throws InterruptedException {
    Fixture.armed = true;
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    try {
      LauncherDiscoveryRequest request =
          LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Fixture.class)).build();
      LauncherFactory.create().execute(request, listener);
    } finally {
      Fixture.armed = false;
      Fixture.RELEASE.countDown();
    }
    TestExecutionSummary summary = listener.getSummary();
    assertEquals(2, summary.getTestsFoundCount());
    assertEquals(1, summary.getTestsSucceededCount());
    assertEquals(1, summary.getTestsFailedCount());
    Throwable failure = summary.getFailures().get(0).getException();
    assertTrue(failure instanceof AssertionError, String.valueOf(failure));
    assertTrue(failure.getMessage().contains("\"fixture-leak\""), failure.getMessage());
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("fixture-leak")) {
        t.join();
      }
    }
  }

  private static TestExecutionSummary run(Class<?> fixture) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build();
    LauncherFactory.create().execute(request, listener);
    return listener.getSummary();
  }

  /** Run only by {@link #theCheckRunsAfterAfterEach()}. */
  @DetectThreadLeaks(lingerMillis = 20)
  static class AfterEachFixture {
    static volatile boolean armed;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Thread thread;

    @Test
    void startsAThreadThatAfterEachStops() {
      if (armed) {
        thread = start("after-each-fixture", () -> awaitQuietly(stop));
      }
    }

    @AfterEach
    void stopIt() throws InterruptedException {
      Thread t = thread;
      if (t != null) {
        stop.countDown();
        t.join();
      }
    }
  }

  /** "The check runs after the {@code @AfterEach} methods" (DetectThreadLeaks). */
  @Test
  void theCheckRunsAfterAfterEach() {
    AfterEachFixture.armed = true;
    TestExecutionSummary summary;
    try {
      summary = run(AfterEachFixture.class);
    } finally {
      AfterEachFixture.armed = false;
    }
    assertEquals(1, summary.getTestsSucceededCount(), String.valueOf(summary.getFailures()));
    assertEquals(0, summary.getTotalFailureCount());
  }

  /** Run only by {@link #perClassChecksOnceAroundTheWholeClass()}. */
  @DetectThreadLeaks(perClass = true, lingerMillis = 20)
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class PerClassFixture {
    static volatile boolean armed;
    static volatile boolean leaveItRunning;
    static volatile CountDownLatch stop = new CountDownLatch(1);
    static volatile Thread started;

    @Test
    void a_startsAThread() {
      if (armed) {
        CountDownLatch latch = stop;
        started = start("per-class-fixture", () -> awaitQuietly(latch));
      }
    }

    @Test
    void b_stopsIt() throws InterruptedException {
      if (armed && !leaveItRunning) {
        stop.countDown();
        started.join();
      }
    }
  }

  /** {@code perClass}: a thread one test starts and another stops is no leak; one left is. */
  @Test
  void perClassChecksOnceAroundTheWholeClass() throws InterruptedException {
    PerClassFixture.armed = true;
    try {
      PerClassFixture.leaveItRunning = false;
      PerClassFixture.stop = new CountDownLatch(1);
      TestExecutionSummary clean = run(PerClassFixture.class);
      assertEquals(2, clean.getTestsSucceededCount(), String.valueOf(clean.getFailures()));
      assertEquals(0, clean.getTotalFailureCount(), String.valueOf(clean.getFailures()));

      PerClassFixture.leaveItRunning = true;
      PerClassFixture.stop = new CountDownLatch(1);
      TestExecutionSummary leaky;
      try {
        leaky = run(PerClassFixture.class);
      } finally {
        PerClassFixture.stop.countDown();
        PerClassFixture.started.join();
      }
      assertEquals(2, leaky.getTestsSucceededCount(), "each test passes; the class fails");
      assertEquals(1, leaky.getContainersFailedCount());
      Throwable failure = leaky.getFailures().get(0).getException();
      assertTrue(failure.getMessage().contains("\"per-class-fixture\""), failure.getMessage());
    } finally {
      PerClassFixture.armed = false;
    }
  }
}
