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
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.CollectedTasks;
import dev.tether.checker.utils.ConcurrentCode;
import dev.tether.checker.utils.ConcurrentCode.Handoff;
import dev.tether.checker.utils.ConcurrentCode.Kind;
import dev.tether.checker.utils.Declarations;
import dev.tether.checker.utils.ExecutorFacts;
import dev.tether.checker.utils.LibraryModel;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.SameVariable;
import dev.tether.checker.utils.StoppingScanner;
import dev.tether.checker.utils.Symbols;
import dev.tether.checker.utils.Synchronization;
import dev.tether.checker.utils.Trees;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

  /** Methods that mutate a collection, a map or a builder. */
  private static final ImmutableSet<String> MUTATORS =
      ImmutableSet.<String>builder()
          .addAll(LibraryModel.COLLECTION_INSERTS)
          .add(
              "addAll",
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
              "sort",
              "replaceAll",
              "putAll",
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
              "flip")
          .build();

  private static final PerCompilation<Set<Name>> MUTATOR_NAMES = PerCompilation.names(MUTATORS);

  /** Calls that store an element into a collection or map (its value is the last argument). */
  private static final ImmutableSet<String> STORES =
      ImmutableSet.of(
          "add",
          "addFirst",
          "addLast",
          "offer",
          "push",
          "put",
          "putIfAbsent",
          "set",
          "computeIfAbsent");

  /** Stream operations after which the elements are still distinct numbers of a range. */
  private static final ImmutableSet<String> DISTINCT_PRESERVING =
      ImmutableSet.of(
          "parallel",
          "sequential",
          "unordered",
          "filter",
          "peek",
          "limit",
          "skip",
          "sorted",
          "distinct",
          "boxed",
          "onClose");

  private static final Matcher<ExpressionTree> RANGE =
      staticMethod()
          .onClassAny("java.util.stream.IntStream", "java.util.stream.LongStream")
          .namedAnyOf("range", "rangeClosed");

  /** Factories of executors that run each task on the thread that submits it. */
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
    if (!Trees.calledNameIn(tree, MUTATOR_NAMES.get(state))) {
      return NO_MATCH; // cheap: by name, before any String or path is made
    }
    String method = Trees.calledName(tree);
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (receiver == null) {
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
  private record Sharing(boolean locals, boolean fields, @Nullable Tree repeat, boolean confined) {
    Sharing(boolean locals, boolean fields, @Nullable Tree repeat) {
      this(locals, fields, repeat, false);
    }

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
      LibraryModel model = LibraryModel.of(state);
      if (model.isConfinedExecutor(handoff.executor(), state)) {
        return new Sharing(false, false, null, true); // the thread that runs the object's code
      }
      if (bound == ExecutorFacts.Bound.SINGLE
          || model.isDirectExecutor(handoff.executor(), state)) {
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
        boolean collected = false;
        if (handoff.isEmpty()) {
          handoff = CollectedTasks.handoff(p, state);
          collected = handoff.isPresent();
        }
        if (handoff.isPresent()) {
          VisitorState atTask = state.withPath(p);
          Sharing sharing = Sharing.of(handoff.get(), atTask);
          return new Task(handoff.get(), p, sharing, atTask, path, collected);
        }
      } else if (leaf instanceof ClassTree cls && !Symbols.isAnonymous(cls)) {
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
    private final boolean collected;
    private final int taskStart;
    private final int taskEnd;

    private Task(
        Handoff handoff,
        TreePath taskPath,
        Sharing sharing,
        VisitorState state,
        TreePath writePath,
        boolean collected) {
      this.handoff = handoff;
      this.taskPath = taskPath;
      this.sharing = sharing;
      this.state = state;
      this.writePath = writePath;
      this.collected = collected;
      this.taskStart = ASTHelpers.getStartPosition(handoff.task());
      this.taskEnd = state.getEndPosition(handoff.task());
    }

    Description checkCollection(Tree node, ExpressionTree receiver, String method) {
      ExpressionTree stripped = ASTHelpers.stripParentheses(receiver);
      if (stripped instanceof MethodInvocationTree || stripped instanceof ArrayAccessTree) {
        return checkElement(node, stripped, method);
      }
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
      if (!isOwnField(variable, field) || isGuarded()) {
        return NO_MATCH;
      }
      long flags = field.flags();
      if (sharing.confined) {
        return NO_MATCH; // written and read on the one thread that runs the object's code
      }
      if (!sharing.fields) {
        return checkPublication(node, field, readModifyWrite);
      }
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
      if (!sharing.locals && !sharing.fields) {
        return NO_MATCH;
      }
      ExpressionTree index = ASTHelpers.stripParentheses(access.getIndex());
      boolean constant = ASTHelpers.constValue(index) != null;
      if (readModifyWrite ? !constant && isDistinct(index) : !constant || rhs == null) {
        return NO_MATCH; // a[i] with a different i in every copy; a[i] = x (see the page)
      }
      VarSymbol var = sharedVariable(access.getExpression());
      if (var == null || isGuarded()) {
        return NO_MATCH;
      }
      boolean stream = handoff.kind() == Kind.PARALLEL_STREAM;
      if (readModifyWrite || Symbols.mentions(rhs, var)) {
        return report(
            node,
            String.format(
                "'%s' is an array shared by %s, and this read-modify-write of one of its elements"
                    + " races with the other threads%s: %s",
                var.getSimpleName(),
                where(),
                constant ? "" : " (two of them can update the same element)",
                stream
                    ? "compute the value with the stream (sum, reduce, groupingBy, collect) instead"
                    : "use an AtomicIntegerArray, an AtomicLong or a LongAdder"));
      }
      if (ASTHelpers.constValue(rhs) != null) {
        return NO_MATCH; // every thread writes the same constant (found[0] = true)
      }
      return report(
          node,
          String.format(
              "'%s' is an array shared by %s, and every one of them writes element %s: which"
                  + " write wins is left to chance, and it may never be seen: %s",
              var.getSimpleName(),
              where(),
              state.getSourceForNode(index),
              stream
                  ? "compute the value with the stream (reduce, findAny, collect) instead"
                  : "use an AtomicReference, or guard every access with one lock"));
    }

    /**
     * {@code buckets.get(i).add(x)}, {@code groups.computeIfAbsent(k, …).add(x)}, {@code
     * lists[i].add(x)}: a non-thread-safe collection held by a shared list, map or array, and
     * reached by a key that two threads can share.
     */
    private Description checkElement(Tree node, ExpressionTree element, String method) {
      ExpressionTree holder;
      ExpressionTree key;
      if (element instanceof ArrayAccessTree access) {
        holder = access.getExpression();
        key = access.getIndex();
      } else {
        MethodInvocationTree call = (MethodInvocationTree) element;
        String name = Trees.calledName(call);
        if (!(name.equals("get") || name.equals("computeIfAbsent"))
            || call.getArguments().isEmpty()
            || ASTHelpers.getReceiver(call) == null) {
          return NO_MATCH;
        }
        holder = ASTHelpers.getReceiver(call);
        key = call.getArguments().get(0);
      }
      VarSymbol var = sharedVariable(holder);
      if (var == null || isDistinct(ASTHelpers.stripParentheses(key))) {
        return NO_MATCH;
      }
      String unsafe = unsafeElement(element, var);
      if (unsafe == null || isGuarded()) {
        return NO_MATCH;
      }
      return report(
          node,
          String.format(
              "'%s' holds %ss that are shared by %s, and %s() mutates one of them without"
                  + " synchronization (two threads can reach the same one): %s",
              var.getSimpleName(),
              unsafe,
              where(),
              method,
              handoff.kind() == Kind.PARALLEL_STREAM
                  ? "group with the stream (Collectors.groupingBy, toList) instead, or hold"
                      + " concurrent collections"
                  : "hold concurrent collections, or guard every access with one lock"));
    }

    /**
     * The simple name of the non-thread-safe class of the collections that {@code element} (an
     * element of {@code holder}) reads: its declared class, the factory of {@code computeIfAbsent},
     * or the class of every element stored into {@code holder} where it is declared.
     */
    private @Nullable String unsafeElement(ExpressionTree element, VarSymbol holder) {
      Type type = ASTHelpers.getType(element);
      if (type == null || type.getKind() == TypeKind.ERROR) {
        return null;
      }
      if (isUnsafeType(type)) {
        return type.tsym.getSimpleName().toString();
      }
      if (element instanceof MethodInvocationTree call
          && Trees.calledName(call).equals("computeIfAbsent")) {
        return call.getArguments().size() == 2 ? createdUnsafe(call.getArguments().get(1)) : null;
      }
      Tree scope = holderScope(holder);
      return scope == null ? null : storedUnsafe(holder, scope);
    }

    /** Where every store into {@code holder} is: its method, or its class when it is private. */
    private @Nullable Tree holderScope(VarSymbol holder) {
      for (TreePath p = taskPath; p != null; p = p.getParentPath()) {
        Tree leaf = p.getLeaf();
        if (holder.getKind() == ElementKind.FIELD) {
          if (leaf instanceof ClassTree cls && ASTHelpers.getSymbol(cls) == holder.owner) {
            return holder.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE)
                ? cls
                : null;
          }
        } else if (leaf instanceof MethodTree || leaf instanceof ClassTree) {
          return leaf;
        }
      }
      return null;
    }

    /**
     * The unsafe class that {@code factory} ({@code ArrayList::new}, {@code k -> new
     * ArrayList<>()}) creates, or {@code null}.
     */
    private @Nullable String createdUnsafe(ExpressionTree factory) {
      ExpressionTree f = ASTHelpers.stripParentheses(factory);
      Type created = null;
      if (f instanceof MemberReferenceTree ref
          && ref.getMode() == MemberReferenceTree.ReferenceMode.NEW) {
        created = ASTHelpers.getType(ref.getQualifierExpression());
      } else if (f instanceof LambdaExpressionTree lambda
          && lambda.getBody() instanceof ExpressionTree body
          && ASTHelpers.stripParentheses(body) instanceof NewClassTree newClass
          && newClass.getClassBody() == null) {
        created = ASTHelpers.getType(newClass);
      } else if (f instanceof NewClassTree newClass && newClass.getClassBody() == null) {
        created = ASTHelpers.getType(newClass);
      }
      return created != null && isUnsafeType(created)
          ? created.tsym.getSimpleName().toString()
          : null;
    }

    /**
     * The unsafe class of every element stored into {@code holder} in {@code scope} ({@code
     * holder.add(new ArrayList<>())}, {@code holder[i] = new HashSet<>()}, {@code holder.put(k, new
     * ArrayList<>())}); {@code null} when there is none, or when any other value is stored.
     */
    private @Nullable String storedUnsafe(VarSymbol holder, Tree scope) {
      String[] found = new String[1];
      boolean other =
          new StoppingScanner() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
              String name = Trees.calledName(call);
              if (STORES.contains(name)
                  && !call.getArguments().isEmpty()
                  && SameVariable.variable(ASTHelpers.getReceiver(call)) == holder) {
                List<? extends ExpressionTree> args = call.getArguments();
                note(
                    createdUnsafe(
                        name.equals("computeIfAbsent") && args.size() == 2
                            ? args.get(1)
                            : args.get(args.size() - 1)));
              }
              return super.visitMethodInvocation(call, null);
            }

            @Override
            public Void visitAssignment(AssignmentTree assignment, Void unused) {
              if (ASTHelpers.stripParentheses(assignment.getVariable()) instanceof ArrayAccessTree a
                  && SameVariable.variable(a.getExpression()) == holder) {
                note(createdUnsafe(assignment.getExpression()));
              }
              return super.visitAssignment(assignment, null);
            }

            private void note(@Nullable String unsafe) {
              if (unsafe == null) {
                stop(); // any other value: no answer
              } else {
                found[0] = unsafe;
              }
            }
          }.finds(scope);
      return other ? null : found[0];
    }

    /**
     * Whether {@code index} takes a different value in every copy of the task that runs at once:
     * the element of an {@code IntStream.range} (or {@code rangeClosed}, or {@code LongStream}'s)
     * that the task or its repeating lambda runs for, or a local of the submitting {@code for}
     * loop's body that copies the loop's counter ({@code int slot = i;}).
     */
    private boolean isDistinct(ExpressionTree index) {
      if (!(index instanceof IdentifierTree)
          || !(ASTHelpers.getSymbol(index) instanceof VarSymbol v)) {
        return false;
      }
      if (handoff.kind() == Kind.PARALLEL_STREAM
          && handoff.task() instanceof LambdaExpressionTree lambda
          && isParameter(lambda, v)
          && handoff.call() instanceof MethodInvocationTree call
          && overRange(ASTHelpers.getReceiver(call))) {
        return true;
      }
      Tree repeat = sharing.repeat();
      if (repeat == null || repeat == handoff.task()) {
        return false;
      }
      if (repeat instanceof LambdaExpressionTree lambda && isParameter(lambda, v)) {
        TreePath p = Trees.ancestor(taskPath, repeat);
        return p != null
            && p.getParentPath() != null
            && p.getParentPath().getLeaf() instanceof MethodInvocationTree call
            && overRange(ASTHelpers.getReceiver(call));
      }
      if (repeat instanceof ForLoopTree loop
          && v.getKind() == ElementKind.LOCAL_VARIABLE
          && v.pos >= ASTHelpers.getStartPosition(loop.getStatement())
          && v.pos < state.getEndPosition(loop.getStatement())) {
        VariableTree decl = Declarations.in(loop.getStatement(), v);
        return decl != null
            && decl.getInitializer() != null
            && ASTHelpers.stripParentheses(decl.getInitializer()) instanceof IdentifierTree from
            && ASTHelpers.getSymbol(from) instanceof VarSymbol counter
            && isCounter(loop, counter);
      }
      return false;
    }

    /** Whether {@code stream} runs once per element of a range of distinct numbers. */
    private boolean overRange(@Nullable ExpressionTree stream) {
      for (ExpressionTree e = stream; e instanceof MethodInvocationTree call; ) {
        if (RANGE.matches(call, state)) {
          return true;
        }
        if (!DISTINCT_PRESERVING.contains(Trees.calledName(call))) {
          return false;
        }
        e = ASTHelpers.getReceiver(call);
      }
      return false;
    }

    /**
     * How a task that does not run as several copies at once still shares a field: it keeps running
     * (a scheduled or timer task, a thread's or task's loop) while other methods of the class use
     * the field on other threads. A visibility race: they may never see the write.
     */
    private Description checkPublication(Tree node, VarSymbol field, boolean readModifyWrite) {
      if ((field.flags() & Flags.VOLATILE) != 0) {
        return NO_MATCH;
      }
      String runner = runsAlongside();
      if (runner == null || !usedElsewhere(field)) {
        return NO_MATCH;
      }
      return buildDescription(node)
          .setMessage(
              String.format(
                  "'%s' is a non-volatile field written by %s while other methods of the class"
                      + " use it on other threads, with no synchronization: they may never see"
                      + " the new value%s: %s",
                  field.getSimpleName(),
                  runner,
                  readModifyWrite ? ", and updates race" : "",
                  readModifyWrite && isCounter(field.type)
                      ? "use an AtomicInteger or AtomicLong (or guard every access with one lock)"
                      : "make the field volatile, use an atomic type, or guard every access with"
                          + " one lock"))
          .build();
    }

    /** What runs the task alongside the rest of the object, or {@code null}. */
    private @Nullable String runsAlongside() {
      if (handoff.kind() == Kind.TIMER) {
        return "a timer task";
      }
      if (handoff.kind() == Kind.EXECUTOR
          && !collected
          && handoff.call() instanceof MethodInvocationTree call
          && Trees.calledName(call).startsWith("schedule")) {
        return "a scheduled task";
      }
      if (handoff.kind() != Kind.THREAD && handoff.kind() != Kind.EXECUTOR) {
        return null;
      }
      for (TreePath p = writePath;
          p != null && p.getLeaf() != handoff.task();
          p = p.getParentPath()) {
        Tree leaf = p.getLeaf();
        if (leaf instanceof WhileLoopTree
            || leaf instanceof DoWhileLoopTree
            || (leaf instanceof ForLoopTree loop && loop.getCondition() == null)) {
          return handoff.kind() == Kind.THREAD ? "a thread's loop" : "a task's loop";
        }
      }
      return null;
    }

    /**
     * Whether a method of the field's class other than the one that hands the task off (and other
     * than a constructor or initializer, which run before) reads or writes {@code field}.
     */
    private boolean usedElsewhere(VarSymbol field) {
      Tree handoffMethod = null;
      ClassTree owner = null;
      for (TreePath p = taskPath; p != null; p = p.getParentPath()) {
        Tree leaf = p.getLeaf();
        if (handoffMethod == null && leaf instanceof MethodTree) {
          handoffMethod = leaf;
        }
        if (leaf instanceof ClassTree cls && ASTHelpers.getSymbol(cls) == field.owner) {
          owner = cls;
          break;
        }
      }
      if (owner == null) {
        return false;
      }
      for (Tree member : owner.getMembers()) {
        if (member instanceof MethodTree method) {
          MethodSymbol sym = ASTHelpers.getSymbol(method);
          if (sym != null
              && !sym.isConstructor()
              && Symbols.mentions(method, field, handoffMethod)) {
            return true;
          }
        } else if (member instanceof ClassTree && Symbols.mentions(member, field, handoffMethod)) {
          return true;
        }
      }
      return false;
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
      VariableTree decl = Declarations.of(var, taskPath);
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
      return LibraryModel.isUnsafeCollection(type, state);
    }

    private boolean isGuarded() {
      return Synchronization.isGuarded(writePath, handoff.task());
    }

    private String where() {
      if (collected) {
        String runner =
            handoff.call() instanceof MethodInvocationTree call ? Trees.calledName(call) : "";
        return sharing.repeat() != null
            ? "tasks collected in a loop and run together by " + runner + "()"
            : "a task run by " + runner + "() on a multi-threaded executor";
      }
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

  private static boolean isParameter(LambdaExpressionTree lambda, VarSymbol var) {
    for (VariableTree param : lambda.getParameters()) {
      if (ASTHelpers.getSymbol(param) == var) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code counter} is declared by {@code loop} and only ever incremented by it. */
  private static boolean isCounter(ForLoopTree loop, VarSymbol counter) {
    boolean declared = false;
    for (StatementTree init : loop.getInitializer()) {
      declared |= init instanceof VariableTree v && ASTHelpers.getSymbol(v) == counter;
    }
    if (!declared || loop.getUpdate().size() != 1) {
      return false;
    }
    ExpressionTree update = loop.getUpdate().get(0).getExpression();
    return update instanceof UnaryTree unary
        && (unary.getKind() == Tree.Kind.POSTFIX_INCREMENT
            || unary.getKind() == Tree.Kind.PREFIX_INCREMENT)
        && ASTHelpers.getSymbol(unary.getExpression()) == counter;
  }

  private static boolean isCounter(Type type) {
    return type.getKind() == TypeKind.INT || type.getKind() == TypeKind.LONG;
  }
}
