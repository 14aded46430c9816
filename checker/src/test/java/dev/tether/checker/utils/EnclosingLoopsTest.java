package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePath;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class EnclosingLoopsTest {
  /**
   * Reports, at every call {@code probe()}, the loops around it (without and with the tasks handed
   * to other threads), the loop that walks an input of unknown size unbounded, and the body,
   * receiver and kind of the innermost loop.
   */
  @BugPattern(summary = "Reports EnclosingLoops", severity = WARNING)
  public static final class LoopProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("probe")) {
        return Description.NO_MATCH;
      }
      TreePath path = state.getPath();
      List<TreePath> tasks = EnclosingLoops.of(path, state, /* throughTasks= */ true);
      StringBuilder message =
          new StringBuilder()
              .append("loops=")
              .append(kinds(EnclosingLoops.of(path, state, /* throughTasks= */ false)))
              .append(" tasks=")
              .append(kinds(tasks))
              .append(" unbounded=")
              .append(
                  EnclosingLoops.unboundedInputLoop(path, state)
                      .map(loop -> loop.getLeaf().getKind().toString())
                      .orElse("none"));
      if (!tasks.isEmpty()) {
        TreePath innermost = tasks.get(0);
        ExpressionTree receiver = EnclosingLoops.receiver(innermost);
        message
            .append(" body=")
            .append(EnclosingLoops.body(innermost).getKind())
            .append(" receiver=")
            .append(receiver == null ? "none" : state.getSourceForNode(receiver))
            .append(" statement=")
            .append(EnclosingLoops.isLoopStatement(innermost.getLeaf()));
      }
      message
          .append(" elements=")
          .append(
              tasks.stream()
                  .filter(loop -> EnclosingLoops.walksElementsOfUnknownSize(loop, state))
                  .map(loop -> loop.getLeaf().getKind().toString())
                  .findFirst()
                  .orElse("none"));
      return buildDescription(tree).setMessage(message.toString()).build();
    }

    private static String kinds(List<TreePath> loops) {
      return loops.stream()
          .map(loop -> loop.getLeaf().getKind().toString())
          .collect(Collectors.joining(", ", "[", "]"));
    }
  }

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LoopProbe.class, getClass());

  @Test
  void loopStatements() {
    helper
        .addSourceLines(
            "A.java",
            "import java.util.*;",
            "class A {",
            "  static int probe() { return 0; }",
            "  void m(List<String> list, Iterator<String> it, boolean flag) {",
            "    // BUG: Diagnostic contains: loops=[] tasks=[] unbounded=none",
            "    probe();",
            "    for (int i = 0; i < 3; i++) {",
            "      // BUG: Diagnostic contains: loops=[FOR_LOOP] tasks=[FOR_LOOP] unbounded=none"
                + " body=BLOCK receiver=none statement=true",
            "      probe();",
            "    }",
            "    // the initializer runs once:",
            "    // BUG: Diagnostic contains: loops=[] tasks=[] unbounded=none",
            "    for (int i = probe(); i < 3; i++) {}",
            "    // the condition runs per iteration:",
            "    // BUG: Diagnostic contains: loops=[FOR_LOOP] tasks=[FOR_LOOP] unbounded=none",
            "    for (int i = 0; i < probe(); i++) {}",
            "    for (String s : list) {",
            "      // BUG: Diagnostic contains: loops=[ENHANCED_FOR_LOOP] tasks=[ENHANCED_FOR_LOOP]"
                + " unbounded=ENHANCED_FOR_LOOP body=BLOCK",
            "      probe();",
            "    }",
            "    while (it.hasNext()) {",
            "      // BUG: Diagnostic contains: loops=[WHILE_LOOP] tasks=[WHILE_LOOP]"
                + " unbounded=WHILE_LOOP",
            "      probe();",
            "    }",
            "    do {",
            "      // BUG: Diagnostic contains: loops=[DO_WHILE_LOOP] tasks=[DO_WHILE_LOOP]"
                + " unbounded=none",
            "      probe();",
            "    } while (flag);",
            "    for (String s : list) {",
            "      for (int i = 0; i < 3; i++) {",
            "        // BUG: Diagnostic contains: loops=[FOR_LOOP, ENHANCED_FOR_LOOP]"
                + " tasks=[FOR_LOOP, ENHANCED_FOR_LOOP] unbounded=ENHANCED_FOR_LOOP",
            "        probe();",
            "      }",
            "    }",
            "    for (int i = 0; i < list.size(); i++) {",
            "      // BUG: Diagnostic contains: loops=[FOR_LOOP] tasks=[FOR_LOOP] unbounded=FOR_LOOP",
            "      probe();",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void perElementCallsAndTasks() {
    helper
        .addSourceLines(
            "A.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.stream.*;",
            "class A {",
            "  static int probe() { return 0; }",
            "  void m(List<String> list, ExecutorService pool) {",
            "    // BUG: Diagnostic contains: loops=[METHOD_INVOCATION] tasks=[METHOD_INVOCATION]"
                + " unbounded=METHOD_INVOCATION body=METHOD_INVOCATION receiver=list"
                + " statement=false",
            "    list.forEach(s -> probe());",
            "    // BUG: Diagnostic contains: unbounded=METHOD_INVOCATION",
            "    list.stream().map(s -> s.trim()).forEach(s -> probe());",
            "    // BUG: Diagnostic contains: loops=[METHOD_INVOCATION] tasks=[METHOD_INVOCATION]"
                + " unbounded=none",
            "    IntStream.range(0, 10).forEach(i -> probe());",
            "    // BUG: Diagnostic contains: unbounded=METHOD_INVOCATION",
            "    IntStream.range(0, list.size()).forEach(i -> probe());",
            "    for (String s : list) {",
            "      // a lambda that is not run per element ends the walk",
            "      // BUG: Diagnostic contains: loops=[] tasks=[] unbounded=none",
            "      Runnable r = () -> probe();",
            "      // a task handed to a pool runs once per hand-off",
            "      // BUG: Diagnostic contains: loops=[] tasks=[ENHANCED_FOR_LOOP]"
                + " unbounded=ENHANCED_FOR_LOOP",
            "      pool.execute(() -> probe());",
            "      pool.execute(new Runnable() {",
            "        @Override public void run() {",
            "          // BUG: Diagnostic contains: loops=[] tasks=[ENHANCED_FOR_LOOP]",
            "          probe();",
            "        }",
            "      });",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void elementWalksOfUnknownSize() {
    helper
        .addSourceLines(
            "A.java",
            "import java.util.*;",
            "import java.util.stream.*;",
            "class A {",
            "  enum Color { RED, GREEN }",
            "  static int probe() { return 0; }",
            "  void m(List<String> list, Map<String, Integer> map, Iterator<String> it) {",
            "    for (String s : list) {",
            "      // BUG: Diagnostic contains: elements=ENHANCED_FOR_LOOP",
            "      probe();",
            "    }",
            "    // BUG: Diagnostic contains: elements=METHOD_INVOCATION",
            "    list.stream().filter(s -> !s.isEmpty()).forEach(s -> probe());",
            "    // BUG: Diagnostic contains: elements=METHOD_INVOCATION",
            "    map.values().forEach(v -> probe());",
            "    // a condition loop is judged by its condition, not walked element by element:",
            "    while (it.hasNext()) {",
            "      // BUG: Diagnostic contains: unbounded=WHILE_LOOP body=BLOCK receiver=none"
                + " statement=true elements=none",
            "      probe();",
            "    }",
            "    for (int i = 0; i < list.size(); i++) {",
            "      // BUG: Diagnostic contains: unbounded=FOR_LOOP body=BLOCK receiver=none"
                + " statement=true elements=none",
            "      probe();",
            "    }",
            "    // BUG: Diagnostic contains: unbounded=METHOD_INVOCATION body=METHOD_INVOCATION"
                + " receiver=IntStream.range(0, list.size()) statement=false elements=none",
            "    IntStream.range(0, list.size()).forEach(i -> probe());",
            "    // BUG: Diagnostic contains: elements=none",
            "    Stream.of(\"a\", \"b\").map(s -> s.trim()).forEach(s -> probe());",
            "    // BUG: Diagnostic contains: elements=none",
            "    EnumSet.allOf(Color.class).forEach(c -> probe());",
            "    for (Color c : Color.values()) {",
            "      // BUG: Diagnostic contains: elements=none",
            "      probe();",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void inputsOfKnownSizeAndBoundedLoops() {
    helper
        .addSourceLines(
            "A.java",
            "import java.io.*;",
            "import java.net.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class A {",
            "  enum Color { RED, GREEN }",
            "  static int probe() { return 0; }",
            "  void m(List<String> list, Thread t, Semaphore permits, ServerSocket server)",
            "      throws Exception {",
            "    for (String s : List.of(\"a\", \"b\")) {",
            "      // BUG: Diagnostic contains: tasks=[ENHANCED_FOR_LOOP] unbounded=none",
            "      probe();",
            "    }",
            "    for (String s : new String[] {\"a\", \"b\"}) {",
            "      // BUG: Diagnostic contains: tasks=[ENHANCED_FOR_LOOP] unbounded=none",
            "      probe();",
            "    }",
            "    for (Color c : Color.values()) {",
            "      // BUG: Diagnostic contains: tasks=[ENHANCED_FOR_LOOP] unbounded=none",
            "      probe();",
            "    }",
            "    for (Color c : EnumSet.allOf(Color.class)) {",
            "      // BUG: Diagnostic contains: tasks=[ENHANCED_FOR_LOOP] unbounded=none",
            "      probe();",
            "    }",
            "    for (String s : list) {",
            "      // BUG: Diagnostic contains: tasks=[ENHANCED_FOR_LOOP] unbounded=none",
            "      probe();",
            "      t.join();",
            "    }",
            "    for (String s : list) {",
            "      permits.acquire();",
            "      // BUG: Diagnostic contains: tasks=[ENHANCED_FOR_LOOP] unbounded=none",
            "      probe();",
            "    }",
            "    while (true) {",
            "      Socket socket = server.accept();",
            "      // BUG: Diagnostic contains: tasks=[WHILE_LOOP] unbounded=WHILE_LOOP",
            "      probe();",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void sourcesTheHostBounds() {
    helper
        .addSourceLines(
            "A.java",
            "import java.io.File;",
            "import java.net.*;",
            "import java.nio.file.*;",
            "import java.util.*;",
            "class A {",
            "  static int probe() { return 0; }",
            "  void m(FileSystem fs) throws Exception {",
            "    for (Enumeration<NetworkInterface> en = NetworkInterface.getNetworkInterfaces();",
            "        en.hasMoreElements(); ) {",
            "      NetworkInterface intf = en.nextElement();",
            "      for (Enumeration<InetAddress> e2 = intf.getInetAddresses();",
            "          e2.hasMoreElements(); ) {",
            "        // BUG: Diagnostic contains: tasks=[FOR_LOOP, FOR_LOOP] unbounded=none",
            "        probe();",
            "      }",
            "    }",
            "    Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();",
            "    while (all.hasMoreElements()) {",
            "      // BUG: Diagnostic contains: tasks=[WHILE_LOOP] unbounded=none",
            "      probe();",
            "    }",
            "    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {",
            "      for (InterfaceAddress a : ni.getInterfaceAddresses()) {",
            "        // BUG: Diagnostic contains: unbounded=none body=BLOCK receiver=none"
                + " statement=true elements=none",
            "        probe();",
            "      }",
            "    }",
            "    // BUG: Diagnostic contains: unbounded=none",
            "    NetworkInterface.networkInterfaces().filter(n -> true).forEach(n -> probe());",
            "    File[] roots = File.listRoots();",
            "    for (int i = 0; i < roots.length; i++) {",
            "      // BUG: Diagnostic contains: unbounded=none",
            "      probe();",
            "    }",
            "    for (Path root : fs.getRootDirectories()) {",
            "      // BUG: Diagnostic contains: unbounded=none",
            "      probe();",
            "    }",
            "  }",
            "",
            "  // Twins: the same loops over an input stay loops of unknown size.",
            "  void twins(Enumeration<InetAddress> given, List<InetAddress> addresses,",
            "      BufferedReader_ reader) throws Exception {",
            "    for (Enumeration<InetAddress> e = given; e.hasMoreElements(); ) {",
            "      // BUG: Diagnostic contains: unbounded=FOR_LOOP",
            "      probe();",
            "    }",
            "    Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();",
            "    all = reader.interfaces();",
            "    while (all.hasMoreElements()) {",
            "      // BUG: Diagnostic contains: unbounded=WHILE_LOOP",
            "      probe();",
            "    }",
            "    Enumeration<NetworkInterface> reset = NetworkInterface.getNetworkInterfaces();",
            "    while (reset.hasMoreElements()) {",
            "      reset = reader.interfaces();",
            "      // BUG: Diagnostic contains: unbounded=WHILE_LOOP",
            "      probe();",
            "    }",
            "    for (InetAddress a : addresses) {",
            "      // BUG: Diagnostic contains: unbounded=ENHANCED_FOR_LOOP",
            "      probe();",
            "    }",
            "    for (InetAddress a : InetAddress.getAllByName(reader.host())) {",
            "      // BUG: Diagnostic contains: unbounded=ENHANCED_FOR_LOOP",
            "      probe();",
            "    }",
            "  }",
            "",
            "  interface BufferedReader_ {",
            "    Enumeration<NetworkInterface> interfaces();",
            "    String host();",
            "  }",
            "}")
        .doTest();
  }
}
