package dev.tether.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code DetachedRequestWork}: the same endpoint, answering once the work is done. */
public final class DetachedRequestWorkGood implements HttpHandler {
  private final ExecutorService workers = Executors.newFixedThreadPool(4);

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Future<?> indexing = workers.submit(() -> index(body));
    int status;
    try {
      indexing.get(5, TimeUnit.SECONDS);
      status = 204;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      indexing.cancel(true);
      status = 503;
    } catch (ExecutionException e) {
      status = 500;
    } catch (TimeoutException e) {
      indexing.cancel(true);
      status = 504;
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private static void index(byte[] document) {
    System.out.println("indexed " + document.length + " bytes");
  }

  /** Stops the workers. */
  public void close() {
    workers.shutdown();
  }
}
