package dev.tether;

import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link TaskGroup}'s tasks run when no {@linkplain TaskGroup#withExecutor executor} is
 * given: on JDK 21 and later, a new virtual thread per task; on JDK 17 to 20 (or with {@code
 * -Dtether.threads=platform}), a shared pool of daemon platform threads that grows and shrinks with
 * demand (idle threads end after 30 seconds). Both name their threads {@code tether-task-N}.
 *
 * <p>The runtime is compiled for Java 17, where {@code Thread.ofVirtual()} does not exist. Instead
 * of a multi-release jar (whose JDK 21 classes a JDK 17 build cannot compile, so that the jar's
 * content would depend on the JDK that built it), the virtual-thread {@link ThreadFactory} is
 * looked up once, reflectively, when this class is initialized; the JDK's own factory is then
 * called directly, so starting a task involves no reflection.
 */
final class DefaultExecutor {
  private DefaultExecutor() {}

  static final String PROPERTY = "tether.threads";
  private static final String THREAD_PREFIX = "tether-task-";

  /** The executor of every group without one of its own. */
  static final Executor EXECUTOR = create(System.getProperty(PROPERTY, "auto"));

  /** True if {@link #EXECUTOR} starts virtual threads. */
  static boolean isVirtual() {
    return EXECUTOR instanceof VirtualThreadPerTask;
  }

  /**
   * Returns a virtual thread per task if {@code mode} is not {@code "platform"} and the JDK has
   * virtual threads, else a new shared platform-thread pool.
   */
  static Executor create(String mode) {
    if (!mode.equals("platform")) {
      ThreadFactory virtual = virtualThreadFactory();
      if (virtual != null) {
        return new VirtualThreadPerTask(virtual);
      }
    }
    return platformPool();
  }

  static ThreadPoolExecutor platformPool() {
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        30,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        Threads.daemonFactory(THREAD_PREFIX));
  }

  /**
   * Returns {@code Thread.ofVirtual().name("tether-task-", 1).factory()}, or null before JDK 21
   * (where the method is missing, or a preview feature that is off).
   */
  static @Nullable ThreadFactory virtualThreadFactory() {
    try {
      Method ofVirtual = Thread.class.getMethod("ofVirtual");
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Object b = ofVirtual.invoke(null);
      b = builder.getMethod("name", String.class, long.class).invoke(b, THREAD_PREFIX, 1L);
      return (ThreadFactory) builder.getMethod("factory").invoke(b);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
      return null;
    }
  }

  /** Starts each task on a new thread of the factory: no pool, nothing to shut down. */
  private static final class VirtualThreadPerTask implements Executor {
    private final ThreadFactory factory;

    VirtualThreadPerTask(ThreadFactory factory) {
      this.factory = factory;
    }

    @Override
    public void execute(Runnable task) {
      factory.newThread(task).start();
    }
  }
}
