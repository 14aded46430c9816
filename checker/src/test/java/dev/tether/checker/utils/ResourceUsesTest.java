package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class ResourceUsesTest {
  /**
   * Reports every local variable named {@code res}: whether its scope releases it ({@code close})
   * or hands it over, and the other methods called on it. Any use that is neither a call on it nor
   * a release hands it over, except as the argument of {@code borrow(…)}.
   */
  @BugPattern(summary = "Reports ResourceUses", severity = WARNING)
  public static final class UsesProbe extends BugChecker implements VariableTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchVariable(VariableTree tree, VisitorState state) {
      VarSymbol var = ASTHelpers.getSymbol(tree);
      TreePath scope = state.getPath().getParentPath();
      if (!tree.getName().contentEquals("res") || var == null || scope == null) {
        return Description.NO_MATCH;
      }
      List<String> calls = new ArrayList<>();
      ResourceUses uses =
          new ResourceUses(var, scope.getLeaf(), Set.of("close")) {
            @Override
            protected boolean escapesThrough(TreePath use) {
              TreePath parent = use.getParentPath();
              return !(parent != null
                  && parent.getLeaf() instanceof MethodInvocationTree call
                  && Trees.calledName(call).equals("borrow"));
            }

            @Override
            protected void calledOn(String name) {
              calls.add(name);
            }
          };
      boolean gone = uses.releasedOrHandedOver(scope);
      return buildDescription(tree)
          .setMessage((gone ? "released or handed over" : "kept here") + " calls=" + calls)
          .build();
    }
  }

  @Test
  void releasesAndHandOvers() {
    CompilationTestHelper.newInstance(UsesProbe.class, getClass())
        .addSourceLines(
            "Res.java",
            "class Res implements AutoCloseable {",
            "  void use() {}",
            "  @Override public void close() {}",
            "}")
        .addSourceLines(
            "A.java",
            "import java.util.List;",
            "class A {",
            "  static void store(Res r) {}",
            "  static void borrow(Res r) {}",
            "  void closed() {",
            "    // BUG: Diagnostic contains: released or handed over calls=[use]",
            "    Res res = new Res();",
            "    res.use();",
            "    res.close();",
            "  }",
            "  void resourceOfTry() throws Exception {",
            "    // BUG: Diagnostic contains: released or handed over",
            "    Res res = new Res();",
            "    try (res) {}",
            "  }",
            "  void closedByReference() {",
            "    // BUG: Diagnostic contains: released or handed over",
            "    Res res = new Res();",
            "    Runnable r = res::close;",
            "  }",
            "  void boundReferenceMayBeKept() {",
            "    // BUG: Diagnostic contains: released or handed over",
            "    Res res = new Res();",
            "    Runnable r = res::use;",
            "  }",
            "  void stored() {",
            "    // BUG: Diagnostic contains: released or handed over",
            "    Res res = new Res();",
            "    store(res);",
            "  }",
            "  void capturedByALambdaThatRunsLater() {",
            "    // BUG: Diagnostic contains: released or handed over",
            "    Res res = new Res();",
            "    Runnable r = () -> res.use();",
            "  }",
            "  void capturedByAClass() {",
            "    // BUG: Diagnostic contains: released or handed over",
            "    Res res = new Res();",
            "    new Object() { void f() { res.use(); } };",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void keptHere() {
    CompilationTestHelper.newInstance(UsesProbe.class, getClass())
        .addSourceLines(
            "Res.java",
            "class Res implements AutoCloseable {",
            "  void use() {}",
            "  void tidy() {}",
            "  @Override public void close() {}",
            "}")
        .addSourceLines(
            "A.java",
            "import java.util.List;",
            "class A {",
            "  static void borrow(Res r) {}",
            "  void usedOnly(List<String> items) {",
            "    // BUG: Diagnostic contains: kept here calls=[use, use, tidy]",
            "    Res res = new Res();",
            "    res.use();",
            "    items.forEach(i -> res.use());",
            "    borrow(res);",
            "    res.tidy();",
            "  }",
            "}")
        .doTest();
  }
}
