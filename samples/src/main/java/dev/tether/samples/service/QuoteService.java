package dev.tether.samples.service;

import dev.tether.CancelScope;
import dev.tether.ResultGroup;
import dev.tether.StateOwner;
import dev.tether.TaskGroup;
import dev.tether.Ticker;
import dev.tether.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Quotes a basket of items: asks the price source for each item (at most eight at a time, under the
 * request's deadline), caches prices, refreshes the cache periodically and audits every quote in
 * the background. {@link #close()} stops everything the service started.
 */
public final class QuoteService implements AutoCloseable {
  /** Where prices come from: an asynchronous client, as an HTTP client would be. */
  public interface PriceSource {
    /** Starts fetching the price of {@code item}, in cents. */
    CompletableFuture<Long> price(String item);
  }

  /** Where audit records go. */
  public interface AuditLog {
    /** Writes one record; may block. */
    void write(String record) throws InterruptedException;
  }

  private final PriceSource prices;
  private final CancelScope service;
  private final StateOwner<Map<String, Long>> cache;
  private final WorkerPool<String> audit;
  private final TaskGroup background;

  /** Starts the service under {@code parent} (the application's scope). */
  public QuoteService(CancelScope parent, PriceSource prices, AuditLog log, Duration refresh) {
    this.prices = prices;
    this.service = parent.withCancel();
    this.cache = StateOwner.open(service, new HashMap<>());
    this.audit =
        WorkerPool.<String>open(service, (s, record) -> log.write(record))
            .withLimit(2)
            .withCapacity(256);
    this.background = TaskGroup.open(service);
    background.go(s -> refreshEvery(s, refresh));
  }

  /**
   * Quotes {@code items} for one request: the total in cents. Stops as soon as the request is
   * cancelled, and never waits longer than two seconds.
   */
  public long quote(CancelScope request, List<String> items)
      throws InterruptedException, ExecutionException {
    List<Long> each;
    try (CancelScope scope = request.withTimeout(Duration.ofSeconds(2));
        ResultGroup<Long> group = ResultGroup.<Long>open(scope).withLimit(8)) {
      for (String item : items) {
        group.go(s -> price(s, item));
      }
      each = group.await();
    }
    long total = 0;
    for (long cents : each) {
      total += cents;
    }
    audit.go(items.size() + " items: " + total);
    return total;
  }

  /** One item's price: from the cache, else from the source (then cached). */
  private long price(CancelScope scope, String item)
      throws InterruptedException, ExecutionException {
    Long cached = cache.ask(scope, map -> map.get(item));
    if (cached != null) {
      return cached;
    }
    long fresh = scope.get(prices.price(item));
    cache.tell(scope, map -> map.put(item, fresh));
    return fresh;
  }

  /** Re-fetches every cached price once per {@code period}, until the service closes. */
  private void refreshEvery(CancelScope scope, Duration period)
      throws InterruptedException, ExecutionException {
    try (Ticker ticker = Ticker.open(period)) {
      while (ticker.tick(scope)) {
        List<String> items = cache.ask(scope, map -> new ArrayList<>(map.keySet()));
        for (String item : items) {
          long fresh = scope.get(prices.price(item));
          cache.tell(scope, map -> map.put(item, fresh));
        }
      }
    }
  }

  /** Stops the refresher, the audit workers (dropping queued records) and the cache. */
  @Override
  public void close() {
    try (service;
        cache;
        audit;
        background) {
      service.cancel();
    }
  }
}
