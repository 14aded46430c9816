package dev.tether;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskGroup} whose tasks return values: {@link #await()} returns them in the order the
 * tasks were submitted, so callers need no shared mutable list.
 *
 * <pre>{@code
 * try (ResultGroup<Page> group = ResultGroup.open(scope)) {
 *   for (URI uri : uris) {
 *     group.go(s -> fetch(s, uri));
 *   }
 *   List<Page> pages = group.await(); // pages.get(i) came from uris.get(i)
 * }
 * }</pre>
 *
 * <p>Failure, cancellation, limits, executors and {@link #close()} work exactly as in {@link
 * TaskGroup}. Tasks submitted concurrently from several threads are ordered by the moment they were
 * accepted.
 *
 * <p>Memory consistency effects: as for {@link TaskGroup}; in particular, the actions of a task,
 * including the computation of its result, happen-before {@link #await()} returns that result, so
 * the results need no synchronization of their own.
 *
 * @param <T> the type of the results; may be nullable
 */
public final class ResultGroup<T extends @Nullable Object> implements AutoCloseable {

  /** Where one task's result lands; written by the task, read after {@link TaskGroup#await()}. */
  private static final class Slot {
    @Nullable Object value;
  }

  private final TaskGroup group;
  private final List<Slot> slots = new ArrayList<>();

  private ResultGroup(TaskGroup group) {
    this.group = group;
  }

  /** Opens a group under the {@linkplain CancelScope#root() root scope}. */
  public static <T extends @Nullable Object> ResultGroup<T> open() {
    return new ResultGroup<>(TaskGroup.open());
  }

  /** Opens a group whose scope is a child of {@code parent}. */
  public static <T extends @Nullable Object> ResultGroup<T> open(CancelScope parent) {
    return new ResultGroup<>(TaskGroup.open(Objects.requireNonNull(parent, "parent")));
  }

  /**
   * Same as {@link TaskGroup#withLimit(int)}.
   *
   * @return this group
   */
  @SuppressWarnings("CanIgnoreReturnValueSuggester")
  public ResultGroup<T> withLimit(int limit) {
    var unused = group.withLimit(limit);
    return this;
  }

  /**
   * Same as {@link TaskGroup#withExecutor(Executor)}.
   *
   * @return this group
   */
  @SuppressWarnings("CanIgnoreReturnValueSuggester")
  public ResultGroup<T> withExecutor(Executor executor) {
    var unused = group.withExecutor(executor);
    return this;
  }

  /** Returns the group's scope: the scope every task receives. */
  public CancelScope scope() {
    return group.scope();
  }

  /**
   * Starts {@code task} like {@link TaskGroup#go(Task)}.
   *
   * @throws IllegalStateException if {@link #await()} has returned or {@link #close()} was called
   * @throws RejectedExecutionException if the executor rejected the task
   */
  public void go(ResultTask<? extends T> task) {
    Objects.requireNonNull(task, "task");
    Slot slot = add();
    try {
      group.go(s -> slot.value = task.call(s));
    } catch (RuntimeException | Error e) {
      remove(slot);
      throw e;
    }
  }

  /**
   * Starts {@code task} like {@link TaskGroup#tryGo(Task)}.
   *
   * @return true if the task was started
   * @throws IllegalStateException if {@link #await()} has returned or {@link #close()} was called
   * @throws RejectedExecutionException if the executor rejected the task
   */
  public boolean tryGo(ResultTask<? extends T> task) {
    Objects.requireNonNull(task, "task");
    Slot slot = add();
    boolean started = false;
    try {
      started = group.tryGo(s -> slot.value = task.call(s));
      return started;
    } finally {
      if (!started) {
        remove(slot);
      }
    }
  }

  private Slot add() {
    Slot slot = new Slot();
    synchronized (slots) {
      slots.add(slot);
    }
    return slot;
  }

  private void remove(Slot slot) {
    synchronized (slots) {
      slots.remove(slot);
    }
  }

  /**
   * Waits like {@link TaskGroup#await()} and returns the results.
   *
   * @return the results in submission order, unmodifiable
   * @throws RuntimeException the first failure, if a task failed with an unchecked exception
   * @throws Error the first {@link Error} a task failed with
   * @throws TaskFailedException if the first failure is a checked exception, its cause
   * @throws CancellationException if the group was cancelled before every task completed
   * @throws InterruptedException if the thread was interrupted while waiting (see {@link
   *     TaskGroup#await()})
   * @throws IllegalStateException if called by one of the group's own tasks
   */
  public List<T> await() throws InterruptedException {
    group.await();
    List<T> results;
    synchronized (slots) {
      results = new ArrayList<>(slots.size());
      for (Slot slot : slots) {
        @SuppressWarnings("unchecked") // only go() and tryGo() write values, of type T
        T value = (T) slot.value;
        results.add(value);
      }
    }
    return Collections.unmodifiableList(results);
  }

  /**
   * Same as {@link TaskGroup#close()}.
   *
   * @throws IllegalStateException if called by one of the group's own tasks
   */
  @Override
  public void close() {
    group.close();
  }

  @Override
  public String toString() {
    return "Result" + group;
  }
}
