package dev.tether;

/**
 * Thrown by {@link TaskGroup#await()} and {@link ResultGroup#await()} when a task failed with a
 * checked exception; the {@linkplain #getCause() cause} is that exception, the same instance the
 * task threw, with its original stack trace and the group's other failures {@linkplain
 * Throwable#getSuppressed() suppressed}.
 *
 * <p>Unchecked exceptions and {@link Error}s are rethrown as they are, never wrapped.
 */
public final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TaskFailedException(Throwable cause) {
    super(cause.toString(), cause);
  }
}
