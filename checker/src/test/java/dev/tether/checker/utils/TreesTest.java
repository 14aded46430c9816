package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CatchTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.IdentifierTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.util.Name;
import java.util.Set;
import java.util.stream.Collectors;
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

  /** Reports what the {@code Name}-based filters of {@link Trees} say about every call. */
  @BugPattern(summary = "Reports Trees.calledNameIn and calledNameStartsWith", severity = WARNING)
  public static final class CalledNameFilterProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;
    private static final PerCompilation<Set<Name>> NAMES = PerCompilation.names("run", "trim");
    private static final PerCompilation<Name> PREFIX = PerCompilation.name("empty");

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (Trees.calledName(tree).equals("super")) {
        return Description.NO_MATCH;
      }
      return buildDescription(tree)
          .setMessage(
              "in="
                  + Trees.calledNameIn(tree, NAMES.get(state))
                  + " startsWith="
                  + Trees.calledNameStartsWith(tree, PREFIX.get(state))
                  + ";")
          .build();
    }
  }

  @Test
  void calledNameFiltersCompareNames() {
    CompilationTestHelper.newInstance(CalledNameFilterProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  void run() {}",
            "  void m(String s) {",
            "    // BUG: Diagnostic contains: in=true startsWith=false;",
            "    run();",
            "    // BUG: Diagnostic contains: in=true startsWith=false;",
            "    s.trim();",
            "    // BUG: Diagnostic contains: in=false startsWith=true;",
            "    java.util.Collections.<String>emptyList();",
            "    // BUG: Diagnostic contains: in=false startsWith=false;",
            "    s.strip();",
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

  /** Reports the types every catch clause catches, as written. */
  @BugPattern(summary = "Reports Trees.caughtTypes", severity = WARNING)
  public static final class CaughtProbe extends BugChecker implements CatchTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchCatch(CatchTree tree, VisitorState state) {
      return buildDescription(tree)
          .setMessage(
              Trees.caughtTypes(tree).stream()
                  .map(state::getSourceForNode)
                  .collect(Collectors.joining(" and ", "catches ", ";")))
          .build();
    }
  }

  @Test
  void caughtTypes() {
    CompilationTestHelper.newInstance(CaughtProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.io.IOException;",
            "class A {",
            "  void io() throws IOException, InterruptedException {}",
            "  void m() {",
            "    try {",
            "      io();",
            "    // BUG: Diagnostic contains: catches IOException and InterruptedException;",
            "    } catch (IOException | InterruptedException e) {",
            "    // BUG: Diagnostic contains: catches RuntimeException;",
            "    } catch (RuntimeException e) {",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  /** Reports, at every call {@code probe()}, the body that {@link Trees#enclosingBody} finds. */
  @BugPattern(summary = "Reports Trees.enclosingBody", severity = WARNING)
  public static final class BodyProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("probe")) {
        return Description.NO_MATCH;
      }
      TreePath body = Trees.enclosingBody(state.getPath());
      String message =
          body == null
              ? "no body"
              : body.getParentPath().getLeaf() instanceof MethodTree method
                  ? "body of " + method.getName()
                  : "initializer block";
      return buildDescription(tree).setMessage(message + ";").build();
    }
  }

  @Test
  void enclosingBody() {
    CompilationTestHelper.newInstance(BodyProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  static int probe() { return 0; }",
            "  // BUG: Diagnostic contains: no body;",
            "  int field = probe();",
            "  {",
            "    // BUG: Diagnostic contains: initializer block;",
            "    probe();",
            "  }",
            "  void m() {",
            "    // BUG: Diagnostic contains: body of m;",
            "    probe();",
            "    // BUG: Diagnostic contains: body of m;",
            "    Runnable r = () -> probe();",
            "    new Object() {",
            "      void inner() {",
            "        // BUG: Diagnostic contains: body of inner;",
            "        probe();",
            "      }",
            "    };",
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
