package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.ClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LazyPathScannerTest {
  /**
   * Scans each top-level class with a {@link TreePathScanner} and a {@link LazyPathScanner}, and
   * reports whether the paths of the calls (asked for) and of every node (asked for by a second
   * scan) are the same chains of trees.
   */
  @BugPattern(summary = "Compares LazyPathScanner with TreePathScanner", severity = WARNING)
  public static final class PathProbe extends BugChecker implements ClassTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchClass(ClassTree tree, VisitorState state) {
      if (!(state.getPath().getParentPath().getLeaf()
          instanceof com.sun.source.tree.CompilationUnitTree)) {
        return Description.NO_MATCH;
      }
      List<TreePath> expectedCalls = new ArrayList<>();
      List<TreePath> expectedAll = new ArrayList<>();
      new TreePathScanner<Void, Void>() {
        @Override
        public Void scan(Tree t, Void unused) {
          if (t != null) {
            expectedAll.add(new TreePath(getCurrentPath(), t));
          }
          return super.scan(t, null);
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
          expectedCalls.add(getCurrentPath());
          return super.visitMethodInvocation(call, null);
        }
      }.scan(state.getPath(), null);
      List<TreePath> calls = new ArrayList<>();
      new LazyPathScanner<Void, Void>() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
          calls.add(getCurrentPath());
          return super.visitMethodInvocation(call, null);
        }
      }.scan(state.getPath(), null);
      List<TreePath> all = new ArrayList<>();
      new LazyPathScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(com.sun.source.tree.IdentifierTree id, Void unused) {
          all.add(getCurrentPath());
          return null;
        }
      }.scan(state.getPath(), null);
      int[] beforeStop = new int[1];
      new LazyPathScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(com.sun.source.tree.IdentifierTree id, Void unused) {
          beforeStop[0]++;
          stop();
          return null;
        }
      }.scan(state.getPath(), null);
      long expectedIdentifiers =
          expectedAll.stream()
              .filter(p -> p.getLeaf() instanceof com.sun.source.tree.IdentifierTree)
              .count();
      boolean same = sameChains(expectedCalls, calls) && all.size() == expectedIdentifiers;
      for (TreePath p : all) {
        same &= expectedAll.stream().anyMatch(e -> sameChain(e, p));
      }
      return buildDescription(tree)
          .setMessage(
              "calls="
                  + calls.size()
                  + " identifiers="
                  + all.size()
                  + " same="
                  + same
                  + " untilStop="
                  + beforeStop[0])
          .build();
    }

    private static boolean sameChains(List<TreePath> a, List<TreePath> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameChain(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }

    private static boolean sameChain(TreePath a, TreePath b) {
      while (a != null && b != null) {
        if (a.getLeaf() != b.getLeaf()) {
          return false;
        }
        a = a.getParentPath();
        b = b.getParentPath();
      }
      return a == null && b == null;
    }
  }

  @Test
  void pathsAreThoseOfTreePathScanner() {
    CompilationTestHelper.newInstance(PathProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.List;",
            "// the implicit constructors' super() calls count: 6 calls",
            "// BUG: Diagnostic contains: calls=6 identifiers=15 same=true untilStop=1",
            "class A {",
            "  int f;",
            "  void m(List<String> xs) {",
            "    for (String x : xs) {",
            "      Runnable r = () -> System.out.println(x.trim());",
            "      new Object() { void n() { m(xs); } };",
            "    }",
            "    f = xs.size();",
            "  }",
            "}")
        .doTest();
  }
}
