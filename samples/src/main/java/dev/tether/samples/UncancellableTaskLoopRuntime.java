package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.Channel;
import dev.tether.TaskGroup;
import java.util.function.Consumer;

/**
 * {@code UncancellableTaskLoop}, with Tether's runtime: the pump reads a {@link Channel} through
 * its group's scope, so it ends when the channel is closed or the group is cancelled.
 */
public final class UncancellableTaskLoopRuntime implements AutoCloseable {
  private final Channel<String> events = Channel.open(64);
  private final TaskGroup group;

  /** Starts handing events to {@code handler} as they arrive. */
  public UncancellableTaskLoopRuntime(CancelScope scope, Consumer<String> handler) {
    this.group = TaskGroup.open(scope);
    group.go(
        s -> {
          for (String event : events.receiver().values(s)) { // stops when s is cancelled
            handler.accept(event);
          }
        });
  }

  /** Queues an event; waits while 64 events wait. */
  public void publish(CancelScope scope, String event) throws InterruptedException {
    events.sender().send(scope, event);
  }

  /** Stops the pump: cancels it, waits for it, and throws the first failure of the handler. */
  @Override
  public void close() {
    group.close();
  }
}
