package dev.tether.samples;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@code NonAtomicConcurrentMapUpdate}: the same registry, with one atomic call per update. */
public final class NonAtomicConcurrentMapUpdateGood {
  private final ConcurrentMap<String, Integer> hits = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, List<String>> sessions = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> owners = new ConcurrentHashMap<>();
  private final Map<String, Integer> logins = new ConcurrentHashMap<>();
  private final Map<String, String> routes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Class<?>> handlerClasses = new ConcurrentHashMap<>();

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

  /** Counts a login of {@code user} in one atomic call. */
  public void login(String user) {
    logins.merge(user, 1, Integer::sum);
  }

  /**
   * Loads the handler class named {@code name} once, and makes a handler of it. Two racers both
   * load the class and both put it: the very same {@code Class} object, so nothing is lost.
   */
  public Object newHandler(String name) throws ReflectiveOperationException {
    Class<?> type = handlerClasses.get(name);
    if (type == null) {
      type = Class.forName(name);
      handlerClasses.put(name, type);
    }
    return type.getConstructor().newInstance();
  }

  /** Registers {@code path}, refusing duplicates: only one thread's putIfAbsent sees null. */
  public void register(String path, String handler) {
    if (routes.putIfAbsent(path, handler) != null) {
      throw new IllegalStateException("already registered: " + path);
    }
  }
}
