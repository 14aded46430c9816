package dev.tether.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails each test (or, with {@link #perClass()}, the test class) that leaves new threads running,
 * with the {@link ThreadLeakDetector}.
 *
 * <pre>{@code
 * @DetectThreadLeaks(ignore = "grpc-default-worker-.*")
 * class ClientTest { ... }
 * }</pre>
 *
 * <p>The check runs after the {@code @AfterEach} (or {@code @AfterAll}) methods, so that they can
 * shut down what the test started. To check a whole suite without annotating it, register {@link
 * ThreadLeakExtension} through JUnit's extension auto-detection.
 *
 * <p>The check compares all the threads of the JVM, so it assumes that tests do not run in
 * parallel: with JUnit's parallel execution, another test's threads would count as leaks.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ThreadLeakExtension.class)
public @interface DetectThreadLeaks {
  /** Regular expressions for thread names to ignore, on top of the detector's defaults. */
  String[] ignore() default {};

  /** How long to wait, in milliseconds, for new threads to end before reporting them. */
  long lingerMillis() default 2_000;

  /** Checks once around the whole class instead of around each test. */
  boolean perClass() default false;
}
