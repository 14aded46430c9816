package dev.tether.checker.utils;

import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.constructor;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Answers "what is this executor?": whether an expression creates a thread pool, scheduler,
 * fork-join pool or timer, where the executor that a variable names was created, and how many
 * threads it may run.
 */
public final class ExecutorFacts {
  /** How many threads an executor may run at once. */
  public enum Bound {
    /** Exactly one thread: tasks run one after another. */
    SINGLE,
    /** A fixed number of threads greater than one (or a parallelism). */
    FIXED,
    /** No practical limit: a new thread per task when all are busy. */
    UNBOUNDED,
    /** Not known from the creation site. */
    UNKNOWN,
  }

  private static final Matcher<ExpressionTree> EXECUTORS_FACTORY =
      staticMethod()
          .onClass("java.util.concurrent.Executors")
          .namedAnyOf(
              "newCachedThreadPool",
              "newFixedThreadPool",
              "newScheduledThreadPool",
              "newSingleThreadExecutor",
              "newSingleThreadScheduledExecutor",
              "newWorkStealingPool",
              "newThreadPerTaskExecutor",
              "newVirtualThreadPerTaskExecutor");

  private static final Matcher<ExpressionTree> POOL_CONSTRUCTOR =
      anyOf(
          constructor().forClass("java.util.concurrent.ThreadPoolExecutor"),
          constructor().forClass("java.util.concurrent.ScheduledThreadPoolExecutor"),
          constructor().forClass("java.util.concurrent.ForkJoinPool"));

  private static final Matcher<ExpressionTree> TIMER_CONSTRUCTOR =
      anyOf(
          constructor().forClass("java.util.Timer"),
          constructor().forClass("io.netty.util.HashedWheelTimer"));

  private static final Supplier<Type> THREAD_POOL_EXECUTOR =
      Suppliers.typeFromString("java.util.concurrent.ThreadPoolExecutor");

  private static final Supplier<Type> FORK_JOIN_POOL =
      Suppliers.typeFromString("java.util.concurrent.ForkJoinPool");
  private static final Supplier<Type> SCHEDULED_POOL =
      Suppliers.typeFromString("java.util.concurrent.ScheduledThreadPoolExecutor");
  private static final Supplier<Type> TIMER = Suppliers.typeFromString("java.util.Timer");

  /** A call creates an executor only as a factory named {@code new…}. */
  private static final PerCompilation<Name> NEW = PerCompilation.name("new");

  /**
   * The simple names of the classes that {@link #createsExecutor} and {@link #createsTimer} accept
   * a construction of, or of a subclass of: one of them is in the superclass chain of every class
   * they accept.
   */
  private static final PerCompilation<Set<Name>> CREATED_CLASSES =
      PerCompilation.names(
          "Timer",
          "HashedWheelTimer",
          "ThreadPoolExecutor",
          "ScheduledThreadPoolExecutor",
          "ForkJoinPool");

  private ExecutorFacts() {}

  /**
   * A cheap pre-filter for {@link #createsExecutor} and {@link #createsTimer}: false when {@code
   * tree} surely creates neither, because it is a call whose name does not start with {@code new},
   * or a {@code new} of a class none of whose superclasses (itself included) bears the simple name
   * of an executor or timer class. It compares names of javac's table and walks declared
   * superclasses, so a check can run it on every call or {@code new} before a type-based matcher.
   * (A {@code super(…)} or {@code this(…)} call in a pool's subclass yields no executor: rejected.)
   */
  public static boolean mayCreate(ExpressionTree tree, VisitorState state) {
    if (tree instanceof MethodInvocationTree call) {
      return Trees.calledNameStartsWith(call, NEW.get(state));
    }
    if (!(tree instanceof NewClassTree)) {
      return false;
    }
    return Symbols.extendsClassNamed(ASTHelpers.getType(tree), CREATED_CLASSES.get(state));
  }

  /**
   * Whether {@code tree} creates a new executor service: an {@code Executors.new…} factory, or a
   * {@code ThreadPoolExecutor}, {@code ScheduledThreadPoolExecutor} or {@code ForkJoinPool}
   * constructor (subclasses included, anonymous ones too).
   */
  public static boolean createsExecutor(ExpressionTree tree, VisitorState state) {
    return EXECUTORS_FACTORY.matches(tree, state) || createsPool(tree, state);
  }

  /** Whether {@code tree} creates a timer thread: {@code new java.util.Timer(…)}, Netty's wheel. */
  public static boolean createsTimer(ExpressionTree tree, VisitorState state) {
    return TIMER_CONSTRUCTOR.matches(tree, state) || constructsSubclassOf(tree, TIMER, state);
  }

  private static boolean createsPool(ExpressionTree tree, VisitorState state) {
    return POOL_CONSTRUCTOR.matches(tree, state)
        || constructsSubclassOf(tree, THREAD_POOL_EXECUTOR, state)
        || constructsSubclassOf(tree, FORK_JOIN_POOL, state);
  }

  private static boolean constructsSubclassOf(
      ExpressionTree tree, Supplier<Type> type, VisitorState state) {
    return tree instanceof NewClassTree
        && ASTHelpers.isSubtype(ASTHelpers.getType(tree), type.get(state), state);
  }

  /**
   * Returns the expression that created the executor {@code expr} refers to: {@code expr} itself
   * when it creates one, or the initializer of the local variable or {@code final} field it names,
   * when that variable is never reassigned in the enclosing class.
   */
  public static Optional<ExpressionTree> creation(
      @Nullable ExpressionTree expr, VisitorState state) {
    if (expr == null) {
      return Optional.empty();
    }
    expr = ASTHelpers.stripParentheses(expr);
    if (createsExecutor(expr, state) || createsTimer(expr, state)) {
      return Optional.of(expr);
    }
    if (!(expr instanceof IdentifierTree || expr instanceof MemberSelectTree)) {
      return Optional.empty();
    }
    if (!(ASTHelpers.getSymbol(expr) instanceof VarSymbol var)) {
      return Optional.empty();
    }
    boolean isField = var.getKind() == ElementKind.FIELD;
    if (!isField && var.getKind() != ElementKind.LOCAL_VARIABLE) {
      return Optional.empty();
    }
    if (isField && (var.flags() & Flags.FINAL) == 0) {
      return Optional.empty();
    }
    if (!isField && !isEffectivelyFinal(var)) {
      return Optional.empty();
    }
    VariableTree decl = Declarations.of(var, state.getPath());
    if (decl == null || decl.getInitializer() == null) {
      return Optional.empty();
    }
    ExpressionTree init = ASTHelpers.stripParentheses(decl.getInitializer());
    return createsExecutor(init, state) || createsTimer(init, state)
        ? Optional.of(init)
        : Optional.empty();
  }

  private static boolean isEffectivelyFinal(VarSymbol var) {
    return ASTHelpers.isConsideredFinal(var);
  }

  /** How many threads the executor created by {@code creation} may run at once. */
  public static Bound bound(ExpressionTree creation, VisitorState state) {
    OptionalInt threads = threads(creation, state);
    if (threads.isPresent()) {
      return threads.getAsInt() == 1 ? Bound.SINGLE : Bound.FIXED;
    }
    Symbol sym = ASTHelpers.getSymbol(creation);
    String name = sym == null ? "" : sym.getSimpleName().toString();
    if (EXECUTORS_FACTORY.matches(creation, state)) {
      return switch (name) {
        case "newCachedThreadPool", "newThreadPerTaskExecutor", "newVirtualThreadPerTaskExecutor" ->
            Bound.UNBOUNDED;
        case "newFixedThreadPool", "newScheduledThreadPool", "newWorkStealingPool" -> Bound.FIXED;
        default -> Bound.UNKNOWN;
      };
    }
    if (creation instanceof NewClassTree newClass
        && createsPool(creation, state)
        && isThreadPoolExecutor(newClass, state)
        && !isScheduledPool(newClass, state)
        && newClass.getArguments().size() >= 2
        && isMaxInt(newClass.getArguments().get(1))) {
      return Bound.UNBOUNDED;
    }
    return Bound.UNKNOWN;
  }

  /**
   * The exact number of threads the executor created by {@code creation} runs, when the creation
   * site says so with a constant: {@code newSingleThread…} is 1, {@code newFixedThreadPool(n)} is
   * n, {@code new ThreadPoolExecutor(n, n, …)} is n.
   */
  public static OptionalInt threads(ExpressionTree creation, VisitorState state) {
    if (EXECUTORS_FACTORY.matches(creation, state)) {
      String name = ASTHelpers.getSymbol(creation).getSimpleName().toString();
      if (name.startsWith("newSingleThread")) {
        return OptionalInt.of(1);
      }
      List<? extends ExpressionTree> args = ((MethodInvocationTree) creation).getArguments();
      if ((name.equals("newFixedThreadPool") || name.equals("newScheduledThreadPool"))
          && !args.isEmpty()) {
        return constantInt(args.get(0));
      }
      return OptionalInt.empty();
    }
    if (creation instanceof NewClassTree newClass && isScheduledPool(newClass, state)) {
      // A scheduled pool runs exactly its core threads: its maximum pool size has no effect.
      List<? extends ExpressionTree> args = newClass.getArguments();
      return args.isEmpty() ? OptionalInt.empty() : constantInt(args.get(0));
    }
    if (creation instanceof NewClassTree newClass && isThreadPoolExecutor(newClass, state)) {
      List<? extends ExpressionTree> args = newClass.getArguments();
      if (args.size() >= 2) {
        OptionalInt core = constantInt(args.get(0));
        OptionalInt max = constantInt(args.get(1));
        if (core.isPresent() && max.isPresent() && core.getAsInt() == max.getAsInt()) {
          return core;
        }
      }
    }
    return OptionalInt.empty();
  }

  private static boolean isThreadPoolExecutor(NewClassTree newClass, VisitorState state) {
    return ASTHelpers.isSubtype(
        ASTHelpers.getType(newClass), THREAD_POOL_EXECUTOR.get(state), state);
  }

  private static boolean isScheduledPool(NewClassTree newClass, VisitorState state) {
    return ASTHelpers.isSubtype(ASTHelpers.getType(newClass), SCHEDULED_POOL.get(state), state);
  }

  private static OptionalInt constantInt(ExpressionTree tree) {
    Object value = ASTHelpers.constValue(tree);
    return value instanceof Integer i ? OptionalInt.of(i) : OptionalInt.empty();
  }

  private static boolean isMaxInt(ExpressionTree tree) {
    Object value = ASTHelpers.constValue(tree);
    return (value instanceof Integer i && i == Integer.MAX_VALUE)
        || (tree instanceof LiteralTree literal
            && Integer.valueOf(Integer.MAX_VALUE).equals(literal.getValue()));
  }
}
