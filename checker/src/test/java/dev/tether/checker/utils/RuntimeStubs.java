package dev.tether.checker.utils;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;

/**
 * Stand-ins for the runtime's public API ({@code dev.tether}), with today's names and signatures,
 * for the tests of the runtime-aware checks: the checker does not depend on {@code tether-runtime}.
 */
public final class RuntimeStubs {
  private RuntimeStubs() {}

  private static final String[][] FILES = {
    {
      "dev/tether/CancelScope.java",
      "package dev.tether;",
      "import java.time.*;",
      "import java.util.concurrent.*;",
      "public final class CancelScope implements AutoCloseable {",
      "  public static CancelScope root() { return null; }",
      "  public CancelScope withCancel() { return this; }",
      "  public CancelScope withTimeout(Duration d) { return this; }",
      "  public CancelScope withDeadline(Instant i) { return this; }",
      "  public void cancel() {}",
      "  @Override public void close() {}",
      "  public boolean isCancelled() { return false; }",
      "  public void throwIfCancelled() {}",
      "  public void sleep(Duration d) throws InterruptedException {}",
      "  public void waitFor(CountDownLatch l) throws InterruptedException {}",
      "  public <E> E take(BlockingQueue<E> q) throws InterruptedException { return null; }",
      "  public <E> void put(BlockingQueue<E> q, E e) throws InterruptedException {}",
      "  public <V> V get(Future<V> f) throws InterruptedException, ExecutionException {",
      "    return null;",
      "  }",
      "}"
    },
    {
      "dev/tether/Task.java",
      "package dev.tether;",
      "@FunctionalInterface",
      "public interface Task { void run(CancelScope scope) throws Exception; }"
    },
    {
      "dev/tether/ResultTask.java",
      "package dev.tether;",
      "@FunctionalInterface",
      "public interface ResultTask<T> { T call(CancelScope scope) throws Exception; }"
    },
    {
      "dev/tether/TaskGroup.java",
      "package dev.tether;",
      "import java.util.concurrent.Executor;",
      "public final class TaskGroup implements AutoCloseable {",
      "  public static TaskGroup open() { return null; }",
      "  public static TaskGroup open(CancelScope parent) { return null; }",
      "  public TaskGroup withLimit(int limit) { return this; }",
      "  public TaskGroup withExecutor(Executor e) { return this; }",
      "  public CancelScope scope() { return null; }",
      "  public void go(Task task) {}",
      "  public boolean tryGo(Task task) { return true; }",
      "  public void await() throws InterruptedException {}",
      "  @Override public void close() {}",
      "}"
    },
    {
      "dev/tether/ResultGroup.java",
      "package dev.tether;",
      "import java.util.List;",
      "public final class ResultGroup<T> implements AutoCloseable {",
      "  public static <T> ResultGroup<T> open(CancelScope parent) { return null; }",
      "  public ResultGroup<T> withLimit(int limit) { return this; }",
      "  public void go(ResultTask<? extends T> task) {}",
      "  public List<T> await() throws InterruptedException { return null; }",
      "  @Override public void close() {}",
      "}"
    },
    {
      "dev/tether/WorkerPool.java",
      "package dev.tether;",
      "public final class WorkerPool<J> implements AutoCloseable {",
      "  public interface Worker<J> { void work(CancelScope scope, J job) throws Exception; }",
      "  public static <J> WorkerPool<J> open(CancelScope p, Worker<? super J> w) { return null; }",
      "  public WorkerPool<J> withLimit(int limit) { return this; }",
      "  public WorkerPool<J> withCapacity(int capacity) { return this; }",
      "  public void go(J job) throws InterruptedException {}",
      "  public void drain(Object source) throws InterruptedException {}",
      "  public void await() throws InterruptedException {}",
      "  @Override public void close() {}",
      "}"
    },
    {
      "dev/tether/Ticker.java",
      "package dev.tether;",
      "import java.time.Duration;",
      "public final class Ticker implements AutoCloseable {",
      "  public static Ticker open(Duration period) { return null; }",
      "  public static CancelScope open(CancelScope p, Duration period, Runnable a) {",
      "    return null;",
      "  }",
      "  public boolean tick(CancelScope scope) throws InterruptedException { return true; }",
      "  @Override public void close() {}",
      "}"
    },
    {
      "dev/tether/StateOwner.java",
      "package dev.tether;",
      "import java.util.function.*;",
      "public final class StateOwner<S> implements AutoCloseable {",
      "  public static <S> StateOwner<S> open(CancelScope parent, S state) { return null; }",
      "  public void tell(CancelScope s, Consumer<? super S> m) throws InterruptedException {}",
      "  @Override public void close() {}",
      "}"
    },
  };

  /** Adds the stubs to {@code helper}. */
  public static CompilationTestHelper addTo(CompilationTestHelper helper) {
    for (String[] file : FILES) {
      helper = helper.addSourceLines(file[0], tail(file));
    }
    return helper;
  }

  /** Adds the stubs, unchanged, to {@code helper}. */
  public static BugCheckerRefactoringTestHelper addTo(BugCheckerRefactoringTestHelper helper) {
    for (String[] file : FILES) {
      helper = helper.addInputLines(file[0], tail(file)).expectUnchanged();
    }
    return helper;
  }

  private static String[] tail(String[] file) {
    String[] lines = new String[file.length - 1];
    System.arraycopy(file, 1, lines, 0, lines.length);
    return lines;
  }
}
