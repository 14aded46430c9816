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
import com.google.errorprone.bugpatterns.BugChecker.DoWhileLoopTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.ForLoopTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.WhileLoopTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.google.errorprone.util.ErrorProneToken;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.parser.Tokens.TokenKind;
import dev.tether.checker.utils.BodyScan;
import dev.tether.checker.utils.JumpScanner;
import dev.tether.checker.utils.Symbols;
import dev.tether.checker.utils.ThreadOwnership;
import dev.tether.checker.utils.Trees;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags endless loops in tasks that never look at cancellation. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Check for interruption or cancellation in the endless loop of a task",
    link = BUGPATTERN + "UncancellableTaskLoop.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class UncancellableTaskLoop extends BugChecker
    implements WhileLoopTreeMatcher, DoWhileLoopTreeMatcher, ForLoopTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String MESSAGE =
      "This loop runs on another thread, can only end by an exception and never looks at"
          + " cancellation, so nothing can stop the task: loop while"
          + " !Thread.currentThread().isInterrupted(), check a volatile flag or a CancelScope, or"
          + " let an InterruptedException from a blocking call end it";

  private static final String SPIN_MESSAGE =
      "This loop on another thread spins (onSpinWait, park, yield) until shared state changes and"
          + " never looks at interruption, so a cancelled task keeps spinning (a park returns at"
          + " once once the flag is set): also leave when Thread.currentThread().isInterrupted(),"
          + " or bound the wait with a deadline";

  private static final String SWALLOWED_CHECK_MESSAGE =
      " (its catch of RuntimeException swallows the exception that its cancellation check"
          + " throws, and goes round again)";

  /** Calls that wait a moment in a spin loop, and return at once once the thread is interrupted. */
  private static final Matcher<ExpressionTree> SPIN_WAIT =
      anyOf(
          staticMethod().onClass("java.lang.Thread").namedAnyOf("onSpinWait", "yield"),
          staticMethod()
              .onClass("java.util.concurrent.locks.LockSupport")
              .namedAnyOf("park", "parkNanos", "parkUntil"));

  private static final Set<String> SPIN_NAMES =
      Set.of("onSpinWait", "yield", "park", "parkNanos", "parkUntil");

  /** Calls that read the clock: a loop that reads it has a deadline. */
  private static final Matcher<ExpressionTree> CLOCK =
      anyOf(
          staticMethod().onClass("java.lang.System").namedAnyOf("nanoTime", "currentTimeMillis"),
          instanceMethod().onDescendantOf("java.time.Clock"),
          staticMethod().onClass("java.time.Instant").named("now"));

  private static final Supplier<Type> INTERRUPTED_EXCEPTION =
      Suppliers.typeFromString("java.lang.InterruptedException");
  private static final Supplier<Type> IO_EXCEPTION =
      Suppliers.typeFromString("java.io.IOException");
  private static final Supplier<Type> RUNTIME_EXCEPTION =
      Suppliers.typeFromString("java.lang.RuntimeException");
  private static final Supplier<Type> ATOMIC_BOOLEAN =
      Suppliers.typeFromString("java.util.concurrent.atomic.AtomicBoolean");

  /** Calls that end the program, and with it the loop. */
  private static final Matcher<ExpressionTree> EXITS =
      anyOf(
          staticMethod().onClass("java.lang.System").named("exit"),
          instanceMethod().onDescendantOf("java.lang.Runtime").namedAnyOf("exit", "halt"));

  private static final Matcher<ExpressionTree> SUBMIT =
      instanceMethod().onDescendantOf("java.util.concurrent.ExecutorService").named("submit");

  /** Words in the name of a method that asks whether the work should stop. */
  private static final Pattern STOP_WORD =
      Pattern.compile(
          "cancel|interrupt|shut|terminat|clos|stop|running|alive|active|open|done|dispos|quit"
              + "|exit|halt|abort|finish");

  /** Prefixes of methods that throw when the work should stop, e.g. {@code throwIfCancelled}. */
  private static final Pattern THROWING_CHECK = Pattern.compile("^(throwIf|check|ensure|assert).*");

  @Override
  public Description matchWhileLoop(WhileLoopTree tree, VisitorState state) {
    return match(tree, tree.getCondition(), List.of(tree.getStatement()), state);
  }

  @Override
  public Description matchDoWhileLoop(DoWhileLoopTree tree, VisitorState state) {
    return match(tree, tree.getCondition(), List.of(tree.getStatement()), state);
  }

  @Override
  public Description matchForLoop(ForLoopTree tree, VisitorState state) {
    List<Tree> scanned = new ArrayList<>();
    scanned.add(tree.getStatement());
    scanned.addAll(tree.getUpdate());
    return match(tree, tree.getCondition(), scanned, state);
  }

  private Description match(
      StatementTree loop,
      @Nullable ExpressionTree condition,
      List<? extends Tree> body,
      VisitorState state) {
    Object constant =
        condition == null ? null : ASTHelpers.constValue(ASTHelpers.stripParentheses(condition));
    boolean alwaysTrue = condition == null || Boolean.TRUE.equals(constant);
    if (constant != null && !alwaysTrue) {
      return NO_MATCH; // do { … } while (false)
    }
    boolean endless = alwaysTrue || isFrozen(condition);
    boolean spin = isSpinWait(condition, body, state);
    if (!endless && !spin) {
      return NO_MATCH;
    }
    if (!inConcurrentCode(state)) {
      return NO_MATCH;
    }
    LoopFacts facts = new LoopFacts(state, ownLabel(state), spin);
    if (spin) {
      facts.scan(condition, null);
    }
    for (Tree part : body) {
      facts.scan(part, null);
    }
    if (facts.stops) {
      return NO_MATCH;
    }
    Description.Builder description =
        buildDescription(loop)
            .setMessage(
                spin && (!endless || facts.exits)
                    ? SPIN_MESSAGE
                    : facts.swallowedCheck ? MESSAGE + SWALLOWED_CHECK_MESSAGE : MESSAGE);
    if (!(spin && (!endless || facts.exits)) && mayCompleteNormally(state)) {
      SuggestedFix fix = fix(loop, condition, alwaysTrue, state);
      if (fix != null) {
        description.addFix(fix);
      }
    }
    return description.build();
  }

  /**
   * Whether the loop spins until shared state changes: its body calls {@code Thread.onSpinWait},
   * {@code Thread.yield} or {@code LockSupport.park…} as a statement of its own, and neither its
   * condition nor an {@code if} in its body reads a local variable, a parameter or the clock (a
   * counter or a deadline bounds the spin).
   */
  private static boolean isSpinWait(
      @Nullable ExpressionTree condition, List<? extends Tree> body, VisitorState state) {
    boolean[] spins = new boolean[1];
    boolean[] bounded = new boolean[1];
    TreeScanner<Void, Void> bound =
        new TreeScanner<Void, Void>() {
          @Override
          public Void visitIdentifier(IdentifierTree tree, Void unused) {
            if (ASTHelpers.getSymbol(tree) instanceof VarSymbol var
                && (var.getKind() == ElementKind.LOCAL_VARIABLE
                    || var.getKind() == ElementKind.PARAMETER
                    || var.getKind() == ElementKind.RESOURCE_VARIABLE)) {
              bounded[0] = true;
            }
            return null;
          }

          @Override
          public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
            if (CLOCK.matches(tree, state)) {
              bounded[0] = true;
              return null;
            }
            return super.visitMethodInvocation(tree, null);
          }

          @Override
          public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
            return null;
          }
        };
    List<ExpressionTree> ifConditions = new ArrayList<>();
    for (Tree part : body) {
      new BodyScan.Scanner() {
        @Override
        public Void visitExpressionStatement(ExpressionStatementTree tree, Void unused) {
          if (tree.getExpression() instanceof MethodInvocationTree call
              && SPIN_NAMES.contains(Trees.calledName(call))
              && SPIN_WAIT.matches(call, state)) {
            spins[0] = true;
          }
          return super.visitExpressionStatement(tree, null);
        }

        @Override
        public Void visitIf(IfTree tree, Void unused) {
          ifConditions.add(tree.getCondition());
          return super.visitIf(tree, null);
        }
      }.scan(part, null);
    }
    if (!spins[0]) {
      return false;
    }
    bound.scan(condition, null);
    bound.scan(ifConditions, null);
    return !bounded[0];
  }

  /**
   * Whether nothing can change the value of {@code condition}: it combines only literals, final or
   * effectively final locals and parameters, and final fields.
   */
  private static boolean isFrozen(@Nullable ExpressionTree condition) {
    ExpressionTree e = condition == null ? null : ASTHelpers.stripParentheses(condition);
    if (e instanceof LiteralTree) {
      return true;
    }
    if (e instanceof UnaryTree unary) {
      return e.getKind() == Tree.Kind.LOGICAL_COMPLEMENT && isFrozen(unary.getExpression());
    }
    if (e instanceof BinaryTree binary) {
      return isFrozen(binary.getLeftOperand()) && isFrozen(binary.getRightOperand());
    }
    if (e instanceof IdentifierTree || e instanceof MemberSelectTree) {
      if (!(ASTHelpers.getSymbol(e) instanceof VarSymbol var)) {
        return false;
      }
      if (e instanceof MemberSelectTree select
          && !(select.getExpression() instanceof IdentifierTree)
          && !isFrozen(select.getExpression())) {
        return false;
      }
      ElementKind kind = var.getKind();
      if (kind == ElementKind.FIELD) {
        return (var.flags() & Flags.FINAL) != 0 && (var.flags() & Flags.VOLATILE) == 0;
      }
      return (kind == ElementKind.LOCAL_VARIABLE || kind == ElementKind.PARAMETER)
          && ASTHelpers.isConsideredFinal(var);
    }
    return false;
  }

  /**
   * Whether the loop is in code that runs on another thread: a thread's or a task's body, or
   * private code reached only from one ({@link ThreadOwnership.Runner#isTaskBody()}); but not the
   * body of a thread that the process owns ({@link ThreadOwnership#isProcessThreadBody}): {@code
   * main} starts it to run until the process ends, and its body implements that policy; nor the
   * body of a thread that nobody holds ({@link ThreadOwnership#isUnheldThreadBody}): nothing can
   * interrupt it, and UnownedThread reports it where it is started (one defect, one warning).
   */
  private static boolean inConcurrentCode(VisitorState state) {
    return ThreadOwnership.of(state.getPath(), state).isTaskBody()
        && !ThreadOwnership.isProcessThreadBody(state.getPath(), state)
        && !ThreadOwnership.isUnheldThreadBody(state.getPath(), state);
  }

  private static @Nullable String ownLabel(VisitorState state) {
    TreePath parent = state.getPath().getParentPath();
    return parent != null && parent.getLeaf() instanceof LabeledStatementTree labeled
        ? labeled.getLabel().toString()
        : null;
  }

  /**
   * What the loop body does, found in one scan: {@link #stops} when it leaves the loop ({@code
   * break}, {@code return}), looks at cancellation, or makes a call whose {@code
   * InterruptedException} (or {@code IOException}, as after a {@code close()}) ends the loop.
   * Lambdas and classes in the body run elsewhere and are skipped.
   */
  private static final class LoopFacts extends JumpScanner {
    private final VisitorState state;
    private final @Nullable String ownLabel;
    private final Set<String> innerLabels = new HashSet<>();
    private final Deque<TryTree> tries = new ArrayDeque<>();
    private final boolean spin;
    private int switchExpressions;
    private int swallowing; // try blocks whose catch swallows RuntimeException and goes on
    private boolean stops;
    private boolean swallowedCheck;
    private boolean exits; // a spin loop's break or return

    /**
     * With {@code spin}, leaving the loop ({@code break}, {@code return}) is not a stop: a spin
     * loop leaves when the state it waits for changes, so only a look at cancellation counts.
     */
    LoopFacts(VisitorState state, @Nullable String ownLabel, boolean spin) {
      this.state = state;
      this.ownLabel = ownLabel;
      this.spin = spin;
    }

    @Override
    public Void scan(Tree tree, Void unused) {
      return stops ? null : super.scan(tree, null);
    }

    @Override
    public Void visitReturn(ReturnTree tree, Void unused) {
      stops |= !spin;
      exits = true;
      return null;
    }

    @Override
    public Void visitThrow(ThrowTree tree, Void unused) {
      Type thrown = ASTHelpers.getType(tree.getExpression());
      if (swallowing > 0 && thrown != null && escapesLoop(thrown)) {
        stops = true; // thrown past the catch that swallows the others
      }
      return super.visitThrow(tree, null);
    }

    @Override
    public Void visitBreak(BreakTree tree, Void unused) {
      if (spin) {
        exits = true;
        return null;
      }
      if (tree.getLabel() == null
          ? breakTargets() == 0
          : !innerLabels.contains(tree.getLabel().toString())) {
        stops = true;
      }
      return null;
    }

    @Override
    public Void visitContinue(ContinueTree tree, Void unused) {
      if (!spin
          && tree.getLabel() != null
          && !innerLabels.contains(tree.getLabel().toString())
          && !tree.getLabel().contentEquals(String.valueOf(ownLabel))) {
        stops = true; // continues an outer loop
      }
      return null;
    }

    @Override
    public Void visitYield(YieldTree tree, Void unused) {
      if (!spin && switchExpressions == 0) {
        stops = true;
      }
      return super.visitYield(tree, null);
    }

    @Override
    public Void visitLabeledStatement(LabeledStatementTree tree, Void unused) {
      String label = tree.getLabel().toString();
      boolean added = innerLabels.add(label);
      super.visitLabeledStatement(tree, null);
      if (added) {
        innerLabels.remove(label);
      }
      return null;
    }

    @Override
    public Void visitSwitchExpression(SwitchExpressionTree tree, Void unused) {
      switchExpressions++;
      super.visitSwitchExpression(tree, null);
      switchExpressions--;
      return null;
    }

    @Override
    public Void visitTry(TryTree tree, Void unused) {
      boolean swallows = swallowsUnchecked(tree);
      tries.push(tree);
      swallowing += swallows ? 1 : 0;
      scan(tree.getResources(), null);
      scan(tree.getBlock(), null);
      swallowing -= swallows ? 1 : 0;
      tries.pop();
      scan(tree.getCatches(), null);
      scan(tree.getFinallyBlock(), null);
      return null;
    }

    @Override
    public Void visitIdentifier(IdentifierTree tree, Void unused) {
      if (isVolatile(ASTHelpers.getSymbol(tree))) {
        softStop(); // reads a flag that another thread can set
      }
      return null;
    }

    @Override
    public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
      if (isVolatile(ASTHelpers.getSymbol(tree))) {
        softStop();
        return null;
      }
      return super.visitMemberSelect(tree, null);
    }

    /**
     * A look at cancellation: it stops the loop, unless it sits in a {@code try} whose catch
     * swallows the unchecked exception that such a check throws and goes round again; then only an
     * exit ({@code return}, {@code break}, a checked throw) next to it counts, found on its own.
     */
    private void softStop() {
      if (swallowing > 0) {
        swallowedCheck = true;
      } else {
        stops = true;
      }
    }

    /**
     * Whether a catch of {@code tryTree} catches {@code RuntimeException} (or a supertype) and no
     * catch of it leaves the loop (rethrows, returns or breaks).
     */
    private boolean swallowsUnchecked(TryTree tryTree) {
      Type runtime = RUNTIME_EXCEPTION.get(state);
      if (runtime == null) {
        return false;
      }
      boolean catchesAll = false;
      for (CatchTree c : tryTree.getCatches()) {
        if (rethrows(c) || breaks(c)) {
          return false;
        }
        catchesAll |= catches(c, runtime);
      }
      return catchesAll;
    }

    private static boolean breaks(CatchTree c) {
      return BodyScan.containsKind(c.getBlock(), EnumSet.of(Tree.Kind.BREAK));
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      MethodSymbol method = Symbols.calledMethod(tree);
      if (method == null // does not resolve: stay quiet
          || EXITS.matches(tree, state)
          || endsLoopOnFailure(method)) {
        stops = true;
        return null;
      }
      if (looksAtCancellation(method, tree)) {
        softStop();
        return null;
      }
      return super.visitMethodInvocation(tree, null);
    }

    @Override
    public Void visitNewClass(NewClassTree tree, Void unused) {
      MethodSymbol constructor = Symbols.calledMethod(tree);
      if (constructor == null || endsLoopOnFailure(constructor)) {
        stops = true;
        return null;
      }
      return super.visitNewClass(tree, null);
    }

    private static boolean isVolatile(@Nullable Symbol sym) {
      return sym instanceof VarSymbol && (sym.flags() & Flags.VOLATILE) != 0;
    }

    /**
     * Whether the call asks whether the work should stop: {@code Thread.interrupted()}, {@code
     * isInterrupted()}, {@code future.isCancelled()}, {@code isRunning()}, {@code
     * scope.throwIfCancelled()}, any call on an {@code AtomicBoolean} or a cancellation object.
     */
    private boolean looksAtCancellation(MethodSymbol method, MethodInvocationTree call) {
      String name = method.getSimpleName().toString();
      String lower = name.toLowerCase(Locale.ROOT);
      boolean stopWord = STOP_WORD.matcher(lower).find();
      if (stopWord
          && (method.getReturnType().getKind() == TypeKind.BOOLEAN
              || THROWING_CHECK.matcher(name).matches())) {
        return true;
      }
      Type receiver = ASTHelpers.getReceiverType(call);
      if (receiver == null || receiver.getKind() == TypeKind.ERROR) {
        return false;
      }
      Type atomic = ATOMIC_BOOLEAN.get(state);
      if (atomic != null && ASTHelpers.isSameType(receiver, atomic, state)) {
        return true;
      }
      String receiverName = receiver.tsym == null ? "" : receiver.tsym.getSimpleName().toString();
      return receiverName.contains("Cancel") || receiverName.contains("Cancellation");
    }

    /**
     * Whether the call may throw {@code InterruptedException} (or an {@code IOException}, or
     * declares {@code Exception}) and nothing in the loop swallows it: the loop ends with it.
     */
    private boolean endsLoopOnFailure(MethodSymbol method) {
      Type interrupted = INTERRUPTED_EXCEPTION.get(state);
      Type io = IO_EXCEPTION.get(state);
      if (interrupted == null || io == null) {
        return false;
      }
      for (Type thrown : method.getThrownTypes()) {
        boolean relevant =
            ASTHelpers.isSubtype(thrown, interrupted, state)
                || ASTHelpers.isSubtype(interrupted, thrown, state)
                || ASTHelpers.isSubtype(thrown, io, state);
        if (relevant && escapesLoop(thrown)) {
          return true;
        }
      }
      return false;
    }

    /** Whether {@code thrown} leaves the loop: no try inside it catches it without rethrowing. */
    private boolean escapesLoop(Type thrown) {
      for (TryTree tryTree : tries) { // innermost first
        for (CatchTree c : tryTree.getCatches()) {
          if (catches(c, thrown)) {
            if (!rethrows(c)) {
              return false;
            }
            break;
          }
        }
      }
      return true;
    }

    private boolean catches(CatchTree c, Type thrown) {
      for (Tree alternative : Trees.caughtTypes(c)) {
        Type caught = ASTHelpers.getType(alternative);
        if (caught != null
            && caught.getKind() != TypeKind.ERROR
            && ASTHelpers.isSubtype(thrown, caught, state)) {
          return true;
        }
      }
      return false;
    }

    private static boolean rethrows(CatchTree c) {
      // a return leaves the loop, too
      return BodyScan.containsKind(c.getBlock(), EnumSet.of(Tree.Kind.THROW, Tree.Kind.RETURN));
    }
  }

  /**
   * Whether the code around the loop may complete normally once the loop can end: the enclosing
   * method or lambda returns nothing (or is a {@code Callable} given to {@code submit}, which has a
   * {@code Runnable} overload, whose result is dropped) and no switch expression is in between.
   */
  private static boolean mayCompleteNormally(VisitorState state) {
    for (TreePath p = state.getPath().getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof SwitchExpressionTree) {
        return false;
      }
      if (leaf instanceof MethodTree method) {
        MethodSymbol sym = ASTHelpers.getSymbol(method);
        return sym != null
            && (sym.isConstructor() || sym.getReturnType().getKind() == TypeKind.VOID);
      }
      if (leaf instanceof ClassTree) {
        return true; // an initializer block
      }
      if (leaf instanceof LambdaExpressionTree lambda) {
        return Symbols.returnsVoid(lambda, state) || isDroppedSubmit(lambda, p, state);
      }
    }
    return false;
  }

  private static boolean isDroppedSubmit(
      LambdaExpressionTree lambda, TreePath lambdaPath, VisitorState state) {
    TreePath callPath = lambdaPath.getParentPath();
    if (callPath == null
        || !(callPath.getLeaf() instanceof MethodInvocationTree call)
        || !SUBMIT.matches(call, state)
        || call.getArguments().size() != 1
        || callPath.getParentPath() == null
        || !(callPath.getParentPath().getLeaf() instanceof ExpressionStatementTree)) {
      return false;
    }
    return !BodyScan.containsKind(lambda.getBody(), EnumSet.of(Tree.Kind.RETURN));
  }

  /** Makes the loop run while the thread is not interrupted. */
  private static @Nullable SuggestedFix fix(
      StatementTree loop,
      @Nullable ExpressionTree condition,
      boolean alwaysTrue,
      VisitorState state) {
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String check =
        String.format(
            "!%s.currentThread().isInterrupted()",
            SuggestedFixes.qualifyType(state, fix, "java.lang.Thread"));
    if (condition != null) {
      ExpressionTree inner =
          condition instanceof ParenthesizedTree parens ? parens.getExpression() : condition;
      if (alwaysTrue) {
        fix.replace(inner, check);
      } else {
        ExpressionTree stripped = ASTHelpers.stripParentheses(inner);
        String source = state.getSourceForNode(inner);
        if (source == null) {
          return null;
        }
        boolean simple =
            stripped != inner
                || stripped instanceof IdentifierTree
                || stripped instanceof MemberSelectTree
                || stripped instanceof UnaryTree
                || stripped.getKind() == Tree.Kind.CONDITIONAL_AND;
        fix.replace(inner, (simple ? source : "(" + source + ")") + " && " + check);
      }
      return fix.build();
    }
    ForLoopTree forLoop = (ForLoopTree) loop;
    List<ErrorProneToken> tokens = state.getOffsetTokensForNode(forLoop);
    int depth = 0;
    int firstSemi = -1;
    int secondSemi = -1;
    int close = -1;
    for (ErrorProneToken token : tokens) {
      TokenKind kind = token.kind();
      if (kind == TokenKind.LPAREN) {
        depth++;
      } else if (kind == TokenKind.RPAREN) {
        depth--;
        if (depth == 0) {
          close = token.endPos();
          break;
        }
      } else if (kind == TokenKind.SEMI && depth == 1) {
        if (firstSemi < 0) {
          firstSemi = token.endPos();
        } else if (secondSemi < 0) {
          secondSemi = token.pos();
        }
      }
    }
    if (firstSemi < 0 || secondSemi < 0 || close < 0) {
      return null;
    }
    if (forLoop.getInitializer().isEmpty() && forLoop.getUpdate().isEmpty()) {
      fix.replace(ASTHelpers.getStartPosition(forLoop), close, "while (" + check + ")");
    } else {
      fix.replace(firstSemi, secondSemi, " " + check);
    }
    return fix.build();
  }
}
