package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.VariableTree;
import org.junit.jupiter.api.Test;

final class StatementsAfterTest {
  /**
   * Reports every local named {@code res}: whether statements follow it (and hold a text block),
   * with the try-with-resources fix around them.
   */
  @BugPattern(summary = "Reports StatementsAfter", severity = WARNING)
  public static final class WrapProbe extends BugChecker implements VariableTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchVariable(VariableTree tree, VisitorState state) {
      if (!tree.getName().contentEquals("res")) {
        return Description.NO_MATCH;
      }
      StatementsAfter after = StatementsAfter.of(tree, state.getPath().getParentPath(), state);
      if (after == null) {
        return buildDescription(tree).setMessage("nothing after").build();
      }
      return buildDescription(tree)
          .setMessage(after.hasTextBlock() ? "text block after" : "statements after")
          .addFix(after.tryWithResources(state))
          .build();
    }
  }

  @Test
  void whatFollows() {
    CompilationTestHelper.newInstance(WrapProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.io.StringReader;",
            "class A {",
            "  void onlyOne() {",
            "    // BUG: Diagnostic contains: nothing after",
            "    StringReader res = new StringReader(\"\");",
            "  }",
            "  void more() throws Exception {",
            "    // BUG: Diagnostic contains: statements after",
            "    StringReader res = new StringReader(\"\");",
            "    res.ready();",
            "    String s = \"x\";",
            "  }",
            "  void textBlock() throws Exception {",
            "    // BUG: Diagnostic contains: text block after",
            "    StringReader res = new StringReader(\"\");",
            "    String s = \"\"\"",
            "        a",
            "        \"\"\";",
            "  }",
            "  // a field: its scope is no block",
            "  // BUG: Diagnostic contains: nothing after",
            "  StringReader res = new StringReader(\"\");",
            "}")
        .doTest();
  }

  @Test
  void tryWithResources() {
    BugCheckerRefactoringTestHelper.newInstance(WrapProbe.class, getClass())
        .addInputLines(
            "A.java",
            "import java.io.StringReader;",
            "class A {",
            "  void more() throws Exception {",
            "    System.out.println(\"start\");",
            "    StringReader res = new StringReader(\"\");",
            "    res.ready();",
            "    if (res.ready()) {",
            "      return;",
            "    }",
            "  }",
            "}")
        .addOutputLines(
            "A.java",
            "import java.io.StringReader;",
            "class A {",
            "  void more() throws Exception {",
            "    System.out.println(\"start\");",
            "    try (StringReader res = new StringReader(\"\")) {",
            "      res.ready();",
            "      if (res.ready()) {",
            "        return;",
            "      }",
            "    }",
            "  }",
            "}")
        .doTest(TestMode.TEXT_MATCH);
  }
}
