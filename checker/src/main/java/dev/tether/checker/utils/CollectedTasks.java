package dev.tether.checker.utils;

import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.tether.checker.utils.ConcurrentCode.Handoff;
import dev.tether.checker.utils.ConcurrentCode.Kind;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Answers "is this task collected to run later on an executor?": a lambda, method reference or
 * anonymous {@code Callable}/{@code Runnable} added to a collection ({@code tasks.add(() -> …)})
 * that the same method then hands to {@code invokeAll}/{@code invokeAny}, submits element by
 * element ({@code for (Callable<T> t : tasks) pool.submit(t)}) or passes to {@code
 * tasks.forEach(pool::execute)}.
 */
public final class CollectedTasks {
  private static final String EXECUTOR = "java.util.concurrent.Executor";
  private static final String EXECUTOR_SERVICE = "java.util.concurrent.ExecutorService";

  private static final Supplier<Type> CALLABLE =
      Suppliers.typeFromString("java.util.concurrent.Callable");
  private static final Supplier<Type> RUNNABLE = Suppliers.typeFromString("java.lang.Runnable");
  private static final Supplier<Type> EXECUTOR_TYPE = Suppliers.typeFromString(EXECUTOR);

  private static final Matcher<ExpressionTree> ADD =
      instanceMethod().onDescendantOf("java.util.Collection").named("add");
  private static final Matcher<ExpressionTree> INVOKE =
      instanceMethod().onDescendantOf(EXECUTOR_SERVICE).namedAnyOf("invokeAll", "invokeAny");
  private static final Matcher<ExpressionTree> SUBMIT =
      anyOf(
          instanceMethod().onDescendantOf(EXECUTOR).named("execute"),
          instanceMethod().onDescendantOf(EXECUTOR_SERVICE).named("submit"));
  private static final Matcher<ExpressionTree> FOR_EACH =
      instanceMethod().onDescendantOf("java.lang.Iterable").named("forEach");

  private CollectedTasks() {}

  /**
   * Returns how the task at {@code path} reaches an executor when it is added to a collection that
   * the enclosing method (or initializer) later runs there: a {@link Kind#EXECUTOR} hand-off whose
   * call is the {@code invokeAll}, {@code invokeAny}, {@code submit}, {@code execute} or {@code
   * forEach} that runs the collection, and whose executor is that call's executor.
   */
  public static Optional<Handoff> handoff(TreePath path, VisitorState state) {
    Tree task = path.getLeaf();
    if (!ConcurrentCode.isCodeLiteral(task)) {
      return Optional.empty();
    }
    TreePath p = path.getParentPath();
    while (p != null
        && (p.getLeaf() instanceof ParenthesizedTree || p.getLeaf() instanceof TypeCastTree)) {
      p = p.getParentPath();
    }
    if (p == null
        || !(p.getLeaf() instanceof MethodInvocationTree add)
        || !Trees.calledName(add).equals("add")
        || add.getArguments().size() != 1
        || !ADD.matches(add, state)
        || !isTask(ASTHelpers.getType(task), state)) {
      return Optional.empty();
    }
    VarSymbol tasks = SameVariable.variable(ASTHelpers.getReceiver(add));
    TreePath bodyPath = Trees.enclosingBody(p);
    Tree body = bodyPath == null ? null : bodyPath.getLeaf();
    if (tasks == null || body == null) {
      return Optional.empty();
    }
    RunSite site = runSite(tasks, body, state);
    return site == null
        ? Optional.empty()
        : Optional.of(new Handoff(Kind.EXECUTOR, task, site.call(), site.executor()));
  }

  private static boolean isTask(@Nullable Type type, VisitorState state) {
    return type != null
        && (ASTHelpers.isSubtype(type, CALLABLE.get(state), state)
            || ASTHelpers.isSubtype(type, RUNNABLE.get(state), state));
  }

  /** The call that runs the collection, and the executor it runs on. */
  private record RunSite(ExpressionTree call, @Nullable ExpressionTree executor) {}

  private static @Nullable RunSite runSite(VarSymbol tasks, Tree body, VisitorState state) {
    RunSite[] found = new RunSite[1];
    Set<VarSymbol> elements = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return found[0] == null ? super.scan(tree, null) : null;
      }

      @Override
      public Void visitEnhancedForLoop(EnhancedForLoopTree loop, Void unused) {
        if (SameVariable.variable(loop.getExpression()) == tasks) {
          VarSymbol element = ASTHelpers.getSymbol(loop.getVariable());
          if (element != null) {
            elements.add(element);
          }
        }
        return super.visitEnhancedForLoop(loop, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        if (!call.getArguments().isEmpty()) {
          ExpressionTree first = call.getArguments().get(0);
          VarSymbol named = SameVariable.variable(first);
          if (named != null
              && ((named == tasks && INVOKE.matches(call, state))
                  || (elements.contains(named) && SUBMIT.matches(call, state)))) {
            found[0] = new RunSite(call, ASTHelpers.getReceiver(call));
            return null;
          }
          if (ASTHelpers.stripParentheses(first) instanceof MemberReferenceTree ref
              && SameVariable.variable(ASTHelpers.getReceiver(call)) == tasks
              && FOR_EACH.matches(call, state)
              && (ref.getName().contentEquals("submit") || ref.getName().contentEquals("execute"))
              && ASTHelpers.isSubtype(
                  ASTHelpers.getType(ref.getQualifierExpression()),
                  EXECUTOR_TYPE.get(state),
                  state)) {
            found[0] = new RunSite(call, ref.getQualifierExpression());
            return null;
          }
        }
        return super.visitMethodInvocation(call, null);
      }
    }.scan(body, null);
    return found[0];
  }
}
