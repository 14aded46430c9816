package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class DeclarationsTest {
  /**
   * Reports, at every call {@code probe(x)}, the declaration of the variable {@code x} that {@link
   * Declarations#of} finds from there, and the one {@link Declarations#in} finds in the enclosing
   * method.
   */
  @BugPattern(summary = "Reports Declarations", severity = WARNING)
  public static final class DeclarationProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("probe") || tree.getArguments().size() != 1) {
        return Description.NO_MATCH;
      }
      VarSymbol var = SameVariable.variable(tree.getArguments().get(0));
      if (var == null) {
        return Description.NO_MATCH;
      }
      MethodTree method = ASTHelpers.findEnclosingNode(state.getPath(), MethodTree.class);
      return buildDescription(tree)
          .setMessage(
              "of: "
                  + describe(Declarations.of(var, state.getPath()), state)
                  + "; in method: "
                  + describe(Declarations.in(method, var), state))
          .build();
    }

    private static String describe(@Nullable VariableTree declaration, VisitorState state) {
      if (declaration == null) {
        return "none";
      }
      String source = state.getSourceForNode(declaration);
      return source.endsWith(";") ? source.substring(0, source.length() - 1) : source;
    }
  }

  @Test
  void fieldsLocalsAndParameters() {
    CompilationTestHelper.newInstance(DeclarationProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.*;",
            "class A {",
            "  static void probe(Object o) {}",
            "  private final List<String> field = new ArrayList<>();",
            "  static class Other { static int shared = 1; }",
            "  void m(String param) {",
            "    int local = 1;",
            "    // BUG: Diagnostic contains: of: private final List<String> field = new"
                + " ArrayList<>(); in method: none",
            "    probe(field);",
            "    // BUG: Diagnostic contains: of: int local = 1; in method: int local = 1",
            "    probe(local);",
            "    // BUG: Diagnostic contains: of: String param; in method: String param",
            "    probe(param);",
            "    // a field of another class is not declared around here:",
            "    // BUG: Diagnostic contains: of: none; in method: none",
            "    probe(Other.shared);",
            "    Runnable r =",
            "        () -> {",
            "          for (String s : field) {",
            "            // BUG: Diagnostic contains: of: String s; in method: String s",
            "            probe(s);",
            "            // BUG: Diagnostic contains: of: int local = 1; in method: int local = 1",
            "            probe(local);",
            "          }",
            "        };",
            "  }",
            "  {",
            "    String inInitializer = \"x\";",
            "    // BUG: Diagnostic contains: of: String inInitializer = \"x\"; in method: none",
            "    probe(inInitializer);",
            "  }",
            "}")
        .doTest();
  }
}
