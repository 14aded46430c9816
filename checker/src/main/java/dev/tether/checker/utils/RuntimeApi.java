package dev.tether.checker.utils;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.model.JavacElements;
import com.sun.tools.javac.util.Name;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The names of Tether's runtime ({@code dev.tether}) that the runtime-aware checks know, matched by
 * name: the checker does not depend on {@code tether-runtime}, and every answer is "no" when the
 * runtime is not on the compile class path.
 */
public final class RuntimeApi {
  private RuntimeApi() {}

  /** The runtime's package. */
  public static final String PACKAGE = "dev.tether";

  public static final String CANCEL_SCOPE = "dev.tether.CancelScope";
  public static final String TASK_GROUP = "dev.tether.TaskGroup";
  public static final String RESULT_GROUP = "dev.tether.ResultGroup";
  public static final String WORKER_POOL = "dev.tether.WorkerPool";
  public static final String TICKER = "dev.tether.Ticker";
  public static final String STATE_OWNER = "dev.tether.StateOwner";

  /** {@code CancelScope}, or null when the runtime is not on the class path. */
  public static final Supplier<Type> CANCEL_SCOPE_TYPE = Suppliers.typeFromString(CANCEL_SCOPE);

  /**
   * Whether {@code TaskGroup} is on the compile class path, looked up once per compilation. Unlike
   * {@link Suppliers#typeFromString}, which only finds classes the compilation has already loaded,
   * this loads it from the class path: code about to be migrated does not mention the runtime yet.
   */
  private static final Supplier<Boolean> TASK_GROUP_ON_CLASS_PATH =
      VisitorState.memoize(
          state -> JavacElements.instance(state.context).getTypeElement(TASK_GROUP) != null);

  /** The classes whose {@code open(…)} returns something that must be closed. */
  public static final Set<String> OPENED =
      Set.of(TASK_GROUP, RESULT_GROUP, WORKER_POOL, TICKER, STATE_OWNER);

  /** The groups that run tasks: {@code go}, {@code tryGo}, {@code withLimit}, {@code await}. */
  public static final Set<String> GROUPS = Set.of(TASK_GROUP, RESULT_GROUP, WORKER_POOL);

  /** The {@code CancelScope} methods that make a child scope. */
  public static final Set<String> CHILD_SCOPE = Set.of("withCancel", "withTimeout", "withDeadline");

  /** Configuration calls that return their receiver ({@code TaskGroup.open(s).withLimit(4)}). */
  public static final Set<String> BUILDERS = Set.of("withLimit", "withExecutor", "withCapacity");

  /** Whether {@code type} is the runtime class {@code name} (by its qualified name). */
  public static boolean is(@Nullable Type type, String name) {
    return type != null && type.tsym != null && type.tsym.getQualifiedName().contentEquals(name);
  }

  /** Whether {@code type} is {@code CancelScope}. */
  public static boolean isCancelScope(@Nullable Type type) {
    return is(type, CANCEL_SCOPE);
  }

  /** The qualified name of the class that declares {@code method}, or "". */
  public static String owner(@Nullable Symbol method) {
    return method == null || method.owner == null ? "" : method.owner.getQualifiedName().toString();
  }

  /** The names of the calls {@link #createdBy} looks through or at. */
  private static final PerCompilation<Set<Name>> CREATING_NAMES =
      PerCompilation.names(
          ImmutableSet.<String>builder().addAll(BUILDERS).add("open").addAll(CHILD_SCOPE).build());

  /**
   * A cheap pre-filter for {@link #createdBy}: false when it is surely null, because {@code expr}
   * is no call of one of the names it looks at. It compares names of javac's table, so it costs no
   * {@code String} per call.
   */
  public static boolean mayBeCreatedBy(ExpressionTree expr, VisitorState state) {
    return ASTHelpers.stripParentheses(expr) instanceof MethodInvocationTree call
        && Trees.calledNameIn(call, CREATING_NAMES.get(state));
  }

  /**
   * The runtime class whose {@code open}, or {@code CancelScope}'s child-scope call, {@code expr}
   * is — looking through {@code withLimit}/{@code withExecutor}/{@code withCapacity} — or null when
   * {@code expr} creates nothing that must be closed.
   */
  public static @Nullable String createdBy(ExpressionTree expr) {
    ExpressionTree e = ASTHelpers.stripParentheses(expr);
    while (e instanceof MethodInvocationTree call) {
      String name = Trees.calledName(call);
      if (!BUILDERS.contains(name) && !name.equals("open") && !CHILD_SCOPE.contains(name)) {
        return null; // cheap: the name decides before the owner's name is looked up
      }
      Symbol method = ASTHelpers.getSymbol(call);
      String owner = owner(method);
      if (BUILDERS.contains(name) && GROUPS.contains(owner)) {
        ExpressionTree receiver = ASTHelpers.getReceiver(call);
        if (receiver == null) {
          return null;
        }
        e = ASTHelpers.stripParentheses(receiver);
        continue;
      }
      if (name.equals("open") && OPENED.contains(owner)) {
        // Ticker.open(parent, period, action) returns the CancelScope that runs the action.
        return owner.equals(TICKER) && call.getArguments().size() == 3 ? CANCEL_SCOPE : owner;
      }
      if (CHILD_SCOPE.contains(name) && owner.equals(CANCEL_SCOPE)) {
        return CANCEL_SCOPE;
      }
      return null;
    }
    return null;
  }

  private static final PerCompilation<Name> ROOT = PerCompilation.name("root");

  /** Whether {@code call} is {@code CancelScope.root()}. */
  public static boolean isRoot(MethodInvocationTree call, VisitorState state) {
    if (!call.getArguments().isEmpty() || Trees.calledMethodName(call) != ROOT.get(state)) {
      return false;
    }
    Symbol method = ASTHelpers.getSymbol(call);
    return method instanceof MethodSymbol
        && ASTHelpers.isStatic(method)
        && owner(method).equals(CANCEL_SCOPE);
  }

  /** The runtime's public classes whose methods use a scope argument without keeping it. */
  private static final Set<String> USES_SCOPE =
      Set.of(
          CANCEL_SCOPE,
          TASK_GROUP,
          RESULT_GROUP,
          WORKER_POOL,
          TICKER,
          STATE_OWNER,
          "dev.tether.Channel",
          "dev.tether.Channel.Sender",
          "dev.tether.Channel.Receiver");

  /**
   * Whether {@code call} is a method of one of the runtime's public classes ({@code
   * TaskGroup.open(scope)}, {@code ticker.tick(scope)}), which use a scope argument as a parent or
   * for one call and never take it over.
   */
  public static boolean isRuntimeCall(MethodInvocationTree call) {
    return USES_SCOPE.contains(owner(ASTHelpers.getSymbol(call)));
  }

  /**
   * The single {@code CancelScope} parameter of {@code lambda} (a task body {@code s -> …}, a
   * worker {@code (s, job) -> …}), or null.
   */
  public static @Nullable VariableTree scopeParameter(LambdaExpressionTree lambda) {
    VariableTree found = null;
    for (VariableTree parameter : lambda.getParameters()) {
      Symbol symbol = ASTHelpers.getSymbol(parameter);
      if (symbol != null && isCancelScope(symbol.type)) {
        if (found != null) {
          return null;
        }
        found = parameter;
      }
    }
    return found;
  }

  /**
   * Whether the runtime's {@code TaskGroup} is on the compile class path, whether or not the code
   * uses it yet (looked up once per compilation): what a migration to it needs.
   */
  public static boolean hasTaskGroup(VisitorState state) {
    return TASK_GROUP_ON_CLASS_PATH.get(state);
  }

  /** Whether the runtime is on the compile class path. */
  public static boolean onClassPath(VisitorState state) {
    return CANCEL_SCOPE_TYPE.get(state) != null;
  }
}
