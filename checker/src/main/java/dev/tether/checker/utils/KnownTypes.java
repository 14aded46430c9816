package dev.tether.checker.utils;

import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.sun.tools.javac.code.Type;

/**
 * Answers "what is the type of this well-known class in this compilation?": memoized look-ups
 * ({@link PerCompilation#type}, once per compilation, like {@link Suppliers#typeFromString} but
 * with no allocation per use) that several checks share.
 */
public final class KnownTypes {
  /** {@code java.lang.Thread}. */
  public static final Supplier<Type> THREAD = PerCompilation.type("java.lang.Thread");

  private KnownTypes() {}
}
