package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.ResultGroup;
import java.util.List;
import java.util.function.Function;

/** {@code UnboundedGroupFanOut}: the same lookups, sixteen at a time. */
public final class UnboundedGroupFanOutGood {
  /** Loads every user, at most sixteen at a time; results come back in the order of the ids. */
  public List<String> users(CancelScope scope, List<String> ids, Function<String, String> load)
      throws InterruptedException {
    try (ResultGroup<String> group = ResultGroup.<String>open(scope).withLimit(16)) {
      for (String id : ids) {
        group.go(s -> load.apply(id));
      }
      return group.await();
    }
  }
}
