package dev.tether.checker.utils;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EmptyStatementTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.ConcurrentCode.Handoff;
import dev.tether.checker.utils.ConcurrentCode.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * Answers "who owns the thread that runs this code?" (Java Concurrency in Practice §7.1.3: only the
 * code that owns a thread implements its interruption policy, and may swallow an interruption or
 * loop on its own flag).
 *
 * <p>The owner's code is: {@code run()} of a {@code Thread} subclass; a lambda, method reference or
 * anonymous class handed to a {@code Thread} constructor, a {@code Thread.Builder}, a {@code
 * ThreadFactory} or a call that returns a {@code Thread}; a lambda or method reference given to a
 * thread-runner class of the compilation that the class keeps and stops ({@code new Runner(factory,
 * name, this::process)}); {@code run()} of a named {@code Runnable} class that is not handed to an
 * executor (neither {@code this} nor a {@code new} instance in the file, or in another file of its
 * package); a pool's own worker code (a method of an {@code Executor} implementation other than its
 * API and lifecycle methods, and the wrapper its {@code execute(Runnable)} builds around the task);
 * the task of a class-private executor that the class creates, gives that one task, and shuts down
 * (also handed over by a method that makes a runner of it, when the class keeps and stops the
 * runner), and the tasks of an executor that only its class can reach (made and shut down by the
 * class, never given out); a program's entry point ({@code public static void main(String[])},
 * which owns the main thread; {@link Runner#MAIN_THREAD}); private methods (or the lambda a private
 * factory method returns) reached only from such code, transitively within the top-level class; and
 * methods that are not public API whose every use in the files of the compilation that can see them
 * is such code ({@link SameCompilation}). Everything else — public API, methods with no use in
 * sight, constructors, callbacks, {@code shutdown}/{@code close}/{@code join}/{@code stop}-style
 * methods called by others — may run on a caller's thread.
 *
 * <p>Cheap by construction: a question costs a walk up the path; only when the answer depends on
 * how a method is used does it scan the top-level class (a private method) or, once per method, the
 * files of its package (a package-private or protected one), within one question. Ask it only once
 * a check has a candidate.
 */
public final class ThreadOwnership {
  /** What runs a piece of code, as far as its interruption policy goes. */
  public enum Runner {
    /** A thread's own body, and private code reached only from it. */
    OWN_THREAD,
    /** A pool's own worker code: a non-API, non-lifecycle method of an {@code Executor}. */
    POOL_WORKER,
    /**
     * The one task of a class-private executor that the class creates and shuts down, a task of an
     * executor that only its class can reach, or a task that only class-private executors nothing
     * can interrupt run.
     */
    PRIVATE_EXECUTOR_TASK,
    /** A task on a thread that someone else owns: executor, timer, async stage, parallel stream. */
    TASK,
    /**
     * A program's main thread: the body of its entry point ({@code public static void
     * main(String[])}, not a lambda or class inside it), and code that is not public API reached
     * only from there. {@code main} implements the interruption policy of the thread the JVM starts
     * it on; nobody else holds that thread. Not a task body: a loop there is the program's own.
     */
    MAIN_THREAD,
    /** Code that may run on a caller's thread. */
    CALLER;

    /** Whether the code implements the interruption policy of the thread that runs it. */
    public boolean ownsThread() {
      return this == OWN_THREAD
          || this == POOL_WORKER
          || this == PRIVATE_EXECUTOR_TASK
          || this == MAIN_THREAD;
    }

    /**
     * Whether the code is a thread's or a task's body (or private code reached only from one):
     * {@link #OWN_THREAD}, {@link #PRIVATE_EXECUTOR_TASK} or {@link #TASK}; not a pool's worker
     * methods, which run on the pool's threads but whose loops the pool itself stops.
     */
    public boolean isTaskBody() {
      return this == OWN_THREAD || this == PRIVATE_EXECUTOR_TASK || this == TASK;
    }
  }

  private static final Supplier<Type> RUNNABLE = Suppliers.typeFromString("java.lang.Runnable");
  private static final Supplier<Type> FUTURE =
      Suppliers.typeFromString("java.util.concurrent.Future");
  private static final Supplier<Type> COMPLETION_STAGE =
      Suppliers.typeFromString("java.util.concurrent.CompletionStage");
  private static final Supplier<Type> COUNT_DOWN_LATCH =
      Suppliers.typeFromString("java.util.concurrent.CountDownLatch");
  private static final Supplier<Type> AUTO_CLOSEABLE =
      Suppliers.typeFromString("java.lang.AutoCloseable");
  private static final Supplier<Type> IO_EXCEPTION =
      Suppliers.typeFromString("java.io.IOException");

  /** What a thread calls to deliver its result and end: complete a promise, count down a latch. */
  private static final ImmutableSet<String> COMPLETES =
      ImmutableSet.of(
          "complete",
          "completeExceptionally",
          "tryComplete",
          "fail",
          "tryFail",
          "setSuccess",
          "setFailure",
          "trySuccess",
          "tryFailure",
          "set",
          "setException",
          "countDown");

  private static final Supplier<Type> EXECUTOR =
      Suppliers.typeFromString("java.util.concurrent.Executor");

  /** Methods of {@code Executor}/{@code ExecutorService} that callers call. */
  private static final Set<String> EXECUTOR_API =
      Set.of(
          "execute",
          "submit",
          "invokeAll",
          "invokeAny",
          "schedule",
          "scheduleAtFixedRate",
          "scheduleWithFixedDelay",
          "isShutdown",
          "isTerminated");

  /** Names of methods that a caller (or a framework's shutdown thread) calls to stop something. */
  private static final Pattern LIFECYCLE =
      Pattern.compile(
          "^(shutdown|close|join|stop|halt|await|terminat|destroy|dispose|cancel|interrupt"
              + "|release|quit|kill|exit|prepare|before|after|on[A-Z]).*");

  /** Calls that hand a task to an executor: counted per class-private executor field. */
  private static final Set<String> SUBMITS =
      ImmutableSet.<String>builder()
          .addAll(LibraryModel.EXECUTOR_HAND_OFF_NAMES)
          .add("invokeAll", "invokeAny")
          .build();

  private static final Set<String> SHUTS_DOWN = Set.of("shutdown", "shutdownNow", "close");

  /**
   * Names of helpers that shut down the executor given them: {@code
   * ThreadPoolUtils.shutdown(pool)}.
   */
  private static final Pattern SHUT_DOWN_HELPER = Pattern.compile("^(shutdown|close).*");

  /** Calls on an executor that interrupt its tasks, or return a future that can. */
  private static final Set<String> INTERRUPTING_CALLS =
      Set.of("shutdownNow", "close", "submit", "invokeAll", "invokeAny");

  private static final PerCompilation<Set<Name>> SUBMIT_NAMES = PerCompilation.names(SUBMITS);
  private static final PerCompilation<Set<Name>> SHUT_DOWN_NAMES = PerCompilation.names(SHUTS_DOWN);

  /**
   * The facts of each top-level class read so far in this compilation (one compilation runs on one
   * thread). A class's facts are used only while its file is readable ({@link
   * SameCompilation#pathOf}), so that a file lowered since it was read is not consulted.
   */
  private static final PerCompilation<Map<ClassSymbol, ClassFacts>> FACTS =
      PerCompilation.of(state -> new HashMap<>());

  /** Calls on a local executor that neither hand it a task nor let it escape. */
  private static final Set<String> LOCAL_EXECUTOR_QUERIES =
      Set.of("awaitTermination", "isShutdown", "isTerminated");

  /** Words in the name of a query that asks whether the work should stop. */
  private static final Pattern STOP_WORD =
      Pattern.compile(
          "running|stop|shut|clos|cancel|done|alive|active|terminat|quit|exit|halt|finish|open");

  /**
   * Names of calls that stop, end or wait for a {@code Runnable} kept in a field (or the thread
   * that runs it): {@code acceptor.stop()}, {@code poller.destroy()}, {@code stopAll(worker)}.
   */
  private static final Pattern STOPS =
      Pattern.compile(
          "^(stop|shutdown|close|cancel|interrupt|halt|destroy|dispose|terminat|quit|kill|join"
              + "|await|finish).*");

  /**
   * Names of calls that tell waiters something has happened ({@link ThreadBody#signalsItsEnd}):
   * latches, monitors, futures, phasers, conditions and semaphores.
   */
  private static final Pattern SIGNALS =
      Pattern.compile("^(countDown|notify|notifyAll|complete|arrive\\w*|signal\\w*|release)$");

  /** Names of calls that wait for such a signal ({@link ThreadBody#signalsItsEnd}). */
  private static final Set<String> AWAITS =
      Set.of("await", "wait", "get", "join", "acquire", "awaitAdvance", "awaitUninterruptibly");

  /**
   * Names of calls that end a life cycle ({@link ThreadBody#onlyEndsALifeCycle}): a server's or a
   * service's stop, the process's exit. Not {@code close}: closing one resource on a thread of its
   * own is a task like any other (it may block, and fail), not the end of its owner.
   */
  private static final Pattern ENDS_LIFE_CYCLE =
      Pattern.compile("^(stop|shutdown|halt|exit|destroy|dispose|terminat|quit|kill).*");

  private ThreadOwnership() {}

  /** What runs the code at {@code path}. */
  public static Runner of(TreePath path, VisitorState state) {
    return new Query(path, state).runner(path);
  }

  /** Whether the code at {@code path} implements the interruption policy of its own thread. */
  public static boolean isOwnerCode(TreePath path, VisitorState state) {
    return of(path, state).ownsThread();
  }

  /** One question: its lazily built facts about the top-level class. */
  private static final class Query {
    private final VisitorState state;
    private final @Nullable TreePath topClass;
    private final Set<MethodSymbol> visiting = new HashSet<>();
    private final Map<MethodSymbol, Runner> methods = new HashMap<>();
    private final Map<ClassSymbol, ClassFacts> facts = new HashMap<>();

    Query(TreePath path, VisitorState state) {
      this.state = state;
      this.topClass = Trees.topLevelClass(path);
    }

    /**
     * The facts of the top-level class around {@code sym}: the class asked about, or another class
     * of this compilation when its file can be read ({@link SameCompilation#pathOf}); none else.
     */
    ClassFacts factsFor(Symbol sym) {
      ClassSymbol outermost = ASTHelpers.outermostClass(sym);
      ClassFacts known = facts.get(outermost);
      if (known == null) {
        TreePath path = classPath(outermost);
        if (path == null) {
          known = new ClassFacts(state); // unreadable: no facts
        } else {
          known = readFacts(outermost, path, state);
        }
        facts.put(outermost, known);
      }
      return known;
    }

    /**
     * The path of the top-level class {@code outermost}: the class asked about, or another class of
     * this compilation when its file can be read ({@link SameCompilation#pathOf}); else {@code
     * null}.
     */
    private @Nullable TreePath classPath(ClassSymbol outermost) {
      return topClass != null && outermost.equals(ASTHelpers.getSymbol(topClass.getLeaf()))
          ? topClass
          : SameCompilation.pathOf(outermost, state);
    }

    Runner runner(TreePath path) {
      if (wrapsExecutedTask(path)) {
        return Runner.POOL_WORKER;
      }
      Optional<Handoff> handoff = ConcurrentCode.enclosing(path, state);
      if (handoff.isPresent()) {
        return fromHandoff(handoff.get(), path);
      }
      Tree child = null;
      boolean nested = false; // in a lambda or anonymous class that runs wherever it is called
      for (TreePath p = path; p != null; child = p.getLeaf(), p = p.getParentPath()) {
        Tree leaf = p.getLeaf();
        if (leaf instanceof LambdaExpressionTree) {
          nested = true;
          Runner made = madeTask(p);
          if (made == null) {
            made = keptRunnerTask(p);
          }
          if (made == null) {
            made = threadRunnerTask(p);
          }
          if (made != null) {
            return made;
          }
        } else if (leaf instanceof NewClassTree newClass
            && newClass.getClassBody() != null
            && newClass.getClassBody() == child) {
          Runner made = keptRunnerTask(p);
          if (made != null) {
            return made;
          }
          nested = true;
        } else if (leaf instanceof MethodTree method) {
          MethodSymbol sym = ASTHelpers.getSymbol(method);
          if (Symbols.isInAnonymousClass(p)) {
            if (ConcurrentCode.isRunnableRun(sym, state)) {
              return Runner.OWN_THREAD; // a Runnable not handed off in sight, as a named one
            }
            continue; // not handed off: runs wherever the code that holds it does
          }
          if (isProgramMain(sym)) {
            return nested ? Runner.CALLER : Runner.MAIN_THREAD;
          }
          return sym == null ? Runner.CALLER : method(sym);
        } else if (leaf instanceof ClassTree cls && !Symbols.isAnonymous(cls)) {
          return Runner.CALLER; // a field initializer or an initializer block
        }
      }
      return Runner.CALLER;
    }

    /**
     * Whether the task around {@code path} is a pool's own wrapper around the task that its {@code
     * execute(Runnable)} was given: a lambda written in {@code execute} of an {@code Executor}
     * implementation that runs the method's parameter (take a permit, run the task, release it).
     * The wrapper is the pool's worker code, whichever executor it is handed to.
     */
    private boolean wrapsExecutedTask(TreePath path) {
      LambdaExpressionTree lambda = null;
      for (TreePath p = path; p != null; p = p.getParentPath()) {
        Tree leaf = p.getLeaf();
        if (leaf instanceof LambdaExpressionTree l) {
          lambda = lambda == null ? l : lambda;
        } else if (leaf instanceof ClassTree) {
          return false;
        } else if (leaf instanceof MethodTree method) {
          MethodSymbol sym = ASTHelpers.getSymbol(method);
          return lambda != null
              && sym != null
              && sym.getSimpleName().contentEquals("execute")
              && sym.getParameters().size() == 1
              && isSubtype(sym.owner.type, EXECUTOR.get(state), state)
              && runs(lambda.getBody(), sym.getParameters().get(0));
        }
      }
      return false;
    }

    /** Whether {@code body} calls {@code task.run()}. */
    private static boolean runs(Tree body, VarSymbol task) {
      return Trees.containsCall(
          body,
          call ->
              call.getArguments().isEmpty()
                  && Trees.calledName(call).equals("run")
                  && task.equals(SameVariable.variable(ASTHelpers.getReceiver(call))));
    }

    /**
     * What runs the code handed off by {@code handoff}; {@code inside} is a path in or at the task
     * (the code asked about), from which an executor that is a local variable of the code around
     * the hand-off is found.
     */
    private Runner fromHandoff(Handoff handoff, TreePath inside) {
      return switch (handoff.kind()) {
        case THREAD -> Runner.OWN_THREAD;
        case EXECUTOR ->
            isPrivateExecutorTask(handoff, inside) ? Runner.PRIVATE_EXECUTOR_TASK : Runner.TASK;
        default -> Runner.TASK;
      };
    }

    /**
     * What runs a lambda that is not handed off directly: one passed to a call that returns a
     * {@code Thread} (a helper that makes the thread), or one returned by a factory method whose
     * results are handed off; {@code null} when neither (the lambda is then looked through).
     */
    private @Nullable Runner madeTask(TreePath lambda) {
      TreePath parent = lambda.getParentPath();
      if (parent == null) {
        return null;
      }
      Tree call = parent.getLeaf();
      if (((call instanceof MethodInvocationTree invocation
                  && invocation.getArguments().contains(lambda.getLeaf()))
              || (call instanceof NewClassTree newClass
                  && newClass.getArguments().contains(lambda.getLeaf())))
          && isThread(ASTHelpers.getType(call))) {
        return Runner.OWN_THREAD;
      }
      if (call instanceof ReturnTree) {
        for (TreePath p = parent; p != null; p = p.getParentPath()) {
          if (p.getLeaf() instanceof LambdaExpressionTree || p.getLeaf() instanceof ClassTree) {
            return null;
          }
          if (p.getLeaf() instanceof MethodTree method) {
            MethodSymbol sym = ASTHelpers.getSymbol(method);
            return sym == null ? null : factory(sym);
          }
        }
      }
      return null;
    }

    /**
     * {@link Runner#PRIVATE_EXECUTOR_TASK} when the code literal at {@code literal} (a lambda or an
     * anonymous class) is handed to a method of a class-private executor that makes a runner of it,
     * and the class keeps and stops that runner: {@code reconnectTask =
     * taskRunners.createTaskRunner(new Task() { … })}, where {@code taskRunners} is a private field
     * that only ever holds a {@code new} executor (an {@code Executor} the class constructs), is
     * given no other task and is shut down in the class, and {@code reconnectTask} is a private
     * field on which the class calls a method that stops it ({@link #STOPS}). The class then owns
     * both the executor and the runner of this one task: the runner's thread is the class's own
     * thread in all but name. {@code null} otherwise.
     */
    private @Nullable Runner keptRunnerTask(TreePath literal) {
      TreePath parent = literal.getParentPath();
      if (parent == null
          || !(parent.getLeaf() instanceof MethodInvocationTree call)
          || !call.getArguments().contains(literal.getLeaf())) {
        return null;
      }
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      if (receiver == null
          || !(receiver instanceof IdentifierTree || receiver instanceof MemberSelectTree)
          || !(ASTHelpers.getSymbol(receiver) instanceof VarSymbol executor)
          || executor.getKind() != ElementKind.FIELD
          || !executor.getModifiers().contains(Modifier.PRIVATE)
          || !isSubtype(executor.type, EXECUTOR.get(state), state)) {
        return null;
      }
      VarSymbol runner = keptIn(parent);
      if (runner == null) {
        return null;
      }
      TreePath cls = classPath(ASTHelpers.outermostClass(executor));
      if (cls == null || !(cls.getLeaf() instanceof ClassTree top)) {
        return null;
      }
      ClassFacts facts = factsFor(executor);
      return holdsOnlyConstructedExecutors(executor, top)
              && facts.shutDown.contains(executor)
              && facts.submits.getOrDefault(executor, List.of()).stream()
                  .allMatch(use -> isWithin(use, literal.getLeaf()))
              && isStopped(runner, top)
          ? Runner.PRIVATE_EXECUTOR_TASK
          : null;
    }

    /**
     * {@link Runner#OWN_THREAD} when the lambda or method reference at {@code literal} is given to
     * the constructor of a thread-runner class of this compilation, and the runner is kept in a
     * field of this top-level class that the class stops ({@link #isStopped}: {@code
     * runner.stop()}): JGroups' {@code new Runner(factory, "runner", this::processDownMessage,
     * null)}. A thread-runner class implements {@code Runnable}, starts a thread that runs itself
     * ({@code new Thread(this, …)}, {@code factory.newThread(this, …)}), keeps the constructor's
     * parameter in a field (directly or through {@code this(…)}), and calls it in a loop of its
     * {@code run()}: the function is the loop of a thread that the runner owns and its owner stops.
     * A runner kept nowhere or never stopped, or a class that runs the function on an executor or
     * only once, does not count.
     */
    private @Nullable Runner threadRunnerTask(TreePath literal) {
      TreePath parent = literal.getParentPath();
      if (parent == null
          || !(parent.getLeaf() instanceof NewClassTree creation)
          || creation.getClassBody() != null) {
        return null;
      }
      MethodSymbol constructor = ASTHelpers.getSymbol(creation);
      if (constructor == null
          || !(constructor.owner instanceof ClassSymbol runnerClass)
          || !isSubtype(runnerClass.type, RUNNABLE.get(state), state)) {
        return null;
      }
      int position = creation.getArguments().indexOf(literal.getLeaf());
      VarSymbol kept = keptInField(parent);
      TreePath top = topClass;
      if (position < 0 || kept == null || top == null || !isStopped(kept, top.getLeaf())) {
        return null;
      }
      TreePath runnerPath = SameCompilation.pathOfClass(runnerClass, state);
      if (runnerPath == null || !(runnerPath.getLeaf() instanceof ClassTree runnerTree)) {
        return null;
      }
      VarSymbol function = fieldOfParameter(runnerTree, constructor, position, 0);
      return function != null
              && startsThreadOfItself(runnerTree)
              && runCallsInALoop(runnerTree, function)
          ? Runner.OWN_THREAD
          : null;
    }

    /** The field of this top-level class that the value at {@code value} is stored in, if any. */
    private @Nullable VarSymbol keptInField(TreePath value) {
      VarSymbol field = storedIn(value);
      return field != null
              && topClass != null
              && ASTHelpers.outermostClass(field).equals(ASTHelpers.getSymbol(topClass.getLeaf()))
          ? field
          : null;
    }

    /**
     * The field of {@code cls} that {@code constructor} stores its parameter at {@code position} in
     * ({@code this.function = function;}), following {@code this(…)} up to two times.
     */
    private @Nullable VarSymbol fieldOfParameter(
        ClassTree cls, MethodSymbol constructor, int position, int depth) {
      if (depth > 2 || position >= constructor.getParameters().size()) {
        return null;
      }
      VarSymbol parameter = constructor.getParameters().get(position);
      for (Tree member : cls.getMembers()) {
        if (!(member instanceof MethodTree method)
            || !constructor.equals(ASTHelpers.getSymbol(method))
            || method.getBody() == null) {
          continue;
        }
        for (StatementTree statement : method.getBody().getStatements()) {
          if (!(statement instanceof ExpressionStatementTree expression)) {
            continue;
          }
          if (expression.getExpression() instanceof AssignmentTree assignment
              && parameter.equals(ASTHelpers.getSymbol(assignment.getExpression()))
              && ASTHelpers.getSymbol(assignment.getVariable()) instanceof VarSymbol field
              && field.getKind() == ElementKind.FIELD) {
            return field;
          }
          MethodSymbol other =
              expression.getExpression() instanceof MethodInvocationTree call
                      && Trees.calledName(call).equals("this")
                  ? ASTHelpers.getSymbol(call)
                  : null;
          if (other != null) {
            MethodInvocationTree call = (MethodInvocationTree) expression.getExpression();
            for (int i = 0; i < call.getArguments().size(); i++) {
              if (parameter.equals(ASTHelpers.getSymbol(call.getArguments().get(i)))) {
                return fieldOfParameter(cls, other, i, depth + 1);
              }
            }
          }
        }
      }
      return null;
    }

    /** Whether {@code cls} starts a thread that runs itself: {@code new Thread(this, …)}. */
    private static boolean startsThreadOfItself(ClassTree cls) {
      return Trees.contains(
          cls,
          node ->
              (node instanceof NewClassTree newThread
                      && newThread.getArguments().stream().anyMatch(ThreadOwnership::isThis)
                      && newThread.getIdentifier().toString().endsWith("Thread"))
                  || (node instanceof MethodInvocationTree call
                      && Trees.calledName(call).equals("newThread")
                      && call.getArguments().stream().anyMatch(ThreadOwnership::isThis)));
    }

    /** Whether {@code run()} of {@code cls} calls a method on {@code function} inside a loop. */
    private static boolean runCallsInALoop(ClassTree cls, VarSymbol function) {
      for (Tree member : cls.getMembers()) {
        if (member instanceof MethodTree method
            && method.getName().contentEquals("run")
            && method.getParameters().isEmpty()
            && method.getBody() != null
            && Trees.contains(
                method.getBody(),
                node ->
                    EnclosingLoops.isLoopStatement(node)
                        && Trees.containsCall(
                            node,
                            call ->
                                function.equals(
                                    SameVariable.variable(ASTHelpers.getReceiver(call)))))) {
          return true;
        }
      }
      return false;
    }

    /**
     * The private field that the value of the call at {@code call} is stored in ({@code field =
     * call}, {@code this.field = call}, or the field's initializer), or {@code null}.
     */
    private static @Nullable VarSymbol keptIn(TreePath call) {
      VarSymbol field = storedIn(call);
      return field != null && field.getModifiers().contains(Modifier.PRIVATE) ? field : null;
    }

    /**
     * The field that the value at {@code value} is stored in ({@code field = value}, {@code
     * this.field = value}, or the field's initializer), or {@code null}.
     */
    private static @Nullable VarSymbol storedIn(TreePath value) {
      TreePath parent = value.getParentPath();
      Symbol stored = null;
      if (parent != null
          && parent.getLeaf() instanceof AssignmentTree assignment
          && assignment.getExpression() == value.getLeaf()) {
        stored = ASTHelpers.getSymbol(assignment.getVariable());
      } else if (parent != null
          && parent.getLeaf() instanceof VariableTree variable
          && variable.getInitializer() == value.getLeaf()) {
        stored = ASTHelpers.getSymbol(variable);
      }
      return stored instanceof VarSymbol field && field.getKind() == ElementKind.FIELD
          ? field
          : null;
    }

    /**
     * Whether every value stored in the private field {@code var} in {@code top} is a new executor
     * ({@link ExecutorFacts#createsExecutor}, or {@code new} of a class that implements {@code
     * Executor}), or {@code null}, and at least one is.
     */
    private boolean holdsOnlyConstructedExecutors(VarSymbol var, ClassTree top) {
      return storesOnly(
          var,
          top,
          value ->
              ExecutorFacts.createsExecutor(value, state)
                  || (value instanceof NewClassTree
                      && isSubtype(ASTHelpers.getType(value), EXECUTOR.get(state), state)));
    }

    /**
     * Whether every value stored in the private field {@code var} in {@code top} ({@link
     * AssignedValues#ofField}) is {@code null} or {@code accepted} (parentheses stripped), and at
     * least one is not {@code null}.
     */
    private static boolean storesOnly(
        VarSymbol var, ClassTree top, Predicate<ExpressionTree> accepted) {
      return onlyStores(AssignedValues.ofField(var, top), accepted);
    }

    /**
     * Whether every one of {@code writes} (all the values a variable is ever assigned, or empty
     * when they are not all in sight) is {@code null} or {@code accepted} (parentheses stripped),
     * and at least one is not {@code null}.
     */
    private static boolean onlyStores(
        Optional<ImmutableList<ExpressionTree>> writes, Predicate<ExpressionTree> accepted) {
      if (writes.isEmpty()) {
        return false;
      }
      boolean stored = false;
      for (ExpressionTree write : writes.get()) {
        ExpressionTree value = ASTHelpers.stripParentheses(write);
        if (isNullLiteral(value)) {
          continue;
        }
        if (!accepted.test(value)) {
          return false;
        }
        stored = true;
      }
      return stored;
    }

    /** What runs the tasks that the factory method {@code sym} returns, from its uses. */
    private @Nullable Runner factory(MethodSymbol sym) {
      List<TreePath> uses = factsFor(sym).calls.getOrDefault(sym, List.of());
      if (uses.isEmpty()) {
        return null;
      }
      Runner result = null;
      for (TreePath use : uses) {
        Optional<Handoff> handoff = ConcurrentCode.handoffOfArgument(use, state);
        if (handoff.isEmpty()) {
          return null;
        }
        result = combine(result, fromHandoff(handoff.get(), use));
      }
      return result == null || (result.ownsThread() && !isPrivate(sym)) ? Runner.TASK : result;
    }

    private Runner method(MethodSymbol sym) {
      Runner known = methods.get(sym);
      if (known != null) {
        return known;
      }
      Runner runner = computeMethod(sym);
      methods.put(sym, runner);
      return runner;
    }

    private Runner computeMethod(MethodSymbol sym) {
      if (sym.isConstructor() || !(sym.owner instanceof ClassSymbol owner)) {
        return Runner.CALLER;
      }
      if (ConcurrentCode.isRunnableRun(sym, state)) {
        if (!handsItselfToExecutor(owner)) {
          return Runner.OWN_THREAD;
        }
        return onlyOnUninterruptedExecutors(owner) || onlyOnClassOwnedExecutors(owner)
            ? Runner.PRIVATE_EXECUTOR_TASK
            : Runner.TASK;
      }
      if (isPrivate(sym)) {
        return privateMethod(sym);
      }
      if (isSubtype(owner.type, EXECUTOR.get(state), state)
          && !sym.isStatic()
          && !EXECUTOR_API.contains(sym.getSimpleName().toString())
          && !LIFECYCLE.matcher(sym.getSimpleName().toString()).matches()) {
        return Runner.POOL_WORKER;
      }
      return usedInCompilation(sym);
    }

    /**
     * What runs a method that is not public API (package-private or protected, or in a class that
     * is not public) and overrides nothing: the weakest of what runs each of its uses in the source
     * files of this compilation that can see it ({@link SameCompilation#usesOf}); {@link
     * Runner#CALLER} when it has none, or when they cannot all be read.
     */
    private Runner usedInCompilation(MethodSymbol sym) {
      Optional<List<TreePath>> uses = SameCompilation.usesOf(sym, state);
      return uses.isPresent() ? weakestUse(sym, uses.get()) : Runner.CALLER;
    }

    /**
     * What runs a private method: the weakest of what runs each of its uses in the top-level class
     * (calls, and method references handed off); {@link Runner#CALLER} when it has none in sight.
     */
    private Runner privateMethod(MethodSymbol sym) {
      ClassFacts facts = factsFor(sym);
      List<TreePath> uses = new ArrayList<>(facts.calls.getOrDefault(sym, List.of()));
      uses.addAll(facts.references.getOrDefault(sym, List.of()));
      return weakestUse(sym, uses);
    }

    /**
     * The weakest of what runs each use of {@code sym} (a call, or a method reference handed off or
     * returned by a factory); {@link Runner#CALLER} when there is none. Recursive calls are
     * skipped, and a cycle through other methods adds nothing.
     */
    private Runner weakestUse(MethodSymbol sym, List<TreePath> uses) {
      if (!visiting.add(sym)) {
        return Runner.OWN_THREAD; // a cycle adds nothing: the other uses decide
      }
      try {
        Runner result = null;
        for (TreePath use : uses) {
          Runner r;
          if (use.getLeaf() instanceof MemberReferenceTree) {
            Optional<Handoff> handoff = ConcurrentCode.handoff(use, state);
            r =
                handoff.isPresent()
                    ? fromHandoff(handoff.get(), use)
                    : Optional.ofNullable(madeTask(use))
                        .or(() -> Optional.ofNullable(threadRunnerTask(use)))
                        .orElse(Runner.CALLER);
          } else if (isInside(use, sym)) {
            continue; // recursion
          } else {
            r = runner(use);
          }
          result = combine(result, r);
          if (result == Runner.CALLER) {
            return result;
          }
        }
        return result == null ? Runner.CALLER : result;
      } finally {
        visiting.remove(sym);
      }
    }

    /** Whether {@code use} lies in the body of {@code method}. */
    private static boolean isInside(TreePath use, MethodSymbol method) {
      for (TreePath p = use; p != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof MethodTree m) {
          return method.equals(ASTHelpers.getSymbol(m));
        }
      }
      return false;
    }

    /**
     * Whether the {@code Runnable} class {@code cls} runs as an executor's task: it hands {@code
     * this} to an executor, or an instance made in the file ({@code new Cls(…)}) is handed to one.
     */
    private boolean handsItselfToExecutor(ClassSymbol cls) {
      if (!executorHandoffs(factsFor(cls), cls).isEmpty()) {
        return true;
      }
      ClassSymbol own = ASTHelpers.outermostClass(cls);
      for (ClassSymbol other : SameCompilation.classesInPackageOf(cls, state)) {
        if (other.equals(own)) {
          continue;
        }
        TreePath path = SameCompilation.pathOf(other, state);
        if (path != null && !executorHandoffs(readFacts(other, path, state), cls).isEmpty()) {
          return true; // submitted by another class of its package (STREAMS-103)
        }
      }
      return false;
    }

    /**
     * Whether every hand-off of {@code cls} in its top-level class is an {@code execute(…)} on a
     * class-private executor that nothing can interrupt (Tomcat JDBC's {@code
     * cancellator.execute(this)}): a private field of that class that only ever holds a new
     * executor, on which no code calls {@code shutdownNow()} or {@code close()} or hands a task
     * whose future could be cancelled ({@code submit}, {@code invokeAll}, {@code schedule…}), and
     * that is never passed on, returned or aliased. No interrupt can then reach the task's thread
     * while it runs. Hand-offs from other files, or one executor anybody else can reach, do not
     * count.
     */
    private boolean onlyOnUninterruptedExecutors(ClassSymbol cls) {
      List<Handoff> handoffs = executorHandoffs(factsFor(cls), cls);
      for (Handoff h : handoffs) {
        ExpressionTree executor = h.executor();
        if (!(h.call() instanceof MethodInvocationTree call)
            || !Trees.calledName(call).equals("execute")
            || executor == null
            || !(ASTHelpers.getSymbol(executor) instanceof VarSymbol field)
            || field.getKind() != ElementKind.FIELD
            || !field.getModifiers().contains(Modifier.PRIVATE)
            || !holdsOnlyNewExecutors(field, executor)
            || !neverInterrupts(field)) {
          return false;
        }
      }
      return !handoffs.isEmpty();
    }

    /**
     * Whether every hand-off of {@code cls} in its top-level class ({@code pool.execute(new
     * Task())}, {@code pool.submit(this)}) goes to an executor that only its class can reach
     * ({@link #isClassOwnedExecutor}): the class's own tasks, as a lambda handed to it would be.
     */
    private boolean onlyOnClassOwnedExecutors(ClassSymbol cls) {
      List<Handoff> handoffs = executorHandoffs(factsFor(cls), cls);
      for (Handoff h : handoffs) {
        ExpressionTree executor = h.executor();
        if (executor == null
            || !(ASTHelpers.getSymbol(executor) instanceof VarSymbol field)
            || field.getKind() != ElementKind.FIELD
            || !isClassOwnedExecutor(field, executor)) {
          return false;
        }
      }
      return !handoffs.isEmpty();
    }

    /**
     * Whether every use of the executor field {@code field} in its top-level class is a call on it
     * other than {@code shutdownNow}, {@code close} and the hand-offs that return a future, or its
     * declaration or an assignment of it.
     */
    private boolean neverInterrupts(VarSymbol field) {
      TreePath top = classPath(ASTHelpers.outermostClass(field));
      if (top == null) {
        return false;
      }
      return !new StoppingScanner() {
        @Override
        public Void visitAssignment(AssignmentTree assignment, Void unused) {
          if (field.equals(ASTHelpers.getSymbol(assignment.getVariable()))) {
            scan(assignment.getExpression(), null);
            return null;
          }
          return super.visitAssignment(assignment, null);
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
          ExpressionTree receiver = ASTHelpers.getReceiver(call);
          if (receiver != null && field.equals(ASTHelpers.getSymbol(receiver))) {
            if (INTERRUPTING_CALLS.contains(Trees.calledName(call))
                || Trees.calledName(call).startsWith("schedule")) {
              stop();
              return null;
            }
            scan(call.getArguments(), null);
            if (receiver instanceof MemberSelectTree select) {
              scan(select.getExpression(), null);
            }
            return null;
          }
          return super.visitMethodInvocation(call, null);
        }

        @Override
        public Void visitIdentifier(IdentifierTree id, Void unused) {
          if (field.equals(ASTHelpers.getSymbol(id))) {
            stop(); // passed on, returned or aliased
          }
          return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree select, Void unused) {
          if (field.equals(ASTHelpers.getSymbol(select))) {
            stop();
            return null;
          }
          return super.visitMemberSelect(select, null);
        }
      }.finds(top.getLeaf());
    }

    /**
     * The hand-offs to an executor of {@code this} or a {@code new} {@code cls} in {@code facts}.
     */
    private List<Handoff> executorHandoffs(ClassFacts facts, ClassSymbol cls) {
      List<Handoff> found = new ArrayList<>();
      for (TreePath handoff : facts.selfHandoffs) {
        Tree arg = handoff.getLeaf();
        Symbol handed =
            arg instanceof NewClassTree newClass
                ? ASTHelpers.getSymbol(newClass.getIdentifier())
                : enclosingClass(handoff);
        if (cls.equals(handed)) {
          ConcurrentCode.handoffOfArgument(handoff, state)
              .filter(h -> h.kind() == Kind.EXECUTOR)
              .ifPresent(found::add);
        }
      }
      return found;
    }

    /**
     * Whether the executor task is the one task of a class-private executor: a private field that
     * only ever holds a new executor (its initializer, or every assignment in the top-level class:
     * made in a constructor or a {@code start()}), given this one task and shut down in the same
     * class; or a local variable initialized with a new executor that is given this one task and
     * shut down in its scope (also by the task itself) and used for nothing else. Hand-offs that
     * the task itself makes to the same executor ({@code invokeAll} of its sub-tasks) run on the
     * executor's other threads and do not count. The executor then runs nothing but this task, and
     * nobody but its owner can interrupt its thread.
     */
    private boolean isPrivateExecutorTask(Handoff handoff, TreePath inside) {
      ExpressionTree executor = handoff.executor();
      if (executor == null || !(ASTHelpers.getSymbol(executor) instanceof VarSymbol var)) {
        return false;
      }
      if (var.getKind() == ElementKind.LOCAL_VARIABLE) {
        return isLocalExecutorTask(var, handoff, inside);
      }
      if (var.getKind() != ElementKind.FIELD) {
        return false;
      }
      if (var.getModifiers().contains(Modifier.PRIVATE) && holdsOnlyNewExecutors(var, executor)) {
        ClassFacts facts = factsFor(var);
        long others =
            facts.submits.getOrDefault(var, List.of()).stream()
                .filter(use -> !isWithin(use, handoff.task()))
                .count();
        if (others == 1 && facts.shutDown.contains(var)) {
          return true;
        }
      }
      return isClassOwnedExecutor(var, executor);
    }

    /**
     * Whether {@code executor}, a use of the field {@code var} of this object ({@code pool}, {@code
     * this.pool}, {@code super.pool}; not {@code other.pool}), is an executor that only its class
     * can reach: {@code var} is not public; every value ever stored in it is {@code null}, a new
     * executor ({@link ExecutorFacts#createsExecutor}) or the result of a factory method of the
     * declaring top-level class that cannot be overridden and returns a new executor (directly or
     * through a local: {@code ThreadPoolExecutor e = new ThreadPoolExecutor(…);
     * e.allowCoreThreadTimeOut(true); return e;}); the field is private or final, or no other
     * top-level class of its package, nor the class asking, assigns it; the declaring class or the
     * class asking shuts it down ({@code pool.shutdownNow()}, {@code pool.close()}, or a helper
     * named {@code shutdown…}/{@code close…} given it: {@code ThreadPoolUtils.shutdown(pool)}); and
     * neither of them lets it escape: every use is the receiver of a call, an assignment of the
     * field, a comparison, an argument of such a shutdown helper, or the initializer of a final
     * local used only that way. Whoever interrupts its threads — its {@code shutdownNow()}, a
     * {@code cancel(true)} of one of its futures — is the class itself: its tasks, however many,
     * implement the class's interruption policy, as the one task of a class-private executor does.
     */
    private boolean isClassOwnedExecutor(VarSymbol var, ExpressionTree executor) {
      if (var.getModifiers().contains(Modifier.PUBLIC) || !isOnThisObject(executor)) {
        return false;
      }
      ClassSymbol declaring = ASTHelpers.outermostClass(var);
      TreePath declaringPath = classPath(declaring);
      if (declaringPath == null || !(declaringPath.getLeaf() instanceof ClassTree declaringTree)) {
        return false;
      }
      ClassTree asking =
          topClass != null && topClass.getLeaf() instanceof ClassTree top && top != declaringTree
              ? top
              : null;
      Optional<ImmutableList<ExpressionTree>> values =
          AssignedValues.assignedIn(var, declaringTree);
      if ((!var.getModifiers().contains(Modifier.PRIVATE)
              && !var.getModifiers().contains(Modifier.FINAL)
              && assignedElsewhere(var, declaring, asking))
          || !onlyStores(
              values,
              value ->
                  ExecutorFacts.createsExecutor(value, state)
                      || isOwnExecutorFactoryCall(value, declaringTree))) {
        return false;
      }
      OwnedExecutorUses uses = new OwnedExecutorUses(var);
      uses.scan(declaringPath, null);
      if (asking != null && !uses.escapes) {
        uses.scan(topClass, null);
      }
      return uses.shutDown && !uses.escapes;
    }

    /**
     * Whether {@code name} names a member of this object, without another receiver: {@code f},
     * {@code this.f}, {@code super.f} (a field, or the method select of a call).
     */
    private static boolean isOnThisObject(ExpressionTree name) {
      ExpressionTree e = ASTHelpers.stripParentheses(name);
      if (e instanceof IdentifierTree) {
        return true;
      }
      return e instanceof MemberSelectTree select
          && select.getExpression() instanceof IdentifierTree base
          && (base.getName().contentEquals("this") || base.getName().contentEquals("super"));
    }

    /**
     * Whether a top-level class of {@code declaring}'s package other than {@code declaring}, or
     * {@code asking}, assigns {@code var}; also true when one of those files cannot be read.
     */
    private boolean assignedElsewhere(
        VarSymbol var, ClassSymbol declaring, @Nullable ClassTree asking) {
      if (asking != null && AssignedValues.assignedIn(var, asking).isPresent()) {
        return true;
      }
      for (ClassSymbol other : SameCompilation.classesInPackageOf(declaring, state)) {
        if (other.equals(declaring)) {
          continue;
        }
        TreePath path = SameCompilation.pathOf(other, state);
        if (path == null || AssignedValues.assignedIn(var, path.getLeaf()).isPresent()) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether {@code value} calls, on this object, a method of {@code declaringTree} that cannot be
     * overridden (private, static or final, or of a final class) and whose every {@code return}
     * returns a new executor, or a final local initialized with one.
     */
    private boolean isOwnExecutorFactoryCall(ExpressionTree value, ClassTree declaringTree) {
      if (!(value instanceof MethodInvocationTree call)
          || !isOnThisObject(call.getMethodSelect())
          || ASTHelpers.getSymbol(call) == null) {
        return false;
      }
      MethodSymbol factory = ASTHelpers.getSymbol(call);
      if (!(factory.getModifiers().contains(Modifier.PRIVATE)
          || factory.getModifiers().contains(Modifier.STATIC)
          || factory.getModifiers().contains(Modifier.FINAL)
          || factory.owner.getModifiers().contains(Modifier.FINAL))) {
        return false;
      }
      MethodTree body = declarationIn(declaringTree, factory);
      if (body == null || body.getBody() == null) {
        return false;
      }
      return returnsOnlyFresh(body, e -> ExecutorFacts.createsExecutor(e, state));
    }

    /**
     * Whether the private field {@code var} is initialized with a new executor, or has no
     * initializer (or {@code null}) and every assignment of it in its top-level class stores a new
     * executor ({@link AssignedValues#ofField}).
     */
    private boolean holdsOnlyNewExecutors(VarSymbol var, ExpressionTree executor) {
      Optional<ExpressionTree> creation = ExecutorFacts.creation(executor, state);
      if (creation.isPresent()) {
        return ExecutorFacts.createsExecutor(creation.get(), state);
      }
      TreePath cls = classPath(ASTHelpers.outermostClass(var));
      return cls != null
          && cls.getLeaf() instanceof ClassTree tree
          && storesOnly(var, tree, value -> ExecutorFacts.createsExecutor(value, state));
    }

    /**
     * Whether the local {@code var}, declared in a block around {@code inside}, is initialized with
     * a new executor, and every use of it in that block calls a method on it: exactly one hand-off
     * outside the task (the task's own, whose result — the task's future — is dropped: a future
     * kept or returned lets others cancel the task), at least one shutdown, anything else that
     * neither hands off nor lets it escape ({@code awaitTermination}, {@code isShutdown}).
     */
    private boolean isLocalExecutorTask(VarSymbol var, Handoff handoff, TreePath inside) {
      Tree task = handoff.task();
      if (!ASTHelpers.isConsideredFinal(var)) {
        return false;
      }
      TreePath scope = null;
      VariableTree declaration = null;
      for (TreePath p = inside; p != null && scope == null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof BlockTree block) {
          for (StatementTree statement : block.getStatements()) {
            if (statement instanceof VariableTree v && var.equals(ASTHelpers.getSymbol(v))) {
              scope = p;
              declaration = v;
            }
          }
        }
      }
      if (scope == null
          || declaration.getInitializer() == null
          || !ExecutorFacts.createsExecutor(
              ASTHelpers.stripParentheses(declaration.getInitializer()), state)) {
        return false; // declared elsewhere (a parameter, a resource), or not a new executor
      }
      int[] handoffs = new int[1];
      boolean[] shutDown = new boolean[1];
      boolean[] escapes = new boolean[1];
      new LazyPathScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(IdentifierTree id, Void unused) {
          if (!var.equals(ASTHelpers.getSymbol(id))) {
            return null;
          }
          TreePath parent = getCurrentPath().getParentPath();
          TreePath grand = parent == null ? null : parent.getParentPath();
          if (parent != null
              && parent.getLeaf() instanceof MemberSelectTree select
              && select.getExpression() == id
              && grand != null
              && grand.getLeaf() instanceof MethodInvocationTree call
              && call.getMethodSelect() == select) {
            String name = select.getIdentifier().toString();
            if (SHUTS_DOWN.contains(name)) {
              shutDown[0] = true;
            } else if (SUBMITS.contains(name)) {
              if (!isWithin(grand, task)) {
                handoffs[0]++;
                // the task's future, kept or returned, lets others cancel (interrupt) it
                escapes[0] |=
                    grand.getLeaf() == handoff.call()
                        && !(grand.getParentPath().getLeaf() instanceof ExpressionStatementTree);
              }
            } else if (!LOCAL_EXECUTOR_QUERIES.contains(name)) {
              escapes[0] = true;
            }
          } else {
            escapes[0] = true; // passed on, stored, returned: others may hand it tasks
          }
          return null;
        }
      }.scan(scope, null);
      return handoffs[0] == 1 && shutDown[0] && !escapes[0];
    }

    /** Whether {@code path} lies in {@code tree} (or is it). */
    private static boolean isWithin(TreePath path, Tree tree) {
      return Trees.ancestor(path, tree) != null;
    }

    private boolean isThread(@Nullable Type type) {
      return type != null
          && type.getKind() != TypeKind.ERROR
          && isSubtype(type, KnownTypes.THREAD.get(state), state);
    }
  }

  /**
   * The weaker of two answers: owned and owned stays owned, task and owned is a task. Code that
   * runs on the main thread and on another owned thread is owner code but no task body ({@link
   * Runner#MAIN_THREAD}); on the main thread and in a task, it is treated as a caller's.
   */
  private static Runner combine(@Nullable Runner a, Runner b) {
    if (a == null || a == b) {
      return b;
    }
    if (a == Runner.CALLER || b == Runner.CALLER) {
      return Runner.CALLER;
    }
    if (a == Runner.MAIN_THREAD || b == Runner.MAIN_THREAD) {
      return a.ownsThread() && b.ownsThread() ? Runner.MAIN_THREAD : Runner.CALLER;
    }
    if (a == Runner.TASK || b == Runner.TASK) {
      return Runner.TASK;
    }
    return Runner.OWN_THREAD; // two kinds of owner code: still owner code
  }

  /**
   * The facts of the top-level class {@code cls} at {@code path}, a file readable now: read once
   * per compilation (the trees stay valid until the file is lowered, which a caller checks before
   * asking), not once per question.
   */
  private static ClassFacts readFacts(ClassSymbol cls, TreePath path, VisitorState state) {
    Map<ClassSymbol, ClassFacts> read = FACTS.get(state);
    ClassFacts known = read.get(cls);
    if (known == null) {
      known = new ClassFacts(state);
      known.scan(path, null);
      read.put(cls, known);
    }
    return known;
  }

  /**
   * The uses of an executor field in a class (see {@code isClassOwnedExecutor}): whether one shuts
   * it down, and whether one lets it escape. Final locals initialized with the field are followed
   * as the field.
   */
  private static final class OwnedExecutorUses extends LazyPathScanner<Void, Void> {
    private final Set<Symbol> tracked = new HashSet<>();
    boolean shutDown;
    boolean escapes;

    OwnedExecutorUses(VarSymbol field) {
      tracked.add(field);
    }

    @Override
    public Void visitIdentifier(IdentifierTree tree, Void unused) {
      if (tracked.contains(ASTHelpers.getSymbol(tree))) {
        use(getCurrentPath());
      }
      return null;
    }

    @Override
    public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
      if (tree.getExpression() instanceof IdentifierTree base
          && (base.getName().contentEquals("this") || base.getName().contentEquals("super"))
          && tracked.contains(ASTHelpers.getSymbol(tree))) {
        use(getCurrentPath());
        return null;
      }
      return super.visitMemberSelect(tree, null);
    }

    private void use(TreePath path) {
      Tree ref = path.getLeaf();
      TreePath parentPath = path.getParentPath();
      Tree parent = parentPath.getLeaf();
      if (parent instanceof MemberSelectTree select && select.getExpression() == ref) {
        Tree grand = parentPath.getParentPath().getLeaf();
        if (grand instanceof MethodInvocationTree call && call.getMethodSelect() == select) {
          shutDown |= SHUTS_DOWN.contains(select.getIdentifier().toString());
          return; // the receiver of a call: a hand-off, a setting, a query, a shutdown
        }
        escapes = true; // a method reference (pool::execute) hands the executor on
      } else if (parent instanceof AssignmentTree assignment && assignment.getVariable() == ref) {
        // stored into: the values are checked apart
      } else if (parent instanceof BinaryTree) {
        // compared: pool != null
      } else if (parent instanceof MethodInvocationTree call
          && call.getArguments().contains(ref)
          && SHUT_DOWN_HELPER.matcher(Trees.calledName(call)).matches()) {
        shutDown = true; // ThreadPoolUtils.shutdown(pool)
      } else if (parent instanceof VariableTree local
          && local.getInitializer() == ref
          && ASTHelpers.getSymbol(local).getKind() == ElementKind.LOCAL_VARIABLE
          && ASTHelpers.isConsideredFinal(ASTHelpers.getSymbol(local))) {
        tracked.add(ASTHelpers.getSymbol(local)); // ThreadPoolExecutor pool = this.pool; followed
      } else {
        escapes = true; // passed on, returned, stored elsewhere, captured as a value
      }
      if (escapes) {
        stop();
      }
    }
  }

  /** The uses of methods, the hand-offs of instances, and the executors of one top-level class. */
  private static final class ClassFacts extends LazyPathScanner<Void, Void> {
    final Map<MethodSymbol, List<TreePath>> calls = new HashMap<>();
    final Map<MethodSymbol, List<TreePath>> references = new HashMap<>();
    final List<TreePath> selfHandoffs = new ArrayList<>();
    final Map<VarSymbol, List<TreePath>> submits = new HashMap<>();
    final Set<VarSymbol> shutDown = new HashSet<>();
    private final Set<Name> submitNames;
    private final Set<Name> shutDownNames;

    ClassFacts(VisitorState state) {
      this.submitNames = SUBMIT_NAMES.get(state);
      this.shutDownNames = SHUT_DOWN_NAMES.get(state);
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      if (ASTHelpers.getSymbol(tree.getMethodSelect()) instanceof MethodSymbol sym) {
        calls.computeIfAbsent(sym, s -> new ArrayList<>()).add(getCurrentPath());
      }
      Name name = Trees.calledMethodName(tree);
      boolean submit = name != null && submitNames.contains(name);
      boolean shutdown = name != null && shutDownNames.contains(name);
      ExpressionTree receiver = ASTHelpers.getReceiver(tree);
      if (receiver != null
          && (submit || shutdown)
          && ASTHelpers.getSymbol(receiver) instanceof VarSymbol field
          && field.getKind() == ElementKind.FIELD) {
        if (shutdown) {
          shutDown.add(field);
        } else {
          submits.computeIfAbsent(field, f -> new ArrayList<>()).add(getCurrentPath());
        }
      }
      if (submit) {
        for (ExpressionTree arg : tree.getArguments()) {
          if (isThisOrNew(arg)) {
            selfHandoffs.add(new TreePath(getCurrentPath(), arg));
          }
        }
      }
      return super.visitMethodInvocation(tree, null);
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
      MethodSymbol sym = ASTHelpers.getSymbol(tree);
      if (sym != null) {
        references.computeIfAbsent(sym, s -> new ArrayList<>()).add(getCurrentPath());
      }
      return super.visitMemberReference(tree, null);
    }

    private static boolean isThisOrNew(ExpressionTree arg) {
      return (arg instanceof IdentifierTree id && id.getName().contentEquals("this"))
          || (arg instanceof NewClassTree newClass && newClass.getClassBody() == null);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Factory methods that make a fresh object (an executor, a thread) and give it to no one else.
  // ---------------------------------------------------------------------------------------------

  /**
   * Whether every {@code return} of {@code factory} ({@link Trees#ownReturns}, at least one) gives
   * a fresh object that {@code isFresh} accepts, or a final local of {@code factory}, declared in
   * its body's top block with such an object, that the factory only configures (calls on it) and
   * returns ({@link #onlyConfiguredAndReturned}): the factory makes a new object and gives it to no
   * one else.
   */
  private static boolean returnsOnlyFresh(MethodTree factory, Predicate<ExpressionTree> isFresh) {
    List<ReturnTree> returns = Trees.ownReturns(factory.getBody());
    return !returns.isEmpty()
        && returns.stream()
            .allMatch(
                r ->
                    r.getExpression() != null
                        && isFreshOrFreshLocal(
                            ASTHelpers.stripParentheses(r.getExpression()), factory, isFresh));
  }

  private static boolean isFreshOrFreshLocal(
      ExpressionTree returned, MethodTree factory, Predicate<ExpressionTree> isFresh) {
    if (isFresh.test(returned)) {
      return true;
    }
    if (!(returned instanceof IdentifierTree)
        || !(ASTHelpers.getSymbol(returned) instanceof VarSymbol local)
        || local.getKind() != ElementKind.LOCAL_VARIABLE
        || !ASTHelpers.isConsideredFinal(local)) {
      return false;
    }
    for (StatementTree statement : factory.getBody().getStatements()) {
      if (statement instanceof VariableTree v
          && local.equals(ASTHelpers.getSymbol(v))
          && v.getInitializer() != null) {
        return isFresh.test(ASTHelpers.stripParentheses(v.getInitializer()))
            && onlyConfiguredAndReturned(local, factory);
      }
    }
    return false;
  }

  /**
   * Whether every use of {@code local} in {@code method} is the receiver of a call ({@code
   * e.allowCoreThreadTimeOut(true)}) or the returned value: the factory does not also give the new
   * object to someone else.
   */
  private static boolean onlyConfiguredAndReturned(VarSymbol local, MethodTree method) {
    int[] uses = new int[2]; // [0]: every use, [1]: receivers and returns
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        if (local.equals(ASTHelpers.getSymbol(tree))) {
          uses[0]++;
        }
        return null;
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (tree.getMethodSelect() instanceof MemberSelectTree select
            && select.getExpression() instanceof IdentifierTree receiver
            && local.equals(ASTHelpers.getSymbol(receiver))) {
          uses[1]++;
        }
        return super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitReturn(ReturnTree tree, Void unused) {
        if (tree.getExpression() instanceof IdentifierTree returned
            && local.equals(ASTHelpers.getSymbol(returned))) {
          uses[1]++;
        }
        return super.visitReturn(tree, null);
      }
    }.scan(method.getBody(), null);
    return uses[0] == uses[1];
  }

  /** The declaration of {@code method} in {@code tree}, or {@code null}. */
  private static @Nullable MethodTree declarationIn(ClassTree tree, MethodSymbol method) {
    MethodTree[] found = new MethodTree[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethod(MethodTree m, Void unused) {
        if (method.equals(ASTHelpers.getSymbol(m))) {
          found[0] = m;
        }
        return null; // methods are not declared in method bodies, but in classes
      }

      @Override
      public Void visitClass(ClassTree cls, Void unused) {
        return found[0] == null ? super.visitClass(cls, null) : null;
      }
    }.scan(tree, null);
    return found[0];
  }

  // ---------------------------------------------------------------------------------------------
  // Code that runs only on one thread, or before it starts (for NonVolatileStopFlag).
  // ---------------------------------------------------------------------------------------------

  /**
   * Whether the method around {@code code} runs only on the thread whose body is {@code body} (a
   * thread's {@code run()}), or on another thread before that thread is started (JLS 17.4.4: {@code
   * start()} happens-before every action of the started thread, so what was written before it is
   * seen). Every use of the method in the compilation ({@link SameCompilation#usesOf}: it is not
   * public API) is a call on this object from {@code body} or from a method that itself runs only
   * there (up to three calls deep), or a call {@code t.m()}, outside any loop, on a thread that the
   * calling method has just made and starts only later: it assigns {@code t} a new thread (a {@code
   * new}, or a call of a private, static or final factory method of its class that only returns a
   * new thread it gives to no one else, {@link #makesThread}) before the call, and every {@code
   * t.start()} of that method comes after it. Log4j's reconnector: {@code connect()} sets the
   * loop's flag from {@code run()}, or from the appender's thread on a reconnector it has just made
   * and not yet started.
   */
  public static boolean runsOnlyOnThreadOf(TreePath code, Tree body, VisitorState state) {
    TreePath function = Trees.enclosingFunction(code);
    if (function == null || !(function.getLeaf() instanceof MethodTree method) || method == body) {
      return false; // in a lambda or an initializer, or the loop's own body
    }
    MethodSymbol sym = ASTHelpers.getSymbol(method);
    return sym != null && runsOnlyOn(sym, body, state, 3);
  }

  private static boolean runsOnlyOn(MethodSymbol method, Tree body, VisitorState state, int depth) {
    Optional<List<TreePath>> uses = SameCompilation.usesOf(method, state);
    if (uses.isEmpty() || uses.get().isEmpty()) {
      return false;
    }
    for (TreePath use : uses.get()) {
      if (!(use.getLeaf() instanceof MethodInvocationTree call)) {
        return false; // a method reference: run who knows where
      }
      TreePath callerPath = Trees.enclosingFunction(use);
      if (callerPath == null || !(callerPath.getLeaf() instanceof MethodTree caller)) {
        return false;
      }
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      if (receiver == null || isThis(receiver)) {
        MethodSymbol callerSym = ASTHelpers.getSymbol(caller);
        if (caller == body
            || (depth > 0 && callerSym != null && runsOnlyOn(callerSym, body, state, depth - 1))) {
          continue;
        }
        return false;
      }
      if (!isBeforeStart(use, call, receiver, caller, state)) {
        return false;
      }
    }
    return true;
  }

  /** See {@link #runsOnlyOnThreadOf}: {@code t.m()} on a thread just made and started later. */
  private static boolean isBeforeStart(
      TreePath use,
      MethodInvocationTree call,
      ExpressionTree receiver,
      MethodTree caller,
      VisitorState state) {
    VarSymbol thread = SameVariable.variable(receiver);
    if (thread == null || caller.getBody() == null) {
      return false;
    }
    for (TreePath p = use; p != null && p.getLeaf() != caller; p = p.getParentPath()) {
      if (EnclosingLoops.isLoopStatement(p.getLeaf())) {
        return false; // a second round would call it on the started thread
      }
    }
    int at = ASTHelpers.getStartPosition(call);
    boolean[] made = new boolean[1];
    boolean[] startedBefore = new boolean[1];
    boolean[] startedAfter = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        if (thread.equals(SameVariable.variable(tree.getVariable()))
            && ASTHelpers.getStartPosition(tree) < at
            && makesThread(tree.getExpression(), caller, state)) {
          made[0] = true;
        }
        return super.visitAssignment(tree, null);
      }

      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        if (thread.equals(ASTHelpers.getSymbol(tree))
            && tree.getInitializer() != null
            && ASTHelpers.getStartPosition(tree) < at
            && makesThread(tree.getInitializer(), caller, state)) {
          made[0] = true;
        }
        return super.visitVariable(tree, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (Trees.calledName(tree).equals("start")
            && tree.getArguments().isEmpty()
            && thread.equals(SameVariable.variable(ASTHelpers.getReceiver(tree)))) {
          if (ASTHelpers.getStartPosition(tree) < at) {
            startedBefore[0] = true;
          } else {
            startedAfter[0] = true;
          }
        }
        return super.visitMethodInvocation(tree, null);
      }
    }.scan(caller.getBody(), null);
    return made[0] && !startedBefore[0] && startedAfter[0];
  }

  /**
   * Whether {@code value} is a new thread: a {@code new} of a {@code Thread} subclass, or a call of
   * a private, static or final method of the class around {@code caller} that only returns a {@code
   * new} thread, or a final local made by one that it only configures ({@link #returnsOnlyFresh}):
   * nobody else can have started it.
   */
  private static boolean makesThread(ExpressionTree value, MethodTree caller, VisitorState state) {
    ExpressionTree e = ASTHelpers.stripParentheses(value);
    Type type = ASTHelpers.getType(e);
    if (type == null || !isSubtype(type, KnownTypes.THREAD.get(state), state)) {
      return false;
    }
    if (e instanceof NewClassTree) {
      return true;
    }
    if (!(e instanceof MethodInvocationTree factoryCall)) {
      return false;
    }
    MethodSymbol factory = ASTHelpers.getSymbol(factoryCall);
    MethodSymbol callerSym = ASTHelpers.getSymbol(caller);
    if (factory == null
        || callerSym == null
        || !(factory.isPrivate() || factory.isStatic() || (factory.flags() & Flags.FINAL) != 0)
        || !factory.owner.equals(callerSym.owner)) {
      return false;
    }
    TreePath factoryClass = SameCompilation.pathOfClass((ClassSymbol) factory.owner, state);
    MethodTree factoryTree =
        factoryClass == null ? null : declarationIn((ClassTree) factoryClass.getLeaf(), factory);
    return factoryTree != null
        && factoryTree.getBody() != null
        && returnsOnlyFresh(factoryTree, returned -> returned instanceof NewClassTree);
  }

  // ---------------------------------------------------------------------------------------------
  // Who owns a started Thread object (for UnownedThread).
  // ---------------------------------------------------------------------------------------------

  /**
   * Whether the thread that {@code creation} makes, started at {@code start}, has an owner by
   * construction, although no variable keeps it: the surrounding code implements {@code
   * Executor.execute} (a thread-per-task executor) or is a helper documented to run its {@code
   * Runnable} parameter on a new thread (the caller owns the task); a start-once guard starts it
   * ({@code if (flag.compareAndSet(…))}, {@code if (permits.tryAcquire())}, {@code if (!started) {
   * started = true; … }}, also around every call of the private method that starts it); the thread
   * registers itself with another object ({@code master.register(this)} in its constructor or
   * {@code run()}); a flag or a poison pill stops its loop; or it is the overflow of an executor
   * for one task that the executor refused ({@link #isRejectedExecutionFallback}).
   */
  public static boolean hasOwnerByConstruction(
      TreePath start, ExpressionTree creation, VisitorState state) {
    return implementsExecute(start, state)
        || isRejectedExecutionFallback(start, creation, state)
        || isStartOnceGuarded(start, state, /* throughCallers= */ true)
        || runnableKeptAndStopped(creation, start, state)
        || isDocumentedThreadHelper(start, creation, state)
        || new ThreadBody(creation, start, state).hasOwner();
  }

  /** Methods of a thread that neither join, interrupt nor hand it to anyone. */
  private static final Set<String> CONFIGURES_THREAD =
      Set.of(
          "setDaemon",
          "setName",
          "setPriority",
          "setUncaughtExceptionHandler",
          "setContextClassLoader",
          "getName",
          "getId",
          "threadId",
          "isDaemon",
          "getPriority");

  /**
   * What the code in a local thread variable's scope does with it ({@link #localThreadUses}):
   * {@code started}, {@code owned} (joined, interrupted, stored, returned, passed on or captured:
   * anything but starting it and the configuration calls of {@link #CONFIGURES_THREAD}), and {@code
   * madeDaemon} ({@code setDaemon} called with anything but {@code false}).
   */
  public record LocalThreadUses(boolean started, boolean owned, boolean madeDaemon) {}

  /** What the code in {@code scope} does with the local thread variable {@code thread}. */
  public static LocalThreadUses localThreadUses(VarSymbol thread, TreePath scope) {
    boolean[] started = new boolean[1];
    boolean[] owned = new boolean[1];
    boolean[] madeDaemon = new boolean[1];
    new LazyPathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        if (thread.equals(ASTHelpers.getSymbol(tree))) {
          String called = Trees.calledOn(getCurrentPath());
          if ("start".equals(called)) {
            started[0] = true;
          } else if ("setDaemon".equals(called)) {
            madeDaemon[0] |= !setsFalse(getCurrentPath());
          } else if (called == null || !CONFIGURES_THREAD.contains(called)) {
            owned[0] = true; // joined, interrupted, stored, returned, passed on or captured
            stop();
          }
        }
        return null;
      }
    }.scan(scope, null);
    return new LocalThreadUses(started[0], owned[0], madeDaemon[0]);
  }

  /** Whether the call on the variable at {@code use} has the one argument {@code false}. */
  private static boolean setsFalse(TreePath use) {
    TreePath select = use.getParentPath();
    TreePath call = select == null ? null : select.getParentPath();
    return call != null
        && call.getLeaf() instanceof MethodInvocationTree invocation
        && invocation.getArguments().size() == 1
        && ASTHelpers.constValue(invocation.getArguments().get(0)) instanceof Boolean b
        && !b;
  }

  /**
   * Whether the thread that {@code creation} makes, started at {@code start}, is owned by the
   * process: it is started directly in a program's entry point ({@code public static void
   * main(String[])}, not in a lambda or class inside it), or in a private method that only {@code
   * main} calls ({@link #runsOnlyOnMainsThread}), and is not a daemon, so the JVM runs it to its
   * end before it exits, as it does the main thread. A thread counts as no daemon when it is made
   * by {@code new Thread(…)} (a new thread is a daemon only if its creator is, and the main thread
   * is not), or by a {@code Thread} subclass whose source in this compilation never calls {@code
   * setDaemon}, and {@code madeDaemon} (the caller saw {@code setDaemon} called on it with anything
   * but {@code false}) is false. Threads from factories and builders (whose daemon status is not in
   * sight), virtual threads (always daemons) and daemons are cut off at exit: not owned.
   */
  public static boolean isProcessThread(
      TreePath start, ExpressionTree creation, boolean madeDaemon, VisitorState state) {
    if (madeDaemon
        || !(ASTHelpers.stripParentheses(creation) instanceof NewClassTree newThread)
        || (newThread.getClassBody() != null && callsSetDaemon(newThread.getClassBody()))
        || !runsOnlyOnMainsThread(start, state, 0)) {
      return false;
    }
    Type type = ASTHelpers.getType(newThread.getIdentifier());
    if (type == null || !(type.tsym instanceof ClassSymbol cls)) {
      return false;
    }
    if (cls.getQualifiedName().contentEquals("java.lang.Thread")) {
      return true;
    }
    TreePath subclass = SameCompilation.pathOfClass(cls, state);
    return subclass != null && !callsSetDaemon(subclass.getLeaf());
  }

  /** How many private methods down from {@code main} {@link #runsOnlyOnMainsThread} looks. */
  private static final int MAX_MAIN_DEPTH = 3;

  /**
   * Whether the code at {@code path} runs only on a program's main thread, as part of its entry
   * point: directly in {@code main} ({@link #isInProgramMain}), or directly in a private method
   * (not in a lambda or class inside it) that is never used as a method reference and whose every
   * call in its top-level class is itself such code (JGroups' demos: {@code main} calls {@code
   * demo.startNotifications()}, which starts the thread), up to {@link #MAX_MAIN_DEPTH} calls down.
   * A method with any other caller, or public API that others may call, is not.
   */
  private static boolean runsOnlyOnMainsThread(TreePath path, VisitorState state, int depth) {
    if (isInProgramMain(path)) {
      return true;
    }
    if (depth >= MAX_MAIN_DEPTH) {
      return false;
    }
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
        return false;
      }
      if (leaf instanceof MethodTree method) {
        MethodSymbol sym = ASTHelpers.getSymbol(method);
        TreePath top = Trees.topLevelClass(p);
        if (sym == null || !isPrivate(sym) || top == null) {
          return false;
        }
        ClassSymbol outermost = ASTHelpers.outermostClass(sym);
        ClassFacts facts = readFacts(outermost, top, state);
        List<TreePath> calls = facts.calls.getOrDefault(sym, List.of());
        if (calls.isEmpty() || facts.references.containsKey(sym)) {
          return false;
        }
        for (TreePath call : calls) {
          if (!runsOnlyOnMainsThread(call, state, depth + 1)) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the code at {@code path} is directly the body of threads that the process owns ({@link
   * #isProcessThread}): it is in a lambda or anonymous {@code Runnable} given to {@code new
   * Thread(…)}, in {@code run()} of an anonymous {@code Thread} subclass, or in {@code run()} of a
   * named {@code Thread} subclass or {@code Runnable} class that no unread code can make (private,
   * or package-private with its package's files readable; not in a lambda or class inside it), and
   * every thread that runs it — every {@code new} of that class, as a thread or as the task of
   * {@code new Thread(…)} — is made where {@link #isProcessThread} accepts it, not per element of
   * an input of unknown size ({@link EnclosingLoops#unboundedInputLoop}: a thread per connection is
   * no longer the process's one thread). {@code main} owns such a thread and implements its
   * interruption policy: it runs to the end of the process, as {@code main} does. A class that
   * unread code may make, a task passed through a variable, or a thread kept in a field or handed
   * on is not followed.
   */
  public static boolean isProcessThreadBody(TreePath path, VisitorState state) {
    return isBodyOfThreadsMadeAs(path, state, ThreadOwnership::isProcessCreation);
  }

  /**
   * Whether the code at {@code path} is directly the body of threads that nobody holds, as {@link
   * #isProcessThreadBody} finds bodies (a lambda or anonymous {@code Runnable} given to {@code new
   * Thread(…)}, {@code run()} of an anonymous {@code Thread} subclass, or {@code run()} of a named
   * {@code Thread} subclass or {@code Runnable} class that no other package can make: private, or
   * package-private with every file of its package readable), where every thread that runs it is
   * started and dropped ({@link #isDroppedCreation}). UnownedThread reports such a thread where it
   * is started (UnboundedFanOut, when one is started per element of an input): nothing can stop or
   * interrupt it, so its loops are that one defect, not another.
   */
  public static boolean isUnheldThreadBody(TreePath path, VisitorState state) {
    return isBodyOfThreadsMadeAs(path, state, ThreadOwnership::isDroppedCreation);
  }

  /** A test of the {@code new} of a thread (or of the {@code new Thread(task)} of its task). */
  private interface CreationTest {
    boolean test(TreePath creation, VisitorState state);
  }

  private static boolean isBodyOfThreadsMadeAs(
      TreePath path, VisitorState state, CreationTest made) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree) {
        TreePath parent = p.getParentPath();
        return parent != null && isThreadOfTask(parent, leaf, made, state);
      }
      if (leaf instanceof ClassTree) {
        return false;
      }
      if (leaf instanceof MethodTree method) {
        MethodSymbol sym = ASTHelpers.getSymbol(method);
        TreePath cls = p.getParentPath();
        if (!ConcurrentCode.isRunnableRun(sym, state)
            || cls == null
            || !(cls.getLeaf() instanceof ClassTree classTree)) {
          return false;
        }
        TreePath creation = cls.getParentPath();
        if (creation != null
            && creation.getLeaf() instanceof NewClassTree anonymous
            && anonymous.getClassBody() == classTree) {
          return made.test(creation, state)
              || (creation.getParentPath() != null
                  && isThreadOfTask(creation.getParentPath(), anonymous, made, state));
        }
        return sym.owner instanceof ClassSymbol named && everyNewIsMadeAs(named, path, made, state);
      }
    }
    return false;
  }

  /** Whether {@code creation} is {@code new Thread(…, task, …)} that {@code made} accepts. */
  private static boolean isThreadOfTask(
      TreePath creation, Tree task, CreationTest made, VisitorState state) {
    return creation.getLeaf() instanceof NewClassTree newThread
        && newThread.getArguments().contains(task)
        && made.test(creation, state);
  }

  /**
   * Whether every {@code new} of the named class {@code cls} is a thread that {@code made} accepts,
   * or the task of one ({@code new Thread(new Task())}); and there is one. Only for a class that no
   * unread code can make: a private class (its top-level class is read), or a class that another
   * package cannot see (it, or a class around it, is package-private), with every file of its
   * package readable ({@link SameCompilation#pathOf}); a class that other packages see is not
   * followed.
   */
  private static boolean everyNewIsMadeAs(
      ClassSymbol cls, TreePath path, CreationTest made, VisitorState state) {
    List<TreePath> scopes = new ArrayList<>();
    if (cls.getModifiers().contains(Modifier.PRIVATE)) {
      TreePath top = Trees.topLevelClass(path);
      if (top == null) {
        return false;
      }
      scopes.add(top);
    } else {
      boolean seenOutsideItsPackage = true;
      for (Symbol s = cls; s instanceof ClassSymbol c; s = c.owner) {
        seenOutsideItsPackage &=
            c.getModifiers().contains(Modifier.PUBLIC)
                || c.getModifiers().contains(Modifier.PROTECTED);
      }
      if (seenOutsideItsPackage) {
        return false;
      }
      for (ClassSymbol top : SameCompilation.classesInPackageOf(cls, state)) {
        TreePath file = SameCompilation.pathOf(top, state);
        if (file == null) {
          return false; // a file of the package that cannot be read may make one
        }
        scopes.add(file);
      }
    }
    boolean isThread = isSubtype(cls.type, KnownTypes.THREAD.get(state), state);
    int[] count = new int[1];
    boolean[] other = new boolean[1];
    for (TreePath scope : scopes) {
      new LazyPathScanner<Void, Void>() {
        @Override
        public Void visitNewClass(NewClassTree tree, Void unused) {
          if (cls.equals(ASTHelpers.getSymbol(tree.getIdentifier()))) {
            count[0]++;
            TreePath here = getCurrentPath();
            boolean accepted =
                isThread
                    ? made.test(here, state)
                    : here.getParentPath() != null
                        && isThreadOfTask(here.getParentPath(), tree, made, state);
            if (!accepted) {
              other[0] = true;
              stop();
              return null;
            }
          }
          return super.visitNewClass(tree, null);
        }
      }.scan(scope, null);
      if (other[0]) {
        return false;
      }
    }
    return count[0] > 0;
  }

  /**
   * Whether the {@code new} of a thread at {@code creation} makes a thread that nobody holds and
   * that has no owner by construction ({@link #hasOwnerByConstruction}): started at once ({@code
   * new Thread(…).start()}), or kept in a local variable that is only configured and started
   * ({@link #localThreadUses}).
   */
  private static boolean isDroppedCreation(TreePath creation, VisitorState state) {
    if (!(creation.getLeaf() instanceof NewClassTree newThread)) {
      return false;
    }
    TreePath parent = creation.getParentPath();
    if (parent == null) {
      return false;
    }
    if (parent.getLeaf() instanceof MemberSelectTree select
        && select.getIdentifier().contentEquals("start")) {
      // started at once
    } else if (parent.getLeaf() instanceof VariableTree variable
        && ASTHelpers.getSymbol(variable) != null
        && ASTHelpers.getSymbol(variable).getKind() == ElementKind.LOCAL_VARIABLE
        && parent.getParentPath() != null) {
      LocalThreadUses uses =
          localThreadUses(ASTHelpers.getSymbol(variable), parent.getParentPath());
      if (!uses.started() || uses.owned()) {
        return false;
      }
    } else {
      return false;
    }
    return !hasOwnerByConstruction(creation, newThread, state);
  }

  /**
   * Whether the {@code new} of a thread at {@code creation} makes a thread that the process owns
   * ({@link #isProcessThread}), once: it is started at once ({@code new Thread(…).start()}) or kept
   * in a local variable (then {@code setDaemon} on it with anything but {@code false} makes it a
   * daemon), and not made per element of an input of unknown size.
   */
  private static boolean isProcessCreation(TreePath creation, VisitorState state) {
    if (!(creation.getLeaf() instanceof NewClassTree newThread)) {
      return false;
    }
    TreePath parent = creation.getParentPath();
    boolean madeDaemon;
    if (parent != null
        && parent.getLeaf() instanceof MemberSelectTree select
        && select.getIdentifier().contentEquals("start")) {
      madeDaemon = false;
    } else if (parent != null
        && parent.getLeaf() instanceof VariableTree variable
        && ASTHelpers.getSymbol(variable) != null
        && ASTHelpers.getSymbol(variable).getKind() == ElementKind.LOCAL_VARIABLE
        && parent.getParentPath() != null) {
      VarSymbol local = ASTHelpers.getSymbol(variable);
      madeDaemon =
          Trees.containsCall(
              parent.getParentPath().getLeaf(),
              call ->
                  Trees.calledName(call).equals("setDaemon")
                      && local.equals(SameVariable.variable(ASTHelpers.getReceiver(call)))
                      && !(call.getArguments().size() == 1
                          && Boolean.FALSE.equals(
                              ASTHelpers.constValue(call.getArguments().get(0)))));
    } else {
      return false;
    }
    return EnclosingLoops.unboundedInputLoop(creation, state).isEmpty()
        && isProcessThread(creation, newThread, madeDaemon, state);
  }

  private static boolean callsSetDaemon(Tree tree) {
    return Trees.containsCall(tree, call -> Trees.calledName(call).equals("setDaemon"));
  }

  /**
   * Whether {@code path} is directly in the body of a program's entry point, {@code public static
   * void main(String[])}: not in a lambda, anonymous or local class inside it.
   */
  public static boolean isInProgramMain(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
        return false;
      }
      if (leaf instanceof MethodTree method) {
        return isProgramMain(ASTHelpers.getSymbol(method));
      }
    }
    return false;
  }

  /** Whether {@code sym} is a program's entry point, {@code public static void main(String[])}. */
  private static boolean isProgramMain(@Nullable MethodSymbol sym) {
    return sym != null
        && sym.getSimpleName().contentEquals("main")
        && sym.isStatic()
        && sym.getModifiers().contains(Modifier.PUBLIC)
        && sym.getReturnType().getKind() == TypeKind.VOID
        && sym.getParameters().size() == 1
        && sym.getParameters().get(0).type instanceof Type.ArrayType array
        && array.elemtype.tsym.getQualifiedName().contentEquals("java.lang.String");
  }

  /**
   * Whether the {@code Runnable} handed to the new thread is a field of this object ({@code new
   * Thread(acceptor, name)}, {@code factory.newThread(this.worker)}) that the top-level class also
   * stops: it calls a method whose name says that it stops, ends or waits ({@link #STOPS}: {@code
   * acceptor.stopMillis(…)}, {@code worker.shutdown()}) on that field, or passes the field to such
   * a method. The owner keeps the thread's task and can stop it, wherever the task's class is
   * declared (its stop flag and latch may live in another file).
   */
  private static boolean runnableKeptAndStopped(
      ExpressionTree creation, TreePath start, VisitorState state) {
    List<? extends ExpressionTree> arguments = Trees.argumentsOf(creation);
    TreePath top = Trees.topLevelClass(start);
    Type runnable = RUNNABLE.get(state);
    if (top == null || runnable == null) {
      return false;
    }
    for (ExpressionTree argument : arguments) {
      ExpressionTree a = ASTHelpers.stripParentheses(argument);
      VarSymbol field = SameVariable.variable(a);
      if (Trees.isNameOrThisMember(a)
          && field != null
          && field.getKind() == ElementKind.FIELD
          && field.type != null
          && ASTHelpers.isSubtype(field.type, runnable, state)
          && isStopped(field, top.getLeaf())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code tree} calls a {@link #STOPS} method on {@code field} or passes {@code field} to
   * one.
   */
  private static boolean isStopped(VarSymbol field, Tree tree) {
    return Trees.containsCall(
        tree,
        call ->
            STOPS.matcher(Trees.calledName(call)).matches()
                && (field.equals(SameVariable.variable(ASTHelpers.getReceiver(call)))
                    || call.getArguments().stream()
                        .anyMatch(argument -> field.equals(SameVariable.variable(argument)))));
  }

  /**
   * Whether the thread that {@code creation} makes, started at {@code start}, is an executor's
   * overflow for one task: it runs a {@code Runnable} variable (an effectively final local or
   * parameter) that the same method first offers to an executor ({@code execute}, {@code submit},
   * {@code schedule…}), and it is started only on the path where that offer failed: in the branch
   * of {@code if (!rc)} (or the {@code else} of {@code if (rc)}) where {@code rc} is the {@code
   * boolean} result of the offer (or the offer itself is the condition), or in a {@code catch
   * (RejectedExecutionException e)} of a {@code try} that makes the offer. The thread runs the very
   * task that the pool would have run, for the task's owner, and ends with it (JGroups' {@code
   * boolean rc = thread_pool.execute(r); if (!rc) factory.newThread(r).start();}). A thread started
   * on the success path or unconditionally, a thread that runs another task, or a {@code Thread}
   * subclass (which may do more than run the task) does not count.
   */
  private static boolean isRejectedExecutionFallback(
      TreePath start, ExpressionTree creation, VisitorState state) {
    VarSymbol task = overflowTask(creation, state);
    if (task == null) {
      return false;
    }
    for (Trees.Enclosing around : Trees.enclosingInBody(start)) {
      TreePath p = around.path();
      Tree leaf = around.leaf();
      Tree child = around.child();
      if (leaf instanceof IfTree ifTree) {
        ExpressionTree condition = ASTHelpers.stripParentheses(ifTree.getCondition());
        boolean negated = condition.getKind() == Tree.Kind.LOGICAL_COMPLEMENT;
        ExpressionTree offer =
            negated
                ? ASTHelpers.stripParentheses(((UnaryTree) condition).getExpression())
                : condition;
        boolean failedBranch =
            negated ? child == ifTree.getThenStatement() : child == ifTree.getElseStatement();
        if (failedBranch && isOfferResult(offer, task, p)) {
          return true;
        }
      } else if (leaf instanceof CatchTree clause
          && child == clause.getBlock()
          && p.getParentPath() != null
          && p.getParentPath().getLeaf() instanceof TryTree tryTree
          && catchesRejection(clause)
          && Trees.containsCall(tryTree.getBlock(), call -> isOffer(call, task))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The task that the thread made by {@code creation} runs, when it is an effectively final local
   * {@code Runnable} variable or parameter handed to {@code new Thread(…)} (no subclass), a thread
   * factory or a thread builder; else {@code null}.
   */
  private static @Nullable VarSymbol overflowTask(ExpressionTree creation, VisitorState state) {
    ExpressionTree e = ASTHelpers.stripParentheses(creation);
    if (e instanceof NewClassTree newThread) {
      Type type = ASTHelpers.getType(newThread.getIdentifier());
      if (newThread.getClassBody() != null
          || type == null
          || !type.tsym.getQualifiedName().contentEquals("java.lang.Thread")) {
        return null;
      }
    }
    for (ExpressionTree argument : Trees.argumentsOf(e)) {
      if (ASTHelpers.stripParentheses(argument) instanceof IdentifierTree id
          && ASTHelpers.getSymbol(id) instanceof VarSymbol var
          && (var.getKind() == ElementKind.LOCAL_VARIABLE || var.getKind() == ElementKind.PARAMETER)
          && ASTHelpers.isConsideredFinal(var)
          && isSubtype(var.type, RUNNABLE.get(state), state)) {
        return var;
      }
    }
    return null;
  }

  /**
   * Whether {@code condition} is the result of offering {@code task} to an executor: the offer
   * itself, or an effectively final local {@code boolean} initialized with it in a block around
   * {@code ifPath}, before the {@code if}.
   */
  private static boolean isOfferResult(ExpressionTree condition, VarSymbol task, TreePath ifPath) {
    if (condition instanceof MethodInvocationTree call) {
      return isOffer(call, task);
    }
    if (!(condition instanceof IdentifierTree id)
        || !(ASTHelpers.getSymbol(id) instanceof VarSymbol result)
        || result.getKind() != ElementKind.LOCAL_VARIABLE
        || !ASTHelpers.isConsideredFinal(result)) {
      return false;
    }
    for (Trees.Enclosing around : Trees.enclosingInBody(ifPath)) {
      if (around.leaf() instanceof BlockTree block) {
        for (StatementTree statement : block.getStatements()) {
          if (statement == around.child()) {
            break;
          }
          if (statement instanceof VariableTree declaration
              && result.equals(ASTHelpers.getSymbol(declaration))) {
            return declaration.getInitializer() != null
                && ASTHelpers.stripParentheses(declaration.getInitializer())
                    instanceof MethodInvocationTree call
                && isOffer(call, task);
          }
        }
      }
    }
    return false;
  }

  /** Whether {@code call} hands {@code task} to an executor: {@code pool.execute(task)}. */
  private static boolean isOffer(MethodInvocationTree call, VarSymbol task) {
    return LibraryModel.EXECUTOR_HAND_OFF_NAMES.contains(Trees.calledName(call))
        && call.getArguments().stream()
            .anyMatch(
                argument ->
                    ASTHelpers.stripParentheses(argument) instanceof IdentifierTree id
                        && task.equals(ASTHelpers.getSymbol(id)));
  }

  /** Whether {@code clause} catches {@code RejectedExecutionException} (alone or in a union). */
  private static boolean catchesRejection(CatchTree clause) {
    for (Tree type : Trees.caughtTypes(clause)) {
      Type caught = ASTHelpers.getType(type);
      if (caught != null
          && caught
              .tsym
              .getQualifiedName()
              .contentEquals("java.util.concurrent.RejectedExecutionException")) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code path} is in an implementation of {@code Executor.execute}. */
  private static boolean implementsExecute(TreePath path, VisitorState state) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree) {
        Type type = ASTHelpers.getType(leaf);
        if (type != null && ASTHelpers.isSubtype(type, EXECUTOR.get(state), state)) {
          return true;
        }
      }
      if (leaf instanceof MethodTree method) {
        MethodSymbol sym = ASTHelpers.getSymbol(method);
        return sym != null
            && sym.getSimpleName().contentEquals("execute")
            && sym.getParameters().size() == 1
            && ASTHelpers.isSubtype(sym.owner.type, EXECUTOR.get(state), state);
      }
      if (leaf instanceof ClassTree) {
        return false;
      }
    }
    return false;
  }

  /**
   * Whether the code at {@code path} runs only under a start-once guard in its method: the {@code
   * then} branch of {@code if (x.compareAndSet(…))}, {@code if (x.tryAcquire(…))}/{@code
   * tryLock(…)} (also as one operand of {@code &&}), or {@code if (!flag)} whose branch sets {@code
   * flag}; or after {@code if (flag) return;} (the branch may log first) and an assignment to
   * {@code flag} that comes before the code, in the guard's block or in a block nested in it. With
   * {@code throughCallers}, a private or package-private method that every call in its top-level
   * class makes under such a guard counts too.
   */
  private static boolean isStartOnceGuarded(
      TreePath path, VisitorState state, boolean throughCallers) {
    Tree child = path.getLeaf();
    List<StatementTree> before = new ArrayList<>(); // statements that run before, in inner blocks
    for (TreePath p = path.getParentPath(); p != null; child = p.getLeaf(), p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof IfTree ifTree
          && child == ifTree.getThenStatement()
          && isGuard(ifTree.getCondition(), ifTree.getThenStatement())) {
        return true;
      }
      if (leaf instanceof IfTree ifTree
          && child == ifTree.getElseStatement()
          && isNegatedCallGuard(ifTree.getCondition())) {
        return true; // if (!permits.tryAcquire()) { skip } else { start }
      }
      if (leaf instanceof BlockTree block
          && (isAfterEarlyReturnGuard(block, child, before)
              || isAfterFailedGuardExit(block, child))) {
        return true;
      }
      if (leaf instanceof BlockTree block) {
        for (StatementTree statement : block.getStatements()) {
          if (statement == child) {
            break;
          }
          before.add(statement);
        }
      }
      if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
        return false;
      }
      if (leaf instanceof MethodTree method) {
        MethodSymbol sym = ASTHelpers.getSymbol(method);
        if (!throughCallers || sym == null || !(isPrivate(sym) || isPackagePrivate(sym))) {
          return false;
        }
        TreePath top = Trees.topLevelClass(p);
        if (top == null) {
          return false;
        }
        ClassFacts facts =
            top.getLeaf() instanceof ClassTree cls && ASTHelpers.getSymbol(cls) != null
                ? readFacts(ASTHelpers.getSymbol(cls), top, state)
                : null;
        if (facts == null) {
          return false;
        }
        List<TreePath> calls = facts.calls.getOrDefault(sym, List.of());
        if (calls.isEmpty() || !facts.references.getOrDefault(sym, List.of()).isEmpty()) {
          return false;
        }
        for (TreePath call : calls) {
          if (!isStartOnceGuarded(call, state, /* throughCallers= */ false)) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static boolean isGuard(ExpressionTree condition, StatementTree then) {
    ExpressionTree c = ASTHelpers.stripParentheses(condition);
    if (c instanceof BinaryTree and && c.getKind() == Tree.Kind.CONDITIONAL_AND) {
      // if (sock != null && closing.compareAndSet(false, true)): the branch runs only if it won
      return isGuard(and.getLeftOperand(), then) || isGuard(and.getRightOperand(), then);
    }
    if (c instanceof MethodInvocationTree call) {
      return isGuardCall(call);
    }
    if (c instanceof UnaryTree unary && c.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      VarSymbol flag = booleanField(unary.getExpression());
      return flag != null && assigns(then, flag);
    }
    return false;
  }

  private static boolean isGuardCall(MethodInvocationTree call) {
    String name = Trees.calledName(call);
    return name.equals("compareAndSet")
        || name.equals("weakCompareAndSet")
        || name.equals("tryAcquire")
        || name.equals("tryLock");
  }

  /** {@code !x.compareAndSet(…)}, {@code !x.tryAcquire(…)}, {@code !x.tryLock(…)}. */
  private static boolean isNegatedCallGuard(ExpressionTree condition) {
    ExpressionTree c = ASTHelpers.stripParentheses(condition);
    return c instanceof UnaryTree unary
        && c.getKind() == Tree.Kind.LOGICAL_COMPLEMENT
        && ASTHelpers.stripParentheses(unary.getExpression()) instanceof MethodInvocationTree call
        && isGuardCall(call);
  }

  /**
   * Whether {@code child} follows, in {@code block}, {@code if (!x.compareAndSet(…)) return;} (or
   * {@code throw}): the code after it runs only for the caller that won the guard.
   */
  private static boolean isAfterFailedGuardExit(BlockTree block, Tree child) {
    for (StatementTree statement : block.getStatements()) {
      if (statement == child) {
        return false;
      }
      if (statement instanceof IfTree ifTree
          && ifTree.getElseStatement() == null
          && isNegatedCallGuard(ifTree.getCondition())
          && exits(ifTree.getThenStatement())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code child} follows, in {@code block}, {@code if (flag) return;} and {@code flag =
   * …}: the assignment after the guard in {@code block}, or in {@code inner}, the statements that
   * run before {@code child}'s code in the blocks nested in {@code child} ({@code if (alive)
   * return; … if (socket != null) { alive = true; start(); }}).
   */
  private static boolean isAfterEarlyReturnGuard(
      BlockTree block, Tree child, List<StatementTree> inner) {
    VarSymbol guardFlag = null;
    boolean assigned = false;
    for (StatementTree statement : block.getStatements()) {
      if (statement == child) {
        if (guardFlag != null && !assigned) {
          for (StatementTree s : inner) {
            assigned |= assigns(s, guardFlag);
          }
        }
        return guardFlag != null && assigned;
      }
      if (statement instanceof IfTree ifTree
          && ifTree.getElseStatement() == null
          && exits(ifTree.getThenStatement())) {
        VarSymbol flag = booleanField(ifTree.getCondition());
        if (flag != null) {
          guardFlag = flag;
        }
      } else if (guardFlag != null && assigns(statement, guardFlag)) {
        assigned = true;
      }
    }
    return false;
  }

  /**
   * Whether the branch {@code statement} never falls through to the code after its {@code if}: a
   * {@code return} or {@code throw}, or a block that ends with one ({@code { log("again"); return;
   * }}). A {@code break} or {@code continue} before it leaves a loop or switch around the {@code
   * if}, and so skips that code too.
   */
  private static boolean exits(StatementTree statement) {
    List<? extends StatementTree> statements =
        statement instanceof BlockTree block ? block.getStatements() : List.of(statement);
    if (statements.isEmpty()) {
      return false;
    }
    StatementTree last = statements.get(statements.size() - 1);
    return last instanceof ReturnTree || last instanceof ThrowTree;
  }

  /** The non-final boolean field that {@code tree} reads (directly or negated), if any. */
  private static @Nullable VarSymbol booleanField(ExpressionTree tree) {
    ExpressionTree e = ASTHelpers.stripParentheses(tree);
    if (e instanceof UnaryTree unary && e.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      e = ASTHelpers.stripParentheses(unary.getExpression());
    }
    return ASTHelpers.getSymbol(e) instanceof VarSymbol var
            && var.getKind() == ElementKind.FIELD
            && (var.flags() & Flags.FINAL) == 0
            && var.type != null
            && var.type.getKind() == TypeKind.BOOLEAN
        ? var
        : null;
  }

  private static boolean assigns(Tree tree, VarSymbol field) {
    return new BodyScan.Scanner() {
      @Override
      public Void visitAssignment(AssignmentTree assignment, Void unused) {
        if (field.equals(ASTHelpers.getSymbol(assignment.getVariable()))) {
          stop();
        }
        return super.visitAssignment(assignment, null);
      }
    }.finds(tree);
  }

  /**
   * Whether the method around {@code start} is a helper whose documentation (its Javadoc, or, for a
   * public method, the {@code //} lines right above it) says that it runs a task parameter on a
   * thread, and the thread is given exactly that parameter: a {@code Runnable}, or any other
   * functional interface the thread calls back (JeroMQ's {@code ZThread.start(IDetachedRunnable,
   * Object...)}). An executor in all but name, whose caller owns the task.
   */
  private static boolean isDocumentedThreadHelper(
      TreePath start, ExpressionTree creation, VisitorState state) {
    List<? extends ExpressionTree> args = Trees.argumentsOf(creation);
    VarSymbol parameter = null;
    for (ExpressionTree arg : args) {
      if (ASTHelpers.getSymbol(arg) instanceof VarSymbol var
          && var.getKind() == ElementKind.PARAMETER
          && var.type != null
          && (ASTHelpers.isSubtype(var.type, RUNNABLE.get(state), state)
              || state.getTypes().isFunctionalInterface(var.type))) {
        parameter = var;
      }
    }
    if (parameter == null) {
      return false;
    }
    for (TreePath p = start; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof LambdaExpressionTree || p.getLeaf() instanceof ClassTree) {
        return false;
      }
      if (p.getLeaf() instanceof MethodTree method) {
        boolean own = false;
        for (VariableTree v : method.getParameters()) {
          own |= parameter.equals(ASTHelpers.getSymbol(v));
        }
        return own && javadocMentionsThread(method, state);
      }
    }
    return false;
  }

  private static boolean javadocMentionsThread(MethodTree method, VisitorState state) {
    CharSequence source = state.getSourceCode();
    int pos = ASTHelpers.getStartPosition(method);
    if (source == null || pos <= 0) {
      return false;
    }
    int end = pos;
    while (end > 0 && Character.isWhitespace(source.charAt(end - 1))) {
      end--;
    }
    if (end < 2 || source.charAt(end - 1) != '/' || source.charAt(end - 2) != '*') {
      // Above a public method, a block of // lines is its documentation (code bases written in
      // that style, as JeroMQ's); above any other method it is a remark, not a contract.
      return method.getModifiers().getFlags().contains(Modifier.PUBLIC)
          && lineCommentsBefore(source, end).toLowerCase(Locale.ROOT).contains("thread");
    }
    String before = source.subSequence(0, end).toString();
    int open = before.lastIndexOf("/*", end - 3); // the comment that ends right before the method
    if (open < 0 || !before.startsWith("/**", open)) {
      return false;
    }
    String doc = before.substring(open).toLowerCase(Locale.ROOT);
    return doc.contains("thread");
  }

  /**
   * The {@code //} comment lines that end at {@code end} (the last non-blank character before a
   * declaration), each line holding only its comment; empty if there are none.
   */
  private static String lineCommentsBefore(CharSequence source, int end) {
    StringBuilder comments = new StringBuilder();
    int lineEnd = end;
    while (lineEnd > 0) {
      int lineStart = lineEnd;
      while (lineStart > 0 && source.charAt(lineStart - 1) != '\n') {
        lineStart--;
      }
      String line = source.subSequence(lineStart, lineEnd).toString().strip();
      if (!line.startsWith("//")) {
        break;
      }
      comments.append(line).append('\n');
      lineEnd = lineStart - 1;
    }
    return comments.toString();
  }

  /**
   * Reads a thread's body for {@link ThreadBody#onlyEndsALifeCycle}: whether its statements only
   * end life cycles, log, restart what they stopped, test, lock, return, or catch and report.
   */
  private static final class LifeCycleEnd {
    private final List<ExpressionTree> ended = new ArrayList<>();
    private final List<ExpressionTree> started = new ArrayList<>();
    private final List<ExpressionTree> prepared = new ArrayList<>();
    private boolean ends;

    /**
     * Whether something was ended, and everything started again, or prepared for its end, was
     * stopped.
     */
    boolean complete() {
      return ends && allEnded(started) && allEnded(prepared);
    }

    private boolean allEnded(List<ExpressionTree> receivers) {
      return receivers.stream().allMatch(s -> ended.stream().anyMatch(e -> SameVariable.of(e, s)));
    }

    /**
     * Whether {@code tree} only does what such a thread may do; in a {@code catch} of {@code
     * caught}, a call given the exception (which reports it) counts too.
     */
    boolean only(@Nullable Tree tree, @Nullable Symbol caught) {
      if (tree == null) {
        return true;
      }
      if (tree instanceof MethodInvocationTree call) {
        return call(call, caught);
      }
      if (tree instanceof ExpressionStatementTree statement) {
        return statement.getExpression() instanceof MethodInvocationTree call && call(call, caught);
      }
      if (tree instanceof BlockTree block) {
        return block.getStatements().stream().allMatch(s -> only(s, caught));
      }
      if (tree instanceof IfTree ifTree) {
        return only(ifTree.getThenStatement(), caught) && only(ifTree.getElseStatement(), caught);
      }
      if (tree instanceof SynchronizedTree sync) {
        return only(sync.getBlock(), caught);
      }
      if (tree instanceof TryTree tryTree) {
        return tryTree.getResources().isEmpty()
            && only(tryTree.getBlock(), caught)
            && only(tryTree.getFinallyBlock(), caught)
            && tryTree.getCatches().stream()
                .allMatch(c -> only(c.getBlock(), ASTHelpers.getSymbol(c.getParameter())));
      }
      if (tree instanceof ReturnTree ret) {
        return ret.getExpression() == null;
      }
      return tree instanceof EmptyStatementTree;
    }

    private boolean call(MethodInvocationTree call, @Nullable Symbol caught) {
      String name = Trees.calledName(call);
      if (ENDS_LIFE_CYCLE.matcher(name).matches()) {
        ends = true;
        ExpressionTree receiver = ASTHelpers.getReceiver(call);
        if (receiver != null) {
          ended.add(receiver);
        }
        return true;
      }
      if (name.equals("start") || name.equals("restart")) {
        ExpressionTree receiver = ASTHelpers.getReceiver(call);
        if (receiver == null) {
          return false;
        }
        started.add(receiver);
        return true;
      }
      if (preparesAnEnd(name, call)) {
        ExpressionTree receiver = ASTHelpers.getReceiver(call);
        if (receiver == null) {
          return false;
        }
        prepared.add(receiver); // counts only if the same object is ended (complete())
        return true;
      }
      return reports(call, caught);
    }
  }

  /**
   * Whether {@code call} says how an end is to go, when made on the object that is then ended: a
   * setter ({@code broker.setSystemExitOnShutdown(exit)}, a name {@code set…} with arguments) or a
   * request for a restart after the stop ({@code broker.requestRestart()}).
   */
  private static boolean preparesAnEnd(String name, MethodInvocationTree call) {
    return (name.length() > 3
            && name.startsWith("set")
            && Character.isUpperCase(name.charAt(3))
            && !call.getArguments().isEmpty())
        || (name.startsWith("request") && name.endsWith("Restart"));
  }

  /**
   * Whether {@code call} only logs ({@link LoggingCalls#onlyReports}), or, in a {@code catch} of
   * {@code caught}, is given the exception: it reports the failure ({@code
   * DbException.traceThrowable(e)}, {@code LOGGER.errorStoppingServer(e)}).
   */
  private static boolean reports(MethodInvocationTree call, @Nullable Symbol caught) {
    return LoggingCalls.onlyReports(call)
        || (caught instanceof VarSymbol exception
            && call.getArguments().stream().anyMatch(a -> Symbols.mentions(a, exception)));
  }

  /** The code a new thread runs, found from its creation, and what in it gives it an owner. */
  private static final class ThreadBody {
    private final VisitorState state;
    private final List<Tree> bodies = new ArrayList<>();
    private @Nullable ClassSymbol bodyClass;

    /**
     * Whether the thread's {@code Runnable} only completes a promise: {@code promise::complete}.
     */
    private boolean deliversResult;

    /**
     * Whether the thread's {@code Runnable} is a method reference named like an end: {@code
     * server::stop}.
     */
    private boolean referencesAnEnd;

    /** The top-level class of the code that starts the thread. */
    private final @Nullable TreePath top;

    /** What the thread is given: the creation's arguments, and those of a {@code new} Runnable. */
    private final List<ExpressionTree> handed = new ArrayList<>();

    /** Where the thread is started. */
    private final TreePath start;

    ThreadBody(ExpressionTree creation, TreePath start, VisitorState state) {
      this.state = state;
      this.start = start;
      ExpressionTree e = ASTHelpers.stripParentheses(creation);
      TreePath top = Trees.topLevelClass(start);
      this.top = top;
      handed.addAll(Trees.argumentsOf(e));
      if (e instanceof NewClassTree newClass) {
        if (newClass.getClassBody() != null) {
          addRun(newClass.getClassBody());
          bodyClass = ASTHelpers.getSymbol(newClass.getClassBody());
        } else if (ASTHelpers.getSymbol(newClass.getIdentifier()) instanceof ClassSymbol cls
            && !cls.getQualifiedName().contentEquals("java.lang.Thread")) {
          addClass(cls, top);
        }
        newClass.getArguments().forEach(arg -> addRunnable(arg, start, top));
      } else if (e instanceof MethodInvocationTree call) {
        call.getArguments().forEach(arg -> addRunnable(arg, start, top));
      }
    }

    private void addRunnable(ExpressionTree arg, TreePath start, @Nullable TreePath top) {
      ExpressionTree a = ASTHelpers.stripParentheses(arg);
      if (a instanceof LambdaExpressionTree lambda) {
        bodies.add(lambda.getBody());
        deliversResult |= onlyCompletes(lambda.getBody());
      } else if (a instanceof MemberReferenceTree reference
          && COMPLETES.contains(reference.getName().toString())
          && SameVariable.variable(reference.getQualifierExpression()) != null
          && isPromise(ASTHelpers.getType(reference.getQualifierExpression()))) {
        deliversResult = true; // newThread(promise::complete)
      } else if (a instanceof MemberReferenceTree reference
          && ENDS_LIFE_CYCLE.matcher(reference.getName()).matches()) {
        referencesAnEnd = true; // newThread(server::stop): the reference is the call
      } else if (a instanceof MemberReferenceTree
          && ASTHelpers.getSymbol(a) instanceof MethodSymbol target) {
        MethodTree method = findMethod(target, top);
        if (method != null && method.getBody() != null) {
          bodies.add(method.getBody());
        }
      } else if (a instanceof NewClassTree newClass) {
        handed.addAll(newClass.getArguments());
        if (newClass.getClassBody() != null) {
          addRun(newClass.getClassBody());
          bodyClass = ASTHelpers.getSymbol(newClass.getClassBody());
        } else if (ASTHelpers.getSymbol(newClass.getIdentifier()) instanceof ClassSymbol cls) {
          addClass(cls, top);
        }
      } else if (a instanceof IdentifierTree id && id.getName().contentEquals("this")) {
        ClassSymbol cls = enclosingClass(start);
        // new Thread(this) runs this Runnable; new Handler(this) only tells the thread its master
        if (cls != null && ASTHelpers.isSubtype(cls.type, RUNNABLE.get(state), state)) {
          addClass(cls, top);
        }
      } else if (bodyClass == null
          && (a instanceof IdentifierTree || a instanceof MemberSelectTree)
          && ASTHelpers.getType(a) != null
          && ASTHelpers.getType(a).tsym instanceof ClassSymbol cls
          && !cls.isInterface()
          && ASTHelpers.isSubtype(ASTHelpers.getType(a), RUNNABLE.get(state), state)) {
        addClass(cls, top); // a Runnable kept in a variable (Worker w = new Worker()): its class
      }
    }

    private void addClass(ClassSymbol cls, @Nullable TreePath top) {
      ClassTree tree = findClass(cls, top);
      if (tree != null) {
        bodyClass = cls;
        addRun(tree);
      }
    }

    private void addRun(ClassTree cls) {
      for (Tree member : cls.getMembers()) {
        if (member instanceof MethodTree method
            && method.getBody() != null
            && method.getName().contentEquals("run")
            && method.getParameters().isEmpty()) {
          bodies.add(method.getBody());
        }
      }
    }

    boolean hasOwner() {
      if (deliversResult || (bodyClass != null && registersItself(bodyClass))) {
        return true;
      }
      for (Tree body : bodies) {
        if (stopsOnSignal(body)) {
          return true;
        }
      }
      return stopsWhenItsResourceIsClosed()
          || onlyEndsALifeCycle()
          || delegatesToStoppedField()
          || signalsItsEnd();
    }

    /**
     * Whether the thread tells a waiter that it has ended: every body ({@link #bodies}, at least
     * one) ends in a {@code try} whose {@code finally} signals a variable ({@link #SIGNALS}: {@code
     * done.countDown()}, {@code started.notifyAll()}, {@code finished.complete(null)}), and code
     * outside the thread waits on that variable ({@link #AWAITS}): for a local of the method that
     * starts the thread, that method after the start ({@code done.await()}); for a field, any
     * method of the top-level class (ActiveMQ's {@code BrokerService}: the persistence adapter's
     * starting thread ends with {@code persistenceAdapterStarted.notifyAll()} in {@code finally},
     * and the broker's starting thread waits on it). A signal given on every path out of the
     * thread, which someone waits for, is a join in all but name. A signal outside {@code finally}
     * (skipped when the work throws), or one nobody waits on, is not.
     */
    private boolean signalsItsEnd() {
      if (top == null || bodies.isEmpty()) {
        return false;
      }
      for (Tree body : bodies) {
        Tree last = body;
        while (last instanceof BlockTree block && !block.getStatements().isEmpty()) {
          last = block.getStatements().get(block.getStatements().size() - 1);
        }
        if (!(last instanceof TryTree tryTree) || tryTree.getFinallyBlock() == null) {
          return false;
        }
        boolean awaitedSignal =
            Trees.containsCall(
                tryTree.getFinallyBlock(),
                call -> {
                  VarSymbol v = SameVariable.variable(ASTHelpers.getReceiver(call));
                  return v != null
                      && SIGNALS.matcher(Trees.calledName(call)).matches()
                      && isAwaitedOutside(v, body);
                });
        if (!awaitedSignal) {
          return false;
        }
      }
      return true;
    }

    /**
     * Whether code outside {@code body} waits on {@code signal}: after the start in the starter's
     * method for a local, anywhere in the top-level class for a field.
     */
    private boolean isAwaitedOutside(VarSymbol signal, Tree body) {
      Tree scope;
      int after;
      if (signal.getKind() == ElementKind.FIELD) {
        scope = top == null ? null : top.getLeaf();
        after = -1;
      } else {
        TreePath function = Trees.enclosingFunction(start);
        scope = function == null ? null : function.getLeaf();
        after = state.getEndPosition(start.getLeaf());
      }
      if (scope == null) {
        return false;
      }
      int bodyStart = ASTHelpers.getStartPosition(body);
      int bodyEnd = state.getEndPosition(body);
      return Trees.containsCall(
          scope,
          call -> {
            int at = ASTHelpers.getStartPosition(call);
            return at > after
                && (at < bodyStart || at >= bodyEnd)
                && AWAITS.contains(Trees.calledName(call))
                && signal.equals(SameVariable.variable(ASTHelpers.getReceiver(call)));
          });
    }

    /**
     * Whether the thread only runs the work of a field of this object that its class also stops:
     * every body ({@link #bodies}, at least one) is one call on the same field ({@code
     * service.listen()}), alone or in a {@code try} whose {@code catch} blocks only log or report,
     * and the top-level class calls a method named like a stop ({@link #STOPS}) on that field or
     * passes the field to one ({@code service.stop()}). As with a {@code Runnable} kept in a field
     * ({@link #runnableKeptAndStopped}), the class keeps the thread's work and stops it (H2's
     * {@code Server}: {@code new Thread(this)} whose {@code run()} is {@code service.listen()},
     * ended by {@code stop()}'s {@code service.stop()}). A body that does anything else, or a field
     * that nothing stops, has no such owner.
     */
    private boolean delegatesToStoppedField() {
      if (top == null || bodies.isEmpty()) {
        return false;
      }
      VarSymbol field = null;
      for (Tree body : bodies) {
        VarSymbol worker = onlyCallOnField(body);
        if (worker == null || (field != null && !field.equals(worker))) {
          return false;
        }
        field = worker;
      }
      return field != null && isStopped(field, top.getLeaf());
    }

    /**
     * The field of this object on which {@code body} makes its one call, alone or in a {@code try}
     * whose {@code catch} blocks only log or report; else null.
     */
    private @Nullable VarSymbol onlyCallOnField(Tree body) {
      Tree t = body;
      while (t instanceof BlockTree block && block.getStatements().size() == 1) {
        t = block.getStatements().get(0);
      }
      if (t instanceof TryTree tryTree
          && tryTree.getResources().isEmpty()
          && tryTree.getFinallyBlock() == null
          && tryTree.getCatches().stream().allMatch(ThreadBody::onlyReports)) {
        t = tryTree.getBlock();
        while (t instanceof BlockTree block && block.getStatements().size() == 1) {
          t = block.getStatements().get(0);
        }
      }
      if (t instanceof ExpressionStatementTree statement) {
        t = statement.getExpression();
      }
      if (!(t instanceof MethodInvocationTree call)) {
        return null;
      }
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      VarSymbol field = receiver == null ? null : SameVariable.variable(receiver);
      return field != null
              && field.getKind() == ElementKind.FIELD
              && Trees.isNameOrThisMember(receiver)
          ? field
          : null;
    }

    /**
     * Whether every statement of the {@code catch} block is a call that only logs, or that is given
     * the caught exception ({@code DbException.traceThrowable(e)}): it reports the failure.
     */
    private static boolean onlyReports(CatchTree clause) {
      Symbol caught = ASTHelpers.getSymbol(clause.getParameter());
      return clause.getBlock().getStatements().stream()
          .allMatch(
              s ->
                  s instanceof ExpressionStatementTree e
                      && e.getExpression() instanceof MethodInvocationTree call
                      && reports(call, caught));
    }

    /**
     * Whether the thread's only work is to end a life cycle: its {@code Runnable} is a method
     * reference named so ({@code server::stop}), or every body ({@link #bodies}, at least one)
     * stops or shuts down something, or exits the process ({@link #ENDS_LIFE_CYCLE}: {@code
     * server.stop()}, {@code ActiveMQServerImpl.this.stop()}, {@code
     * Runtime.getRuntime().exit(1)}), and does nothing else but log, start again what it stopped (a
     * restart: {@code server.stop(); server.start();}), say how the end of what it stops is to go
     * ({@code broker.setSystemExitOnShutdown(exit); broker.requestRestart(); broker.stop();},
     * {@link #preparesAnEnd}), test a condition, lock, return, or catch and report a failure. Such
     * a thread is started because the code that decides the end cannot wait for it (it runs on one
     * of the threads the stop waits for, or must not block): joining it would bring back the wait
     * it avoids, and once it has run there is nothing left to own it. A thread that does any other
     * work (sends, computes, sleeps, loops) before or after the end has no such owner.
     */
    private boolean onlyEndsALifeCycle() {
      if (bodies.isEmpty()) {
        return referencesAnEnd;
      }
      LifeCycleEnd end = new LifeCycleEnd();
      for (Tree body : bodies) {
        if (!end.only(body, null)) {
          return false;
        }
      }
      return end.complete();
    }

    /**
     * Whether closing a resource stops the thread (Java Concurrency in Practice §7.1.6: closing the
     * socket ends a blocking read that an interrupt cannot): the thread is given, or its body
     * reads, a field of the starter's top-level class that holds a resource ({@code AutoCloseable}:
     * a socket, a channel, a stream), a method of that class named like a stop ({@link #STOPS})
     * closes the field ({@code sock.close()}, {@code Util.close(sock, in)}), and every loop of the
     * thread's body ends on the {@code IOException} that a read of a closed resource throws (see
     * {@link #endsOnIoFailure}). The same thread whose resource nobody closes, or whose loop
     * catches the failure and reads again, has no such owner.
     */
    private boolean stopsWhenItsResourceIsClosed() {
      if (top == null || bodies.isEmpty()) {
        return false;
      }
      Set<VarSymbol> resources = new HashSet<>();
      for (ExpressionTree argument : handed) {
        ExpressionTree a = ASTHelpers.stripParentheses(argument);
        VarSymbol field = SameVariable.variable(a);
        if (Trees.isNameOrThisMember(a) && isResourceField(field)) {
          resources.add(field);
        }
      }
      for (Tree body : bodies) {
        new TreeScanner<Void, Void>() {
          @Override
          public Void visitIdentifier(IdentifierTree id, Void unused) {
            if (ASTHelpers.getSymbol(id) instanceof VarSymbol var && isResourceField(var)) {
              resources.add(var);
            }
            return null;
          }

          @Override
          public Void visitMemberSelect(MemberSelectTree select, Void unused) {
            if (ASTHelpers.getSymbol(select) instanceof VarSymbol var && isResourceField(var)) {
              resources.add(var);
            }
            return super.visitMemberSelect(select, null);
          }
        }.scan(body, null);
      }
      if (resources.isEmpty() || !closedByAStopMethod(resources, top.getLeaf())) {
        return false;
      }
      for (Tree body : bodies) {
        if (!endsOnIoFailure(body)) {
          return false;
        }
      }
      return true;
    }

    private boolean isResourceField(@Nullable VarSymbol var) {
      Type closeable = AUTO_CLOSEABLE.get(state);
      return var != null
          && var.getKind() == ElementKind.FIELD
          && var.type != null
          && closeable != null
          && ASTHelpers.isSubtype(var.type, closeable, state);
    }

    /**
     * Whether a method of {@code topLevelClass} named like a stop closes one of {@code resources}:
     * {@code close…()} on it, or {@code close…(…, it, …)}.
     */
    private static boolean closedByAStopMethod(Set<VarSymbol> resources, Tree topLevelClass) {
      return new StoppingScanner() {
        private boolean inStopMethod;

        @Override
        public Void visitMethod(MethodTree method, Void unused) {
          boolean outer = inStopMethod;
          inStopMethod = STOPS.matcher(method.getName().toString()).matches();
          super.visitMethod(method, null);
          inStopMethod = outer;
          return null;
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
          if (inStopMethod
              && Trees.calledName(call).startsWith("close")
              && (resources.contains(SameVariable.variable(ASTHelpers.getReceiver(call)))
                  || call.getArguments().stream()
                      .anyMatch(argument -> resources.contains(SameVariable.variable(argument))))) {
            stop();
          }
          return super.visitMethodInvocation(call, null);
        }
      }.finds(topLevelClass);
    }

    /**
     * Whether {@code body} loops, and every loop in it ends on an {@code IOException}: no {@code
     * try} inside a loop has, as the first of its catch clauses that can catch an {@code
     * IOException} ({@code IOException}, {@code Exception}, {@code Throwable}), one that does not
     * leave the loop (its last statement is a {@code break}, {@code return} or {@code throw}).
     */
    private boolean endsOnIoFailure(Tree body) {
      Type io = IO_EXCEPTION.get(state);
      if (io == null) {
        return false;
      }
      boolean[] loops = new boolean[1];
      boolean readsAgain =
          new BodyScan.LoopScanner() {
            @Override
            protected void enterLoop(Tree loop, @Nullable ExpressionTree condition) {
              loops[0] = true;
            }

            @Override
            public Void visitTry(TryTree tryTree, Integer depth) {
              if (depth > 0) {
                for (CatchTree clause : tryTree.getCatches()) {
                  Type caught = ASTHelpers.getType(clause.getParameter());
                  if (caught != null && ASTHelpers.isSubtype(io, caught, state)) {
                    StatementTree last = Trees.lastStatement(clause.getBlock());
                    if (!(last instanceof BreakTree
                        || last instanceof ReturnTree
                        || last instanceof ThrowTree)) {
                      stop();
                    }
                    break;
                  }
                }
              }
              return super.visitTry(tryTree, depth);
            }
          }.finds(body);
      return loops[0] && !readsAgain;
    }

    /**
     * Whether {@code body} (a lambda's) does nothing but complete promises kept in variables:
     * {@code () -> p.complete(v)}, {@code { if (ok) p.complete(); else p.fail(cause); }}. Such a
     * thread only delivers a result to whoever holds the promise, and ends.
     */
    private boolean onlyCompletes(Tree body) {
      if (body instanceof MethodInvocationTree call) {
        ExpressionTree receiver = ASTHelpers.getReceiver(call);
        return COMPLETES.contains(Trees.calledName(call))
            && receiver != null
            && SameVariable.variable(receiver) != null
            && isPromise(ASTHelpers.getType(receiver))
            && call.getArguments().stream().allMatch(ThreadOwnership::isValue);
      }
      if (body instanceof ExpressionStatementTree statement) {
        return onlyCompletes(statement.getExpression());
      }
      if (body instanceof BlockTree block) {
        return !block.getStatements().isEmpty()
            && block.getStatements().stream().allMatch(this::onlyCompletes);
      }
      if (body instanceof IfTree ifTree) {
        return onlyCompletes(ifTree.getThenStatement())
            && (ifTree.getElseStatement() == null || onlyCompletes(ifTree.getElseStatement()));
      }
      return false;
    }

    /**
     * A future, a completion stage, a latch, or a type whose name says it is a promise or a future
     * (Vert.x's and Netty's {@code Promise}).
     */
    private boolean isPromise(@Nullable Type type) {
      if (type == null || !(type.tsym instanceof ClassSymbol cls)) {
        return false;
      }
      String name = cls.getSimpleName().toString();
      return name.endsWith("Promise")
          || name.endsWith("Future")
          || isSubtype(type, FUTURE.get(state), state)
          || isSubtype(type, COMPLETION_STAGE.get(state), state)
          || isSubtype(type, COUNT_DOWN_LATCH.get(state), state);
    }

    /**
     * Whether a constructor or {@code run()} of {@code cls} hands {@code this} to another object.
     */
    private boolean registersItself(ClassSymbol cls) {
      ClassTree tree = findClass(cls, null);
      if (tree == null) {
        return false;
      }
      for (Tree member : tree.getMembers()) {
        if (member instanceof MethodTree method
            && method.getBody() != null
            && (method.getName().contentEquals("<init>")
                || (method.getName().contentEquals("run") && method.getParameters().isEmpty()))
            && passesThis(method.getBody())) {
          return true;
        }
      }
      return false;
    }

    private @Nullable ClassTree findClass(ClassSymbol cls, @Nullable TreePath top) {
      ClassTree[] found = new ClassTree[1];
      CompilationUnitTree unit = state.getPath().getCompilationUnit();
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitClass(ClassTree tree, Void unused) {
          if (cls.equals(ASTHelpers.getSymbol(tree))) {
            found[0] = tree;
            return null;
          }
          return found[0] == null ? super.visitClass(tree, null) : null;
        }

        @Override
        public Void visitMethod(MethodTree tree, Void unused) {
          return null; // local classes are not looked for
        }
      }.scan(top == null ? unit : top.getCompilationUnit(), null);
      if (found[0] == null) {
        TreePath elsewhere = SameCompilation.pathOfClass(cls, state); // another file, same build
        return elsewhere == null ? null : (ClassTree) elsewhere.getLeaf();
      }
      return found[0];
    }

    private @Nullable MethodTree findMethod(MethodSymbol sym, @Nullable TreePath top) {
      if (!(sym.owner instanceof ClassSymbol owner)) {
        return null;
      }
      ClassTree cls = findClass(owner, top);
      if (cls == null) {
        return null;
      }
      for (Tree member : cls.getMembers()) {
        if (member instanceof MethodTree method && sym.equals(ASTHelpers.getSymbol(method))) {
          return method;
        }
      }
      return null;
    }
  }

  /** Whether {@code body} passes {@code this} to a method or stores it in another object. */
  private static boolean passesThis(Tree body) {
    return new BodyScan.Scanner() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        String name = Trees.calledName(call);
        if (!name.equals("super") && !name.equals("this")) {
          for (ExpressionTree arg : call.getArguments()) {
            if (isThis(arg)) {
              stop();
            }
          }
        }
        return super.visitMethodInvocation(call, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree assignment, Void unused) {
        if (isThis(assignment.getExpression())
            && assignment.getVariable() instanceof MemberSelectTree select
            && !isThis(select.getExpression())) {
          stop();
        }
        return super.visitAssignment(assignment, null);
      }
    }.finds(body);
  }

  private static boolean isThis(ExpressionTree tree) {
    return ASTHelpers.stripParentheses(tree) instanceof IdentifierTree id
        && id.getName().contentEquals("this");
  }

  /**
   * Whether {@code body} has a loop that a flag or a poison pill ends: a loop condition that reads
   * a field or calls a method other than an interruption check, or an {@code if} in a loop that
   * reads a field, or compares with a constant, and then breaks or returns.
   */
  private static boolean stopsOnSignal(Tree body) {
    return new BodyScan.LoopScanner() {
      @Override
      protected void enterLoop(Tree loop, @Nullable ExpressionTree condition) {
        if (condition != null && isSignal(condition)) {
          stop();
        }
      }

      @Override
      public Void visitIf(IfTree tree, Integer loops) {
        if (loops > 0 && leaves(tree.getThenStatement()) && isSignal(tree.getCondition())) {
          stop();
          return null;
        }
        return super.visitIf(tree, loops);
      }
    }.finds(body);
  }

  private static final Set<Tree.Kind> LEAVES =
      Collections.unmodifiableSet(EnumSet.of(Tree.Kind.BREAK, Tree.Kind.RETURN, Tree.Kind.THROW));

  private static boolean leaves(StatementTree statement) {
    return BodyScan.containsKind(statement, LEAVES);
  }

  /**
   * Whether {@code condition} can change because another thread says so: it reads a non-final
   * field, calls a method other than an interruption check ({@code isRunning()}, {@code
   * isStopping()}), or compares with a constant (a poison pill: {@code item == POISON}, {@code
   * "stop".equals(line)}).
   */
  private static boolean isSignal(ExpressionTree condition) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        if (isSignalField(ASTHelpers.getSymbol(tree))) {
          found[0] = true;
        }
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
        if (isSignalField(ASTHelpers.getSymbol(tree))) {
          found[0] = true;
        }
        return super.visitMemberSelect(tree, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        String name = Trees.calledName(call);
        if ((name.equals("equals") || name.equals("equalsIgnoreCase"))
            && call.getArguments().size() == 1) {
          ExpressionTree other = ASTHelpers.getReceiver(call);
          if (isConstant(call.getArguments().get(0)) || (other != null && isConstant(other))) {
            found[0] = true;
            return null;
          }
        }
        ExpressionTree receiver = ASTHelpers.getReceiver(call);
        if (call.getArguments().isEmpty()
            && !name.equals("interrupted")
            && !name.equals("isInterrupted")
            && (receiver == null
                || isThis(receiver)
                || STOP_WORD.matcher(name.toLowerCase(Locale.ROOT)).find()
                || isAtomicField(receiver))) {
          found[0] = true; // isRunning(), !isStopping(), running.get(), future.isCancelled()
          return null;
        }
        return super.visitMethodInvocation(call, null);
      }

      @Override
      public Void visitBinary(BinaryTree tree, Void unused) {
        if ((tree.getKind() == Tree.Kind.EQUAL_TO || tree.getKind() == Tree.Kind.NOT_EQUAL_TO)
            && (isConstant(tree.getLeftOperand()) || isConstant(tree.getRightOperand()))
            && !(isNullLiteral(tree.getLeftOperand()) || isNullLiteral(tree.getRightOperand()))) {
          found[0] = true;
          return null;
        }
        return super.visitBinary(tree, null);
      }
    }.scan(condition, null);
    return found[0];
  }

  /** A non-final boolean field, or a volatile field: a flag that another thread sets. */
  private static boolean isSignalField(@Nullable Symbol sym) {
    return sym instanceof VarSymbol var
        && var.getKind() == ElementKind.FIELD
        && (var.flags() & Flags.FINAL) == 0
        && ((var.flags() & Flags.VOLATILE) != 0
            || (var.type != null
                && (var.type.getKind() == TypeKind.BOOLEAN
                    || var.type.tsym.getQualifiedName().contentEquals("java.lang.Boolean"))));
  }

  /** Whether {@code tree} names a field of a {@code java.util.concurrent.atomic} type. */
  private static boolean isAtomicField(ExpressionTree tree) {
    return ASTHelpers.getSymbol(tree) instanceof VarSymbol var
        && var.getKind() == ElementKind.FIELD
        && var.type != null
        && var.type.tsym != null
        && var.type.tsym.getQualifiedName().toString().startsWith("java.util.concurrent.atomic.");
  }

  private static boolean isConstant(ExpressionTree tree) {
    ExpressionTree e = ASTHelpers.stripParentheses(tree);
    if (e instanceof LiteralTree) {
      return !isNullLiteral(e);
    }
    return ASTHelpers.getSymbol(e) instanceof VarSymbol var
        && var.getKind() == ElementKind.FIELD
        && var.isStatic()
        && (var.flags() & Flags.FINAL) != 0;
  }

  private static boolean isNullLiteral(ExpressionTree tree) {
    return ASTHelpers.stripParentheses(tree).getKind() == Tree.Kind.NULL_LITERAL;
  }

  // ---------------------------------------------------------------------------------------------
  // Whether an owner's loop carries on deliberately.
  // ---------------------------------------------------------------------------------------------

  /**
   * Whether nothing but an interruption (or an exception) ends {@code loop}: its condition is
   * absent, constant, made of final values, or looks only at the interrupt flag; and its body
   * neither returns nor breaks out of it. A loop on a flag or a state getter ({@code while
   * (running)}, {@code while (!isStopping())}), with an {@code if (…) break;} in its body, or over
   * a collection, ends otherwise: an owner may then use the interrupt only to wake it.
   */
  public static boolean loopsForever(Tree loop) {
    ExpressionTree condition;
    StatementTree body;
    if (loop instanceof WhileLoopTree w) {
      condition = w.getCondition();
      body = w.getStatement();
    } else if (loop instanceof DoWhileLoopTree d) {
      condition = d.getCondition();
      body = d.getStatement();
    } else if (loop instanceof ForLoopTree f) {
      condition = f.getCondition();
      body = f.getStatement();
    } else {
      return false; // a for-each loop ends with its input
    }
    return (condition == null || isForeverCondition(condition)) && !leavesLoop(body);
  }

  /** Whether {@code condition} stays true until the thread is interrupted. */
  private static boolean isForeverCondition(ExpressionTree condition) {
    ExpressionTree e = ASTHelpers.stripParentheses(condition);
    if (e instanceof LiteralTree literal) {
      return Boolean.TRUE.equals(literal.getValue());
    }
    if (e instanceof UnaryTree unary && e.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      ExpressionTree inner = ASTHelpers.stripParentheses(unary.getExpression());
      return isInterruptCheck(inner) || isFinalValue(inner);
    }
    if (e instanceof BinaryTree binary
        && (e.getKind() == Tree.Kind.CONDITIONAL_AND || e.getKind() == Tree.Kind.CONDITIONAL_OR)) {
      return isForeverCondition(binary.getLeftOperand())
          && isForeverCondition(binary.getRightOperand());
    }
    return isFinalValue(e);
  }

  private static boolean isInterruptCheck(ExpressionTree e) {
    if (!(e instanceof MethodInvocationTree call)) {
      return false;
    }
    String name = Trees.calledName(call);
    return name.equals("interrupted") || name.equals("isInterrupted");
  }

  private static boolean isSubtype(@Nullable Type type, @Nullable Type of, VisitorState state) {
    return type != null && of != null && ASTHelpers.isSubtype(type, of, state);
  }

  /**
   * Whether {@code e} reads a value without doing work: a literal, a variable, a field, or a getter
   * without arguments on a variable ({@code ar.cause()}).
   */
  private static boolean isValue(ExpressionTree e) {
    ExpressionTree v = ASTHelpers.stripParentheses(e);
    if (v instanceof LiteralTree || v instanceof IdentifierTree || v instanceof MemberSelectTree) {
      return true;
    }
    return v instanceof MethodInvocationTree call
        && call.getArguments().isEmpty()
        && ASTHelpers.getReceiver(call) != null
        && SameVariable.variable(ASTHelpers.getReceiver(call)) != null;
  }

  private static boolean isFinalValue(ExpressionTree e) {
    if (e instanceof LiteralTree) {
      return true;
    }
    if (!(ASTHelpers.getSymbol(e) instanceof VarSymbol var)
        || !(e instanceof IdentifierTree || e instanceof MemberSelectTree)) {
      return false;
    }
    return var.getKind() == ElementKind.FIELD
        ? (var.flags() & Flags.FINAL) != 0 && (var.flags() & Flags.VOLATILE) == 0
        : ASTHelpers.isConsideredFinal(var);
  }

  /**
   * Whether {@code body} can leave its loop: a {@code return}, or a {@code break} that is not
   * inside an inner loop or switch (or names a label outside them).
   */
  private static boolean leavesLoop(StatementTree body) {
    boolean[] found = new boolean[1];
    new JumpScanner() {
      @Override
      public Void visitReturn(ReturnTree tree, @Nullable Void unused) {
        found[0] = true;
        return null;
      }

      @Override
      public Void visitBreak(BreakTree tree, @Nullable Void unused) {
        if (breakTargets() == 0 || tree.getLabel() != null) {
          found[0] = true;
        }
        return null;
      }
    }.scan(body, null);
    return found[0];
  }

  // ---------------------------------------------------------------------------------------------

  private static boolean isPrivate(MethodSymbol sym) {
    return sym.getModifiers().contains(Modifier.PRIVATE);
  }

  /** Neither public, protected nor private: callable only from its own package. */
  private static boolean isPackagePrivate(MethodSymbol sym) {
    Set<Modifier> modifiers = sym.getModifiers();
    return !modifiers.contains(Modifier.PUBLIC)
        && !modifiers.contains(Modifier.PROTECTED)
        && !modifiers.contains(Modifier.PRIVATE)
        && !(sym.owner instanceof ClassSymbol owner && owner.isInterface());
  }

  private static @Nullable ClassSymbol enclosingClass(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree cls) {
        return ASTHelpers.getSymbol(cls);
      }
    }
    return null;
  }
}
