package dev.tether.samples;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;

/**
 * {@code TetherMigrations}: an executor-and-latch fan-out in the one shape the check rewrites to a
 * {@code TaskGroup} (offered only with {@code -Xep:TetherMigrations} and the runtime on the class
 * path).
 */
public final class TetherMigrationsBad {
  private final ExecutorService executor;

  /** Uploads files on {@code executor}. */
  public TetherMigrationsBad(ExecutorService executor) {
    this.executor = executor;
  }

  /** Uploads every file in parallel, and returns normally even when an upload threw. */
  public void uploadAll(List<String> files) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(files.size());
    for (String file : files) {
      executor.execute(
          () -> {
            try {
              upload(file);
            } finally {
              done.countDown();
            }
          });
    }
    done.await();
  }

  private static void upload(String file) {
    if (file.isEmpty()) {
      throw new IllegalArgumentException("no file name");
    }
  }
}
