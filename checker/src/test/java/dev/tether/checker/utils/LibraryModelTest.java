package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.ErrorProneOptions;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LibraryModelTest {
  /**
   * Reports what the model says of every call: an executor method, a thread factory, a logging
   * method, and for {@code probe(x)} whether x is a direct executor.
   */
  @BugPattern(summary = "Reports LibraryModel", severity = WARNING)
  public static final class ModelProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      LibraryModel model = LibraryModel.of(state);
      String name = ASTHelpers.getSymbol(tree).getSimpleName().toString();
      List<String> facts = new ArrayList<>();
      if (name.equals("probe")) {
        facts.add(model.isDirectExecutor(tree.getArguments().get(0), state) ? "direct" : "pool");
        facts.add(
            model.isConfinedExecutor(tree.getArguments().get(0), state) ? "confined" : "shared");
      }
      if (model.isExecutorMethod(tree, state)) {
        facts.add("executor-method");
      }
      if (model.isThreadFactory(tree, state)) {
        facts.add("thread-factory");
      }
      if (model.isThreadCreation(tree, state)) {
        facts.add("thread-creation");
      }
      if (model.isLogging(name)) {
        facts.add("logging");
      }
      return facts.isEmpty()
          ? Description.NO_MATCH
          : buildDescription(tree).setMessage(String.join(" ", facts)).build();
    }
  }

  /** Reports whether the type of every variable is an unsafe collection. */
  @BugPattern(summary = "Reports LibraryModel.isUnsafeCollection", severity = WARNING)
  public static final class UnsafeProbe extends BugChecker implements VariableTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchVariable(VariableTree tree, VisitorState state) {
      Type type = ASTHelpers.getType(tree);
      return type == null
          ? Description.NO_MATCH
          : buildDescription(tree)
              .setMessage(
                  LibraryModel.isUnsafeCollection(type, state)
                      ? "unsafe collection"
                      : "not in the table")
              .build();
    }
  }

  @Test
  void unsafeCollections() {
    CompilationTestHelper.newInstance(UnsafeProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class A {",
            "  static final class Mine extends ArrayList<String> {}",
            "  // BUG: Diagnostic contains: unsafe collection",
            "  HashMap<String, Integer> map;",
            "  // BUG: Diagnostic contains: unsafe collection",
            "  Mine mine;",
            "  // BUG: Diagnostic contains: unsafe collection",
            "  StringBuilder text;",
            "  // BUG: Diagnostic contains: not in the table",
            "  ConcurrentHashMap<String, Integer> concurrent;",
            "  // BUG: Diagnostic contains: not in the table",
            "  List<String> declaredThroughAnInterface;",
            "  // BUG: Diagnostic contains: not in the table",
            "  CopyOnWriteArrayList<String> copyOnWrite;",
            "}")
        .doTest();
  }

  @Test
  void signallingSynchronizers() {
    assertTrue(LibraryModel.isSignallingSynchronizer("java.util.concurrent.CountDownLatch"));
    assertTrue(LibraryModel.isSignallingSynchronizer("java.util.concurrent.CyclicBarrier"));
    assertTrue(LibraryModel.isSignallingSynchronizer("java.util.concurrent.Phaser"));
    assertFalse(LibraryModel.isSignallingSynchronizer("java.util.concurrent.Semaphore"));
    assertFalse(LibraryModel.isSignallingSynchronizer("CountDownLatch"));
  }

  @Test
  void executorHandOffNames() {
    assertEquals(
        List.of("execute", "submit", "schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay"),
        LibraryModel.EXECUTOR_HAND_OFF_NAMES.asList());
  }

  @Test
  void collectionInserts() {
    assertEquals(
        List.of(
            "add",
            "addFirst",
            "addLast",
            "offer",
            "offerFirst",
            "offerLast",
            "push",
            "put",
            "putIfAbsent",
            "set"),
        LibraryModel.COLLECTION_INSERTS.asList());
  }

  private static final String[] SOURCE = {
    "import java.util.concurrent.*;",
    "class A {",
    "  static void probe(Executor e) {}",
    "  static final class Async { static void run(Runnable r) {} }",
    "  static final class Threads { Thread newThread(Runnable r) { return null; } }",
    "  static final class Audit { void report(Exception e) {} }",
    "  static final class SameThread implements Executor {",
    "    public void execute(Runnable r) { r.run(); }",
    "    static Executor sameThread() { return new SameThread(); }",
    "  }",
    "  void m(ExecutorService pool, ThreadFactory factory, Threads threads, Audit audit,",
    "      Exception e) {",
    "    // BUG: Diagnostic contains: executor-method",
    "    pool.execute(() -> {});",
    "    // BUG: Diagnostic contains: thread-factory thread-creation",
    "    factory.newThread(() -> {});",
    "    // BUG: Diagnostic contains: pool",
    "    probe(pool);",
    "    // BUG: Diagnostic contains: direct",
    "    probe(Runnable::run);",
  };

  @Test
  void builtIns() {
    List<String> lines = new ArrayList<>(List.of(SOURCE));
    lines.addAll(
        List.of(
            "    Async.run(() -> {});",
            "    threads.newThread(() -> {});",
            "    audit.report(e);",
            "    // BUG: Diagnostic contains: pool shared",
            "    probe(SameThread.sameThread());",
            "  }",
            "}"));
    CompilationTestHelper.newInstance(ModelProbe.class, getClass())
        .addSourceLines("A.java", lines.toArray(new String[0]))
        .doTest();
  }

  @Test
  void flagsExtendTheModel() {
    List<String> lines = new ArrayList<>(List.of(SOURCE));
    lines.addAll(
        List.of(
            "    // BUG: Diagnostic contains: executor-method",
            "    Async.run(() -> {});",
            "    // BUG: Diagnostic contains: thread-factory thread-creation",
            "    threads.newThread(() -> {});",
            "    // BUG: Diagnostic contains: logging",
            "    audit.report(e);",
            "    // BUG: Diagnostic contains: direct confined",
            "    probe(SameThread.sameThread());",
            "  }",
            "}"));
    CompilationTestHelper.newInstance(ModelProbe.class, getClass())
        .setArgs(
            "-XepOpt:Tether:ExecutorMethods=A.Async#run",
            "-XepOpt:Tether:ThreadFactories=A.Threads#newThread",
            "-XepOpt:Tether:LoggingMethods=report, audit",
            "-XepOpt:Tether:DirectExecutors=A.SameThread#sameThread",
            "-XepOpt:Tether:ConfinedExecutors=A.SameThread#sameThread")
        .addSourceLines("A.java", lines.toArray(new String[0]))
        .doTest();
  }

  @Test
  void malformedValuesAreClearErrors() {
    IllegalArgumentException method =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LibraryModel.of(
                    ErrorProneOptions.processArgs(
                            ImmutableList.of("-XepOpt:Tether:ExecutorMethods=com.acme.Async.run"))
                        .getFlags()));
    assertTrue(method.getMessage().contains("Tether:ExecutorMethods"), method.getMessage());
    assertTrue(method.getMessage().contains("com.acme.Async.run"), method.getMessage());
    assertTrue(method.getMessage().contains("Type#method"), method.getMessage());

    IllegalArgumentException name =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LibraryModel.of(
                    ErrorProneOptions.processArgs(
                            ImmutableList.of("-XepOpt:Tether:LoggingMethods=com.acme.Log#report"))
                        .getFlags()));
    assertTrue(name.getMessage().contains("Tether:LoggingMethods"), name.getMessage());

    assertFalse(
        LibraryModel.of(ErrorProneOptions.processArgs(ImmutableList.of()).getFlags())
            .isLogging("report"));
  }

  @Test
  void malformedValuesAreToldOneLineEachAndLeftOut() {
    List<String> problems = new ArrayList<>();
    LibraryModel model =
        LibraryModel.of(
            ErrorProneOptions.processArgs(
                    ImmutableList.of(
                        "-XepOpt:Tether:ExecutorMethods=com.acme.Async#run,com.acme.Async.run",
                        "-XepOpt:Tether:LoggingMethods=audit,com.acme.Log#report"))
                .getFlags(),
            problems::add);
    assertEquals(
        List.of(
            "-XepOpt:Tether:ExecutorMethods: 'com.acme.Async.run' is not a method of the form"
                + " fully.qualified.Type#method (e.g. com.acme.Async#run)",
            "-XepOpt:Tether:LoggingMethods: 'com.acme.Log#report' is not a method name of the form"
                + " methodName (e.g. audit)"),
        problems);
    assertTrue(model.isLogging("audit"), "the well-formed value is kept");
    assertFalse(model.isLogging("com.acme.Log#report"));
  }
}
