package com.example;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Uploads files in parallel on an executor the caller owns. */
public final class Uploads {
  private final ExecutorService executor;
  private final Consumer<String> uploader;

  public Uploads(ExecutorService executor, Consumer<String> uploader) {
    this.executor = executor;
    this.uploader = uploader;
  }

  /** Uploads every file; TetherMigrations rewrites this fan-out to a TaskGroup. */
  public void uploadAll(List<String> files) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(files.size());
    for (String file : files) {
      executor.execute(
          () -> {
            try {
              uploader.accept(file);
            } finally {
              done.countDown();
            }
          });
    }
    done.await();
  }

  /** Uploads every file, waiting at most {@code limit}: a timed wait, which stays as it is. */
  public boolean uploadAllWithin(List<String> files, Duration limit) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(files.size());
    for (String file : files) {
      executor.execute(
          () -> {
            try {
              uploader.accept(file);
            } finally {
              done.countDown();
            }
          });
    }
    return done.await(limit.toMillis(), TimeUnit.MILLISECONDS);
  }
}
