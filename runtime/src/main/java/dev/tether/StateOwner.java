package dev.tether;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A state object that one thread owns: every read and write of the state runs on that thread, one
 * at a time, so the state needs no lock. Go's "owner goroutine" (share memory by communicating).
 *
 * <pre>{@code
 * try (StateOwner<Map<String, Integer>> counts = StateOwner.open(scope, new HashMap<>())) {
 *   counts.tell(scope, m -> m.merge(word, 1, Integer::sum)); // fire and forget
 *   int n = counts.ask(scope, m -> m.getOrDefault(word, 0)); // waits for the answer
 * }
 * }</pre>
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>Requests run in the order they were accepted, on the owner's thread (a thread of {@link
 *       TaskGroup}'s default executor). Hand the state to {@link #open} and keep no other reference
 *       to it; never let a request leak a reference to it, or to its mutable parts.
 *   <li>{@link #ask} blocks until its function has run and returns its result; an exception the
 *       function throws is rethrown to that caller (the same instance), and the owner keeps going.
 *   <li>{@link #tell} returns once the mutation is queued; it waits only while {@value #MAILBOX}
 *       requests are queued. An exception a mutation throws does not stop the owner; the first one
 *       is rethrown by {@link #close()}.
 *   <li>The owner stops when its parent scope is cancelled or on {@link #close()}. Requests still
 *       queued then are dropped, and pending and later calls throw {@link CancellationException}.
 *   <li>{@link #close()} stops the owner, waits for its thread and throws the first failure of a
 *       {@link #tell} mutation, as the {@code close()} of every Tether type that runs tasks throws
 *       the first failure not reported otherwise.
 *   <li>A request must not call {@link #ask} on its own owner (that would deadlock): it throws
 *       {@link IllegalStateException}.
 * </ul>
 *
 * <p>Memory consistency effects: actions in a thread before it calls {@link #tell} or {@link #ask}
 * happen-before the request runs on the owner's thread; the actions of an {@link #ask} request
 * happen-before {@code ask} returns its result; every request happens-before the next one.
 *
 * @param <S> the type of the state
 */
public final class StateOwner<S> implements AutoCloseable {
  /** How many requests may wait for the owner before {@link #tell} and {@link #ask} wait. */
  public static final int MAILBOX = 1024;

  private final S state;
  private final TaskGroup group;
  private final Channel<Request<S>> mailbox = Channel.open(MAILBOX);
  private final Object failureLock = new Object();
  private volatile @Nullable Thread owner;

  /** The first failure of a {@link #tell} mutation; guarded by {@link #failureLock}. */
  private @Nullable Throwable tellFailure;

  private StateOwner(CancelScope parent, S state) {
    this.state = state;
    this.group = TaskGroup.open(parent);
    var unused = group.scope().onCancel(mailbox.sender()::close);
    group.go(this::serve);
  }

  /**
   * Starts an owner thread for {@code state} under {@code parent}.
   *
   * @param state the state; from now on, only requests may touch it
   */
  public static <S> StateOwner<S> open(CancelScope parent, S state) {
    return new StateOwner<>(
        Objects.requireNonNull(parent, "parent"), Objects.requireNonNull(state, "state"));
  }

  private void serve(CancelScope scope) throws InterruptedException {
    owner = Thread.currentThread();
    try {
      Request<S> r;
      while ((r = mailbox.receiver().receive(scope)) != null) {
        r.run(state);
      }
    } finally {
      owner = null;
    }
  }

  /**
   * Runs {@code query} on the owner's thread and returns its result.
   *
   * <p>If {@code scope} is cancelled while the query waits, this throws at once, but the query may
   * still run later; its result is dropped.
   *
   * @param scope the caller's scope
   * @return what {@code query} returned
   * @throws RuntimeException what {@code query} threw (the same instance)
   * @throws Error what {@code query} threw
   * @throws CancellationException if {@code scope} or the owner is (or becomes) cancelled
   * @throws IllegalStateException if called by a request of this owner
   * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
   */
  public <R extends @Nullable Object> R ask(
      CancelScope scope, Function<? super S, ? extends R> query) throws InterruptedException {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(query, "query");
    if (Thread.currentThread() == owner) {
      throw new IllegalStateException("a request cannot ask its own owner: it would deadlock");
    }
    CompletableFuture<R> reply = new CompletableFuture<>();
    CancelScope ownerScope = group.scope();
    CancelScope.Registration stopped =
        ownerScope.onCancel(
            () ->
                reply.completeExceptionally(
                    CancelScope.cancellation(ownerScope.cause().orElseThrow())));
    try {
      send(scope, new Ask<>(query, reply));
      return scope.get(reply);
    } catch (CancellationException e) {
      // JDK 23+ wraps a future's CancellationException in a new one: rethrow the owner's own.
      Throwable stored =
          reply.isCompletedExceptionally() ? reply.handle((v, t) -> t).getNow(null) : null;
      throw stored instanceof CancellationException own ? own : e;
    } catch (ExecutionException e) {
      Throwable cause = Objects.requireNonNull(e.getCause());
      if (cause instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new TaskFailedException(cause); // sneaky checked exception
    } finally {
      stopped.remove();
    }
  }

  /**
   * Queues {@code mutation} to run on the owner's thread, waiting only while the mailbox is full.
   * Called on the owner's own thread (inside a mutation or a request) with a full mailbox, it waits
   * for a slot that only that thread can free: until {@code scope} or the owner is cancelled.
   * There, change the state directly instead.
   *
   * @param scope the caller's scope, for that wait
   * @throws CancellationException if {@code scope} or the owner is (or becomes) cancelled; the
   *     mutation was not queued
   * @throws InterruptedException if the thread is interrupted; the mutation was not queued and the
   *     interrupt status stays set
   */
  public void tell(CancelScope scope, Consumer<? super S> mutation) throws InterruptedException {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(mutation, "mutation");
    send(scope, new Tell<>(mutation, this));
  }

  private void send(CancelScope scope, Request<S> request) throws InterruptedException {
    CancelScope ownerScope = group.scope();
    ownerScope.throwIfCancelled();
    try {
      mailbox.sender().send(scope, request);
    } catch (CancellationException cancelled) {
      throw cancelled; // the caller's scope, while waiting for room (an IllegalStateException too)
    } catch (IllegalStateException closed) {
      Optional<Throwable> cause = ownerScope.cause(); // the mailbox is closed on cancellation
      if (cause.isPresent()) {
        throw CancelScope.cancellation(cause.get());
      }
      throw closed;
    }
  }

  @SuppressWarnings("ReferenceEquality") // the same exception instance, not an equal one
  private void recordTellFailure(Throwable failure) {
    synchronized (failureLock) {
      if (tellFailure == null) {
        tellFailure = failure;
      } else if (tellFailure != failure) {
        tellFailure.addSuppressed(failure);
      }
    }
  }

  /** Returns the owner's scope: cancelling it stops the owner. */
  public CancelScope scope() {
    return group.scope();
  }

  /**
   * Stops the owner, dropping the queued requests, and waits for its thread to finish the current
   * one.
   *
   * @throws RuntimeException the first exception a {@link #tell} mutation threw, with later ones
   *     suppressed
   * @throws Error the first {@link Error} a {@link #tell} mutation threw
   * @throws IllegalStateException if called by a request of this owner, which would wait for itself
   *     (cancel the owner's {@linkplain #scope() scope} instead)
   */
  @Override
  public void close() {
    group.close();
    Throwable failure;
    synchronized (failureLock) {
      failure = tellFailure;
      tellFailure = null;
    }
    if (failure instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    if (failure instanceof Error error) {
      throw error;
    }
  }

  @Override
  public String toString() {
    return "StateOwner[" + (group.scope().isCancelled() ? "stopped" : "running") + "]";
  }

  private abstract static class Request<S> {
    abstract void run(S state);
  }

  private static final class Ask<S, R extends @Nullable Object> extends Request<S> {
    private final Function<? super S, ? extends R> query;
    private final CompletableFuture<R> reply;

    Ask(Function<? super S, ? extends R> query, CompletableFuture<R> reply) {
      this.query = query;
      this.reply = reply;
    }

    @Override
    void run(S state) {
      if (reply.isDone()) {
        return; // the owner was cancelled while the request waited
      }
      try {
        reply.complete(query.apply(state));
      } catch (Throwable t) {
        reply.completeExceptionally(t);
      }
    }
  }

  private static final class Tell<S> extends Request<S> {
    private final Consumer<? super S> mutation;
    private final StateOwner<S> owner;

    Tell(Consumer<? super S> mutation, StateOwner<S> owner) {
      this.mutation = mutation;
      this.owner = owner;
    }

    @Override
    void run(S state) {
      try {
        mutation.accept(state);
      } catch (Throwable t) {
        owner.recordTellFailure(t);
      }
    }
  }
}
