package dev.tether.samples;

import java.util.concurrent.CompletableFuture;

/** {@code CancelDoesNotInterrupt}: a cancel button that does not stop the rendering. */
public final class CancelDoesNotInterruptBad {
  private CompletableFuture<String> rendering = CompletableFuture.completedFuture("");

  /** Starts rendering a report in the background. */
  public void render(String request) {
    rendering = CompletableFuture.supplyAsync(() -> slowRender(request));
  }

  /** Completes the future as cancelled; slowRender keeps running to its end. */
  public void cancel() {
    rendering.cancel(true);
  }

  private static String slowRender(String request) {
    StringBuilder out = new StringBuilder();
    for (int page = 0; page < 1_000 && !Thread.currentThread().isInterrupted(); page++) {
      out.append(request).append(page);
    }
    return out.toString();
  }
}
