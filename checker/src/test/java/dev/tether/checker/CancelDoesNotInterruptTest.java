package dev.tether.checker;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class CancelDoesNotInterruptTest {
  @Test
  void identificationNegatives() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "Negatives.java",
            "import java.util.concurrent.*;",
            "class Negatives {",
            "  private final ExecutorService executor = Executors.newFixedThreadPool(2);",
            "  private Future<?> mutable = CompletableFuture.runAsync(() -> {});",
            "",
            "  void executorFuture() {",
            "    Future<?> f = executor.submit(() -> {});",
            "    f.cancel(true);",
            "  }",
            "",
            "  void futureTask() {",
            "    FutureTask<String> task = new FutureTask<>(() -> \"x\");",
            "    task.cancel(true);",
            "  }",
            "",
            "  void cancelFalse(CompletableFuture<String> cf) {",
            "    cf.cancel(false);",
            "  }",
            "",
            "  void cancelVariable(CompletableFuture<String> cf, boolean interrupt) {",
            "    cf.cancel(interrupt);",
            "  }",
            "",
            "  void futureParameter(Future<String> f) {",
            "    f.cancel(true); // unknown implementation",
            "  }",
            "",
            "  void reassignedLocal() {",
            "    Future<?> f = CompletableFuture.runAsync(() -> {});",
            "    f = executor.submit(() -> {});",
            "    f.cancel(true);",
            "  }",
            "",
            "  void nonFinalField() {",
            "    mutable.cancel(true);",
            "  }",
            "",
            "  void scheduled(ScheduledExecutorService s) {",
            "    s.schedule(() -> {}, 1, TimeUnit.SECONDS).cancel(true);",
            "  }",
            "",
            "  void forkJoin() {",
            "    ForkJoinTask<?> t = ForkJoinPool.commonPool().submit(() -> {});",
            "    t.cancel(true);",
            "  }",
            "",
            "  // A subclass whose cancel does interrupt.",
            "  static final class Interruptible<T> extends CompletableFuture<T> {",
            "    volatile Thread runner;",
            "    @Override public boolean cancel(boolean mayInterrupt) {",
            "      if (mayInterrupt && runner != null) { runner.interrupt(); }",
            "      return super.cancel(true);",
            "    }",
            "  }",
            "",
            "  void interruptibleSubclass(Interruptible<String> f) {",
            "    f.cancel(true);",
            "  }",
            "",
            "  record Holder(Future<?> f) {",
            "    void stop() { f.cancel(true); }",
            "  }",
            "",
            "  static final class MyFuture<T> extends CompletableFuture<T> {",
            "    void stop() { cancel(true); }",
            "  }",
            "}")
        .doTest();
  }

  /** Issue 12, shape 7: a promise, made with new CompletableFuture and completed by code. */
  @Test
  void identificationNegativesPromises() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "Promises.java",
            "import java.util.concurrent.*;",
            "class Promises {",
            "  private final CompletableFuture<String> reply = new CompletableFuture<>();",
            "  private CompletableFuture<Void> closed;",
            "",
            "  void onMessage(String m) { reply.complete(m); }",
            "  void open() { closed = new CompletableFuture<>(); }",
            "  void abort() {",
            "    reply.cancel(true);",
            "    closed.cancel(true);",
            "  }",
            "",
            "  String await(Runnable send) throws Exception {",
            "    CompletableFuture<String> answer = new CompletableFuture<>();",
            "    send.run();",
            "    try { return answer.get(1, TimeUnit.SECONDS); } finally { answer.cancel(true); }",
            "  }",
            "}")
        .doTest();
  }

  /** The twins: a task does run behind the future. */
  @Test
  void identificationPositivesNotPromises() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "Tasks.java",
            "import java.util.concurrent.*;",
            "class Tasks {",
            "  private CompletableFuture<String> result = new CompletableFuture<>();",
            "  private final CompletableFuture<String> computed = new CompletableFuture<>();",
            "",
            "  void start(ExecutorService pool) {",
            "    result = CompletableFuture.supplyAsync(() -> \"x\", pool);",
            "    pool.execute(() -> computed.complete(\"work\"));",
            "  }",
            "  void abort() {",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    result.cancel(true);",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    computed.cancel(true);",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Server6 (NATS' {@code NatsConnection.dataPortFuture}): a promise field that is cleared to
   * {@code null} after its cancel ({@code f.cancel(true); f = null;}) is still only ever a promise;
   * the same field that also holds a task's future is reported.
   */
  @Test
  void identificationPromiseClearedToNull() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "Cleared.java",
            "import java.util.concurrent.*;",
            "class Cleared {",
            "  protected CompletableFuture<String> port;",
            "  private CompletableFuture<String> work;",
            "",
            "  void connect(String p) {",
            "    port = new CompletableFuture<>();",
            "    port.complete(p);",
            "  }",
            "  void disconnect() {",
            "    if (port != null) {",
            "      port.cancel(true);",
            "      port = null;",
            "    }",
            "  }",
            "",
            "  void start(ExecutorService pool) {",
            "    work = null;",
            "    work = CompletableFuture.supplyAsync(() -> \"x\", pool);",
            "  }",
            "  void stop() {",
            "    if (work != null) {",
            "      // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "      work.cancel(true);",
            "      work = null;",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Server6 (NATS' {@code NatsRequestCompletableFuture}): a subclass of {@code CompletableFuture}
   * of the compilation (here in another package than the code that uses it), made only with {@code
   * new} and completed by code, is a promise wherever it is read from (a map of pending requests).
   * The twins: a subclass that a task completes, one completed with {@code completeAsync}, one
   * whose stages are its own ({@code newIncompleteFuture}).
   */
  @Test
  void identificationPromiseClasses() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "q/Reply.java",
            "package q;",
            "import java.util.concurrent.*;",
            "public class Reply extends CompletableFuture<String> {}")
        .addSourceLines(
            "p/Computed.java",
            "package p;",
            "import java.util.concurrent.*;",
            "public class Computed extends CompletableFuture<String> {}")
        .addSourceLines(
            "p/Supplied.java",
            "package p;",
            "import java.util.concurrent.*;",
            "public class Supplied extends CompletableFuture<String> {}")
        .addSourceLines(
            "p/Staged.java",
            "package p;",
            "import java.util.concurrent.*;",
            "public class Staged extends CompletableFuture<String> {",
            "  @Override public <U> CompletableFuture<U> newIncompleteFuture() {",
            "    return new CompletableFuture<>();",
            "  }",
            "}")
        .addSourceLines(
            "p/Requests.java",
            "package p;",
            "import java.util.Map;",
            "import q.Reply;",
            "import java.util.concurrent.*;",
            "class Requests {",
            "  private final Map<String, Reply> pending = new ConcurrentHashMap<>();",
            "  private final Map<String, Computed> computed = new ConcurrentHashMap<>();",
            "",
            "  Reply request(String id) {",
            "    Reply r = new Reply();",
            "    pending.put(id, r);",
            "    return r;",
            "  }",
            "  void onReply(String id, String body) {",
            "    Reply r = pending.remove(id);",
            "    if (r == null) { return; }",
            "    if (body.isEmpty()) { r.cancel(true); } else { r.complete(body); }",
            "  }",
            "",
            "  void compute(String id, ExecutorService pool) {",
            "    Computed c = new Computed();",
            "    computed.put(id, c);",
            "    pool.execute(() -> c.complete(\"work\"));",
            "  }",
            "  void abort(String id) {",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    computed.remove(id).cancel(true);",
            "  }",
            "",
            "  void made() {",
            "    new Supplied().complete(\"y\");",
            "    new Staged().complete(\"z\");",
            "  }",
            "",
            "  void supply(Supplied s, Staged t) {",
            "    s.completeAsync(() -> \"x\");",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    s.cancel(true);",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    t.cancel(true);",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Server11 (RocketMQ's HA notification service): a promise reached through a getter of another
   * class, {@code return requestFuture;} of a {@code final} field initialized with {@code new
   * CompletableFuture<>()}, that code of the package completes. Twins: the same getter whose future
   * a task completes, a field made by {@code supplyAsync}, a getter that does more than return.
   */
  @Test
  void identificationPromiseThroughAGetter() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "ha/Request.java",
            "package ha;",
            "import java.util.concurrent.*;",
            "public class Request {",
            "  private final CompletableFuture<Boolean> requestFuture = new CompletableFuture<>();",
            "  public CompletableFuture<Boolean> getRequestFuture() { return requestFuture; }",
            "}")
        .addSourceLines(
            "ha/Notifier.java",
            "package ha;",
            "class Notifier {",
            "  private Request request;",
            "  synchronized void setRequest(Request next) {",
            "    if (request != null) {",
            "      request.getRequestFuture().cancel(true);",
            "    }",
            "    request = next;",
            "  }",
            "  synchronized void check(boolean connected) {",
            "    if (request != null && connected) {",
            "      request.getRequestFuture().complete(true);",
            "    }",
            "  }",
            "}")
        .addSourceLines(
            "job/Job.java",
            "package job;",
            "import java.util.concurrent.*;",
            "public class Job {",
            "  private final CompletableFuture<String> result = new CompletableFuture<>();",
            "  private final CompletableFuture<String> supplied =",
            "      CompletableFuture.supplyAsync(() -> \"x\");",
            "  private final CompletableFuture<String> logged = new CompletableFuture<>();",
            "  public CompletableFuture<String> result() { return result; }",
            "  public CompletableFuture<String> supplied() { return supplied; }",
            "  public CompletableFuture<String> logged() {",
            "    System.out.println(\"read\");",
            "    return logged;",
            "  }",
            "}")
        .addSourceLines(
            "job/Runner.java",
            "package job;",
            "import java.util.concurrent.*;",
            "class Runner {",
            "  void run(Job job, ExecutorService pool) {",
            "    pool.execute(() -> job.result().complete(\"done\"));",
            "    job.logged().complete(\"y\");",
            "    job.supplied().complete(\"z\");",
            "  }",
            "  void abort(Job job) {",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    job.result().cancel(true);",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    job.supplied().cancel(true);",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    job.logged().cancel(true);",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Server4 (Lettuce's {@code ReconnectionHandler}): a promise reached through copies — a local
   * copy of a volatile field whose only write stores a local {@code new CompletableFuture<>()} that
   * code completes. A copy of a promise is a promise.
   */
  @Test
  void identificationNegativesPromiseThroughCopies() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "Reconnect.java",
            "import java.util.concurrent.*;",
            "import java.util.function.Consumer;",
            "class Reconnect {",
            "  private volatile CompletableFuture<String> current;",
            "",
            "  CompletableFuture<String> reconnect(Consumer<Consumer<String>> connector) {",
            "    CompletableFuture<String> future = new CompletableFuture<>();",
            "    connector.accept(channel -> future.complete(channel));",
            "    this.current = future;",
            "    return future;",
            "  }",
            "",
            "  void prepareClose() {",
            "    CompletableFuture<?> current = this.current;",
            "    if (current != null && !current.isDone()) {",
            "      current.cancel(true);",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  /** The twins: a copy of a future that a task completes, or of one given from outside. */
  @Test
  void identificationPositivesCopiesOfTasks() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "Copies.java",
            "import java.util.concurrent.*;",
            "class Copies {",
            "  private volatile CompletableFuture<String> current;",
            "  private volatile CompletableFuture<String> given;",
            "",
            "  void start(ExecutorService pool) {",
            "    CompletableFuture<String> future = CompletableFuture.supplyAsync(() -> \"x\", pool);",
            "    this.current = future;",
            "  }",
            "",
            "  void use(CompletableFuture<String> from) {",
            "    CompletableFuture<String> local = from;",
            "    this.given = local;",
            "  }",
            "",
            "  void stop() {",
            "    CompletableFuture<?> current = this.current;",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    current.cancel(true);",
            "    CompletableFuture<?> given = this.given;",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    given.cancel(true);",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Server2 shape G: a promise read back through an {@code AtomicReference} field whose every write
   * stores a new promise or {@code null} (Jetty's {@code Graceful.Shutdown}: {@code
   * compareAndSet(null, new CompletableFuture<>() { toString … })}, completed by {@code check()}).
   */
  @Test
  void identificationNegativesPromiseInAnAtomicReference() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "Shutdown.java",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.atomic.AtomicReference;",
            "abstract class Shutdown {",
            "  final AtomicReference<CompletableFuture<Void>> done = new AtomicReference<>();",
            "  private final AtomicReference<CompletableFuture<String>> reply =",
            "      new AtomicReference<>(new CompletableFuture<>());",
            "",
            "  CompletableFuture<Void> shutdown() {",
            "    if (done.get() == null) {",
            "      done.compareAndSet(null, new CompletableFuture<>() {",
            "        @Override public String toString() { return \"Shutdown\"; }",
            "      });",
            "    }",
            "    CompletableFuture<Void> d = done.get();",
            "    check();",
            "    return d;",
            "  }",
            "  void check() {",
            "    CompletableFuture<Void> d = done.get();",
            "    if (d != null && isShutdownDone()) d.complete(null);",
            "  }",
            "  void cancel() {",
            "    CompletableFuture<Void> d = done.get();",
            "    if (d != null && !d.isDone()) d.cancel(true);",
            "    done.set(null);",
            "  }",
            "  void resetReply() {",
            "    reply.getAndSet(new CompletableFuture<>()).cancel(true);",
            "    this.reply.get().cancel(true);",
            "  }",
            "  abstract boolean isShutdownDone();",
            "}")
        .doTest();
  }

  /**
   * The twins: the reference also holds a task's future ({@code supplyAsync}, {@code runAsync}), a
   * value computed elsewhere ({@code updateAndGet}), is handed to other code, or its promise is
   * completed by a task on another thread.
   */
  @Test
  void identificationPositivesAtomicReferenceThatHoldsATask() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "Jobs.java",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.atomic.AtomicReference;",
            "import java.util.function.Consumer;",
            "class Jobs {",
            "  private final AtomicReference<CompletableFuture<String>> job = new AtomicReference<>();",
            "  private final AtomicReference<CompletableFuture<Void>> run = new AtomicReference<>();",
            "  private final AtomicReference<CompletableFuture<Void>> updated =",
            "      new AtomicReference<>();",
            "  private final AtomicReference<CompletableFuture<Void>> shared = new AtomicReference<>();",
            "  private final AtomicReference<CompletableFuture<String>> filled =",
            "      new AtomicReference<>();",
            "",
            "  void start(ExecutorService pool, Consumer<Object> sink) {",
            "    job.compareAndSet(null, new CompletableFuture<>());",
            "    job.set(CompletableFuture.supplyAsync(() -> \"x\", pool));",
            "    run.set(CompletableFuture.runAsync(() -> {}, pool));",
            "    updated.updateAndGet(f -> f == null ? new CompletableFuture<Void>() : f);",
            "    shared.set(new CompletableFuture<>());",
            "    sink.accept(shared);",
            "    filled.set(new CompletableFuture<>());",
            "    pool.execute(() -> filled.get().complete(\"work\"));",
            "  }",
            "  void abort() {",
            "    CompletableFuture<String> j = job.get();",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    j.cancel(true);",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    run.get().cancel(true);",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    updated.get().cancel(true);",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    shared.get().cancel(true);",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    filled.get().cancel(true);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void identificationPositives() {
    CompilationTestHelper.newInstance(CancelDoesNotInterrupt.class, getClass())
        .addSourceLines(
            "Positives.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class Positives {",
            "  private final CompletableFuture<String> field = new CompletableFuture<>();",
            "  private final Future<Void> declaredAsFuture = CompletableFuture.runAsync(() -> {});",
            "",
            "  void parameter(CompletableFuture<String> cf) {",
            "    // BUG: Diagnostic contains: CompletableFuture ignores mayInterruptIfRunning",
            "    cf.cancel(true);",
            "  }",
            "",
            "  void supplyAsync() {",
            "    // BUG: Diagnostic contains: submit it to an executor",
            "    CompletableFuture.supplyAsync(() -> \"x\").cancel(true);",
            "  }",
            "",
            "  void runAsyncAsFuture() {",
            "    Future<?> f = CompletableFuture.runAsync(() -> {});",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    f.cancel(true);",
            "  }",
            "",
            "  void varLocal(Executor e) {",
            "    var f = CompletableFuture.runAsync(() -> {}, e);",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    boolean cancelled = f.cancel(true);",
            "  }",
            "",
            "  void finalFieldDeclaredAsFuture() {",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    declaredAsFuture.cancel(true);",
            "  }",
            "",
            "  // Completed by a task on another thread: that task keeps running after cancel(true).",
            "  void fill(Executor e) { e.execute(() -> field.complete(\"x\")); }",
            "  void field() {",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    this.field.cancel(true);",
            "  }",
            "",
            "  void stage(CompletableFuture<String> cf) {",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    cf.thenApplyAsync(String::length).cancel(true);",
            "  }",
            "",
            "  void all(List<CompletableFuture<String>> futures) {",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    futures.forEach(f -> f.cancel(true));",
            "  }",
            "",
            "  <F extends CompletableFuture<?>> void generic(F f) {",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    f.cancel(true);",
            "  }",
            "",
            "  static final class Sub<T> extends CompletableFuture<T> {}",
            "",
            "  void plainSubclass(Sub<String> s) {",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    s.cancel(true);",
            "  }",
            "",
            "  int switchExpression(int k, CompletableFuture<?> cf) {",
            "    return switch (k) {",
            "      // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "      case 0 -> cf.cancel(true) ? 1 : 0;",
            "      default -> k;",
            "    };",
            "  }",
            "",
            "  static {",
            "    CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {});",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    f.cancel(true);",
            "  }",
            "",
            "  enum Stopper {",
            "    NOW { void stop(CompletableFuture<?> f) {",
            "      // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "      f.cancel(true); } };",
            "    abstract void stop(CompletableFuture<?> f);",
            "  }",
            "",
            "  record Job(CompletableFuture<String> result) {",
            "    void stop() {",
            "      // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "      result.cancel(true);",
            "    }",
            "  }",
            "",
            "  Positives() {",
            "    // BUG: Diagnostic contains: CancelDoesNotInterrupt",
            "    field.cancel(true);",
            "  }",
            "}")
        .doTest();
  }
}
