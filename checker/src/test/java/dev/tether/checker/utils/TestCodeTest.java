package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.MethodInvocationTree;
import org.junit.jupiter.api.Test;

final class TestCodeTest {
  /** Reports every call in test code. */
  @BugPattern(summary = "Reports TestCode", severity = WARNING)
  public static final class TestCodeProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      return TestCode.contains(state.getPath())
          ? buildDescription(tree).setMessage("test code").build()
          : Description.NO_MATCH;
    }
  }

  @Test
  void names() {
    assertTrue(TestCode.isTestClassName("CancelScopeTest"));
    assertTrue(TestCode.isTestClassName("ServiceIT"));
    assertFalse(TestCode.isTestClassName("Contest1"));
  }

  @Test
  void testCode() {
    CompilationTestHelper.newInstance(TestCodeProbe.class, getClass())
        .addSourceLines("Test.java", "package org.junit.jupiter.api;", "public @interface Test {}")
        .addSourceLines(
            "A.java",
            "class A {",
            "  @org.junit.jupiter.api.Test",
            "  void aTest() {",
            "    // BUG: Diagnostic contains: test code",
            "    Runnable r = () -> toString();",
            "  }",
            "  void notATest() {",
            "    toString();",
            "  }",
            "}")
        .addSourceLines(
            "ServiceTest.java",
            "class ServiceTest {",
            "  void helper() {",
            "    // BUG: Diagnostic contains: test code",
            "    toString();",
            "  }",
            "}")
        .doTest();
  }
}
