package dev.tether;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * The {@linkplain CancelScope#cause() cause} of a {@link CancelScope} whose deadline passed.
 *
 * <p>A {@link TimeoutException}, so that callers can tell a deadline apart from an explicit {@link
 * CancelScope#cancel()}, whose cause is a plain {@link java.util.concurrent.CancellationException}.
 */
public final class DeadlineExceededException extends TimeoutException {
  private static final long serialVersionUID = 1L;

  private final Instant deadline;

  /**
   * Creates the exception for a scope whose {@code deadline} passed.
   *
   * @param deadline the deadline that passed
   */
  public DeadlineExceededException(Instant deadline) {
    super("deadline exceeded: " + Objects.requireNonNull(deadline, "deadline"));
    this.deadline = deadline;
  }

  /** Returns the deadline that passed. */
  public Instant deadline() {
    return deadline;
  }
}
