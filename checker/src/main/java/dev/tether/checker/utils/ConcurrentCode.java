package dev.tether.checker.utils;

import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Answers "does this code run on another thread?": for a lambda, method reference or anonymous
 * class, whether it is handed to an executor, a thread, a timer, an async {@code CompletableFuture}
 * stage or a parallel stream; and for any node, the innermost such code around it.
 */
public final class ConcurrentCode {
  /** How a piece of code reaches another thread. */
  public enum Kind {
    /** Passed to {@code Executor.execute}, {@code ExecutorService.submit}, {@code schedule*}. */
    EXECUTOR,
    /** The body of a thread: {@code new Thread(r)}, a {@code Thread} builder, {@code run()}. */
    THREAD,
    /** Passed to {@code java.util.Timer.schedule*} (a {@code TimerTask}). */
    TIMER,
    /** Passed to {@code CompletableFuture.runAsync/supplyAsync} or a {@code *Async} stage. */
    ASYNC_STAGE,
    /** A functional argument of an operation on a parallel stream. */
    PARALLEL_STREAM,
  }

  /**
   * Code that runs on another thread.
   *
   * @param kind how it gets there
   * @param task the lambda, member reference, anonymous class ({@link NewClassTree}) or {@link
   *     MethodTree} ({@code run()} of a {@code Thread} subclass) that runs there
   * @param call the invocation or constructor call it is handed to; {@code null} for {@code run()}
   *     of a {@code Thread} subclass
   * @param executor the executor's expression for {@link Kind#EXECUTOR} and for async stages with
   *     an explicit executor argument; otherwise {@code null}
   */
  public record Handoff(
      Kind kind, Tree task, @Nullable ExpressionTree call, @Nullable ExpressionTree executor) {
    /**
     * Whether the code is the body of a thread that the code itself starts and so owns: a {@code
     * Runnable} passed directly to a {@code Thread} constructor or builder, or {@code run()} of a
     * {@code Thread} subclass (not a task run by an executor, which owns the thread instead).
     */
    public boolean ownsThread() {
      return kind == Kind.THREAD;
    }
  }

  private static final String EXECUTOR = "java.util.concurrent.Executor";

  private static final Supplier<Type> EXECUTOR_TYPE = Suppliers.typeFromString(EXECUTOR);

  private static final Matcher<ExpressionTree> TIMER_HANDOFF =
      instanceMethod()
          .onDescendantOf("java.util.Timer")
          .namedAnyOf("schedule", "scheduleAtFixedRate");

  private static final Matcher<ExpressionTree> ASYNC_FACTORY =
      staticMethod()
          .onClass("java.util.concurrent.CompletableFuture")
          .namedAnyOf("runAsync", "supplyAsync");

  private static final Matcher<ExpressionTree> ASYNC_STAGE =
      instanceMethod().onDescendantOf("java.util.concurrent.CompletionStage");

  private static final Matcher<ExpressionTree> BASE_STREAM_OP =
      instanceMethod().onDescendantOf("java.util.stream.BaseStream");

  private static final Matcher<ExpressionTree> COLLECTION_PARALLEL_STREAM =
      instanceMethod().onDescendantOf("java.util.Collection").named("parallelStream");

  private static final Matcher<ExpressionTree> STREAM_SUPPORT =
      staticMethod()
          .onClass("java.util.stream.StreamSupport")
          .namedAnyOf("stream", "intStream", "longStream", "doubleStream");

  private ConcurrentCode() {}

  /**
   * Returns how the code at {@code path} (a lambda, member reference or anonymous class) runs on
   * another thread, if it is an argument that hands it there.
   */
  public static Optional<Handoff> handoff(TreePath path, VisitorState state) {
    if (!isCodeLiteral(path.getLeaf())) {
      return Optional.empty();
    }
    return handoffOfArgument(path, state);
  }

  /**
   * Whether {@code tree} is code written in place to be run later: a lambda, a method reference or
   * an anonymous class.
   */
  public static boolean isCodeLiteral(Tree tree) {
    return tree instanceof LambdaExpressionTree
        || tree instanceof MemberReferenceTree
        || (tree instanceof NewClassTree newClass && newClass.getClassBody() != null);
  }

  /**
   * Returns how the value of the expression at {@code path} runs on another thread when it is an
   * argument of a call that hands a task there, whatever the expression is: a lambda, a variable,
   * or the result of a call that makes the task ({@code new Thread(worker())}, {@code
   * pool.submit(pump())}).
   */
  public static Optional<Handoff> handoffOfArgument(TreePath path, VisitorState state) {
    Tree task = path.getLeaf();
    TreePath parentPath = path.getParentPath();
    if (parentPath == null) {
      return Optional.empty();
    }
    Tree parent = parentPath.getLeaf();
    if (parent instanceof NewClassTree newThread && newThread.getArguments().contains(task)) {
      return LibraryModel.of(state).isThreadCreation(newThread, state)
          ? Optional.of(new Handoff(Kind.THREAD, task, newThread, null))
          : Optional.empty();
    }
    if (!(parent instanceof MethodInvocationTree call) || !call.getArguments().contains(task)) {
      return Optional.empty();
    }
    return handoffToCall(task, call, state);
  }

  private static Optional<Handoff> handoffToCall(
      Tree task, MethodInvocationTree call, VisitorState state) {
    if (LibraryModel.of(state).isExecutorMethod(call, state)) {
      return Optional.of(new Handoff(Kind.EXECUTOR, task, call, ASTHelpers.getReceiver(call)));
    }
    if (LibraryModel.of(state).isThreadCreation(call, state)) {
      return Optional.of(new Handoff(Kind.THREAD, task, call, null));
    }
    if (TIMER_HANDOFF.matches(call, state)) {
      return Optional.of(new Handoff(Kind.TIMER, task, call, null));
    }
    if (ASYNC_FACTORY.matches(call, state)
        || (ASYNC_STAGE.matches(call, state) && isAsyncStage(call))) {
      return Optional.of(new Handoff(Kind.ASYNC_STAGE, task, call, explicitExecutor(call, state)));
    }
    if (BASE_STREAM_OP.matches(call, state)
        && !ASTHelpers.getSymbol(call).getSimpleName().contentEquals("forEachOrdered")
        && isParallelStream(ASTHelpers.getReceiver(call), state)) {
      return Optional.of(new Handoff(Kind.PARALLEL_STREAM, task, call, null));
    }
    return Optional.empty();
  }

  /**
   * Returns the innermost code around {@code state.getPath()} that runs on another thread, if any.
   * Lambdas and classes that are not handed off are looked through (they run wherever the code that
   * holds them does); the walk stops at a method or initializer that is not itself such code.
   */
  public static Optional<Handoff> enclosing(VisitorState state) {
    return enclosing(state.getPath(), state);
  }

  /** As {@link #enclosing(VisitorState)}, from {@code path}. */
  public static Optional<Handoff> enclosing(TreePath path, VisitorState state) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree || leaf instanceof MemberReferenceTree) {
        Optional<Handoff> handoff = handoff(p, state);
        if (handoff.isPresent()) {
          return handoff;
        }
      } else if (leaf instanceof MethodTree method) {
        Optional<Handoff> handoff = methodHandoff(method, p, state);
        if (handoff.isPresent() || !Symbols.isInAnonymousClass(p)) {
          return handoff;
        }
      } else if (leaf instanceof ClassTree cls && !Symbols.isAnonymous(cls)) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code method} runs as a task on another thread: {@code run()} of a {@code Thread}
   * subclass, or a method of an anonymous class that is handed to another thread.
   */
  private static Optional<Handoff> methodHandoff(
      MethodTree method, TreePath path, VisitorState state) {
    MethodSymbol sym = ASTHelpers.getSymbol(method);
    if (isThreadRun(sym, state)) {
      return Optional.of(new Handoff(Kind.THREAD, method, null, null));
    }
    TreePath classPath = path.getParentPath();
    if (classPath == null
        || !(classPath.getParentPath() != null
            && classPath.getParentPath().getLeaf() instanceof NewClassTree)) {
      return Optional.empty();
    }
    if (!isTaskEntryPoint(sym)) {
      return Optional.empty();
    }
    return handoff(classPath.getParentPath(), state);
  }

  /** Whether {@code sym} is {@code run()} of a subclass of {@link Thread}. */
  public static boolean isThreadRun(MethodSymbol sym, VisitorState state) {
    return sym.getSimpleName().contentEquals("run")
        && sym.getParameters().isEmpty()
        && !sym.isStatic()
        && ASTHelpers.isSubtype(sym.owner.type, KnownTypes.THREAD.get(state), state);
  }

  /** Whether {@code sym} is a method that an executor calls on a task object. */
  private static boolean isTaskEntryPoint(MethodSymbol sym) {
    String name = sym.getSimpleName().toString();
    return switch (name) {
      case "run", "call" -> sym.getParameters().isEmpty(); // Runnable, Callable, TimerTask
      case "get", "accept", "apply", "test" -> true; // functional interfaces of async stages
      default -> false;
    };
  }

  private static boolean isAsyncStage(MethodInvocationTree call) {
    MethodSymbol sym = ASTHelpers.getSymbol(call);
    return sym.getSimpleName().toString().endsWith("Async");
  }

  private static @Nullable ExpressionTree explicitExecutor(
      MethodInvocationTree call, VisitorState state) {
    for (ExpressionTree arg : call.getArguments()) {
      if (ASTHelpers.isSubtype(ASTHelpers.getType(arg), EXECUTOR_TYPE.get(state), state)) {
        return arg;
      }
    }
    return null;
  }

  /**
   * Whether {@code stream} is known to be parallel: it comes from {@code parallelStream()}, {@code
   * parallel()} or {@code StreamSupport.stream(…, true)} through intermediate operations, and no
   * {@code sequential()} comes after.
   */
  public static boolean isParallelStream(@Nullable ExpressionTree stream, VisitorState state) {
    for (ExpressionTree e = stream; e instanceof MethodInvocationTree call; ) {
      String name = ASTHelpers.getSymbol(call).getSimpleName().toString();
      if (COLLECTION_PARALLEL_STREAM.matches(call, state)) {
        return true;
      }
      if (STREAM_SUPPORT.matches(call, state)) {
        ExpressionTree last = call.getArguments().get(call.getArguments().size() - 1);
        return last instanceof LiteralTree literal && Boolean.TRUE.equals(literal.getValue());
      }
      if (!BASE_STREAM_OP.matches(call, state)) {
        return false;
      }
      if (name.equals("parallel")) {
        return true;
      }
      if (name.equals("sequential")) {
        return false;
      }
      e = call.getMethodSelect() instanceof MemberSelectTree select ? select.getExpression() : null;
    }
    return false;
  }

  private static final Supplier<Type> RUNNABLE_TYPE =
      Suppliers.typeFromString("java.lang.Runnable");

  /**
   * Whether {@code sym} is {@code run()} of a class that implements {@link Runnable} (a {@code
   * Thread} or {@code TimerTask} subclass included): code written to run as a task on another
   * thread, even when the hand-off is not in sight.
   */
  public static boolean isRunnableRun(@Nullable MethodSymbol sym, VisitorState state) {
    return sym != null
        && sym.getSimpleName().contentEquals("run")
        && sym.getParameters().isEmpty()
        && !sym.isStatic()
        && sym.owner != null
        && ASTHelpers.isSubtype(sym.owner.type, RUNNABLE_TYPE.get(state), state);
  }
}
