package dev.tether;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * A fixed number of workers that take jobs from a bounded buffer, with back-pressure, under one
 * {@link TaskGroup}: the worker pool of Go's "worker pools" pattern.
 *
 * <pre>{@code
 * try (WorkerPool<Path> pool = WorkerPool.open(scope, 4, 16, (s, file) -> index(s, file))) {
 *   for (Path file : files) {
 *     pool.submit(file); // blocks while 16 files wait
 *   }
 *   pool.await(); // no more jobs; waits for the workers, throws the first failure
 * }
 * }</pre>
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>{@link #submit} waits while the buffer is full: a producer can never run ahead of the
 *       workers by more than the buffer.
 *   <li>The first job to fail cancels the pool: the other workers are cancelled (see {@link
 *       TaskGroup}), jobs still buffered are dropped, blocked and later {@link #submit} calls throw
 *       {@link CancellationException}, and {@link #await()} rethrows that failure.
 *   <li>{@link #await()} closes the buffer, lets the workers finish every job submitted, and
 *       reports like {@link TaskGroup#await()}. {@link #close()} without {@link #await()} cancels
 *       the pool and waits for its workers.
 * </ul>
 *
 * <p>Workers run on the {@link TaskGroup}'s default daemon pool. To consume a {@link Channel} that
 * someone else fills and closes, use {@link #drain}.
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
  private final Channel.Sender<J> jobs;

  /** Set by {@link #await()} and {@link #close()}: no job is accepted afterwards. */
  private volatile boolean shut;

  private WorkerPool(TaskGroup group, Channel<J> channel) {
    this.group = group;
    this.jobs = channel.sender();
  }

  /**
   * Opens a pool of {@code workers} workers under {@code parent}, with a buffer of {@code capacity}
   * jobs, and starts the workers.
   *
   * @param capacity how many submitted jobs may wait for a worker; 0 makes {@link #submit} wait
   *     until a worker takes the job
   * @throws IllegalArgumentException if {@code workers < 1} or {@code capacity < 0}
   */
  public static <J> WorkerPool<J> open(
      CancelScope parent, int workers, int capacity, Worker<? super J> worker) {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(worker, "worker");
    checkWorkers(workers);
    Channel<J> channel = Channel.create(capacity);
    TaskGroup group = TaskGroup.open(parent);
    startWorkers(group, workers, channel.receiver(), worker);
    return new WorkerPool<>(group, channel);
  }

  /**
   * Runs {@code workers} workers on the jobs of {@code source} until it is closed and drained, then
   * returns; a blocking form for a channel filled by someone else (for example a {@link Pipeline}
   * stage).
   *
   * @throws RuntimeException the first failure, if a job failed with an unchecked exception
   * @throws TaskFailedException if the first failure is a checked exception, its cause
   * @throws CancellationException if {@code parent} was cancelled first
   * @throws InterruptedException if the thread was interrupted while waiting (see {@link
   *     TaskGroup#await()})
   * @throws IllegalArgumentException if {@code workers < 1}
   */
  public static <J> void drain(
      CancelScope parent, int workers, Channel.Receiver<J> source, Worker<? super J> worker)
      throws InterruptedException {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(worker, "worker");
    checkWorkers(workers);
    try (TaskGroup group = TaskGroup.open(parent)) {
      startWorkers(group, workers, source, worker);
      group.await();
    }
  }

  private static void checkWorkers(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1: " + workers);
    }
  }

  private static <J> void startWorkers(
      TaskGroup group, int workers, Channel.Receiver<J> source, Worker<? super J> worker) {
    for (int i = 0; i < workers; i++) {
      group.go(
          s -> {
            @Nullable J job;
            while ((job = source.receive(s)) != null) {
              worker.process(s, job);
            }
          });
    }
  }

  /** Returns the pool's scope, which every job receives; cancelling it cancels the pool. */
  public CancelScope scope() {
    return group.scope();
  }

  /**
   * Submits {@code job}, waiting while the buffer is full.
   *
   * @throws CancellationException if the pool is (or, while waiting, becomes) cancelled; the job
   *     was not submitted
   * @throws IllegalStateException if {@link #await()} or {@link #close()} was called
   * @throws InterruptedException if the thread is interrupted; the job was not submitted and the
   *     interrupt status stays set
   */
  public void submit(J job) throws InterruptedException {
    Objects.requireNonNull(job, "job");
    checkOpen();
    jobs.send(group.scope(), job);
  }

  private void checkOpen() {
    if (shut) {
      throw new IllegalStateException("the worker pool was awaited or closed");
    }
  }

  /**
   * Submits {@code job} if the buffer has room (with capacity 0: if a worker is idle).
   *
   * @return true if the job was submitted; false if the buffer is full or the pool is cancelled
   * @throws IllegalStateException if {@link #await()} or {@link #close()} was called
   */
  public boolean trySubmit(J job) {
    Objects.requireNonNull(job, "job");
    checkOpen();
    return !group.scope().isCancelled() && jobs.trySend(job);
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
   */
  public void await() throws InterruptedException {
    shut = true;
    jobs.close();
    group.await();
  }

  /**
   * Cancels the pool unless it was awaited, drops the buffered jobs, and waits for the workers to
   * finish, like {@link TaskGroup#close()}.
   */
  @Override
  public void close() {
    shut = true;
    try {
      group.close();
    } finally {
      jobs.close();
    }
  }

  @Override
  public String toString() {
    return "WorkerPool[" + group + "]";
  }
}
