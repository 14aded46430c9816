package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The behaviour of Uploads.uploadAll once TetherMigrations has rewritten it to a TaskGroup. */
@Timeout(30)
class UploadsTest {
  private final ExecutorService executor =
      Executors.newFixedThreadPool(2, r -> new Thread(r, "uploader"));

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void uploadsEveryFileOnTheCallersExecutor() throws InterruptedException {
    Set<String> uploaded = ConcurrentHashMap.newKeySet();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    new Uploads(
            executor,
            file -> {
              uploaded.add(file);
              threads.add(Thread.currentThread().getName());
            })
        .uploadAll(List.of("a", "b", "c", "d"));
    assertEquals(Set.of("a", "b", "c", "d"), uploaded);
    assertEquals(Set.of("uploader"), threads, "the tasks still run on the executor's threads");
  }

  @Test
  void theFirstFailureReachesTheCallerAndCancelsTheOtherUploads() {
    IllegalStateException diskFull = new IllegalStateException("disk full");
    CountDownLatch slowStarted = new CountDownLatch(1);
    AtomicBoolean slowInterrupted = new AtomicBoolean();
    Uploads uploads =
        new Uploads(
            executor,
            file -> {
              if (file.equals("slow")) {
                slowStarted.countDown();
                try {
                  Thread.sleep(60_000);
                } catch (InterruptedException e) {
                  slowInterrupted.set(true);
                  Thread.currentThread().interrupt();
                }
              } else {
                try {
                  assertTrue(slowStarted.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                throw diskFull;
              }
            });
    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> uploads.uploadAll(List.of("slow", "bad")));
    assertSame(diskFull, thrown, "the task's own exception, not a wrapper");
    assertTrue(slowInterrupted.get(), "the slow upload was cancelled (interrupted)");
  }
}
