package dev.tether.samples;

import dev.tether.TaskGroup;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * {@code TetherMigrations}: the fan-out as the check rewrites it, on the same executor; the first
 * failed upload is rethrown and cancels the others.
 */
public final class TetherMigrationsGood {
  private final ExecutorService executor;

  /** Uploads files on {@code executor}. */
  public TetherMigrationsGood(ExecutorService executor) {
    this.executor = executor;
  }

  /** Uploads every file in parallel; throws the first failure, after cancelling the rest. */
  public void uploadAll(List<String> files) throws InterruptedException {
    // Integer.MAX_VALUE: no limit, as before (the executor bounds the threads).
    try (TaskGroup group = TaskGroup.open().withExecutor(executor).withLimit(Integer.MAX_VALUE)) {
      for (String file : files) {
        group.go(s -> upload(file));
      }
      group.await();
    }
  }

  private static void upload(String file) {
    if (file.isEmpty()) {
      throw new IllegalArgumentException("no file name");
    }
  }
}
