/**
 * Tether's runtime: structured concurrency for Java 17+.
 *
 * <p>Every task has an owner and a stop condition, cancellation and deadlines propagate down the
 * call tree, and shared state is protected.
 */
@NullMarked
package dev.tether;

import org.jspecify.annotations.NullMarked;
