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
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.AssignmentTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.CompoundAssignmentTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MemberReferenceTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.UnaryTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.tether.checker.utils.ConcurrentCode;
import dev.tether.checker.utils.ConcurrentCode.Handoff;
import dev.tether.checker.utils.ConcurrentCode.Kind;
import dev.tether.checker.utils.ExecutorFacts;
import dev.tether.checker.utils.Synchronization;
import dev.tether.checker.utils.Trees;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags unsynchronized writes to shared state from concurrent code. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Do not mutate shared non-thread-safe state from code that runs on several threads",
    link = BUGPATTERN + "UnsynchronizedSharedMutation.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class UnsynchronizedSharedMutation extends BugChecker
    implements AssignmentTreeMatcher,
        CompoundAssignmentTreeMatcher,
        UnaryTreeMatcher,
        MethodInvocationTreeMatcher,
        MemberReferenceTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** Classes whose instances must not be mutated by two threads at once. */
  private static final ImmutableList<Supplier<Type>> UNSAFE_TYPES =
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

  /** Methods that mutate a collection, a map or a builder. */
  private static final ImmutableSet<String> MUTATORS =
      ImmutableSet.of(
          "add",
          "addAll",
          "addFirst",
          "addLast",
          "offer",
          "offerFirst",
          "offerLast",
          "push",
          "pop",
          "poll",
          "pollFirst",
          "pollLast",
          "remove",
          "removeAll",
          "removeIf",
          "removeFirst",
          "removeLast",
          "retainAll",
          "clear",
          "set",
          "sort",
          "replaceAll",
          "put",
          "putAll",
          "putIfAbsent",
          "compute",
          "computeIfAbsent",
          "computeIfPresent",
          "merge",
          "replace",
          "append",
          "insert",
          "delete",
          "deleteCharAt",
          "setCharAt",
          "setLength",
          "reverse",
          "flip");

  /** Factories of executors that run each task on the thread that submits it. */
  private static final ImmutableSet<String> DIRECT_EXECUTORS =
      ImmutableSet.of("directExecutor", "newDirectExecutorService", "sameThreadExecutor");

  private static final Matcher<ExpressionTree> COMMON_POOL =
      staticMethod().onClass("java.util.concurrent.ForkJoinPool").named("commonPool");

  /** Operations that run their functional argument once per element, one after another. */
  private static final Matcher<ExpressionTree> ITERATION =
      anyOf(
          instanceMethod().onDescendantOf("java.lang.Iterable").named("forEach"),
          instanceMethod().onDescendantOf("java.util.Map").named("forEach"),
          instanceMethod().onDescendantOf("java.util.stream.BaseStream"));

  @Override
  public Description matchAssignment(AssignmentTree tree, VisitorState state) {
    return matchWrite(tree, tree.getVariable(), false, tree.getExpression(), state);
  }

  @Override
  public Description matchCompoundAssignment(CompoundAssignmentTree tree, VisitorState state) {
    return matchWrite(tree, tree.getVariable(), true, null, state);
  }

  @Override
  public Description matchUnary(UnaryTree tree, VisitorState state) {
    return switch (tree.getKind()) {
      case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
          matchWrite(tree, tree.getExpression(), true, null, state);
      default -> NO_MATCH;
    };
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    String method = Trees.calledName(tree);
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (!MUTATORS.contains(method) || receiver == null) {
      return NO_MATCH; // add(x) on this object: its own class decides about thread safety
    }
    Task task = taskAround(state.getPath(), state);
    return task == null ? NO_MATCH : task.checkCollection(tree, receiver, method);
  }

  /** {@code list::add} as (or inside) the task. */
  @Override
  public Description matchMemberReference(MemberReferenceTree tree, VisitorState state) {
    ExpressionTree qualifier = tree.getQualifierExpression();
    String method = tree.getName().toString();
    if (!MUTATORS.contains(method)
        || !(qualifier instanceof IdentifierTree || qualifier instanceof MemberSelectTree)) {
      return NO_MATCH;
    }
    Task task = taskAround(state.getPath(), state);
    return task == null ? NO_MATCH : task.checkCollection(tree, qualifier, method);
  }

  private Description matchWrite(
      Tree node,
      ExpressionTree target,
      boolean readModifyWrite,
      @Nullable ExpressionTree rhs,
      VisitorState state) {
    ExpressionTree variable = ASTHelpers.stripParentheses(target);
    if (variable instanceof ArrayAccessTree access) {
      if (!(ASTHelpers.stripParentheses(access.getExpression()) instanceof IdentifierTree
          || ASTHelpers.stripParentheses(access.getExpression()) instanceof MemberSelectTree)) {
        return NO_MATCH;
      }
      Task task = taskAround(state.getPath(), state);
      return task == null ? NO_MATCH : task.checkArrayWrite(node, access, readModifyWrite, rhs);
    }
    if (!(variable instanceof IdentifierTree || variable instanceof MemberSelectTree)
        || !(ASTHelpers.getSymbol(variable) instanceof VarSymbol field)
        || field.getKind() != ElementKind.FIELD) {
      return NO_MATCH;
    }
    long flags = field.flags();
    if ((flags & Flags.FINAL) != 0 || ((flags & Flags.VOLATILE) != 0 && !readModifyWrite)) {
      return NO_MATCH;
    }
    Task task = taskAround(state.getPath(), state);
    return task == null ? NO_MATCH : task.checkFieldWrite(node, variable, field, readModifyWrite);
  }

  /**
   * Which state a task shares: captured locals (other copies of the task run at once) and fields.
   */
  private record Sharing(boolean locals, boolean fields, @Nullable Tree repeat) {
    static Sharing of(Handoff handoff, VisitorState state) {
      if (handoff.kind() == Kind.PARALLEL_STREAM) {
        return new Sharing(true, true, handoff.task());
      }
      if (handoff.kind() == Kind.TIMER) {
        return new Sharing(false, false, null); // one timer thread runs its tasks one at a time
      }
      Optional<ExpressionTree> creation = ExecutorFacts.creation(handoff.executor(), state);
      ExecutorFacts.Bound bound =
          creation.map(c -> ExecutorFacts.bound(c, state)).orElse(ExecutorFacts.Bound.UNKNOWN);
      if (bound == ExecutorFacts.Bound.SINGLE || isDirect(handoff.executor())) {
        return new Sharing(false, false, null);
      }
      boolean multi =
          switch (handoff.kind()) {
            case EXECUTOR ->
                bound == ExecutorFacts.Bound.FIXED
                    || bound == ExecutorFacts.Bound.UNBOUNDED
                    || (handoff.executor() != null
                        && COMMON_POOL.matches(
                            ASTHelpers.stripParentheses(handoff.executor()), state));
            case ASYNC_STAGE ->
                handoff.executor() == null
                    || bound == ExecutorFacts.Bound.FIXED
                    || bound == ExecutorFacts.Bound.UNBOUNDED;
            default -> false;
          };
      Tree repeat = handoff.call() == null ? null : repeatingScope(state.getPath(), state);
      return new Sharing(repeat != null, multi || repeat != null, repeat);
    }
  }

  /**
   * Whether {@code executor} runs tasks on the calling thread: {@code directExecutor()}, {@code
   * Runnable::run}.
   */
  private static boolean isDirect(@Nullable ExpressionTree executor) {
    ExpressionTree e = executor == null ? null : ASTHelpers.stripParentheses(executor);
    if (e instanceof MemberReferenceTree ref) {
      return ref.getName().contentEquals("run");
    }
    Symbol sym = e instanceof MethodInvocationTree ? ASTHelpers.getSymbol(e) : null;
    return sym != null && DIRECT_EXECUTORS.contains(sym.getSimpleName().toString());
  }

  /**
   * The innermost loop (or lambda run once per element, as in {@code items.forEach(i -> …)}) that
   * hands the task off more than once, so that copies of it run at the same time; {@code null} when
   * the handoff happens once per call of its method.
   */
  private static @Nullable Tree repeatingScope(TreePath taskPath, VisitorState state) {
    Tree child = taskPath.getLeaf();
    for (TreePath p = taskPath.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof ClassTree) {
        return null;
      }
      if ((leaf instanceof ForLoopTree loop && loop.getStatement() == child)
          || (leaf instanceof EnhancedForLoopTree each && each.getStatement() == child)
          || (leaf instanceof WhileLoopTree w && w.getStatement() == child)
          || (leaf instanceof DoWhileLoopTree d && d.getStatement() == child)) {
        return leaf;
      }
      if (leaf instanceof LambdaExpressionTree
          && p.getParentPath() != null
          && p.getParentPath().getLeaf() instanceof MethodInvocationTree call
          && ITERATION.matches(call, state)) {
        return leaf;
      }
      child = leaf;
    }
    return null;
  }

  /**
   * The innermost lambda, method reference or anonymous class around (or at) {@code path} that runs
   * on another thread, if it shares any state; {@code null} otherwise. Lambdas that are not handed
   * off are looked through; a local or named class stops the walk (it runs when called).
   */
  private @Nullable Task taskAround(TreePath path, VisitorState state) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree
          || leaf instanceof MemberReferenceTree
          || (leaf instanceof NewClassTree newClass && newClass.getClassBody() != null)) {
        Optional<Handoff> handoff = ConcurrentCode.handoff(p, state);
        if (handoff.isPresent()) {
          VisitorState atTask = state.withPath(p);
          Sharing sharing = Sharing.of(handoff.get(), atTask);
          return sharing.locals || sharing.fields
              ? new Task(handoff.get(), p, sharing, atTask, path)
              : null;
        }
      } else if (leaf instanceof ClassTree cls && !isAnonymous(cls)) {
        return null;
      }
    }
    return null;
  }

  /**
   * The innermost task around a write: the code handed to another thread, how it gets there, and
   * which state it shares. Built per match, never kept.
   */
  private final class Task {
    private final Handoff handoff;
    private final TreePath taskPath;
    private final Sharing sharing;
    private final VisitorState state;
    private final TreePath writePath;
    private final int taskStart;
    private final int taskEnd;

    private Task(
        Handoff handoff,
        TreePath taskPath,
        Sharing sharing,
        VisitorState state,
        TreePath writePath) {
      this.handoff = handoff;
      this.taskPath = taskPath;
      this.sharing = sharing;
      this.state = state;
      this.writePath = writePath;
      this.taskStart = ASTHelpers.getStartPosition(handoff.task());
      this.taskEnd = state.getEndPosition(handoff.task());
    }

    Description checkCollection(Tree node, ExpressionTree receiver, String method) {
      VarSymbol var = sharedVariable(receiver);
      String unsafe = var == null ? null : unsafeCollection(var);
      if (unsafe == null || isGuarded()) {
        return NO_MATCH;
      }
      return report(
          node,
          String.format(
              "'%s' (%s) is shared by %s, and %s() mutates it without synchronization: %s",
              var.getSimpleName(),
              unsafe,
              where(),
              method,
              handoff.kind() == Kind.PARALLEL_STREAM
                  ? "collect the results with the stream (collect, toList, reduce) instead of"
                      + " adding to a shared collection, or use a concurrent collection"
                  : "use a concurrent collection, or guard every access with one lock"));
    }

    Description checkFieldWrite(
        Tree node, ExpressionTree variable, VarSymbol field, boolean readModifyWrite) {
      if (!sharing.fields || !isOwnField(variable, field) || isGuarded()) {
        return NO_MATCH;
      }
      long flags = field.flags();
      String advice;
      Type type = field.type;
      if (readModifyWrite && type != null && isCounter(type)) {
        advice =
            type.getKind() == TypeKind.INT
                ? "use an AtomicInteger (or a LongAdder for a statistic)"
                : "use an AtomicLong (or a LongAdder for a statistic)";
      } else if (readModifyWrite) {
        advice = "guard every access with one lock, or use an atomic type";
      } else {
        advice = "make the field volatile, use an atomic type, or guard every access with one lock";
      }
      return report(
          node,
          String.format(
              "'%s' is a%s field written by %s without synchronization, so updates race and"
                  + " may be lost or never seen: %s",
              field.getSimpleName(),
              (flags & Flags.VOLATILE) != 0 ? " volatile" : " non-volatile",
              where(),
              advice));
    }

    Description checkArrayWrite(
        Tree node, ArrayAccessTree access, boolean readModifyWrite, @Nullable ExpressionTree rhs) {
      ExpressionTree index = ASTHelpers.stripParentheses(access.getIndex());
      boolean constant = ASTHelpers.constValue(index) != null;
      if (index instanceof IdentifierTree && !constant) {
        return NO_MATCH; // a[i]: each task (or element) writes its own slot
      }
      VarSymbol var = sharedVariable(access.getExpression());
      if (var == null || isGuarded()) {
        return NO_MATCH;
      }
      boolean races = readModifyWrite ? true : constant && rhs != null && mentions(rhs, var);
      if (!races) {
        return NO_MATCH;
      }
      return report(
          node,
          String.format(
              "'%s' is an array shared by %s, and this read-modify-write of one of its elements"
                  + " races with the other threads: %s",
              var.getSimpleName(),
              where(),
              handoff.kind() == Kind.PARALLEL_STREAM
                  ? "compute the value with the stream (sum, reduce, collect) instead"
                  : "use an AtomicIntegerArray, an AtomicLong or a LongAdder"));
    }

    /**
     * The variable {@code tree} names if other threads may see it: a captured local (declared
     * outside the repeating scope), or a field of this object or a static field.
     */
    private @Nullable VarSymbol sharedVariable(ExpressionTree tree) {
      ExpressionTree e = ASTHelpers.stripParentheses(tree);
      if (!(e instanceof IdentifierTree || e instanceof MemberSelectTree)
          || !(ASTHelpers.getSymbol(e) instanceof VarSymbol var)) {
        return null;
      }
      if (var.getKind() == ElementKind.FIELD) {
        return sharing.fields && isOwnField(e, var) ? var : null;
      }
      if (var.getKind() != ElementKind.LOCAL_VARIABLE
          && var.getKind() != ElementKind.PARAMETER
          && var.getKind() != ElementKind.RESOURCE_VARIABLE) {
        return null;
      }
      if (!sharing.locals || (var.pos >= taskStart && var.pos < taskEnd)) {
        return null; // created by the task itself
      }
      Tree repeat = sharing.repeat();
      if (repeat != null
          && repeat != handoff.task()
          && var.pos >= ASTHelpers.getStartPosition(repeat)
          && var.pos < state.getEndPosition(repeat)) {
        return null; // a fresh variable for every copy of the task
      }
      return var;
    }

    /** {@code f}, {@code this.f}, {@code Outer.this.f} or a static field; not another object's. */
    private boolean isOwnField(ExpressionTree tree, VarSymbol field) {
      if (field.pos >= taskStart && field.pos < taskEnd) {
        return false; // a field of the task object itself (an anonymous class)
      }
      if (handoff.task() instanceof NewClassTree anonymous
          && field.owner != null
          && ASTHelpers.getType(anonymous) != null
          && ASTHelpers.isSubtype(ASTHelpers.getType(anonymous), field.owner.type, state)) {
        return false; // a field the task object inherits
      }
      if (field.isStatic() || tree instanceof IdentifierTree) {
        return true;
      }
      ExpressionTree receiver = ((MemberSelectTree) tree).getExpression();
      return (receiver instanceof IdentifierTree id && id.getName().contentEquals("this"))
          || (receiver instanceof MemberSelectTree outer
              && outer.getIdentifier().contentEquals("this"));
    }

    /**
     * The simple name of the non-thread-safe class of the collection {@code var} holds, or {@code
     * null} when it is thread-safe or not known.
     */
    private @Nullable String unsafeCollection(VarSymbol var) {
      Type type = var.type;
      if (type == null || type.getKind() == TypeKind.ERROR) {
        return null;
      }
      if (isUnsafeType(type)) {
        return type.tsym.getSimpleName().toString();
      }
      // Declared through an interface (List, Map, …): only when the initializer shows the class.
      if (var.getKind() == ElementKind.FIELD && (var.flags() & Flags.FINAL) == 0) {
        return null;
      }
      VariableTree decl = declaration(var);
      if (decl == null
          || decl.getInitializer() == null
          || !(ASTHelpers.stripParentheses(decl.getInitializer()) instanceof NewClassTree init)
          || init.getClassBody() != null) {
        return null;
      }
      Type created = ASTHelpers.getType(init);
      return created != null && isUnsafeType(created)
          ? created.tsym.getSimpleName().toString()
          : null;
    }

    private boolean isUnsafeType(Type type) {
      for (Supplier<Type> unsafe : UNSAFE_TYPES) {
        Type t = unsafe.get(state);
        if (t != null && ASTHelpers.isSubtype(type, t, state)) {
          return true;
        }
      }
      return false;
    }

    /** The declaration of a captured local (a scan of its method, until found) or of a field. */
    private @Nullable VariableTree declaration(VarSymbol var) {
      for (TreePath p = taskPath; p != null; p = p.getParentPath()) {
        Tree leaf = p.getLeaf();
        if (var.getKind() == ElementKind.FIELD) {
          if (leaf instanceof ClassTree cls && ASTHelpers.getSymbol(cls) == var.owner) {
            for (Tree member : cls.getMembers()) {
              if (member instanceof VariableTree field && ASTHelpers.getSymbol(field) == var) {
                return field;
              }
            }
            return null;
          }
        } else if (leaf instanceof MethodTree || leaf instanceof ClassTree) {
          return findLocal(var, leaf);
        }
      }
      return null;
    }

    private boolean isGuarded() {
      return Synchronization.isGuarded(writePath, handoff.task());
    }

    private String where() {
      return switch (handoff.kind()) {
        case PARALLEL_STREAM -> "the threads of a parallel stream";
        case THREAD -> "threads started in a loop";
        default ->
            sharing.repeat() != null
                ? "tasks submitted in a loop"
                : "a task that runs on a multi-threaded executor";
      };
    }

    private Description report(Tree node, String message) {
      Description.Builder description = buildDescription(node).setMessage(message);
      sequentialFix().ifPresent(description::addFix);
      return description.build();
    }

    /**
     * For a parallel stream made parallel in the same chain, the fix runs it sequentially: the
     * result every caller expects, without the race. Every write in the task carries the same fix.
     */
    private Optional<SuggestedFix> sequentialFix() {
      if (handoff.kind() != Kind.PARALLEL_STREAM
          || !(handoff.call() instanceof MethodInvocationTree call)) {
        return Optional.empty();
      }
      for (ExpressionTree e = ASTHelpers.getReceiver(call);
          e instanceof MethodInvocationTree link;
          e = ASTHelpers.getReceiver(link)) {
        Symbol sym = ASTHelpers.getSymbol(link);
        if (sym == null) {
          return Optional.empty();
        }
        String name = sym.getSimpleName().toString();
        if (name.equals("parallelStream")) {
          return Optional.of(SuggestedFixes.renameMethodInvocation(link, "stream", state));
        }
        if (name.equals("parallel") && ASTHelpers.getReceiver(link) != null) {
          ExpressionTree receiver = ASTHelpers.getReceiver(link);
          return Optional.of(
              SuggestedFix.replace(state.getEndPosition(receiver), state.getEndPosition(link), ""));
        }
      }
      return Optional.empty();
    }
  }

  private static boolean isAnonymous(ClassTree cls) {
    ClassSymbol sym = ASTHelpers.getSymbol(cls);
    return sym != null && sym.isAnonymous();
  }

  /** The declaration of the local {@code var} in {@code scope}; stops at the first match. */
  private static @Nullable VariableTree findLocal(VarSymbol var, Tree scope) {
    VariableTree[] found = new VariableTree[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return found[0] == null ? super.scan(tree, null) : null;
      }

      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        if (ASTHelpers.getSymbol(tree) == var) {
          found[0] = tree;
          return null;
        }
        return super.visitVariable(tree, null);
      }
    }.scan(scope, null);
    return found[0];
  }

  private static boolean isCounter(Type type) {
    return type.getKind() == TypeKind.INT || type.getKind() == TypeKind.LONG;
  }

  private static boolean mentions(ExpressionTree tree, VarSymbol var) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree id, Void unused) {
        found[0] |= ASTHelpers.getSymbol(id) == var;
        return null;
      }
    }.scan(tree, null);
    return found[0];
  }
}
