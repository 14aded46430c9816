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
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MemberReferenceTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberReferenceTree.ReferenceMode;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import dev.tether.checker.utils.EnclosingLoops;
import dev.tether.checker.utils.ExecutorFacts;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags a thread or unbounded-pool task per element of an input. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Bound the number of threads a loop over an input of unknown size starts",
    link = BUGPATTERN + "UnboundedFanOut.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class UnboundedFanOut extends BugChecker
    implements MemberReferenceTreeMatcher, MethodInvocationTreeMatcher, NewClassTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** The flag that extends the check to virtual threads. */
  static final String INCLUDE_VIRTUAL_THREADS = "UnboundedFanOut:IncludeVirtualThreads";

  private static final Supplier<Type> THREAD = Suppliers.typeFromString("java.lang.Thread");
  private static final Supplier<Type> EXECUTOR =
      Suppliers.typeFromString("java.util.concurrent.Executor");

  private static final Matcher<ExpressionTree> SUBMIT =
      anyOf(
          instanceMethod().onDescendantOf("java.util.concurrent.Executor").named("execute"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.ExecutorService")
              .namedAnyOf("submit"));

  private static final Matcher<ExpressionTree> ASYNC =
      anyOf(
          staticMethod()
              .onClass("java.util.concurrent.CompletableFuture")
              .namedAnyOf("runAsync", "supplyAsync"),
          instanceMethod().onDescendantOf("java.util.concurrent.CompletionStage"));

  /** Calls that block until a task or thread is done, or wait for a permit: a bound in sight. */
  private static final Matcher<ExpressionTree> BOUNDING =
      anyOf(
          instanceMethod().onDescendantOf("java.lang.Thread").named("join"),
          instanceMethod().onDescendantOf("java.util.concurrent.Future").named("get"),
          instanceMethod().onDescendantOf("java.util.concurrent.CompletableFuture").named("join"));

  private static final Set<String> PERMIT_METHODS =
      Set.of("acquire", "tryAcquire", "acquireUninterruptibly");

  /** Calls in a loop condition that walk an input of unknown size. */
  private static final Set<String> SIZED_BY_INPUT =
      Set.of(
          "size",
          "length",
          "getLength",
          "getSize",
          "count",
          "hasNext",
          "hasMoreElements",
          "hasMoreTokens",
          "next",
          "nextLine",
          "readLine",
          "poll",
          "take",
          "accept",
          "read",
          "receive");

  /** Calls in the body of an endless loop that wait for the next piece of input. */
  private static final Matcher<ExpressionTree> NEXT_INPUT =
      anyOf(
          instanceMethod().onDescendantOf("java.net.ServerSocket").named("accept"),
          instanceMethod().onDescendantOf("java.nio.channels.ServerSocketChannel").named("accept"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.BlockingQueue")
              .namedAnyOf("take", "poll"));

  /** Sources whose size is written in the code: {@code List.of(a, b)}, {@code Stream.of(a, b)}. */
  private static final Set<String> LITERAL_FACTORIES =
      Set.of("of", "asList", "ofEntries", "singleton", "singletonList", "emptyList", "emptySet");

  private static final Matcher<ExpressionTree> RANGE =
      anyOf(
          staticMethod().onClass("java.util.stream.IntStream").namedAnyOf("range", "rangeClosed"),
          staticMethod().onClass("java.util.stream.LongStream").namedAnyOf("range", "rangeClosed"));

  private static final Matcher<ExpressionTree> STREAM_OP =
      instanceMethod().onDescendantOf("java.util.stream.BaseStream");

  private final boolean includeVirtualThreads;

  /** Creates the check with default options. */
  public UnboundedFanOut() {
    this(ErrorProneFlags.empty());
  }

  /** Creates the check; {@code -XepOpt:UnboundedFanOut:IncludeVirtualThreads=true} adds those. */
  @Inject
  UnboundedFanOut(ErrorProneFlags flags) {
    includeVirtualThreads = flags.getBoolean(INCLUDE_VIRTUAL_THREADS).orElse(false);
  }

  /** What a loop starts per element. */
  private enum Spawn {
    PLATFORM_THREAD,
    VIRTUAL_THREAD,
    UNBOUNDED_POOL_TASK,
    VIRTUAL_POOL_TASK,
  }

  @Override
  public Description matchNewClass(NewClassTree tree, VisitorState state) {
    Type type = ASTHelpers.getType(tree);
    if (type == null
        || type.getKind() == TypeKind.ERROR
        || !ASTHelpers.isSubtype(type, THREAD.get(state), state)) {
      return NO_MATCH;
    }
    return report(tree, Spawn.PLATFORM_THREAD, state);
  }

  /** {@code items.forEach(pool::execute)}, {@code tasks.stream().map(Thread::new)}. */
  @Override
  public Description matchMemberReference(MemberReferenceTree tree, VisitorState state) {
    Symbol sym = ASTHelpers.getSymbol(tree);
    if (sym == null) {
      return NO_MATCH;
    }
    if (tree.getMode() == ReferenceMode.NEW) {
      Type type = ASTHelpers.getType(tree.getQualifierExpression());
      return type != null
              && type.getKind() != TypeKind.ERROR
              && ASTHelpers.isSubtype(type, THREAD.get(state), state)
          ? report(tree, Spawn.PLATFORM_THREAD, state)
          : NO_MATCH;
    }
    if (!SUBMIT.matches(tree, state)) {
      return NO_MATCH;
    }
    Spawn spawn = spawnOnExecutor(tree.getQualifierExpression(), state);
    return spawn == null ? NO_MATCH : report(tree, spawn, state);
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    Spawn spawn = spawnOf(tree, state);
    return spawn == null ? NO_MATCH : report(tree, spawn, state);
  }

  private @Nullable Spawn spawnOf(MethodInvocationTree tree, VisitorState state) {
    Symbol sym = ASTHelpers.getSymbol(tree);
    if (sym == null) {
      return null;
    }
    String name = sym.getSimpleName().toString();
    if (name.equals("startVirtualThread") && returnsThread(tree, state)) {
      return Spawn.VIRTUAL_THREAD;
    }
    if ((name.equals("start") || name.equals("unstarted")) && returnsThread(tree, state)) {
      if (receiverChainCalls(tree, "ofVirtual")) {
        return Spawn.VIRTUAL_THREAD;
      }
      return receiverChainCalls(tree, "ofPlatform") ? Spawn.PLATFORM_THREAD : null;
    }
    ExpressionTree executor;
    if (SUBMIT.matches(tree, state)) {
      executor = ASTHelpers.getReceiver(tree);
    } else if (ASYNC.matches(tree, state) && name.endsWith("Async")) {
      executor = executorArgument(tree, state);
    } else {
      return null;
    }
    return spawnOnExecutor(executor, state);
  }

  /** What a task handed to {@code executor} starts, when its creation is known and unbounded. */
  private static @Nullable Spawn spawnOnExecutor(
      @Nullable ExpressionTree executor, VisitorState state) {
    Optional<ExpressionTree> creation = ExecutorFacts.creation(executor, state);
    if (creation.isEmpty()) {
      return null;
    }
    if (isVirtualPerTask(creation.get(), state)) {
      return Spawn.VIRTUAL_POOL_TASK;
    }
    return ExecutorFacts.bound(creation.get(), state) == ExecutorFacts.Bound.UNBOUNDED
        ? Spawn.UNBOUNDED_POOL_TASK
        : null;
  }

  private Description report(ExpressionTree tree, Spawn spawn, VisitorState state) {
    boolean virtual = spawn == Spawn.VIRTUAL_THREAD || spawn == Spawn.VIRTUAL_POOL_TASK;
    if (virtual && !includeVirtualThreads) {
      return NO_MATCH;
    }
    TreePath loop = null;
    for (TreePath candidate : EnclosingLoops.of(state.getPath(), state, true)) {
      if (walksInputOfUnknownSize(candidate, state)) {
        loop = candidate;
        break;
      }
    }
    if (loop == null || hasBound(EnclosingLoops.body(loop), state)) {
      return NO_MATCH;
    }
    return buildDescription(tree).setMessage(message(spawn)).build();
  }

  private static String message(Spawn spawn) {
    String what =
        switch (spawn) {
          case PLATFORM_THREAD -> "starts a new platform thread";
          case VIRTUAL_THREAD -> "starts a virtual thread";
          case UNBOUNDED_POOL_TASK ->
              "submits a task to an executor with no thread limit (a new thread whenever all are"
                  + " busy)";
          case VIRTUAL_POOL_TASK -> "submits a task to a thread-per-task executor";
        };
    return "This loop "
        + what
        + " for every element of an input of unknown size, with nothing bounding how many run at"
        + " once: bound it with a fixed-size pool, a Semaphore, or Tether's TaskGroup with a"
        + " limit";
  }

  private static boolean returnsThread(MethodInvocationTree tree, VisitorState state) {
    Type type = ASTHelpers.getType(tree);
    return type != null
        && type.getKind() != TypeKind.ERROR
        && ASTHelpers.isSubtype(type, THREAD.get(state), state);
  }

  /** Whether a call in the chain of receivers of {@code tree} is named {@code name}. */
  private static boolean receiverChainCalls(MethodInvocationTree tree, String name) {
    for (ExpressionTree e = ASTHelpers.getReceiver(tree);
        e instanceof MethodInvocationTree call;
        e = ASTHelpers.getReceiver(call)) {
      Symbol sym = ASTHelpers.getSymbol(call);
      if (sym != null && sym.getSimpleName().contentEquals(name)) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable ExpressionTree executorArgument(
      MethodInvocationTree tree, VisitorState state) {
    for (ExpressionTree arg : tree.getArguments()) {
      Type type = ASTHelpers.getType(arg);
      if (type != null && ASTHelpers.isSubtype(type, EXECUTOR.get(state), state)) {
        return arg;
      }
    }
    return null;
  }

  /**
   * Whether {@code creation} makes a virtual thread per task: {@code
   * Executors.newVirtualThreadPerTaskExecutor()}, or {@code newThreadPerTaskExecutor} given a
   * factory from {@code Thread.ofVirtual()} (JDK 21+ APIs, matched by name).
   */
  private static boolean isVirtualPerTask(ExpressionTree creation, VisitorState state) {
    if (!(creation instanceof MethodInvocationTree call)) {
      return false;
    }
    Symbol sym = ASTHelpers.getSymbol(call);
    if (sym == null) {
      return false;
    }
    if (sym.getSimpleName().contentEquals("newVirtualThreadPerTaskExecutor")) {
      return true;
    }
    return sym.getSimpleName().contentEquals("newThreadPerTaskExecutor")
        && call.getArguments().size() == 1
        && call.getArguments().get(0) instanceof MethodInvocationTree factory
        && receiverChainCalls(factory, "ofVirtual");
  }

  /**
   * Whether each iteration of {@code loop} takes the next element of an input whose size the code
   * does not fix: a collection, array, iterator, stream, reader, socket or queue; not a constant or
   * configured count, nor a list written out in the code.
   */
  private static boolean walksInputOfUnknownSize(TreePath loop, VisitorState state) {
    Tree leaf = loop.getLeaf();
    if (leaf instanceof EnhancedForLoopTree forEach) {
      return !hasLiteralSize(forEach.getExpression(), state);
    }
    if (leaf instanceof ForLoopTree f) {
      return f.getCondition() == null
          ? waitsForInput(f.getStatement(), state)
          : callsAnyOf(f.getCondition(), SIZED_BY_INPUT);
    }
    if (leaf instanceof WhileLoopTree w) {
      return callsAnyOf(w.getCondition(), SIZED_BY_INPUT) || waitsForInput(w.getStatement(), state);
    }
    if (leaf instanceof DoWhileLoopTree d) {
      return callsAnyOf(d.getCondition(), SIZED_BY_INPUT) || waitsForInput(d.getStatement(), state);
    }
    ExpressionTree source = EnclosingLoops.receiver(loop);
    if (source == null) {
      return false;
    }
    // Iterable.forEach, Map.forEach, or a stream pipeline: find where the elements come from.
    while (source instanceof MethodInvocationTree call && STREAM_OP.matches(call, state)) {
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      if (receiver == null) {
        break;
      }
      source = receiver;
    }
    if (source instanceof MethodInvocationTree call) {
      if (RANGE.matches(call, state)) {
        return callsAnyOf(call, SIZED_BY_INPUT);
      }
      Symbol sym = ASTHelpers.getSymbol(call);
      if (sym != null
          && (sym.getSimpleName().contentEquals("stream")
              || sym.getSimpleName().contentEquals("parallelStream"))) {
        ExpressionTree collection = ASTHelpers.getReceiver(call);
        if (collection != null) {
          return !hasLiteralSize(collection, state);
        }
        return call.getArguments().isEmpty() || !hasLiteralSize(call.getArguments().get(0), state);
      }
    }
    return !hasLiteralSize(source, state);
  }

  /** Whether the elements of {@code expr} are written out in the code, or are an enum's values. */
  private static boolean hasLiteralSize(ExpressionTree expr, VisitorState state) {
    ExpressionTree e = ASTHelpers.stripParentheses(expr);
    if (e instanceof NewArrayTree array) {
      return array.getInitializers() != null;
    }
    if (!(e instanceof MethodInvocationTree call)) {
      return false;
    }
    Symbol sym = ASTHelpers.getSymbol(call);
    if (sym == null || !sym.isStatic()) {
      return false;
    }
    String name = sym.getSimpleName().toString();
    if (name.equals("values") && call.getArguments().isEmpty()) {
      return sym.owner != null && sym.owner.isEnum();
    }
    if (name.equals("allOf") || name.equals("range")) {
      return sym.owner != null && sym.owner.getSimpleName().contentEquals("EnumSet");
    }
    if (!LITERAL_FACTORIES.contains(name)) {
      return false;
    }
    List<? extends ExpressionTree> args = call.getArguments();
    // Arrays.asList(array), Stream.of(array): as many elements as the array has.
    return !(args.size() == 1
        && ASTHelpers.getType(args.get(0)) != null
        && ASTHelpers.getType(args.get(0)).getKind() == TypeKind.ARRAY
        && !(args.get(0) instanceof NewArrayTree a && a.getInitializers() != null));
  }

  /** Whether {@code tree} calls a method, or reads a field, named in {@code names}. */
  private static boolean callsAnyOf(Tree tree, Set<String> names) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree node, Void unused) {
        return found[0] ? null : super.scan(node, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        Symbol sym = ASTHelpers.getSymbol(call);
        if (sym != null && names.contains(sym.getSimpleName().toString())) {
          found[0] = true;
          return null;
        }
        return super.visitMethodInvocation(call, null);
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree select, Void unused) {
        if (select.getIdentifier().contentEquals("length")) {
          found[0] = true;
          return null;
        }
        return super.visitMemberSelect(select, null);
      }
    }.scan(tree, null);
    return found[0];
  }

  /** Whether the body of an endless loop waits for the next connection or queued item. */
  private static boolean waitsForInput(Tree body, VisitorState state) {
    return scanFor(body, NEXT_INPUT, Set.of(), state);
  }

  /**
   * Whether each iteration waits for a permit ({@code acquire}, on a {@code Semaphore} or a rate
   * limiter) or for the thread or task to finish ({@code join}, {@code Future.get}).
   */
  private static boolean hasBound(Tree body, VisitorState state) {
    return scanFor(body, BOUNDING, PERMIT_METHODS, state);
  }

  private static boolean scanFor(
      Tree body, Matcher<ExpressionTree> matcher, Set<String> names, VisitorState state) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree node, Void unused) {
        return found[0] ? null : super.scan(node, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        Symbol sym = ASTHelpers.getSymbol(call);
        if (sym != null
            && (names.contains(sym.getSimpleName().toString()) || matcher.matches(call, state))) {
          found[0] = true;
          return null;
        }
        return super.visitMethodInvocation(call, null);
      }
    }.scan(body, null);
    return found[0];
  }
}
