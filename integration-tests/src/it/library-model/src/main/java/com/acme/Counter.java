package com.acme;

import java.util.List;

/** Counts on the pool's threads through the wrapper, with no lock: a data race. */
public final class Counter {
  private int count;

  /** Counts every item on the shared pool. */
  public void countAll(List<String> items) {
    for (String item : items) {
      Async.run(() -> count++);
    }
  }

  /** The count so far. */
  public int count() {
    return count;
  }
}
