package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.TaskGroup;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code UnboundedFanOut}, with Tether's runtime: a {@link TaskGroup} with a limit runs at most
 * eight sends at once, however many subscribers there are.
 */
public final class UnboundedFanOutRuntime {
  /** How many sends may run at once. */
  public static final int LIMIT = 8;

  /** Sends the event to every subscriber, {@value #LIMIT} at a time, and waits for all of them. */
  public void publish(CancelScope scope, String event, List<Consumer<String>> subscribers)
      throws InterruptedException {
    try (TaskGroup group = TaskGroup.open(scope).withLimit(LIMIT)) {
      for (Consumer<String> subscriber : subscribers) {
        group.go(s -> subscriber.accept(event)); // waits while eight sends are running
      }
      group.await();
    }
  }
}
