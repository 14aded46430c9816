package dev.tether.samples;

import java.util.ArrayList;
import java.util.List;

/** {@code UnsynchronizedSharedMutation}: a parallel stream that adds to one shared list. */
public final class UnsynchronizedSharedMutationBad {
  private UnsynchronizedSharedMutationBad() {}

  /** Returns the trimmed, non-empty names — except that some go missing, or the list breaks. */
  public static List<String> cleanNames(List<String> raw) {
    List<String> names = new ArrayList<>();
    raw.parallelStream().map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
    return names;
  }

  /** Counts the words in {@code lines}; parallel updates of one array slot lose counts. */
  public static long countWords(List<String> lines) {
    long[] words = {0};
    lines.stream().parallel().forEach(line -> words[0] += line.split("\\s+").length);
    return words[0];
  }
}
