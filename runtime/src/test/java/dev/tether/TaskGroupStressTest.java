package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of groups with random failures, cancellations and interrupts: no failure is lost, no
 * task outlives its group, nothing hangs.
 */
class TaskGroupStressTest {

  /** An error a task may throw; must win over every exception. */
  static final class TestError extends Error {
    private static final long serialVersionUID = 1L;

    TestError(String message) {
      super(message);
    }
  }

  @Test
  @Timeout(60)
  void randomGroupsLoseNoFailureLeakNoTaskAndNeverHang() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    AtomicInteger running = new AtomicInteger();
    ExecutorService pool =
        new ThreadPoolExecutor(0, 10_000, 1, TimeUnit.SECONDS, new SynchronousQueue<>());
    long budget = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    int groups = 0;
    try {
      while (groups < 3000 && System.nanoTime() < budget) {
        runOneGroup(new Random(random.nextLong()), groups % 2 == 0 ? pool : null, running, seed);
        groups++;
      }
    } finally {
      pool.shutdown();
    }
    System.out.println("stress: " + groups + " groups, seed " + seed);
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "a task outlived its group");
    assertEquals(0, running.get());
    assertTrue(groups >= 100, "too few groups in the time budget: " + groups);
  }

  private static void runOneGroup(
      Random random, @Nullable ExecutorService executor, AtomicInteger running, long seed)
      throws InterruptedException {
    int tasks = 1 + random.nextInt(20);
    int limit = random.nextInt(4); // 0: none
    boolean cancelParent = random.nextInt(5) == 0;
    boolean interruptAwait = random.nextInt(5) == 0;
    // Tasks may block until cancelled only when something is sure to cancel the group.
    boolean failing = false;
    int[] kinds = new int[tasks];
    for (int i = 0; i < tasks; i++) {
      kinds[i] = random.nextInt(8);
      failing |= kinds[i] >= 5;
    }
    // (With a limit, blocked tasks could hold every slot and keep the failing one from starting.)
    boolean mayBlock = cancelParent || interruptAwait || (failing && limit == 0);
    Set<Throwable> thrown = ConcurrentHashMap.newKeySet();
    AtomicReference<@Nullable Throwable> outcome = new AtomicReference<>();
    AtomicInteger runningAfter = new AtomicInteger(-1);
    CancelScope parent = CancelScope.root().withCancel();
    Thread driver =
        new Thread(
            () -> {
              TaskGroup group = TaskGroup.open(parent);
              if (limit > 0) {
                var unused = group.withLimit(limit);
              }
              if (executor != null) {
                var unused = group.withExecutor(executor);
              }
              try {
                for (int i = 0; i < tasks; i++) {
                  int kind = kinds[i];
                  int id = i;
                  group.go(s -> runTask(s, kind, id, mayBlock, thrown, running));
                }
                group.await();
              } catch (Throwable e) {
                outcome.set(e);
              } finally {
                try {
                  group.close(); // throws a failure that await() did not report
                } catch (Throwable e) {
                  if (!outcome.compareAndSet(null, e)) {
                    Objects.requireNonNull(outcome.get()).addSuppressed(e);
                  }
                }
              }
              runningAfter.set(running.get());
            },
            "driver");
    driver.start();
    if (cancelParent || interruptAwait) {
      Thread.sleep(0, random.nextInt(500_000));
      if (cancelParent) {
        parent.cancel();
      }
      if (interruptAwait) {
        driver.interrupt();
      }
    }
    driver.join(20_000);
    if (driver.isAlive()) {
      fail("hang (seed " + seed + "): " + java.util.Arrays.toString(driver.getStackTrace()));
    }
    parent.close();
    assertEquals(0, runningAfter.get(), "task outlived await/close (seed " + seed + ")");
    check(outcome.get(), thrown, seed);
  }

  private static void runTask(
      CancelScope s,
      int kind,
      int id,
      boolean mayBlock,
      Set<Throwable> thrown,
      AtomicInteger running)
      throws Exception {
    running.incrementAndGet();
    try {
      switch (kind) {
        case 0, 1 -> {}
        case 2 -> s.sleep(Duration.ofNanos(100_000));
        case 3 -> s.sleep(mayBlock ? Duration.ofMinutes(5) : Duration.ofNanos(200_000));
        case 4 -> Thread.sleep(mayBlock ? 300_000 : 0, 100_000);
        case 5 -> throw record(thrown, new IllegalStateException("task " + id));
        case 6 -> throw record(thrown, new java.io.IOException("task " + id));
        default -> {
          s.sleep(Duration.ofNanos(50_000));
          throw record(thrown, new TestError("task " + id));
        }
      }
    } catch (CancellationException | InterruptedException e) {
      throw e; // cancellations are not failures
    } finally {
      running.decrementAndGet();
    }
  }

  private static <T extends Throwable> T record(Set<Throwable> thrown, T e) {
    thrown.add(e);
    return e;
  }

  private static void check(@Nullable Throwable outcome, Set<Throwable> thrown, long seed) {
    String where = " (seed " + seed + ")";
    if (thrown.isEmpty()) {
      assertTrue(
          outcome == null
              || outcome instanceof CancellationException
              || outcome instanceof InterruptedException,
          "unexpected " + outcome + where);
      return;
    }
    if (outcome == null) {
      fail("lost failures " + thrown + where);
    }
    Throwable primary = outcome instanceof TaskFailedException ? outcome.getCause() : outcome;
    Set<Throwable> reported = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(primary, reported);
    if (!(outcome instanceof InterruptedException)) {
      assertTrue(thrown.contains(primary), "outcome is no task's failure: " + outcome + where);
    }
    List<Throwable> lost = new ArrayList<>();
    for (Throwable t : thrown) {
      if (!reported.contains(t)) {
        lost.add(t);
      }
    }
    assertTrue(lost.isEmpty(), "lost " + lost + " from " + outcome + where);
    boolean anyError = thrown.stream().anyMatch(t -> t instanceof Error);
    if (anyError) {
      assertInstanceOf(TestError.class, outcome, "an Error must win" + where);
    }
    if (outcome instanceof TaskFailedException) {
      assertNull(outcome.getSuppressed().length == 0 ? null : outcome, "suppressed on wrapper");
    }
    assertFalse(outcome instanceof CancellationException, "failure reported as cancel" + where);
  }

  private static void collect(@Nullable Throwable t, Set<Throwable> into) {
    if (t == null || !into.add(t)) {
      return;
    }
    for (Throwable s : t.getSuppressed()) {
      collect(s, into);
    }
  }
}
