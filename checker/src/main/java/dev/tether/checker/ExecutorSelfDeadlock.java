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
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.ConcurrentCode;
import dev.tether.checker.utils.ConcurrentCode.Handoff;
import dev.tether.checker.utils.ConcurrentCode.Kind;
import dev.tether.checker.utils.Declarations;
import dev.tether.checker.utils.ExecutorFacts;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.SameVariable;
import dev.tether.checker.utils.Trees;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags tasks that wait for the executor they run on. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Do not wait, from a task, for the executor that runs it",
    link = BUGPATTERN + "ExecutorSelfDeadlock.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class ExecutorSelfDeadlock extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String EXECUTOR_SERVICE = "java.util.concurrent.ExecutorService";
  private static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";

  /**
   * {@code close()} (Java 19's {@code ExecutorService.close()}, which waits for every task) and
   * {@code awaitTermination(…)}; not a {@code close(boolean)} or other overload of an executor's
   * own class (Apache SSHD's {@code close(true)} shuts down without waiting).
   */
  private static final Matcher<ExpressionTree> AWAITS_TERMINATION =
      anyOf(
          instanceMethod().onDescendantOf(EXECUTOR_SERVICE).named("close").withNoParameters(),
          instanceMethod().onDescendantOf(EXECUTOR_SERVICE).named("awaitTermination"));

  private static final Matcher<ExpressionTree> INVOKES =
      instanceMethod().onDescendantOf(EXECUTOR_SERVICE).namedAnyOf("invokeAll", "invokeAny");

  private static final Matcher<ExpressionTree> AWAITS_FUTURE =
      anyOf(
          instanceMethod().onDescendantOf("java.util.concurrent.Future").named("get"),
          instanceMethod().onDescendantOf(COMPLETABLE_FUTURE).named("join"));

  /** Calls that return the future of a task that runs on their receiver. */
  private static final Matcher<ExpressionTree> SUBMITS =
      anyOf(
          instanceMethod().onDescendantOf(EXECUTOR_SERVICE).named("submit"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.ScheduledExecutorService")
              .named("schedule"));

  /** Calls that return a future of a task that runs on their executor argument. */
  private static final Matcher<ExpressionTree> ASYNC =
      anyOf(
          staticMethod().onClass(COMPLETABLE_FUTURE).namedAnyOf("runAsync", "supplyAsync"),
          instanceMethod().onDescendantOf("java.util.concurrent.CompletionStage"));

  /** The names of every wait above: a cheap first filter. */
  private static final Set<String> WAIT_NAMES =
      Set.of("close", "awaitTermination", "invokeAll", "invokeAny", "get", "join");

  /**
   * {@link #WAIT_NAMES} in javac's name table: the cheap first filter, no {@code String} per call.
   */
  private static final PerCompilation<Set<Name>> WAIT_NAMES_TABLE =
      PerCompilation.names(WAIT_NAMES);

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!Trees.calledNameIn(tree, WAIT_NAMES_TABLE.get(state))) {
      return NO_MATCH; // cheap: most calls are not waits, and type checks cost
    }
    boolean termination = AWAITS_TERMINATION.matches(tree, state);
    boolean invokes = !termination && INVOKES.matches(tree, state);
    boolean future = !termination && !invokes && AWAITS_FUTURE.matches(tree, state);
    if (!termination && !invokes && !future) {
      return NO_MATCH;
    }
    Optional<Handoff> handoff = ConcurrentCode.enclosing(state);
    if (handoff.isEmpty()
        || (handoff.get().kind() != Kind.EXECUTOR && handoff.get().kind() != Kind.ASYNC_STAGE)
        || SameVariable.variable(handoff.get().executor()) == null) {
      return NO_MATCH;
    }
    ExpressionTree executor = handoff.get().executor();
    String name = state.getSourceForNode(executor);
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (termination) {
      return SameVariable.of(receiver, executor)
          ? message(
              tree,
              "This task runs on "
                  + name
                  + " and waits for it to terminate, which cannot happen before the task itself"
                  + " returns: shut the executor down and wait for it from the code that owns it")
          : NO_MATCH;
    }
    if (invokes) {
      return SameVariable.of(receiver, executor) && isSingleThreaded(handoff.get(), state)
          ? message(
              tree,
              "This task holds the only thread of "
                  + name
                  + " and waits for tasks that need that thread, so it deadlocks: run them on"
                  + " another executor, or return their futures instead of blocking")
          : NO_MATCH;
    }
    return submitsInsideTask(receiver, executor, handoff.get(), state)
            && isSingleThreaded(handoff.get(), state)
        ? message(
            tree,
            "This task holds the only thread of "
                + name
                + " and waits for another task it submitted to "
                + name
                + ", which can never start, so it deadlocks: run the inner work directly or on"
                + " another executor, or chain it (thenCompose) instead of blocking")
        : NO_MATCH;
  }

  private Description message(MethodInvocationTree tree, String message) {
    return buildDescription(tree).setMessage(message).build();
  }

  /** Whether the executor of {@code handoff} was created, where it is declared, with one thread. */
  private static boolean isSingleThreaded(Handoff handoff, VisitorState state) {
    TreePath callPath = pathTo(handoff.call(), state);
    if (callPath == null) {
      return false;
    }
    VisitorState atCall = state.withPath(callPath);
    Optional<ExpressionTree> creation = ExecutorFacts.creation(handoff.executor(), atCall);
    if (creation.isEmpty()) {
      return false;
    }
    OptionalInt threads = ExecutorFacts.threads(creation.get(), atCall);
    return threads.isPresent() && threads.getAsInt() == 1;
  }

  private static @Nullable TreePath pathTo(@Nullable Tree target, VisitorState state) {
    return target == null ? null : Trees.ancestor(state.getPath(), target);
  }

  /**
   * Whether {@code future} is the result of a submission to {@code executor} made inside the task
   * of {@code handoff}: the submission itself, or a local variable declared in the task and
   * initialized with it (a future submitted before the task started may already be done).
   */
  private static boolean submitsInsideTask(
      @Nullable ExpressionTree future,
      ExpressionTree executor,
      Handoff handoff,
      VisitorState state) {
    if (future == null) {
      return false;
    }
    future = ASTHelpers.stripParentheses(future);
    if (future instanceof MethodInvocationTree call) {
      return submitsTo(call, executor, state);
    }
    VarSymbol var = SameVariable.variable(future);
    if (var == null
        || var.getKind() != ElementKind.LOCAL_VARIABLE
        || !ASTHelpers.isConsideredFinal(var)) {
      return false;
    }
    VariableTree declaration = Declarations.in(handoff.task(), var);
    return declaration != null
        && declaration.getInitializer() instanceof MethodInvocationTree init
        && submitsTo(init, executor, state);
  }

  private static boolean submitsTo(
      MethodInvocationTree call, ExpressionTree executor, VisitorState state) {
    if (SUBMITS.matches(call, state)) {
      return SameVariable.of(ASTHelpers.getReceiver(call), executor);
    }
    if (ASYNC.matches(call, state)
        && ASTHelpers.getSymbol(call).getSimpleName().toString().endsWith("Async")) {
      for (ExpressionTree argument : call.getArguments()) {
        if (SameVariable.of(argument, executor)) {
          return true;
        }
      }
    }
    return false;
  }
}
