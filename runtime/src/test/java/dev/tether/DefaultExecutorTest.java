package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Virtual threads by default on JDK 21+, platform threads on 17 to 20 or when asked for. */
@Timeout(30)
class DefaultExecutorTest {
  private static final boolean JDK21 = Runtime.version().feature() >= 21;

  /** {@code thread.isVirtual()} on JDK 21+, false before (the API is compiled for Java 17). */
  static boolean isVirtual(Thread thread) {
    try {
      return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (NoSuchMethodException e) {
      return false;
    } catch (ReflectiveOperationException e) {
      throw new LinkageError("Thread.isVirtual", e);
    }
  }

  private static Thread threadOf(Executor executor) throws Exception {
    FutureTask<Thread> task = new FutureTask<>(Thread::currentThread);
    executor.execute(task);
    return task.get(10, TimeUnit.SECONDS);
  }

  @Test
  void theDefaultIsAVirtualThreadPerTaskOnJdk21AndAPlatformPoolBefore()
      throws InterruptedException {
    assertEquals(JDK21, DefaultExecutor.isVirtual());
    AtomicReference<@Nullable Thread> ran = new AtomicReference<>();
    try (TaskGroup group = TaskGroup.open()) {
      group.go(s -> ran.set(Thread.currentThread()));
      group.await();
    }
    Thread t = java.util.Objects.requireNonNull(ran.get());
    assertEquals(JDK21, isVirtual(t), t.toString());
    assertTrue(t.getName().matches("tether-task-\\d+"), t.getName());
    assertTrue(t.isDaemon());
  }

  @Test
  void theVirtualThreadFactoryExistsExactlyOnJdk21() {
    if (JDK21) {
      assertNotNull(DefaultExecutor.virtualThreadFactory());
    } else {
      assertNull(DefaultExecutor.virtualThreadFactory());
    }
  }

  @Test
  void platformModeIsAPoolOfDaemonPlatformThreads() throws Exception {
    Executor platform = DefaultExecutor.create("platform");
    ThreadPoolExecutor pool = (ThreadPoolExecutor) platform;
    try {
      Thread t = threadOf(platform);
      assertFalse(isVirtual(t));
      assertTrue(t.isDaemon());
      assertTrue(t.getName().matches("tether-task-\\d+"), t.getName());
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void autoModeStartsAVirtualThreadPerTaskOnJdk21() throws Exception {
    Executor auto = DefaultExecutor.create("auto");
    Thread first = threadOf(auto);
    Thread second = threadOf(auto);
    assertEquals(JDK21, isVirtual(first));
    if (JDK21) {
      assertFalse(first == second, "a new thread per task");
    } else {
      ((ThreadPoolExecutor) auto).shutdown();
    }
  }

  @Test
  void cancellationInterruptsAndWakesTasksOnTheDefaultThreads() {
    CountDownLatch started = new CountDownLatch(100);
    IllegalStateException boom = new IllegalStateException("boom");
    try (TaskGroup group = TaskGroup.open()) {
      for (int i = 0; i < 100; i++) {
        group.go(
            s -> {
              started.countDown();
              Thread.sleep(300_000); // only the group's interrupt ends this
            });
      }
      group.go(
          s -> {
            started.await();
            throw boom;
          });
      assertEquals(
          boom,
          org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, group::await));
    }
  }
}
