package dev.tether.samples;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@code NonAtomicConcurrentMapUpdate}: the same registry, with one atomic call per update. */
public final class NonAtomicConcurrentMapUpdateGood {
  private final ConcurrentMap<String, Integer> hits = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, List<String>> sessions = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> owners = new ConcurrentHashMap<>();

  /** Counts a hit for {@code page}. */
  public void hit(String page) {
    hits.merge(page, 1, Integer::sum);
  }

  /** Records the first owner of {@code resource}; returns whether this caller got it. */
  public boolean claim(String resource, String owner) {
    return owners.putIfAbsent(resource, owner) == null;
  }

  /** Returns the session list of {@code user}, created exactly once. */
  public List<String> sessionsOf(String user) {
    return sessions.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>());
  }
}
