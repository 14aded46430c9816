package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static dev.tether.checker.utils.Links.BUGPATTERN;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.ConcurrentCode;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.Symbols;
import dev.tether.checker.utils.Trees;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags waits without a timeout in tests without a timeout. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Give a blocking wait in a test a timeout, or give the test one",
    link = BUGPATTERN + "UntimedWaitInTest.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class UntimedWaitInTest extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** The flag that declares a JUnit Jupiter default timeout (junit-platform.properties). */
  static final String GLOBAL_TIMEOUT_FLAG = "UntimedWaitInTest:GlobalTimeout";

  private static final String CONCURRENT = "java.util.concurrent.";

  private static final Matcher<ExpressionTree> FUTURE_GET =
      instanceMethod().onDescendantOf(CONCURRENT + "Future").named("get").withNoParameters();
  private static final Matcher<ExpressionTree> BARRIER_AWAIT =
      instanceMethod()
          .onDescendantOf(CONCURRENT + "CyclicBarrier")
          .named("await")
          .withNoParameters();
  private static final Matcher<ExpressionTree> BOOLEAN_AWAIT =
      anyOf(
          instanceMethod()
              .onDescendantOf(CONCURRENT + "CountDownLatch")
              .named("await")
              .withNoParameters(),
          instanceMethod()
              .onDescendantOf(CONCURRENT + "locks.Condition")
              .named("await")
              .withNoParameters());
  private static final Matcher<ExpressionTree> OTHER_WAITS =
      anyOf(
          instanceMethod()
              .onDescendantOf(CONCURRENT + "CompletableFuture")
              .named("join")
              .withNoParameters(),
          instanceMethod().onDescendantOf("java.lang.Thread").named("join").withNoParameters(),
          instanceMethod().onDescendantOf(CONCURRENT + "BlockingQueue").namedAnyOf("take", "put"),
          instanceMethod()
              .onDescendantOf(CONCURRENT + "Semaphore")
              .namedAnyOf("acquire", "acquireUninterruptibly"),
          instanceMethod()
              .onDescendantOf(CONCURRENT + "locks.Condition")
              .named("awaitUninterruptibly"),
          instanceMethod()
              .onDescendantOf(CONCURRENT + "ExecutorService")
              .namedAnyOf("invokeAll", "invokeAny"));

  /** The names of every wait above: a cheap first filter. */
  private static final Set<String> WAIT_NAMES =
      Set.of(
          "get",
          "await",
          "join",
          "take",
          "put",
          "acquire",
          "acquireUninterruptibly",
          "awaitUninterruptibly",
          "invokeAll",
          "invokeAny");

  /**
   * {@link #WAIT_NAMES} in javac's name table: the cheap first filter, no {@code String} per call.
   */
  private static final PerCompilation<Set<Name>> WAIT_NAMES_TABLE =
      PerCompilation.names(WAIT_NAMES);

  /** Queues whose {@code put} never blocks. */
  private static final Set<String> UNBOUNDED_QUEUES =
      Set.of(
          CONCURRENT + "LinkedTransferQueue",
          CONCURRENT + "PriorityBlockingQueue",
          CONCURRENT + "DelayQueue");

  private static final Set<String> JUNIT5_TESTS =
      Set.of(
          "org.junit.jupiter.api.Test",
          "org.junit.jupiter.api.RepeatedTest",
          "org.junit.jupiter.api.TestFactory",
          "org.junit.jupiter.api.TestTemplate",
          "org.junit.jupiter.params.ParameterizedTest");
  private static final String JUNIT4_TEST = "org.junit.Test";
  private static final String TESTNG_TEST = "org.testng.annotations.Test";
  private static final String JUNIT5_TIMEOUT = "org.junit.jupiter.api.Timeout";
  private static final Set<String> JUNIT4_RULES = Set.of("org.junit.Rule", "org.junit.ClassRule");

  /** Assertion classes with {@code assertTrue(boolean)}. */
  private static final List<String> ASSERT_TRUE_CLASSES =
      List.of(
          "org.junit.jupiter.api.Assertions",
          "org.junit.Assert",
          "org.testng.Assert",
          "org.testng.AssertJUnit");

  /** Assertion classes with {@code assertThat(boolean).isTrue()}. */
  private static final List<String> ASSERT_THAT_CLASSES =
      List.of("org.assertj.core.api.Assertions", "com.google.common.truth.Truth");

  private static final Supplier<Type> TIMEOUT_EXCEPTION =
      Suppliers.typeFromString(CONCURRENT + "TimeoutException");

  private final boolean globalTimeout;

  /** Without flags; the {@code ServiceLoader} that loads plugin checks needs this constructor. */
  public UntimedWaitInTest() {
    this(ErrorProneFlags.empty());
  }

  /** Reads {@code -XepOpt:UntimedWaitInTest:GlobalTimeout=true}. */
  @Inject
  public UntimedWaitInTest(ErrorProneFlags flags) {
    this.globalTimeout = flags.getBoolean(GLOBAL_TIMEOUT_FLAG).orElse(false);
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!Trees.calledNameIn(tree, WAIT_NAMES_TABLE.get(state))) {
      return NO_MATCH; // cheap: most calls are not waits, and type checks cost
    }
    MethodTree enclosing = null;
    for (TreePath p = state.getPath().getParentPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree) {
        return NO_MATCH;
      }
      if (p.getLeaf() instanceof MethodTree m) {
        enclosing = m;
        break;
      }
    }
    MethodSymbol test = enclosing == null ? null : ASTHelpers.getSymbol(enclosing);
    if (test == null || !isTestWithoutTimeout(test, state)) {
      return NO_MATCH; // before the type matchers: get and put are common names outside tests
    }
    boolean throwsTimeout = FUTURE_GET.matches(tree, state) || BARRIER_AWAIT.matches(tree, state);
    boolean booleanAwait = !throwsTimeout && BOOLEAN_AWAIT.matches(tree, state);
    if (!throwsTimeout && !booleanAwait && !isOtherWait(tree, state)) {
      return NO_MATCH;
    }
    // Not when the call runs on another thread or under a timeout inside the test method.
    boolean crossedLambda = false;
    for (TreePath p = state.getPath().getParentPath(); p.getLeaf() != enclosing; ) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree || leaf instanceof MemberReferenceTree) {
        if (ConcurrentCode.handoff(p, state).isPresent() || isPreemptiveTimeout(p)) {
          return NO_MATCH;
        }
        crossedLambda = true;
      }
      p = p.getParentPath();
    }
    MethodSymbol called = Symbols.calledMethod(tree);
    String name = called == null ? "wait" : called.getSimpleName().toString();
    Description.Builder description =
        buildDescription(tree)
            .setMessage(
                String.format(
                    "%s() waits without a timeout in a test that has none, so a lost signal hangs the build"
                        + " instead of failing the test: use the timed overload (e.g. %s) or give the test a"
                        + " timeout (@Timeout, @Test(timeout = …), timeOut = …)",
                    name, timedExample(name)));
    if (!crossedLambda) {
      SuggestedFix fix =
          throwsTimeout
              ? (timeoutHandled(state.getPath(), test, state) ? timedFix(tree, state) : null)
              : booleanAwait ? assertedAwaitFix(tree, state) : null;
      if (fix != null) {
        description.addFix(fix);
      }
    }
    return description.build();
  }

  private static boolean isOtherWait(MethodInvocationTree tree, VisitorState state) {
    if (!OTHER_WAITS.matches(tree, state)) {
      return false;
    }
    MethodSymbol called = Symbols.calledMethod(tree);
    if (called == null) {
      return false;
    }
    String name = called.getSimpleName().toString();
    if (name.startsWith("invoke")) {
      return tree.getArguments().size() == 1; // the overloads without a timeout
    }
    if (name.equals("put")) {
      Type receiver = ASTHelpers.getReceiverType(tree);
      return receiver != null
          && receiver.tsym != null
          && !UNBOUNDED_QUEUES.contains(receiver.tsym.getQualifiedName().toString());
    }
    return true;
  }

  private static String timedExample(String name) {
    return switch (name) {
      case "get", "await" -> name + "(10, TimeUnit.SECONDS)";
      case "join" -> "join(10_000) or orTimeout(10, TimeUnit.SECONDS).join()";
      case "take" -> "poll(10, TimeUnit.SECONDS)";
      case "put" -> "offer(e, 10, TimeUnit.SECONDS)";
      case "acquire", "acquireUninterruptibly" -> "tryAcquire(10, TimeUnit.SECONDS)";
      case "awaitUninterruptibly" -> "await(10, TimeUnit.SECONDS)";
      default -> name + "(tasks, 10, TimeUnit.SECONDS)";
    };
  }

  /** Whether the lambda at {@code p} is the body of {@code assertTimeoutPreemptively(…)}. */
  private static boolean isPreemptiveTimeout(TreePath p) {
    Tree parent = p.getParentPath() == null ? null : p.getParentPath().getLeaf();
    if (!(parent instanceof MethodInvocationTree call)) {
      return false;
    }
    return Trees.calledName(call).equals("assertTimeoutPreemptively");
  }

  /** Whether {@code method} is a JUnit 4/5 or TestNG test that runs without a timeout. */
  private boolean isTestWithoutTimeout(MethodSymbol method, VisitorState state) {
    boolean junit5 = false;
    boolean test = false;
    for (Attribute.Compound annotation : method.getAnnotationMirrors()) {
      String name = annotationName(annotation);
      if (JUNIT5_TESTS.contains(name)) {
        junit5 = true;
        test = true;
      } else if (name.equals(JUNIT4_TEST)) {
        test = true;
        if (positive(annotation, "timeout")) {
          return false;
        }
      } else if (name.equals(TESTNG_TEST)) {
        test = true;
        if (positive(annotation, "timeOut") || positive(annotation, "invocationTimeOut")) {
          return false;
        }
      } else if (name.equals(JUNIT5_TIMEOUT)) {
        return false;
      }
    }
    if (!test && !isTestNgClassTest(method)) {
      return false;
    }
    if (junit5 && globalTimeout) {
      return false; // junit.jupiter.execution.timeout.default covers it
    }
    for (Symbol owner = method.owner; owner instanceof ClassSymbol cls; owner = cls.owner) {
      for (Type t = cls.type; t != null && t.tsym instanceof ClassSymbol c; ) {
        if (classHasTimeout(c)) {
          return false;
        }
        Type superclass = state.getTypes().supertype(t);
        t = superclass == null || superclass.getKind() != TypeKind.DECLARED ? null : superclass;
      }
    }
    return !ruleInitializerHasTimeout(state);
  }

  /** A public method of a class annotated with TestNG's {@code @Test} is a test. */
  private static boolean isTestNgClassTest(MethodSymbol method) {
    return method.getModifiers().contains(Modifier.PUBLIC)
        && !method.isStatic()
        && !method.isConstructor()
        && method.owner instanceof ClassSymbol cls
        && cls.getAnnotationMirrors().stream().anyMatch(a -> annotationName(a).equals(TESTNG_TEST));
  }

  /**
   * Whether the class has a timeout for its tests: JUnit 5's {@code @Timeout}, TestNG's
   * {@code @Test(timeOut = …)}, or a JUnit 4 {@code @Rule}/{@code @ClassRule} field of a {@code
   * Timeout} type.
   */
  private static boolean classHasTimeout(ClassSymbol cls) {
    for (Attribute.Compound annotation : cls.getAnnotationMirrors()) {
      String name = annotationName(annotation);
      if (name.equals(JUNIT5_TIMEOUT)
          || (name.equals(TESTNG_TEST)
              && (positive(annotation, "timeOut") || positive(annotation, "invocationTimeOut")))) {
        return true;
      }
    }
    for (Symbol member : ASTHelpers.getEnclosedElements(cls)) {
      if (member.getKind() == ElementKind.FIELD
          && member.getAnnotationMirrors().stream()
              .anyMatch(a -> JUNIT4_RULES.contains(annotationName(a)))
          && member.type != null
          && member.type.tsym != null
          && member.type.tsym.getSimpleName().toString().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a {@code @Rule} field of the test's class is initialized with a {@code Timeout}
   * somewhere in its initializer, e.g. {@code new DisableOnDebug(Timeout.seconds(10))}.
   */
  private static boolean ruleInitializerHasTimeout(VisitorState state) {
    ClassTree cls = state.findEnclosing(ClassTree.class);
    if (cls == null) {
      return false;
    }
    for (Tree member : cls.getMembers()) {
      if (member instanceof VariableTree field
          && field.getInitializer() != null
          && ASTHelpers.getSymbol(field) != null
          && ASTHelpers.getSymbol(field).getAnnotationMirrors().stream()
              .anyMatch(a -> JUNIT4_RULES.contains(annotationName(a)))
          && mentionsTimeout(field.getInitializer())) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentionsTimeout(ExpressionTree initializer) {
    return Trees.contains(
        initializer,
        tree -> tree instanceof ExpressionTree e && namesTimeout(ASTHelpers.getType(e)));
  }

  private static boolean namesTimeout(@Nullable Type type) {
    return type != null
        && type.tsym != null
        && type.tsym.getSimpleName().toString().contains("Timeout");
  }

  private static String annotationName(Attribute.Compound annotation) {
    return annotation.type == null || annotation.type.tsym == null
        ? ""
        : annotation.type.tsym.getQualifiedName().toString();
  }

  /** Whether the annotation sets {@code attribute} to a positive number. */
  private static boolean positive(Attribute.Compound annotation, String attribute) {
    for (Map.Entry<MethodSymbol, Attribute> e : annotation.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(attribute)
          && e.getValue().getValue() instanceof Number n
          && n.longValue() > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a {@code TimeoutException} thrown at {@code path} compiles: caught by a try around it
   * in the method, or declared by the method.
   */
  private static boolean timeoutHandled(TreePath path, MethodSymbol method, VisitorState state) {
    Type timeout = TIMEOUT_EXCEPTION.get(state);
    if (timeout == null) {
      return false;
    }
    for (Type thrown : method.getThrownTypes()) {
      if (ASTHelpers.isSubtype(timeout, thrown, state)) {
        return true;
      }
    }
    for (TreePath p = path; p != null && !(p.getLeaf() instanceof MethodTree); ) {
      TreePath parent = p.getParentPath();
      if (parent != null
          && parent.getLeaf() instanceof TryTree tryTree
          && tryTree.getBlock() == p.getLeaf()) {
        for (CatchTree c : tryTree.getCatches()) {
          for (Tree alternative : Trees.caughtTypes(c)) {
            Type caught = ASTHelpers.getType(alternative);
            if (caught != null && ASTHelpers.isSubtype(timeout, caught, state)) {
              return true;
            }
          }
        }
      }
      p = parent;
    }
    return false;
  }

  /** {@code get()} → {@code get(10, TimeUnit.SECONDS)}, {@code await()} likewise. */
  private static @Nullable SuggestedFix timedFix(MethodInvocationTree tree, VisitorState state) {
    int selectEnd = state.getEndPosition(tree.getMethodSelect());
    int end = state.getEndPosition(tree);
    if (selectEnd < 0 || end < 0) {
      return null;
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String unit = SuggestedFixes.qualifyType(state, fix, CONCURRENT + "TimeUnit");
    return fix.replace(selectEnd, end, "(10, " + unit + ".SECONDS)").build();
  }

  /**
   * {@code latch.await();} → {@code assertTrue(latch.await(10, TimeUnit.SECONDS));} with the
   * assertion library that the file already imports; none when it imports none.
   */
  private static @Nullable SuggestedFix assertedAwaitFix(
      MethodInvocationTree tree, VisitorState state) {
    TreePath parent = state.getPath().getParentPath();
    if (parent == null || !(parent.getLeaf() instanceof ExpressionStatementTree)) {
      return null;
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String[] wrap = assertion(state, fix);
    int start = ASTHelpers.getStartPosition(tree);
    int selectEnd = state.getEndPosition(tree.getMethodSelect());
    int end = state.getEndPosition(tree);
    if (wrap == null || start < 0 || selectEnd < start || end < selectEnd) {
      return null;
    }
    String unit = SuggestedFixes.qualifyType(state, fix, CONCURRENT + "TimeUnit");
    String head = state.getSourceCode().subSequence(start, selectEnd).toString();
    return fix.replace(start, end, wrap[0] + head + "(10, " + unit + ".SECONDS)" + wrap[1]).build();
  }

  /**
   * The text before and after a boolean to assert that it is true, with the assertion library the
   * file imports: JUnit's or TestNG's {@code assertTrue(…)}, or AssertJ's or Truth's {@code
   * assertThat(…).isTrue()}.
   */
  private static String @Nullable [] assertion(VisitorState state, SuggestedFix.Builder fix) {
    String typeImported = null;
    for (ImportTree imp : state.getPath().getCompilationUnit().getImports()) {
      if (!(imp.getQualifiedIdentifier() instanceof MemberSelectTree select)) {
        continue;
      }
      String member = select.getIdentifier().toString();
      if (imp.isStatic()) {
        String owner = qualifiedName(select.getExpression(), state);
        if (ASSERT_TRUE_CLASSES.contains(owner)
            && (member.equals("assertTrue") || member.equals("*"))) {
          return new String[] {"assertTrue(", ")"};
        }
        if (ASSERT_THAT_CLASSES.contains(owner)
            && (member.equals("assertThat") || member.equals("*"))) {
          return new String[] {"assertThat(", ").isTrue()"};
        }
        if (typeImported == null
            && (ASSERT_TRUE_CLASSES.contains(owner) || ASSERT_THAT_CLASSES.contains(owner))) {
          typeImported = owner;
        }
      } else {
        String imported = qualifiedName(select, state);
        if (ASSERT_TRUE_CLASSES.contains(imported) || ASSERT_THAT_CLASSES.contains(imported)) {
          typeImported = imported;
        }
      }
    }
    if (typeImported == null) {
      return null;
    }
    String cls = SuggestedFixes.qualifyType(state, fix, typeImported);
    return ASSERT_TRUE_CLASSES.contains(typeImported)
        ? new String[] {cls + ".assertTrue(", ")"}
        : new String[] {cls + ".assertThat(", ").isTrue()"};
  }

  private static String qualifiedName(Tree tree, VisitorState state) {
    Symbol sym = ASTHelpers.getSymbol(tree);
    if (sym instanceof ClassSymbol cls) {
      return cls.getQualifiedName().toString();
    }
    String source = state.getSourceForNode(tree);
    return source == null ? "" : source.replaceAll("\\s+", "");
  }
}
