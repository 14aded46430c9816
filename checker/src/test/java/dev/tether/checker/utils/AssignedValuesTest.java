package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class AssignedValuesTest {
  /**
   * Reports, at every call {@code probe(x)}, the values ever assigned to the variable {@code x}.
   */
  @BugPattern(summary = "Reports AssignedValues.of", severity = WARNING)
  public static final class ValuesProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("probe") || tree.getArguments().size() != 1) {
        return Description.NO_MATCH;
      }
      VarSymbol var = SameVariable.variable(tree.getArguments().get(0));
      String message =
          var == null
              ? "not a variable"
              : AssignedValues.of(var, state)
                  .map(
                      values ->
                          values.stream()
                              .map(state::getSourceForNode)
                              .collect(Collectors.joining(" | ", "values: ", "")))
                  .orElse("unknown");
      return buildDescription(tree).setMessage(message).build();
    }
  }

  /**
   * Reports, at every call {@code probe(x)}, the values {@link AssignedValues#ofField} finds for
   * the field {@code x} in the top-level class around the call.
   */
  @BugPattern(summary = "Reports AssignedValues.ofField", severity = WARNING)
  public static final class FieldProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("probe") || tree.getArguments().size() != 1) {
        return Description.NO_MATCH;
      }
      VarSymbol var = SameVariable.variable(tree.getArguments().get(0));
      ClassTree top = null;
      for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof ClassTree cls) {
          top = cls;
        }
      }
      String message =
          var == null || top == null
              ? "not a variable"
              : AssignedValues.ofField(var, top)
                  .map(
                      values ->
                          values.stream()
                              .map(state::getSourceForNode)
                              .collect(Collectors.joining(" | ", "values: ", "")))
                  .orElse("unknown");
      return buildDescription(tree).setMessage(message).build();
    }
  }

  /**
   * Reports, at every call {@code probe(x)}, the values {@link AssignedValues#assignedIn} finds for
   * the variable {@code x} in the top-level class around the call, whatever its visibility.
   */
  @BugPattern(summary = "Reports AssignedValues.assignedIn", severity = WARNING)
  public static final class InTreeProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("probe") || tree.getArguments().size() != 1) {
        return Description.NO_MATCH;
      }
      VarSymbol var = SameVariable.variable(tree.getArguments().get(0));
      ClassTree top = null;
      for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof ClassTree cls) {
          top = cls;
        }
      }
      String message =
          var == null || top == null
              ? "not a variable"
              : AssignedValues.assignedIn(var, top)
                  .map(
                      values ->
                          values.stream()
                              .map(state::getSourceForNode)
                              .collect(Collectors.joining(" | ", "values: ", "")))
                  .orElse("unknown");
      return buildDescription(tree).setMessage(message).build();
    }
  }

  @Test
  void assignmentsInATreeWhateverTheVisibility() {
    CompilationTestHelper.newInstance(InTreeProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.concurrent.*;",
            "class A {",
            "  static void probe(Object o) {}",
            "  protected ExecutorService pool;",
            "  final ExecutorService fixed = Executors.newFixedThreadPool(2);",
            "  int counter;",
            "  ExecutorService never;",
            "  void start() { pool = Executors.newSingleThreadExecutor(); }",
            "  void stop() { pool = null; counter += 1; }",
            "  void use() {",
            "    // BUG: Diagnostic contains: values: Executors.newSingleThreadExecutor() | null",
            "    probe(pool);",
            "    // BUG: Diagnostic contains: values: Executors.newFixedThreadPool(2)",
            "    probe(fixed);",
            "    // BUG: Diagnostic contains: unknown",
            "    probe(counter);",
            "    // BUG: Diagnostic contains: unknown",
            "    probe(never);",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Reports, at every call {@code probe(x)}, whether {@link AssignedValues#onlyInConstructors}
   * holds for the field {@code x}.
   */
  @BugPattern(summary = "Reports AssignedValues.onlyInConstructors", severity = WARNING)
  public static final class ConstructorsProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (!Trees.calledName(tree).equals("probe") || tree.getArguments().size() != 1) {
        return Description.NO_MATCH;
      }
      VarSymbol var = SameVariable.variable(tree.getArguments().get(0));
      String message =
          var == null
              ? "not a variable"
              : AssignedValues.onlyInConstructors(var, state) ? "while made" : "later";
      return buildDescription(tree).setMessage(message).build();
    }
  }

  @Test
  void fieldsAssignedOnlyWhileTheirObjectIsMade() {
    CompilationTestHelper.newInstance(ConstructorsProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "class A {",
            "  static void probe(Object o) {}",
            "  private final Object constant = new Object();",
            "  private Object inConstructor;",
            "  private Object declared = new Object();",
            "  private Object inBlock;",
            "  private static Object inStaticBlock;",
            "  private Object inSetter;",
            "  private Object inLambda;",
            "  private Object inAnonymous;",
            "  private int counted;",
            "  private static Object staticInConstructor;",
            "  Object open;",
            "  { inBlock = new Object(); }",
            "  static { inStaticBlock = new Object(); }",
            "  A() {",
            "    inConstructor = new Object();",
            "    counted = 0;",
            "    counted++;",
            "    staticInConstructor = this;",
            "    Runnable r = () -> inLambda = new Object();",
            "    new Object() { void set() { inAnonymous = this; } };",
            "  }",
            "  void set(Object o) { inSetter = o; }",
            "  void probes() {",
            "    // BUG: Diagnostic contains: while made",
            "    probe(constant);",
            "    // BUG: Diagnostic contains: while made",
            "    probe(inConstructor);",
            "    // BUG: Diagnostic contains: while made",
            "    probe(declared);",
            "    // BUG: Diagnostic contains: while made",
            "    probe(inBlock);",
            "    // BUG: Diagnostic contains: while made",
            "    probe(inStaticBlock);",
            "    // BUG: Diagnostic contains: later",
            "    probe(inSetter);",
            "    // BUG: Diagnostic contains: later",
            "    probe(inLambda);",
            "    // BUG: Diagnostic contains: later",
            "    probe(inAnonymous);",
            "    // BUG: Diagnostic contains: later",
            "    probe(counted);",
            "    // BUG: Diagnostic contains: later",
            "    probe(staticInConstructor);",
            "    // BUG: Diagnostic contains: later",
            "    probe(open);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void privateFieldsOfATopLevelClass() {
    CompilationTestHelper.newInstance(FieldProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.concurrent.*;",
            "class A {",
            "  static void probe(Object o) {}",
            "  static class Holder {",
            "    private ExecutorService pool;",
            "    ExecutorService open;",
            "    void start() { pool = Executors.newSingleThreadExecutor(); }",
            "    void stop() { pool = null; }",
            "  }",
            "  static class User {",
            "    void use(Holder h) {",
            "      // a sibling class's private field: every value in the top-level class",
            "      // BUG: Diagnostic contains: values: Executors.newSingleThreadExecutor() | null",
            "      probe(h.pool);",
            "      // BUG: Diagnostic contains: unknown",
            "      probe(h.open);",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void fieldsAndLocals() {
    CompilationTestHelper.newInstance(ValuesProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class A {",
            "  static void probe(Object o) {}",
            "  private final Map<String, Integer> initialized = new ConcurrentHashMap<>();",
            "  private final Map<String, Integer> inConstructors;",
            "  private Map<String, Integer> reassigned = new ConcurrentHashMap<>();",
            "  final Map<String, Integer> notPrivate = new ConcurrentHashMap<>();",
            "  private Map<String, Integer> neverAssigned;",
            "  private int counter = 0;",
            "  A() { inConstructors = new ConcurrentHashMap<>(); }",
            "  A(int n) { inConstructors = new ConcurrentSkipListMap<>(); }",
            "  class Inner { void reset() { reassigned = new HashMap<>(); } }",
            "  void m(Map<String, Integer> param) {",
            "    // BUG: Diagnostic contains: values: new ConcurrentHashMap<>()",
            "    probe(initialized);",
            "    // BUG: Diagnostic contains: values: new ConcurrentHashMap<>() |"
                + " new ConcurrentSkipListMap<>()",
            "    probe(this.inConstructors);",
            "    // BUG: Diagnostic contains: values: new ConcurrentHashMap<>() | new HashMap<>()",
            "    probe(reassigned);",
            "    // BUG: Diagnostic contains: unknown",
            "    probe(notPrivate);",
            "    // BUG: Diagnostic contains: unknown",
            "    probe(neverAssigned);",
            "    counter++;",
            "    // BUG: Diagnostic contains: unknown",
            "    probe(counter);",
            "    // BUG: Diagnostic contains: unknown",
            "    probe(param);",
            "    Map<String, Integer> local = new ConcurrentHashMap<>();",
            "    // BUG: Diagnostic contains: values: new ConcurrentHashMap<>()",
            "    probe(local);",
            "    Map<String, Integer> later;",
            "    later = new TreeMap<>();",
            "    // BUG: Diagnostic contains: values: new TreeMap<>()",
            "    Runnable r = () -> probe(later);",
            "    new Thread() {",
            "      @Override public void run() {",
            "        // BUG: Diagnostic contains: unknown",
            "        probe(local);",
            "      }",
            "    }.start();",
            "  }",
            "  {",
            "    List<String> inInitializer = new ArrayList<>();",
            "    // BUG: Diagnostic contains: values: new ArrayList<>()",
            "    probe(inInitializer);",
            "  }",
            "}")
        .doTest();
  }
}
