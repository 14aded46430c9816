package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.util.TreePath;
import org.junit.jupiter.api.Test;

final class ThreadOwnershipTest {
  /** Reports, at every call to {@code here()}, what runs the code around it. */
  @BugPattern(summary = "Reports ThreadOwnership.of", severity = WARNING)
  public static final class RunnerProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("here")) {
        return Description.NO_MATCH;
      }
      ThreadOwnership.Runner runner = ThreadOwnership.of(state.getPath(), state);
      return buildDescription(tree)
          .setMessage(runner + (runner.ownsThread() ? " owner" : " not-owner"))
          .build();
    }
  }

  /**
   * Reports, at every {@code start()} of a new thread, whether it has an owner by construction; the
   * two verdicts do not contain each other, so that a diagnostic can only match one of them.
   */
  @BugPattern(summary = "Reports ThreadOwnership.hasOwnerByConstruction", severity = WARNING)
  public static final class OwnerProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      ExpressionTree receiver = ASTHelpers.getReceiver(tree);
      if (!Trees.calledName(tree).equals("start") || !(receiver instanceof NewClassTree)) {
        return Description.NO_MATCH;
      }
      TreePath path = state.getPath();
      return buildDescription(tree)
          .setMessage(
              ThreadOwnership.hasOwnerByConstruction(path, receiver, state)
                  ? "verdict: has-owner"
                  : "verdict: no-owner")
          .build();
    }
  }

  /** Reports, at every call to {@code here()}, whether it is directly in a program's main. */
  @BugPattern(summary = "Reports ThreadOwnership.isInProgramMain", severity = WARNING)
  public static final class MainProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("here")) {
        return Description.NO_MATCH;
      }
      return buildDescription(tree)
          .setMessage(ThreadOwnership.isInProgramMain(state.getPath()) ? "in: main" : "out: other")
          .build();
    }
  }

  /**
   * Reports, at every call to {@code here()}, whether it is directly the body of a process thread.
   */
  @BugPattern(summary = "Reports ThreadOwnership.isProcessThreadBody", severity = WARNING)
  public static final class ProcessBodyProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("here")) {
        return Description.NO_MATCH;
      }
      return buildDescription(tree)
          .setMessage(
              ThreadOwnership.isProcessThreadBody(state.getPath(), state)
                  ? "body: process"
                  : "body: other")
          .build();
    }
  }

  /**
   * Reports, at every call to {@code here()}, whether it is directly the body of an unheld thread.
   */
  @BugPattern(summary = "Reports ThreadOwnership.isUnheldThreadBody", severity = WARNING)
  public static final class UnheldBodyProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("here")) {
        return Description.NO_MATCH;
      }
      return buildDescription(tree)
          .setMessage(
              ThreadOwnership.isUnheldThreadBody(state.getPath(), state)
                  ? "body: unheld"
                  : "body: held-or-other")
          .build();
    }
  }

  /**
   * Reports, at every call to {@code here()}, whether its method runs only on the thread whose
   * {@code run()} is in the same class, or before that thread starts.
   */
  @BugPattern(summary = "Reports ThreadOwnership.runsOnlyOnThreadOf", severity = WARNING)
  public static final class OnlyOnThreadProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("here")) {
        return Description.NO_MATCH;
      }
      com.sun.source.tree.ClassTree cls =
          ASTHelpers.findEnclosingNode(state.getPath(), com.sun.source.tree.ClassTree.class);
      com.sun.source.tree.MethodTree run = null;
      for (com.sun.source.tree.Tree member : cls.getMembers()) {
        if (member instanceof com.sun.source.tree.MethodTree m
            && m.getName().contentEquals("run")) {
          run = m;
        }
      }
      return buildDescription(tree)
          .setMessage(
              run != null && ThreadOwnership.runsOnlyOnThreadOf(state.getPath(), run, state)
                  ? "runs: only-there"
                  : "runs: anywhere")
          .build();
    }
  }

  /**
   * The body of a thread that is started and dropped, with no owner by construction, is unheld; the
   * same body kept in a field or a collection, started under a start-once guard, or of a class that
   * another package may make is not.
   */
  @Test
  void unheldThreadBody() {
    CompilationTestHelper.newInstance(UnheldBodyProbe.class, getClass())
        .addSourceLines(
            "U.java",
            "import java.util.*;",
            "public class U {",
            "  static class Dropped extends Thread {",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: body: unheld",
            "      here();",
            "    }",
            "  }",
            "  public static class Visible extends Thread {",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: body: held-or-other",
            "      here();",
            "    }",
            "  }",
            "  private final List<Thread> kept = new ArrayList<>();",
            "  private final java.util.concurrent.atomic.AtomicBoolean once =",
            "      new java.util.concurrent.atomic.AtomicBoolean();",
            "  void start() {",
            "    new Dropped().start();",
            "    new Visible().start();",
            "    new Thread(() -> {",
            "      // BUG: Diagnostic contains: body: unheld",
            "      here();",
            "    }).start();",
            "    Thread local = new Thread(() -> {",
            "      // BUG: Diagnostic contains: body: unheld",
            "      here();",
            "    });",
            "    local.setDaemon(true);",
            "    local.start();",
            "    Thread held = new Thread(() -> {",
            "      // BUG: Diagnostic contains: body: held-or-other",
            "      here();",
            "    });",
            "    held.start();",
            "    kept.add(held);",
            "    if (once.compareAndSet(false, true)) {",
            "      new Thread(() -> {",
            "        // BUG: Diagnostic contains: body: held-or-other",
            "        here();",
            "      }).start();",
            "    }",
            "  }",
            "  static void here() {}",
            "}")
        .doTest();
  }

  /**
   * A method that only {@code run()} calls (through others), or that another thread calls on a
   * thread it has just made and starts afterwards, runs only there; one also called on a started
   * thread, from a loop, or on a thread it did not make, runs anywhere.
   */
  @Test
  void runsOnlyOnThreadOf() {
    CompilationTestHelper.newInstance(OnlyOnThreadProbe.class, getClass())
        .addSourceLines(
            "R.java",
            "class R {",
            "  static class Worker extends Thread {",
            "    @Override public void run() { step(); }",
            "    private void step() { inner(); }",
            "    private void inner() {",
            "      // BUG: Diagnostic contains: runs: only-there",
            "      here();",
            "    }",
            "    void prepare() {",
            "      // BUG: Diagnostic contains: runs: only-there",
            "      here();",
            "    }",
            "    void finish() {",
            "      // BUG: Diagnostic contains: runs: anywhere",
            "      here();",
            "    }",
            "    void looped() {",
            "      // BUG: Diagnostic contains: runs: anywhere",
            "      here();",
            "    }",
            "    void given() {",
            "      // BUG: Diagnostic contains: runs: anywhere",
            "      here();",
            "    }",
            "  }",
            "  void launch(Worker other) {",
            "    Worker w = new Worker();",
            "    w.prepare();",
            "    w.start();",
            "    w.finish();",
            "    other.given();",
            "    for (int i = 0; i < 2; i++) {",
            "      Worker v = new Worker();",
            "      v.looped();",
            "      v.start();",
            "    }",
            "  }",
            "  static void here() {}",
            "}")
        .doTest();
  }

  /**
   * The body of a non-daemon thread that {@code main} starts (or a private method only {@code main}
   * calls) is the process's; the same body started from public API, as a daemon, per element of an
   * input, or in a lambda that no thread runs is not.
   */
  @Test
  void processThreadBody() {
    CompilationTestHelper.newInstance(ProcessBodyProbe.class, getClass())
        .addSourceLines(
            "P.java",
            "import java.util.List;",
            "public class P {",
            "  private static final class Own extends Thread {",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: body: process",
            "      here();",
            "    }",
            "  }",
            "  private static final class PerItem implements Runnable {",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: body: other",
            "      here();",
            "    }",
            "  }",
            "  public static void main(String[] args) {",
            "    // BUG: Diagnostic contains: body: process",
            "    new Thread(() -> here()).start();",
            "    Thread daemon = new Thread(() -> {",
            "      // BUG: Diagnostic contains: body: other",
            "      here();",
            "    });",
            "    daemon.setDaemon(true);",
            "    daemon.start();",
            "    // BUG: Diagnostic contains: body: other",
            "    Runnable r = () -> here();",
            "    startOwn();",
            "    for (String a : List.of(args)) { new Thread(new PerItem(), a).start(); }",
            "  }",
            "  private static void startOwn() { new Own().start(); }",
            "  public void api() {",
            "    // BUG: Diagnostic contains: body: other",
            "    new Thread(() -> here()).start();",
            "  }",
            "  static void here() {}",
            "}")
        .doTest();
  }

  /** Closing the resource that a thread's loop reads is a stop signal, when a stop method does. */
  @Test
  void threadStoppedByClosingItsResource() {
    CompilationTestHelper.newInstance(OwnerProbe.class, getClass())
        .addSourceLines(
            "R.java",
            "import java.io.*;",
            "import java.net.*;",
            "class R {",
            "  private ServerSocket server;",
            "  private ServerSocket unclosed;",
            "",
            "  void accepted() {",
            "    new Thread(() -> {",
            "      while (true) {",
            "        try { server.accept().close(); } catch (IOException e) { return; }",
            "      }",
            "    // BUG: Diagnostic contains: verdict: has-owner",
            "    }).start();",
            "  }",
            "",
            "  void notClosed() {",
            "    new Thread(() -> {",
            "      while (true) {",
            "        try { unclosed.accept().close(); } catch (IOException e) { return; }",
            "      }",
            "    // BUG: Diagnostic contains: verdict: no-owner",
            "    }).start();",
            "  }",
            "",
            "  void noLoop() {",
            "    new Thread(() -> {",
            "      try { server.accept().close(); } catch (IOException e) { return; }",
            "    // BUG: Diagnostic contains: verdict: no-owner",
            "    }).start();",
            "  }",
            "",
            "  void shutdown() throws IOException { server.close(); }",
            "}")
        .doTest();
  }

  @Test
  void programMainIsOnlyTheEntryPointItself() {
    CompilationTestHelper.newInstance(MainProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  public static void main(String[] args) {",
            "    // BUG: Diagnostic contains: in: main",
            "    here();",
            "    // BUG: Diagnostic contains: out: other",
            "    Runnable r = () -> here();",
            "    new Object() {",
            "      // BUG: Diagnostic contains: out: other",
            "      void m() { here(); }",
            "    };",
            "  }",
            "  public static int main(String[] args, int n) {",
            "    // BUG: Diagnostic contains: out: other",
            "    here();",
            "    return 0;",
            "  }",
            "  public void main(Object[] args) {",
            "    // BUG: Diagnostic contains: out: other",
            "    here();",
            "  }",
            "  static void here() {}",
            "}",
            "class B {",
            "  public static void main(String... args) {",
            "    // BUG: Diagnostic contains: in: main",
            "    A.here();",
            "  }",
            "}",
            "class C {",
            "  static void main(String[] args) {",
            "    // BUG: Diagnostic contains: out: other",
            "    A.here();",
            "  }",
            "}")
        .doTest();
  }

  private final CompilationTestHelper runner =
      CompilationTestHelper.newInstance(RunnerProbe.class, getClass());

  /**
   * Issue 12 (JGroups' {@code UdpPerf}): {@code main} owns the thread the JVM runs it on, and so
   * does code that is not public API reached only from {@code main}. The twins: a lambda or class
   * inside {@code main} (it runs wherever it is called), public API, a method with another caller,
   * and a method that {@code main} and a task both call.
   */
  @Test
  void mainOwnsItsThread() {
    runner
        .addSourceLines(
            "Program.java",
            "import java.util.concurrent.*;",
            "public class Program {",
            "  public static void main(String[] args) {",
            "    // BUG: Diagnostic contains: MAIN_THREAD owner",
            "    here();",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    Runnable r = () -> here();",
            "    new Program().loop();",
            "    sendMessages();",
            "    publicApi();",
            "    sharedWithPublic();",
            "    sharedWithTask();",
            "    sharedWithThread();",
            "    new Thread(Program::sharedWithThread).start();",
            "  }",
            "  protected void loop() {",
            "    // BUG: Diagnostic contains: MAIN_THREAD owner",
            "    here();",
            "  }",
            "  private static void sendMessages() {",
            "    // BUG: Diagnostic contains: MAIN_THREAD owner",
            "    here();",
            "  }",
            "  public static void publicApi() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "  private static void sharedWithPublic() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "  public void other() { sharedWithPublic(); }",
            "  private static void sharedWithTask() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "  void submit(ExecutorService pool) { pool.execute(Program::sharedWithTask); }",
            "  private static void sharedWithThread() {",
            "    // BUG: Diagnostic contains: MAIN_THREAD owner",
            "    here();",
            "  }",
            "  static void here() {}",
            "}")
        .doTest();
  }

  /**
   * Server6 (JGroups' {@code BATCH2}): a method reference given to a thread-runner class of the
   * compilation ({@code new Runner(factory, "runner", this::processDownMessage, null)}, kept in a
   * field and stopped) is the loop of the runner's own thread. The twins: a runner never stopped,
   * one that runs the function only once, one that runs on an executor.
   */
  @Test
  void functionOfAThreadRunnerClass() {
    runner
        .addSourceLines(
            "util/Loop.java",
            "package util;",
            "import java.util.concurrent.*;",
            "public class Loop implements Runnable {",
            "  private final ThreadFactory factory;",
            "  private final Runnable function;",
            "  private volatile boolean running;",
            "  public Loop(String name, Runnable function) {",
            "    this(Executors.defaultThreadFactory(), name, function);",
            "  }",
            "  public Loop(ThreadFactory factory, String name, Runnable function) {",
            "    this.factory = factory;",
            "    this.function = function;",
            "  }",
            "  public void start() { running = true; factory.newThread(this).start(); }",
            "  public void stop() { running = false; }",
            "  @Override public void run() { while (running) { function.run(); } }",
            "}")
        .addSourceLines(
            "util/Once.java",
            "package util;",
            "public class Once implements Runnable {",
            "  private final Runnable function;",
            "  public Once(Runnable function) { this.function = function; }",
            "  public void start() { new Thread(this).start(); }",
            "  public void stop() {}",
            "  @Override public void run() { function.run(); }",
            "}")
        .addSourceLines(
            "util/Pooled.java",
            "package util;",
            "import java.util.concurrent.*;",
            "public class Pooled implements Runnable {",
            "  private final Runnable function;",
            "  private final ExecutorService pool = Executors.newCachedThreadPool();",
            "  private volatile boolean running = true;",
            "  public Pooled(Runnable function) { this.function = function; }",
            "  public void start() { pool.execute(this); }",
            "  public void stop() { running = false; pool.shutdown(); }",
            "  @Override public void run() { while (running) { function.run(); } }",
            "}")
        .addSourceLines(
            "p/Batch.java",
            "package p;",
            "import util.*;",
            "public class Batch {",
            "  static void here() {}",
            "  protected final Loop runner = new Loop(\"runner\", this::process);",
            "  protected final Loop forgotten = new Loop(\"forgotten\", this::neverStopped);",
            "  private final Once once = new Once(this::onlyOnce);",
            "  private final Pooled pooled = new Pooled(this::onAPool);",
            "  public void start() { runner.start(); forgotten.start(); once.start(); pooled.start(); }",
            "  public void stop() { runner.stop(); once.stop(); pooled.stop(); }",
            "  protected void process() {",
            "    // BUG: Diagnostic contains: OWN_THREAD owner",
            "    here();",
            "  }",
            "  protected void neverStopped() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "  protected void onlyOnce() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "  protected void onAPool() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Server6 (Tomcat JDBC's {@code ConnectionFuture}): a named {@code Runnable} that only {@code
   * execute}s itself on a class-private executor nothing can interrupt (no {@code shutdownNow},
   * {@code close}, futures, never passed on) runs where no interrupt can reach it. The twins: the
   * executor is also shut down with {@code shutdownNow}, handed out, or given tasks with futures.
   */
  @Test
  void taskOnAPrivateExecutorNothingInterrupts() {
    runner
        .addSourceLines(
            "Pool.java",
            "import java.util.concurrent.*;",
            "class Pool {",
            "  static void here() {}",
            "  private final ThreadPoolExecutor quiet =",
            "      new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());",
            "  private final ExecutorService stopped = Executors.newSingleThreadExecutor();",
            "  private final ExecutorService shared = Executors.newSingleThreadExecutor();",
            "  private final ExecutorService futures = Executors.newSingleThreadExecutor();",
            "",
            "  void close() { stopped.shutdownNow(); quiet.shutdown(); }",
            "  ExecutorService shared() { return shared; }",
            "  Future<?> other() { return futures.submit(() -> {}); }",
            "",
            "  class Quiet implements Runnable {",
            "    void cancel() { quiet.execute(this); }",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "      here();",
            "    }",
            "  }",
            "  // Shut down now by its class, never given out: an executor only its class can reach.",
            "  class Stopped implements Runnable {",
            "    void cancel() { stopped.execute(this); }",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "      here();",
            "    }",
            "  }",
            "  class Shared implements Runnable {",
            "    void cancel() { shared.execute(this); }",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      here();",
            "    }",
            "  }",
            "  class WithFutures implements Runnable {",
            "    void cancel() { futures.execute(this); }",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      here();",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  /**
   * STREAMS-103 (docs/recall.md): a named {@code Runnable} that another class of its package
   * submits to a pool is a task there, not a thread's own body; the twin, started on a thread of
   * its own by another class, is the thread's body.
   */
  @Test
  void runnableSubmittedByAnotherClassOfItsPackage() {
    runner
        .addSourceLines(
            "p/Monitor.java",
            "package p;",
            "public class Monitor implements Runnable {",
            "  static void here() {}",
            "  @Override public void run() {",
            "    // BUG: Diagnostic contains: TASK not-owner",
            "    here();",
            "  }",
            "}")
        .addSourceLines(
            "p/Builder.java",
            "package p;",
            "import java.util.concurrent.*;",
            "class Builder {",
            "  void start(ExecutorService pool) { pool.submit(new Monitor()); }",
            "}")
        .addSourceLines(
            "p/Reader.java",
            "package p;",
            "public class Reader implements Runnable {",
            "  @Override public void run() {",
            "    // BUG: Diagnostic contains: OWN_THREAD owner",
            "    Monitor.here();",
            "  }",
            "}")
        .addSourceLines(
            "p/Starter.java",
            "package p;",
            "class Starter {",
            "  void start() { new Thread(new Reader()).start(); }",
            "}")
        .doTest();
  }

  /**
   * Shape 4 with the executor made outside the field's declaration: assigned a new executor in the
   * constructor or {@code start()}, or a local executor given one task and shut down (also by the
   * task itself); the twins — a field also assigned a given executor, a local passed on, given a
   * second task or never shut down — stay tasks.
   */
  @Test
  void privateExecutorsMadeOutsideTheDeclaration() {
    runner
        .addSourceLines(
            "A.java",
            "import java.util.concurrent.*;",
            "class A {",
            "  static void here() {}",
            "  static final class InConstructor {",
            "    private final ExecutorService service;",
            "    InConstructor() { service = Executors.newSingleThreadExecutor(); }",
            "    void start() {",
            "      // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "      service.execute(() -> here());",
            "    }",
            "    void stop() { service.shutdownNow(); }",
            "  }",
            "  static final class InStart {",
            "    private volatile ExecutorService service;",
            "    void start() {",
            "      service = Executors.newSingleThreadExecutor();",
            "      // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "      service.execute(() -> here());",
            "    }",
            "    void stop() { service.shutdownNow(); service = null; }",
            "  }",
            "  static final class AlsoGiven {",
            "    private ExecutorService service;",
            "    AlsoGiven() { service = Executors.newSingleThreadExecutor(); }",
            "    void use(ExecutorService given) { service = given; }",
            "    void start() {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      service.execute(() -> here());",
            "    }",
            "    void stop() { service.shutdownNow(); }",
            "  }",
            "  static final class OnlyNull {",
            "    private ExecutorService service = null;",
            "    void start() {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      service.execute(() -> here());",
            "    }",
            "    void stop() { service.shutdownNow(); }",
            "  }",
            "  void local() {",
            "    ExecutorService single = Executors.newSingleThreadExecutor();",
            "    single.execute(() -> {",
            "      // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "      here();",
            "      single.shutdown();",
            "    });",
            "  }",
            "  void localAnonymous() {",
            "    final ExecutorService single = Executors.newSingleThreadExecutor();",
            "    single.execute(new Runnable() {",
            "      @Override public void run() {",
            "        // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "        here();",
            "        single.shutdownNow();",
            "      }",
            "    });",
            "  }",
            "  void localSubTasks(java.util.List<Callable<String>> tasks) throws Exception {",
            "    ExecutorService pool = Executors.newFixedThreadPool(3);",
            "    pool.submit(() -> {",
            "      // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "      here();",
            "      return pool.invokeAll(tasks);",
            "    });",
            "    pool.shutdown();",
            "    pool.awaitTermination(1, TimeUnit.SECONDS);",
            "  }",
            "  void localPassedOn() {",
            "    ExecutorService single = Executors.newSingleThreadExecutor();",
            "    single.execute(() -> {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      here();",
            "    });",
            "    single.shutdown();",
            "    keep(single);",
            "  }",
            "  void localTwoTasks() {",
            "    ExecutorService single = Executors.newSingleThreadExecutor();",
            "    single.execute(() -> {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      here();",
            "    });",
            "    single.execute(() -> {});",
            "    single.shutdown();",
            "  }",
            "  void localNeverShutDown() {",
            "    ExecutorService single = Executors.newSingleThreadExecutor();",
            "    single.execute(() -> {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      here();",
            "    });",
            "  }",
            "  Future<?> localFutureReturned() {",
            "    ExecutorService single = Executors.newSingleThreadExecutor();",
            "    Future<?> task = single.submit(() -> {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      here();",
            "    });",
            "    single.shutdown();",
            "    return task;",
            "  }",
            "  static void keep(ExecutorService e) {}",
            "}")
        .doTest();
  }

  @Test
  void threadBodiesAndWhatOnlyTheyReach() {
    runner
        .addSourceLines(
            "A.java",
            "import java.util.concurrent.*;",
            "class A {",
            "  static void here() {}",
            "  static final class Worker extends Thread {",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: OWN_THREAD owner",
            "      here();",
            "      step();",
            "    }",
            "    private void step() {",
            "      // BUG: Diagnostic contains: OWN_THREAD owner",
            "      here();",
            "      deeper();",
            "    }",
            "    private void deeper() {",
            "      // BUG: Diagnostic contains: OWN_THREAD owner",
            "      here();",
            "    }",
            "    public void shutdown() {",
            "      // BUG: Diagnostic contains: CALLER not-owner",
            "      here();",
            "      interrupt();",
            "    }",
            "  }",
            "",
            "  // A named Runnable passed to new Thread: run() and what only run() reaches.",
            "  static final class Pump implements Runnable {",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: OWN_THREAD owner",
            "      here();",
            "      drain();",
            "    }",
            "    private void drain() {",
            "      // BUG: Diagnostic contains: OWN_THREAD owner",
            "      here();",
            "    }",
            "    void prepareShutdown() {",
            "      // BUG: Diagnostic contains: CALLER not-owner",
            "      here();",
            "      shared();",
            "    }",
            "    private void shared() {",
            "      // BUG: Diagnostic contains: CALLER not-owner",
            "      here();",
            "    }",
            "  }",
            "  Thread pump() { return new Thread(new Pump()); }",
            "",
            "  // A Runnable that hands itself to an executor is an executor's task.",
            "  static final class SelfSubmitting implements Runnable {",
            "    void start(ExecutorService pool) { pool.execute(this); }",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      here();",
            "    }",
            "  }",
            "",
            "  static final class SubmittedElsewhere implements Runnable {",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      here();",
            "    }",
            "  }",
            "  void submit(ExecutorService pool) { pool.submit(new SubmittedElsewhere()); }",
            "",
            "  // Method references and factories.",
            "  private final ExecutorService shared = Executors.newCachedThreadPool();",
            "  void startAll() {",
            "    new Thread(this::loop).start();",
            "    shared.submit(this::task);",
            "    shared.submit(this::task);",
            "    new Thread(worker()).start();",
            "    callback(this::notOwn);",
            "  }",
            "  private void loop() {",
            "    // BUG: Diagnostic contains: OWN_THREAD owner",
            "    here();",
            "  }",
            "  private void task() {",
            "    // BUG: Diagnostic contains: TASK not-owner",
            "    here();",
            "  }",
            "  private Runnable worker() {",
            "    return () -> {",
            "      // BUG: Diagnostic contains: OWN_THREAD owner",
            "      here();",
            "    };",
            "  }",
            "  private void notOwn() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "  void callback(Runnable r) { r.run(); }",
            "",
            "  // A private method reached from run() and from a public method runs on callers too.",
            "  static final class Mixed extends Thread {",
            "    @Override public void run() { both(); }",
            "    public void close() { both(); }",
            "    private void both() {",
            "      // BUG: Diagnostic contains: CALLER not-owner",
            "      here();",
            "    }",
            "  }",
            "",
            "  // Recursion and cycles between private methods do not hide the owner.",
            "  static final class Cycle extends Thread {",
            "    @Override public void run() { ping(3); }",
            "    private void ping(int n) { if (n > 0) { pong(n - 1); } }",
            "    private void pong(int n) {",
            "      // BUG: Diagnostic contains: OWN_THREAD owner",
            "      here();",
            "      ping(n);",
            "      pong(n - 1);",
            "    }",
            "  }",
            "",
            "  // Never called in sight: may be called by anyone.",
            "  private void unused() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "",
            "  A() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "",
            "  static Thread named(String name, Runnable body) { return new Thread(body, name); }",
            "  void hook() {",
            "    Runtime.getRuntime().addShutdownHook(named(\"hook\", () -> {",
            "      // BUG: Diagnostic contains: OWN_THREAD owner",
            "      here();",
            "    }));",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void poolsAndPrivateExecutors() {
    runner
        .addSourceLines(
            "B.java",
            "import java.util.concurrent.*;",
            "class B {",
            "  static void here() {}",
            "",
            "  // An executor's own worker code, but not its API or lifecycle methods.",
            "  abstract static class Loop implements Executor {",
            "    protected Runnable takeTask() {",
            "      // BUG: Diagnostic contains: POOL_WORKER owner",
            "      here();",
            "      return null;",
            "    }",
            "    @Override public void execute(Runnable r) {",
            "      // BUG: Diagnostic contains: CALLER not-owner",
            "      here();",
            "    }",
            "    public void shutdownGracefully() {",
            "      // BUG: Diagnostic contains: CALLER not-owner",
            "      here();",
            "    }",
            "  }",
            "",
            "  // The one task of a private executor that the class creates and shuts down.",
            "  static final class Poller {",
            "    private final ExecutorService single = Executors.newSingleThreadExecutor();",
            "    void start() { single.execute(this::poll); }",
            "    private void poll() {",
            "      // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "      here();",
            "    }",
            "    void stop() { single.shutdownNow(); }",
            "  }",
            "",
            "  static final class Lambda {",
            "    private final ExecutorService single = Executors.newSingleThreadExecutor();",
            "    void start() {",
            "      single.execute(() -> {",
            "        // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "        here();",
            "      });",
            "    }",
            "    void stop() { single.shutdown(); }",
            "  }",
            "",
            "  // Two tasks of an executor only the class can reach: the class's own.",
            "  static final class TwoTasks {",
            "    private final ExecutorService pool = Executors.newFixedThreadPool(2);",
            "    void start() {",
            "      pool.execute(() -> {",
            "        // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "        here();",
            "      });",
            "      pool.execute(() -> {});",
            "    }",
            "    void stop() { pool.shutdown(); }",
            "  }",
            "",
            "  // Two tasks, no shutdown, or a shared executor: the executor owns the thread.",
            "  static final class Shared {",
            "    private final ExecutorService pool = Executors.newFixedThreadPool(2);",
            "    void start() {",
            "      pool.execute(() -> {",
            "        // BUG: Diagnostic contains: TASK not-owner",
            "        here();",
            "      });",
            "      pool.execute(() -> {});",
            "    }",
            "    ExecutorService executor() { return pool; }",
            "    void stop() { pool.shutdown(); }",
            "  }",
            "",
            "  static final class NeverShutDown {",
            "    private final ExecutorService single = Executors.newSingleThreadExecutor();",
            "    void start() {",
            "      single.execute(() -> {",
            "        // BUG: Diagnostic contains: TASK not-owner",
            "        here();",
            "      });",
            "    }",
            "  }",
            "",
            "  static final class Given {",
            "    private final ExecutorService pool;",
            "    Given(ExecutorService pool) { this.pool = pool; }",
            "    void start() {",
            "      pool.execute(() -> {",
            "        // BUG: Diagnostic contains: TASK not-owner",
            "        here();",
            "      });",
            "    }",
            "    void stop() { pool.shutdown(); }",
            "  }",
            "",
            "  void others(java.util.List<String> list) {",
            "    // BUG: Diagnostic contains: TASK not-owner",
            "    CompletableFuture.runAsync(() -> here());",
            "    // BUG: Diagnostic contains: TASK not-owner",
            "    list.parallelStream().forEach(s -> here());",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    list.forEach(s -> here());",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Server4: the task handed to a class-private executor through a method that makes a runner of
   * it, when the class keeps the runner and stops it (ActiveMQ's {@code createTaskRunner}); the
   * twins — the runner dropped, or not stopped — run wherever the code that holds them does.
   */
  @Test
  void taskOfARunnerTheClassKeepsAndStops() {
    runner
        .addSourceLines(
            "R.java",
            "import java.util.concurrent.*;",
            "class R {",
            "  static void here() {}",
            "  interface Task { boolean iterate(); }",
            "  interface TaskRunner { void shutdown(); }",
            "  static class TaskRunners implements Executor {",
            "    @Override public void execute(Runnable r) { new Thread(r).start(); }",
            "    TaskRunner createTaskRunner(Task task) { return null; }",
            "    void shutdownNow() {}",
            "  }",
            "  static final class Kept {",
            "    private final TaskRunners runners = new TaskRunners();",
            "    private final TaskRunner runner;",
            "    Kept() {",
            "      runner = runners.createTaskRunner(new Task() {",
            "        @Override public boolean iterate() {",
            "          // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "          here();",
            "          return false;",
            "        }",
            "      });",
            "    }",
            "    void stop() { runner.shutdown(); runners.shutdownNow(); }",
            "  }",
            "  static final class KeptLambda {",
            "    private final TaskRunners runners = new TaskRunners();",
            "    private final TaskRunner runner = runners.createTaskRunner(() -> {",
            "      // BUG: Diagnostic contains: PRIVATE_EXECUTOR_TASK owner",
            "      here();",
            "      return false;",
            "    });",
            "    void stop() { runner.shutdown(); runners.shutdownNow(); }",
            "  }",
            "  static final class NotStopped {",
            "    private final TaskRunners runners = new TaskRunners();",
            "    private final TaskRunner runner = runners.createTaskRunner(() -> {",
            "      // BUG: Diagnostic contains: CALLER not-owner",
            "      here();",
            "      return false;",
            "    });",
            "    void stop() { runners.shutdownNow(); }",
            "  }",
            "  static final class Dropped {",
            "    private final TaskRunners runners = new TaskRunners();",
            "    Dropped() {",
            "      runners.createTaskRunner(new Task() {",
            "        @Override public boolean iterate() {",
            "          // BUG: Diagnostic contains: CALLER not-owner",
            "          here();",
            "          return false;",
            "        }",
            "      });",
            "    }",
            "    void stop() { runners.shutdownNow(); }",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void threadsWithAnOwnerByConstruction() {
    CompilationTestHelper.newInstance(OwnerProbe.class, getClass())
        .addSourceLines(
            "C.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.atomic.AtomicBoolean;",
            "class C {",
            "  private static final Object POISON = new Object();",
            "  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();",
            "  private final AtomicBoolean started = new AtomicBoolean();",
            "  private final Semaphore once = new Semaphore(1);",
            "  private volatile boolean running = true;",
            "  private boolean launched;",
            "",
            "  void plain(Runnable r) {",
            "    // BUG: Diagnostic contains: verdict: no-owner",
            "    new Thread(r).start();",
            "  }",
            "",
            "  void flag() {",
            "    // BUG: Diagnostic contains: verdict: has-owner",
            "    new Thread(() -> { while (running) { Thread.onSpinWait(); } }).start();",
            "  }",
            "",
            "  void poisonPill() {",
            "    new Thread(() -> {",
            "      while (true) {",
            "        Object item;",
            "        try { item = queue.take(); } catch (InterruptedException e) { return; }",
            "        if (item == POISON) { return; }",
            "      }",
            "      // BUG: Diagnostic contains: verdict: has-owner",
            "    }).start();",
            "  }",
            "",
            "  void loopsOnInterruptOnly() {",
            "    // BUG: Diagnostic contains: verdict: no-owner",
            "    new Thread(() -> { while (!Thread.interrupted()) { Thread.onSpinWait(); } }).start();",
            "  }",
            "",
            "  void compareAndSet(Runnable r) {",
            "    if (started.compareAndSet(false, true)) {",
            "      // BUG: Diagnostic contains: verdict: has-owner",
            "      new Thread(r).start();",
            "    }",
            "  }",
            "",
            "  void tryAcquire(Runnable r) {",
            "    if (once.tryAcquire()) {",
            "      // BUG: Diagnostic contains: verdict: has-owner",
            "      new Thread(r).start();",
            "    }",
            "  }",
            "",
            "  synchronized void booleanGuard(Runnable r) {",
            "    if (!launched) {",
            "      launched = true;",
            "      // BUG: Diagnostic contains: verdict: has-owner",
            "      new Thread(r).start();",
            "    }",
            "  }",
            "",
            "  synchronized void earlyReturnGuard(Runnable r) {",
            "    if (launched) { return; }",
            "    launched = true;",
            "    // BUG: Diagnostic contains: verdict: has-owner",
            "    new Thread(r).start();",
            "  }",
            "",
            "  void guardedCaller(Runnable r) {",
            "    if (started.compareAndSet(false, true)) { launch(r); }",
            "  }",
            "  private void launch(Runnable r) {",
            "    // BUG: Diagnostic contains: verdict: has-owner",
            "    new Thread(r).start();",
            "  }",
            "",
            "  void unguardedCaller(Runnable r) { launchAnywhere(r); }",
            "  private void launchAnywhere(Runnable r) {",
            "    // BUG: Diagnostic contains: verdict: no-owner",
            "    new Thread(r).start();",
            "  }",
            "",
            "  /** Runs {@code task} on a new daemon thread, as an executor would. */",
            "  static void runInBackground(Runnable task) {",
            "    // BUG: Diagnostic contains: verdict: has-owner",
            "    new Thread(task).start();",
            "  }",
            "",
            "  /** Prints the task's name. */",
            "  static void undocumented(Runnable task) {",
            "    // BUG: Diagnostic contains: verdict: no-owner",
            "    new Thread(task).start();",
            "  }",
            "",
            "  /* Runs it on a new thread (not Javadoc, and the Javadoc above is another method's). */",
            "  static void plainComment(Runnable task) {",
            "    // BUG: Diagnostic contains: verdict: no-owner",
            "    new Thread(task).start();",
            "  }",
            "",
            "  static final class Member extends Thread {",
            "    Member(Map<String, Thread> registry) { registry.put(getName(), this); }",
            "  }",
            "  void registers(Map<String, Thread> registry) {",
            "    // BUG: Diagnostic contains: verdict: has-owner",
            "    new Member(registry).start();",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Start-once guards of server code (server2 shapes E1 and E3): a guard call as an operand of
   * {@code &&} around every call of a package-private starter; {@code if (alive) { log; return; }}
   * with {@code alive = true;} in a nested block before the start; a command loop that stops on
   * {@code "stop".equalsIgnoreCase(cmd)} with its {@code break} one {@code if} deeper. The twins:
   * an unguarded call, a public starter, {@code ||}, the flag written after the start or never, a
   * guard branch that falls through.
   */
  @Test
  void startOnceGuardsOfServerCode() {
    CompilationTestHelper.newInstance(OwnerProbe.class, getClass())
        .addSourceLines(
            "S.java",
            "import java.util.concurrent.atomic.AtomicBoolean;",
            "class S {",
            "  private final AtomicBoolean closing = new AtomicBoolean();",
            "  private boolean alive;",
            "  private Object sock;",
            "",
            "  void close(Runnable r) {",
            "    if (sock != null && closing.compareAndSet(false, true)) {",
            "      closeAsync(r);",
            "      closeAnywhere(r);",
            "      closePublic(r);",
            "    }",
            "    if (sock == null || closing.compareAndSet(false, true)) {",
            "      closeOr(r);",
            "    }",
            "    closeAnywhere(r);",
            "  }",
            "  void closeAsync(Runnable r) {",
            "    // BUG: Diagnostic contains: has-owner",
            "    new Thread(r).start();",
            "  }",
            "  void closeAnywhere(Runnable r) {",
            "    // BUG: Diagnostic contains: no-owner",
            "    new Thread(r).start();",
            "  }",
            "  void closeOr(Runnable r) {",
            "    // BUG: Diagnostic contains: no-owner",
            "    new Thread(r).start();",
            "  }",
            "  public void closePublic(Runnable r) {",
            "    // BUG: Diagnostic contains: no-owner",
            "    new Thread(r).start();",
            "  }",
            "",
            "  synchronized void startNested(Runnable r) {",
            "    if (alive) {",
            "      System.out.println(\"already\");",
            "      return;",
            "    }",
            "    if (sock != null) {",
            "      alive = true;",
            "      // BUG: Diagnostic contains: has-owner",
            "      new Thread(r).start();",
            "    }",
            "  }",
            "  synchronized void startThenSet(Runnable r) {",
            "    if (alive) {",
            "      return;",
            "    }",
            "    if (sock != null) {",
            "      // BUG: Diagnostic contains: no-owner",
            "      new Thread(r).start();",
            "      alive = true;",
            "    }",
            "  }",
            "  synchronized void neverSet(Runnable r) {",
            "    if (alive) {",
            "      return;",
            "    }",
            "    if (sock != null) {",
            "      // BUG: Diagnostic contains: no-owner",
            "      new Thread(r).start();",
            "    }",
            "  }",
            "  synchronized void guardThatFallsThrough(Runnable r) {",
            "    if (alive) {",
            "      System.out.println(\"again\");",
            "    }",
            "    alive = true;",
            "    // BUG: Diagnostic contains: no-owner",
            "    new Thread(r).start();",
            "  }",
            "",
            "  void commandLoop(java.util.Iterator<String> commands) {",
            "    new Thread(() -> {",
            "      while (true) {",
            "        String cmd = commands.next();",
            "        if (\"STOP\".equalsIgnoreCase(cmd)) {",
            "          if (!commands.hasNext()) {",
            "            break;",
            "          }",
            "        }",
            "      }",
            "      // BUG: Diagnostic contains: has-owner",
            "    }).start();",
            "  }",
            "  void commandLoopWithoutStop(java.util.Iterator<String> commands, String stop) {",
            "    new Thread(() -> {",
            "      while (true) {",
            "        String cmd = commands.next();",
            "        if (stop.equalsIgnoreCase(cmd)) {",
            "          System.out.println(cmd);",
            "        }",
            "      }",
            "      // BUG: Diagnostic contains: no-owner",
            "    }).start();",
            "  }",
            "}")
        .doTest();
  }

  /**
   * A Runnable kept in a field and stopped through it owns its thread, wherever its class is
   * declared; a field that is never stopped does not.
   */
  @Test
  void runnableKeptInAFieldAndStopped() {
    CompilationTestHelper.newInstance(OwnerProbe.class, getClass())
        .addSourceLines(
            "Task.java",
            "class Task implements Runnable {",
            "  @Override public void run() {}",
            "  void stop() {}",
            "}")
        .addSourceLines(
            "D.java",
            "class D {",
            "  private Task stopped = new Task();",
            "  private Task kept = new Task();",
            "  private Task other = new Task();",
            "  void start() {",
            "    // BUG: Diagnostic contains: verdict: has-owner",
            "    new Thread(stopped).start();",
            "    // BUG: Diagnostic contains: verdict: no-owner",
            "    new Thread(kept).start();",
            "    // BUG: Diagnostic contains: verdict: no-owner",
            "    new Thread(this.other).start();",
            "  }",
            "  void close() { stopped.stop(); other.run(); }",
            "}")
        .doTest();
  }

  /**
   * A method that is not public API (package-private, or protected) is owner code when every use of
   * it in the files of the same compilation that can see it is owner code: a thread's body in
   * another file, directly or through other such methods; one use on a caller's thread, public API,
   * and an override (callers may call the overridden method) make it caller code.
   */
  @Test
  void ownerCodeReachedFromAnotherFile() {
    runner
        .addSourceLines(
            "p/Worker.java",
            "package p;",
            "public class Worker {",
            "  static void here() {}",
            "  void lead() {",
            "    // BUG: Diagnostic contains: OWN_THREAD owner",
            "    here();",
            "    connect();",
            "  }",
            "  protected void connect() {",
            "    // BUG: Diagnostic contains: OWN_THREAD owner",
            "    here();",
            "  }",
            "  static void pause() {",
            "    // BUG: Diagnostic contains: OWN_THREAD owner",
            "    here();",
            "  }",
            "  void loop() {",
            "    // BUG: Diagnostic contains: OWN_THREAD owner",
            "    here();",
            "  }",
            "  void alsoFromCaller() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "  public void api() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "  void unused() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "  void overridden() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "}")
        .addSourceLines(
            "p/Peer.java",
            "package p;",
            "public class Peer extends Thread {",
            "  private final Worker worker = new Worker();",
            "  private volatile boolean running = true;",
            "  @Override public void run() {",
            "    while (running) {",
            "      worker.lead();",
            "      Worker.pause();",
            "      worker.alsoFromCaller();",
            "      worker.api();",
            "    }",
            "  }",
            "  void startLoop() { new Thread(worker::loop).start(); }",
            "  public void request() { worker.alsoFromCaller(); }",
            "}")
        .addSourceLines(
            "p/Special.java",
            "package p;",
            "class Special extends Worker {",
            "  @Override void overridden() {}",
            "  void callIt(Worker w) { w.overridden(); }",
            "}")
        .doTest();
  }

  /** A protected method's uses in subclasses of other packages count; a public caller there too. */
  @Test
  void protectedMethodUsedBySubclassesElsewhere() {
    runner
        .addSourceLines(
            "p/Base.java",
            "package p;",
            "public class Base {",
            "  static void here() {}",
            "  protected void fromThread() {",
            "    // BUG: Diagnostic contains: OWN_THREAD owner",
            "    here();",
            "  }",
            "  protected void fromCaller() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "}")
        .addSourceLines(
            "q/Sub.java",
            "package q;",
            "public class Sub extends p.Base {",
            "  public void start() {",
            "    new Thread(() -> { fromThread(); fromCaller(); }).start();",
            "  }",
            "  public void call() { fromCaller(); }",
            "}")
        .doTest();
  }

  /** A thread class declared in another file that registers itself with its master is owned. */
  @Test
  void threadThatRegistersItselfInAnotherFile() {
    CompilationTestHelper.newInstance(OwnerProbe.class, getClass())
        .addSourceLines(
            "Handler.java",
            "class Handler extends Thread {",
            "  private final Master master;",
            "  Handler(Master master) { this.master = master; }",
            "  @Override public void run() { master.add(this); }",
            "}")
        .addSourceLines(
            "Loner.java",
            "class Loner extends Thread {",
            "  @Override public void run() { System.out.println(); }",
            "}")
        .addSourceLines(
            "Master.java",
            "import java.util.*;",
            "class Master {",
            "  private final Set<Handler> handlers = new HashSet<>();",
            "  synchronized void add(Handler h) { handlers.add(h); }",
            "  void accept() {",
            "    // BUG: Diagnostic contains: verdict: has-owner",
            "    new Handler(this).start();",
            "    // BUG: Diagnostic contains: verdict: no-owner",
            "    new Loner().start();",
            "  }",
            "}")
        .doTest();
  }

  /**
   * A pool's own wrapper around the task its {@code execute(Runnable)} was given is the pool's
   * worker code, whatever executor runs it; a lambda there that does not run the task, and a
   * wrapper made outside {@code execute}, stay tasks.
   */
  @Test
  void poolWrapperAroundTheExecutedTask() {
    runner
        .addSourceLines(
            "Limited.java",
            "import java.util.concurrent.*;",
            "class Limited implements Executor {",
            "  static void here() {}",
            "  private final Semaphore permits = new Semaphore(4);",
            "  private final ExecutorService inner = Executors.newCachedThreadPool();",
            "  @Override public void execute(Runnable task) {",
            "    Runnable job = () -> {",
            "      // BUG: Diagnostic contains: POOL_WORKER owner",
            "      here();",
            "      task.run();",
            "    };",
            "    inner.execute(job);",
            "    inner.execute(() -> {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      here();",
            "    });",
            "  }",
            "  void wrap(Runnable task) {",
            "    inner.execute(() -> {",
            "      // BUG: Diagnostic contains: TASK not-owner",
            "      here();",
            "      task.run();",
            "    });",
            "  }",
            "}")
        .doTest();
  }

  /**
   * An override of a protected hook is used wherever the hook is called: owner code when the base
   * class calls it only from its thread's loop; caller code when the base also calls it from a
   * public method, or when the hook is public API.
   */
  @Test
  void overrideOfAHookCalledFromTheBaseClassThread() {
    runner
        .addSourceLines(
            "p/Service.java",
            "package p;",
            "public abstract class Service {",
            "  protected abstract void accept();",
            "  protected abstract void poll();",
            "  public abstract void onEvent();",
            "  private final class Loop implements Runnable {",
            "    @Override public void run() { accept(); poll(); onEvent(); }",
            "  }",
            "  public void start() { new Thread(new Loop()).start(); }",
            "  public void pollNow() { poll(); }",
            "}")
        .addSourceLines(
            "q/NioService.java",
            "package q;",
            "public class NioService extends p.Service {",
            "  static void here() {}",
            "  @Override protected void accept() {",
            "    // BUG: Diagnostic contains: OWN_THREAD owner",
            "    here();",
            "  }",
            "  @Override protected void poll() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "  @Override public void onEvent() {",
            "    // BUG: Diagnostic contains: CALLER not-owner",
            "    here();",
            "  }",
            "}")
        .doTest();
  }
}
