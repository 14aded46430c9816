package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class StoppingScannerTest {
  /**
   * Reports, for every method named {@code m…}, the calls a {@link StoppingScanner} and a {@link
   * BodyScan.Scanner} visit in its body when both stop at the first call named {@code stop}, and
   * whether they stopped.
   */
  @BugPattern(summary = "Reports StoppingScanner", severity = WARNING)
  public static final class StopProbe extends BugChecker implements MethodTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      if (!tree.getName().toString().startsWith("m")) {
        return Description.NO_MATCH;
      }
      List<String> all = new ArrayList<>();
      boolean allStopped =
          new StoppingScanner() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, @Nullable Void unused) {
              note(call, all, this);
              return super.visitMethodInvocation(call, null);
            }
          }.finds(tree.getBody());
      List<String> here = new ArrayList<>();
      boolean hereStopped =
          new BodyScan.Scanner() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, @Nullable Void unused) {
              note(call, here, this);
              return super.visitMethodInvocation(call, null);
            }
          }.finds(tree.getBody());
      return buildDescription(tree)
          .setMessage("all " + all + " " + allStopped + ", here " + here + " " + hereStopped + ";")
          .build();
    }

    private static void note(MethodInvocationTree call, List<String> names, StoppingScanner s) {
      String name = Trees.calledName(call);
      names.add(name);
      if (name.equals("stop")) {
        s.stop();
      }
    }
  }

  @Test
  void stopsAtOnceAndSkipsNestedCodeOnlyInBodyScans() {
    CompilationTestHelper.newInstance(StopProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "abstract class A {",
            "  abstract void a();",
            "  abstract void b();",
            "  abstract void stop();",
            "  // BUG: Diagnostic contains: all [a, b] false, here [a, b] false;",
            "  void m1() { a(); b(); }",
            "  // BUG: Diagnostic contains: all [a, stop] true, here [a, stop] true;",
            "  void m2() { a(); stop(); b(); }",
            "  // BUG: Diagnostic contains: all [a, stop] true, here [a, b] false;",
            "  void m3() { Runnable r = () -> { a(); stop(); }; new Object() { void f() { b(); } };"
                + " a(); b(); }",
            "}")
        .doTest();
  }
}
