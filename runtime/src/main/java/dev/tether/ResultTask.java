package dev.tether;

import org.jspecify.annotations.Nullable;

/**
 * A task of a {@link ResultGroup}, which returns a value: Go's {@code func() (T, error)} with the
 * context passed in.
 *
 * @param <T> the type of its result; may be nullable
 */
@FunctionalInterface
public interface ResultTask<T extends @Nullable Object> {
  /**
   * Computes the result.
   *
   * @param scope the group's scope, cancelled when the group is
   * @throws Exception to fail the group
   */
  T call(CancelScope scope) throws Exception;
}
