package dev.tether.samples.service;

import dev.tether.CancelScope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Runs the quote service for a few requests, as a server's request loop would. */
public final class QuoteServer {
  private QuoteServer() {}

  /** Serves three requests, each under its own deadline, then shuts the service down. */
  public static void main(String[] args) throws InterruptedException, ExecutionException {
    try (CancelScope app = CancelScope.root().withCancel();
        QuoteService quotes =
            new QuoteService(
                app,
                item -> CompletableFuture.completedFuture((long) item.length() * 100),
                record -> System.out.println("audit: " + record),
                Duration.ofSeconds(30))) {
      for (List<String> basket :
          List.of(List.of("tea", "milk"), List.of("bread"), List.of("jam", "butter", "eggs"))) {
        try (CancelScope request = app.withTimeout(Duration.ofSeconds(5))) {
          System.out.println(basket + " = " + quotes.quote(request, basket));
        }
      }
    }
  }
}
