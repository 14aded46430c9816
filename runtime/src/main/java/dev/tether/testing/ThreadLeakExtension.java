package dev.tether.testing;

import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link DetectThreadLeaks}: takes a {@link ThreadLeakDetector}
 * snapshot before each test (or class) and fails it if new threads are still alive after it.
 *
 * <p>Configured by the nearest {@link DetectThreadLeaks} on the test method or its classes; without
 * one (registered by auto-detection), it checks each test with the defaults. Registering it twice
 * checks once.
 */
public final class ThreadLeakExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ThreadLeakExtension.class);

  /** Creates the extension; JUnit calls this. */
  public ThreadLeakExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    if (config(context).map(DetectThreadLeaks::perClass).orElse(false)) {
      start(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    check(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!config(context).map(DetectThreadLeaks::perClass).orElse(false)) {
      start(context);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    check(context);
  }

  private static void start(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    if (store.get(context.getUniqueId()) == null) { // a second registration does nothing
      store.put(context.getUniqueId(), detector(context).snapshot());
    }
  }

  private static void check(ExtensionContext context) throws InterruptedException {
    ThreadLeakDetector.Snapshot snapshot =
        context
            .getStore(NAMESPACE)
            .remove(context.getUniqueId(), ThreadLeakDetector.Snapshot.class);
    if (snapshot != null) {
      snapshot.assertNoLeaks();
    }
  }

  private static ThreadLeakDetector detector(ExtensionContext context) {
    ThreadLeakDetector detector = ThreadLeakDetector.create();
    Optional<DetectThreadLeaks> config = config(context);
    if (config.isPresent()) {
      detector =
          detector
              .ignoring(config.get().ignore())
              .withLinger(Duration.ofMillis(config.get().lingerMillis()));
    }
    return detector;
  }

  /** The nearest annotation: on the method, then on the class and its enclosing classes. */
  private static Optional<DetectThreadLeaks> config(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = parent(c)) {
      AnnotatedElement element = c.getElement().orElse(null);
      if (element != null) {
        Optional<DetectThreadLeaks> found =
            AnnotationSupport.findAnnotation(element, DetectThreadLeaks.class);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static @Nullable ExtensionContext parent(ExtensionContext c) {
    return c.getParent().orElse(null);
  }
}
