package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import java.util.EnumSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class BodyScanTest {
  /** Reports a method whose body holds a {@code return} or {@code throw} that runs there. */
  @BugPattern(summary = "BodyScan probe", severity = WARNING)
  public static final class LeavesProbe extends BugChecker implements MethodTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      boolean inBody =
          BodyScan.containsKind(tree.getBody(), EnumSet.of(Tree.Kind.RETURN, Tree.Kind.THROW));
      boolean inStatements =
          tree.getBody() != null
              && BodyScan.containsKind(
                  tree.getBody().getStatements(), EnumSet.of(Tree.Kind.RETURN, Tree.Kind.THROW));
      if (inBody != inStatements) {
        throw new AssertionError("the two overloads disagree on " + tree.getName());
      }
      return inBody ? describeMatch(tree) : Description.NO_MATCH;
    }
  }

  @Test
  void findsWhatRunsHereAndSkipsNestedLambdasAndClasses() {
    CompilationTestHelper.newInstance(LeavesProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "abstract class A {",
            "  // BUG: Diagnostic contains: BodyScan probe",
            "  int nested(boolean b) { if (b) { while (b) { return 1; } } return 0; }",
            "  // BUG: Diagnostic contains: BodyScan probe",
            "  void thrower() { throw new IllegalStateException(); }",
            "  void lambdaOnly() { Runnable r = () -> { return; }; r.run(); }",
            "  void classOnly() {",
            "    // the nested methods are matched on their own:",
            "    // BUG: Diagnostic contains: BodyScan probe",
            "    new Object() { int f() { return 1; } };",
            "    // BUG: Diagnostic contains: BodyScan probe",
            "    class Local { void g() { throw new IllegalStateException(); } }",
            "  }",
            "  void none(int i) { i++; }",
            "  abstract void noBody();",
            "}")
        .doTest();
  }

  /**
   * Reports every {@code here()} call that a {@link BodyScan.PathScanner} of the method body meets,
   * with the kind of the tree just above it (a path is there).
   */
  @BugPattern(summary = "BodyScan.PathScanner probe", severity = WARNING)
  public static final class PathProbe extends BugChecker implements MethodTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      if (tree.getBody() == null || !tree.getName().contentEquals("probe")) {
        return Description.NO_MATCH;
      }
      new BodyScan.PathScanner() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
          if (call.getMethodSelect().toString().equals("here")) {
            state.reportMatch(
                buildDescription(call)
                    .setMessage("met under " + getCurrentPath().getParentPath().getLeaf().getKind())
                    .build());
          }
          return super.visitMethodInvocation(call, null);
        }
      }.scan(new TreePath(state.getPath(), tree.getBody()), null);
      return Description.NO_MATCH;
    }
  }

  @Test
  void pathScannerMeetsWhatRunsHereWithItsPath() {
    CompilationTestHelper.newInstance(PathProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  void probe() {",
            "    // BUG: Diagnostic contains: met under EXPRESSION_STATEMENT",
            "    here();",
            "    Runnable r = () -> here();",
            "    new Object() { void m() { here(); } };",
            "  }",
            "  static void here() {}",
            "}")
        .doTest();
  }

  /**
   * Reports every {@code here()} call that a {@link BodyScan.LoopScanner} of a method named {@code
   * probe} meets, with its loop depth, and every loop it enters; {@code stopHere()} stops the scan.
   */
  @BugPattern(summary = "BodyScan.LoopScanner probe", severity = WARNING)
  public static final class LoopProbe extends BugChecker implements MethodTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      if (tree.getBody() == null || !tree.getName().contentEquals("probe")) {
        return Description.NO_MATCH;
      }
      boolean stopped =
          new BodyScan.LoopScanner() {
            @Override
            protected void enterLoop(Tree loop, @Nullable ExpressionTree condition) {
              state.reportMatch(
                  buildDescription(loop)
                      .setMessage("loop, condition " + (condition == null ? "none" : condition))
                      .build());
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Integer loops) {
              String name = call.getMethodSelect().toString();
              if (name.equals("here")) {
                state.reportMatch(buildDescription(call).setMessage("depth " + loops).build());
              } else if (name.equals("stopHere")) {
                stop();
              }
              return super.visitMethodInvocation(call, loops);
            }
          }.finds(tree.getBody());
      return stopped ? buildDescription(tree).setMessage("stopped").build() : Description.NO_MATCH;
    }
  }

  @Test
  void loopScannerCountsLoopsAroundWhatRunsHereAndStops() {
    CompilationTestHelper.newInstance(LoopProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "abstract class A {",
            "  // BUG: Diagnostic contains: stopped",
            "  void probe(boolean b, int[] xs) {",
            "    // BUG: Diagnostic contains: depth 0",
            "    here();",
            "    // BUG: Diagnostic contains: loop, condition (b)",
            "    while (b) {",
            "      // BUG: Diagnostic contains: depth 1",
            "      here();",
            "      // BUG: Diagnostic contains: loop, condition none",
            "      for (;;) {",
            "        // BUG: Diagnostic contains: depth 2",
            "        here();",
            "        break;",
            "      }",
            "      Runnable r = () -> here();",
            "      new Object() { void m() { here(); } };",
            "    }",
            "    for (int x : xs) {",
            "      // BUG: Diagnostic contains: depth 0",
            "      here();",
            "    }",
            "    stopHere();",
            "    here();",
            "  }",
            "  static void here() {}",
            "  static void stopHere() {}",
            "}")
        .doTest();
  }
}
