package dev.tether.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.BugCheckerRefactoringTestHelper.TestMode;
import com.google.errorprone.CompilationTestHelper;
import dev.tether.checker.utils.RuntimeStubs;
import org.junit.jupiter.api.Test;

final class UncancellableWaitInTaskTest {
  @Test
  void identificationNegatives() {
    RuntimeStubs.addTo(CompilationTestHelper.newInstance(UncancellableWaitInTask.class, getClass()))
        .addSourceLines("Test.java", "package org.junit.jupiter.api;", "public @interface Test {}")
        .addSourceLines(
            "Negatives.java",
            "import dev.tether.*;",
            "import java.time.Duration;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class Negatives {",
            "  void helpers(TaskGroup g, Future<String> f, CountDownLatch l,",
            "      BlockingQueue<String> q) {",
            "    g.go(s -> {",
            "      s.get(f);",
            "      s.waitFor(l);",
            "      s.take(q);",
            "      s.sleep(Duration.ofMillis(5));",
            "      f.get(1, TimeUnit.SECONDS);",
            "      l.await(1, TimeUnit.SECONDS);",
            "      q.poll(1, TimeUnit.SECONDS);",
            "      Map<String, String> m = new HashMap<>();",
            "      m.get(\"k\");",
            "    });",
            "  }",
            "",
            "  // Not a task body: no scope in reach.",
            "  void caller(Future<String> f, ExecutorService pool) throws Exception {",
            "    f.get();",
            "    pool.submit(() -> { Thread.sleep(5); return f.get(); });",
            "  }",
            "",
            "  // A nested lambda of its own: not the task body.",
            "  void nested(TaskGroup g, List<Future<String>> fs) {",
            "    g.go(s -> fs.forEach(f -> {",
            "      try { f.get(); } catch (Exception e) { throw new RuntimeException(e); }",
            "    }));",
            "  }",
            "",
            "  @org.junit.jupiter.api.Test",
            "  void aTestOfTheInterrupt(TaskGroup g) {",
            "    g.go(s -> Thread.sleep(300_000));",
            "  }",
            "",
            "  // A method of a local class inside the task.",
            "  void localClass(TaskGroup g, Future<String> f) {",
            "    g.go(s -> {",
            "      class Helper { String get() throws Exception { return f.get(); } }",
            "      new Helper().get();",
            "    });",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void identificationPositives() {
    RuntimeStubs.addTo(CompilationTestHelper.newInstance(UncancellableWaitInTask.class, getClass()))
        .addSourceLines(
            "Positives.java",
            "import dev.tether.*;",
            "import java.time.Duration;",
            "import java.util.concurrent.*;",
            "class Positives {",
            "  void task(TaskGroup g, Future<String> f, CountDownLatch l, BlockingQueue<String> q) {",
            "    g.go(s -> {",
            "      // BUG: Diagnostic contains: write s.get(…)",
            "      f.get();",
            "      // BUG: Diagnostic contains: write s.waitFor(…)",
            "      l.await();",
            "      // BUG: Diagnostic contains: write s.take(…)",
            "      q.take();",
            "      // BUG: Diagnostic contains: write s.put(…)",
            "      q.put(\"x\");",
            "      // BUG: Diagnostic contains: write s.sleep(…)",
            "      Thread.sleep(10);",
            "    });",
            "  }",
            "",
            "  void worker(CancelScope parent, BlockingQueue<String> out) throws Exception {",
            "    try (WorkerPool<String> pool = WorkerPool.<String>open(parent, (scope, job) -> {",
            "      // BUG: Diagnostic contains: scope scope does not stop it",
            "      out.put(job);",
            "    })) {",
            "      pool.await();",
            "    }",
            "  }",
            "",
            "  void result(CancelScope parent, CompletableFuture<String> f) {",
            "    ResultGroup<String> g = ResultGroup.open(parent);",
            "    g.go(s -> {",
            "      try {",
            "        // BUG: Diagnostic contains: UncancellableWaitInTask",
            "        return f.get();",
            "      } catch (ExecutionException e) {",
            "        return \"\";",
            "      }",
            "    });",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void replacement() {
    RuntimeStubs.addTo(
            BugCheckerRefactoringTestHelper.newInstance(UncancellableWaitInTask.class, getClass()))
        .addInputLines(
            "A.java",
            "import dev.tether.*;",
            "import java.util.concurrent.*;",
            "class A {",
            "  void task(TaskGroup g, Future<String> f, CountDownLatch l, BlockingQueue<String> q) {",
            "    g.go(s -> {",
            "      String v = f.get();",
            "      l.await();",
            "      q.put(q.take() + v);",
            "      Thread.sleep(10);",
            "    });",
            "  }",
            "",
            "  void caught(TaskGroup g, BlockingQueue<String> q) {",
            "    g.go(s -> {",
            "      try {",
            "        q.take();",
            "      } catch (InterruptedException e) {",
            "        Thread.currentThread().interrupt();",
            "      }",
            "    });",
            "  }",
            "}")
        .addOutputLines(
            "A.java",
            "import dev.tether.*;",
            "import java.time.Duration;",
            "import java.util.concurrent.*;",
            "class A {",
            "  void task(TaskGroup g, Future<String> f, CountDownLatch l, BlockingQueue<String> q) {",
            "    g.go(s -> {",
            "      String v = s.get(f);",
            "      s.waitFor(l);",
            "      s.put(q, s.take(q) + v);",
            "      s.sleep(Duration.ofMillis(10));",
            "    });",
            "  }",
            "",
            "  void caught(TaskGroup g, BlockingQueue<String> q) {",
            "    g.go(s -> {",
            "      try {",
            "        q.take();",
            "      } catch (InterruptedException e) {",
            "        Thread.currentThread().interrupt();",
            "      }",
            "    });",
            "  }",
            "}")
        .doTest(TestMode.TEXT_MATCH);
  }
}
