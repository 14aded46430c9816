/**
 * Test helpers for concurrent code: {@link dev.tether.testing.ThreadLeakDetector} and its JUnit 5
 * extension, {@link dev.tether.testing.DetectThreadLeaks}.
 *
 * <p>JUnit is an optional dependency of the runtime: only {@link
 * dev.tether.testing.ThreadLeakExtension} and {@link dev.tether.testing.DetectThreadLeaks} need it
 * on the class path.
 */
@NullMarked
package dev.tether.testing;

import org.jspecify.annotations.NullMarked;
