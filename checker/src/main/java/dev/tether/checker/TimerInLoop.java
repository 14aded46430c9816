package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static dev.tether.checker.utils.Links.BUGPATTERN;

import com.google.auto.service.AutoService;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import dev.tether.checker.utils.EnclosingLoops;
import dev.tether.checker.utils.ExecutorFacts;
import dev.tether.checker.utils.LibraryModel;
import dev.tether.checker.utils.PerCompilation;
import java.util.Set;
import javax.lang.model.element.ElementKind;

/** A {@link BugChecker} that flags timers, schedulers and thread pools created inside a loop. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Create timers, schedulers and thread pools once, outside the loop",
    link = BUGPATTERN + "TimerInLoop.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class TimerInLoop extends BugChecker
    implements MethodInvocationTreeMatcher, NewClassTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** Methods that keep their argument beyond the call: a collection or registry of executors. */
  private static final Set<String> STORING_METHODS =
      ImmutableSet.<String>builder()
          .addAll(LibraryModel.COLLECTION_INSERTS)
          .add("register")
          .build();

  private static final Supplier<Type> SCHEDULER =
      PerCompilation.type("java.util.concurrent.ScheduledExecutorService");

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    return match(tree, state);
  }

  @Override
  public Description matchNewClass(NewClassTree tree, VisitorState state) {
    return match(tree, state);
  }

  private Description match(ExpressionTree tree, VisitorState state) {
    // Cheap tests first: a call can create an executor only as an Executors.new… factory, a new
    // only of a class that extends an executor or timer class, and most are in no loop.
    if (!ExecutorFacts.mayCreate(tree, state) || !EnclosingLoops.mayBeIn(state.getPath(), false)) {
      return NO_MATCH;
    }
    boolean timer = ExecutorFacts.createsTimer(tree, state);
    if (!timer && (!ExecutorFacts.createsExecutor(tree, state) || isThreadPerTask(tree))) {
      return NO_MATCH;
    }
    if (EnclosingLoops.of(state.getPath(), state, false).isEmpty() || isKept(state.getPath())) {
      return NO_MATCH;
    }
    String what =
        timer
            ? "timer thread"
            : ASTHelpers.isSubtype(ASTHelpers.getType(tree), SCHEDULER.get(state), state)
                ? "scheduler"
                : "thread pool";
    return buildDescription(tree)
        .setMessage(
            "This loop starts a new "
                + what
                + " on every iteration: create it once outside the loop and reuse it (for periodic"
                + " work, one scheduler or Tether's ticker)")
        .build();
  }

  /**
   * Whether {@code tree} is {@code Executors.newVirtualThreadPerTaskExecutor()} or {@code
   * newThreadPerTaskExecutor(…)} (JDK 21): they keep no idle threads, so one per iteration (as a
   * try-with-resources scope) costs nothing more than the tasks' own threads.
   */
  private static boolean isThreadPerTask(ExpressionTree tree) {
    Symbol sym = ASTHelpers.getSymbol(tree);
    return sym != null
        && (sym.getSimpleName().contentEquals("newVirtualThreadPerTaskExecutor")
            || sym.getSimpleName().contentEquals("newThreadPerTaskExecutor"));
  }

  /**
   * Whether the new executor outlives the iteration: stored in an array element, a field or a
   * collection. That is a loop building a set of long-lived executors once, not churn.
   */
  private static boolean isKept(TreePath creation) {
    Tree child = creation.getLeaf();
    TreePath p = creation.getParentPath();
    while (p != null
        && (p.getLeaf() instanceof ParenthesizedTree || p.getLeaf() instanceof TypeCastTree)) {
      child = p.getLeaf();
      p = p.getParentPath();
    }
    if (p == null) {
      return false;
    }
    Tree parent = p.getLeaf();
    if (parent instanceof AssignmentTree assignment && assignment.getExpression() == child) {
      ExpressionTree target = ASTHelpers.stripParentheses(assignment.getVariable());
      if (target instanceof ArrayAccessTree) {
        return true;
      }
      Symbol sym = ASTHelpers.getSymbol(target);
      return sym != null && sym.getKind() == ElementKind.FIELD;
    }
    if (parent instanceof MethodInvocationTree call && call.getArguments().contains(child)) {
      Symbol sym = ASTHelpers.getSymbol(call);
      return sym != null && STORING_METHODS.contains(sym.getSimpleName().toString());
    }
    return false;
  }
}
