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
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberReferenceTree.ReferenceMode;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.EnclosingLoops;
import dev.tether.checker.utils.ExecutorFacts;
import dev.tether.checker.utils.KnownTypes;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.Symbols;
import dev.tether.checker.utils.Trees;
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

  private static final Supplier<Type> EXECUTOR =
      PerCompilation.type("java.util.concurrent.Executor");

  private static final PerCompilation<Set<Name>> THREAD_NAME = PerCompilation.names("Thread");

  /** The names of {@link #SUBMIT}'s methods. */
  private static final PerCompilation<Set<Name>> SUBMIT_NAMES =
      PerCompilation.names("execute", "submit");

  /** The names of the calls {@link #spawnOf} looks at, but for {@code …Async}. */
  private static final Trees.NameSuffix ASYNC_SUFFIX = new Trees.NameSuffix("Async");

  private static final PerCompilation<Set<Name>> SPAWN_NAMES =
      PerCompilation.names("startVirtualThread", "start", "unstarted", "execute", "submit");

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
    if (!Symbols.extendsClassNamed(type, THREAD_NAME.get(state))
        || !EnclosingLoops.mayBeIn(state.getPath(), true)) {
      return NO_MATCH; // cheap: no Thread by name, or in no loop: nothing to report
    }
    if (type == null
        || type.getKind() == TypeKind.ERROR
        || !ASTHelpers.isSubtype(type, KnownTypes.THREAD.get(state), state)) {
      return NO_MATCH;
    }
    return report(tree, Spawn.PLATFORM_THREAD, state);
  }

  /** {@code items.forEach(pool::execute)}, {@code tasks.stream().map(Thread::new)}. */
  @Override
  public Description matchMemberReference(MemberReferenceTree tree, VisitorState state) {
    if (!(tree.getMode() == ReferenceMode.NEW
            ? Symbols.extendsClassNamed(
                ASTHelpers.getType(tree.getQualifierExpression()), THREAD_NAME.get(state))
            : SUBMIT_NAMES.get(state).contains((Name) tree.getName()))
        || !EnclosingLoops.mayBeIn(state.getPath(), true)) {
      return NO_MATCH; // cheap: neither Thread::new nor ::execute/::submit, or in no loop
    }
    Symbol sym = ASTHelpers.getSymbol(tree);
    if (sym == null) {
      return NO_MATCH;
    }
    if (tree.getMode() == ReferenceMode.NEW) {
      Type type = ASTHelpers.getType(tree.getQualifierExpression());
      return type != null
              && type.getKind() != TypeKind.ERROR
              && ASTHelpers.isSubtype(type, KnownTypes.THREAD.get(state), state)
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
    if (!(SPAWN_NAMES.get(state).contains(Trees.calledMethodName(tree))
            || !tree.getArguments().isEmpty())
        || !EnclosingLoops.mayBeIn(state.getPath(), true)) {
      // cheap: no start/execute/submit by name, and no …Async call (it needs an executor
      // argument to start anything), or in no loop: nothing to report. The walk up the path
      // costs less than a look-up of the name's suffix, which spawnOf does next.
      return NO_MATCH;
    }
    Spawn spawn = spawnOf(tree, state);
    return spawn == null ? NO_MATCH : report(tree, spawn, state);
  }

  private @Nullable Spawn spawnOf(MethodInvocationTree tree, VisitorState state) {
    Name name = Trees.calledMethodName(tree);
    if (name == null) {
      return null;
    }
    ExpressionTree executor;
    // Names first: the type-based matchers only for the few calls that can be a hand-off.
    if (SPAWN_NAMES.get(state).contains(name)) {
      if (name.contentEquals("startVirtualThread")) {
        return returnsThread(tree, state) ? Spawn.VIRTUAL_THREAD : null;
      }
      if (name.contentEquals("start") || name.contentEquals("unstarted")) {
        if (!returnsThread(tree, state)) {
          return null;
        }
        if (receiverChainCalls(tree, "ofVirtual")) {
          return Spawn.VIRTUAL_THREAD;
        }
        return receiverChainCalls(tree, "ofPlatform") ? Spawn.PLATFORM_THREAD : null;
      }
      if (!SUBMIT.matches(tree, state)) {
        return null;
      }
      executor = ASTHelpers.getReceiver(tree);
    } else if (!tree.getArguments().isEmpty()
        && ASYNC_SUFFIX.test(name, state)
        && ASYNC.matches(tree, state)) {
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
    if (isVirtualPerTask(creation.get())) {
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
    return EnclosingLoops.unboundedInputLoop(state.getPath(), state).isPresent()
        ? buildDescription(tree).setMessage(message(spawn)).build()
        : NO_MATCH;
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
        && ASTHelpers.isSubtype(type, KnownTypes.THREAD.get(state), state);
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
  private static boolean isVirtualPerTask(ExpressionTree creation) {
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
}
