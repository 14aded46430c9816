package dev.tether;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Periodic ticks on a fixed-rate grid, without a thread per ticker and without allocating per tick:
 * Go's {@code time.Ticker} with the context built in.
 *
 * <pre>{@code
 * try (Ticker ticker = Ticker.open(Duration.ofSeconds(1))) {
 *   while (ticker.tick(scope)) { // false once the scope is cancelled
 *     poll();
 *   }
 * }
 * }</pre>
 *
 * <p>Rules (Go's, including Go 1.23's fix):
 *
 * <ul>
 *   <li>Tick {@code k} is due at {@code start + k × period}: the grid does not drift, however long
 *       the consumer takes.
 *   <li>Ticks missed while the consumer was busy are dropped, not queued: a late {@link #tick}
 *       returns at once for the earliest missed tick, and the next one waits for the next grid
 *       point.
 *   <li>After {@link #reset(Duration)} or {@link #close()} returns, no tick of the old schedule is
 *       delivered: {@link #reset} starts a new grid at the moment of the call, {@link #close()}
 *       stops the ticker for good and makes {@link #tick} return false (also for a consumer already
 *       waiting).
 * </ul>
 *
 * <p>A ticker has one consumer at a time; {@link #reset} and {@link #close()} may be called from
 * any thread. {@link #tick} registers one callback on its scope, kept until the scope changes or
 * the ticker is closed: {@link #close()} the ticker when done with it.
 *
 * <p>To run a callback on every tick instead of looping, use {@link #open(CancelScope, Duration,
 * Runnable)}.
 *
 * <p>Memory consistency effects: actions in a thread before it calls {@link #reset} or {@link
 * #close()} happen-before a {@link #tick} that observes the new grid or the closed ticker. For
 * {@link #open(CancelScope, Duration, Runnable)}, actions before the call happen-before the first
 * run of the action, each run of the action happens-before the next, and every run happens-before
 * the cancellation of its scope returns.
 */
public final class Ticker implements AutoCloseable {
  private final LongSupplier clock;

  // Guarded by this.
  private long origin;
  private long period;
  private long next;
  private boolean stopped;
  private @Nullable Thread waiter;
  private @Nullable CancelScope boundScope;
  private CancelScope.@Nullable Registration registration;

  Ticker(LongSupplier clock, long periodNanos) {
    this.clock = clock;
    restart(periodNanos);
  }

  /**
   * Starts a ticker whose first tick is due one {@code period} from now.
   *
   * @throws IllegalArgumentException if {@code period} is not positive
   */
  public static Ticker open(Duration period) {
    return new Ticker(System::nanoTime, checkPeriod(period));
  }

  /**
   * Runs {@code action} on every tick of a fixed-rate grid starting now, until the returned scope
   * is cancelled: by {@code parent}, by {@link CancelScope#cancel()}, or with the exception {@code
   * action} throws as its {@linkplain CancelScope#cause() cause}. Missed ticks are dropped, as for
   * {@link #tick}.
   *
   * <p>Every scheduled action of the JVM runs on one shared daemon thread, {@code tether-ticker},
   * one at a time: keep actions short, and hand blocking work to a {@link WorkerPool} (for example
   * with {@link WorkerPool#tryGo}). Once the scope's cancellation returns, no action starts and
   * none is running: cancelling waits for an action that is running to return, unless the
   * cancellation comes from an action itself (on {@code tether-ticker}). So an action must not wait
   * for a thread that cancels its scope. If the scope's cancellation is already under way on
   * another thread (its parent's, say), {@code close()} on it returns at once, and the promise
   * holds when that cancellation returns.
   *
   * @return the ticker's scope, a child of {@code parent}; close (or cancel) it to stop
   * @throws IllegalArgumentException if {@code period} is not positive
   */
  public static CancelScope open(CancelScope parent, Duration period, Runnable action) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(action, "action");
    long nanos = checkPeriod(period);
    CancelScope scope = parent.withCancel();
    TickScheduler.SHARED.schedule(scope, nanos, action);
    return scope;
  }

  private static long checkPeriod(Duration period) {
    Objects.requireNonNull(period, "period");
    long nanos = CancelScope.saturatedNanos(period);
    if (nanos <= 0) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    return nanos;
  }

  /** The index of the next tick once one was delivered at {@code now}: missed ticks are dropped. */
  static long indexAfter(long origin, long period, long now) {
    return (now - origin) / period + 1;
  }

  /** The time tick {@code index} is due, saturated for absurd periods. */
  static long dueTime(long origin, long period, long index) {
    long half = Long.MAX_VALUE >> 1;
    return origin + (index > half / period ? half : index * period);
  }

  private void restart(long periodNanos) {
    this.period = periodNanos;
    this.origin = clock.getAsLong();
    this.next = 1;
    this.stopped = false;
  }

  /**
   * Waits for the next tick.
   *
   * @return true on a tick; false once {@code scope} is cancelled or the ticker {@linkplain
   *     #close() closed}, without waiting
   * @throws IllegalStateException if another thread is waiting on this ticker
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public boolean tick(CancelScope scope) throws InterruptedException {
    Objects.requireNonNull(scope, "scope");
    Thread me = Thread.currentThread();
    if (scope.isCancelled()) {
      return false;
    }
    checkInterrupt(me);
    CancelScope.Registration stale;
    synchronized (this) {
      if (waiter != null) {
        throw new IllegalStateException("another thread is waiting on this ticker: " + waiter);
      }
      if (stopped) {
        return false;
      }
      waiter = me;
      stale = bind(scope);
    }
    if (stale != null) {
      stale.remove();
    }
    try {
      while (true) {
        if (scope.isCancelled()) {
          return false;
        }
        long wait;
        synchronized (this) {
          if (stopped) {
            return false;
          }
          long now = clock.getAsLong();
          wait = dueTime(origin, period, next) - now;
          if (wait <= 0) {
            next = indexAfter(origin, period, now);
            return true;
          }
        }
        LockSupport.parkNanos(this, wait);
        if (scope.isCancelled()) {
          return false; // a cancelled scope wins over its group's interrupt
        }
        checkInterrupt(me);
      }
    } finally {
      synchronized (this) {
        waiter = null;
      }
    }
  }

  /**
   * Delivers a tick if one is due, without waiting; for tests with a fake clock.
   *
   * @return true if a tick was due (and is now consumed)
   */
  synchronized boolean tryTick() {
    if (stopped) {
      return false;
    }
    long now = clock.getAsLong();
    if (dueTime(origin, period, next) - now <= 0) {
      next = indexAfter(origin, period, now);
      return true;
    }
    return false;
  }

  /** Registers the wake-up on {@code scope} if not done yet; returns the old one to remove. */
  private CancelScope.@Nullable Registration bind(CancelScope scope) {
    if (scope == boundScope) {
      return null;
    }
    CancelScope.Registration old = registration;
    boundScope = scope;
    registration = scope.onCancel(this::wake); // may run wake() at once: harmless
    return old;
  }

  private void wake() {
    Thread t;
    synchronized (this) {
      t = waiter;
    }
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private static void checkInterrupt(Thread thread) throws InterruptedException {
    if (thread.isInterrupted()) {
      throw new InterruptedException("interrupted (the interrupt status stays set)");
    }
  }

  /**
   * Starts a new grid with {@code period}, whose first tick is due one period from now; a tick of
   * the old grid that was due but not yet delivered is dropped.
   *
   * @throws IllegalArgumentException if {@code period} is not positive
   * @throws IllegalStateException if the ticker is closed
   */
  public void reset(Duration period) {
    long nanos = checkPeriod(period);
    Thread t;
    synchronized (this) {
      if (stopped) {
        throw new IllegalStateException("the ticker is closed");
      }
      restart(nanos);
      t = waiter;
    }
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /**
   * Stops the ticker for good: no tick is delivered after this returns, {@link #tick} returns
   * false, and the callback {@link #tick} registered on its scope is removed. Idempotent.
   */
  @Override
  public void close() {
    Thread t;
    CancelScope.Registration r;
    synchronized (this) {
      stopped = true;
      t = waiter;
      r = registration;
      registration = null;
      boundScope = null;
    }
    if (r != null) {
      r.remove();
    }
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Returns the current period. */
  public synchronized Duration period() {
    return Duration.ofNanos(period);
  }

  @Override
  public synchronized String toString() {
    return "Ticker[" + Duration.ofNanos(period) + (stopped ? ", closed" : "") + "]";
  }
}
