package dev.tether.checker;

import com.google.errorprone.CompilationTestHelper;
import dev.tether.checker.utils.RuntimeStubs;
import org.junit.jupiter.api.Test;

final class UnboundedGroupFanOutTest {
  @Test
  void identificationNegatives() {
    RuntimeStubs.addTo(CompilationTestHelper.newInstance(UnboundedGroupFanOut.class, getClass()))
        .addSourceLines(
            "Negatives.java",
            "import dev.tether.*;",
            "import java.util.*;",
            "import java.util.concurrent.Semaphore;",
            "import java.util.stream.IntStream;",
            "class Negatives {",
            "  enum Region { EU, US }",
            "  void limited(CancelScope scope, List<String> items) throws Exception {",
            "    try (TaskGroup g = TaskGroup.open(scope).withLimit(8)) {",
            "      for (String item : items) g.go(s -> {});",
            "      g.await();",
            "    }",
            "  }",
            "",
            "  void limitedLater(CancelScope scope, List<String> items) throws Exception {",
            "    TaskGroup g = TaskGroup.open(scope);",
            "    g.withLimit(4);",
            "    items.forEach(item -> g.go(s -> {}));",
            "    g.await();",
            "  }",
            "",
            "  void writtenOut(CancelScope scope) throws Exception {",
            "    try (ResultGroup<String> g = ResultGroup.open(scope)) {",
            "      for (String name : List.of(\"a\", \"b\", \"c\")) g.go(s -> name);",
            "      for (Region r : Region.values()) g.go(s -> r.name());",
            "      for (String name : new String[] {\"x\", \"y\"}) g.go(s -> name);",
            "      IntStream.range(0, 4).forEach(i -> g.go(s -> \"\" + i));",
            "      for (Region r : EnumSet.allOf(Region.class)) g.go(s -> r.name());",
            "      Collections.singletonList(\"z\").forEach(name -> g.go(s -> name));",
            "      g.await();",
            "    }",
            "  }",
            "",
            "  void permits(CancelScope scope, List<String> items, Semaphore sem) throws Exception {",
            "    try (TaskGroup g = TaskGroup.open(scope)) {",
            "      for (String item : items) {",
            "        sem.acquire();",
            "        g.go(s -> sem.release());",
            "      }",
            "      g.await();",
            "    }",
            "  }",
            "",
            "  void notInALoop(CancelScope scope) throws Exception {",
            "    try (TaskGroup g = TaskGroup.open(scope)) {",
            "      g.go(s -> {});",
            "      g.await();",
            "    }",
            "  }",
            "",
            "  void groupFromElsewhere(TaskGroup g, List<String> items) {",
            "    for (String item : items) g.go(s -> {});",
            "  }",
            "",
            "  void countedLoop(CancelScope scope, int n) throws Exception {",
            "    try (TaskGroup g = TaskGroup.open(scope)) {",
            "      for (int i = 0; i < n; i++) g.go(s -> {});",
            "      g.await();",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void identificationPositives() {
    RuntimeStubs.addTo(CompilationTestHelper.newInstance(UnboundedGroupFanOut.class, getClass()))
        .addSourceLines(
            "Positives.java",
            "import dev.tether.*;",
            "import java.util.*;",
            "class Positives {",
            "  void forEachLoop(CancelScope scope, List<String> items) throws Exception {",
            "    try (TaskGroup g = TaskGroup.open(scope)) {",
            "      for (String item : items) {",
            "        // BUG: Diagnostic contains: This TaskGroup has no limit",
            "        g.go(s -> System.out.println(item));",
            "      }",
            "      g.await();",
            "    }",
            "  }",
            "",
            "  List<String> results(CancelScope scope, Collection<String> ids) throws Exception {",
            "    ResultGroup<String> g = ResultGroup.open(scope);",
            "    // BUG: Diagnostic contains: This ResultGroup has no limit",
            "    ids.stream().filter(id -> !id.isEmpty()).forEach(id -> g.go(s -> id));",
            "    return g.await();",
            "  }",
            "",
            "  void array(CancelScope scope, String[] items) throws Exception {",
            "    try (TaskGroup g = TaskGroup.open(scope)) {",
            "      for (String item : items) {",
            "        // BUG: Diagnostic contains: withLimit",
            "        g.tryGo(s -> {});",
            "      }",
            "      Runnable r = () -> {",
            "        for (String item : items) {",
            "          // BUG: Diagnostic contains: withLimit",
            "          g.go(s -> {});",
            "        }",
            "      };",
            "      g.await();",
            "    }",
            "  }",
            "}")
        .doTest();
  }
}
