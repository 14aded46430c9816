package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Type;
import org.junit.jupiter.api.Test;

final class KnownTypesTest {
  /** Reports every variable whose type is a {@code Thread} (or a subclass). */
  @BugPattern(summary = "Reports KnownTypes.THREAD", severity = WARNING)
  public static final class ThreadProbe extends BugChecker implements VariableTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchVariable(VariableTree tree, VisitorState state) {
      Type type = ASTHelpers.getType(tree);
      return type != null && ASTHelpers.isSubtype(type, KnownTypes.THREAD.get(state), state)
          ? buildDescription(tree).setMessage("thread").build()
          : Description.NO_MATCH;
    }
  }

  @Test
  void thread() {
    CompilationTestHelper.newInstance(ThreadProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  static final class Worker extends Thread {}",
            "  // BUG: Diagnostic contains: thread",
            "  Thread plain;",
            "  // BUG: Diagnostic contains: thread",
            "  Worker worker;",
            "  Runnable task;",
            "  Object object;",
            "}")
        .doTest();
  }
}
