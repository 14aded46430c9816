package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.VariableTree;
import org.junit.jupiter.api.Test;

final class RuntimeApiTest {
  /** Reports what {@link RuntimeApi} says about every call and lambda. */
  @BugPattern(summary = "Reports RuntimeApi", severity = WARNING)
  public static final class RuntimeProbe extends BugChecker
      implements MethodInvocationTreeMatcher, LambdaExpressionTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (RuntimeApi.isRoot(tree, state)) {
        return buildDescription(tree).setMessage("root").build();
      }
      String created = RuntimeApi.createdBy(tree);
      return created == null
          ? Description.NO_MATCH
          : buildDescription(tree).setMessage("opens " + created).build();
    }

    @Override
    public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
      VariableTree scope = RuntimeApi.scopeParameter(tree);
      return scope == null
          ? Description.NO_MATCH
          : buildDescription(tree).setMessage("scope " + scope.getName()).build();
    }
  }

  @Test
  void runtimeNames() {
    RuntimeStubs.addTo(CompilationTestHelper.newInstance(RuntimeProbe.class, getClass()))
        .addSourceLines(
            "A.java",
            "import dev.tether.*;",
            "import java.time.Duration;",
            "class A {",
            "  void f(CancelScope p) throws Exception {",
            "    // BUG: Diagnostic contains: root",
            "    CancelScope r = CancelScope.root();",
            "    // BUG: Diagnostic contains: opens dev.tether.CancelScope",
            "    CancelScope c = p.withTimeout(Duration.ZERO);",
            "    // BUG: Diagnostic contains: opens dev.tether.TaskGroup",
            "    TaskGroup g = TaskGroup.open(p).withLimit(2);",
            "    // BUG: Diagnostic contains: opens dev.tether.Ticker",
            "    Ticker t = Ticker.open(Duration.ZERO);",
            "    // BUG: Diagnostic contains: opens dev.tether.CancelScope",
            "    CancelScope ticks = Ticker.open(p, Duration.ZERO, () -> {});",
            "    // BUG: Diagnostic contains: opens dev.tether.WorkerPool",
            "    WorkerPool<String> w = WorkerPool.<String>open(p,",
            "        // BUG: Diagnostic contains: scope s",
            "        (s, j) -> {}).withCapacity(2);",
            "    // BUG: Diagnostic contains: scope s",
            "    g.go(s -> {});",
            "    g.go(CancelScope::throwIfCancelled);",
            "    Runnable notATask = () -> {};",
            "    c.isCancelled();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void withoutTheRuntimeNothingMatches() {
    CompilationTestHelper.newInstance(RuntimeProbe.class, getClass())
        .addSourceLines(
            "CancelScope.java",
            "class CancelScope {",
            "  static CancelScope root() { return null; }",
            "  CancelScope withCancel() { return this; }",
            "  void f(java.util.function.Consumer<CancelScope> c) {",
            "    root().withCancel();",
            "    c.accept(root());",
            "    java.util.function.Consumer<CancelScope> d = s -> {};",
            "  }",
            "}")
        .doTest();
  }
}
