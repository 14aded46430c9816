package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.TaskGroup;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code PermitNotReleasedInFinally}, with Tether's runtime: a {@link TaskGroup} with a limit
 * bounds the sends without hand-written permits, and a failed send frees its slot like any other.
 */
public final class PermitNotReleasedInFinallyRuntime {
  /** How many sends may be in flight. */
  public static final int CONNECTIONS = 10;

  /** Sends every request with at most {@value #CONNECTIONS} in flight; throws the first failure. */
  public void sendAll(CancelScope scope, List<String> requests, Consumer<String> transmit)
      throws InterruptedException {
    try (TaskGroup group = TaskGroup.open(scope).withLimit(CONNECTIONS)) {
      for (String request : requests) {
        group.go(s -> transmit.accept("[" + request + "]"));
      }
      group.await();
    }
  }
}
