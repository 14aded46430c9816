package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

final class ExecutorFactsTest {
  /** Reports, for every {@code probe(x)}, where x was created, its bound and thread count. */
  @BugPattern(summary = "Reports ExecutorFacts", severity = WARNING)
  public static final class ExecutorProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!ASTHelpers.getSymbol(tree).getSimpleName().contentEquals("probe")) {
        return Description.NO_MATCH;
      }
      ExpressionTree arg = tree.getArguments().get(0);
      String message =
          ExecutorFacts.creation(arg, state)
              .map(
                  creation -> {
                    OptionalInt threads = ExecutorFacts.threads(creation, state);
                    return "created "
                        + ExecutorFacts.bound(creation, state)
                        + (threads.isPresent() ? " threads=" + threads.getAsInt() : "")
                        + (ExecutorFacts.createsTimer(creation, state) ? " timer" : "");
                  })
              .orElse("unknown");
      return buildDescription(tree).setMessage(message).build();
    }
  }

  /**
   * Reports, for every call and {@code new}, whether {@link ExecutorFacts#mayCreate} lets it
   * through and whether it creates an executor or timer: the pre-filter must never reject one.
   */
  @BugPattern(summary = "Reports ExecutorFacts.mayCreate", severity = WARNING)
  public static final class MayCreateProbe extends BugChecker
      implements MethodInvocationTreeMatcher, NewClassTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      // super(…) in a pool's subclass matches the pool's constructor, but yields no executor
      return Trees.calledName(tree).equals("super") ? Description.NO_MATCH : report(tree, state);
    }

    @Override
    public Description matchNewClass(NewClassTree tree, VisitorState state) {
      return report(tree, state);
    }

    private Description report(ExpressionTree tree, VisitorState state) {
      boolean creates =
          ExecutorFacts.createsExecutor(tree, state) || ExecutorFacts.createsTimer(tree, state);
      boolean may = ExecutorFacts.mayCreate(tree, state);
      if (!creates && !may) {
        return Description.NO_MATCH;
      }
      return buildDescription(tree).setMessage("may=" + may + " creates=" + creates).build();
    }
  }

  @Test
  void mayCreateLetsEveryCreationThrough() {
    CompilationTestHelper.newInstance(MayCreateProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class A {",
            "  static final class MyPool extends ThreadPoolExecutor {",
            "    MyPool() {",
            "      super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());",
            "    }",
            "  }",
            "  static final class MyTimer extends Timer {}",
            "  static Object newThing() { return null; }",
            "  void m(List<String> list) {",
            "    // BUG: Diagnostic contains: may=true creates=true",
            "    Executors.newFixedThreadPool(2);",
            "    // BUG: Diagnostic contains: may=true creates=true",
            "    new ScheduledThreadPoolExecutor(1);",
            "    // BUG: Diagnostic contains: may=true creates=true",
            "    new MyPool();",
            "    // BUG: Diagnostic contains: may=true creates=true",
            "    new ForkJoinPool();",
            "    // BUG: Diagnostic contains: may=true creates=true",
            "    new MyTimer();",
            "    // BUG: Diagnostic contains: may=true creates=true",
            "    new Timer() {};",
            "    // BUG: Diagnostic contains: may=true creates=true",
            "    new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {};",
            "    // BUG: Diagnostic contains: may=true creates=false",
            "    newThing();",
            "    new StringBuilder().append(1);",
            "    list.add(\"x\");",
            "    new ArrayList<String>();",
            "    Executors.callable(() -> {});",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void creationsAndBounds() {
    CompilationTestHelper.newInstance(ExecutorProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.Timer;",
            "import java.util.concurrent.*;",
            "class A {",
            "  static void probe(Object o) {}",
            "  private final ExecutorService single = Executors.newSingleThreadExecutor();",
            "  private ExecutorService mutable = Executors.newSingleThreadExecutor();",
            "  static final int N = 4;",
            "  void m(ExecutorService param, int n) {",
            "    // BUG: Diagnostic contains: created SINGLE threads=1",
            "    probe(single);",
            "    // BUG: Diagnostic contains: unknown",
            "    probe(mutable);",
            "    // BUG: Diagnostic contains: unknown",
            "    probe(param);",
            "    ExecutorService cached = Executors.newCachedThreadPool();",
            "    // BUG: Diagnostic contains: created UNBOUNDED",
            "    probe(cached);",
            "    ExecutorService fixed = Executors.newFixedThreadPool(N);",
            "    // BUG: Diagnostic contains: created FIXED threads=4",
            "    probe(fixed);",
            "    // BUG: Diagnostic contains: created SINGLE threads=1",
            "    probe(Executors.newFixedThreadPool(1));",
            "    // BUG: Diagnostic contains: created FIXED",
            "    probe(Executors.newFixedThreadPool(n));",
            "    // BUG: Diagnostic contains: created SINGLE threads=1",
            "    probe(Executors.newSingleThreadScheduledExecutor());",
            "    // BUG: Diagnostic contains: created SINGLE threads=1",
            "    probe(new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()));",
            "    // BUG: Diagnostic contains: created UNBOUNDED",
            "    probe(new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,",
            "        new SynchronousQueue<>()));",
            "    // BUG: Diagnostic contains: created UNKNOWN",
            "    probe(new ForkJoinPool());",
            "    // BUG: Diagnostic contains: created SINGLE threads=1",
            "    probe(new ScheduledThreadPoolExecutor(1) {});",
            "    // BUG: Diagnostic contains: created FIXED threads=2",
            "    probe(Executors.newScheduledThreadPool(2));",
            "    Timer timer = new Timer(true);",
            "    // BUG: Diagnostic contains: timer",
            "    probe(timer);",
            "    ExecutorService reassigned = Executors.newCachedThreadPool();",
            "    reassigned = param;",
            "    // BUG: Diagnostic contains: unknown",
            "    probe(reassigned);",
            "    // BUG: Diagnostic contains: unknown",
            "    probe(ForkJoinPool.commonPool());",
            "  }",
            "}")
        .doTest();
  }
}
