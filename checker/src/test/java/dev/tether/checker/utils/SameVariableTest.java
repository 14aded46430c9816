package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.List;
import org.junit.jupiter.api.Test;

final class SameVariableTest {
  /**
   * Reports, at every call {@code same(a, b)}, whether {@code a} and {@code b} name the same
   * variable, and at every call {@code variable(x)}, the variable {@code x} names.
   */
  @BugPattern(summary = "Reports SameVariable", severity = WARNING)
  public static final class SameProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      List<? extends ExpressionTree> args = tree.getArguments();
      String name = Trees.calledName(tree);
      if (name.equals("same") && args.size() == 2) {
        return buildDescription(tree)
            .setMessage(SameVariable.of(args.get(0), args.get(1)) ? "same" : "different")
            .build();
      }
      if (name.equals("variable") && args.size() == 1) {
        VarSymbol var = SameVariable.variable(args.get(0));
        return buildDescription(tree)
            .setMessage(var == null ? "no variable" : "variable " + var.getSimpleName())
            .build();
      }
      return Description.NO_MATCH;
    }
  }

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(SameProbe.class, getClass());

  @Test
  void namesOfTheSameVariable() {
    helper
        .addSourceLines(
            "A.java",
            "import java.util.concurrent.Semaphore;",
            "class A {",
            "  static void same(Object a, Object b) {}",
            "  static final Semaphore SHARED = new Semaphore(1);",
            "  final Semaphore sem = new Semaphore(1);",
            "  A other;",
            "  void m(A a, Semaphore param) {",
            "    Semaphore local = sem;",
            "    // BUG: Diagnostic contains: same",
            "    same(sem, this.sem);",
            "    // BUG: Diagnostic contains: same",
            "    same((sem), sem);",
            "    // BUG: Diagnostic contains: same",
            "    same(a.sem, a.sem);",
            "    // BUG: Diagnostic contains: same",
            "    same(a.other.sem, (a.other).sem);",
            "    // BUG: Diagnostic contains: same",
            "    same(A.SHARED, SHARED);",
            "    // BUG: Diagnostic contains: same",
            "    same(local, local);",
            "    // BUG: Diagnostic contains: same",
            "    same(param, param);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void differentVariablesOrNoVariable() {
    helper
        .addSourceLines(
            "A.java",
            "import java.util.concurrent.Semaphore;",
            "class A {",
            "  static void same(Object a, Object b) {}",
            "  final Semaphore sem = new Semaphore(1);",
            "  final Semaphore sem2 = new Semaphore(1);",
            "  A other;",
            "  A get() { return this; }",
            "  void m(A a, A b) {",
            "    // BUG: Diagnostic contains: different",
            "    same(sem, sem2);",
            "    // BUG: Diagnostic contains: different",
            "    same(a.sem, b.sem);",
            "    // BUG: Diagnostic contains: different",
            "    same(a.sem, sem);",
            "    // BUG: Diagnostic contains: different",
            "    same(get().sem, get().sem);",
            "    // BUG: Diagnostic contains: different",
            "    same(get(), get());",
            "    // BUG: Diagnostic contains: different",
            "    same(sem, null);",
            "    // BUG: Diagnostic contains: different",
            "    same(a.other, b.other);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void variable() {
    helper
        .addSourceLines(
            "A.java",
            "class A {",
            "  static void variable(Object o) {}",
            "  Object field;",
            "  Object get() { return field; }",
            "  void m(Object param) {",
            "    // BUG: Diagnostic contains: variable field",
            "    variable(this.field);",
            "    // BUG: Diagnostic contains: variable param",
            "    variable((param));",
            "    // BUG: Diagnostic contains: no variable",
            "    variable(get());",
            "    // BUG: Diagnostic contains: no variable",
            "    variable(\"text\");",
            "  }",
            "}")
        .doTest();
  }
}
