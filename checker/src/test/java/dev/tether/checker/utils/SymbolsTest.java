package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.ClassTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.LambdaExpressionTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import org.junit.jupiter.api.Test;

final class SymbolsTest {
  /** Reports the method or constructor every call and {@code new} resolves to. */
  @BugPattern(summary = "Reports Symbols.calledMethod", severity = WARNING)
  public static final class CalledProbe extends BugChecker
      implements MethodInvocationTreeMatcher, NewClassTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      // not the implicit super() of a default constructor
      return Trees.calledName(tree).equals("super") ? Description.NO_MATCH : describe(tree);
    }

    @Override
    public Description matchNewClass(NewClassTree tree, VisitorState state) {
      return describe(tree);
    }

    private Description describe(Tree call) {
      MethodSymbol method = Symbols.calledMethod(call);
      return buildDescription(call)
          .setMessage(method == null ? "unresolved" : "calls " + method.owner + "." + method)
          .build();
    }
  }

  /** Reports whether every lambda returns nothing. */
  @BugPattern(summary = "Reports Symbols.returnsVoid", severity = WARNING)
  public static final class VoidProbe extends BugChecker implements LambdaExpressionTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchLambdaExpression(LambdaExpressionTree tree, VisitorState state) {
      return buildDescription(tree)
          .setMessage(Symbols.returnsVoid(tree, state) ? "void lambda" : "value lambda")
          .build();
    }
  }

  /**
   * Reports, at every call {@code mentions(x, code)}, whether {@code code} mentions the variable
   * {@code x}; at every call {@code mentionsApartFrom(x, a + b)}, whether {@code a + b} mentions it
   * apart from {@code b}.
   */
  @BugPattern(summary = "Reports Symbols.mentions", severity = WARNING)
  public static final class MentionsProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (tree.getArguments().size() != 2) {
        return Description.NO_MATCH;
      }
      VarSymbol var = SameVariable.variable(tree.getArguments().get(0));
      ExpressionTree code = tree.getArguments().get(1);
      boolean mentions;
      if (Trees.calledName(tree).equals("mentions")) {
        mentions = Symbols.mentions(code, var);
      } else if (Trees.calledName(tree).equals("mentionsApartFrom")
          && code instanceof BinaryTree binary) {
        mentions = Symbols.mentions(code, var, binary.getRightOperand());
      } else {
        return Description.NO_MATCH;
      }
      return buildDescription(tree).setMessage(mentions ? "mentions it" : "silent on it").build();
    }
  }

  /**
   * Reports whether every class is anonymous, and at every call {@code probe()} whether the class
   * around it is.
   */
  @BugPattern(summary = "Reports Symbols.isAnonymous", severity = WARNING)
  public static final class AnonymousProbe extends BugChecker
      implements ClassTreeMatcher, MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchClass(ClassTree tree, VisitorState state) {
      return buildDescription(tree)
          .setMessage(Symbols.isAnonymous(tree) ? "anonymous class" : "named class")
          .build();
    }

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("probe")) {
        return Description.NO_MATCH;
      }
      return buildDescription(tree)
          .setMessage(
              Symbols.isInAnonymousClass(state.getPath()) ? "in an anonymous class" : "in a named")
          .build();
    }
  }

  @Test
  void anonymousClasses() {
    CompilationTestHelper.newInstance(AnonymousProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "// BUG: Diagnostic contains: named class",
            "class A {",
            "  static void probe() {}",
            "  void m() {",
            "    // BUG: Diagnostic contains: in a named",
            "    probe();",
            "    // BUG: Diagnostic contains: anonymous class",
            "    new Runnable() {",
            "      public void run() {",
            "        // BUG: Diagnostic contains: in an anonymous class",
            "        probe();",
            "        // BUG: Diagnostic contains: named class",
            "        class Local {",
            "          void f() {",
            "            // BUG: Diagnostic contains: in a named",
            "            probe();",
            "          }",
            "        }",
            "      }",
            "    };",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void calledMethod() {
    CompilationTestHelper.newInstance(CalledProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  static void run(int n) {}",
            "  void m(StringBuilder b) {",
            "    // BUG: Diagnostic contains: calls A.run(int)",
            "    run(1);",
            "    // BUG: Diagnostic contains: calls java.lang.StringBuilder.append(int)",
            "    b.append(1);",
            "    // BUG: Diagnostic contains: calls java.lang.Object.Object()",
            "    new Object();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void returnsVoid() {
    CompilationTestHelper.newInstance(VoidProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.concurrent.Callable;",
            "import java.util.function.*;",
            "class A {",
            "  void m() {",
            "    // BUG: Diagnostic contains: void lambda",
            "    Runnable r = () -> {};",
            "    // BUG: Diagnostic contains: void lambda",
            "    Consumer<String> c = s -> s.trim();",
            "    // BUG: Diagnostic contains: value lambda",
            "    Callable<String> k = () -> \"x\";",
            "    // BUG: Diagnostic contains: value lambda",
            "    Supplier<Integer> s = () -> 1;",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void mentions() {
    CompilationTestHelper.newInstance(MentionsProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  static void mentions(Object var, Object code) {}",
            "  static void mentionsApartFrom(Object var, Object code) {}",
            "  int count;",
            "  int other;",
            "  A next;",
            "  void m(int local, A a) {",
            "    // BUG: Diagnostic contains: mentions it",
            "    mentions(local, local + 1);",
            "    // BUG: Diagnostic contains: mentions it",
            "    mentions(count, this.count + 1);",
            "    // BUG: Diagnostic contains: mentions it",
            "    mentions(count, a.next.count);",
            "    // BUG: Diagnostic contains: mentions it",
            "    mentions(local, (Runnable) () -> System.out.println(local));",
            "    // BUG: Diagnostic contains: silent on it",
            "    mentions(count, other + 1);",
            "    // BUG: Diagnostic contains: silent on it",
            "    mentions(local, 1);",
            "    // BUG: Diagnostic contains: silent on it",
            "    mentions(\"not a variable\", local);",
            "    // BUG: Diagnostic contains: mentions it",
            "    mentionsApartFrom(local, local + 1);",
            "    // BUG: Diagnostic contains: silent on it",
            "    mentionsApartFrom(local, 1 + local);",
            "    // BUG: Diagnostic contains: mentions it",
            "    mentionsApartFrom(count, this.count + count);",
            "    // BUG: Diagnostic contains: silent on it",
            "    mentionsApartFrom(count, other + this.count);",
            "  }",
            "}")
        .doTest();
  }
}
