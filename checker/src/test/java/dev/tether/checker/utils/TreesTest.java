package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CatchTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.IdentifierTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.IfTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.util.Name;
import java.util.List;
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
    private static final Matcher<ExpressionTree> TRIM_ON_RECEIVER =
        Trees.calledNameFirst("trim", (t, s) -> ASTHelpers.getReceiver(t) != null);
    private static final Trees.NameSuffix ENDS_IP = new Trees.NameSuffix("ip");

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
                  + " first="
                  + TRIM_ON_RECEIVER.matches(tree, state)
                  + " endsWith="
                  + ENDS_IP.test(Trees.calledMethodName(tree), state)
                  + " args="
                  + Trees.argumentsOf(tree).size()
                  + ";")
          .build();
    }
  }

  /** Reports, at every call, the name of the class that {@link Trees#topLevelClass} finds. */
  @BugPattern(summary = "Reports Trees.topLevelClass", severity = WARNING)
  public static final class TopLevelProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      TreePath top = Trees.topLevelClass(state.getPath());
      return buildDescription(tree)
          .setMessage("top: " + ((ClassTree) top.getLeaf()).getSimpleName() + ";")
          .build();
    }
  }

  @Test
  void topLevelClassIsTheOutermostClassOnThePath() {
    CompilationTestHelper.newInstance(TopLevelProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  static class Inner {",
            "    void m() {",
            "      // BUG: Diagnostic contains: top: A;",
            "      new Object() { void n() { toString(); } }.hashCode();",
            "    }",
            "  }",
            "}",
            "class B {",
            "  // BUG: Diagnostic contains: top: B;",
            "  int x = Integer.parseInt(\"1\");",
            "}")
        .doTest();
  }

  /** Reports, at every call, whether {@link Trees#ancestor} finds the enclosing method. */
  @BugPattern(summary = "Reports Trees.ancestor", severity = WARNING)
  public static final class AncestorProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      MethodTree method = ASTHelpers.findEnclosingNode(state.getPath(), MethodTree.class);
      TreePath found = method == null ? null : Trees.ancestor(state.getPath(), method);
      TreePath self = Trees.ancestor(state.getPath(), tree);
      return buildDescription(tree)
          .setMessage(
              "method="
                  + (found != null && found.getLeaf() == method)
                  + " self="
                  + (self == state.getPath())
                  + " other="
                  + (Trees.ancestor(state.getPath(), state.getPath().getCompilationUnit()) != null)
                  + " absent="
                  + (Trees.ancestor(state.getPath(), tree.getMethodSelect()) == null)
                  + ";")
          .build();
    }
  }

  @Test
  void ancestorFindsAPathUpTheTree() {
    CompilationTestHelper.newInstance(AncestorProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  void m(String s) {",
            "    // BUG: Diagnostic contains: method=true self=true other=true absent=true;",
            "    s.trim();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void calledNameFiltersCompareNames() {
    CompilationTestHelper.newInstance(CalledNameFilterProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  void run() {}",
            "  void trim() {}",
            "  void m(String s) {",
            "    // BUG: Diagnostic contains: in=true startsWith=false first=false endsWith=false args=0;",
            "    run();",
            "    // BUG: Diagnostic contains: in=true startsWith=false first=true endsWith=false args=0;",
            "    s.trim();",
            "    // BUG: Diagnostic contains: in=true startsWith=false first=false endsWith=false args=0;",
            "    trim();",
            "    // BUG: Diagnostic contains: in=false startsWith=true first=false endsWith=false args=0;",
            "    java.util.Collections.<String>emptyList();",
            "    // BUG: Diagnostic contains: in=false startsWith=false first=false endsWith=false args=2;",
            "    java.util.Objects.equals((s), \"x\");",
            "    // BUG: Diagnostic contains: in=false startsWith=false first=false endsWith=true args=0;",
            "    s.strip();",
            "    // BUG: Diagnostic contains: in=false startsWith=false first=false endsWith=true args=0;",
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

  /** Reports, at every {@code if}, the kind of the last statement of its then-branch. */
  @BugPattern(summary = "Reports Trees.lastStatement", severity = WARNING)
  public static final class LastProbe extends BugChecker implements IfTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchIf(IfTree tree, VisitorState state) {
      StatementTree last = Trees.lastStatement(tree.getThenStatement());
      return buildDescription(tree)
          .setMessage("last " + last.getKind() + ", jump " + Trees.isJump(last) + ";")
          .build();
    }
  }

  @Test
  void lastStatementAndJumps() {
    CompilationTestHelper.newInstance(LastProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  int m(boolean b) {",
            "    while (b) {",
            "      // BUG: Diagnostic contains: last BREAK, jump true;",
            "      if (b) break;",
            "      // BUG: Diagnostic contains: last CONTINUE, jump true;",
            "      if (b) { b = false; continue; }",
            "      // BUG: Diagnostic contains: last THROW, jump true;",
            "      if (b) { throw new IllegalStateException(); }",
            "      // BUG: Diagnostic contains: last EXPRESSION_STATEMENT, jump false;",
            "      if (b) { b = !b; }",
            "      // one level deep only",
            "      // BUG: Diagnostic contains: last BLOCK, jump false;",
            "      if (b) { b = false; { return 1; } }",
            "      // BUG: Diagnostic contains: last BLOCK, jump false;",
            "      if (b) {}",
            "    }",
            "    // BUG: Diagnostic contains: last RETURN, jump true;",
            "    if (b) return 0;",
            "    return 2;",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Reports, for every method, whether its body calls {@code x()} (nested code included), holds a
   * {@code null} literal, and holds one outside its first statement.
   */
  @BugPattern(summary = "Reports Trees.contains", severity = WARNING)
  public static final class ContainsProbe extends BugChecker implements MethodTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      if (tree.getBody() == null || !tree.getName().toString().startsWith("m")) {
        return Description.NO_MATCH;
      }
      Tree first =
          tree.getBody().getStatements().isEmpty() ? null : tree.getBody().getStatements().get(0);
      return buildDescription(tree)
          .setMessage(
              "calls x "
                  + Trees.containsCall(tree.getBody(), c -> Trees.calledName(c).equals("x"))
                  + ", null "
                  + Trees.contains(tree.getBody(), Trees::isNullLiteral)
                  + ", null after the first "
                  + Trees.contains(tree.getBody(), first, Trees::isNullLiteral)
                  + ";")
          .build();
    }
  }

  @Test
  void contains() {
    CompilationTestHelper.newInstance(ContainsProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "abstract class A {",
            "  abstract void x();",
            "  abstract void y(Object o);",
            "  // BUG: Diagnostic contains: calls x true, null false, null after the first false;",
            "  void m1() { x(); }",
            "  // BUG: Diagnostic contains: calls x false, null true, null after the first false;",
            "  void m2() { Object o = null; y(o); }",
            "  // BUG: Diagnostic contains: calls x true, null true, null after the first true;",
            "  void m3() { y(1); Runnable r = () -> { y(null); x(); }; }",
            "  // BUG: Diagnostic contains: calls x true, null true, null after the first false;",
            "  void m4() { new Object() { void f() { y(null); x(); } }; }",
            "  // BUG: Diagnostic contains: calls x false, null false, null after the first false;",
            "  void m5() {}",
            "}")
        .doTest();
  }

  /**
   * Reports, at every call {@code here()}, the kinds of the nodes {@link Trees#enclosingInBody}
   * lists and of the children through which they enclose it.
   */
  @BugPattern(summary = "Reports Trees.enclosingInBody", severity = WARNING)
  public static final class EnclosingProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("here")) {
        return Description.NO_MATCH;
      }
      List<Trees.Enclosing> enclosing = Trees.enclosingInBody(state.getPath());
      return buildDescription(tree)
          .setMessage(
              "in "
                  + enclosing.stream().map(e -> e.leaf().getKind()).collect(Collectors.toList())
                  + " through "
                  + enclosing.stream().map(e -> e.child().getKind()).collect(Collectors.toList())
                  + ";")
          .build();
    }
  }

  @Test
  void enclosingInBody() {
    CompilationTestHelper.newInstance(EnclosingProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  static int here() { return 0; }",
            "  // BUG: Diagnostic contains: in [PLUS, VARIABLE] through [METHOD_INVOCATION, PLUS];",
            "  int field = here() + 1;",
            "  void m(boolean b) {",
            "    if (b) {",
            "      // BUG: Diagnostic contains: in [EXPRESSION_STATEMENT, BLOCK, IF, BLOCK] through"
                + " [METHOD_INVOCATION, EXPRESSION_STATEMENT, BLOCK, IF];",
            "      here();",
            "    }",
            "    // BUG: Diagnostic contains: in [] through [];",
            "    Runnable r = () -> here();",
            "  }",
            "}")
        .doTest();
  }

  /** Reports, at every method, the values of the {@code return}s {@link Trees#ownReturns} finds. */
  @BugPattern(summary = "Reports Trees.ownReturns", severity = WARNING)
  public static final class OwnReturnsProbe extends BugChecker implements MethodTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      if (tree.getBody() == null || tree.getName().contentEquals("<init>")) {
        return Description.NO_MATCH;
      }
      String values =
          Trees.ownReturns(tree.getBody()).stream()
              .map(r -> String.valueOf(r.getExpression()))
              .collect(Collectors.joining(","));
      return buildDescription(tree).setMessage("returns [" + values + "]").build();
    }
  }

  @Test
  void ownReturnsLeaveOutLambdasAndClasses() {
    CompilationTestHelper.newInstance(OwnReturnsProbe.class, getClass())
        .addSourceLines(
            "R.java",
            "import java.util.function.Supplier;",
            "class R {",
            "  // BUG: Diagnostic contains: returns [1,2]",
            "  int m(boolean b) {",
            "    Supplier<Integer> s = () -> { return 3; };",
            "    // BUG: Diagnostic contains: returns [4]",
            "    Object o = new Object() { int n() { return 4; } };",
            "    if (b) {",
            "      return 1;",
            "    }",
            "    return 2;",
            "  }",
            "  // BUG: Diagnostic contains: returns []",
            "  void none() {}",
            "}")
        .doTest();
  }

  /** Reports, at every call to {@code here()}, the kind of {@link Trees#enclosingFunction}. */
  @BugPattern(summary = "Reports Trees.enclosingFunction", severity = WARNING)
  public static final class EnclosingFunctionProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("here")) {
        return Description.NO_MATCH;
      }
      TreePath function = Trees.enclosingFunction(state.getPath());
      return buildDescription(tree)
          .setMessage("in " + (function == null ? "none" : function.getLeaf().getKind()))
          .build();
    }
  }

  @Test
  void enclosingFunctionIsTheNearestMethodOrLambda() {
    CompilationTestHelper.newInstance(EnclosingFunctionProbe.class, getClass())
        .addSourceLines(
            "F.java",
            "class F {",
            "  // BUG: Diagnostic contains: in none",
            "  int field = here();",
            "  void m() {",
            "    // BUG: Diagnostic contains: in METHOD",
            "    here();",
            "    Runnable r = () -> {",
            "      // BUG: Diagnostic contains: in LAMBDA_EXPRESSION",
            "      here();",
            "    };",
            "    new Object() {",
            "      // BUG: Diagnostic contains: in none",
            "      int inner = here();",
            "    };",
            "  }",
            "  static int here() { return 0; }",
            "}")
        .doTest();
  }
}
