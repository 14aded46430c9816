package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour of Thumbnails.renderAll once TetherMigrations has rewritten its thread per image to
 * a TaskGroup with a limit (MAX_CONCURRENCY, which the rewrite sets to 16).
 */
@Timeout(30)
class ThumbnailsTest {
  private final ExecutorService caller = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    caller.shutdownNow();
  }

  @Test
  void rendersEveryImage() throws InterruptedException {
    Set<String> rendered = ConcurrentHashMap.newKeySet();
    new Thumbnails(rendered::add).renderAll(List.of("a", "b", "c", "d"));
    assertEquals(Set.of("a", "b", "c", "d"), rendered);
  }

  @Test
  void rendersAtMostSixteenAtOnce() throws Exception {
    List<String> images = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      images.add("image-" + i);
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Set<String> rendered = ConcurrentHashMap.newKeySet();
    Thumbnails thumbnails =
        new Thumbnails(
            image -> {
              most.accumulateAndGet(running.incrementAndGet(), Math::max);
              try {
                assertTrue(release.await(20, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
              running.decrementAndGet();
              rendered.add(image);
            });
    Future<?> renderAll =
        caller.submit(
            () -> {
              thumbnails.renderAll(images);
              return null;
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (running.get() < 16 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(200); // time for a seventeenth render to start, if the bound let it
    assertEquals(16, running.get(), "renders running at once, with 40 images");
    release.countDown();
    renderAll.get(20, TimeUnit.SECONDS);
    assertEquals(40, rendered.size());
    assertEquals(16, most.get(), "the most renders that ran at once");
  }

  @Test
  void theFirstFailureReachesTheCallerAndCancelsTheOtherRenders() {
    IllegalStateException corrupt = new IllegalStateException("corrupt image");
    CountDownLatch slowStarted = new CountDownLatch(1);
    AtomicBoolean slowInterrupted = new AtomicBoolean();
    Thumbnails thumbnails =
        new Thumbnails(
            image -> {
              if (image.equals("slow")) {
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
                throw corrupt;
              }
            });
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class, () -> thumbnails.renderAll(List.of("slow", "bad")));
    assertSame(corrupt, thrown, "the render's own exception, not a wrapper");
    assertTrue(slowInterrupted.get(), "the slow render was cancelled (interrupted)");
  }
}
