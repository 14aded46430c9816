package dev.tether;

import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The one thread, {@code tether-ticker}, that runs the actions of {@link Ticker#open(CancelScope,
 * java.time.Duration, Runnable)}: a binary heap of entries ordered by due time. Rescheduling an
 * entry moves it in the heap, so a tick allocates nothing.
 */
final class TickScheduler implements Runnable {
  static final TickScheduler SHARED = new TickScheduler("tether-ticker");

  private final String threadName;

  /**
   * Fair: at a period of a nanosecond this thread takes the lock again as soon as it lets it go,
   * and a barging lock would starve a thread that cancels or schedules an entry.
   */
  private final ReentrantLock lock = new ReentrantLock(true);

  /** Signalled when the running action returns. */
  private final Condition actionDone = lock.newCondition();

  // Guarded by lock.
  private Entry[] heap = new Entry[16];
  private int size;
  private @Nullable Thread thread;

  /** The entry whose action is running; guarded by lock. */
  private @Nullable Entry running;

  TickScheduler(String threadName) {
    this.threadName = threadName;
  }

  /** One scheduled action; its fields are guarded by the scheduler's lock. */
  static final class Entry {
    final CancelScope scope;
    final Runnable action;
    final long origin;
    final long period;
    long next = 1;
    long due;
    int index = -1;
    boolean cancelled;

    Entry(CancelScope scope, Runnable action, long origin, long period) {
      this.scope = scope;
      this.action = action;
      this.origin = origin;
      this.period = period;
      this.due = Ticker.dueTime(origin, period, 1);
    }
  }

  void schedule(CancelScope scope, long period, Runnable action) {
    Entry e = new Entry(scope, action, System.nanoTime(), period);
    // Registered before the entry is pushed: a scope cancelled first (or meanwhile) marks the
    // entry cancelled, and a cancelled entry is never pushed, so no action of it ever starts.
    var unused = scope.onCancel(() -> cancel(e)); // at once if already cancelled
    Thread wake;
    lock.lock();
    try {
      if (e.cancelled) {
        return;
      }
      push(e);
      wake = e.index == 0 ? startOrGet() : null;
    } finally {
      lock.unlock();
    }
    if (wake != null) {
      LockSupport.unpark(wake);
    }
  }

  /**
   * Removes {@code e}, and waits for its action if it is running: an entry leaves the heap and
   * becomes {@link #running} under the lock, so once this returns its action neither starts nor
   * runs. An action that cancels a scope runs on this scheduler's thread, which does not wait for
   * itself.
   */
  private void cancel(Entry e) {
    lock.lock();
    try {
      e.cancelled = true;
      if (e.index >= 0) {
        removeAt(e.index);
      }
      if (Thread.currentThread() != thread) {
        while (running == e) {
          actionDone.awaitUninterruptibly();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many entries are scheduled; for tests. */
  int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  private Thread startOrGet() {
    Thread t = thread;
    if (t == null) {
      t = Threads.daemon(threadName, this);
      thread = t;
      t.start();
    }
    return t;
  }

  @Override
  public void run() {
    while (true) {
      Entry due = null;
      long wait = 0;
      lock.lock();
      try {
        if (size == 0) {
          wait = -1;
        } else {
          Entry head = heap[0];
          long now = System.nanoTime();
          wait = head.due - now;
          if (wait <= 0) {
            removeAt(0);
            head.next = Ticker.indexAfter(head.origin, head.period, now);
            due = head;
            running = head; // from now on, cancelling the entry waits for its action
          }
        }
      } finally {
        lock.unlock();
      }
      if (due != null) {
        runAndReschedule(due);
      } else {
        if (wait < 0) {
          LockSupport.park(this);
        } else {
          LockSupport.parkNanos(this, wait);
        }
        // This thread belongs to the runtime and runs no caller's code between ticks: an interrupt
        // means nothing to it, and would turn every park into a spin.
        var ignored = Thread.interrupted();
      }
    }
  }

  private void runAndReschedule(Entry e) {
    try {
      e.action.run();
    } catch (Throwable failure) {
      try {
        e.scope.cancel(failure); // removes the entry through its callback
      } catch (Throwable callbackFailure) {
        failure.addSuppressed(callbackFailure);
      }
    }
    var unused = Thread.interrupted(); // an action's interrupt must not outlive it
    lock.lock();
    try {
      running = null;
      actionDone.signalAll();
      if (!e.cancelled) {
        e.due = Ticker.dueTime(e.origin, e.period, e.next);
        push(e);
      }
    } finally {
      lock.unlock();
    }
  }

  // Binary min-heap on Entry.due; every entry knows its index.

  private void push(Entry e) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    e.index = size;
    heap[size++] = e;
    siftUp(e.index);
  }

  private void removeAt(int i) {
    Entry removed = heap[i];
    removed.index = -1;
    int last = --size;
    if (i != last) {
      Entry moved = heap[last];
      heap[i] = moved;
      moved.index = i;
      heap[last] = null;
      siftDown(i);
      if (moved.index == i) {
        siftUp(i);
      }
    } else {
      heap[last] = null;
    }
  }

  private void siftUp(int i) {
    Entry e = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Entry p = heap[parent];
      if (e.due - p.due >= 0) {
        break;
      }
      heap[i] = p;
      p.index = i;
      i = parent;
    }
    heap[i] = e;
    e.index = i;
  }

  private void siftDown(int i) {
    Entry e = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      Entry c = heap[child];
      int right = child + 1;
      if (right < size && heap[right].due - c.due < 0) {
        child = right;
        c = heap[child];
      }
      if (e.due - c.due <= 0) {
        break;
      }
      heap[i] = c;
      c.index = i;
      i = child;
    }
    heap[i] = e;
    e.index = i;
  }
}
