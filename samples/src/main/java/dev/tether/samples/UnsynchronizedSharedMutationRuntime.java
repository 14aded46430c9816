package dev.tether.samples;

import dev.tether.CancelScope;
import dev.tether.Channel;
import dev.tether.ResultGroup;
import dev.tether.StateOwner;
import dev.tether.TaskGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code UnsynchronizedSharedMutation}, with Tether's runtime: tasks return their results to a
 * {@link ResultGroup}, send them over a {@link Channel}, or hand mutations to the one thread that
 * owns the state ({@link StateOwner}), instead of writing a shared collection.
 */
public final class UnsynchronizedSharedMutationRuntime {
  /** Returns the trimmed, non-empty names, in order: each task returns its own result. */
  public List<String> cleanNames(CancelScope scope, List<String> raw) throws InterruptedException {
    try (ResultGroup<String> group = ResultGroup.<String>open(scope).withLimit(8)) {
      for (String name : raw) {
        group.go(s -> name.trim());
      }
      return group.await().stream().filter(s -> !s.isEmpty()).toList();
    }
  }

  /** Counts the words in {@code lines}: one task per line sends its count to the summing loop. */
  public long countWords(CancelScope scope, List<String> lines) throws InterruptedException {
    Channel<Integer> counts = Channel.open(16);
    try (TaskGroup group = TaskGroup.open(scope)) {
      group.go(
          s -> {
            try (TaskGroup counters = TaskGroup.open(s).withLimit(8);
                Channel.Sender<Integer> out = counts.sender()) { // closed when every line is sent
              for (String line : lines) {
                counters.go(c -> out.send(c, line.split("\\s+").length));
              }
              counters.await();
            }
          });
      long words = 0;
      for (Integer n : counts.receiver().values(group.scope())) { // ends when closed and drained
        words += n;
      }
      group.await();
      return words;
    }
  }

  /** Counts each word of {@code words}; the map is only ever touched by its owner thread. */
  public Map<String, Integer> histogram(CancelScope scope, List<String> words)
      throws InterruptedException {
    try (StateOwner<Map<String, Integer>> counts = StateOwner.open(scope, new HashMap<>());
        TaskGroup group = TaskGroup.open(scope).withLimit(8)) {
      for (String word : words) {
        group.go(s -> counts.tell(s, m -> m.merge(word, 1, Integer::sum)));
      }
      group.await();
      return counts.ask(scope, Map::copyOf);
    }
  }
}
