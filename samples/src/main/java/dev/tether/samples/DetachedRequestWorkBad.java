package dev.tether.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@code DetachedRequestWork}: an upload endpoint that answers before the work is done. */
public final class DetachedRequestWorkBad implements HttpHandler {
  private final ExecutorService workers = Executors.newFixedThreadPool(4);

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    // Indexing runs on after the response: nobody learns whether it failed, and it keeps going
    // when the client has gone or the server is shutting down.
    workers.execute(() -> index(body));
    exchange.sendResponseHeaders(204, -1);
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
