package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import org.junit.jupiter.api.Test;

final class NonThrowingTest {
  /** Reports every statement of a method named {@code probe} that cannot throw. */
  @BugPattern(summary = "Reports NonThrowing.statement", severity = WARNING)
  public static final class Probe extends BugChecker implements MethodTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      if (!tree.getName().contentEquals("probe") || tree.getBody() == null) {
        return Description.NO_MATCH;
      }
      for (StatementTree statement : tree.getBody().getStatements()) {
        if (NonThrowing.statement(statement)) {
          state.reportMatch(buildDescription(statement).setMessage("cannot throw").build());
        }
      }
      return Description.NO_MATCH;
    }
  }

  @Test
  void onlyStatementsThatCertainlyCannotThrow() {
    CompilationTestHelper.newInstance(Probe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  static final int LIMIT = 4;",
            "  private long last;",
            "  private Object state;",
            "  private int[] slots = new int[2];",
            "  private A other;",
            "  void probe(Object s, int n, int d, Integer boxed, double x) throws InterruptedException {",
            "    // BUG: Diagnostic contains: cannot throw",
            "    assert n > 0;",
            "    // BUG: Diagnostic contains: cannot throw",
            "    ;",
            "    // BUG: Diagnostic contains: cannot throw",
            "    int k;",
            "    // BUG: Diagnostic contains: cannot throw",
            "    int m = 0;",
            "    // BUG: Diagnostic contains: cannot throw",
            "    this.state = s;",
            "    // BUG: Diagnostic contains: cannot throw",
            "    last = System.nanoTime();",
            "    // BUG: Diagnostic contains: cannot throw",
            "    last = System.currentTimeMillis() + LIMIT * n;",
            "    // BUG: Diagnostic contains: cannot throw",
            "    n++;",
            "    // BUG: Diagnostic contains: cannot throw",
            "    x = x / d;",
            "    // BUG: Diagnostic contains: cannot throw",
            "    m = -n;",
            "    // BUG: Diagnostic contains: cannot throw",
            "    Thread.yield();",
            "    // BUG: Diagnostic contains: cannot throw",
            "    Thread.onSpinWait();",
            "    Thread.sleep(0);",
            "    Thread.currentThread().interrupt();",
            "    n = n / d;",
            "    n = n % d;",
            "    n = boxed;",
            "    state = s.toString();",
            "    state = \"n=\" + s;",
            "    state = new Object();",
            "    n = slots[0];",
            "    slots[0] = n;",
            "    other.state = s;",
            "    state = other.state;",
            "    state = (String) s;",
            "    work();",
            "    boxed++;",
            "    if (n > 0) { n = 1; }",
            "    Object o = s.hashCode();",
            "  }",
            "  void work() {}",
            "}")
        .doTest();
  }
}
