package dev.tether.checker.utils;

import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Name;
import java.lang.ref.SoftReference;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A value computed once per compilation (javac {@link Context}), for the hot paths of the checks.
 * Like {@link VisitorState#memoize}, but a hit costs a field read and a comparison: Error Prone's
 * memo locks and allocates a path-less {@link VisitorState} on every {@code get}, which adds up
 * when a check asks for a type on every method call or {@code new} it sees. As there, the value is
 * held softly, a new compilation (another {@code Context}) computes it anew, and a {@code null} (a
 * type that the compilation has not loaded yet) is not kept but asked for again on the next {@code
 * get}; it is safe to share between compilations running on several threads at once.
 */
public final class PerCompilation<T> implements Supplier<T> {
  /** One compilation's value; replaced as a whole, so a reader never sees a half-written pair. */
  private record Entry<T>(Context context, T value) {}

  private final Supplier<T> compute;
  private volatile SoftReference<@Nullable Entry<T>> cache = new SoftReference<>(null);

  private PerCompilation(Supplier<T> compute) {
    this.compute = compute;
  }

  /** A value that {@code compute} makes once per compilation. */
  public static <T> PerCompilation<T> of(Supplier<T> compute) {
    return new PerCompilation<>(compute);
  }

  /** A type looked up by name once per compilation ({@link Suppliers#typeFromString}). */
  public static PerCompilation<Type> type(String name) {
    return of(state -> state.getTypeFromString(name));
  }

  /** A name of javac's name table, for allocation-free comparison with a tree's or symbol's. */
  public static PerCompilation<Name> name(String name) {
    return of(state -> state.getName(name));
  }

  /** Names of javac's table, for allocation-free membership tests of a tree's or symbol's name. */
  public static PerCompilation<Set<Name>> names(String... names) {
    return names(List.of(names));
  }

  /** Names of javac's table, for allocation-free membership tests of a tree's or symbol's name. */
  public static PerCompilation<Set<Name>> names(Collection<String> names) {
    return of(
        state -> {
          Set<Name> set = new HashSet<>();
          for (String name : names) {
            set.add(state.getName(name));
          }
          return Collections.unmodifiableSet(set);
        });
  }

  @Override
  public @Nullable T get(VisitorState state) {
    Entry<T> entry = cache.get();
    if (entry != null && entry.context() == state.context) {
      return entry.value();
    }
    T value = compute.get(state);
    if (value != null) {
      cache = new SoftReference<>(new Entry<>(state.context, value));
    }
    return value;
  }
}
