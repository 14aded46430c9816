package dev.tether.checker.utils;

import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.constructor;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.JCDiagnostic.DiagnosticType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Answers "what does this library method do?": the one table of the APIs Tether knows — methods
 * that run a functional argument on another thread (executor hand-offs and thread factories),
 * direct executors (which run a task on the caller's thread) and logging methods, extended by the
 * user's own through {@code -XepOpt:Tether:…} flags; and the built-in tables of signalling
 * synchronizers (latches, barriers, phasers) and of collections unsafe to share without a lock — in
 * the manner of Error Prone's {@code WellKnownThreadSafety} and its {@code
 * ThreadSafe:KnownThreadSafeClasses} flag:
 *
 * <ul>
 *   <li>{@code -XepOpt:Tether:ExecutorMethods=com.acme.Async#run,…}: methods that run a functional
 *       argument on a pool's thread, as {@code Executor.execute} does;
 *   <li>{@code -XepOpt:Tether:ThreadFactories=com.acme.Threads#newThread,…}: methods that create a
 *       thread that runs a functional argument, as {@code ThreadFactory.newThread} does;
 *   <li>{@code -XepOpt:Tether:DirectExecutors=com.acme.Executors#sameThread,…}: methods that return
 *       an executor that runs tasks on the calling thread, as {@code
 *       MoreExecutors.directExecutor()} does;
 *   <li>{@code -XepOpt:Tether:ConfinedExecutors=com.acme.Actor#mailbox,…}: methods that return the
 *       executor whose one thread runs the calling object's own code, as Netty's {@code
 *       ChannelHandlerContext.executor()} and {@code Channel.eventLoop()} do: a task handed to it
 *       runs on the thread that runs the rest of the object (thread confinement);
 *   <li>{@code -XepOpt:Tether:LoggingMethods=audit,report,…}: method names that only write to a
 *       log, as {@code info} or {@code warn} do (by name, as the built-in list).
 * </ul>
 *
 * <p>A method is named {@code <fully qualified class>#<method name>}: every overload counts, an
 * instance method on the class and its subtypes, a static one on the class. A value of another form
 * fails the compilation with one error line that names the flag, the value and the expected form.
 */
public final class LibraryModel {
  /** The flag that names the user's executor methods. */
  public static final String EXECUTOR_METHODS = "Tether:ExecutorMethods";

  /** The flag that names the user's thread factories. */
  public static final String THREAD_FACTORIES = "Tether:ThreadFactories";

  /** The flag that names the user's direct executors. */
  public static final String DIRECT_EXECUTORS = "Tether:DirectExecutors";

  /** The flag that names the user's confined executors. */
  public static final String CONFINED_EXECUTORS = "Tether:ConfinedExecutors";

  /** The flag that names the user's logging methods. */
  public static final String LOGGING_METHODS = "Tether:LoggingMethods";

  private static final Pattern METHOD =
      Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*#[\\w$]+");

  private static final Pattern NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\w$]*");

  /**
   * The names of the methods of {@code Executor}, {@code ExecutorService} and {@code
   * ScheduledExecutorService} that hand one task to a pool: a cheap filter by name, before any
   * look-up of types.
   */
  public static final ImmutableSet<String> EXECUTOR_HAND_OFF_NAMES =
      ImmutableSet.of(
          "execute", "submit", "schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay");

  /**
   * The names of the methods of collections, queues and maps that store an argument in them ({@code
   * add}, {@code offer}, {@code push}, {@code put}, {@code set} and their variants): a cheap filter
   * by name.
   */
  public static final ImmutableSet<String> COLLECTION_INSERTS =
      ImmutableSet.of(
          "add",
          "addFirst",
          "addLast",
          "offer",
          "offerFirst",
          "offerLast",
          "push",
          "put",
          "putIfAbsent",
          "set");

  /** Methods that run a functional argument on a pool's (or timer-less executor's) thread. */
  private static final Matcher<ExpressionTree> BUILT_IN_EXECUTOR_METHODS =
      anyOf(
          instanceMethod().onDescendantOf("java.util.concurrent.Executor").named("execute"),
          instanceMethod().onDescendantOf("java.util.concurrent.ExecutorService").named("submit"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.ScheduledExecutorService")
              .namedAnyOf("schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.ForkJoinPool")
              .namedAnyOf("submit", "execute"));

  /** Calls that create a thread that runs a functional argument, started or not. */
  private static final Matcher<ExpressionTree> BUILT_IN_THREAD_CREATIONS =
      anyOf(
          constructor().forClass("java.lang.Thread"),
          staticMethod().onClass("java.lang.Thread").named("startVirtualThread"),
          instanceMethod()
              .onDescendantOf("java.lang.Thread.Builder")
              .namedAnyOf("start", "unstarted"));

  /** Thread factories: calls that create a thread that is not started yet. */
  private static final Matcher<ExpressionTree> BUILT_IN_THREAD_FACTORIES =
      anyOf(
          instanceMethod().onDescendantOf("java.lang.Thread.Builder").named("unstarted"),
          instanceMethod().onDescendantOf("java.util.concurrent.ThreadFactory").named("newThread"));

  /** Names of the methods that return a direct executor (Guava's, and its older name). */
  private static final ImmutableSet<String> BUILT_IN_DIRECT_EXECUTORS =
      ImmutableSet.of("directExecutor", "newDirectExecutorService", "sameThreadExecutor");

  /**
   * Methods that return the executor whose one thread runs the calling object's own code: a Netty
   * channel handler runs on its context's executor, and a channel's code on its event loop.
   */
  private static final Matcher<ExpressionTree> BUILT_IN_CONFINED_EXECUTORS =
      anyOf(
          instanceMethod()
              .onDescendantOf("io.netty.channel.ChannelHandlerContext")
              .named("executor"),
          instanceMethod().onDescendantOf("io.netty.channel.Channel").named("eventLoop"));

  /** Methods that write a message or an exception to a log, a console or a text sink. */
  static final ImmutableSet<String> BUILT_IN_LOGGING_METHODS =
      ImmutableSet.of(
          "trace",
          "debug",
          "info",
          "warn",
          "warning",
          "error",
          "fatal",
          "severe",
          "fine",
          "finer",
          "finest",
          "config",
          "log",
          "logp",
          "logrb",
          "printStackTrace",
          "println",
          "print",
          "printf",
          "format",
          "append");

  /**
   * Synchronizers that signal or wait and do nothing else: a task that only counts down a latch (or
   * arrives at a barrier or phaser) does no work that can fail.
   */
  private static final ImmutableSet<String> BUILT_IN_SIGNALLING_SYNCHRONIZERS =
      ImmutableSet.of(
          "java.util.concurrent.CountDownLatch",
          "java.util.concurrent.CyclicBarrier",
          "java.util.concurrent.Phaser");

  /** Collections, maps and builders that lose updates when threads write them without a lock. */
  private static final ImmutableList<Supplier<Type>> BUILT_IN_UNSAFE_COLLECTIONS =
      ImmutableList.of(
              "java.util.ArrayList",
              "java.util.LinkedList",
              "java.util.HashMap",
              "java.util.HashSet",
              "java.util.TreeMap",
              "java.util.TreeSet",
              "java.util.ArrayDeque",
              "java.util.PriorityQueue",
              "java.util.IdentityHashMap",
              "java.util.WeakHashMap",
              "java.util.EnumMap",
              "java.util.BitSet",
              "java.lang.StringBuilder")
          .stream()
          .map(Suppliers::typeFromString)
          .collect(ImmutableList.toImmutableList());

  /**
   * The model of a compilation, read once: a malformed value is reported as one javac error (which
   * fails the compilation) and left out, instead of crashing Error Prone in the middle of a check.
   */
  private static final Supplier<LibraryModel> MODEL =
      VisitorState.memoize(
          state ->
              of(
                  state.errorProneOptions().getFlags(),
                  problem ->
                      Diagnostics.report(
                          state.context, DiagnosticType.ERROR, "[Tether] " + problem)));

  private final Matcher<ExpressionTree> executorMethods;
  private final Matcher<ExpressionTree> threadFactories;
  private final Matcher<ExpressionTree> directExecutors;
  private final Matcher<ExpressionTree> confinedExecutors;
  private final ImmutableSet<String> loggingMethods;

  private LibraryModel(
      Matcher<ExpressionTree> executorMethods,
      Matcher<ExpressionTree> threadFactories,
      Matcher<ExpressionTree> directExecutors,
      Matcher<ExpressionTree> confinedExecutors,
      ImmutableSet<String> loggingMethods) {
    this.executorMethods = executorMethods;
    this.threadFactories = threadFactories;
    this.directExecutors = directExecutors;
    this.confinedExecutors = confinedExecutors;
    this.loggingMethods = loggingMethods;
  }

  /** The model of this compilation: the built-in tables plus the user's flags (read once). */
  public static LibraryModel of(VisitorState state) {
    return MODEL.get(state);
  }

  /**
   * The model that {@code flags} describe.
   *
   * @throws IllegalArgumentException when a flag's value is not of its documented form (the message
   *     names the flag, the value and the expected form)
   */
  public static LibraryModel of(ErrorProneFlags flags) {
    return of(
        flags,
        problem -> {
          throw new IllegalArgumentException(problem);
        });
  }

  /**
   * The model that {@code flags} describe; each value that is not of its flag's form is told to
   * {@code problems} (one line that names the flag, the value and the expected form) and left out.
   */
  public static LibraryModel of(ErrorProneFlags flags, Consumer<String> problems) {
    return new LibraryModel(
        anyOf(BUILT_IN_EXECUTOR_METHODS, methods(flags, EXECUTOR_METHODS, problems)),
        anyOf(BUILT_IN_THREAD_FACTORIES, methods(flags, THREAD_FACTORIES, problems)),
        methods(flags, DIRECT_EXECUTORS, problems),
        anyOf(BUILT_IN_CONFINED_EXECUTORS, methods(flags, CONFINED_EXECUTORS, problems)),
        ImmutableSet.<String>builder()
            .addAll(BUILT_IN_LOGGING_METHODS)
            .addAll(names(flags, LOGGING_METHODS, problems))
            .build());
  }

  /** Whether {@code call} runs a functional argument on an executor's thread. */
  public boolean isExecutorMethod(ExpressionTree call, VisitorState state) {
    return executorMethods.matches(call, state);
  }

  /**
   * Whether {@code call} creates a thread that runs a functional argument: a {@code Thread}
   * constructor, {@code Thread.startVirtualThread}, a {@code Thread.Builder} or a thread factory.
   */
  public boolean isThreadCreation(ExpressionTree call, VisitorState state) {
    return BUILT_IN_THREAD_CREATIONS.matches(call, state) || isThreadFactory(call, state);
  }

  /** Whether {@code call} creates a thread that is not started yet (a thread factory). */
  public boolean isThreadFactory(ExpressionTree call, VisitorState state) {
    return threadFactories.matches(call, state);
  }

  /**
   * Whether {@code executor} runs tasks on the calling thread: {@code
   * MoreExecutors.directExecutor()} (or {@code newDirectExecutorService()}, {@code
   * sameThreadExecutor()}), {@code Runnable::run}, or a method named by {@code
   * -XepOpt:Tether:DirectExecutors}.
   */
  public boolean isDirectExecutor(@Nullable ExpressionTree executor, VisitorState state) {
    ExpressionTree e = executor == null ? null : ASTHelpers.stripParentheses(executor);
    if (e instanceof MemberReferenceTree ref) {
      return ref.getName().contentEquals("run");
    }
    if (!(e instanceof MethodInvocationTree call)) {
      return false;
    }
    Symbol sym = ASTHelpers.getSymbol(call);
    return sym != null
        && (BUILT_IN_DIRECT_EXECUTORS.contains(sym.getSimpleName().toString())
            || directExecutors.matches(call, state));
  }

  /**
   * Whether {@code executor} is the executor whose one thread runs the surrounding object's own
   * code: a call of Netty's {@code ChannelHandlerContext.executor()} or {@code Channel.eventLoop()}
   * or of a method named by {@code -XepOpt:Tether:ConfinedExecutors}, or an effectively final local
   * variable initialized with one. A task handed to it runs on the same thread as the code that
   * hands it over, one at a time: the state they share is confined to that thread.
   */
  public boolean isConfinedExecutor(@Nullable ExpressionTree executor, VisitorState state) {
    ExpressionTree e = executor == null ? null : ASTHelpers.stripParentheses(executor);
    if (e instanceof IdentifierTree
        && ASTHelpers.getSymbol(e) instanceof VarSymbol local
        && local.getKind() == ElementKind.LOCAL_VARIABLE
        && ASTHelpers.isConsideredFinal(local)) {
      VariableTree declaration = Declarations.of(local, state.getPath());
      e =
          declaration == null || declaration.getInitializer() == null
              ? null
              : ASTHelpers.stripParentheses(declaration.getInitializer());
    }
    return e instanceof MethodInvocationTree call && confinedExecutors.matches(call, state);
  }

  /** Whether a method named {@code name} writes to a log, a console or a text sink. */
  public boolean isLogging(String name) {
    return loggingMethods.contains(name);
  }

  /**
   * Whether the class named {@code qualifiedName} is a synchronizer that only signals or waits (a
   * {@code CountDownLatch}, {@code CyclicBarrier} or {@code Phaser}). Built in; no flag extends it.
   */
  public static boolean isSignallingSynchronizer(String qualifiedName) {
    return BUILT_IN_SIGNALLING_SYNCHRONIZERS.contains(qualifiedName);
  }

  /**
   * Whether {@code type} is (a subclass of) a collection, map or builder that is not safe to write
   * from several threads without a lock: {@code ArrayList}, {@code HashMap}, {@code StringBuilder}
   * and the other {@code java.util} classes that are not concurrent. Built in; no flag extends it.
   */
  public static boolean isUnsafeCollection(Type type, VisitorState state) {
    for (Supplier<Type> unsafe : BUILT_IN_UNSAFE_COLLECTIONS) {
      Type t = unsafe.get(state);
      if (t != null && ASTHelpers.isSubtype(type, t, state)) {
        return true;
      }
    }
    return false;
  }

  private static Matcher<ExpressionTree> methods(
      ErrorProneFlags flags, String flag, Consumer<String> problems) {
    List<Matcher<ExpressionTree>> matchers = new ArrayList<>();
    for (String value : values(flags, flag)) {
      if (!METHOD.matcher(value).matches()) {
        problems.accept(
            String.format(
                "-XepOpt:%s: '%s' is not a method of the form fully.qualified.Type#method"
                    + " (e.g. com.acme.Async#run)",
                flag, value));
        continue;
      }
      int hash = value.indexOf('#');
      String type = value.substring(0, hash);
      String name = value.substring(hash + 1);
      matchers.add(instanceMethod().onDescendantOf(type).named(name));
      matchers.add(staticMethod().onClass(type).named(name));
    }
    return matchers.isEmpty() ? (tree, state) -> false : anyOf(matchers);
  }

  private static ImmutableList<String> names(
      ErrorProneFlags flags, String flag, Consumer<String> problems) {
    ImmutableList.Builder<String> names = ImmutableList.builder();
    for (String value : values(flags, flag)) {
      if (NAME.matcher(value).matches()) {
        names.add(value);
      } else {
        problems.accept(
            String.format(
                "-XepOpt:%s: '%s' is not a method name of the form methodName (e.g. audit)",
                flag, value));
      }
    }
    return names.build();
  }

  private static ImmutableList<String> values(ErrorProneFlags flags, String flag) {
    return flags.getListOrEmpty(flag).stream()
        .map(String::trim)
        .filter(v -> !v.isEmpty())
        .collect(ImmutableList.toImmutableList());
  }
}
