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
import com.google.errorprone.bugpatterns.BugChecker.CatchTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.tether.checker.utils.BodyScan;
import dev.tether.checker.utils.EnclosingLoops;
import dev.tether.checker.utils.LibraryModel;
import dev.tether.checker.utils.LoggingCalls;
import dev.tether.checker.utils.SameCompilation;
import dev.tether.checker.utils.SameVariable;
import dev.tether.checker.utils.StoppingScanner;
import dev.tether.checker.utils.Symbols;
import dev.tether.checker.utils.ThreadOwnership;
import dev.tether.checker.utils.ThrowScanner;
import dev.tether.checker.utils.Trees;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags {@code catch} blocks that swallow an interruption. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Restore the interrupt flag or rethrow when catching InterruptedException",
    link = BUGPATTERN + "SwallowedInterrupt.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class SwallowedInterrupt extends BugChecker implements CatchTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String MESSAGE =
      "This catch swallows the interruption: call Thread.currentThread().interrupt() or rethrow,"
          + " so that the code that owns the thread can still see the cancellation";

  private static final String BROAD_MESSAGE =
      "This broad catch also catches the InterruptedException thrown in its try block and swallows"
          + " it: restore the flag with Thread.currentThread().interrupt() when the exception is an"
          + " InterruptedException, or rethrow, so that the code that owns the thread can still see"
          + " the cancellation";

  private static final String SOME_PATHS_MESSAGE =
      "This catch hands the interruption on only on some paths: on the others it returns or"
          + " carries on with the flag cleared. Restore it with Thread.currentThread().interrupt()"
          + " on those paths too (for an uninterruptible wait: remember it, and restore it before"
          + " returning), so that the code that owns the thread can still see the cancellation";

  private static final Supplier<Type> INTERRUPTED_EXCEPTION =
      Suppliers.typeFromString("java.lang.InterruptedException");

  private static final Matcher<ExpressionTree> CURRENT_THREAD =
      staticMethod().onClass("java.lang.Thread").named("currentThread");

  private static final Matcher<ExpressionTree> INTERRUPT =
      instanceMethod().onDescendantOf("java.lang.Thread").named("interrupt");

  /** {@code Thread.interrupted()}: clears the flag, so it undoes a restore made before it. */
  private static final Matcher<ExpressionTree> CLEAR_INTERRUPT =
      staticMethod().onClass("java.lang.Thread").named("interrupted");

  /** Calls that end the process: nobody is left to see the flag. */
  private static final Matcher<ExpressionTree> EXITS =
      anyOf(
          staticMethod().onClass("java.lang.System").named("exit"),
          instanceMethod().onDescendantOf("java.lang.Runtime").namedAnyOf("exit", "halt"));

  /** Names of helpers that end the process, e.g. {@code exitWithError}, {@code haltJvm}. */
  private static final Pattern EXIT_NAME = Pattern.compile("(?i).*(exit|halt).*");

  /** Calls that store a value in an {@code AtomicReference}: a holder for a later rethrow. */
  private static final Matcher<ExpressionTree> HOLDER_STORE =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.atomic.AtomicReference")
          .namedAnyOf(
              "set",
              "lazySet",
              "setPlain",
              "setOpaque",
              "setRelease",
              "compareAndSet",
              "weakCompareAndSet",
              "weakCompareAndSetPlain",
              "weakCompareAndSetVolatile",
              "weakCompareAndSetAcquire",
              "weakCompareAndSetRelease",
              "compareAndExchange",
              "compareAndExchangeAcquire",
              "compareAndExchangeRelease");

  private static final Supplier<Type> ATOMIC_REFERENCE =
      Suppliers.typeFromString("java.util.concurrent.atomic.AtomicReference");

  /** Calls that read an {@code AtomicReference}'s value without storing one. */
  private static final Set<String> HOLDER_READS =
      Set.of("get", "getPlain", "getOpaque", "getAcquire", "getAndSet");

  /** {@code Future.get()} and {@code Future.get(timeout, unit)}. */
  private static final Matcher<ExpressionTree> FUTURE_GET =
      instanceMethod().onDescendantOf("java.util.concurrent.Future").named("get");

  /**
   * Queries of a JDK future whose {@code true} means that it is done: {@code isDone()}, {@code
   * isCancelled()} (a cancelled future is done) and {@code
   * CompletableFuture.isCompletedExceptionally()} (completed, with a failure). {@code get()} of
   * such a future returns or throws its outcome at once, without looking at the interrupt flag.
   */
  private static final Set<String> DONE_QUERIES =
      Set.of("isDone", "isCancelled", "isCompletedExceptionally");

  /**
   * {@code ForkJoinTask.get()} checks the interrupt flag before it looks at the result, so it can
   * throw {@code InterruptedException} even when the task is done.
   */
  private static final Supplier<Type> FORK_JOIN_TASK =
      Suppliers.typeFromString("java.util.concurrent.ForkJoinTask");

  private static final Supplier<Type> FUTURE_TASK =
      Suppliers.typeFromString("java.util.concurrent.FutureTask");

  private static final Supplier<Type> COMPLETABLE_FUTURE =
      Suppliers.typeFromString("java.util.concurrent.CompletableFuture");

  /** Methods that always throw: assertions in tests. */
  private static final Set<String> ALWAYS_THROWS = Set.of("fail", "throwIfUnchecked", "propagate");

  @Override
  public Description matchCatch(CatchTree tree, VisitorState state) {
    Swallow swallow = swallow(tree, state);
    if (swallow == null) {
      return NO_MATCH;
    }
    if (swallow.onSomePaths()) {
      // No fix: a restore before the rethrow would change what the rethrowing path's callers see.
      return buildDescription(tree).setMessage(SOME_PATHS_MESSAGE).build();
    }
    Description.Builder description =
        buildDescription(tree).setMessage(swallow.broad() ? BROAD_MESSAGE : MESSAGE);
    Edit edit = groupFix(state.getPath(), swallow, state);
    if (edit != null) {
      description.addFix(SuggestedFix.replace(edit.start(), edit.end(), edit.text()));
    }
    return description.build();
  }

  /** A catch that swallows the interruption: whether it is broad, and what its block does. */
  private record Swallow(boolean broad, Propagation propagation, boolean onSomePaths) {}

  /**
   * Whether the catch at {@code state}'s path swallows the interruption (the check's verdict), and
   * how; {@code null} when it does not.
   */
  private static @Nullable Swallow swallow(CatchTree tree, VisitorState state) {
    boolean direct = catchesInterruptedException(tree, state);
    if (!direct && !(catchesBroadly(tree, state) && reachedByInterruption(tree, state))) {
      return null;
    }
    Symbol exception = ASTHelpers.getSymbol(tree.getParameter());
    if (exception == null || exception.getSimpleName().contentEquals("expected")) {
      return null;
    }
    Propagation propagation = Propagation.of(tree.getBlock(), exception, state);
    boolean onSomePaths = false;
    if (propagation.propagates()) {
      if (!direct
          || Trees.caughtTypes(tree).size() != 1
          || !Paths.leavesWithout(tree.getBlock(), exception, state)) {
        return null;
      }
      onSomePaths = true; // if (interruptible) throw e; — and otherwise carries on
    }
    boolean setsFlag =
        propagation.setsFlag
            || (onSomePaths
                && Trees.contains( // the scan above stopped at the first hand-off
                    tree.getBlock(),
                    node ->
                        node instanceof AssignmentTree assignment
                            && Boolean.TRUE.equals(
                                ASTHelpers.constValue(assignment.getExpression()))));
    if ((setsFlag && restoresLater(tree, state))
        || restoredByEnclosingHandler(state.getPath(), state)
        || reportedThroughResult(tree, state.getPath(), state)
        || onlyGetsDoneFutures(state.getPath(), state)
        || (ThreadOwnership.isOwnerCode(state.getPath(), state)
            && (isDeliberate(tree, state) || !goesRoundForever(state.getPath())))
        || (!propagation.holders.isEmpty()
            && Holders.handOn(propagation.holders, state.getPath(), state))) {
      return null;
    }
    return new Swallow(!direct, propagation, onSomePaths);
  }

  /**
   * The fix of the catch at {@code catchPath}, made together with the fixes of the other reported
   * catches of the same method. Two catches in one loop would each wrap the loop in its own
   * "remember and restore" {@code try}, which a tool that applies every fix finds in conflict (it
   * applies one). So the catches whose own edits overlap (transitively) form a group: its fix wraps
   * the largest region once and sets the flag (or restores) in every catch of the group, and every
   * catch of the group gets that same fix, which tools apply once. {@code null} when two regions
   * cross without one holding the other.
   */
  private static @Nullable Edit groupFix(TreePath catchPath, Swallow swallow, VisitorState state) {
    Edit own = fix(catchPath, state, swallow.broad(), swallow.propagation(), null);
    TreePath function = null;
    for (TreePath p = catchPath; p != null && function == null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree) {
        break;
      }
      if (p.getLeaf() instanceof MethodTree || p.getLeaf() instanceof LambdaExpressionTree) {
        function = p;
      }
    }
    Tree body =
        function == null
            ? null
            : function.getLeaf() instanceof MethodTree method
                ? method.getBody()
                : ((LambdaExpressionTree) function.getLeaf()).getBody();
    if (own == null || body == null) {
      return own;
    }
    List<Member> members = new ArrayList<>();
    new BodyScan.PathScanner() {
      @Override
      public Void visitCatch(CatchTree tree, Void unused) {
        if (tree == catchPath.getLeaf()) {
          members.add(new Member(catchPath, swallow, own));
        } else {
          VisitorState here = state.withPath(getCurrentPath());
          Swallow other = swallow(tree, here);
          Edit edit =
              other == null || other.onSomePaths()
                  ? null
                  : fix(getCurrentPath(), here, other.broad(), other.propagation(), null);
          if (edit != null) {
            members.add(new Member(getCurrentPath(), other, edit));
          }
        }
        return super.visitCatch(tree, null);
      }
    }.scan(new TreePath(function, body), null);
    Member self = members.stream().filter(m -> m.path() == catchPath).findFirst().orElse(null);
    if (self == null || members.size() == 1) {
      return own;
    }
    // Groups of overlapping edits, each with the edit that holds all of its others.
    int n = members.size();
    int[] group = new int[n];
    for (int i = 0; i < n; i++) {
      group[i] = i;
    }
    for (boolean merged = true; merged; ) {
      merged = false;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          if (group[i] != group[j] && overlaps(members.get(i).edit(), members.get(j).edit())) {
            int from = group[j];
            int to = group[i];
            for (int k = 0; k < n; k++) {
              group[k] = group[k] == from ? to : group[k];
            }
            merged = true;
          }
        }
      }
    }
    Map<Integer, Member> outer = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Member m = members.get(i);
      Member o = outer.get(group[i]);
      if (o == null || holds(m.edit(), o.edit())) {
        outer.put(group[i], m);
      }
    }
    for (int i = 0; i < n; i++) {
      if (!holds(outer.get(group[i]).edit(), members.get(i).edit())) {
        if (members.get(i).path() == catchPath) {
          return null; // regions that cross
        }
      }
    }
    int mine = group[members.indexOf(self)];
    Member myOuter = outer.get(mine);
    if (!myOuter.edit().remembers()) {
      return own; // one-line edits of one catch each: they cannot overlap another catch's
    }
    String name = myOuter.edit().flag();
    List<Edit> inner = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Member m = members.get(i);
      if (group[i] != mine || m.path() == myOuter.path()) {
        continue;
      }
      VisitorState here = state.withPath(m.path());
      inner.add(
          m.edit().remembers()
              ? rememberInCatch((CatchTree) m.path().getLeaf(), here, m.swallow().broad(), name)
              : m.edit());
    }
    return rememberFix(
        myOuter.path(), state.withPath(myOuter.path()), myOuter.swallow().broad(), inner, name);
  }

  /** A reported catch of the method, and its own fix. */
  private record Member(TreePath path, Swallow swallow, Edit edit) {}

  private static boolean overlaps(Edit a, Edit b) {
    return (a.start() < b.end() && b.start() < a.end())
        || (a.start() == a.end() && b.start() <= a.start() && a.start() < b.end())
        || (b.start() == b.end() && a.start() <= b.start() && b.start() < a.end());
  }

  /** Whether {@code outer}'s range holds {@code inner}'s. */
  private static boolean holds(Edit outer, Edit inner) {
    return outer.start() <= inner.start() && inner.end() <= outer.end();
  }

  /** Whether the catch names a supertype of {@code InterruptedException}: Exception, Throwable. */
  private static boolean catchesBroadly(CatchTree tree, VisitorState state) {
    Type interrupted = INTERRUPTED_EXCEPTION.get(state);
    if (interrupted == null) {
      return false;
    }
    for (Tree alternative : Trees.caughtTypes(tree)) {
      Type caught = ASTHelpers.getType(alternative);
      if (caught != null
          && caught.getKind() != TypeKind.ERROR
          && ASTHelpers.isSubtype(interrupted, caught, state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an {@code InterruptedException} thrown in the try block of this (broad) catch reaches
   * it: a call there declares it, no inner try catches it first, and no earlier catch clause of the
   * same try does.
   */
  private static boolean reachedByInterruption(CatchTree tree, VisitorState state) {
    TreePath parent = state.getPath().getParentPath();
    if (parent == null || !(parent.getLeaf() instanceof TryTree tryTree)) {
      return false;
    }
    for (CatchTree earlier : tryTree.getCatches()) {
      if (earlier == tree) {
        break;
      }
      if (catchesBroadly(earlier, state) || catchesInterruptedException(earlier, state)) {
        return false;
      }
    }
    ThrowScanner scanner =
        new ThrowScanner(INTERRUPTED_EXCEPTION.get(state), /* orSupertype= */ false, state);
    for (Tree resource : tryTree.getResources()) {
      if (!scanner.found()) {
        scanner.scan(new TreePath(parent, resource), null);
      }
    }
    if (!scanner.found()) {
      scanner.scan(new TreePath(parent, tryTree.getBlock()), null);
    }
    return scanner.found();
  }

  private static boolean catchesInterruptedException(CatchTree tree, VisitorState state) {
    for (Tree alternative : Trees.caughtTypes(tree)) {
      Type caught = ASTHelpers.getType(alternative);
      if (caught != null
          && caught.getKind() != TypeKind.ERROR
          && ASTHelpers.isSubtype(caught, INTERRUPTED_EXCEPTION.get(state), state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the only calls in the catch's {@code try} that can throw {@code InterruptedException}
   * are {@code get()}s of futures that are already done ({@link #isDoneFutureGet}): such a {@code
   * get()} does not wait, so it never throws {@code InterruptedException}, and the catch has no
   * interruption to swallow. Any other possible source — a call or constructor that declares {@code
   * InterruptedException}, {@code Exception} or {@code Throwable}, a {@code throw}, the implicit
   * {@code close()} of a resource — makes the answer no.
   */
  private static boolean onlyGetsDoneFutures(TreePath catchPath, VisitorState state) {
    TreePath tryPath = catchPath.getParentPath();
    Type interrupted = INTERRUPTED_EXCEPTION.get(state);
    if (interrupted == null
        || tryPath == null
        || !(tryPath.getLeaf() instanceof TryTree tryTree)
        || !tryTree.getResources().isEmpty()) {
      return false;
    }
    boolean[] doneGet = new boolean[1];
    ThrowScanner scanner =
        new ThrowScanner(interrupted, /* orSupertype= */ true, state) {
          @Override
          protected boolean accept(Tree call) {
            if (isDoneFutureGet(getCurrentPath(), state)) {
              doneGet[0] = true;
              return true;
            }
            return false;
          }

          @Override
          public Void visitThrow(ThrowTree thrown, Void unused) {
            Type type = ASTHelpers.getType(thrown.getExpression());
            if (type == null
                || ASTHelpers.isSubtype(interrupted, type, state)
                || ASTHelpers.isSubtype(type, interrupted, state)) {
              markFound();
              return null;
            }
            return super.visitThrow(thrown, null);
          }

          @Override
          public Void visitTry(TryTree inner, Void unused) {
            if (!inner.getResources().isEmpty()) {
              markFound(); // an implicit close() may throw it
              return null;
            }
            return super.visitTry(inner, null);
          }
        };
    scanner.scan(new TreePath(tryPath, tryTree.getBlock()), null);
    return doneGet[0] && !scanner.found();
  }

  /**
   * Whether the call at {@code path} is {@code f.get()} (or {@code f.get(timeout, unit)}) of a
   * future of the JDK whose {@code get()} returns at once when the future is done, reached only
   * when {@code f.isDone()} of the same variable returned true: the then-branch of {@code if
   * (f.isDone())} (also in a {@code &&} chain), the else-branch of {@code if (!f.isDone())}, the
   * right of {@code f.isDone() &&}, or after {@code if (!f.isDone()) return;} (or {@code continue},
   * {@code break}, {@code throw}) in an enclosing block; with no assignment of {@code f} between
   * the check and the call (nor anywhere in a loop between them), and, for a field, no call in
   * between that could assign it. A future stays done once it is done.
   */
  private static boolean isDoneFutureGet(TreePath path, VisitorState state) {
    if (!(path.getLeaf() instanceof MethodInvocationTree call)
        || !FUTURE_GET.matches(call, state)) {
      return false;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    VarSymbol future = SameVariable.variable(receiver);
    if (future == null || !getReturnsAtOnceWhenDone(ASTHelpers.getType(receiver), state)) {
      return false;
    }
    List<Tree> loops = new ArrayList<>();
    for (Trees.Enclosing around : Trees.enclosingInBody(path)) {
      TreePath p = around.path();
      Tree leaf = p.getLeaf();
      Tree child = around.child();
      MethodInvocationTree check = null;
      if (leaf instanceof IfTree ifTree) {
        check =
            child == ifTree.getThenStatement()
                ? doneWhen(ifTree.getCondition(), true, receiver)
                : child == ifTree.getElseStatement()
                    ? doneWhen(ifTree.getCondition(), false, receiver)
                    : null;
      } else if (leaf instanceof ConditionalExpressionTree conditional) {
        check =
            child == conditional.getTrueExpression()
                ? doneWhen(conditional.getCondition(), true, receiver)
                : child == conditional.getFalseExpression()
                    ? doneWhen(conditional.getCondition(), false, receiver)
                    : null;
      } else if (leaf instanceof BinaryTree binary && child == binary.getRightOperand()) {
        if (binary.getKind() == Tree.Kind.CONDITIONAL_AND) {
          check = doneWhen(binary.getLeftOperand(), true, receiver);
        } else if (binary.getKind() == Tree.Kind.CONDITIONAL_OR) {
          check = doneWhen(binary.getLeftOperand(), false, receiver);
        }
      } else if (leaf instanceof BlockTree block) {
        List<? extends StatementTree> statements = block.getStatements();
        for (int i = statements.indexOf(child) - 1; i >= 0 && check == null; i--) {
          if (statements.get(i) instanceof IfTree early
              && early.getElseStatement() == null
              && Trees.isJump(Trees.lastStatement(early.getThenStatement()))) {
            check = doneWhen(early.getCondition(), false, receiver);
          }
        }
      } else if (EnclosingLoops.isLoopStatement(leaf)) {
        loops.add(leaf);
      }
      if (check != null) {
        return !mayChange(future, state.getEndPosition(check), call, loops, p, state);
      }
    }
    return false;
  }

  /**
   * Whether {@code type} is a future whose {@code get()} returns at once when it is done, without
   * looking at the interrupt flag: a JDK future type of {@code java.util.concurrent} ({@code
   * Future}, {@code ScheduledFuture}, {@code FutureTask}, {@code CompletableFuture}, …) or a
   * subclass of {@code FutureTask} or {@code CompletableFuture}; never a {@code ForkJoinTask}. (The
   * futures of other libraries, such as Guava's {@code AbstractFuture}, may check the flag first.)
   */
  private static boolean getReturnsAtOnceWhenDone(@Nullable Type type, VisitorState state) {
    if (type == null || type.getKind() == TypeKind.ERROR || type.tsym == null) {
      return false;
    }
    Type forkJoinTask = FORK_JOIN_TASK.get(state);
    if (forkJoinTask != null && ASTHelpers.isSubtype(type, forkJoinTask, state)) {
      return false;
    }
    Type futureTask = FUTURE_TASK.get(state);
    Type completable = COMPLETABLE_FUTURE.get(state);
    // Elements.getPackageOf, not ASTHelpers.enclosingPackage: the latter's signature differs
    // between the Error Prone versions Tether runs on.
    return state
            .getElements()
            .getPackageOf(type.tsym)
            .getQualifiedName()
            .contentEquals("java.util.concurrent")
        || (futureTask != null && ASTHelpers.isSubtype(type, futureTask, state))
        || (completable != null && ASTHelpers.isSubtype(type, completable, state));
  }

  /**
   * The {@code receiver.isDone()} call (or another {@link #DONE_QUERIES} call) that must have
   * returned true when {@code condition} evaluates to {@code value}, or {@code null}.
   */
  private static @Nullable MethodInvocationTree doneWhen(
      ExpressionTree condition, boolean value, ExpressionTree receiver) {
    ExpressionTree e = ASTHelpers.stripParentheses(condition);
    if (e instanceof UnaryTree unary && unary.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      return doneWhen(unary.getExpression(), !value, receiver);
    }
    if (e instanceof BinaryTree binary) {
      if ((value && binary.getKind() == Tree.Kind.CONDITIONAL_AND)
          || (!value && binary.getKind() == Tree.Kind.CONDITIONAL_OR)) {
        MethodInvocationTree left = doneWhen(binary.getLeftOperand(), value, receiver);
        return left != null ? left : doneWhen(binary.getRightOperand(), value, receiver);
      }
      return null;
    }
    return value
            && e instanceof MethodInvocationTree call
            && call.getArguments().isEmpty()
            && DONE_QUERIES.contains(Trees.calledName(call))
            && SameVariable.of(ASTHelpers.getReceiver(call), receiver)
        ? call
        : null;
  }

  /**
   * Whether {@code future} may hold another future at {@code call} than at the check that ended at
   * {@code checkEnd}: an assignment between them, or anywhere in a loop between them (the loop's
   * next round); for a field, also a call or constructor between them (it may assign the field).
   */
  private static boolean mayChange(
      VarSymbol future,
      int checkEnd,
      MethodInvocationTree call,
      List<Tree> loops,
      TreePath at,
      VisitorState state) {
    int callStart = ASTHelpers.getStartPosition(call);
    boolean field = future.getKind() == ElementKind.FIELD;
    if (field && !loops.isEmpty()) {
      return true; // any call in the loop's next round may assign the field
    }
    return new StoppingScanner() {
      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        check(tree, tree.getVariable());
        return super.visitAssignment(tree, null);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
        check(tree, tree.getVariable());
        return super.visitCompoundAssignment(tree, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        if (field && tree != call && between(tree)) {
          stop();
          return null;
        }
        return super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitNewClass(NewClassTree tree, Void unused) {
        if (field && between(tree)) {
          stop();
          return null;
        }
        return super.visitNewClass(tree, null);
      }

      private void check(Tree tree, ExpressionTree variable) {
        if (future.equals(ASTHelpers.getSymbol(variable)) && (between(tree) || inLoop(tree))) {
          stop();
        }
      }

      private boolean between(Tree tree) {
        int start = ASTHelpers.getStartPosition(tree);
        return start >= checkEnd && start < callStart;
      }

      private boolean inLoop(Tree tree) {
        int start = ASTHelpers.getStartPosition(tree);
        for (Tree loop : loops) {
          if (start >= ASTHelpers.getStartPosition(loop) && start < state.getEndPosition(loop)) {
            return true;
          }
        }
        return false;
      }
    }.finds(at.getLeaf());
  }

  /** Whether {@code call} is {@code Thread.currentThread().interrupt()}. */
  static boolean isSelfInterrupt(MethodInvocationTree call, VisitorState state) {
    return INTERRUPT.matches(call, state)
        && ASTHelpers.getReceiver(call) instanceof MethodInvocationTree receiver
        && CURRENT_THREAD.matches(receiver, state);
  }

  /**
   * Whether {@code call} is a helper that restores the flag, such as Guava's {@code
   * interruptCurrentThread()} or {@code restoreInterrupt(e)}: a call without a receiver object (or
   * on a class) whose name mentions "interrupt" but is not {@code interrupted}, {@code
   * isInterrupted} or {@code interrupt}.
   */
  private static boolean isRestoreHelper(MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    String name;
    if (select instanceof IdentifierTree id) {
      name = id.getName().toString();
    } else if (select instanceof MemberSelectTree member
        && ASTHelpers.getSymbol(member.getExpression()) instanceof ClassSymbol) {
      name = member.getIdentifier().toString();
    } else {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("interrupt")
        && !name.equals("interrupted")
        && !name.equals("isInterrupted")
        && !name.equals("interrupt")
        && !lower.startsWith("clear");
  }

  /**
   * Whether the catch says that it ignores the interruption on purpose: its parameter is named
   * {@code ignore} or {@code ignored}, or its block holds a comment.
   */
  private static boolean isDeliberate(CatchTree tree, VisitorState state) {
    String name = tree.getParameter().getName().toString();
    if (name.equals("ignore") || name.equals("ignored")) {
      return true;
    }
    String block = state.getSourceForNode(tree.getBlock());
    return block != null && (block.contains("//") || block.contains("/*"));
  }

  /** What a catch block does with the exception, found in one scan of the block. */
  private static final class Propagation extends BodyScan.Scanner {
    private final Symbol exception;
    private final VisitorState state;
    private boolean propagates;
    private boolean setsFlag;

    /**
     * The holders the block stores the exception in: an {@code AtomicReference} ({@code
     * first.compareAndSet(null, e)}) or a field ({@code failure = e}). Storing hands the exception
     * on only if what the holder holds is later rethrown ({@link Holders#handOn}).
     */
    private final Set<VarSymbol> holders = new HashSet<>();

    private int lastRestore = -1;

    /** How many calls' arguments the scan is inside. */
    private int arguments;

    private int lastClear = -1;

    private Propagation(Symbol exception, VisitorState state) {
      this.exception = exception;
      this.state = state;
    }

    static Propagation of(BlockTree block, Symbol exception, VisitorState state) {
      Propagation propagation = new Propagation(exception, state);
      propagation.scan(block, null);
      return propagation;
    }

    /**
     * Whether the block rethrows, hands the exception on, ends the process, or restores the flag
     * with no {@code Thread.interrupted()} after the restore (which would clear it again).
     */
    boolean propagates() {
      return propagates || (lastRestore >= 0 && lastClear < lastRestore);
    }

    /** Whether the block calls {@code Thread.interrupted()}. */
    boolean clears() {
      return lastClear >= 0;
    }

    /** How many calls of {@code Thread.interrupted()} {@code block} makes, lambdas aside. */
    static int countClears(BlockTree block, VisitorState state) {
      int[] count = new int[1];
      new BodyScan.Scanner() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
          if (CLEAR_INTERRUPT.matches(tree, state)) {
            count[0]++;
          }
          return super.visitMethodInvocation(tree, null);
        }
      }.scan(block, null);
      return count[0];
    }

    @Override
    public Void scan(Tree tree, Void unused) {
      return propagates ? null : super.scan(tree, null);
    }

    @Override
    public Void visitThrow(ThrowTree tree, Void unused) {
      propagates = true;
      return null;
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      Symbol method = ASTHelpers.getSymbol(tree.getMethodSelect());
      String name = method == null ? "" : method.getSimpleName().toString();
      if (isSelfInterrupt(tree, state) || (arguments == 0 && isRestoreHelper(tree))) {
        lastRestore = Math.max(lastRestore, ASTHelpers.getStartPosition(tree));
        return scanCall(tree);
      }
      if (CLEAR_INTERRUPT.matches(tree, state)) {
        lastClear = Math.max(lastClear, ASTHelpers.getStartPosition(tree));
        return null;
      }
      if (mentionsException(tree.getArguments())
          && HOLDER_STORE.matches(tree, state)
          && SameVariable.variable(ASTHelpers.getReceiver(tree)) != null) {
        holders.add(SameVariable.variable(ASTHelpers.getReceiver(tree)));
        return null;
      }
      if (ALWAYS_THROWS.contains(name)
          || EXITS.matches(tree, state)
          || EXIT_NAME.matcher(name).matches()
          || (!onlyReports(name, state) && mentionsException(tree.getArguments()))) {
        propagates = true;
        return null;
      }
      return scanCall(tree);
    }

    /**
     * Scans a call's parts; a call among the arguments of another is a value, not a restore: {@code
     * log.warn(Messages.READ_INTERRUPTED())} names the interruption in a message.
     */
    private Void scanCall(MethodInvocationTree tree) {
      scan(tree.getMethodSelect(), null);
      arguments++;
      try {
        scan(tree.getArguments(), null);
      } finally {
        arguments--;
      }
      return null;
    }

    @Override
    public Void visitNewClass(NewClassTree tree, Void unused) {
      if (mentionsException(tree.getArguments())) {
        propagates = true; // handed to an object that carries it on, e.g. a failed result
        return null;
      }
      return super.visitNewClass(tree, null);
    }

    @Override
    public Void visitAssignment(AssignmentTree tree, Void unused) {
      if (mentionsException(List.of(tree.getExpression()))
          && ASTHelpers.getSymbol(tree.getVariable()) instanceof VarSymbol field
          && field.getKind() == ElementKind.FIELD) {
        holders.add(field); // a holder: handed on only if it is rethrown later
      } else if (mentionsException(List.of(tree.getExpression()))) {
        propagates = true; // stored for a later rethrow
      } else if (Boolean.TRUE.equals(ASTHelpers.constValue(tree.getExpression()))) {
        setsFlag = true; // maybe the "remember and re-interrupt in finally" idiom
      }
      return super.visitAssignment(tree, null);
    }

    private boolean mentionsException(List<? extends ExpressionTree> expressions) {
      for (ExpressionTree expression : expressions) {
        ExpressionTree e = ASTHelpers.stripParentheses(expression);
        if (e instanceof IdentifierTree && exception.equals(ASTHelpers.getSymbol(e))) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * The paths through a catch block that hands the exception on somewhere ({@link
   * Propagation#propagates}): whether one of them leaves the block — falls off its end, or jumps
   * out with {@code return}, {@code break} or {@code continue} — without passing a statement that
   * hands it on. {@code if (interruptible) throw e;} has such a path; {@code if (x) throw e; throw
   * new IllegalStateException(e);} has none. Statements other than blocks, {@code if}s, jumps and
   * {@code throw}s (loops, {@code try}, {@code switch}) count as handing it on when they do so
   * anywhere, as the whole block did before: only branches are followed.
   */
  private static final class Paths {
    /** What the paths through one statement can do without handing the exception on. */
    private record Flow(boolean jumpsOut, boolean goesOn) {
      static final Flow HANDS_ON = new Flow(false, false);
      static final Flow GOES_ON = new Flow(false, true);
      static final Flow JUMPS_OUT = new Flow(true, false);

      Flow or(Flow other) {
        return new Flow(jumpsOut || other.jumpsOut, goesOn || other.goesOn);
      }
    }

    static boolean leavesWithout(BlockTree block, Symbol exception, VisitorState state) {
      Flow flow = flow(block, exception, state);
      return flow.jumpsOut() || flow.goesOn();
    }

    private static Flow flow(
        @Nullable StatementTree statement, Symbol exception, VisitorState state) {
      if (statement == null) {
        return Flow.GOES_ON;
      }
      if (statement instanceof BlockTree block) {
        boolean jumpsOut = false;
        for (StatementTree child : block.getStatements()) {
          Flow flow = flow(child, exception, state);
          jumpsOut |= flow.jumpsOut();
          if (!flow.goesOn()) {
            return new Flow(jumpsOut, false);
          }
        }
        return new Flow(jumpsOut, true);
      }
      if (statement instanceof IfTree ifTree) {
        if (handsOn(ifTree.getCondition(), exception, state)) {
          return Flow.HANDS_ON;
        }
        return flow(ifTree.getThenStatement(), exception, state)
            .or(flow(ifTree.getElseStatement(), exception, state));
      }
      if (statement instanceof ThrowTree) {
        return Flow.HANDS_ON;
      }
      if (statement instanceof ReturnTree ret) {
        return ret.getExpression() != null && handsOn(ret.getExpression(), exception, state)
            ? Flow.HANDS_ON
            : Flow.JUMPS_OUT;
      }
      if (statement instanceof BreakTree || statement instanceof ContinueTree) {
        return Flow.JUMPS_OUT;
      }
      return handsOn(statement, exception, state) ? Flow.HANDS_ON : Flow.GOES_ON;
    }

    private static boolean handsOn(Tree tree, Symbol exception, VisitorState state) {
      Propagation propagation = new Propagation(exception, state);
      propagation.scan(tree, null);
      return propagation.propagates();
    }
  }

  /**
   * Where an exception stored in a holder goes: {@code first.compareAndSet(null, e)} in the catch,
   * {@code throw new KafkaException("…", first.get())} later loses the interruption (the wrapper is
   * no {@code InterruptedException}, and the flag is never restored). Looked at only when the catch
   * would otherwise be reported.
   */
  private static final class Holders {
    private Holders() {}

    /**
     * Whether what {@code holders} hold is handed on: the scope (the method or lambda of the catch
     * for a local holder; the top-level class for a field) restores the flag, or reads a holder
     * otherwise than to test it for {@code null} or to wrap it in a new exception that is no {@code
     * InterruptedException} (whose class name does not mention "Interrupt"): thrown as it is,
     * returned, passed to a method, assigned on. A field that is not private may be read elsewhere:
     * handed on.
     */
    static boolean handOn(Set<VarSymbol> holders, TreePath catchPath, VisitorState state) {
      boolean field = false;
      for (VarSymbol holder : holders) {
        if (holder.getKind() == ElementKind.FIELD) {
          if (!holder.getModifiers().contains(Modifier.PRIVATE)) {
            return true;
          }
          field = true;
        }
      }
      TreePath scope = null;
      for (TreePath p = catchPath; p != null; p = p.getParentPath()) {
        Tree leaf = p.getLeaf();
        if (!field && leaf instanceof MethodTree) {
          scope = p; // a local: its method, lambdas included
          break;
        }
        if (leaf instanceof ClassTree) {
          scope = p; // a field, or a catch in an initializer: the class
          if (!field) {
            break;
          }
        }
      }
      if (scope == null) {
        return true;
      }
      Type interrupted = INTERRUPTED_EXCEPTION.get(state);
      boolean[] handed = new boolean[1];
      new TreePathScanner<Void, Void>() {
        @Override
        public Void scan(Tree tree, Void unused) {
          return handed[0] ? null : super.scan(tree, null);
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
          if (isSelfInterrupt(tree, state) || isRestoreHelper(tree)) {
            handed[0] = true; // the flag is restored
            return null;
          }
          return super.visitMethodInvocation(tree, null);
        }

        @Override
        public Void visitIdentifier(IdentifierTree tree, Void unused) {
          use(tree);
          return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
          if (!use(tree)) {
            super.visitMemberSelect(tree, null);
          }
          return null;
        }

        // Whether tree names a holder; if so, judges what is done with it.
        private boolean use(ExpressionTree tree) {
          Symbol sym = ASTHelpers.getSymbol(tree);
          if (!(sym instanceof VarSymbol var) || !holders.contains(var)) {
            return false;
          }
          TreePath parent = getCurrentPath().getParentPath();
          if (parent.getLeaf() instanceof AssignmentTree assignment
              && assignment.getVariable() == tree) {
            return true; // a store
          }
          if (var.getKind() == ElementKind.FIELD && !isAtomicReference(var, state)) {
            handed[0] |= handsOn(getCurrentPath(), interrupted, state);
            return true;
          }
          // an AtomicReference: first.compareAndSet(null, e) stores; first.get() reads
          TreePath call = parent.getParentPath();
          if (!(parent.getLeaf() instanceof MemberSelectTree select)
              || select.getExpression() != tree
              || call == null
              || !(call.getLeaf() instanceof MethodInvocationTree invocation)
              || invocation.getMethodSelect() != select) {
            handed[0] = true; // the holder itself goes somewhere
            return true;
          }
          if (HOLDER_STORE.matches(invocation, state)) {
            return true;
          }
          handed[0] |=
              !HOLDER_READS.contains(select.getIdentifier().toString())
                  || handsOn(call, interrupted, state);
          return true;
        }
      }.scan(scope, null);
      return handed[0];
    }

    private static boolean isAtomicReference(VarSymbol var, VisitorState state) {
      Type atomic = ATOMIC_REFERENCE.get(state);
      return atomic != null
          && var.type != null
          && ASTHelpers.isSubtype(state.getTypes().erasure(var.type), atomic, state);
    }

    /**
     * Whether the value read at {@code read} is handed on: anything but a {@code null} test, or an
     * argument of {@code new} of a type that is neither an {@code InterruptedException} nor named
     * for one.
     */
    private static boolean handsOn(TreePath read, @Nullable Type interrupted, VisitorState state) {
      TreePath p = read;
      while (p.getParentPath() != null
          && p.getParentPath().getLeaf() instanceof ParenthesizedTree) {
        p = p.getParentPath();
      }
      Tree parent = p.getParentPath() == null ? null : p.getParentPath().getLeaf();
      if (parent instanceof BinaryTree binary
          && (binary.getKind() == Tree.Kind.EQUAL_TO || binary.getKind() == Tree.Kind.NOT_EQUAL_TO)
          && (Trees.isNullLiteral(ASTHelpers.stripParentheses(binary.getLeftOperand()))
              || Trees.isNullLiteral(ASTHelpers.stripParentheses(binary.getRightOperand())))) {
        return false;
      }
      if (parent instanceof NewClassTree newClass
          && newClass.getArguments().contains(p.getLeaf())) {
        Type created = ASTHelpers.getType(newClass);
        return created == null
            || created.tsym == null
            || created.tsym.getSimpleName().toString().contains("Interrupt")
            || (interrupted != null && ASTHelpers.isSubtype(created, interrupted, state));
      }
      return true;
    }
  }

  /**
   * Whether the enclosing method (or lambda) re-interrupts the thread elsewhere: with a flag set in
   * the catch, that is Guava's {@code Uninterruptibles} idiom of restoring in a {@code finally}.
   */
  private static boolean restoresLater(CatchTree tree, VisitorState state) {
    Tree body = null;
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree method) {
        body = method.getBody();
        break;
      }
      if (leaf instanceof LambdaExpressionTree lambda) {
        body = lambda.getBody();
        break;
      }
    }
    if (body == null) {
      return false;
    }
    return Trees.contains(
        body,
        tree,
        node ->
            node instanceof MethodInvocationTree call
                && (isSelfInterrupt(call, state) || isRestoreHelper(call)));
  }

  /**
   * Whether the catch hands the interruption to its caller through its result: it ends with {@code
   * return c;} of a constant that no other {@code return} of its method (or lambda) gives, and
   * every use of the result restores the flag or throws an {@code InterruptedException} when it is
   * {@code c}. The result is used by the caller of a method that is not public API (every call in
   * the compilation, {@link SameCompilation#usesOf}), or, for a lambda, by the caller of the call
   * the lambda is passed to, whose result has the lambda's type ({@code boolean interrupted =
   * withLock(() -> { … catch (InterruptedException e) { return true; } … return false; }); if
   * (interrupted) throw new InterruptedException();}, Kafka Streams' task manager). A use restores
   * when the call is the condition of an {@code if} (or initializes a local that one tests, with no
   * other assignment) whose branch taken for {@code c} calls {@code
   * Thread.currentThread().interrupt()} or a restore helper, or throws a new {@code
   * InterruptedException}, first thing. A result that any use ignores, stores, or tests without
   * restoring, and a public method, whose callers are out of sight, stay reported.
   */
  private static boolean reportedThroughResult(
      CatchTree tree, TreePath catchPath, VisitorState state) {
    List<? extends StatementTree> statements = tree.getBlock().getStatements();
    if (statements.isEmpty()
        || !(statements.get(statements.size() - 1) instanceof ReturnTree ret)
        || ret.getExpression() == null) {
      return false;
    }
    if (!(ASTHelpers.constValue(ret.getExpression()) instanceof Boolean signal)) {
      return false;
    }
    TreePath function = Trees.enclosingFunction(catchPath);
    if (function == null || !onlyThisReturnGives(function.getLeaf(), ret, signal)) {
      return false;
    }
    if (function.getLeaf() instanceof LambdaExpressionTree lambda) {
      TreePath call = function.getParentPath();
      Type lambdaResult = ASTHelpers.getType(ret.getExpression());
      return call != null
          && call.getLeaf() instanceof MethodInvocationTree invocation
          && invocation.getArguments().contains(lambda)
          && lambdaResult != null
          && ASTHelpers.getType(invocation) != null
          && state
              .getTypes()
              .isSameType(
                  state.getTypes().unboxedTypeOrType(ASTHelpers.getType(invocation)),
                  state.getTypes().unboxedTypeOrType(lambdaResult))
          && restoresOn(call, signal, state);
    }
    MethodSymbol method = ASTHelpers.getSymbol((MethodTree) function.getLeaf());
    if (method == null) {
      return false;
    }
    Optional<List<TreePath>> uses = SameCompilation.usesOf(method, state);
    if (uses.isEmpty() || uses.get().isEmpty()) {
      return false;
    }
    for (TreePath use : uses.get()) {
      if (!(use.getLeaf() instanceof MethodInvocationTree) || !restoresOn(use, signal, state)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code ret} is the only {@code return} of {@code function} that gives {@code signal}.
   */
  private static boolean onlyThisReturnGives(Tree function, ReturnTree ret, Object signal) {
    Tree body =
        function instanceof MethodTree method
            ? method.getBody()
            : ((LambdaExpressionTree) function).getBody();
    for (ReturnTree other : Trees.ownReturns(body)) {
      Object value =
          other.getExpression() == null ? null : ASTHelpers.constValue(other.getExpression());
      if (other != ret && (value == null || value.equals(signal))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the call at {@code call} is tested, directly as an {@code if}'s condition (perhaps
   * negated) or through a local it initializes, and the branch taken for {@code signal} first
   * restores the flag or throws a new {@code InterruptedException}.
   */
  private static boolean restoresOn(TreePath call, boolean signal, VisitorState state) {
    TreePath p = call;
    boolean negated = false;
    while (p.getParentPath() != null
        && (p.getParentPath().getLeaf() instanceof ParenthesizedTree
            || p.getParentPath().getLeaf().getKind() == Tree.Kind.LOGICAL_COMPLEMENT)) {
      negated ^= p.getParentPath().getLeaf().getKind() == Tree.Kind.LOGICAL_COMPLEMENT;
      p = p.getParentPath();
    }
    TreePath parent = p.getParentPath();
    if (parent == null) {
      return false;
    }
    if (parent.getLeaf() instanceof IfTree ifTree && ifTree.getCondition() == p.getLeaf()) {
      return restoresFirst(
          signal != negated ? ifTree.getThenStatement() : ifTree.getElseStatement(), state);
    }
    if (parent.getLeaf() instanceof VariableTree variable
        && !negated
        && ASTHelpers.getSymbol(variable) != null
        && parent.getParentPath() != null
        && parent.getParentPath().getLeaf() instanceof BlockTree block) {
      VarSymbol local = ASTHelpers.getSymbol(variable);
      List<? extends StatementTree> statements = block.getStatements();
      int at = statements.indexOf(variable);
      if (!ASTHelpers.isConsideredFinal(local) || at < 0) {
        return false; // assigned again (also by a compound assignment): no longer the result
      }
      boolean tested = false;
      for (StatementTree after : statements.subList(at + 1, statements.size())) {
        if (!Symbols.mentions(after, local)) {
          continue;
        }
        ExpressionTree condition =
            after instanceof IfTree ifTree
                ? ASTHelpers.stripParentheses(ifTree.getCondition())
                : null;
        boolean not = false;
        if (condition instanceof UnaryTree unary
            && condition.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
          not = true;
          condition = ASTHelpers.stripParentheses(unary.getExpression());
        }
        if (!(condition instanceof IdentifierTree id) || !local.equals(ASTHelpers.getSymbol(id))) {
          return false; // used otherwise: returned, stored, combined
        }
        IfTree ifTree = (IfTree) after;
        if (!restoresFirst(
            signal != not ? ifTree.getThenStatement() : ifTree.getElseStatement(), state)) {
          return false;
        }
        tested = true;
      }
      return tested;
    }
    return false;
  }

  /**
   * Whether {@code branch} first restores the flag ({@code Thread.currentThread().interrupt()}, a
   * restore helper) or throws a new {@code InterruptedException}.
   */
  private static boolean restoresFirst(@Nullable StatementTree branch, VisitorState state) {
    StatementTree first =
        branch instanceof BlockTree block
            ? (block.getStatements().isEmpty() ? null : block.getStatements().get(0))
            : branch;
    if (first instanceof ExpressionStatementTree expression
        && expression.getExpression() instanceof MethodInvocationTree call) {
      return isSelfInterrupt(call, state) || isRestoreHelper(call);
    }
    return first instanceof ThrowTree thrown
        && ASTHelpers.stripParentheses(thrown.getExpression()) instanceof NewClassTree created
        && ASTHelpers.getType(created) != null
        && ASTHelpers.getType(created)
            .tsym
            .getQualifiedName()
            .contentEquals("java.lang.InterruptedException");
  }

  /**
   * Whether the catch sits in the block of an enclosing {@code catch (InterruptedException …)}
   * (cleanup such as {@code join()} while handling the first interruption) that restores the flag
   * or rethrows in a statement after the one that holds this catch's {@code try}, with no {@code
   * return}, {@code break} or {@code continue} in between that could skip it: the thread ends up
   * interrupted either way, so the second interruption is not lost.
   */
  private static boolean restoredByEnclosingHandler(TreePath catchPath, VisitorState state) {
    for (Trees.Enclosing around : Trees.enclosingInBody(catchPath)) {
      TreePath p = around.path();
      Tree leaf = p.getLeaf();
      Tree child = around.child();
      if (leaf instanceof BlockTree block
          && p.getParentPath() != null
          && p.getParentPath().getLeaf() instanceof CatchTree outer
          && outer.getBlock() == block
          && catchesInterruptedException(outer, state)) {
        List<? extends StatementTree> statements = block.getStatements();
        int index = statements.indexOf(child);
        if (index < 0 || jumps(List.of(child))) {
          return false;
        }
        for (StatementTree after : statements.subList(index + 1, statements.size())) {
          if (after instanceof ThrowTree
              || (after instanceof ExpressionStatementTree expression
                  && expression.getExpression() instanceof MethodInvocationTree call
                  && (isSelfInterrupt(call, state) || isRestoreHelper(call)))) {
            return true;
          }
          if (jumps(List.of(after))) {
            return false;
          }
        }
        return false;
      }
    }
    return false;
  }

  private static final Set<Tree.Kind> JUMPS =
      Collections.unmodifiableSet(
          EnumSet.of(Tree.Kind.RETURN, Tree.Kind.BREAK, Tree.Kind.CONTINUE));

  /** Whether {@code trees} hold a {@code return}, {@code break} or {@code continue}. */
  private static boolean jumps(List<? extends Tree> trees) {
    return BodyScan.containsKind(trees, JUMPS);
  }

  /**
   * Whether, after the catch, control goes round a loop of the same method or lambda that only an
   * interruption could end ({@link ThreadOwnership#loopsForever}): the owner has then swallowed the
   * one signal that could stop its thread. A catch that returns or throws goes nowhere; one that
   * breaks goes round the loops outside the one it leaves; any other goes round its innermost loop.
   */
  private static boolean goesRoundForever(TreePath catchPath) {
    CatchTree catchTree = (CatchTree) catchPath.getLeaf();
    List<? extends StatementTree> statements = catchTree.getBlock().getStatements();
    StatementTree last = statements.isEmpty() ? null : statements.get(statements.size() - 1);
    if (last instanceof ReturnTree || last instanceof ThrowTree) {
      return false;
    }
    Tree left = null; // the statement that the catch's break leaves, once found
    boolean breaks = last instanceof BreakTree;
    String label =
        last instanceof BreakTree brk && brk.getLabel() != null ? brk.getLabel().toString() : null;
    for (Trees.Enclosing around : Trees.enclosingInBody(catchPath)) {
      TreePath p = around.path();
      Tree leaf = p.getLeaf();
      Tree child = around.child();
      if (breaks && left == null) {
        if (label != null
            ? leaf instanceof LabeledStatementTree labeled
                && labeled.getLabel().contentEquals(label)
            : EnclosingLoops.isLoopStatement(leaf) || leaf instanceof SwitchTree) {
          left = leaf;
        }
        continue;
      }
      if (EnclosingLoops.isLoopStatement(leaf)
          && isLoopBody(leaf, child)
          && ThreadOwnership.loopsForever(leaf)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code child} is the part of {@code loop} that runs on every iteration. */
  private static boolean isLoopBody(Tree loop, Tree child) {
    return !(loop instanceof ForLoopTree f && f.getInitializer().contains(child))
        && !(loop instanceof EnhancedForLoopTree e && e.getExpression() == child);
  }

  /**
   * A replacement of the source between two positions; {@code flag} names the local that a
   * "remember and restore" wrap declares, {@code null} for other edits.
   */
  private record Edit(int start, int end, String text, @Nullable String flag) {
    Edit(int start, int end, String text) {
      this(start, end, text, null);
    }

    boolean remembers() {
      return flag != null;
    }
  }

  /**
   * The fix that keeps behaviour: the one-line restore where the catch then leaves the method or
   * loop; "remember and restore on the way out" where control goes round again or more code runs;
   * {@code null} where neither can be built safely (or the catch clears the flag with {@code
   * Thread.interrupted()} and does not leave: what it meant by that is unknown).
   */
  private static @Nullable Edit fix(
      TreePath catchPath,
      VisitorState state,
      boolean broad,
      Propagation propagation,
      @Nullable String name) {
    CatchTree tree = (CatchTree) catchPath.getLeaf();
    if (retriedByCaller(catchPath, state)) {
      return null;
    }
    boolean leaves = leaves(catchPath);
    if (propagation.clears()) {
      return leaves && !broad ? replaceClears(tree, state) : null;
    }
    if (leaves) {
      // The restore goes first in the block: a call there that can be interrupted (a retry of the
      // failed call, a sleep, a join) would then throw at once.
      if (blocksOnInterrupt(tree.getBlock(), null, state)) {
        return null;
      }
      // A finally that runs on the way out (a close() that joins a thread) would throw at once
      // too: restore after it instead, where the method ends.
      return finallyBlocksOnTheWayOut(catchPath.getParentPath(), state)
          ? rememberFix(catchPath, state, broad, List.of(), name)
          : restoreFix(tree, state, broad);
    }
    return rememberFix(catchPath, state, broad, List.of(), name);
  }

  /**
   * Whether the method around the catch is called again and again: some call of it (all known: it
   * is not public API, {@link SameCompilation#usesOf}) sits in a loop of its caller, such as a
   * retry loop around a private {@code pause(i)} that sleeps — or in a non-API caller that is
   * itself called in a loop, up to {@link #MAX_RETRY_DEPTH} calls up (Zipkin's queue: {@code
   * drainTo} returns {@code 0} when interrupted, and the reporter's flusher thread calls it through
   * {@code flush(…)} in its {@code while (!closed)} loop). Either fix would return with the flag
   * set, and the next round's blocking call would then throw at once: the retries would run back to
   * back, without their back-off, or the loop would spin. No fix is offered there.
   */
  private static boolean retriedByCaller(TreePath catchPath, VisitorState state) {
    MethodTree method = null;
    for (TreePath p = catchPath; p != null && method == null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
        return false;
      }
      if (leaf instanceof MethodTree m) {
        method = m;
      }
    }
    MethodSymbol sym = method == null ? null : ASTHelpers.getSymbol(method);
    return sym != null && calledInALoop(sym, 0, state);
  }

  /** How many calls up {@link #retriedByCaller} looks for a loop around the call. */
  private static final int MAX_RETRY_DEPTH = 3;

  private static boolean calledInALoop(MethodSymbol sym, int depth, VisitorState state) {
    for (TreePath use : SameCompilation.usesOf(sym, state).orElse(List.of())) {
      for (Trees.Enclosing around : Trees.enclosingInBody(use)) {
        if (EnclosingLoops.isLoopStatement(around.leaf())) {
          return true;
        }
      }
      TreePath caller = depth + 1 < MAX_RETRY_DEPTH ? Trees.enclosingFunction(use) : null;
      if (caller != null
          && caller.getLeaf() instanceof MethodTree callerMethod
          && ASTHelpers.getSymbol(callerMethod) != null
          && !ASTHelpers.getSymbol(callerMethod).equals(sym)
          && calledInALoop(ASTHelpers.getSymbol(callerMethod), depth + 1, state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code tree}, apart from {@code skip}, calls a method or constructor that declares
   * {@code InterruptedException} (lambdas and classes aside): with the flag set, such a call throws
   * at once instead of waiting, even where a {@code try} around it catches the exception.
   */
  private static boolean blocksOnInterrupt(
      @Nullable Tree tree, @Nullable Tree skip, VisitorState state) {
    return tree != null && blocksOnInterrupt(List.of(tree), skip, state);
  }

  private static boolean blocksOnInterrupt(
      List<? extends Tree> trees, @Nullable Tree skip, VisitorState state) {
    return blocksOnInterrupt(trees, skip, state, /* lookIntoCalls= */ true);
  }

  /**
   * With {@code lookIntoCalls}, a call of a method declared in the same top-level class counts when
   * that method's own body waits interruptibly (one level deep: a {@code disconnect()} that joins a
   * thread and catches the {@code InterruptedException} itself declares none).
   */
  private static boolean blocksOnInterrupt(
      List<? extends Tree> trees, @Nullable Tree skip, VisitorState state, boolean lookIntoCalls) {
    Type interrupted = INTERRUPTED_EXCEPTION.get(state);
    if (interrupted == null) {
      return false;
    }
    return new BodyScan.Scanner() {
      @Override
      public Void scan(@Nullable Tree node, @Nullable Void unused) {
        return node == skip ? null : super.scan(node, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        check(Symbols.calledMethod(call));
        return super.visitMethodInvocation(call, null);
      }

      @Override
      public Void visitNewClass(NewClassTree newClass, Void unused) {
        check(Symbols.calledMethod(newClass));
        scan(newClass.getEnclosingExpression(), null);
        scan(newClass.getArguments(), null);
        return null;
      }

      private void check(@Nullable MethodSymbol method) {
        if (ThrowScanner.declares(method, interrupted, state)) {
          stop();
        } else if (method != null && lookIntoCalls && declaredHere(method, state)) {
          Tree declaration = JavacTrees.instance(state.context).getTree(method);
          if (declaration instanceof MethodTree m
              && m.getBody() != null
              && blocksOnInterrupt(List.of(m.getBody()), null, state, false)) {
            stop();
          }
        }
      }
    }.finds(trees);
  }

  /** Whether {@code method} is declared in the top-level class of the file being compiled. */
  private static boolean declaredHere(MethodSymbol method, VisitorState state) {
    ClassSymbol outermost = method.outermostClass();
    for (Tree type : state.getPath().getCompilationUnit().getTypeDecls()) {
      if (ASTHelpers.getSymbol(type) == outermost) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a {@code finally} that runs when control leaves {@code tryPath}'s try statement (its
   * own, or one of an enclosing try of the same method) calls something that waits interruptibly.
   */
  private static boolean finallyBlocksOnTheWayOut(TreePath tryPath, VisitorState state) {
    Tree child = null;
    for (TreePath p = tryPath; p != null; child = p.getLeaf(), p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree
          || leaf instanceof LambdaExpressionTree
          || leaf instanceof ClassTree) {
        return false;
      }
      if (leaf instanceof TryTree t
          && t.getFinallyBlock() != null
          && t.getFinallyBlock() != child
          && blocksOnInterrupt(t.getFinallyBlock(), null, state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether code that runs after {@code region} in its method can be interrupted: a later statement
   * of an enclosing block, the {@code finally} block of an enclosing {@code try}, or the rest of an
   * enclosing loop. A restore at the end of {@code region} would make that call throw at once (a
   * {@code join(timeout)} in a {@code finally} would no longer wait).
   */
  private static boolean blocksAfter(TreePath region, VisitorState state) {
    for (Trees.Enclosing around : Trees.enclosingInBody(region)) {
      TreePath p = around.path();
      Tree leaf = p.getLeaf();
      Tree child = around.child();
      if (leaf instanceof BlockTree block) {
        List<? extends StatementTree> statements = block.getStatements();
        int index = statements.indexOf(child);
        if (index >= 0
            && blocksOnInterrupt(statements.subList(index + 1, statements.size()), null, state)) {
          return true;
        }
      } else if (leaf instanceof TryTree tryTree && tryTree.getFinallyBlock() != child) {
        if (blocksOnInterrupt(tryTree.getFinallyBlock(), null, state)) {
          return true;
        }
      } else if (EnclosingLoops.isLoopStatement(leaf) && blocksOnInterrupt(leaf, child, state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether control leaves the method or loop once the catch is done: its last statement returns,
   * throws, or breaks out of a loop; or nothing of the method runs after the {@code try}.
   */
  private static boolean leaves(TreePath catchPath) {
    CatchTree tree = (CatchTree) catchPath.getLeaf();
    List<? extends StatementTree> statements = tree.getBlock().getStatements();
    StatementTree last = statements.isEmpty() ? null : statements.get(statements.size() - 1);
    if (last instanceof ReturnTree || last instanceof ThrowTree) {
      return true;
    }
    if (last instanceof BreakTree brk) {
      return brk.getLabel() != null || !breaksOutOfSwitch(catchPath);
    }
    if (last instanceof ContinueTree) {
      return false;
    }
    Tree child = catchPath.getParentPath().getLeaf(); // the try statement
    for (TreePath p = catchPath.getParentPath().getParentPath();
        p != null;
        child = p.getLeaf(), p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof LambdaExpressionTree) {
        return true;
      }
      if (leaf instanceof BlockTree block) {
        List<? extends StatementTree> inBlock = block.getStatements();
        if (inBlock.isEmpty() || inBlock.get(inBlock.size() - 1) != child) {
          return false;
        }
      } else if (!(leaf instanceof IfTree
          || leaf instanceof LabeledStatementTree
          || leaf instanceof SynchronizedTree
          || (leaf instanceof TryTree outer && outer.getFinallyBlock() != child)
          || leaf instanceof CatchTree)) {
        return false; // a loop, a switch, or an expression: something runs after it
      }
    }
    return false;
  }

  /** Whether the innermost statement that an unlabeled break in the catch leaves is a switch. */
  private static boolean breaksOutOfSwitch(TreePath catchPath) {
    for (TreePath p = catchPath; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof SwitchTree) {
        return true;
      }
      if (EnclosingLoops.isLoopStatement(leaf)
          || leaf instanceof MethodTree
          || leaf instanceof LambdaExpressionTree) {
        return false;
      }
    }
    return false;
  }

  /**
   * Replaces each {@code Thread.interrupted();} statement of the catch with the restore: the block
   * cleared the flag where it meant to keep it. Only where every such call is a statement of its
   * own; a call used as a value is left to the author.
   */
  private static @Nullable Edit replaceClears(CatchTree tree, VisitorState state) {
    StatementTree clear = null;
    for (StatementTree statement : tree.getBlock().getStatements()) {
      if (statement instanceof ExpressionStatementTree expression
          && CLEAR_INTERRUPT.matches(expression.getExpression(), state)) {
        if (clear != null) {
          return null;
        }
        clear = statement;
      }
    }
    if (clear == null || Propagation.countClears(tree.getBlock(), state) != 1) {
      return null;
    }
    return new Edit(
        ASTHelpers.getStartPosition(clear),
        state.getEndPosition(clear),
        "Thread.currentThread().interrupt();");
  }

  /**
   * Guava's {@code Uninterruptibles} idiom: a local flag set in the catch, and the restore in a
   * {@code finally} around the loop the catch goes round (or around the rest of the method, when
   * the {@code try} is a statement of the method's own body). {@code null} when the loop or the
   * {@code try} is not a statement of a block, or no free name is left for the flag.
   */
  private static @Nullable Edit rememberFix(
      TreePath catchPath,
      VisitorState state,
      boolean broad,
      List<Edit> also,
      @Nullable String flag) {
    CatchTree tree = (CatchTree) catchPath.getLeaf();
    Tree function = null;
    Tree functionTree = null;
    TreePath loopPath = null;
    Tree child = tree;
    for (TreePath p = catchPath.getParentPath();
        p != null;
        child = p.getLeaf(), p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree method) {
        function = method.getBody();
        functionTree = method;
        break;
      }
      if (leaf instanceof LambdaExpressionTree lambda) {
        function = lambda.getBody();
        functionTree = lambda;
        break;
      }
      if (leaf instanceof ClassTree) {
        return null;
      }
      if (loopPath == null && EnclosingLoops.isLoopStatement(leaf) && isLoopBody(leaf, child)) {
        loopPath = p;
      }
    }
    if (!(function instanceof BlockTree body)) {
      return null;
    }
    String name = flag != null ? flag : freeName(functionTree);
    if (name == null) {
      return null;
    }
    CharSequence source = state.getSourceCode();
    int start;
    int end;
    if (loopPath != null) {
      TreePath target = loopPath;
      if (target.getParentPath().getLeaf() instanceof LabeledStatementTree) {
        target = target.getParentPath();
      }
      if (!(target.getParentPath().getLeaf() instanceof BlockTree) || blocksAfter(target, state)) {
        return null; // blocksAfter: the restore after the loop would make later waits throw
      }
      start = ASTHelpers.getStartPosition(target.getLeaf());
      end = state.getEndPosition(target.getLeaf());
    } else {
      Tree tryStatement = catchPath.getParentPath().getLeaf();
      if (catchPath.getParentPath().getParentPath().getLeaf() != body) {
        return null;
      }
      List<? extends StatementTree> statements = body.getStatements();
      start = ASTHelpers.getStartPosition(tryStatement);
      end = state.getEndPosition(statements.get(statements.size() - 1));
    }
    String region = source.subSequence(start, end).toString();
    if (region.contains("\"\"\"")) {
      return null; // a text block: re-indenting it could change it
    }
    List<Edit> edits = new ArrayList<>(also);
    edits.add(rememberInCatch(tree, state, broad, name));
    edits.sort(Comparator.comparingInt(Edit::start).reversed());
    for (Edit edit : edits) {
      if (edit.start() < start || edit.end() > end) {
        return null;
      }
      region =
          region.substring(0, edit.start() - start)
              + edit.text()
              + region.substring(edit.end() - start);
    }
    String indent = Trees.indentOf(source, start);
    String text =
        "boolean "
            + name
            + " = false;\n"
            + indent
            + "try {\n"
            + indent
            + "  "
            + region.replaceAll("\n(?=[^\n])", "\n  ")
            + "\n"
            + indent
            + "} finally {\n"
            + indent
            + "  if ("
            + name
            + ") {\n"
            + indent
            + "    Thread.currentThread().interrupt();\n"
            + indent
            + "  }\n"
            + indent
            + "}";
    return new Edit(start, end, text, name);
  }

  /** A name for the flag that nothing in {@code function} (parameters included) uses yet. */
  private static @Nullable String freeName(Tree function) {
    Set<String> used = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        used.add(tree.getName().toString());
        return null;
      }

      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        used.add(tree.getName().toString());
        return super.visitVariable(tree, null);
      }
    }.scan(function, null);
    for (String name : List.of("interrupted", "wasInterrupted")) {
      if (!used.contains(name)) {
        return name;
      }
    }
    return null;
  }

  /** Sets the flag as the first statement of the catch (for a broad catch, when interrupted). */
  private static Edit rememberInCatch(
      CatchTree tree, VisitorState state, boolean broad, String name) {
    return insertFirst(tree, state, broad, name + " = true;");
  }

  /**
   * Inserts {@code Thread.currentThread().interrupt();} as the first statement of the catch; for a
   * broad catch, guarded by {@code if (e instanceof InterruptedException)}.
   */
  private static Edit restoreFix(CatchTree tree, VisitorState state, boolean broad) {
    return insertFirst(tree, state, broad, "Thread.currentThread().interrupt();");
  }

  /**
   * Inserts {@code statement} as the first statement of the catch; for a broad catch, guarded by
   * {@code if (e instanceof InterruptedException)}.
   */
  private static Edit insertFirst(
      CatchTree tree, VisitorState state, boolean broad, String statement) {
    CharSequence source = state.getSourceCode();
    String indent = Trees.indentOf(source, ASTHelpers.getStartPosition(tree));
    String restore =
        broad
            ? "if ("
                + tree.getParameter().getName()
                + " instanceof InterruptedException) {\n"
                + indent
                + "    "
                + statement
                + "\n"
                + indent
                + "  }"
            : statement;
    BlockTree block = tree.getBlock();
    if (!block.getStatements().isEmpty()) {
      StatementTree first = block.getStatements().get(0);
      int start = ASTHelpers.getStartPosition(first);
      return new Edit(start, start, restore + "\n" + Trees.indentOf(source, start));
    }
    int open = ASTHelpers.getStartPosition(block);
    int close = state.getEndPosition(block) - 1;
    String inside = source.subSequence(open + 1, close).toString();
    return new Edit(
        open,
        close + 1,
        "{\n" + indent + "  " + restore + (inside.isBlank() ? "\n" + indent : inside) + "}");
  }

  /**
   * Whether a method named {@code name} only reports an exception (a logging method of the {@link
   * LibraryModel}, or {@code addSuppressed}): handing the exception to it does not propagate it.
   */
  private static boolean onlyReports(String name, VisitorState state) {
    return name.equals("addSuppressed") || LoggingCalls.isLogging(name, LibraryModel.of(state));
  }
}
