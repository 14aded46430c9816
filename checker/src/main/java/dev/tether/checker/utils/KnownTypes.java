package dev.tether.checker.utils;

import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.sun.tools.javac.code.Type;

/**
 * Answers "what is the type of this well-known class in this compilation?": memoized look-ups
 * ({@link Suppliers#typeFromString}, once per compilation) that several checks share.
 */
public final class KnownTypes {
  /** {@code java.lang.Thread}. */
  public static final Supplier<Type> THREAD = Suppliers.typeFromString("java.lang.Thread");

  private KnownTypes() {}
}
