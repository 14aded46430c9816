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

final class LoggingCallsTest {
  /** Reports every call that only reports (logs or describes) what it is given. */
  @BugPattern(summary = "Reports LoggingCalls", severity = WARNING)
  public static final class LoggingProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      return LoggingCalls.onlyReports(tree)
          ? buildDescription(tree).setMessage("reports").build()
          : Description.NO_MATCH;
    }
  }

  @Test
  void names() {
    assertTrue(LoggingCalls.isLogging("warn"));
    assertTrue(LoggingCalls.isLogging("printStackTrace"));
    assertFalse(LoggingCalls.isLogging("getMessage"));
    assertTrue(LoggingCalls.onlyReports("getMessage"));
    assertFalse(LoggingCalls.onlyReports("add"));
    assertFalse(LoggingCalls.onlyReports("completeExceptionally"));
    assertFalse(LoggingCalls.onlyReports("addSuppressed"));
  }

  @Test
  void calls() {
    CompilationTestHelper.newInstance(LoggingProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.List;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.logging.Level;",
            "import java.util.logging.Logger;",
            "class A {",
            "  private static final Logger LOG = Logger.getLogger(\"a\");",
            "  void m(Exception e, List<Throwable> errors, CompletableFuture<?> f) {",
            "    // BUG: Diagnostic contains: reports",
            "    LOG.log(Level.WARNING, \"failed\", e);",
            "    // BUG: Diagnostic contains: reports",
            "    e.printStackTrace();",
            "    // BUG: Diagnostic contains: reports",
            "    System.err.println(",
            "        // BUG: Diagnostic contains: reports",
            "        e.getMessage());",
            "    errors.add(e);",
            "    f.completeExceptionally(e);",
            "  }",
            "}")
        .doTest();
  }
}
