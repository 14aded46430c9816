package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.ResultGroup;
import java.util.List;
import java.util.function.Function;

/** {@code UnboundedGroupFanOut}: one concurrent lookup per id, however many ids come in. */
public final class UnboundedGroupFanOutBad {
  /** Loads every user at once: 10,000 ids make 10,000 concurrent lookups. */
  public List<String> users(CancelScope scope, List<String> ids, Function<String, String> load)
      throws InterruptedException {
    try (ResultGroup<String> group = ResultGroup.open(scope)) {
      for (String id : ids) {
        group.go(s -> load.apply(id));
      }
      return group.await();
    }
  }
}
