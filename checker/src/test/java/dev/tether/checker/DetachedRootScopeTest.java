package dev.tether.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import com.google.errorprone.CompilationTestHelper;
import dev.tether.checker.utils.RuntimeStubs;
import org.junit.jupiter.api.Test;

final class DetachedRootScopeTest {
  @Test
  void identificationNegatives() {
    RuntimeStubs.addTo(CompilationTestHelper.newInstance(DetachedRootScope.class, getClass()))
        .addSourceLines("Test.java", "package org.junit.jupiter.api;", "public @interface Test {}")
        .addSourceLines(
            "Negatives.java",
            "import dev.tether.*;",
            "import java.time.Duration;",
            "class Negatives {",
            "  // Fields and initializers: the program's own root.",
            "  private final CancelScope app = CancelScope.root().withCancel();",
            "  static final CancelScope SHARED;",
            "  static { SHARED = CancelScope.root().withCancel(); }",
            "",
            "  public static void main(String[] args) throws Exception {",
            "    try (CancelScope s = CancelScope.root().withTimeout(Duration.ofSeconds(1))) {",
            "      run(s);",
            "    }",
            "  }",
            "",
            "  static void run(CancelScope s) {}",
            "",
            "  // No scope in reach: a static method (static fields are the program's own scopes).",
            "  static CancelScope noScopeInReach() {",
            "    return CancelScope.root().withCancel();",
            "  }",
            "",
            "  @org.junit.jupiter.api.Test",
            "  void aTest(CancelScope injected) {",
            "    CancelScope.root().withCancel().close();",
            "  }",
            "",
            "  Runnable notATask = () -> CancelScope.root().withCancel().close();",
            "",
            "  // Compared, not used.",
            "  boolean isRoot(CancelScope scope) {",
            "    return scope == CancelScope.root() || CancelScope.root() != scope;",
            "  }",
            "",
            "  // Not the runtime's root.",
            "  static final class Other { static Other root() { return null; } }",
            "  void lookalike(CancelScope s) {",
            "    Other.root();",
            "  }",
            "}")
        .addSourceLines(
            "NoFields.java",
            "import dev.tether.*;",
            "class NoFields {",
            "  CancelScope open() {",
            "    return CancelScope.root().withCancel();",
            "  }",
            "}")
        .addSourceLines(
            "ServiceTest.java",
            "import dev.tether.*;",
            "class ServiceTest {",
            "  void helper(CancelScope s) {",
            "    CancelScope.root().withCancel().close();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void identificationPositives() {
    RuntimeStubs.addTo(CompilationTestHelper.newInstance(DetachedRootScope.class, getClass()))
        .addSourceLines(
            "Positives.java",
            "import dev.tether.*;",
            "import java.time.Duration;",
            "import java.util.*;",
            "class Positives {",
            "  private final CancelScope requestScope = null;",
            "  private static final CancelScope APP = null;",
            "",
            "  void parameter(CancelScope parent) throws Exception {",
            "    // BUG: Diagnostic contains: CancelScopes in reach here (parent, this.requestScope)",
            "    try (CancelScope s = CancelScope.root().withTimeout(Duration.ofSeconds(1))) {",
            "      s.sleep(Duration.ofMillis(1));",
            "    }",
            "  }",
            "",
            "  void inATask(TaskGroup g) {",
            "    g.go(s -> {",
            "      // BUG: Diagnostic contains: DetachedRootScope",
            "      try (CancelScope c = CancelScope.root().withCancel()) {}",
            "    });",
            "  }",
            "",
            "  Task field = s -> {",
            "    // BUG: Diagnostic contains: DetachedRootScope",
            "    CancelScope.root().withCancel().close();",
            "  };",
            "",
            "  static final class Worker {",
            "    void anonymousTask(TaskGroup g) {",
            "      g.go(new Task() {",
            "        @Override public void run(CancelScope scope) {",
            "          // BUG: Diagnostic contains: CancelScope in reach here (scope)",
            "          CancelScope.root().withCancel().close();",
            "        }",
            "      });",
            "    }",
            "  }",
            "",
            "  record Request(CancelScope scope) {",
            "    void handle() {",
            "      // BUG: Diagnostic contains: this.scope",
            "      CancelScope.root().withCancel().close();",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void replacement() {
    RuntimeStubs.addTo(
            BugCheckerRefactoringTestHelper.newInstance(DetachedRootScope.class, getClass()))
        .addInputLines(
            "A.java",
            "import dev.tether.*;",
            "import java.time.Duration;",
            "class A {",
            "  void handle(CancelScope request) throws Exception {",
            "    try (CancelScope s = CancelScope.root().withTimeout(Duration.ofSeconds(1))) {",
            "      s.sleep(Duration.ofMillis(1));",
            "    }",
            "  }",
            "",
            "  static final class Handler {",
            "    private final CancelScope scope;",
            "    Handler(CancelScope scope) { this.scope = scope; }",
            "    void handle(TaskGroup g) {",
            "      Runnable r = () -> CancelScope.root().withCancel().close();",
            "    }",
            "  }",
            "",
            "  static final class Two {",
            "    void both(CancelScope a, CancelScope b) {",
            "      CancelScope.root().withCancel().close();",
            "    }",
            "  }",
            "}")
        .addOutputLines(
            "A.java",
            "import dev.tether.*;",
            "import java.time.Duration;",
            "class A {",
            "  void handle(CancelScope request) throws Exception {",
            "    try (CancelScope s = request.withTimeout(Duration.ofSeconds(1))) {",
            "      s.sleep(Duration.ofMillis(1));",
            "    }",
            "  }",
            "",
            "  static final class Handler {",
            "    private final CancelScope scope;",
            "    Handler(CancelScope scope) { this.scope = scope; }",
            "    void handle(TaskGroup g) {",
            "      Runnable r = () -> this.scope.withCancel().close();",
            "    }",
            "  }",
            "",
            "  static final class Two {",
            "    void both(CancelScope a, CancelScope b) {",
            "      CancelScope.root().withCancel().close();",
            "    }",
            "  }",
            "}")
        .doTest(TestMode.TEXT_MATCH);
  }
}
