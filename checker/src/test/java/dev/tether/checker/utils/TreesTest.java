package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.IdentifierTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import org.junit.jupiter.api.Test;

final class TreesTest {
  /** Reports the name {@link Trees#calledName} reads from every call. */
  @BugPattern(summary = "Reports Trees.calledName", severity = WARNING)
  public static final class CalledNameProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      String name = Trees.calledName(tree);
      return name.equals("super") // the implicit super() of a default constructor
          ? Description.NO_MATCH
          : buildDescription(tree).setMessage("called " + name + ";").build();
    }
  }

  /** Reports, at every use of a variable named {@code target}, the method called on it. */
  @BugPattern(summary = "Reports Trees.calledOn", severity = WARNING)
  public static final class CalledOnProbe extends BugChecker implements IdentifierTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchIdentifier(IdentifierTree tree, VisitorState state) {
      if (!tree.getName().contentEquals("target")) {
        return Description.NO_MATCH;
      }
      return buildDescription(tree)
          .setMessage("called on it: " + Trees.calledOn(state.getPath()) + ";")
          .build();
    }
  }

  @Test
  void calledNameReadsTheTreeWithoutResolving() {
    CompilationTestHelper.newInstance(CalledNameProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  void run() {}",
            "  void m(String s) {",
            "    // BUG: Diagnostic contains: called run;",
            "    run();",
            "    // BUG: Diagnostic contains: called trim;",
            "    s.trim();",
            "    // BUG: Diagnostic contains: called emptyList;",
            "    java.util.Collections.<String>emptyList();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void calledOn() {
    CompilationTestHelper.newInstance(CalledOnProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.*;",
            "class A {",
            "  static void use(Object o) {}",
            "  void m(List<String> target) {",
            "    // BUG: Diagnostic contains: called on it: size;",
            "    target.size();",
            "    // BUG: Diagnostic contains: called on it: isEmpty;",
            "    if (target.isEmpty()) {}",
            "    // BUG: Diagnostic contains: called on it: null;",
            "    use(target);",
            "    // BUG: Diagnostic contains: called on it: null;",
            "    int n = target == null ? 0 : 1;",
            "    // BUG: Diagnostic contains: called on it: null;",
            "    Runnable r = target::clear;",
            "    // BUG: Diagnostic contains: called on it: null;",
            "    Object o = target;",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void indentOf() {
    String source = "class A {\n  void m() {\n\t  run();\n  }\n}\n";
    assertEquals("", Trees.indentOf(source, 0));
    assertEquals("  ", Trees.indentOf(source, source.indexOf("void")));
    assertEquals("  ", Trees.indentOf(source, source.indexOf("m()")));
    assertEquals("\t  ", Trees.indentOf(source, source.indexOf("run")));
    assertEquals("", Trees.indentOf("run();", 3));
  }
}
