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
import dev.tether.checker.utils.LocalEscapes.Rules;
import dev.tether.checker.utils.LocalEscapes.Way;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LocalEscapesTest {
  /**
   * Reports, at every variable whose name starts with {@code x}, each {@link Way} by which it
   * escapes the body of its method when that way alone counts (a rule set per way). A lambda runs
   * in place when it is an argument of a method whose name starts with {@code now}.
   */
  @BugPattern(summary = "Reports LocalEscapes.escapes", severity = WARNING)
  public static final class EscapesProbe extends BugChecker implements VariableTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchVariable(VariableTree tree, VisitorState state) {
      VarSymbol var = ASTHelpers.getSymbol(tree);
      TreePath body = Trees.enclosingBody(state.getPath());
      if (!tree.getName().toString().startsWith("x") || var == null || body == null) {
        return Description.NO_MATCH;
      }
      List<Way> ways = new ArrayList<>();
      for (Way way : Way.values()) {
        if (LocalEscapes.escapes(
            var, body, new Rules(EnumSet.of(way), EscapesProbe::runsNow), state)) {
          ways.add(way);
        }
      }
      return buildDescription(tree).setMessage("escapes by " + ways).build();
    }

    private static boolean runsNow(TreePath lambda, VisitorState state) {
      return lambda.getParentPath().getLeaf() instanceof MethodInvocationTree call
          && Trees.calledName(call).startsWith("now");
    }
  }

  private static CompilationTestHelper helper(Class<?> testClass, String... body) {
    List<String> lines = new ArrayList<>();
    lines.add("import java.util.*;");
    lines.add("import java.util.function.*;");
    lines.add("class A {");
    lines.add("  Object field;");
    lines.add("  static void use(Object o) {}");
    lines.add("  static void now(Runnable r) { r.run(); }");
    lines.add("  static void nowValue(Supplier<Object> s) {}");
    lines.add("  static void later(Runnable r) {}");
    lines.add("  static Object make() { return new Object(); }");
    lines.addAll(List.of(body));
    lines.add("}");
    return CompilationTestHelper.newInstance(EscapesProbe.class, testClass)
        .addSourceLines("A.java", lines.toArray(new String[0]));
  }

  @Test
  void usesThatKeepTheValueHere() {
    helper(
            getClass(),
            "  int kept(List<Object> others) {",
            "    // BUG: Diagnostic contains: escapes by []",
            "    List<Object> x = new ArrayList<>();",
            "    x.add(1);",
            "    x.addAll(others);",
            "    if (x == null || x.isEmpty()) { return 0; }",
            "    for (Object o : x) { use(o); }",
            "    synchronized (x) { x.clear(); }",
            "    x = new ArrayList<>();",
            "    return x.size();",
            "  }")
        .doTest();
  }

  @Test
  void argument() {
    helper(
            getClass(),
            "  void passed() {",
            "    // BUG: Diagnostic contains: escapes by [ARGUMENT]",
            "    Object x = new Object();",
            "    use(((x)));",
            "  }",
            "  void constructed() {",
            "    // BUG: Diagnostic contains: escapes by [ARGUMENT]",
            "    List<Object> x = new ArrayList<>();",
            "    new ArrayList<>(x);",
            "  }",
            "  void anArgumentOfACallOnIt() {",
            "    // BUG: Diagnostic contains: escapes by [ARGUMENT]",
            "    List<Object> x = new ArrayList<>();",
            "    x.add(x);",
            "  }",
            "  // BUG: Diagnostic contains: escapes by [ARGUMENT]",
            "  void aParameter(Object xParam) {",
            "    use(xParam);",
            "  }")
        .doTest();
  }

  @Test
  void stored() {
    helper(
            getClass(),
            "  void inAField() {",
            "    // BUG: Diagnostic contains: escapes by [STORED]",
            "    Object x = new Object();",
            "    field = x;",
            "  }",
            "  void inALocal() {",
            "    // BUG: Diagnostic contains: escapes by [STORED]",
            "    Object x = new Object();",
            "    Object alias = (x);",
            "    alias.hashCode();",
            "  }",
            "  void castIsNotFollowed() {",
            "    // BUG: Diagnostic contains: escapes by []",
            "    String x = new String();",
            "    field = (Object) x;",
            "  }")
        .doTest();
  }

  @Test
  void arrayElement() {
    helper(
            getClass(),
            "  Object[] inANewArray() {",
            "    // BUG: Diagnostic contains: escapes by [ARRAY_ELEMENT]",
            "    Object x = new Object();",
            "    return new Object[] {1, x};",
            "  }",
            "  int inAnArrayInitializer() {",
            "    // BUG: Diagnostic contains: escapes by [ARRAY_ELEMENT]",
            "    Object x = new Object();",
            "    Object[] other = {x};",
            "    return other.length;",
            "  }",
            "  // BUG: Diagnostic contains: escapes by []",
            "  Object[] aDimensionIsNoElement(int xSize) {",
            "    return new Object[xSize];",
            "  }")
        .doTest();
  }

  @Test
  void returned() {
    helper(
            getClass(),
            "  Object fromTheBody() {",
            "    // BUG: Diagnostic contains: escapes by [RETURNED]",
            "    Object x = new Object();",
            "    return x;",
            "  }",
            "  Supplier<Object> fromALambdaThatRunsLater() {",
            "    // BUG: Diagnostic contains: escapes by [CAPTURED]",
            "    Object x = new Object();",
            "    return () -> { return x; };",
            "  }",
            "  void fromALambdaThatRunsNow() {",
            "    // BUG: Diagnostic contains: escapes by [RETURNED]",
            "    Object x = new Object();",
            "    nowValue(() -> { return x; });",
            "  }",
            "  void fromAnExpressionLambdaThatRunsNow() {",
            "    // BUG: Diagnostic contains: escapes by []",
            "    Object x = new Object();",
            "    nowValue(() -> x);",
            "  }",
            "  int aValueComputedFromIt() {",
            "    // BUG: Diagnostic contains: escapes by []",
            "    String x = new String();",
            "    return x.length();",
            "  }")
        .doTest();
  }

  @Test
  void captured() {
    helper(
            getClass(),
            "  void byALambdaThatRunsLater() {",
            "    // BUG: Diagnostic contains: escapes by [CAPTURED]",
            "    List<Object> x = new ArrayList<>();",
            "    later(() -> x.clear());",
            "  }",
            "  void byALambdaThatRunsNow() {",
            "    // BUG: Diagnostic contains: escapes by []",
            "    List<Object> x = new ArrayList<>();",
            "    now(() -> x.clear());",
            "  }",
            "  void passedInALambdaThatRunsNow() {",
            "    // BUG: Diagnostic contains: escapes by [ARGUMENT]",
            "    List<Object> x = new ArrayList<>();",
            "    now(() -> use(x));",
            "  }",
            "  void passedInALambdaThatRunsLater() {",
            "    // BUG: Diagnostic contains: escapes by [CAPTURED]",
            "    List<Object> x = new ArrayList<>();",
            "    later(() -> use(x));",
            "  }",
            "  void inALaterLambdaInsideANowLambda() {",
            "    // BUG: Diagnostic contains: escapes by [CAPTURED]",
            "    List<Object> x = new ArrayList<>();",
            "    now(() -> later(() -> x.clear()));",
            "  }",
            "  void inANowLambdaInsideALaterLambda() {",
            "    // BUG: Diagnostic contains: escapes by [CAPTURED]",
            "    List<Object> x = new ArrayList<>();",
            "    later(() -> now(() -> x.clear()));",
            "  }",
            "  void byAnAnonymousClass() {",
            "    // BUG: Diagnostic contains: escapes by [CAPTURED]",
            "    List<Object> x = new ArrayList<>();",
            "    now(new Runnable() { public void run() { x.clear(); } });",
            "  }",
            "  void byALocalClass() {",
            "    // BUG: Diagnostic contains: escapes by [CAPTURED]",
            "    List<Object> x = new ArrayList<>();",
            "    class Local { void go() { x.clear(); } }",
            "    new Local().go();",
            "  }",
            "  void byABoundMethodReference() {",
            "    // BUG: Diagnostic contains: escapes by [CAPTURED]",
            "    List<Object> x = new ArrayList<>();",
            "    Runnable r = x::clear;",
            "    r.run();",
            "  }")
        .doTest();
  }

  @Test
  void notCreatedHere() {
    helper(
            getClass(),
            "  void fromAFactory() {",
            "    // BUG: Diagnostic contains: escapes by [NOT_CREATED_HERE]",
            "    Object x = make();",
            "    x.hashCode();",
            "  }",
            "  void withoutInitializer(boolean b) {",
            "    // BUG: Diagnostic contains: escapes by [NOT_CREATED_HERE]",
            "    Object x;",
            "    x = b ? new Object() : \"\";",
            "    x.hashCode();",
            "  }",
            "  void anAnonymousSubclass() {",
            "    // BUG: Diagnostic contains: escapes by [NOT_CREATED_HERE]",
            "    Object x = new Object() {};",
            "    x.hashCode();",
            "  }",
            "  void created() {",
            "    // BUG: Diagnostic contains: escapes by []",
            "    Object x = new Object();",
            "    x.hashCode();",
            "  }",
            "  // BUG: Diagnostic contains: escapes by []",
            "  void aParameterIsNotDeclaredInTheBody(Object xParam) {",
            "    xParam.hashCode();",
            "  }")
        .doTest();
  }
}
