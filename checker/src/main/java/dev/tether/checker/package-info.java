/**
 * Tether's Error Prone checks: concurrency mistakes that leak threads, lose errors and deadlock.
 *
 * <p>This package holds the checks only, one {@code public final} {@code @BugPattern} class per
 * file. The questions that several checks ask (does this code run on another thread, who owns the
 * thread running it, what is this executor) are answered once, with a test each, in {@link
 * dev.tether.checker.utils}.
 */
@NullMarked
package dev.tether.checker;

import org.jspecify.annotations.NullMarked;
