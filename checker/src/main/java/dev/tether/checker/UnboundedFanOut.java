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
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberReferenceTree.ReferenceMode;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.EnclosingLoops;
import dev.tether.checker.utils.ExecutorFacts;
import dev.tether.checker.utils.KnownTypes;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.SameCompilation;
import dev.tether.checker.utils.Symbols;
import dev.tether.checker.utils.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;
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

  private static final Supplier<Type> RUNNABLE = PerCompilation.type("java.lang.Runnable");

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
    Optional<TreePath> loop = EnclosingLoops.unboundedInputLoop(state.getPath(), state);
    return loop.isEmpty()
            || runsGivenTasksJoined(tree, loop.get(), state)
            || startsConfiguredServiceThreads(loop.get(), state)
        ? NO_MATCH
        : describe(tree, Spawn.PLATFORM_THREAD);
  }

  /**
   * Whether {@code tree}, a {@code new Thread(task)} in {@code loop}, runs the element itself ("run
   * these tasks concurrently") and is joined before its method returns: the loop walks tasks, not
   * data ({@code for (Runnable r : runnables)}, {@code runnables[i]} in a loop over {@code
   * runnables.length}), the new thread goes straight into a local array or collection, and a later
   * statement of the method joins every thread of it ({@code for (Thread t : threads) t.join()}).
   * Such tasks may wait on each other, so a bounded pool would leave some unstarted while others
   * wait: one thread per given task is the contract. The same loop over data items wrapped in new
   * tasks ({@code new Thread(() -> handle(item))}), or without the joins, stays reported.
   */
  private static boolean runsGivenTasksJoined(
      NewClassTree tree, TreePath loop, VisitorState state) {
    if (tree.getClassBody() != null
        || !ASTHelpers.isSameType(ASTHelpers.getType(tree), KnownTypes.THREAD.get(state), state)
        || !EnclosingLoops.isLoopStatement(loop.getLeaf())
        || !directlyIn(state.getPath(), loop.getLeaf())) {
      return false;
    }
    ExpressionTree task = null;
    for (ExpressionTree argument : tree.getArguments()) {
      Type type = ASTHelpers.getType(argument);
      if (type != null && ASTHelpers.isSubtype(type, RUNNABLE.get(state), state)) {
        if (task != null) {
          return false;
        }
        task = argument;
      }
    }
    if (task == null || !isElementOf(ASTHelpers.stripParentheses(task), loop.getLeaf())) {
      return false;
    }
    VarSymbol threads = containerOf(state.getPath(), loop);
    return threads != null
        && threads.getKind() == ElementKind.LOCAL_VARIABLE
        && joinedAfter(loop, threads);
  }

  /**
   * Whether the {@code new} of a thread at the current path, in {@code loop}, makes one of the
   * object's service threads from its configuration: the loop walks a parameter ({@code for
   * (HostAndPort sentinel : sentinels)}) of a constructor, or of a private method that only
   * constructors of its class call, and the new thread goes straight into a field of this object
   * ({@code listeners.add(listener)}, {@code workers[i] = worker}), through which the object can
   * stop it. One long-lived thread per configured peer, made once per object, is a fixed set sized
   * by configuration, as {@code Executors.newFixedThreadPool(config.size())} is, and a bound would
   * starve the peers past it (Jedis' sentinel listeners). The same loop in a method that anyone may
   * call again, over a field or a value it computes, or with threads that no field keeps, stays
   * reported.
   */
  private static boolean startsConfiguredServiceThreads(TreePath loop, VisitorState state) {
    if (!(loop.getLeaf() instanceof EnhancedForLoopTree forEach)
        || !directlyIn(state.getPath(), forEach)
        || !(ASTHelpers.stripParentheses(forEach.getExpression()) instanceof IdentifierTree walked)
        || !(ASTHelpers.getSymbol(walked) instanceof VarSymbol parameter)
        || parameter.getKind() != ElementKind.PARAMETER
        || !(parameter.owner instanceof MethodSymbol method)
        || !(method.isConstructor()
            || (method.isPrivate() && onlyConstructorsCall(method, state)))) {
      return false;
    }
    VarSymbol threads = containerOf(state.getPath(), loop);
    return threads != null && threads.getKind() == ElementKind.FIELD && !threads.isStatic();
  }

  /** Whether every use of the private {@code method} is a call in a constructor of its class. */
  private static boolean onlyConstructorsCall(MethodSymbol method, VisitorState state) {
    Optional<List<TreePath>> uses = SameCompilation.usesOf(method, state);
    if (uses.isEmpty() || uses.get().isEmpty()) {
      return false;
    }
    for (TreePath use : uses.get()) {
      TreePath function = Trees.enclosingFunction(use);
      MethodSymbol callerSym =
          function != null && function.getLeaf() instanceof MethodTree caller
              ? ASTHelpers.getSymbol(caller)
              : null; // a lambda may run again, later
      if (!(use.getLeaf() instanceof MethodInvocationTree)
          || callerSym == null
          || !callerSym.isConstructor()
          || !callerSym.owner.equals(method.owner)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the code at {@code path} runs in {@code loop} itself, in no lambda or class. */
  private static boolean directlyIn(TreePath path, Tree loop) {
    return Trees.enclosingInBody(path).stream().anyMatch(around -> around.leaf() == loop);
  }

  /**
   * Whether {@code task} is the element that {@code loop} walks: the variable of an enhanced {@code
   * for}, or {@code runnables[i]} / {@code runnables.get(i)} of an indexed loop whose condition
   * reads {@code runnables} and whose update steps {@code i}.
   */
  private static boolean isElementOf(ExpressionTree task, Tree loop) {
    if (loop instanceof EnhancedForLoopTree forEach) {
      return task instanceof IdentifierTree
          && Objects.equals(
              ASTHelpers.getSymbol(task), ASTHelpers.getSymbol(forEach.getVariable()));
    }
    if (!(loop instanceof ForLoopTree f) || f.getCondition() == null) {
      return false;
    }
    ExpressionTree container;
    ExpressionTree index;
    if (task instanceof ArrayAccessTree access) {
      container = access.getExpression();
      index = access.getIndex();
    } else if (task instanceof MethodInvocationTree get
        && Trees.calledName(get).equals("get")
        && get.getArguments().size() == 1) {
      container = ASTHelpers.getReceiver(get);
      index = get.getArguments().get(0);
    } else {
      return false;
    }
    return container instanceof IdentifierTree
        && ASTHelpers.getSymbol(container) instanceof VarSymbol tasks
        && ASTHelpers.getSymbol(index) instanceof VarSymbol i
        && Symbols.mentions(f.getCondition(), tasks)
        && Symbols.mentions(f.getCondition(), i)
        && f.getUpdate().stream().anyMatch(update -> Symbols.mentions(update, i));
  }

  /**
   * The local array or collection that the new thread at {@code path} goes into, in {@code loop}:
   * {@code threads[i] = new Thread(…)}, {@code threads.add(new Thread(…))}, or {@code Thread t =
   * new Thread(…)} then {@code threads[i] = t} / {@code threads.add(t)} in the loop's body.
   */
  private static @Nullable VarSymbol containerOf(TreePath path, TreePath loop) {
    TreePath p = path;
    while (p.getParentPath() != null && p.getParentPath().getLeaf() instanceof ParenthesizedTree) {
      p = p.getParentPath();
    }
    TreePath parentPath = p.getParentPath();
    if (parentPath == null) {
      return null;
    }
    Tree parent = parentPath.getLeaf();
    if (parent instanceof VariableTree local
        && ASTHelpers.getSymbol(local).getKind() == ElementKind.LOCAL_VARIABLE) {
      VarSymbol thread = ASTHelpers.getSymbol(local);
      List<VarSymbol> found = new ArrayList<>();
      Trees.contains(
          EnclosingLoops.body(loop),
          node ->
              node instanceof ExpressionTree e
                  && Optional.ofNullable(storedIn(e, thread)).map(found::add).orElse(false));
      return found.isEmpty() ? null : found.get(0);
    }
    return parent instanceof ExpressionTree e ? storedIn(e, p.getLeaf()) : null;
  }

  /**
   * The array or collection, a local variable or a field of this object, that {@code store} puts
   * {@code value} (a tree, or the variable that holds it) into: {@code threads[i] = value}, {@code
   * threads.add(value)}, {@code this.threads.add(value)}; else null.
   */
  private static @Nullable VarSymbol storedIn(ExpressionTree store, Object value) {
    ExpressionTree target;
    ExpressionTree stored;
    if (store instanceof AssignmentTree assignment
        && assignment.getVariable() instanceof ArrayAccessTree access) {
      target = access.getExpression();
      stored = assignment.getExpression();
    } else if (store instanceof MethodInvocationTree add
        && Trees.calledName(add).equals("add")
        && add.getArguments().size() == 1) {
      target = ASTHelpers.getReceiver(add);
      stored = add.getArguments().get(0);
    } else {
      return null;
    }
    stored = ASTHelpers.stripParentheses(stored);
    boolean matches =
        value instanceof Symbol symbol
            ? stored instanceof IdentifierTree && symbol.equals(ASTHelpers.getSymbol(stored))
            : stored == value;
    return matches
            && target != null
            && Trees.isNameOrThisMember(target)
            && ASTHelpers.getSymbol(target) instanceof VarSymbol container
            && (container.getKind() == ElementKind.LOCAL_VARIABLE
                || container.getKind() == ElementKind.FIELD)
        ? container
        : null;
  }

  /**
   * Whether a statement after {@code loop} in the method (in an enclosing block, before the method,
   * lambda or class ends) is a loop over {@code threads} that joins each of them: {@code for
   * (Thread t : threads) t.join()}, or {@code threads[i].join()} / {@code threads.get(i).join()} in
   * an indexed loop.
   */
  private static boolean joinedAfter(TreePath loop, VarSymbol threads) {
    for (Trees.Enclosing around : Trees.enclosingInBody(loop)) {
      if (around.leaf() instanceof BlockTree block) {
        List<? extends StatementTree> statements = block.getStatements();
        for (int i = statements.indexOf(around.child()) + 1; i > 0 && i < statements.size(); i++) {
          if (Trees.contains(statements.get(i), node -> joinsEach(node, threads))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether {@code node} is a loop over {@code threads} whose body joins the element. */
  private static boolean joinsEach(Tree node, VarSymbol threads) {
    if (node instanceof EnhancedForLoopTree forEach) {
      ExpressionTree over = ASTHelpers.stripParentheses(forEach.getExpression());
      Symbol element = ASTHelpers.getSymbol(forEach.getVariable());
      return over instanceof IdentifierTree
          && threads.equals(ASTHelpers.getSymbol(over))
          && Trees.containsCall(
              forEach.getStatement(),
              call ->
                  Trees.calledName(call).equals("join")
                      && ASTHelpers.getReceiver(call) instanceof IdentifierTree receiver
                      && Objects.equals(element, ASTHelpers.getSymbol(receiver)));
    }
    return node instanceof ForLoopTree f
        && f.getCondition() != null
        && Symbols.mentions(f.getCondition(), threads)
        && Trees.containsCall(
            f.getStatement(),
            call ->
                Trees.calledName(call).equals("join")
                    && ASTHelpers.getReceiver(call) != null
                    && isElementOf(ASTHelpers.stripParentheses(ASTHelpers.getReceiver(call)), f));
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
        ? describe(tree, spawn)
        : NO_MATCH;
  }

  private Description describe(ExpressionTree tree, Spawn spawn) {
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
