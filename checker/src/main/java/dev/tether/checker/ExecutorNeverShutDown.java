package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;
import static dev.tether.checker.utils.Links.BUGPATTERN;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.tether.checker.utils.ExecutorFacts;
import dev.tether.checker.utils.ResourceUses;
import dev.tether.checker.utils.StatementsAfter;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags executors and timers that a method creates and never stops. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Shut down the executor or timer that a method creates, or hand it to an owner",
    link = BUGPATTERN + "ExecutorNeverShutDown.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class ExecutorNeverShutDown extends BugChecker
    implements MethodInvocationTreeMatcher, VariableTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String SHUTDOWN_ADVICE =
      "shut it down in a finally block (or try-with-resources on JDK 19+), or use a long-lived"
          + " shared executor or Tether's TaskGroup";

  private static final String TIMER_ADVICE =
      "cancel it when its work is done, or schedule on a long-lived shared scheduler or Tether's"
          + " ticker";

  /** Calls that release an executor or timer: {@code stop} is Netty's {@code HashedWheelTimer}. */
  private static final Set<String> RELEASE =
      Set.of("shutdown", "shutdownNow", "close", "cancel", "stop");

  /** Periodic scheduling: a {@code shutdown()} would cancel such tasks. */
  private static final Set<String> PERIODIC =
      Set.of("scheduleAtFixedRate", "scheduleWithFixedDelay");

  private static final Supplier<Type> EXECUTOR_SERVICE =
      Suppliers.typeFromString("java.util.concurrent.ExecutorService");
  private static final Supplier<Type> AUTO_CLOSEABLE =
      Suppliers.typeFromString("java.lang.AutoCloseable");

  /** Methods that use an executor argument for a task without keeping it beyond the task. */
  private static final Matcher<ExpressionTree> BORROWS_EXECUTOR =
      anyOf(
          staticMethod()
              .onClass("java.util.concurrent.CompletableFuture")
              .namedAnyOf("runAsync", "supplyAsync"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.CompletionStage")
              .withNameMatching(Pattern.compile(".*Async")));

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (receiver == null) {
      return NO_MATCH;
    }
    receiver = ASTHelpers.stripParentheses(receiver);
    if (!ExecutorFacts.mayCreate(receiver, state)) {
      return NO_MATCH; // cheap: only an Executors.new… factory or a new of a pool or timer class
    }
    Symbol method = ASTHelpers.getSymbol(tree);
    if (method == null || RELEASE.contains(method.getSimpleName().toString())) {
      return NO_MATCH;
    }
    boolean timer = ExecutorFacts.createsTimer(receiver, state);
    if (!timer && !ExecutorFacts.createsExecutor(receiver, state)) {
      return NO_MATCH;
    }
    return buildDescription(receiver)
        .setMessage(
            String.format(
                "This %s is created for one call and dropped, so nothing ever shuts its thread down"
                    + " (a non-daemon one keeps the JVM alive, and one piles up per call): keep it in a"
                    + " variable and shut it down in a finally block, or use a long-lived shared executor"
                    + " or Tether's TaskGroup",
                timer ? "timer" : "executor"))
        .build();
  }

  @Override
  public Description matchVariable(VariableTree tree, VisitorState state) {
    ExpressionTree init = tree.getInitializer();
    if (init == null) {
      return NO_MATCH;
    }
    VarSymbol sym = ASTHelpers.getSymbol(tree);
    if (sym == null || sym.getKind() != ElementKind.LOCAL_VARIABLE) {
      return NO_MATCH; // fields are owned by their object; resources are closed by the try
    }
    init = ASTHelpers.stripParentheses(init);
    if (init instanceof TypeCastTree cast) {
      init = ASTHelpers.stripParentheses(cast.getExpression()); // (ThreadPoolExecutor) new…()
    }
    if (!ExecutorFacts.mayCreate(init, state)) {
      return NO_MATCH; // cheap: only an Executors.new… factory or a new of a pool or timer class
    }
    boolean timer = ExecutorFacts.createsTimer(init, state);
    if (!timer && !ExecutorFacts.createsExecutor(init, state)) {
      return NO_MATCH;
    }
    TreePath scope = state.getPath().getParentPath();
    if (scope == null || scope.getLeaf() instanceof TryTree) {
      return NO_MATCH;
    }
    Uses uses = new Uses(sym, scope.getLeaf(), state);
    if (uses.releasedOrHandedOver(scope)) {
      return NO_MATCH;
    }
    Description.Builder description =
        buildDescription(tree)
            .setMessage(
                String.format(
                    "This %s is never shut down and never handed to an owner, so its threads outlive the call"
                        + " (non-daemon ones keep the JVM alive and pile up per call): %s",
                    timer ? "timer" : "executor", timer ? TIMER_ADVICE : SHUTDOWN_ADVICE));
    if (!timer && !uses.periodic) {
      SuggestedFix fix = shutdownFix(tree, sym, scope, state);
      if (fix != null) {
        description.addFix(fix);
      }
    }
    return description.build();
  }

  /**
   * Wraps the statements after the declaration in try-with-resources when {@code ExecutorService}
   * is {@code AutoCloseable} (JDK 19+), else in {@code try { … } finally { x.shutdown(); }}.
   */
  private static @Nullable SuggestedFix shutdownFix(
      VariableTree decl, VarSymbol sym, TreePath scope, VisitorState state) {
    Type executorService = EXECUTOR_SERVICE.get(state);
    if (executorService == null
        || sym.type == null
        || !ASTHelpers.isSubtype(sym.type, executorService, state)) {
      return null;
    }
    StatementsAfter after = StatementsAfter.of(decl, scope, state);
    if (after == null) {
      return null;
    }
    Type autoCloseable = AUTO_CLOSEABLE.get(state);
    if (autoCloseable != null && ASTHelpers.isSubtype(executorService, autoCloseable, state)) {
      return after.tryWithResources(state);
    }
    String indent = after.indent();
    return SuggestedFix.replace(
        after.restStart(),
        after.restEnd(),
        "try {\n"
            + indent
            + "  "
            + after.indentedRest()
            + "\n"
            + indent
            + "} finally {\n"
            + indent
            + "  "
            + sym.getSimpleName()
            + ".shutdown();\n"
            + indent
            + "}");
  }

  /** What the code in the variable's scope does with the executor, found in one scan. */
  private static final class Uses extends ResourceUses {
    private final VisitorState state;
    private boolean periodic;

    Uses(VarSymbol executor, Tree root, VisitorState state) {
      super(executor, root, RELEASE);
      this.state = state;
    }

    @Override
    protected boolean escapesThroughReference(TreePath reference) {
      return !runsNow(reference); // a bound method reference that may be kept
    }

    @Override
    protected boolean escapesThrough(TreePath use) {
      // stored, returned, passed on, reassigned; lent to an async stage for its task is no escape
      TreePath parent = use.getParentPath();
      return !(parent != null
          && parent.getLeaf() instanceof MethodInvocationTree call
          && BORROWS_EXECUTOR.matches(call, state));
    }

    @Override
    protected void calledOn(String name) {
      if (PERIODIC.contains(name)) {
        periodic = true;
      }
    }
  }
}
