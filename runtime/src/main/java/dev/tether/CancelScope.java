package dev.tether;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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
 * <p>{@link #sleep}, {@link #waitFor}, {@link #take}, {@link #put}, {@link #poll} and {@link #get}
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
 * <p>A cancelled scope wins over an interrupt: once the scope is cancelled (or its cancellation,
 * which marks the whole subtree before it runs any callback, is under way), a helper reports the
 * {@link CancellationException} even if the thread was also interrupted, for instance by the {@link
 * TaskGroup} that runs it, which interrupts its tasks when it is cancelled. An interrupt that this
 * scope did not send is then left set. Deadlines are timed by a single daemon thread, {@code
 * tether-deadline}, shared by the whole JVM; a scope that is cancelled or closed first removes its
 * pending deadline. A deadline that has passed cancels the scope when that thread delivers it (see
 * {@link #isCancelled()}); a deadline already passed when the scope is made cancels it at once.
 *
 * <p>This class is thread-safe. Memory consistency effects: actions in a thread before it cancels a
 * scope (by {@link #cancel()}, {@link #cancel(Throwable)} or {@link #close()}) happen-before every
 * {@linkplain #onCancel callback} of that scope and of its descendants runs, and before any thread
 * sees {@link #isCancelled()} return true or a helper throw the {@link CancellationException}; a
 * passed deadline is such an action of the {@code tether-deadline} thread.
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

  /** The children to cancel with this scope; guarded by {@link #lock}, null when none. */
  private @Nullable Set<CancelScope> children;

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
   * @param timeout the time from now; zero or negative yields an already cancelled scope (unless
   *     this scope's deadline is earlier: then the child keeps it, and is cancelled when this scope
   *     is; see {@link #isCancelled()} for a deadline that has just passed)
   */
  public CancelScope withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
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
   *     (unless this scope's deadline is earlier, as said above)
   */
  public CancelScope withDeadline(Instant deadline) {
    return child(Objects.requireNonNull(deadline, "deadline"));
  }

  private CancelScope child(@Nullable Instant requested) {
    Instant inherited = this.deadline;
    boolean own = requested != null && (inherited == null || requested.isBefore(inherited));
    CancelScope child = new CancelScope(this, own ? requested : inherited);
    if (this != ROOT) {
      Throwable parentCause;
      synchronized (lock) {
        parentCause = cause;
        if (parentCause == null) {
          Set<CancelScope> set = children;
          if (set == null) {
            set = new HashSet<>();
            children = set;
          }
          set.add(child);
        }
      }
      if (parentCause != null) {
        child.cancel0(parentCause);
        return child;
      }
    }
    if (own) {
      child.scheduleDeadline();
    }
    return child;
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
        DeadlineTimer.EXECUTOR.schedule(() -> deadlinePassed(at), delay, TimeUnit.NANOSECONDS);
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
   * Runs on the deadline thread. A callback's exception has no caller to reach there: it goes to
   * the thread's uncaught-exception handler instead of vanishing in the timer's future.
   */
  private void deadlinePassed(Instant at) {
    try {
      cancel0(new DeadlineExceededException(at));
    } catch (RuntimeException | Error callbackFailure) {
      Thread t = Thread.currentThread();
      t.getUncaughtExceptionHandler().uncaughtException(t, callbackFailure);
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
   *
   * @throws RuntimeException the first exception thrown by an {@linkplain #onCancel callback},
   *     after every callback ran, as {@link #cancel()} does
   */
  @Override
  public void close() {
    if (this != ROOT) {
      if (cause == null) {
        cancel0(new ClosedException());
      }
    }
  }

  /**
   * Returns true if the scope was cancelled, because of its parent, its deadline or a call.
   *
   * <p>A passed deadline counts once the {@code tether-deadline} thread has delivered it, normally
   * within a millisecond of the deadline (later if a callback on that thread is slow): in between,
   * this returns false although {@link #deadline()} is in the past. Then the scope's cause, its
   * callbacks and its blocking helpers all agree that the scope is cancelled.
   */
  public boolean isCancelled() {
    return cause != null;
  }

  /**
   * Returns why the scope was cancelled, or empty if it was not cancelled (yet; see {@link
   * #isCancelled()} for a deadline that has just passed).
   */
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
   * @return a handle whose {@link Registration#close()} unregisters the action
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
    if (registration.claim()) {
      action.run();
    }
    return registration;
  }

  /** Returns how many callbacks and children are registered; for tests. */
  int listenerCount() {
    synchronized (lock) {
      Set<Registration> set = listeners;
      Set<CancelScope> kids = children;
      return (set == null ? 0 : set.size()) + (kids == null ? 0 : kids.size());
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

  private void removeChild(CancelScope child) {
    if (cause != null) {
      return; // cancelled: the children belong to the cancelling thread
    }
    synchronized (lock) {
      Set<CancelScope> set = children;
      if (set != null) {
        set.remove(child);
      }
    }
  }

  /**
   * Cancels this scope and its descendants with {@code why}, in two phases and without recursion,
   * so that a chain of any depth is cancelled completely: first every scope of the subtree that is
   * not cancelled yet gets its cause (depth first, with an explicit stack), then the callbacks of
   * all of them run. So every callback, including the interrupts of blocked helpers and of a
   * group's tasks, runs after the whole subtree is marked cancelled.
   */
  private void cancel0(Throwable why) {
    List<Set<Registration>> callbacks = null;
    ArrayDeque<CancelScope> pending = null;
    CancelScope s = this;
    while (s != null) {
      Set<Registration> toRun = null;
      Set<CancelScope> kids = null;
      ScheduledFuture<?> timer = null;
      boolean marked = false;
      synchronized (s.lock) {
        if (s.cause == null) {
          s.cause = why;
          marked = true;
          toRun = s.listeners;
          s.listeners = null;
          kids = s.children;
          s.children = null;
          timer = s.deadlineTask;
          s.deadlineTask = null;
        }
      }
      if (marked) {
        if (timer != null) {
          timer.cancel(false);
        }
        CancelScope p = s.parent;
        if (s == this && p != null) {
          p.removeChild(this); // descendants need not: their parents are cancelled
        }
        if (toRun != null) {
          if (callbacks == null) {
            callbacks = new ArrayList<>();
          }
          callbacks.add(toRun);
        }
        if (kids != null) {
          if (pending == null) {
            pending = new ArrayDeque<>();
          }
          pending.addAll(kids);
        }
      }
      s = pending == null ? null : pending.pollLast();
    }
    if (callbacks != null) {
      runAll(callbacks);
    }
  }

  private static void runAll(List<Set<Registration>> callbacks) {
    RuntimeException firstRuntime = null;
    Error firstError = null;
    Throwable firstChecked = null; // thrown sneakily by a Runnable: it must not stop the others
    for (Set<Registration> set : callbacks) {
      for (Registration r : set) {
        if (!r.claim()) {
          continue; // closed while the cancellation was under way: it must not run
        }
        try {
          r.action.run();
        } catch (RuntimeException e) {
          firstRuntime = keepFirst(firstRuntime, e);
        } catch (Error e) {
          firstError = keepFirst(firstError, e);
        } catch (Throwable e) {
          firstChecked = keepFirst(firstChecked, e);
        }
      }
    }
    if (firstError != null) {
      addSuppressed(firstError, firstRuntime);
      addSuppressed(firstError, firstChecked);
      throw firstError;
    }
    if (firstRuntime != null) {
      addSuppressed(firstRuntime, firstChecked);
      throw firstRuntime;
    }
    if (firstChecked != null) {
      throw CancelScope.<RuntimeException>sneakyThrow(firstChecked);
    }
  }

  private static <T extends Throwable> T keepFirst(@Nullable T first, T next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private static void addSuppressed(Throwable into, @Nullable Throwable other) {
    if (other != null) {
      into.addSuppressed(other);
    }
  }

  /** Rethrows a checked exception that a callback threw although its type does not declare it. */
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private static <X extends Throwable> X sneakyThrow(Throwable t) throws X {
    throw (X) t;
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
    long nanos = saturatedNanos(Objects.requireNonNull(duration, "duration"));
    Thread thread = Thread.currentThread();
    checkEntry(thread);
    if (nanos <= 0) {
      return;
    }
    long end = System.nanoTime() + nanos;
    SleepWaker waker = new SleepWaker(thread);
    Registration registration = onCancel(waker);
    try {
      while (true) {
        checkEntry(thread);
        long left = end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        LockSupport.parkNanos(this, left);
      }
    } finally {
      waker.ended = true;
      registration.remove();
    }
  }

  /**
   * The callback that wakes a thread parked in {@link #sleep}, unless something else already has.
   *
   * <p>A task of a {@link TaskGroup} is interrupted by its group when the group's scope is
   * cancelled, and the group's callback runs before the sleep's (it was registered first). The
   * interrupt wakes the sleep, which then throws the scope's {@link CancellationException}: a
   * second wake-up, an unpark, would only cost the cancelling thread a call into the VM per task
   * and leave a stale permit that makes the thread's next park (in its pool, waiting for work)
   * return at once. So no unpark when the thread is interrupted ({@link Thread#interrupt()} sets
   * the status before it unparks, and the sleep never clears it, so the sleep ends on it) or the
   * sleep has ended. The status is read first: the interrupt is cleared by the thread only after
   * the sleep ended.
   */
  private static final class SleepWaker implements Runnable {
    private final Thread thread;

    /** Set by the sleeping thread when it leaves the sleep. */
    volatile boolean ended;

    SleepWaker(Thread thread) {
      this.thread = thread;
    }

    @Override
    public void run() {
      // On the sleeping thread itself (the scope was cancelled while it registered) the loop sees
      // the cancellation before it parks: nothing to wake.
      if (!thread.isInterrupted() && !ended && thread != Thread.currentThread()) {
        LockSupport.unpark(thread);
      }
    }
  }

  /**
   * Waits like {@link CountDownLatch#await()}, or until this scope is cancelled.
   *
   * @throws CancellationException if the scope is or becomes cancelled; its cause is {@link
   *     #cause()}
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public void waitFor(CountDownLatch latch) throws InterruptedException {
    Objects.requireNonNull(latch, "latch");
    this.<@Nullable Void, RuntimeException, RuntimeException>block(
        () -> {
          latch.await();
          return null;
        });
  }

  /**
   * Waits like {@link CountDownLatch#await(long, TimeUnit)}, or until this scope is cancelled.
   *
   * @return true if the count reached zero, false if {@code timeout} elapsed first
   * @throws CancellationException if the scope is or becomes cancelled; its cause is {@link
   *     #cause()}
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public boolean waitFor(CountDownLatch latch, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(latch, "latch");
    long nanos = saturatedNanos(Objects.requireNonNull(timeout, "timeout"));
    return this.<Boolean, RuntimeException, RuntimeException>block(
        () -> latch.await(nanos, TimeUnit.NANOSECONDS));
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
    Objects.requireNonNull(queue, "queue");
    return this.<E, RuntimeException, RuntimeException>block(queue::take);
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
    Objects.requireNonNull(queue, "queue");
    long nanos = saturatedNanos(Objects.requireNonNull(timeout, "timeout"));
    return this.<@Nullable E, RuntimeException, RuntimeException>block(
        () -> queue.poll(nanos, TimeUnit.NANOSECONDS));
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
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(element, "element");
    this.<@Nullable Void, RuntimeException, RuntimeException>block(
        () -> {
          queue.put(element);
          return null;
        });
  }

  /**
   * Waits for {@code future} like {@link Future#get()}, or until this scope is cancelled. The
   * future itself is not cancelled.
   *
   * @throws ExecutionException if the future failed
   * @throws CancellationException if the scope is or becomes cancelled (its cause is {@link
   *     #cause()}), or if the future was cancelled (then as {@link Future#get()} reports it:
   *     without a cause, or, for a {@link java.util.concurrent.CompletableFuture} on JDK 23 and
   *     later, caused by the future's own {@link CancellationException}; never caused by this
   *     scope's cause)
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public <V> V get(Future<V> future) throws InterruptedException, ExecutionException {
    Objects.requireNonNull(future, "future");
    return this.<V, ExecutionException, RuntimeException>block(future::get);
  }

  /**
   * Waits for {@code future} like {@link Future#get(long, TimeUnit)}, or until this scope is
   * cancelled. The future itself is not cancelled.
   *
   * @throws TimeoutException if {@code timeout} elapsed first
   * @throws ExecutionException if the future failed
   * @throws CancellationException if the scope is or becomes cancelled (its cause is {@link
   *     #cause()}), or if the future was cancelled (then as {@link #get(Future)} says)
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public <V> V get(Future<V> future, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    Objects.requireNonNull(future, "future");
    long nanos = saturatedNanos(Objects.requireNonNull(timeout, "timeout"));
    return this.<V, ExecutionException, TimeoutException>block(
        () -> future.get(nanos, TimeUnit.NANOSECONDS));
  }

  /** A blocking JDK call that a helper wraps, with the checked exceptions it may throw. */
  @FunctionalInterface
  private interface Blocking<V extends @Nullable Object, X extends Exception, Y extends Exception> {
    V call() throws InterruptedException, X, Y;
  }

  /**
   * The one body of the blocking helpers: checks the thread and the scope, arms a one-shot
   * interrupt that the scope's cancellation fires, runs {@code op}, and turns an interrupt into the
   * documented outcome.
   */
  private <V extends @Nullable Object, X extends Exception, Y extends Exception> V block(
      Blocking<V, X, Y> op) throws InterruptedException, X, Y {
    Thread thread = Thread.currentThread();
    checkEntry(thread);
    Waker waker = new Waker();
    waker.arm();
    Registration registration = onCancel(waker);
    boolean consumed = false;
    try {
      return op.call();
    } catch (InterruptedException e) {
      if (waker.disarm()) {
        consumed = true; // the JDK method cleared the interrupt this scope sent
        throw cancellation(Objects.requireNonNull(cause));
      }
      throw interruptedWhileWaiting(e);
    } finally {
      registration.remove();
      if (!consumed && waker.disarm()) {
        var unused = Thread.interrupted(); // discard the interrupt this scope sent
      }
    }
  }

  /** The callback that interrupts a thread waiting in a helper, once. */
  private static final class Waker extends Interrupter implements Runnable {
    @Override
    public void run() {
      fire();
    }
  }

  /**
   * Throws if the scope is cancelled (first: a cancelled scope is reported as such even when the
   * thread was also interrupted, for instance by its {@link TaskGroup}), then if the thread is
   * interrupted.
   */
  private void checkEntry(Thread thread) throws InterruptedException {
    throwIfCancelled();
    if (thread.isInterrupted()) {
      throw interruptedWhileWaiting(
          new InterruptedException("interrupted (the interrupt status stays set)"));
    }
  }

  /**
   * Decides what an interrupt that this scope did not send means, for code that waits on this
   * scope's behalf (its helpers, {@link Channel}, {@link Ticker}): sets the interrupt status again,
   * then throws the scope's {@link CancellationException} if the scope is cancelled or is being
   * cancelled (an ancestor's cancellation on another thread has not reached it yet: the group that
   * interrupted the thread was cancelled with it), and otherwise returns {@code e} to rethrow.
   */
  InterruptedException interruptedWhileWaiting(InterruptedException e) {
    Thread.currentThread().interrupt();
    Throwable c = cancellingCause();
    if (c != null) {
      throw cancellation(c);
    }
    return e;
  }

  /** Returns the cause if this scope is cancelled or an ancestor's cancellation is under way. */
  @SuppressWarnings("ThreadPriorityCheck") // a bounded wait for another thread's marking phase
  private @Nullable Throwable cancellingCause() {
    Throwable c = cause;
    if (c != null) {
      return c;
    }
    for (CancelScope p = parent; p != null; p = p.parent) {
      if (p.cause != null) {
        // The first phase of cancel0 on another thread is marking the subtree: wait for it.
        while ((c = cause) == null) {
          Thread.yield();
        }
        return c;
      }
    }
    return null;
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
   * A callback registered by {@link CancelScope#onCancel(Runnable)}; {@link #close()} unregisters
   * it (Go's {@code stop} function of {@code context.AfterFunc}): {@code try (var r =
   * scope.onCancel(action)) { … }}.
   */
  public static final class Registration implements AutoCloseable {
    private static final int PENDING = 0;
    private static final int STARTED = 1;
    private static final int REMOVED = 2;
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Registration.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final CancelScope scope;
    private final Runnable action;

    /**
     * {@link #PENDING}, then either {@link #STARTED} (by the thread that runs the action) or {@link
     * #REMOVED} (by {@link #close()}), whichever comes first: a callback closed while the
     * cancellation is under way on another thread, but before it reached this callback, never runs.
     */
    private volatile int state;

    private Registration(CancelScope scope, Runnable action) {
      this.scope = scope;
      this.action = action;
    }

    /**
     * Unregisters the callback: it does not run if it has not started yet. Idempotent; does nothing
     * once the callback ran.
     */
    @Override
    public void close() {
      var unused = remove();
    }

    /**
     * Unregisters the callback; returns true if it was unregistered before it ran, false if it has
     * run, is running, or was already removed.
     */
    boolean remove() {
      if (scope == ROOT) {
        return false; // never registered: the root is never cancelled
      }
      if (state != PENDING || !STATE.compareAndSet(this, PENDING, REMOVED)) {
        return false;
      }
      var unused = scope.removeListener(this); // frees the entry; already gone once cancelled
      return true;
    }

    /** Returns true if the caller may run the action: it was neither removed nor started. */
    boolean claim() {
      return state == PENDING && STATE.compareAndSet(this, PENDING, STARTED);
    }
  }

  /** Holds the one timer thread of the JVM, created on first use. */
  private static final class DeadlineTimer {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(1, r -> Threads.daemon("tether-deadline", r));
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
