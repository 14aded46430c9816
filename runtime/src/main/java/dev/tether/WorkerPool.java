package dev.tether;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A fixed number of workers that take jobs from a bounded buffer, with back-pressure, under one
 * {@link TaskGroup}: the worker pool of Go's "worker pools" pattern, with the verbs of {@link
 * TaskGroup} ({@link #go}, {@link #tryGo}, {@link #await()}, {@link #close()}, {@link #withLimit},
 * {@link #withExecutor}).
 *
 * <pre>{@code
 * try (WorkerPool<Path> pool = WorkerPool.<Path>open(scope, (s, file) -> index(s, file)).withLimit(4)) {
 *   for (Path file : files) {
 *     pool.go(file); // blocks while the buffer is full
 *   }
 *   pool.await(); // no more jobs; waits for the workers, throws the first failure
 * }
 * }</pre>
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>{@link #withLimit(int)} sets the number of workers (by default, the number of available
 *       processors) and {@link #withCapacity(int)} the number of jobs that may wait for a worker
 *       (by default, as many as there are workers; 0 makes {@link #go} wait until a worker takes
 *       the job). Configure the pool before the first job. The workers start as jobs arrive, one
 *       with each job until there are as many as the limit (as {@link
 *       java.util.concurrent.ThreadPoolExecutor} starts its core threads), so a large limit costs
 *       nothing until it is used; {@link #drain} starts them all at once.
 *   <li>{@link #go} waits while the buffer is full: a producer can never run ahead of the workers
 *       by more than the buffer. {@link #tryGo} does not wait.
 *   <li>The first job to fail cancels the pool: the other workers are cancelled (see {@link
 *       TaskGroup}), jobs still buffered are dropped, blocked and later {@link #go} calls throw
 *       {@link CancellationException}, and {@link #await()} rethrows that failure.
 *   <li>{@link #await()} stops accepting jobs, lets the workers finish every job submitted, and
 *       reports like {@link TaskGroup#await()}. {@link #close()} without {@link #await()} cancels
 *       the pool, waits for its workers and throws an unreported failure, like {@link
 *       TaskGroup#close()}.
 *   <li>To consume a {@link Channel} that someone else fills and closes instead, call {@link
 *       #drain} instead of {@link #go} and {@link #await()}.
 * </ul>
 *
 * <p>Memory consistency effects: actions in a thread before it hands a job to {@link #go} or {@link
 * #tryGo} happen-before the worker processes that job, and the actions of every worker
 * happen-before {@link #await()}, {@link #drain} or {@link #close()} returns or throws.
 *
 * @param <J> the type of the jobs
 */
public final class WorkerPool<J> implements AutoCloseable {

  /**
   * Processes one job of a {@link WorkerPool}.
   *
   * @param <J> the type of the jobs
   */
  @FunctionalInterface
  public interface Worker<J> {
    /**
     * Processes {@code job}.
     *
     * @param scope the pool's scope, cancelled when the pool is
     * @throws Exception to fail the pool
     */
    void process(CancelScope scope, J job) throws Exception;
  }

  private final TaskGroup group;
  private final Worker<? super J> worker;
  private final Object startLock = new Object();

  // Configuration; guarded by startLock, fixed once the workers started.
  private int workers = Runtime.getRuntime().availableProcessors();
  private int capacity = -1; // -1: as many as workers

  /** The buffer, created with the first job; written under startLock. */
  private volatile Channel.@Nullable Sender<J> jobs;

  /** The receiving side of {@link #jobs}; written under startLock before it. */
  private Channel.@Nullable Receiver<J> buffered;

  /** How many workers {@link #go} and {@link #tryGo} have started, at most {@link #workers}. */
  private final AtomicInteger started = new AtomicInteger();

  /**
   * Set by {@link #await()}, {@link #drain} and {@link #close()}: no job is accepted afterwards.
   */
  private volatile boolean shut;

  private WorkerPool(CancelScope parent, Worker<? super J> worker) {
    this.group = TaskGroup.open(parent);
    this.worker = worker;
  }

  /**
   * Opens a pool under the {@linkplain CancelScope#root() root scope}; see {@link
   * #open(CancelScope, Worker)}.
   */
  public static <J> WorkerPool<J> open(Worker<? super J> worker) {
    return open(CancelScope.root(), worker);
  }

  /**
   * Opens a pool whose scope is a child of {@code parent}, whose workers run {@code worker} on each
   * job. The workers start with the first job.
   */
  public static <J> WorkerPool<J> open(CancelScope parent, Worker<? super J> worker) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(worker, "worker");
    return new WorkerPool<>(parent, worker);
  }

  /**
   * Sets the number of workers, like {@link TaskGroup#withLimit(int)} sets the number of pending
   * tasks.
   *
   * @param limit at least 1
   * @return this pool
   * @throws IllegalArgumentException if {@code limit < 1}
   * @throws IllegalStateException if the workers started
   */
  @SuppressWarnings("CanIgnoreReturnValueSuggester")
  public WorkerPool<J> withLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    synchronized (startLock) {
      checkNotStarted();
      workers = limit;
    }
    return this;
  }

  /**
   * Sets how many submitted jobs may wait for a worker.
   *
   * @param capacity 0 makes {@link #go} wait until a worker takes the job
   * @return this pool
   * @throws IllegalArgumentException if {@code capacity < 0}
   * @throws IllegalStateException if the workers started
   */
  @SuppressWarnings("CanIgnoreReturnValueSuggester")
  public WorkerPool<J> withCapacity(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be at least 0: " + capacity);
    }
    synchronized (startLock) {
      checkNotStarted();
      this.capacity = capacity;
    }
    return this;
  }

  /**
   * Runs the workers on {@code executor}, like {@link TaskGroup#withExecutor(Executor)}.
   *
   * @return this pool
   * @throws IllegalStateException if the workers started
   */
  @SuppressWarnings("CanIgnoreReturnValueSuggester")
  public WorkerPool<J> withExecutor(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    synchronized (startLock) {
      checkNotStarted();
      var unused = group.withExecutor(executor);
    }
    return this;
  }

  private void checkNotStarted() {
    if (jobs != null || shut) {
      throw new IllegalStateException("configure the pool before its first job");
    }
  }

  /**
   * Creates the pool's own buffer if not done yet, and starts one more worker on it unless the
   * limit is reached; returns the buffer.
   */
  private Channel.Sender<J> start() {
    Channel.Sender<J> s = jobs;
    if (s == null) {
      synchronized (startLock) {
        s = jobs;
        if (s == null) {
          Channel<J> channel = Channel.open(capacity < 0 ? workers : capacity);
          buffered = channel.receiver();
          s = channel.sender();
          jobs = s;
        }
      }
    }
    // The configuration is fixed once jobs is set, and the read of jobs made it visible.
    int n;
    while ((n = started.get()) < workers) {
      if (started.compareAndSet(n, n + 1)) {
        startWorker(Objects.requireNonNull(buffered));
        break;
      }
    }
    return s;
  }

  private void startWorkers(Channel.Receiver<J> source) {
    for (int i = 0; i < workers; i++) {
      startWorker(source);
    }
  }

  private void startWorker(Channel.Receiver<J> source) {
    group.go(
        s -> {
          @Nullable J job;
          while ((job = source.receive(s)) != null) {
            worker.process(s, job);
          }
        });
  }

  /** Returns the pool's scope, which every job receives; cancelling it cancels the pool. */
  public CancelScope scope() {
    return group.scope();
  }

  /**
   * Submits {@code job}, waiting while the buffer is full. Called from a job (on a worker) it can
   * wait until the pool is cancelled: when every worker does the same (always, with a limit of 1),
   * no worker is left to take a job from the buffer. A job that submits more jobs should use {@link
   * #tryGo}.
   *
   * @throws CancellationException if the pool is (or, while waiting, becomes) cancelled; the job
   *     was not submitted
   * @throws IllegalStateException if {@link #await()}, {@link #drain} or {@link #close()} was
   *     called
   * @throws InterruptedException if the thread is interrupted; the job was not submitted and the
   *     interrupt status stays set
   */
  public void go(J job) throws InterruptedException {
    Objects.requireNonNull(job, "job");
    checkOpen();
    start().send(group.scope(), job);
  }

  /**
   * Submits {@code job} if the buffer has room (with capacity 0: if a worker is idle).
   *
   * @return true if the job was submitted; false if the buffer is full or the pool is cancelled
   * @throws IllegalStateException if {@link #await()}, {@link #drain} or {@link #close()} was
   *     called
   */
  public boolean tryGo(J job) {
    Objects.requireNonNull(job, "job");
    checkOpen();
    Channel.Sender<J> s = start();
    return !group.scope().isCancelled() && s.trySend(job);
  }

  private void checkOpen() {
    if (shut) {
      throw new IllegalStateException("the worker pool was awaited, drained or closed");
    }
  }

  /**
   * Stops accepting jobs, waits until the workers have processed every submitted job, and reports
   * the outcome like {@link TaskGroup#await()}.
   *
   * @throws RuntimeException the first failure, if a job failed with an unchecked exception
   * @throws Error the first {@link Error} a job failed with
   * @throws TaskFailedException if the first failure is a checked exception, its cause
   * @throws CancellationException if the pool was cancelled before every job was processed, though
   *     no job failed
   * @throws InterruptedException if the thread was interrupted while waiting (see {@link
   *     TaskGroup#await()})
   * @throws IllegalStateException if called by one of the pool's own workers
   */
  public void await() throws InterruptedException {
    group.checkNotOwnTask("await");
    shut = true;
    Channel.Sender<J> s = jobs;
    if (s != null) {
      s.close();
    }
    group.await();
  }

  /**
   * Runs the workers on the jobs of {@code source} instead of the pool's own buffer, until {@code
   * source} is closed and drained, then reports like {@link #await()}: a blocking form for a
   * channel filled by someone else (for example a {@link Pipeline} stage). Replaces {@link #go} and
   * {@link #await()}.
   *
   * @throws IllegalStateException if jobs were submitted with {@link #go} or {@link #tryGo}, the
   *     pool was awaited, drained or closed, or this is called by one of its own workers
   * @throws RuntimeException the first failure, if a job failed with an unchecked exception
   * @throws TaskFailedException if the first failure is a checked exception, its cause
   * @throws CancellationException if the pool was cancelled first
   * @throws InterruptedException if the thread was interrupted while waiting (see {@link
   *     TaskGroup#await()})
   */
  public void drain(Channel.Receiver<J> source) throws InterruptedException {
    Objects.requireNonNull(source, "source");
    group.checkNotOwnTask("drain");
    synchronized (startLock) {
      if (jobs != null || shut) {
        throw new IllegalStateException("drain() replaces go() and await()");
      }
      shut = true;
      startWorkers(source);
    }
    group.await();
  }

  /**
   * Cancels the pool unless it was awaited, drops the buffered jobs, waits for the workers to
   * finish and throws the first failure {@link #await()} did not report, like {@link
   * TaskGroup#close()}.
   *
   * @throws IllegalStateException if called by one of the pool's own workers, which would wait for
   *     itself (cancel the pool's {@linkplain #scope() scope} instead)
   */
  @Override
  public void close() {
    group.checkNotOwnTask("close");
    shut = true;
    try {
      group.close();
    } finally {
      Channel.Sender<J> s = jobs;
      if (s != null) {
        s.close();
      }
    }
  }

  @Override
  public String toString() {
    return "WorkerPool[" + group + "]";
  }
}
