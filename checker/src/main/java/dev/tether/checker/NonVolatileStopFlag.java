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
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.tether.checker.utils.BodyScan;
import dev.tether.checker.utils.LazyPathScanner;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.SameCompilation;
import dev.tether.checker.utils.SameVariable;
import dev.tether.checker.utils.Synchronization;
import dev.tether.checker.utils.ThreadOwnership;
import dev.tether.checker.utils.Trees;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags loops in concurrent code that wait on a non-volatile flag. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Make a stop flag volatile when a loop on another thread waits for it to change",
    link = BUGPATTERN + "NonVolatileStopFlag.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class NonVolatileStopFlag extends BugChecker implements VariableTreeMatcher {
  private static final long serialVersionUID = 1L;

  /**
   * Blocking calls of {@code java.util.concurrent} whose documented memory-consistency effects
   * order what another thread wrote before its matching action (an {@code offer}, an {@code
   * unlock}, a {@code release}, a {@code countDown}, a {@code signal}) before what this thread
   * reads after the call, as entering a {@code synchronized} block does.
   */
  private static final Matcher<ExpressionTree> SYNCHRONIZER_CALL =
      anyOf(
          instanceMethod()
              .onDescendantOf("java.util.concurrent.BlockingQueue")
              .namedAnyOf("take", "put", "poll", "offer"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.BlockingDeque")
              .namedAnyOf("takeFirst", "takeLast", "putFirst", "putLast", "pollFirst", "pollLast"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.TransferQueue")
              .namedAnyOf("transfer", "tryTransfer"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.locks.Lock")
              .namedAnyOf("lock", "lockInterruptibly", "tryLock"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.locks.Condition")
              .namedAnyOf("await", "awaitNanos", "awaitUntil", "awaitUninterruptibly"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.Semaphore")
              .namedAnyOf("acquire", "acquireUninterruptibly", "tryAcquire"),
          instanceMethod().onDescendantOf("java.util.concurrent.CountDownLatch").named("await"),
          instanceMethod().onDescendantOf("java.util.concurrent.CyclicBarrier").named("await"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.Phaser")
              .namedAnyOf("arriveAndAwaitAdvance", "awaitAdvance", "awaitAdvanceInterruptibly"),
          instanceMethod().onDescendantOf("java.util.concurrent.Exchanger").named("exchange"));

  /**
   * Waits that throw {@code InterruptedException} when the thread is interrupted: the point where
   * the waiting thread determines that it was interrupted, which the {@code interrupt()} call
   * synchronizes-with (JLS 17.4.4).
   */
  private static final Matcher<ExpressionTree> INTERRUPTIBLE_WAIT =
      anyOf(
          staticMethod().onClass("java.lang.Thread").named("sleep"),
          instanceMethod().onDescendantOf("java.lang.Thread").named("join"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.TimeUnit")
              .namedAnyOf("sleep", "timedJoin", "timedWait"));

  private static final Matcher<ExpressionTree> INTERRUPT =
      instanceMethod().onDescendantOf("java.lang.Thread").named("interrupt");

  private static final Set<Tree.Kind> JUMPS =
      EnumSet.of(Tree.Kind.RETURN, Tree.Kind.BREAK, Tree.Kind.CONTINUE, Tree.Kind.THROW);

  /**
   * The facts of the top-level class scanned last in this compilation: its candidate fields are
   * declared one after another, and each asks about the same class, so it is scanned once, not once
   * per field.
   */
  private static final PerCompilation<LastScan> LAST_SCAN = PerCompilation.of(s -> new LastScan());

  @Override
  public Description matchVariable(VariableTree tree, VisitorState state) {
    VarSymbol field = ASTHelpers.getSymbol(tree);
    if (field == null || !isCandidate(field)) {
      return NO_MATCH;
    }
    TreePath topLevel = Trees.topLevelClass(state.getPath());
    if (topLevel == null) {
      return NO_MATCH;
    }
    Facts facts = LAST_SCAN.get(state).of(topLevel);
    List<TreePath> loops = facts.loopsReading.get(field);
    if (loops == null) {
      return NO_MATCH; // cheap: no loop of the class waits for this field
    }
    for (TreePath loopPath : loops) {
      if (!runsConcurrently(loopPath, state)) {
        continue;
      }
      List<MethodInvocationTree> blocking = blockingCalls(loopPath, state);
      if (blocking == null) {
        continue; // the loop synchronizes: a monitor, a lock, wait()
      }
      Tree function = enclosingFunction(loopPath);
      for (Read read : facts.loops.get(loopPath)) {
        List<TreePath> writes = facts.writes.get(read.field());
        if (!read.field().equals(field)
            || !writtenElsewhere(writes, read, function, state)
            || wokenByInterrupt(loopPath, read, writes, function, state)
            || orderedByBlockingCalls(blocking, read, writes, function, state)
            || stoppedThroughVolatile(
                facts.conditions.get(loopPath), read, writes, function, state)) {
          continue;
        }
        Description.Builder description =
            buildDescription(read.tree())
                .setMessage(
                    String.format(
                        "'%s' is not volatile, so this loop on another thread may never see the"
                            + " write that should stop it (the JIT may hoist the read): declare"
                            + " the field volatile, or use an Atomic* or a CancelScope",
                        read.field().getSimpleName()));
        SuggestedFixes.addModifiers(tree, state, Modifier.VOLATILE).ifPresent(description::addFix);
        return description.build();
      }
    }
    return NO_MATCH;
  }

  /**
   * The {@link Facts} of the top-level class scanned last (javac visits one class at a time). It
   * holds no finding: what a field's match reports depends only on the class's tree, as when each
   * match scanned the class itself.
   */
  private static final class LastScan {
    private @Nullable Tree topLevel;
    private @Nullable Facts facts;

    Facts of(TreePath topLevelPath) {
      if (facts == null || topLevel != topLevelPath.getLeaf()) {
        Facts scanned = new Facts();
        scanned.scan(topLevelPath, null);
        topLevel = topLevelPath.getLeaf();
        facts = scanned;
      }
      return facts;
    }
  }

  /**
   * A read of a candidate field in a loop condition, directly or through a trivial getter, and the
   * value of the field that can stop the loop ({@code false} for {@code while (running)}, {@code
   * true} for {@code while (!stopped)} and {@code if (stopped) break;}), {@code null} when unknown.
   */
  private record Read(
      Tree tree, VarSymbol field, @Nullable Boolean stopsAt, @Nullable Comparison comparison) {}

  /**
   * A reference field compared in a stop condition with {@code null} or an enum constant ({@code
   * timer != null}, {@code state == State.RUNNING}): the value it is compared with ({@link #NULL}
   * or the constant's symbol) and whether the loop stops when the field equals it ({@code null}
   * when unknown).
   */
  private record Comparison(Object operand, @Nullable Boolean stopsWhenEqual) {}

  private static final Object NULL = new Object();

  /** The value of a {@code new} expression: never {@code null}, never an enum constant. */
  private static final Object NEW = new Object();

  /** A condition that ends a loop, and the value at which it does. */
  private record StopCondition(ExpressionTree condition, boolean stopsWhen) {}

  /** What one scan of a top-level class finds. */
  private static final class Facts extends LazyPathScanner<Void, Void> {
    final Map<VarSymbol, VariableTree> fields = new HashMap<>();
    final Map<VarSymbol, List<TreePath>> writes = new HashMap<>();
    final Map<MethodSymbol, VarSymbol> getters = new HashMap<>();
    final Map<TreePath, List<StopCondition>> conditions = new LinkedHashMap<>();
    final Map<TreePath, List<Read>> loops = new LinkedHashMap<>();

    /** The loops whose stop conditions read each field, in the order of {@link #loops}. */
    final Map<VarSymbol, List<TreePath>> loopsReading = new HashMap<>();

    @Override
    public Void scan(TreePath path, Void unused) {
      super.scan(path, null);
      for (Map.Entry<TreePath, List<StopCondition>> loop : conditions.entrySet()) {
        List<Read> reads = new ArrayList<>();
        for (StopCondition condition : loop.getValue()) {
          reads.addAll(reads(condition));
        }
        if (!reads.isEmpty()) {
          loops.put(loop.getKey(), reads);
          for (Read read : reads) {
            List<TreePath> reading =
                loopsReading.computeIfAbsent(read.field(), f -> new ArrayList<>());
            if (reading.isEmpty() || reading.get(reading.size() - 1) != loop.getKey()) {
              reading.add(loop.getKey());
            }
          }
        }
      }
      return null;
    }

    @Override
    public Void visitVariable(VariableTree tree, Void unused) {
      VarSymbol var = ASTHelpers.getSymbol(tree);
      if (var != null && isCandidate(var)) {
        fields.put(var, tree);
      }
      return super.visitVariable(tree, null);
    }

    @Override
    public Void visitMethod(MethodTree tree, Void unused) {
      MethodSymbol sym = ASTHelpers.getSymbol(tree);
      if (sym != null
          && tree.getParameters().isEmpty()
          && tree.getBody() != null
          && tree.getBody().getStatements().size() == 1
          && tree.getBody().getStatements().get(0) instanceof ReturnTree ret
          && ret.getExpression() != null) {
        VarSymbol field = thisField(unnegated(ret.getExpression()));
        if (field != null) {
          getters.put(sym, field);
        }
      }
      return super.visitMethod(tree, null);
    }

    @Override
    public Void visitAssignment(AssignmentTree tree, Void unused) {
      if (ASTHelpers.getSymbol(tree.getVariable()) instanceof VarSymbol var && isCandidate(var)) {
        writes.computeIfAbsent(var, v -> new ArrayList<>()).add(getCurrentPath());
      }
      return super.visitAssignment(tree, null);
    }

    @Override
    public Void visitWhileLoop(WhileLoopTree tree, Void unused) {
      addLoop(tree.getCondition(), tree.getStatement());
      return super.visitWhileLoop(tree, null);
    }

    @Override
    public Void visitDoWhileLoop(DoWhileLoopTree tree, Void unused) {
      addLoop(tree.getCondition(), tree.getStatement());
      return super.visitDoWhileLoop(tree, null);
    }

    @Override
    public Void visitForLoop(ForLoopTree tree, Void unused) {
      addLoop(tree.getCondition(), tree.getStatement());
      return super.visitForLoop(tree, null);
    }

    /**
     * Keeps the loop's stop conditions when one of them may read a field of this object (a name,
     * {@code this.x}, or a call with no arguments: a getter); most loops ({@code i < n} over
     * locals, {@code it.hasNext()}) are dropped here without a path being made for them.
     */
    private void addLoop(@Nullable ExpressionTree condition, StatementTree body) {
      List<StopCondition> stops = stopConditions(condition, body);
      for (StopCondition stop : stops) {
        if (Trees.contains(stop.condition(), Facts::mayReadField)) {
          conditions.put(getCurrentPath(), stops);
          return;
        }
      }
    }

    private static boolean mayReadField(Tree node) {
      if (node instanceof MethodInvocationTree call) {
        return call.getArguments().isEmpty();
      }
      return (node instanceof IdentifierTree || node instanceof MemberSelectTree)
          && ASTHelpers.getSymbol(node) instanceof VarSymbol var
          && var.getKind() == ElementKind.FIELD;
    }

    /**
     * The conditions that stop a loop: its own, and for an endless loop ({@code while (true)},
     * {@code for (;;)}) those of the {@code if (…) break;} and {@code if (…) return;} statements of
     * its body, the form a spin loop on a flag takes.
     */
    private static List<StopCondition> stopConditions(
        @Nullable ExpressionTree condition, StatementTree body) {
      List<StopCondition> stops = new ArrayList<>();
      if (condition != null
          && !Boolean.TRUE.equals(ASTHelpers.constValue(ASTHelpers.stripParentheses(condition)))) {
        stops.add(new StopCondition(condition, false));
        return stops;
      }
      List<? extends StatementTree> statements =
          body instanceof BlockTree block ? block.getStatements() : List.of(body);
      for (StatementTree statement : statements) {
        if (statement instanceof IfTree ifTree && exits(ifTree.getThenStatement())) {
          stops.add(new StopCondition(ifTree.getCondition(), true));
        }
      }
      return stops;
    }

    /** Whether {@code statement} ends in an unlabelled {@code break} or a {@code return}. */
    private static boolean exits(StatementTree statement) {
      StatementTree s = Trees.lastStatement(statement);
      return (s instanceof BreakTree brk && brk.getLabel() == null) || s instanceof ReturnTree;
    }

    private List<Read> reads(StopCondition stop) {
      ExpressionTree condition = stop.condition();
      List<Read> reads = new ArrayList<>();
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(IdentifierTree tree, Void unused) {
          add(tree, thisField(tree));
          return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
          add(tree, thisField(tree));
          return null;
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
          if (tree.getArguments().isEmpty()
              && ASTHelpers.getSymbol(tree) != null
              && isThisReceiver(tree.getMethodSelect())) {
            add(tree, getters.get(ASTHelpers.getSymbol(tree)));
          }
          return null; // the result of a call with arguments is not a field read
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
          return null;
        }

        @Override
        public Void visitBinary(BinaryTree tree, Void unused) {
          if (tree.getKind() == Tree.Kind.EQUAL_TO || tree.getKind() == Tree.Kind.NOT_EQUAL_TO) {
            ExpressionTree left = ASTHelpers.stripParentheses(tree.getLeftOperand());
            ExpressionTree right = ASTHelpers.stripParentheses(tree.getRightOperand());
            if (addComparison(tree, left, right) || addComparison(tree, right, left)) {
              return null;
            }
          }
          return super.visitBinary(tree, null);
        }

        // timer != null, state == State.RUNNING: a reference field compared with a constant.
        private boolean addComparison(
            BinaryTree comparison, ExpressionTree side, ExpressionTree other) {
          VarSymbol field = thisField(side);
          Object operand = constantOperand(other);
          if (field == null || operand == null || !fields.containsKey(field) || isFlag(field)) {
            return false;
          }
          Boolean stopsWhenTrue = stopsAt(condition, comparison, stop.stopsWhen());
          Boolean stopsWhenEqual =
              stopsWhenTrue == null
                  ? null
                  : comparison.getKind() == Tree.Kind.EQUAL_TO ? stopsWhenTrue : !stopsWhenTrue;
          reads.add(new Read(side, field, null, new Comparison(operand, stopsWhenEqual)));
          return true;
        }

        private void add(Tree tree, @Nullable VarSymbol field) {
          if (field != null && fields.containsKey(field) && isFlag(field)) {
            reads.add(
                new Read(
                    tree,
                    field,
                    tree instanceof MethodInvocationTree
                        ? null // a getter may negate the field
                        : stopsAt(condition, tree, stop.stopsWhen()),
                    null));
          }
        }
      }.scan(condition, null);
      return reads;
    }
  }

  /**
   * The value of the field read at {@code read} that can make {@code condition} take the value
   * {@code stopsWhen}, through negations, {@code &&} and {@code ||}; {@code null} when the read
   * sits in another expression (a comparison, a call's argument).
   */
  private static @Nullable Boolean stopsAt(ExpressionTree condition, Tree read, boolean stopsWhen) {
    ExpressionTree e = ASTHelpers.stripParentheses(condition);
    if (e == read) {
      return stopsWhen;
    }
    if (e instanceof UnaryTree unary && unary.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      return stopsAt(unary.getExpression(), read, !stopsWhen);
    }
    if (e instanceof BinaryTree binary
        && (binary.getKind() == Tree.Kind.CONDITIONAL_AND
            || binary.getKind() == Tree.Kind.CONDITIONAL_OR)) {
      Boolean left = stopsAt(binary.getLeftOperand(), read, stopsWhen);
      return left != null ? left : stopsAt(binary.getRightOperand(), read, stopsWhen);
    }
    return null;
  }

  private static ExpressionTree unnegated(ExpressionTree tree) {
    ExpressionTree e = ASTHelpers.stripParentheses(tree);
    while (e instanceof UnaryTree unary && unary.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      e = ASTHelpers.stripParentheses(unary.getExpression());
    }
    return e;
  }

  /** The field that {@code tree} reads on this object ({@code flag}, {@code this.flag}), if any. */
  private static @Nullable VarSymbol thisField(ExpressionTree tree) {
    if (!(tree instanceof IdentifierTree || tree instanceof MemberSelectTree)
        || !isThisReceiver(tree)) {
      return null;
    }
    return ASTHelpers.getSymbol(tree) instanceof VarSymbol var && var.getKind() == ElementKind.FIELD
        ? var
        : null;
  }

  private static boolean isThisReceiver(ExpressionTree select) {
    if (select instanceof IdentifierTree) {
      return true;
    }
    if (select instanceof MemberSelectTree member) {
      ExpressionTree receiver = member.getExpression();
      if (receiver instanceof IdentifierTree id && id.getName().contentEquals("this")) {
        return true;
      }
      Symbol sym = ASTHelpers.getSymbol(member);
      // Outer.this.flag, or a static field named through its class
      return (receiver instanceof MemberSelectTree outer
              && outer.getIdentifier().contentEquals("this"))
          || (sym != null
              && ASTHelpers.isStatic(sym)
              && ASTHelpers.getSymbol(receiver) != null
              && ASTHelpers.getSymbol(receiver).getKind().isClass());
    }
    return false;
  }

  /**
   * A non-volatile, non-final field: a {@code boolean} (or {@code Boolean}), or a reference that a
   * stop condition may compare with {@code null} or an enum constant.
   */
  private static boolean isCandidate(VarSymbol var) {
    return var.getKind() == ElementKind.FIELD
        && (var.flags() & (Flags.VOLATILE | Flags.FINAL)) == 0
        && var.type != null
        && (var.type.getKind() == TypeKind.BOOLEAN
            || var.type.getKind() == TypeKind.DECLARED
            || var.type.getKind() == TypeKind.ARRAY);
  }

  /** A {@code boolean} or {@code Boolean} field: a flag read as a condition of its own. */
  private static boolean isFlag(VarSymbol var) {
    return var.type.getKind() == TypeKind.BOOLEAN
        || var.type.tsym.getQualifiedName().contentEquals("java.lang.Boolean");
  }

  /**
   * {@link #NULL} for the {@code null} literal, the symbol of an enum constant, {@link #NEW} for a
   * {@code new} expression; {@code null} for anything else.
   */
  private static @Nullable Object constantOperand(@Nullable ExpressionTree tree) {
    ExpressionTree e = tree == null ? null : ASTHelpers.stripParentheses(tree);
    if (e == null) {
      return null;
    }
    if (Trees.isNullLiteral(e)) {
      return NULL;
    }
    if (e instanceof NewClassTree || e instanceof NewArrayTree) {
      return NEW;
    }
    Symbol sym =
        e instanceof IdentifierTree || e instanceof MemberSelectTree
            ? ASTHelpers.getSymbol(e)
            : null;
    return sym != null && sym.getKind() == ElementKind.ENUM_CONSTANT ? sym : null;
  }

  /**
   * Whether the loop runs on another thread: in a thread's or a task's body, or in private code
   * reached only from one ({@link ThreadOwnership.Runner#isTaskBody()}).
   */
  private static boolean runsConcurrently(TreePath loopPath, VisitorState state) {
    return ThreadOwnership.of(loopPath, state).isTaskBody();
  }

  /**
   * {@code null} when the loop synchronizes: it runs inside a critical section, or its body enters
   * one (a {@code synchronized} block, a {@code lock()}, a {@code wait()}), which makes it re-read.
   * Otherwise the blocking {@code java.util.concurrent} calls of its body ({@link
   * #SYNCHRONIZER_CALL}), which order a write only when the writer acts on the same object after it
   * ({@link #orderedByBlockingCalls}).
   */
  private static @Nullable List<MethodInvocationTree> blockingCalls(
      TreePath loopPath, VisitorState state) {
    if (Synchronization.isGuarded(loopPath, null)) {
      return null;
    }
    StatementTree body = loopBody(loopPath.getLeaf());
    List<MethodInvocationTree> calls = new ArrayList<>();
    boolean synchronizes =
        new BodyScan.Scanner() {
          @Override
          public Void visitSynchronized(SynchronizedTree tree, Void unused) {
            stop();
            return null;
          }

          @Override
          public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
            Symbol sym = ASTHelpers.getSymbol(tree);
            if (sym != null
                && (sym.getSimpleName().contentEquals("wait")
                    || sym.getSimpleName().contentEquals("lock")
                    || sym.getSimpleName().contentEquals("lockInterruptibly"))) {
              stop();
              return null;
            }
            if (sym != null && SYNCHRONIZER_CALL.matches(tree, state)) {
              calls.add(tree);
            }
            return super.visitMethodInvocation(tree, null);
          }
        }.finds(body);
    return synchronizes ? null : calls;
  }

  /**
   * Whether the blocking {@code java.util.concurrent} calls of the loop order every write elsewhere
   * that can stop it: each such write is followed, in its method or lambda, by a call on the object
   * a blocking call waits on (a poison pill {@code put}, {@code release}, {@code countDown}, {@code
   * signal}, …), whose documented memory effects then order the write before what the loop reads
   * after that call returns; or, when a blocking call throws {@code InterruptedException}, by
   * {@code interrupt()} of a thread (JLS 17.4.4). A blocking call on something other than a
   * variable is taken as ordering: its object cannot be followed. A writer that never touches the
   * object creates no happens-before edge with the loop.
   */
  private static boolean orderedByBlockingCalls(
      List<MethodInvocationTree> blocking,
      Read read,
      @Nullable List<TreePath> writes,
      Tree function,
      VisitorState state) {
    if (blocking.isEmpty()) {
      return false;
    }
    List<ExpressionTree> objects = new ArrayList<>();
    boolean interruptible = false;
    for (MethodInvocationTree call : blocking) {
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      if (SameVariable.variable(receiver) == null) {
        return true; // getQueue().take(): its object cannot be followed
      }
      objects.add(receiver);
      interruptible |= throwsInterrupted(call);
    }
    if (writes == null) {
      return true;
    }
    for (TreePath write : writes) {
      if (isElsewhere(write, function, state)
          && canStop(write, read)
          && !touchesAfter(write, objects)
          && !(interruptible && interruptsAfter(write, state))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether every write elsewhere that can stop the loop sits in a method (or lambda) that also
   * assigns a {@code volatile} field of this object that the loop's stop conditions read: {@code
   * while (sock != null && Thread.currentThread() == receiver)} with {@code stop() { sock = null;
   * receiver = null; }}, {@code receiver} volatile. The loop ends through the volatile field, which
   * it re-reads on every check; the plain field does not decide when.
   */
  private static boolean stoppedThroughVolatile(
      @Nullable List<StopCondition> conditions,
      Read read,
      @Nullable List<TreePath> writes,
      Tree function,
      VisitorState state) {
    if (conditions == null || writes == null) {
      return false;
    }
    Set<VarSymbol> volatiles = new HashSet<>();
    for (StopCondition condition : conditions) {
      Trees.contains(
          condition.condition(),
          node -> {
            VarSymbol var =
                node instanceof IdentifierTree || node instanceof MemberSelectTree
                    ? thisField((ExpressionTree) node)
                    : null;
            if (var != null && (var.flags() & Flags.VOLATILE) != 0) {
              volatiles.add(var);
            }
            return false;
          });
    }
    if (volatiles.isEmpty()) {
      return false;
    }
    for (TreePath write : writes) {
      if (!isElsewhere(write, function, state) || !canStop(write, read)) {
        continue;
      }
      Tree writer = enclosingFunction(write);
      Tree body =
          writer instanceof MethodTree method
              ? method.getBody()
              : writer instanceof LambdaExpressionTree lambda ? lambda.getBody() : null;
      if (body == null
          || !Trees.contains(
              body,
              node ->
                  node instanceof AssignmentTree assignment
                      && ASTHelpers.getSymbol(assignment.getVariable()) instanceof VarSymbol var
                      && volatiles.contains(var))) {
        return false;
      }
    }
    return true;
  }

  private static boolean throwsInterrupted(MethodInvocationTree call) {
    Symbol sym = ASTHelpers.getSymbol(call.getMethodSelect());
    if (!(sym instanceof MethodSymbol method)) {
      return false;
    }
    for (com.sun.tools.javac.code.Type thrown : method.getThrownTypes()) {
      if (thrown.tsym != null
          && thrown.tsym.getQualifiedName().contentEquals("java.lang.InterruptedException")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the method or lambda of the assignment at {@code write} calls a method on one of {@code
   * objects} after the assignment ({@code stopped = true; queue.put(POISON);}).
   */
  private static boolean touchesAfter(TreePath write, List<ExpressionTree> objects) {
    Tree writer = enclosingFunction(write);
    if (writer == null) {
      return false;
    }
    int end = ASTHelpers.getStartPosition(write.getLeaf());
    Tree body =
        writer instanceof MethodTree method
            ? method.getBody()
            : ((LambdaExpressionTree) writer).getBody();
    return Trees.contains(
        body,
        node ->
            node instanceof MethodInvocationTree call
                && ASTHelpers.getStartPosition(call) > end
                && objects.stream()
                    .anyMatch(o -> SameVariable.of(ASTHelpers.getReceiver(call), o)));
  }

  private static StatementTree loopBody(Tree loop) {
    return loop instanceof WhileLoopTree w
        ? w.getStatement()
        : loop instanceof DoWhileLoopTree d
            ? d.getStatement()
            : ((ForLoopTree) loop).getStatement();
  }

  /**
   * Whether one of {@code writes} happens in another method or lambda than {@code function}, and
   * not while the object is being constructed, nor in a method that runs only on the loop's own
   * thread or before that thread starts ({@link ThreadOwnership#runsOnlyOnThreadOf}).
   */
  private static boolean writtenElsewhere(
      @Nullable List<TreePath> writes, Read read, Tree function, VisitorState state) {
    if (writes == null) {
      return false;
    }
    for (TreePath write : writes) {
      if (isElsewhere(write, function, state)
          && (read.comparison() == null || canStop(write, read))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the write at {@code write} may run on another thread than the loop's, after it started:
   * not in the loop's own function, a field or block initializer, or a constructor, nor in a method
   * that runs only on the loop's thread or before that thread starts ({@link
   * ThreadOwnership#runsOnlyOnThreadOf}).
   */
  private static boolean isElsewhere(TreePath write, Tree function, VisitorState state) {
    Tree writer = enclosingFunction(write);
    if (writer == null || writer == function) {
      return false; // a field or block initializer, or the loop's own thread
    }
    return !(writer instanceof MethodTree method
            && ASTHelpers.getSymbol(method) != null
            && ASTHelpers.getSymbol(method).isConstructor())
        && !ThreadOwnership.runsOnlyOnThreadOf(write, function, state);
  }

  /**
   * Write, then interrupt (JLS 17.4.4): whether every write elsewhere that can stop the loop is
   * followed, in its block, by {@code interrupt()} of a thread ({@code this} of a {@code Thread}
   * subclass, or a variable or field holding a thread), and the loop blocks in an interruptible
   * wait ({@link #INTERRUPTIBLE_WAIT}) on every iteration. The interrupt synchronizes-with the
   * point where the looping thread finds out that it was interrupted (the wait throws at once, or
   * wakes up, with {@code InterruptedException}); the write comes before the interrupt in program
   * order, so every read of the flag after that point sees it: at the latest one iteration later.
   */
  private static boolean wokenByInterrupt(
      TreePath loopPath,
      Read read,
      @Nullable List<TreePath> writes,
      Tree function,
      VisitorState state) {
    if (writes == null || !blocksEveryIteration(loopPath.getLeaf(), state)) {
      return false;
    }
    for (TreePath write : writes) {
      if (isElsewhere(write, function, state)
          && canStop(write, read)
          && !interruptsAfter(write, state)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the assignment at {@code write} may store the value that stops the loop. */
  private static boolean canStop(TreePath write, Read read) {
    ExpressionTree assigned =
        write.getLeaf() instanceof AssignmentTree assignment ? assignment.getExpression() : null;
    Comparison comparison = read.comparison();
    if (comparison != null) {
      // Only a value known to stop the loop counts: `timer = null`, `state = State.STOPPED`; a
      // call's result (`sock = createSocket()`, `state = next`) sets the field up or moves it on.
      Object value = constantOperand(assigned);
      if (value == null) {
        return false;
      }
      return comparison.stopsWhenEqual() == null
          || value.equals(comparison.operand()) == comparison.stopsWhenEqual();
    }
    Object value = assigned == null ? null : ASTHelpers.constValue(assigned);
    Boolean stopsAt = read.stopsAt();
    return stopsAt == null || !(value instanceof Boolean) || value.equals(stopsAt);
  }

  /**
   * Whether the assignment at {@code write} is a statement followed, in the same block and with no
   * {@code return}, {@code break}, {@code continue} or {@code throw} before it, by {@code
   * interrupt()} of a thread held in a variable or field, or of {@code this} thread.
   */
  private static boolean interruptsAfter(TreePath write, VisitorState state) {
    return interruptsAfterInBlock(write, state) || interruptsAfterEveryCall(write, state);
  }

  /**
   * Whether the assignment at {@code write} is the last statement of a setter ({@code void
   * shutdown() { shutdown = true; }}) whose every use in the compilation ({@link
   * SameCompilation#usesOf}: the setter is not public API) is a call followed, in its block, by
   * {@code interrupt()} of a thread: {@code reconnector.shutdown(); reconnector.interrupt();}.
   */
  private static boolean interruptsAfterEveryCall(TreePath write, VisitorState state) {
    TreePath statement = write.getParentPath();
    TreePath body = statement == null ? null : statement.getParentPath();
    TreePath method = body == null ? null : body.getParentPath();
    if (method == null
        || !(method.getLeaf() instanceof MethodTree setter)
        || setter.getBody() != body.getLeaf()
        || !isLast(setter.getBody().getStatements(), statement.getLeaf())) {
      return false;
    }
    MethodSymbol sym = ASTHelpers.getSymbol(setter);
    if (sym == null) {
      return false;
    }
    Optional<List<TreePath>> uses = SameCompilation.usesOf(sym, state);
    if (uses.isEmpty() || uses.get().isEmpty()) {
      return false;
    }
    for (TreePath use : uses.get()) {
      if (!(use.getLeaf() instanceof MethodInvocationTree) || !interruptsAfterInBlock(use, state)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLast(List<? extends StatementTree> statements, Tree statement) {
    return !statements.isEmpty() && statements.get(statements.size() - 1) == statement;
  }

  private static boolean interruptsAfterInBlock(TreePath write, VisitorState state) {
    TreePath statement = write.getParentPath();
    if (statement == null
        || !(statement.getLeaf() instanceof ExpressionStatementTree)
        || !(statement.getParentPath().getLeaf() instanceof BlockTree block)) {
      return false;
    }
    List<? extends StatementTree> statements = block.getStatements();
    for (StatementTree after :
        statements.subList(statements.indexOf(statement.getLeaf()) + 1, statements.size())) {
      if (interruptsThread(after, state) || interruptsUnlessNull(after, state)) {
        return true;
      }
      if (BodyScan.containsKind(after, JUMPS)) {
        return false;
      }
    }
    return false;
  }

  /** {@code t.interrupt();} of a thread held in a variable or field, or of {@code this} thread. */
  private static boolean interruptsThread(StatementTree statement, VisitorState state) {
    if (statement instanceof ExpressionStatementTree expression
        && expression.getExpression() instanceof MethodInvocationTree call
        && INTERRUPT.matches(call, state)) {
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      return receiver == null
          || (receiver instanceof IdentifierTree id && id.getName().contentEquals("this"))
          || SameVariable.variable(receiver) != null;
    }
    return false;
  }

  /**
   * {@code if (t != null) { t.interrupt(); … }} with no {@code else}: the thread is interrupted
   * whenever there is one ({@code null} is no thread, and runs no loop), as the first statement of
   * the branch.
   */
  private static boolean interruptsUnlessNull(StatementTree statement, VisitorState state) {
    if (!(statement instanceof IfTree ifTree)
        || ifTree.getElseStatement() != null
        || !(ASTHelpers.stripParentheses(ifTree.getCondition()) instanceof BinaryTree test)
        || test.getKind() != Tree.Kind.NOT_EQUAL_TO) {
      return false;
    }
    ExpressionTree thread =
        Trees.isNullLiteral(ASTHelpers.stripParentheses(test.getRightOperand()))
            ? test.getLeftOperand()
            : Trees.isNullLiteral(ASTHelpers.stripParentheses(test.getLeftOperand()))
                ? test.getRightOperand()
                : null;
    StatementTree then = ifTree.getThenStatement();
    StatementTree first =
        then instanceof BlockTree block
            ? (block.getStatements().isEmpty() ? null : block.getStatements().get(0))
            : then;
    return thread != null
        && SameVariable.variable(ASTHelpers.stripParentheses(thread)) != null
        && first instanceof ExpressionStatementTree expression
        && expression.getExpression() instanceof MethodInvocationTree call
        && INTERRUPT.matches(call, state)
        && SameVariable.of(ASTHelpers.getReceiver(call), ASTHelpers.stripParentheses(thread));
  }

  /**
   * Whether the loop's body, on every iteration, reaches an interruptible wait: a statement of the
   * body that is such a call, or a {@code try} statement of the body (without resources) whose
   * block starts with one, with no {@code continue} in the statements before it.
   */
  private static boolean blocksEveryIteration(Tree loop, VisitorState state) {
    StatementTree body = loopBody(loop);
    List<? extends StatementTree> statements =
        body instanceof BlockTree block ? block.getStatements() : List.of(body);
    for (StatementTree statement : statements) {
      if (waitsInterruptibly(statement, state)
          || (statement instanceof TryTree tryTree
              && tryTree.getResources().isEmpty()
              && !tryTree.getBlock().getStatements().isEmpty()
              && waitsInterruptibly(tryTree.getBlock().getStatements().get(0), state))) {
        return true;
      }
      if (BodyScan.containsKind(statement, EnumSet.of(Tree.Kind.CONTINUE))) {
        return false;
      }
    }
    return false;
  }

  private static boolean waitsInterruptibly(StatementTree statement, VisitorState state) {
    return statement instanceof ExpressionStatementTree expression
        && INTERRUPTIBLE_WAIT.matches(expression.getExpression(), state);
  }

  private static @Nullable Tree enclosingFunction(TreePath path) {
    TreePath function = Trees.enclosingFunction(path);
    return function == null ? null : function.getLeaf();
  }
}
