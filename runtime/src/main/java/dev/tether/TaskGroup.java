package dev.tether;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Runs tasks concurrently under one {@link CancelScope} and waits for all of them: Go's {@code
 * errgroup} for Java 17+.
 *
 * <pre>{@code
 * try (TaskGroup group = TaskGroup.open(scope)) {
 *   for (URI uri : uris) {
 *     group.go(s -> fetch(s, uri));
 *   }
 *   group.await(); // throws the first failure
 * }
 * }</pre>
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>Each task gets the group's {@linkplain #scope() scope}, a child of the scope the group was
 *       opened under.
 *   <li>The first task to fail cancels that scope with its exception as the {@linkplain
 *       CancelScope#cause() cause}, and interrupts the tasks still running. Tasks that have not
 *       started yet are never started, and {@link #go} no longer starts any.
 *   <li>{@link #await()} waits for every task, then throws the first failure: the same instance,
 *       with the group's other failures {@linkplain Throwable#getSuppressed() suppressed}. An
 *       {@link Error} always wins over exceptions and is never wrapped; a {@link RuntimeException}
 *       is rethrown as is; a checked exception is wrapped in a {@link TaskFailedException}. Tasks
 *       that end with a {@link CancellationException}, {@link InterruptedException}, {@link
 *       InterruptedIOException} or {@link ClosedByInterruptException} after the scope was cancelled
 *       are cancelled, not failed.
 *   <li>If nothing failed but the scope was cancelled (by its parent, its deadline, or a task) and
 *       some task was therefore cancelled or not started, {@link #await()} throws a {@link
 *       CancellationException} whose cause is the scope's cause. Otherwise it returns normally, and
 *       closes the scope.
 *   <li>{@link #close()} without {@link #await()} (an exception in the try block) cancels the group
 *       and waits for its tasks: a group never leaks a running task. It then throws the first
 *       failure that {@link #await()} did not report, as {@code await()} would (in a
 *       try-with-resources whose block threw, it is added to that exception as suppressed), so no
 *       failure is ever lost. This is the {@code close()} of every Tether type that runs tasks.
 *   <li>With {@link #withLimit(int) a limit}, at most that many tasks are pending at once (conc's
 *       {@code WithMaxGoroutines}, errgroup's {@code SetLimit}).
 * </ul>
 *
 * <p>Tasks run on the {@link #withExecutor(Executor) executor} of the caller's choosing, or by
 * default on threads the runtime owns, named {@code tether-task-N}, so there is nothing to shut
 * down: on JDK 21 and later a new virtual thread per task; on JDK 17 to 20 (or with {@code
 * -Dtether.threads=platform}) a daemon thread pool that grows and shrinks with demand (idle threads
 * end after 30 seconds).
 *
 * <p>{@link #go}, {@link #tryGo} and {@link #scope()} may be called from any thread, including the
 * group's own tasks, until {@link #await()} has returned or {@link #close()} was called.
 *
 * <p>Memory consistency effects: actions in a thread before it calls {@link #go} or {@link #tryGo}
 * <a
 * href="https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/util/concurrent/package-summary.html#MemoryVisibility"><i>happen-before</i></a>
 * the task runs, and the actions of every task happen-before {@link #await()} or {@link #close()}
 * returns or throws.
 */
public final class TaskGroup implements AutoCloseable {

  private static final int CLOSED = 1 << 30;
  private static final int COUNT = CLOSED - 1;

  private static final int ACQUIRED = 0;
  private static final int FULL = 1;
  private static final int DROPPED = 2;

  private final CancelScope scope;

  /** The number of tasks accepted and not yet finished, plus the {@link #CLOSED} bit. */
  private final AtomicInteger ctl = new AtomicInteger();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicInteger awaiters = new AtomicInteger();
  private final AtomicInteger slotWaiters = new AtomicInteger();
  private final Set<Runner> running = ConcurrentHashMap.newKeySet();

  private volatile int limit;
  private volatile @Nullable Executor executor;
  private volatile boolean started;

  private final Object failureLock = new Object();

  /** The failure {@link #await()} throws; guarded by {@link #failureLock}. */
  private @Nullable Throwable primary;

  /** True once a task was cancelled or dropped; only ever set, without a lock. */
  private volatile boolean incomplete;

  private TaskGroup(CancelScope parent) {
    this.scope = parent.withCancel();
    var unused = scope.onCancel(this::onCancelled);
  }

  /** Opens a group under the {@linkplain CancelScope#root() root scope}. */
  public static TaskGroup open() {
    return new TaskGroup(CancelScope.root());
  }

  /**
   * Opens a group whose scope is a child of {@code parent}: cancelling {@code parent} cancels the
   * group.
   */
  public static TaskGroup open(CancelScope parent) {
    return new TaskGroup(Objects.requireNonNull(parent, "parent"));
  }

  /**
   * Limits the number of pending tasks (submitted and not finished) to {@code limit}: {@link
   * #go(Task)} then waits for a free slot, and {@link #tryGo(Task)} returns false.
   *
   * @param limit at least 1; any larger value is accepted ({@link Integer#MAX_VALUE} is the same as
   *     no limit)
   * @return this group
   * @throws IllegalArgumentException if {@code limit < 1}
   * @throws IllegalStateException if a task was already submitted
   */
  @SuppressWarnings("CanIgnoreReturnValueSuggester")
  public TaskGroup withLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    checkNotStarted();
    // The pending count cannot reach COUNT (a billion queued tasks do not fit in memory): a larger
    // limit never binds, so it is the same as none.
    this.limit = limit >= COUNT ? 0 : limit;
    return this;
  }

  /**
   * Runs the tasks on {@code executor} instead of the runtime's shared daemon pool. The group does
   * not shut it down. To give each task a thread of your own, pass {@code r ->
   * factory.newThread(r).start()}.
   *
   * @return this group
   * @throws IllegalStateException if a task was already submitted
   */
  @SuppressWarnings("CanIgnoreReturnValueSuggester")
  public TaskGroup withExecutor(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    checkNotStarted();
    this.executor = executor;
    return this;
  }

  private void checkNotStarted() {
    if (started) {
      throw new IllegalStateException("configure the group before submitting tasks");
    }
  }

  /** Returns the group's scope: the scope every task receives. Cancelling it cancels the group. */
  public CancelScope scope() {
    return scope;
  }

  /**
   * Starts {@code task}, first waiting for a free slot if the group has a {@linkplain #withLimit
   * limit}. If the group is (or, while waiting, becomes) cancelled, the task is not started, and
   * {@link #await()} will report the cancellation. If the thread is interrupted while waiting for a
   * slot, the group is cancelled with the {@link InterruptedException} as the cause, the interrupt
   * status is set again, and the task is not started. A task that calls {@code go} on its own group
   * waits for a slot like any caller, while holding its own: if every slot is held by such a task,
   * they wait until the group is cancelled (Go's {@code errgroup} does the same); from a task,
   * prefer {@link #tryGo}.
   *
   * @throws IllegalStateException if {@link #await()} has returned or {@link #close()} was called
   * @throws RejectedExecutionException if the {@linkplain #withExecutor executor} rejected the task
   */
  public void go(Task task) {
    Objects.requireNonNull(task, "task");
    if (acquire(true) == ACQUIRED) {
      submit(task, null);
    }
  }

  /**
   * Like {@link #go}, and runs {@code ifNotRun} instead of the task if the task never runs: when
   * the group is cancelled before it starts, or its executor rejects it (then before the exception
   * is thrown). For stages that must release something whether or not their task ran.
   */
  void go(Task task, Runnable ifNotRun) {
    int acquired;
    try {
      acquired = acquire(true);
    } catch (RuntimeException | Error e) {
      ifNotRun.run();
      throw e;
    }
    if (acquired == ACQUIRED) {
      submit(task, ifNotRun);
    } else {
      ifNotRun.run();
    }
  }

  /**
   * Starts {@code task} if a slot is free, without waiting.
   *
   * @return true if the task was started; false if the group has as many pending tasks as its
   *     {@linkplain #withLimit limit}, or is cancelled
   * @throws IllegalStateException if {@link #await()} has returned or {@link #close()} was called
   * @throws RejectedExecutionException if the {@linkplain #withExecutor executor} rejected the task
   */
  public boolean tryGo(Task task) {
    Objects.requireNonNull(task, "task");
    if (acquire(false) == ACQUIRED) {
      submit(task, null);
      return true;
    }
    return false;
  }

  private int acquire(boolean wait) {
    if (!started) {
      started = true;
    }
    int max = limit;
    while (true) {
      int c = ctl.get();
      if ((c & CLOSED) != 0) {
        throw new IllegalStateException("the task group was awaited or closed");
      }
      if (scope.isCancelled()) {
        markIncomplete();
        return DROPPED;
      }
      if (max > 0 && c >= max) {
        if (!wait) {
          return FULL;
        }
        if (!awaitSlot(max)) {
          markIncomplete();
          return DROPPED;
        }
      } else if (ctl.compareAndSet(c, c + 1)) {
        return ACQUIRED;
      }
    }
  }

  /** Waits until fewer than {@code max} tasks are pending; returns false if cancelled. */
  private boolean awaitSlot(int max) {
    InterruptedException interrupted = null;
    lock.lock();
    try {
      slotWaiters.incrementAndGet();
      try {
        while (!scope.isCancelled()) {
          int c = ctl.get();
          if ((c & CLOSED) != 0 || c < max) {
            return true;
          }
          changed.await();
        }
        return false;
      } finally {
        slotWaiters.decrementAndGet();
      }
    } catch (InterruptedException e) {
      interrupted = e;
      return false;
    } finally {
      lock.unlock();
      if (interrupted != null) {
        Thread.currentThread().interrupt();
        scope.cancel(interrupted);
      }
    }
  }

  private void submit(Task task, @Nullable Runnable ifNotRun) {
    Executor e = executor;
    try {
      (e == null ? DefaultExecutor.EXECUTOR : e).execute(new Runner(task, ifNotRun));
    } catch (RuntimeException | Error rejected) {
      release();
      if (ifNotRun != null) {
        ifNotRun.run();
      }
      throw rejected;
    }
  }

  private void release() {
    int c = ctl.decrementAndGet();
    if (((c & COUNT) == 0 && awaiters.get() > 0) || slotWaiters.get() > 0) {
      signal();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onCancelled() {
    for (Runner r : running) {
      r.fire();
    }
    signal();
  }

  private void markIncomplete() {
    if (!incomplete) {
      incomplete = true; // no lock: a thousand cancelled tasks end at once
    }
  }

  private void recordFailure(Throwable failure) {
    if (scope.isCancelled() && isCancellation(failure)) {
      markIncomplete();
      // A cancelled task may carry real failures as suppressed exceptions (the close() of a nested
      // group or pool in try-with-resources): they are failures, not part of the cancellation.
      for (Throwable s : failure.getSuppressed()) {
        if (!isCancellation(s)) {
          recordFailure(s);
        }
      }
      return;
    }
    synchronized (failureLock) {
      Throwable p = primary;
      if (p == null) {
        primary = failure;
      } else if (failure instanceof Error && !(p instanceof Error)) {
        suppress(failure, p);
        primary = failure;
      } else {
        suppress(p, failure);
      }
    }
    try {
      scope.cancel(failure);
    } catch (RuntimeException | Error callbackFailure) {
      suppress(failure, callbackFailure);
    }
  }

  @SuppressWarnings("ReferenceEquality") // the same exception instance, not an equal one
  private static void suppress(Throwable into, Throwable failure) {
    if (into != failure) {
      into.addSuppressed(failure);
    }
  }

  private static boolean isCancellation(Throwable t) {
    return t instanceof CancellationException
        || t instanceof InterruptedException
        || t instanceof InterruptedIOException
        || t instanceof ClosedByInterruptException;
  }

  /**
   * Waits for every task to finish, then closes the group's scope and reports the outcome (see the
   * class documentation). Later calls of {@link #go} throw {@link IllegalStateException}; a later
   * {@code await()} reports the same outcome again.
   *
   * @throws RuntimeException the first failure, if a task failed with an unchecked exception
   * @throws Error the first {@link Error} a task failed with
   * @throws TaskFailedException if the first failure is a checked exception, its cause
   * @throws CancellationException if the group was cancelled before every task completed, though no
   *     task failed; its cause is the scope's cause
   * @throws InterruptedException if the thread was interrupted while waiting; the group was then
   *     cancelled and its tasks have finished, the interrupt status is set again, and the failures
   *     of the tasks (and of cancellation callbacks) are suppressed in the exception (an {@link
   *     Error} of a task is thrown instead)
   * @throws IllegalStateException if called by one of the group's own tasks, which would wait for
   *     itself (cancel the group's {@linkplain #scope() scope} instead)
   */
  public void await() throws InterruptedException {
    checkNotOwnTask("await");
    try {
      join(true);
    } catch (InterruptedException e) {
      try {
        scope.cancel(e);
      } catch (RuntimeException | Error callbackFailure) {
        e.addSuppressed(callbackFailure); // after the tasks were interrupted: still wait for them
      }
      join(false);
      Thread.currentThread().interrupt();
      scope.close();
      Throwable p = primary();
      if (p instanceof Error error) {
        throw error;
      }
      if (p != null) {
        e.addSuppressed(p);
      }
      throw e;
    }
    scope.close();
    Throwable p;
    boolean cancelled;
    synchronized (failureLock) {
      p = primary;
      cancelled = incomplete;
    }
    if (p != null) {
      throw propagate(p);
    }
    if (cancelled) {
      throw CancelScope.cancellation(scope.cause().orElseThrow());
    }
  }

  /**
   * Cancels the group unless it was awaited, waits for its tasks to finish, and throws the first
   * failure that {@link #await()} has not reported (with the others suppressed), like {@code
   * await()}: a {@link RuntimeException} or {@link Error} as is, a checked exception wrapped in a
   * {@link TaskFailedException}. Tasks ended by this cancellation are not failures. Does nothing
   * after {@link #await()} or a first {@code close()}. If the thread is interrupted meanwhile, it
   * keeps waiting and sets the interrupt status again before it returns. An exception thrown by a
   * {@linkplain CancelScope#onCancel callback} of the group's scope does not stop it from waiting:
   * it is thrown afterwards (suppressed in the task's failure, if there is one).
   *
   * @throws IllegalStateException if called by one of the group's own tasks, which would wait for
   *     itself (cancel the group's {@linkplain #scope() scope} instead)
   */
  @Override
  public void close() {
    if ((ctl.get() & CLOSED) != 0) {
      return;
    }
    checkNotOwnTask("close");
    Throwable callbackFailure = null;
    try {
      scope.cancel(new CancellationException("task group closed"));
    } catch (RuntimeException | Error e) {
      callbackFailure = e; // the other callbacks, the tasks' interrupts among them, have run
    }
    try {
      join(false);
    } catch (InterruptedException impossible) {
      throw new AssertionError(impossible);
    }
    scope.close();
    Throwable p = primary();
    if (p != null) {
      if (callbackFailure != null) {
        suppress(p, callbackFailure);
      }
      throw propagate(p);
    }
    if (callbackFailure != null) {
      throw propagate(callbackFailure);
    }
  }

  /**
   * Throws {@link IllegalStateException} if the current thread runs one of this group's tasks,
   * which would wait for itself forever in {@link #await()} or {@link #close()}.
   */
  void checkNotOwnTask(String method) {
    Thread me = Thread.currentThread();
    for (Runner r : running) {
      if (r.thread() == me) {
        throw new IllegalStateException(
            "a task cannot "
                + method
                + " its own group: it would wait for itself; cancel the group's scope instead");
      }
    }
  }

  private @Nullable Throwable primary() {
    synchronized (failureLock) {
      return primary;
    }
  }

  /** Waits until no task is pending, then sets the {@link #CLOSED} bit. */
  private void join(boolean interruptibly) throws InterruptedException {
    while (true) {
      int c = ctl.get();
      if ((c & CLOSED) != 0 || (c == 0 && ctl.compareAndSet(0, CLOSED))) {
        return;
      }
      lock.lock();
      try {
        awaiters.incrementAndGet();
        try {
          while ((ctl.get() & COUNT) != 0) {
            if (interruptibly) {
              changed.await();
            } else {
              changed.awaitUninterruptibly();
            }
          }
        } finally {
          awaiters.decrementAndGet();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  static RuntimeException propagate(Throwable failure) {
    if (failure instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new TaskFailedException(failure);
  }

  @Override
  public String toString() {
    int c = ctl.get();
    return "TaskGroup["
        + ((c & CLOSED) != 0 ? "closed" : (c & COUNT) + " pending")
        + (scope.isCancelled() ? ", cancelled" : "")
        + "]";
  }

  /** Runs one task and interrupts it at most once, never after it finished. */
  private final class Runner extends Interrupter implements Runnable {
    private final Task task;
    private final @Nullable Runnable ifNotRun;

    Runner(Task task, @Nullable Runnable ifNotRun) {
      this.task = task;
      this.ifNotRun = ifNotRun;
    }

    @Override
    public void run() {
      try {
        if (scope.isCancelled()) {
          markIncomplete();
          if (ifNotRun != null) {
            ifNotRun.run();
          }
          return;
        }
        arm();
        running.add(this);
        Throwable failure = null;
        boolean skipped = scope.isCancelled();
        if (skipped) {
          if (ifNotRun != null) {
            ifNotRun.run();
          }
        } else {
          try {
            task.run(scope);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
          } catch (Throwable e) {
            failure = e;
          }
        }
        running.remove(this);
        if (disarm()) {
          var unused = Thread.interrupted(); // the group's interrupt must not outlive the task
        }
        if (failure != null) {
          recordFailure(failure);
        } else if (skipped) {
          markIncomplete();
        }
      } finally {
        release();
      }
    }
  }
}
