package dev.tether;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A cancellation signal that propagates down a tree, with an optional deadline: Tether's
 * counterpart of Go's {@code context.Context}.
 *
 * <p>The tree starts at the never-cancelled {@link #root()}. A child made by {@link #withCancel()},
 * {@link #withTimeout(Duration)} or {@link #withDeadline(Instant)} is cancelled when its parent is,
 * when its deadline passes, or when {@link #cancel()} or {@link #close()} is called on it. A scope
 * is cancelled at most once, and its {@linkplain #cause() cause} never changes afterwards:
 *
 * <ul>
 *   <li>{@link #cancel()} and {@link #close()}: a {@link CancellationException};
 *   <li>{@link #cancel(Throwable)}: the given throwable;
 *   <li>a passed deadline: a {@link DeadlineExceededException} (a {@link TimeoutException});
 *   <li>a cancelled parent: the parent's cause.
 * </ul>
 *
 * <p>A cancelled scope removes itself from its parent, so that a long-lived parent does not
 * accumulate its closed children. Use children in try-with-resources:
 *
 * <pre>{@code
 * try (CancelScope scope = parent.withTimeout(Duration.ofSeconds(2))) {
 *   Response r = scope.get(client.sendAsync(request));
 * }
 * }</pre>
 *
 * <h2>Blocking helpers</h2>
 *
 * <p>{@link #sleep}, {@link #await}, {@link #take}, {@link #put}, {@link #poll} and {@link #get}
 * block like the JDK methods they wrap, but also return promptly when the scope is cancelled. They
 * all follow the same rules:
 *
 * <ul>
 *   <li>if the scope is (or becomes) cancelled, they throw a new {@link CancellationException}
 *       whose {@linkplain Throwable#getCause() cause} is {@link #cause()}, and the thread's
 *       interrupt status is left as it was when the helper was entered (the interrupt the scope
 *       used to wake the thread is cleared);
 *   <li>if the thread is interrupted (by anyone but this scope), they throw {@link
 *       InterruptedException} <em>and leave the interrupt status set</em>, unlike the JDK methods,
 *       so that an interrupt is never lost by a caller that catches the exception and moves on;
 *   <li>a helper that returns normally never leaves an interrupt behind that it caused.
 * </ul>
 *
 * <p>An interrupt that arrives at the same instant as the cancellation may be reported as the
 * cancellation. Deadlines are timed by a single daemon thread, {@code tether-deadline}, shared by
 * the whole JVM; a scope that is cancelled or closed first removes its pending deadline.
 *
 * <p>This class is thread-safe.
 */
public final class CancelScope implements AutoCloseable {
  private static final CancelScope ROOT = new CancelScope(null, null);

  private final @Nullable CancelScope parent;
  private final @Nullable Instant deadline;
  private final Object lock = new Object();

  /** Non-null once cancelled; written under {@link #lock}. */
  private volatile @Nullable Throwable cause;

  /** Callbacks to run on cancellation; guarded by {@link #lock}, null when empty or cancelled. */
  private @Nullable Set<Registration> listeners;

  /** This scope's callback in its parent; guarded by {@link #lock}. */
  private @Nullable Registration inParent;

  /** The pending deadline task; guarded by {@link #lock}. */
  private @Nullable ScheduledFuture<?> deadlineTask;

  private CancelScope(@Nullable CancelScope parent, @Nullable Instant deadline) {
    this.parent = parent;
    this.deadline = deadline;
  }

  /** Returns the scope that is never cancelled: the root of every tree of scopes. */
  public static CancelScope root() {
    return ROOT;
  }

  /**
   * Returns a new child of this scope, cancelled when this scope is, or by {@link #cancel()} or
   * {@link #close()}.
   */
  public CancelScope withCancel() {
    return child(null);
  }

  /**
   * Returns a new child of this scope that is also cancelled, with a {@link
   * DeadlineExceededException}, once {@code timeout} has elapsed.
   *
   * @param timeout the time from now; zero or negative yields an already cancelled scope
   */
  public CancelScope withTimeout(Duration timeout) {
    Instant now = Instant.now();
    Instant at;
    try {
      at = now.plus(timeout);
    } catch (DateTimeException | ArithmeticException overflow) {
      at = timeout.isNegative() ? Instant.MIN : Instant.MAX;
    }
    return child(at);
  }

  /**
   * Returns a new child of this scope that is also cancelled, with a {@link
   * DeadlineExceededException}, at {@code deadline}. When this scope's deadline is earlier, the
   * child keeps that one (and is cancelled with this scope's cause).
   *
   * @param deadline the instant to cancel at; a past instant yields an already cancelled scope
   */
  public CancelScope withDeadline(Instant deadline) {
    return child(Objects.requireNonNull(deadline, "deadline"));
  }

  private CancelScope child(@Nullable Instant requested) {
    Instant inherited = this.deadline;
    boolean own = requested != null && (inherited == null || requested.isBefore(inherited));
    CancelScope child = new CancelScope(this, own ? requested : inherited);
    if (this != ROOT) {
      Registration registration = onCancel(child::parentCancelled);
      boolean stale;
      synchronized (child.lock) {
        stale = child.cause != null;
        if (!stale) {
          child.inParent = registration;
        }
      }
      if (stale) {
        registration.remove();
      }
    }
    if (own) {
      child.scheduleDeadline();
    }
    return child;
  }

  private void parentCancelled() {
    CancelScope p = Objects.requireNonNull(parent);
    cancel0(Objects.requireNonNull(p.cause));
  }

  private void scheduleDeadline() {
    Instant at = Objects.requireNonNull(deadline);
    long delay = saturatedNanos(Duration.between(Instant.now(), at));
    if (delay <= 0) {
      cancel0(new DeadlineExceededException(at));
      return;
    }
    if (delay == Long.MAX_VALUE) {
      return; // practically never; not worth a timer entry
    }
    ScheduledFuture<?> task =
        DeadlineTimer.EXECUTOR.schedule(
            () -> cancel0(new DeadlineExceededException(at)), delay, TimeUnit.NANOSECONDS);
    boolean stale;
    synchronized (lock) {
      stale = cause != null;
      if (!stale) {
        deadlineTask = task;
      }
    }
    if (stale) {
      task.cancel(false);
    }
  }

  /**
   * Cancels this scope and its descendants with a new {@link CancellationException} as the cause.
   * Does nothing if the scope is already cancelled.
   *
   * @throws UnsupportedOperationException if this is the {@link #root()}
   * @throws RuntimeException the first exception thrown by an {@linkplain #onCancel callback},
   *     after every callback ran
   */
  public void cancel() {
    cancel(new CancellationException("scope cancelled"));
  }

  /**
   * Cancels this scope and its descendants with {@code cause}, which {@link #cause()} returns from
   * then on. Does nothing if the scope is already cancelled.
   *
   * @param cause why the scope is cancelled
   * @throws UnsupportedOperationException if this is the {@link #root()}
   * @throws RuntimeException the first exception thrown by an {@linkplain #onCancel callback},
   *     after every callback ran
   */
  public void cancel(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    if (this == ROOT) {
      throw new UnsupportedOperationException("the root scope cannot be cancelled");
    }
    cancel0(cause);
  }

  /**
   * Cancels this scope (with a {@link CancellationException} if it was not cancelled yet), removes
   * it from its parent and drops its pending deadline. Idempotent; does nothing on the {@link
   * #root()}.
   */
  @Override
  public void close() {
    if (this != ROOT) {
      if (cause == null) {
        cancel0(new ClosedException());
      }
    }
  }

  /** Returns true if the scope was cancelled, because of its parent, its deadline or a call. */
  public boolean isCancelled() {
    return cause != null;
  }

  /** Returns why the scope was cancelled, or empty if it was not cancelled (yet). */
  public Optional<Throwable> cause() {
    return Optional.ofNullable(cause);
  }

  /** Returns the instant at which this scope will be cancelled, its own or an ancestor's. */
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  /**
   * Throws if the scope is cancelled; a cheap check for loops that do not block.
   *
   * @throws CancellationException a new one whose cause is {@link #cause()}
   */
  public void throwIfCancelled() {
    Throwable c = cause;
    if (c != null) {
      throw cancellation(c);
    }
  }

  /**
   * Runs {@code action} once when this scope is cancelled, on the thread that cancels it (the
   * {@code tether-deadline} thread for deadlines), or right away on this thread if the scope is
   * already cancelled. Callbacks must be quick and must not block. An exception thrown by a
   * callback does not stop the others; the first one is rethrown to the cancelling thread.
   *
   * @param action what to run
   * @return a handle whose {@link Registration#remove()} unregisters the action
   */
  public Registration onCancel(Runnable action) {
    Registration registration = new Registration(this, Objects.requireNonNull(action, "action"));
    if (this == ROOT) {
      return registration; // never runs, so it need not be stored
    }
    synchronized (lock) {
      if (cause == null) {
        Set<Registration> set = listeners;
        if (set == null) {
          set = new LinkedHashSet<>();
          listeners = set;
        }
        set.add(registration);
        return registration;
      }
    }
    action.run();
    return registration;
  }

  /** Returns how many callbacks (including children) are registered; for tests. */
  int listenerCount() {
    synchronized (lock) {
      Set<Registration> set = listeners;
      return set == null ? 0 : set.size();
    }
  }

  /** Returns how many deadlines the shared timer holds; for tests. */
  static int pendingDeadlines() {
    return DeadlineTimer.EXECUTOR.getQueue().size();
  }

  private boolean removeListener(Registration registration) {
    // Once cancelled, the callbacks belong to the cancelling thread: skip the lock, which every
    // woken waiter would otherwise contend for.
    if (cause != null) {
      return false;
    }
    synchronized (lock) {
      Set<Registration> set = listeners;
      return set != null && set.remove(registration);
    }
  }

  private void cancel0(Throwable why) {
    Set<Registration> toRun;
    ScheduledFuture<?> timer;
    Registration link;
    synchronized (lock) {
      if (cause != null) {
        return;
      }
      cause = why;
      toRun = listeners;
      listeners = null;
      timer = deadlineTask;
      deadlineTask = null;
      link = inParent;
      inParent = null;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    if (link != null) {
      link.remove();
    }
    if (toRun == null) {
      return;
    }
    RuntimeException firstRuntime = null;
    Error firstError = null;
    for (Registration r : toRun) {
      try {
        r.action.run();
      } catch (RuntimeException e) {
        if (firstRuntime == null) {
          firstRuntime = e;
        } else {
          firstRuntime.addSuppressed(e);
        }
      } catch (Error e) {
        if (firstError == null) {
          firstError = e;
        } else {
          firstError.addSuppressed(e);
        }
      }
    }
    if (firstError != null) {
      if (firstRuntime != null) {
        firstError.addSuppressed(firstRuntime);
      }
      throw firstError;
    }
    if (firstRuntime != null) {
      throw firstRuntime;
    }
  }

  /**
   * The cause of a scope that was closed before anything else cancelled it. Closing is the normal
   * end of a scope, so this exception skips the cost of a stack trace.
   */
  private static final class ClosedException extends CancellationException {
    private static final long serialVersionUID = 1L;

    ClosedException() {
      super("scope closed");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  static CancellationException cancellation(Throwable cause) {
    CancellationException e =
        new CancellationException(
            cause instanceof DeadlineExceededException ? "deadline exceeded" : "scope cancelled");
    e.initCause(cause);
    return e;
  }

  // ---------------------------------------------------------------------------------------------
  // Blocking helpers

  /**
   * Sleeps for {@code duration}, or until this scope is cancelled.
   *
   * @param duration how long to sleep; zero or negative returns at once (after the checks)
   * @throws CancellationException if the scope is or becomes cancelled; its cause is {@link
   *     #cause()}
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public void sleep(Duration duration) throws InterruptedException {
    long nanos = saturatedNanos(duration);
    Thread thread = Thread.currentThread();
    checkInterrupt(thread);
    throwIfCancelled();
    if (nanos <= 0) {
      return;
    }
    long end = System.nanoTime() + nanos;
    Registration registration = onCancel(() -> LockSupport.unpark(thread));
    try {
      while (true) {
        throwIfCancelled();
        checkInterrupt(thread);
        long left = end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        LockSupport.parkNanos(this, left);
      }
    } finally {
      registration.remove();
    }
  }

  /**
   * Waits like {@link CountDownLatch#await()}, or until this scope is cancelled.
   *
   * @throws CancellationException if the scope is or becomes cancelled; its cause is {@link
   *     #cause()}
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public void await(CountDownLatch latch) throws InterruptedException {
    Interrupter w = enter();
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw w.translate(e);
    } finally {
      w.leave();
    }
  }

  /**
   * Waits like {@link CountDownLatch#await(long, TimeUnit)}, or until this scope is cancelled.
   *
   * @return true if the count reached zero, false if {@code timeout} elapsed first
   * @throws CancellationException if the scope is or becomes cancelled; its cause is {@link
   *     #cause()}
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public boolean await(CountDownLatch latch, Duration timeout) throws InterruptedException {
    long nanos = saturatedNanos(timeout);
    Interrupter w = enter();
    try {
      return latch.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      throw w.translate(e);
    } finally {
      w.leave();
    }
  }

  /**
   * Takes the head of {@code queue} like {@link BlockingQueue#take()}, or stops waiting when this
   * scope is cancelled.
   *
   * @throws CancellationException if the scope is or becomes cancelled; its cause is {@link
   *     #cause()}
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public <E> E take(BlockingQueue<E> queue) throws InterruptedException {
    Interrupter w = enter();
    try {
      return queue.take();
    } catch (InterruptedException e) {
      throw w.translate(e);
    } finally {
      w.leave();
    }
  }

  /**
   * Takes the head of {@code queue} like {@link BlockingQueue#poll(long, TimeUnit)}, or stops
   * waiting when this scope is cancelled.
   *
   * @return the head, or null if {@code timeout} elapsed first
   * @throws CancellationException if the scope is or becomes cancelled; its cause is {@link
   *     #cause()}
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public <E> @Nullable E poll(BlockingQueue<E> queue, Duration timeout)
      throws InterruptedException {
    long nanos = saturatedNanos(timeout);
    Interrupter w = enter();
    try {
      return queue.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      throw w.translate(e);
    } finally {
      w.leave();
    }
  }

  /**
   * Adds {@code element} to {@code queue} like {@link BlockingQueue#put(Object)}, or stops waiting
   * for space when this scope is cancelled (then the element was not added).
   *
   * @throws CancellationException if the scope is or becomes cancelled; its cause is {@link
   *     #cause()}
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public <E> void put(BlockingQueue<E> queue, E element) throws InterruptedException {
    Interrupter w = enter();
    try {
      queue.put(element);
    } catch (InterruptedException e) {
      throw w.translate(e);
    } finally {
      w.leave();
    }
  }

  /**
   * Waits for {@code future} like {@link Future#get()}, or until this scope is cancelled. The
   * future itself is not cancelled.
   *
   * @throws ExecutionException if the future failed
   * @throws CancellationException if the scope is or becomes cancelled (its cause is {@link
   *     #cause()}), or if the future was cancelled (then without a cause)
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public <V> V get(Future<V> future) throws InterruptedException, ExecutionException {
    Interrupter w = enter();
    try {
      return future.get();
    } catch (InterruptedException e) {
      throw w.translate(e);
    } finally {
      w.leave();
    }
  }

  /**
   * Waits for {@code future} like {@link Future#get(long, TimeUnit)}, or until this scope is
   * cancelled. The future itself is not cancelled.
   *
   * @throws TimeoutException if {@code timeout} elapsed first
   * @throws ExecutionException if the future failed
   * @throws CancellationException if the scope is or becomes cancelled (its cause is {@link
   *     #cause()}), or if the future was cancelled (then without a cause)
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public <V> V get(Future<V> future, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    long nanos = saturatedNanos(timeout);
    Interrupter w = enter();
    try {
      return future.get(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      throw w.translate(e);
    } finally {
      w.leave();
    }
  }

  private static void checkInterrupt(Thread thread) throws InterruptedException {
    if (thread.isInterrupted()) {
      throw new InterruptedException("interrupted (the interrupt status stays set)");
    }
  }

  private Interrupter enter() throws InterruptedException {
    Thread thread = Thread.currentThread();
    checkInterrupt(thread);
    throwIfCancelled();
    Interrupter w = new Interrupter(this, thread);
    w.registration = onCancel(w);
    return w;
  }

  static long saturatedNanos(Duration d) {
    long seconds = d.toSeconds();
    if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE;
    }
    if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return d.toNanos();
  }

  @Override
  public String toString() {
    if (this == ROOT) {
      return "CancelScope[root]";
    }
    Throwable c = cause;
    return "CancelScope["
        + (c == null ? "active" : "cancelled: " + c)
        + (deadline == null ? "" : ", deadline " + deadline)
        + "]";
  }

  /**
   * A callback registered by {@link CancelScope#onCancel(Runnable)}; {@link #close()} and {@link
   * #remove()} unregister it.
   */
  public static final class Registration implements AutoCloseable {
    private final CancelScope scope;
    private final Runnable action;

    private Registration(CancelScope scope, Runnable action) {
      this.scope = scope;
      this.action = action;
    }

    /**
     * Unregisters the callback.
     *
     * @return true if it was unregistered before it ran; false if it has run, is running, or was
     *     already removed
     */
    public boolean remove() {
      return scope.removeListener(this);
    }

    /** Same as {@link #remove()}. */
    @Override
    public void close() {
      remove();
    }
  }

  /**
   * Interrupts a waiting thread once on cancellation, and lets that thread tell its own interrupt
   * from anyone else's and clear it.
   */
  private static final class Interrupter implements Runnable {
    private static final int ARMED = 0;
    private static final int FIRING = 1;
    private static final int FIRED = 2;
    private static final int DISARMED = 3;
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Interrupter.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final CancelScope scope;
    private final Thread thread;
    private volatile int state;
    private boolean consumed;
    private @Nullable Registration registration;

    Interrupter(CancelScope scope, Thread thread) {
      this.scope = scope;
      this.thread = thread;
    }

    @Override
    public void run() {
      if (STATE.compareAndSet(this, ARMED, FIRING)) {
        thread.interrupt();
        state = FIRED;
      }
    }

    /** Stops future firing; returns true if this interrupter did interrupt the thread. */
    @SuppressWarnings("ThreadPriorityCheck") // a bounded wait for another thread's two stores
    private boolean disarm() {
      if (state == ARMED && STATE.compareAndSet(this, ARMED, DISARMED)) {
        return false;
      }
      if (state == DISARMED) {
        return false;
      }
      while (state != FIRED) {
        // The cancelling thread is inside Thread.interrupt(); on a busy machine spinning would
        // steal its CPU, so give the CPU away instead (as FutureTask does).
        Thread.yield();
      }
      return true;
    }

    /**
     * Called by the waiting thread with the {@link InterruptedException} it caught: throws the
     * scope's {@link CancellationException} if the interrupt was the scope's, or returns {@code e}
     * for rethrowing after setting the interrupt status again.
     */
    InterruptedException translate(InterruptedException e) {
      if (disarm()) {
        consumed = true;
        throw cancellation(Objects.requireNonNull(scope.cause));
      }
      Thread.currentThread().interrupt();
      return e;
    }

    /** Called by the waiting thread when it stops waiting, however it stops. */
    void leave() {
      Objects.requireNonNull(registration).remove();
      if (disarm() && !consumed) {
        Thread.interrupted(); // discard the interrupt this scope sent
      }
    }
  }

  /** Holds the one timer thread of the JVM, created on first use. */
  private static final class DeadlineTimer {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "tether-deadline");
                t.setDaemon(true);
                return t;
              });
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
