package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MemberReferenceTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import org.junit.jupiter.api.Test;

final class CollectedTasksTest {
  /** Reports, at every collected task, the call that runs it and the executor it runs on. */
  @BugPattern(summary = "Reports CollectedTasks.handoff", severity = WARNING)
  public static final class CollectedProbe extends BugChecker
      implements LambdaExpressionTreeMatcher, MemberReferenceTreeMatcher, NewClassTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
      return probe(tree, state);
    }

    @Override
    public Description matchMemberReference(MemberReferenceTree tree, VisitorState state) {
      return probe(tree, state);
    }

    @Override
    public Description matchNewClass(NewClassTree tree, VisitorState state) {
      return probe(tree, state);
    }

    private Description probe(Tree tree, VisitorState state) {
      return CollectedTasks.handoff(state.getPath(), state)
          .map(
              h ->
                  buildDescription(tree)
                      .setMessage(
                          h.kind()
                              + " "
                              + Trees.calledName((MethodInvocationTree) h.call())
                              + " on "
                              + state.getSourceForNode(h.executor()))
                      .build())
          .orElse(Description.NO_MATCH);
    }
  }

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(CollectedProbe.class, getClass());

  @Test
  void tasksRunLaterOnAnExecutor() {
    helper
        .addSourceLines(
            "A.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class A {",
            "  static int work() { return 1; }",
            "  void invokeAll(ExecutorService pool, List<String> in) throws Exception {",
            "    List<Callable<Integer>> tasks = new ArrayList<>();",
            "    for (String s : in) {",
            "      // BUG: Diagnostic contains: EXECUTOR invokeAll on pool",
            "      tasks.add(() -> s.length());",
            "    }",
            "    // BUG: Diagnostic contains: EXECUTOR invokeAll on pool",
            "    tasks.add(A::work);",
            "    pool.invokeAll(tasks);",
            "  }",
            "  String invokeAny(ExecutorService pool) throws Exception {",
            "    List<Callable<String>> tasks = new ArrayList<>();",
            "    // BUG: Diagnostic contains: EXECUTOR invokeAny on pool",
            "    tasks.add((Callable<String>) () -> \"a\");",
            "    return pool.invokeAny(tasks);",
            "  }",
            "  void submitInLoop(ExecutorService pool) {",
            "    List<Runnable> jobs = new ArrayList<>();",
            "    // BUG: Diagnostic contains: EXECUTOR submit on pool",
            "    jobs.add(() -> {});",
            "    List<Future<?>> futures = new ArrayList<>();",
            "    for (Runnable job : jobs) { futures.add(pool.submit(job)); }",
            "  }",
            "  void executeInLoop(Executor executor) {",
            "    Deque<Runnable> jobs = new ArrayDeque<>();",
            "    // BUG: Diagnostic contains: EXECUTOR execute on executor",
            "    jobs.add(new Runnable() { @Override public void run() {} });",
            "    for (Runnable job : jobs) executor.execute(job);",
            "  }",
            "  void forEachReference(ExecutorService pool) {",
            "    List<Runnable> jobs = new ArrayList<>();",
            "    // BUG: Diagnostic contains: EXECUTOR forEach on pool",
            "    jobs.add(() -> {});",
            "    jobs.forEach(pool::execute);",
            "  }",
            "  {",
            "    ExecutorService pool = Executors.newFixedThreadPool(2);",
            "    List<Callable<Integer>> tasks = new ArrayList<>();",
            "    // BUG: Diagnostic contains: EXECUTOR invokeAll on pool",
            "    tasks.add(() -> 1);",
            "    try { pool.invokeAll(tasks); } catch (InterruptedException e) {",
            "      Thread.currentThread().interrupt();",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void tasksThatAreNotRunOnAnExecutor() {
    helper
        .addSourceLines(
            "B.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.function.*;",
            "class B {",
            "  void runHere(List<Runnable> given) {",
            "    List<Runnable> jobs = new ArrayList<>();",
            "    jobs.add(() -> {});",
            "    for (Runnable job : jobs) { job.run(); }",
            "  }",
            "  void otherList(ExecutorService pool) throws Exception {",
            "    List<Callable<Integer>> tasks = new ArrayList<>();",
            "    List<Callable<Integer>> others = new ArrayList<>();",
            "    tasks.add(() -> 1);",
            "    pool.invokeAll(others);",
            "  }",
            "  void notATask(ExecutorService pool) {",
            "    List<Supplier<Integer>> suppliers = new ArrayList<>();",
            "    suppliers.add(() -> 1);",
            "    for (Supplier<Integer> s : suppliers) { pool.submit(s::get); }",
            "  }",
            "  void submittedElsewhere(ExecutorService pool, List<Runnable> jobs) {",
            "    jobs.add(() -> {});",
            "  }",
            "  void otherElement(ExecutorService pool, Runnable other) {",
            "    List<Runnable> jobs = new ArrayList<>();",
            "    jobs.add(() -> {});",
            "    for (Runnable job : jobs) { pool.submit(other); }",
            "  }",
            "}")
        .doTest();
  }
}
