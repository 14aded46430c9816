package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
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
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
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
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnionTypeTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree.JCNewClass;
import dev.tether.checker.utils.ConcurrentCode;
import dev.tether.checker.utils.ConcurrentCode.Handoff;
import dev.tether.checker.utils.Trees;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
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

  private static final Supplier<Type> INTERRUPTED_EXCEPTION =
      Suppliers.typeFromString("java.lang.InterruptedException");

  private static final Supplier<Type> THREAD = Suppliers.typeFromString("java.lang.Thread");
  private static final Supplier<Type> RUNNABLE = Suppliers.typeFromString("java.lang.Runnable");
  private static final Supplier<Type> EXECUTOR =
      Suppliers.typeFromString("java.util.concurrent.Executor");

  private static final Matcher<ExpressionTree> CURRENT_THREAD =
      staticMethod().onClass("java.lang.Thread").named("currentThread");

  private static final Matcher<ExpressionTree> INTERRUPT =
      instanceMethod().onDescendantOf("java.lang.Thread").named("interrupt");

  /** Methods that only report an exception: handing the exception to them does not propagate it. */
  private static final Pattern LOGGING_METHOD =
      Pattern.compile(
          "trace|debug|info|warn|warning|error|fatal|severe|fine|finer|finest|config|log"
              + "|printStackTrace|println|print|printf|format|append|addSuppressed");

  /** Methods that always throw: assertions in tests. */
  private static final Set<String> ALWAYS_THROWS = Set.of("fail", "throwIfUnchecked", "propagate");

  @Override
  public Description matchCatch(CatchTree tree, VisitorState state) {
    boolean direct = catchesInterruptedException(tree, state);
    if (!direct && !(catchesBroadly(tree, state) && reachedByInterruption(tree, state))) {
      return NO_MATCH;
    }
    Symbol exception = ASTHelpers.getSymbol(tree.getParameter());
    if (exception == null || exception.getSimpleName().contentEquals("expected")) {
      return NO_MATCH;
    }
    Propagation propagation = Propagation.of(tree.getBlock(), exception, state);
    if (propagation.propagates
        || (propagation.setsFlag && restoresLater(tree, state))
        || leavesOwnThread(state)
        || (isDeliberate(tree, state) && isThreadOwnerCode(state))) {
      return NO_MATCH;
    }
    if (!direct) {
      return buildDescription(tree)
          .setMessage(BROAD_MESSAGE)
          .addFix(restoreFix(tree, state, /* broad= */ true))
          .build();
    }
    return buildDescription(tree)
        .setMessage(MESSAGE)
        .addFix(restoreFix(tree, state, /* broad= */ false))
        .build();
  }

  /** Whether the catch names a supertype of {@code InterruptedException}: Exception, Throwable. */
  private static boolean catchesBroadly(CatchTree tree, VisitorState state) {
    Type interrupted = INTERRUPTED_EXCEPTION.get(state);
    if (interrupted == null) {
      return false;
    }
    for (Tree alternative : alternatives(tree)) {
      Type caught = ASTHelpers.getType(alternative);
      if (caught != null
          && caught.getKind() != TypeKind.ERROR
          && ASTHelpers.isSubtype(interrupted, caught, state)) {
        return true;
      }
    }
    return false;
  }

  private static List<? extends Tree> alternatives(CatchTree tree) {
    Tree type = tree.getParameter().getType();
    return type instanceof UnionTypeTree union ? union.getTypeAlternatives() : List.of(type);
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
    InterruptibleCalls scanner = new InterruptibleCalls(state);
    scanner.scan(tryTree.getResources(), null);
    scanner.scan(tryTree.getBlock(), null);
    return scanner.found;
  }

  /** Finds a call that declares {@code InterruptedException} and is not caught on the way out. */
  private static final class InterruptibleCalls extends TreeScanner<Void, Void> {
    private final VisitorState state;
    private boolean found;

    InterruptibleCalls(VisitorState state) {
      this.state = state;
    }

    @Override
    public Void scan(Tree tree, Void unused) {
      return found ? null : super.scan(tree, null);
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      if (throwsInterrupted(ASTHelpers.getSymbol(tree.getMethodSelect()))) {
        found = true;
        return null;
      }
      return super.visitMethodInvocation(tree, null);
    }

    @Override
    public Void visitNewClass(NewClassTree tree, Void unused) {
      if (throwsInterrupted(((JCNewClass) tree).constructor)) {
        found = true;
        return null;
      }
      scan(tree.getEnclosingExpression(), null);
      scan(tree.getArguments(), null);
      return null; // an anonymous class body runs later, if at all
    }

    @Override
    public Void visitTry(TryTree tree, Void unused) {
      scan(tree.getFinallyBlock(), null);
      for (CatchTree c : tree.getCatches()) {
        scan(c.getBlock(), null);
      }
      for (CatchTree c : tree.getCatches()) {
        if (catchesBroadly(c, state) || catchesInterruptedException(c, state)) {
          return null; // the inner try handles it: that catch is checked on its own
        }
      }
      scan(tree.getResources(), null);
      scan(tree.getBlock(), null);
      return null;
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      return null;
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      return null;
    }

    private boolean throwsInterrupted(@Nullable Symbol sym) {
      if (!(sym instanceof MethodSymbol method) || method.type == null) {
        return false;
      }
      Type interrupted = INTERRUPTED_EXCEPTION.get(state);
      for (Type thrown : method.getThrownTypes()) {
        if (interrupted != null && ASTHelpers.isSameType(thrown, interrupted, state)) {
          return true;
        }
      }
      return false;
    }
  }

  private static boolean catchesInterruptedException(CatchTree tree, VisitorState state) {
    for (Tree alternative : alternatives(tree)) {
      Type caught = ASTHelpers.getType(alternative);
      if (caught != null
          && caught.getKind() != TypeKind.ERROR
          && ASTHelpers.isSubtype(caught, INTERRUPTED_EXCEPTION.get(state), state)) {
        return true;
      }
    }
    return false;
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

  /**
   * Whether the catch is in code that sets the interruption policy of its own thread: the body of a
   * thread it starts ({@link Handoff#ownsThread()}, or a lambda given to a call that returns a
   * {@code Thread}), or a method of a class that implements {@code Runnable} (a thread's body, not
   * handed to an executor in sight) or {@code Executor} (an executor's own worker code).
   */
  private static boolean isThreadOwnerCode(VisitorState state) {
    Optional<Handoff> handoff = ConcurrentCode.enclosing(state);
    if (handoff.isPresent()) {
      return handoff.get().ownsThread();
    }
    Type thread = THREAD.get(state);
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree && p.getParentPath() != null) {
        Type made = ASTHelpers.getType(p.getParentPath().getLeaf());
        if (thread != null
            && made != null
            && (p.getParentPath().getLeaf() instanceof MethodInvocationTree
                || p.getParentPath().getLeaf() instanceof NewClassTree)
            && ASTHelpers.isSubtype(made, thread, state)) {
          return true;
        }
      }
      if (leaf instanceof ClassTree cls) {
        ClassSymbol sym = ASTHelpers.getSymbol(cls);
        return sym != null
            && (ASTHelpers.isSubtype(sym.type, RUNNABLE.get(state), state)
                || ASTHelpers.isSubtype(sym.type, EXECUTOR.get(state), state));
      }
    }
    return false;
  }

  /** What a catch block does with the exception, found in one scan of the block. */
  private static final class Propagation extends TreeScanner<Void, Void> {
    private final Symbol exception;
    private final VisitorState state;
    private boolean propagates;
    private boolean setsFlag;

    private Propagation(Symbol exception, VisitorState state) {
      this.exception = exception;
      this.state = state;
    }

    static Propagation of(BlockTree block, Symbol exception, VisitorState state) {
      Propagation propagation = new Propagation(exception, state);
      propagation.scan(block, null);
      return propagation;
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
      if (isSelfInterrupt(tree, state)
          || isRestoreHelper(tree)
          || ALWAYS_THROWS.contains(name)
          || (!LOGGING_METHOD.matcher(name).matches() && mentionsException(tree.getArguments()))) {
        propagates = true;
        return null;
      }
      return super.visitMethodInvocation(tree, null);
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
      if (mentionsException(List.of(tree.getExpression()))) {
        propagates = true; // stored for a later rethrow
      } else if (Boolean.TRUE.equals(ASTHelpers.constValue(tree.getExpression()))) {
        setsFlag = true; // maybe the "remember and re-interrupt in finally" idiom
      }
      return super.visitAssignment(tree, null);
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      return null; // runs later, if at all
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      return null;
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
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree node, Void unused) {
        return found[0] || node == tree ? null : super.scan(node, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        if (isSelfInterrupt(call, state) || isRestoreHelper(call)) {
          found[0] = true;
          return null;
        }
        return super.visitMethodInvocation(call, null);
      }
    }.scan(body, null);
    return found[0];
  }

  /**
   * Whether the catch ends the body of a thread that the code itself owns (JCIP: only the owner of
   * a thread may swallow its interruption): the body returns from the catch, or nothing runs after
   * it.
   */
  private static boolean leavesOwnThread(VisitorState state) {
    Optional<Handoff> handoff = ConcurrentCode.enclosing(state);
    if (handoff.isEmpty() || !handoff.get().ownsThread()) {
      return false;
    }
    Tree body = taskBody(handoff.get().task());
    CatchTree catchTree = (CatchTree) state.getPath().getLeaf();
    List<? extends StatementTree> statements = catchTree.getBlock().getStatements();
    StatementTree last = statements.isEmpty() ? null : statements.get(statements.size() - 1);
    boolean breaks = last instanceof BreakTree brk && brk.getLabel() == null;
    TreePath tryPath = state.getPath().getParentPath();
    if (last instanceof ReturnTree) {
      return !crossesFunction(tryPath, body);
    }
    return body != null && isTail(tryPath, body, breaks);
  }

  private static @Nullable Tree taskBody(Tree task) {
    if (task instanceof LambdaExpressionTree lambda) {
      return lambda.getBody();
    }
    if (task instanceof MethodTree method) {
      return method.getBody();
    }
    if (task instanceof NewClassTree newClass && newClass.getClassBody() != null) {
      for (Tree member : newClass.getClassBody().getMembers()) {
        if (member instanceof MethodTree method
            && method.getName().contentEquals("run")
            && method.getParameters().isEmpty()) {
          return method.getBody();
        }
      }
    }
    return null;
  }

  private static boolean crossesFunction(TreePath from, @Nullable Tree body) {
    for (TreePath p = from; p != null && p.getLeaf() != body; p = p.getParentPath()) {
      if (p.getLeaf() instanceof LambdaExpressionTree || p.getLeaf() instanceof MethodTree) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether nothing of the thread's body runs after the statement at {@code path} completes
   * (allowing one {@code break} out of the innermost loop, when the catch ends with it).
   */
  private static boolean isTail(TreePath path, Tree body, boolean breaks) {
    boolean breakUsed = !breaks;
    for (TreePath p = path; p.getParentPath() != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      Tree parent = p.getParentPath().getLeaf();
      if (leaf == body) {
        return true;
      }
      if (parent instanceof BlockTree block) {
        List<? extends StatementTree> statements = block.getStatements();
        if (statements.isEmpty() || statements.get(statements.size() - 1) != leaf) {
          return false;
        }
      } else if (isLoop(parent)) {
        if (breakUsed) {
          return false;
        }
        breakUsed = true;
      } else if (parent instanceof TryTree outer) {
        if (outer.getFinallyBlock() == leaf) {
          return false;
        }
      } else if (!(parent instanceof IfTree
          || parent instanceof LabeledStatementTree
          || parent instanceof CatchTree
          || parent == body
          || parent instanceof LambdaExpressionTree
          || parent instanceof MethodTree)) {
        return false;
      }
    }
    return false;
  }

  private static boolean isLoop(Tree tree) {
    return tree instanceof WhileLoopTree
        || tree instanceof DoWhileLoopTree
        || tree instanceof ForLoopTree
        || tree instanceof EnhancedForLoopTree;
  }

  /**
   * Inserts {@code Thread.currentThread().interrupt();} as the first statement of the catch; for a
   * broad catch, guarded by {@code if (e instanceof InterruptedException)}.
   */
  private static SuggestedFix restoreFix(CatchTree tree, VisitorState state, boolean broad) {
    CharSequence source = state.getSourceCode();
    String indent = Trees.indentOf(source, ASTHelpers.getStartPosition(tree));
    String restore =
        broad
            ? "if ("
                + tree.getParameter().getName()
                + " instanceof InterruptedException) {\n"
                + indent
                + "    Thread.currentThread().interrupt();\n"
                + indent
                + "  }"
            : "Thread.currentThread().interrupt();";
    BlockTree block = tree.getBlock();
    if (!block.getStatements().isEmpty()) {
      StatementTree first = block.getStatements().get(0);
      int start = ASTHelpers.getStartPosition(first);
      return SuggestedFix.replace(start, start, restore + "\n" + Trees.indentOf(source, start));
    }
    int open = ASTHelpers.getStartPosition(block);
    int close = state.getEndPosition(block) - 1;
    String inside = source.subSequence(open + 1, close).toString();
    return SuggestedFix.replace(
        open,
        close + 1,
        "{\n" + indent + "  " + restore + (inside.isBlank() ? "\n" + indent : inside) + "}");
  }
}
