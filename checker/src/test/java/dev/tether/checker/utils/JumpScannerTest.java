package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.WhileLoopTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.WhileLoopTree;
import org.junit.jupiter.api.Test;

final class JumpScannerTest {
  /** Reports whether the body of every {@code while} loop can leave it: a return, or a break. */
  @BugPattern(summary = "Reports JumpScanner", severity = WARNING)
  public static final class LeavesProbe extends BugChecker implements WhileLoopTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchWhileLoop(WhileLoopTree tree, VisitorState state) {
      boolean[] leaves = new boolean[1];
      new JumpScanner() {
        @Override
        public Void visitBreak(BreakTree node, Void unused) {
          leaves[0] |= node.getLabel() == null && breakTargets() == 0;
          return null;
        }

        @Override
        public Void visitReturn(ReturnTree node, Void unused) {
          leaves[0] = true;
          return null;
        }
      }.scan(tree.getStatement(), null);
      return buildDescription(tree)
          .setMessage(leaves[0] ? "can leave the loop" : "stays in the loop")
          .build();
    }
  }

  @Test
  void breaksOfInnerLoopsAndSwitchesAndCodeElsewhereStayInside() {
    CompilationTestHelper.newInstance(LeavesProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.List;",
            "class A {",
            "  void m(boolean f, int x, List<String> list) {",
            "    // BUG: Diagnostic contains: can leave the loop",
            "    while (f) { break; }",
            "    // BUG: Diagnostic contains: can leave the loop",
            "    while (f) { for (String s : list) {} if (x > 0) return; }",
            "    // BUG: Diagnostic contains: can leave the loop",
            "    while (f) { for (String s : list) {} break; }",
            "    // BUG: Diagnostic contains: stays in the loop",
            "    while (f) { for (String s : list) { break; } }",
            "    // BUG: Diagnostic contains: stays in the loop",
            "    while (f) { do { break; } while (f); }",
            "    // BUG: Diagnostic contains: stays in the loop",
            "    while (f) { for (int i = 0; i < x; i++) { break; } }",
            "    // BUG: Diagnostic contains: stays in the loop",
            "    while (f) { switch (x) { case 1: break; default: } }",
            "    // BUG: Diagnostic contains: stays in the loop",
            "    while (f) { Runnable r = () -> { return; }; }",
            "    // BUG: Diagnostic contains: stays in the loop",
            "    while (f) { new Object() { void g() { return; } }; }",
            "  }",
            "}")
        .doTest();
  }
}
