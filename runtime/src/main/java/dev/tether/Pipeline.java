package dev.tether;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Builds pipelines of {@link Channel}s whose stages run in one {@link TaskGroup}, where every
 * channel is closed by the stage that sends on it, once its last worker is done (Go's pipeline
 * pattern: the sender closes).
 *
 * <pre>{@code
 * try (TaskGroup group = TaskGroup.open(scope)) {
 *   Channel.Receiver<Path> files = Pipeline.source(group, 16, (s, out) -> walk(s, root, out));
 *   Channel.Receiver<Doc> docs = Pipeline.map(group, files, 4, 16, (s, file) -> parse(file));
 *   for (Doc doc : docs.values(group.scope())) {
 *     index.add(doc);
 *   }
 *   group.await(); // the first failure of any stage, or the cancellation
 * }
 * }</pre>
 *
 * <p>A failing stage fails the group, which cancels every stage; {@link TaskGroup#await()} rethrows
 * the failure. Every stage closes its output when it ends, also when it ends because it was
 * cancelled, so a closed channel alone does not mean that every value went through: receive from a
 * pipeline with the group's {@linkplain TaskGroup#scope() scope} (or a scope under it), whose
 * cancellation {@link Channel.Receiver#receive} reports before "closed", and end with {@link
 * TaskGroup#await()}.
 *
 * <p>Memory consistency effects: those of {@link Channel} between stages, and of {@link TaskGroup}
 * between the stages and {@link TaskGroup#await()}.
 */
public final class Pipeline {
  private Pipeline() {}

  /**
   * Produces the values of a {@link Pipeline#source}.
   *
   * @param <T> the type of the values
   */
  @FunctionalInterface
  public interface Source<T> {
    /**
     * Sends values to {@code out}; the pipeline closes it when this method returns.
     *
     * @param scope the group's scope; pass it to {@link Channel.Sender#send}
     * @throws Exception to fail the group
     */
    void produce(CancelScope scope, Channel.Sender<T> out) throws Exception;
  }

  /**
   * Transforms one value in a {@link Pipeline#map} stage.
   *
   * @param <A> the type of the input values
   * @param <B> the type of the output values
   */
  @FunctionalInterface
  public interface Stage<A, B> {
    /**
     * Maps {@code in}.
     *
     * @param scope the group's scope
     * @return the output value, or {@code null} to send nothing (a filter)
     * @throws Exception to fail the group
     */
    @Nullable B apply(CancelScope scope, A in) throws Exception;
  }

  /**
   * Starts {@code source} in {@code group} with a new channel of {@code capacity}, which it closes
   * when {@code source} returns or throws, or when the group is cancelled before it started.
   *
   * @return the receive view of the new channel
   */
  public static <T> Channel.Receiver<T> source(TaskGroup group, int capacity, Source<T> source) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(source, "source");
    Channel<T> out = Channel.open(capacity);
    Channel.Sender<T> sender = out.sender();
    group.go(
        s -> {
          try (sender) {
            source.produce(s, sender);
          }
        },
        sender::close);
    return out.receiver();
  }

  /**
   * Starts a stage of {@code workers} workers in {@code group} that apply {@code stage} to every
   * value of {@code in} and send the results to a new channel of {@code capacity}. The stage closes
   * that channel when its last worker is done: after {@code in} was closed and drained, or after
   * the group was cancelled (also when a worker never started). With more than one worker, the
   * output order is not the input order.
   *
   * @return the receive view of the new channel
   * @throws IllegalArgumentException if {@code workers < 1} or {@code capacity < 0}
   */
  public static <A, B> Channel.Receiver<B> map(
      TaskGroup group,
      Channel.Receiver<A> in,
      int workers,
      int capacity,
      Stage<? super A, ? extends B> stage) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(stage, "stage");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1: " + workers);
    }
    Channel<B> out = Channel.open(capacity);
    Channel.Sender<B> sender = out.sender();
    AtomicInteger running = new AtomicInteger(workers);
    Runnable workerDone =
        () -> {
          if (running.decrementAndGet() == 0) {
            sender.close();
          }
        };
    for (int i = 0; i < workers; i++) {
      group.go(
          s -> {
            try {
              @Nullable A a;
              while ((a = in.receive(s)) != null) {
                B b = stage.apply(s, a);
                if (b != null) {
                  sender.send(s, b);
                }
              }
            } finally {
              workerDone.run();
            }
          },
          workerDone); // a worker that never ran (the group was cancelled first) is done too
    }
    return out.receiver();
  }
}
