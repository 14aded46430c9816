package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.ResultGroup;
import java.util.List;

/**
 * {@code ExecutorSelfDeadlock}, with Tether's runtime: the audit and the handling are two tasks of
 * one group, awaited by its owner from outside, so no task waits for a thread it occupies.
 */
public final class ExecutorSelfDeadlockRuntime {
  /** Audits and handles the event concurrently, and returns both results. */
  public String handle(CancelScope scope, String event) throws InterruptedException {
    try (ResultGroup<String> group = ResultGroup.<String>open(scope).withLimit(1)) {
      group.go(s -> "audited " + event);
      group.go(s -> "handled " + event);
      List<String> results = group.await();
      return String.join(", ", results);
    }
  }
}
