package dev.tether.samples;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code CancelDoesNotInterrupt}: the rendering runs on an executor, so cancel interrupts it. */
public final class CancelDoesNotInterruptGood {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private Future<String> rendering = CompletableFuture.completedFuture("");

  /** Starts rendering a report in the background. */
  public void render(String request) {
    rendering = executor.submit(() -> slowRender(request));
  }

  /** Interrupts the thread that renders; slowRender sees it and stops. */
  public void cancel() {
    rendering.cancel(true);
  }

  /** Stops the executor. */
  public void shutdown() {
    executor.shutdownNow();
  }

  private static String slowRender(String request) {
    StringBuilder out = new StringBuilder();
    for (int page = 0; page < 1_000 && !Thread.currentThread().isInterrupted(); page++) {
      out.append(request).append(page);
    }
    return out.toString();
  }
}
