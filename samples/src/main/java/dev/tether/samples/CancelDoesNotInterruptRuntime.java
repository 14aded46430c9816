package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.ResultGroup;
import java.time.Duration;

/**
 * {@code CancelDoesNotInterrupt}, with Tether's runtime: the rendering runs under a scope that it
 * checks, so cancelling the scope stops it.
 */
public final class CancelDoesNotInterruptRuntime {
  /** Renders {@code pages} pages of a report, and stops with the scope. */
  public String render(CancelScope scope, String request, int pages) throws InterruptedException {
    try (ResultGroup<String> group = ResultGroup.open(scope)) {
      group.go(s -> slowRender(s, request, pages));
      return group.await().get(0); // throws CancellationException once the scope is cancelled
    }
  }

  private static String slowRender(CancelScope scope, String request, int pages)
      throws InterruptedException {
    StringBuilder out = new StringBuilder();
    for (int page = 0; page < pages; page++) {
      scope.sleep(Duration.ofMillis(1)); // a slow page; throws once the scope is cancelled
      out.append(request).append(page);
    }
    return out.toString();
  }
}
