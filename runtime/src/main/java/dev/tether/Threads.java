package dev.tether;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/** The one place where the runtime makes its own (daemon, platform) threads. */
final class Threads {
  private Threads() {}

  /** Returns a new, unstarted daemon thread named {@code name} that runs {@code body}. */
  static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** Returns a factory of daemon threads named after {@code prefix} and a counter from 1. */
  static ThreadFactory daemonFactory(String prefix) {
    AtomicLong next = new AtomicLong();
    return r -> daemon(prefix + next.incrementAndGet(), r);
  }
}
