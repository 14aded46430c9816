package dev.tether.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tether.CancelScope;
import dev.tether.TaskGroup;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * {@code DetachedRequestWork}, with Tether's runtime: each request gets a scope with its deadline,
 * the work runs in a task group owned by that scope, and the handler answers once it is done.
 */
public final class DetachedRequestWorkRuntime implements HttpHandler {
  /** Indexes one document; should stop when {@code scope} is cancelled. */
  @FunctionalInterface
  public interface Indexer {
    /** Indexes {@code document}. */
    void index(CancelScope scope, byte[] document) throws Exception;
  }

  private final Indexer indexer;
  private final Duration deadline;

  /** Answers each upload once {@code indexer} is done, or fails it after {@code deadline}. */
  public DetachedRequestWorkRuntime(Indexer indexer, Duration deadline) {
    this.indexer = indexer;
    this.deadline = deadline;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      try (CancelScope request = CancelScope.root().withTimeout(deadline)) {
        process(request, body);
        exchange.sendResponseHeaders(204, -1);
      } catch (CancellationException e) { // the deadline passed: the work was cancelled
        exchange.sendResponseHeaders(503, -1);
      } catch (RuntimeException e) { // the work failed
        exchange.sendResponseHeaders(500, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(503, -1);
      }
    }
  }

  /** Runs the request's work under {@code request}, and returns once all of it is done. */
  public void process(CancelScope request, byte[] body) throws InterruptedException {
    try (TaskGroup group = TaskGroup.open(request)) {
      group.go(s -> indexer.index(s, body));
      group.await(); // the deadline cancels the indexing and is rethrown here
    }
  }
}
