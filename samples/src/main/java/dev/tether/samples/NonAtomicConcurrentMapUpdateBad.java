package dev.tether.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** {@code NonAtomicConcurrentMapUpdate}: a shared registry updated with check-then-act. */
public final class NonAtomicConcurrentMapUpdateBad {
  private final ConcurrentMap<String, Integer> hits = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, List<String>> sessions = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> owners = new ConcurrentHashMap<>();
  private final Map<String, Integer> logins = new ConcurrentHashMap<>();
  private final Map<String, String> routes = new ConcurrentHashMap<>();

  /** Counts a hit for {@code page}; two threads can read the same count and lose one hit. */
  public void hit(String page) {
    hits.put(page, hits.getOrDefault(page, 0) + 1);
  }

  /** Records the first owner of {@code resource}; a second thread may overwrite it. */
  public void claim(String resource, String owner) {
    if (!owners.containsKey(resource)) {
      owners.put(resource, owner);
    }
  }

  /** Returns the session list of {@code user}, creating it on first use — sometimes twice. */
  public List<String> sessionsOf(String user) {
    if (sessions.get(user) == null) {
      sessions.put(user, new ArrayList<>());
    }
    return sessions.get(user);
  }

  /** Counts a login of {@code user}; the map is concurrent, the read-then-put is not. */
  public void login(String user) {
    Integer old = logins.get(user);
    logins.put(user, old == null ? 1 : old + 1);
  }

  /** Registers {@code path}, refusing duplicates; two threads can both pass the check. */
  public void register(String path, String handler) {
    if (routes.containsKey(path)) {
      throw new IllegalStateException("already registered: " + path);
    }
    routes.put(path, handler);
  }
}
