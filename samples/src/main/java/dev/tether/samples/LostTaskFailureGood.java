package dev.tether.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** {@code LostTaskFailure}: the same fan-out, rethrowing the first failure of its tasks. */
public final class LostTaskFailureGood {
  private final ExecutorService executor;

  /** Uploads files on {@code executor}. */
  public LostTaskFailureGood(ExecutorService executor) {
    this.executor = executor;
  }

  /** Uploads every file in parallel; throws when an upload failed. */
  public void uploadAll(List<String> files) throws InterruptedException, ExecutionException {
    List<Future<?>> uploads = new ArrayList<>();
    for (String file : files) {
      uploads.add(executor.submit(() -> upload(file)));
    }
    for (Future<?> upload : uploads) {
      upload.get(); // rethrows the task's failure as an ExecutionException
    }
  }

  /** Runs every check; returns whether all passed, and throws when one of them failed. */
  public boolean checkAll(List<Callable<Boolean>> checks)
      throws InterruptedException, ExecutionException {
    boolean passed = true;
    for (Future<Boolean> check : executor.invokeAll(checks)) {
      passed &= check.get();
    }
    return passed;
  }

  private static void upload(String file) {
    if (file.isEmpty()) {
      throw new IllegalArgumentException("no file name");
    }
  }
}
