package dev.tether;

/**
 * A task of a {@link TaskGroup}: Go's {@code func() error} with the context passed in.
 *
 * <p>For a task that returns a value, see {@link ResultTask} and {@link ResultGroup}.
 */
@FunctionalInterface
public interface Task {
  /**
   * Does the work.
   *
   * @param scope the group's scope, cancelled when the group is; pass it to the {@link CancelScope}
   *     blocking helpers or poll {@link CancelScope#throwIfCancelled()}
   * @throws Exception to fail the group
   */
  void run(CancelScope scope) throws Exception;
}
