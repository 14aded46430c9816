package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.VariableTree;
import org.junit.jupiter.api.Test;

final class ConcurrentCodeTest {
  /** Reports, at every call to {@code here()}, how the code around it reaches another thread. */
  @BugPattern(summary = "Reports ConcurrentCode.enclosing", severity = WARNING)
  public static final class EnclosingProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!ASTHelpers.getSymbol(tree).getSimpleName().contentEquals("here")) {
        return Description.NO_MATCH;
      }
      String message =
          ConcurrentCode.enclosing(state)
              .map(
                  h ->
                      h.kind()
                          + (h.ownsThread() ? " owned" : "")
                          + (h.executor() == null
                              ? ""
                              : " on " + state.getSourceForNode(h.executor())))
              .orElse("none");
      return buildDescription(tree).setMessage(message).build();
    }
  }

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(EnclosingProbe.class, getClass());

  @Test
  void executorsThreadsTimersStagesAndStreams() {
    helper
        .addSourceLines(
            "A.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.stream.*;",
            "class A {",
            "  static void here() {}",
            "  void m(ExecutorService pool, ScheduledExecutorService timer, List<String> list) {",
            "    // BUG: Diagnostic contains: none",
            "    here();",
            "    // BUG: Diagnostic contains: EXECUTOR on pool",
            "    pool.execute(() -> here());",
            "    // BUG: Diagnostic contains: EXECUTOR on pool",
            "    pool.submit(() -> { here(); return 1; });",
            "    // BUG: Diagnostic contains: EXECUTOR on timer",
            "    timer.scheduleAtFixedRate(() -> here(), 1, 1, TimeUnit.SECONDS);",
            "    // BUG: Diagnostic contains: THREAD owned",
            "    new Thread(() -> here()).start();",
            "    // BUG: Diagnostic contains: THREAD owned",
            "    Executors.defaultThreadFactory().newThread(() -> here());",
            "    // BUG: Diagnostic contains: ASYNC_STAGE",
            "    CompletableFuture.runAsync(() -> here());",
            "    // BUG: Diagnostic contains: ASYNC_STAGE on pool",
            "    CompletableFuture.supplyAsync(() -> 1, pool).thenAcceptAsync(x -> here(), pool);",
            "    // BUG: Diagnostic contains: none",
            "    CompletableFuture.supplyAsync(() -> 1).thenAccept(x -> here());",
            "    // BUG: Diagnostic contains: PARALLEL_STREAM",
            "    list.parallelStream().map(s -> s.trim()).forEach(s -> here());",
            "    // BUG: Diagnostic contains: PARALLEL_STREAM",
            "    list.stream().parallel().filter(s -> { here(); return true; }).count();",
            "    // BUG: Diagnostic contains: none",
            "    list.parallelStream().sequential().forEach(s -> here());",
            "    // BUG: Diagnostic contains: none",
            "    list.parallelStream().forEachOrdered(s -> here());",
            "    // BUG: Diagnostic contains: none",
            "    list.stream().forEach(s -> here());",
            "    // BUG: Diagnostic contains: none",
            "    list.forEach(s -> here());",
            "    // BUG: Diagnostic contains: PARALLEL_STREAM",
            "    StreamSupport.stream(list.spliterator(), true).forEach(s -> here());",
            "    // BUG: Diagnostic contains: none",
            "    StreamSupport.stream(list.spliterator(), false).forEach(s -> here());",
            "    new Timer().schedule(new TimerTask() {",
            "      // BUG: Diagnostic contains: TIMER",
            "      @Override public void run() { here(); }",
            "    }, 10);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void nestingAnonymousClassesAndOwnThreads() {
    helper
        .addSourceLines(
            "B.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class B {",
            "  static void here() {}",
            "  final Runnable field = () -> {",
            "    // BUG: Diagnostic contains: none",
            "    here();",
            "  };",
            "  static final class Worker extends Thread {",
            "    @Override public void run() {",
            "      // BUG: Diagnostic contains: THREAD owned",
            "      here();",
            "    }",
            "    void notRun() {",
            "      // BUG: Diagnostic contains: none",
            "      here();",
            "    }",
            "  }",
            "  void m(Executor pool, List<String> list) {",
            "    pool.execute(() -> {",
            "      // BUG: Diagnostic contains: EXECUTOR on pool",
            "      list.forEach(s -> here());",
            "      Collections.sort(list, new Comparator<String>() {",
            "        @Override public int compare(String a, String b) {",
            "          // BUG: Diagnostic contains: EXECUTOR on pool",
            "          here();",
            "          return 0;",
            "        }",
            "      });",
            "      class Local {",
            "        void run() {",
            "          // BUG: Diagnostic contains: none",
            "          here();",
            "        }",
            "      }",
            "    });",
            "    pool.execute(new Runnable() {",
            "      @Override public void run() {",
            "        // BUG: Diagnostic contains: EXECUTOR on pool",
            "        here();",
            "      }",
            "      void helper() {",
            "        // BUG: Diagnostic contains: none",
            "        here();",
            "      }",
            "    });",
            "    new Thread(new Runnable() {",
            "      @Override public void run() {",
            "        // BUG: Diagnostic contains: THREAD owned",
            "        here();",
            "      }",
            "    }).start();",
            "    Runnable task = () -> {",
            "      // BUG: Diagnostic contains: none",
            "      here();",
            "    };",
            "    pool.execute(task);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void userExecutorMethodsAndThreadFactoriesFromFlags() {
    String[] source = {
      "class A {",
      "  static void here() {}",
      "  static final class Async { static void run(Runnable r) {} }",
      "  interface Threads { Thread create(Runnable r); }",
      "  void m(Threads threads) {",
      "    // BUG: Diagnostic contains: %s",
      "    Async.run(() -> here());",
      "    // BUG: Diagnostic contains: %s",
      "    threads.create(() -> here());",
      "  }",
      "}"
    };
    String[] plain = source.clone();
    plain[5] = String.format(plain[5], "none");
    plain[7] = String.format(plain[7], "none");
    CompilationTestHelper.newInstance(EnclosingProbe.class, getClass())
        .addSourceLines("A.java", plain)
        .doTest();
    String[] taught = source.clone();
    taught[5] = String.format(taught[5], "EXECUTOR");
    taught[7] = String.format(taught[7], "THREAD owned");
    CompilationTestHelper.newInstance(EnclosingProbe.class, getClass())
        .setArgs(
            "-XepOpt:Tether:ExecutorMethods=A.Async#run",
            "-XepOpt:Tether:ThreadFactories=A.Threads#create")
        .addSourceLines("A.java", taught)
        .doTest();
  }

  /** Reports whether the initializer of every local named {@code v…} is code written in place. */
  @BugPattern(summary = "Reports ConcurrentCode.isCodeLiteral", severity = WARNING)
  public static final class LiteralProbe extends BugChecker implements VariableTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchVariable(VariableTree tree, VisitorState state) {
      if (tree.getInitializer() == null || !tree.getName().toString().startsWith("v")) {
        return Description.NO_MATCH;
      }
      return buildDescription(tree)
          .setMessage(ConcurrentCode.isCodeLiteral(tree.getInitializer()) ? "code;" : "value;")
          .build();
    }
  }

  @Test
  void codeLiterals() {
    CompilationTestHelper.newInstance(LiteralProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  void m(Runnable r) {",
            "    // BUG: Diagnostic contains: code;",
            "    Runnable v1 = () -> {};",
            "    // BUG: Diagnostic contains: code;",
            "    Runnable v2 = this::toString;",
            "    // BUG: Diagnostic contains: code;",
            "    Runnable v3 = new Runnable() { public void run() {} };",
            "    // BUG: Diagnostic contains: value;",
            "    Runnable v4 = r;",
            "    // BUG: Diagnostic contains: value;",
            "    Object v5 = new Object();",
            "  }",
            "}")
        .doTest();
  }
}
