package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static dev.tether.checker.utils.Links.BUGPATTERN;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.UnionTypeTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import dev.tether.checker.utils.SameVariable;
import dev.tether.checker.utils.Trees;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags semaphore permits that leak when the guarded work throws. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Release a semaphore permit in a finally block that guards the work done with it",
    link = BUGPATTERN + "PermitNotReleasedInFinally.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class PermitNotReleasedInFinally extends BugChecker
    implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String SEMAPHORE = "java.util.concurrent.Semaphore";

  private static final Matcher<ExpressionTree> ACQUIRE =
      instanceMethod().onDescendantOf(SEMAPHORE).namedAnyOf("acquire", "acquireUninterruptibly");

  private static final Matcher<ExpressionTree> TRY_ACQUIRE =
      instanceMethod().onDescendantOf(SEMAPHORE).named("tryAcquire");

  private static final Matcher<ExpressionTree> RELEASE =
      instanceMethod().onDescendantOf(SEMAPHORE).named("release");

  /** Catch types after which a release covers every failure (or the rejected hand-off). */
  private static final List<Supplier<Type>> CATCH_ALL =
      List.of(
          Suppliers.typeFromString("java.lang.Throwable"),
          Suppliers.typeFromString("java.lang.Exception"),
          Suppliers.typeFromString("java.lang.RuntimeException"),
          Suppliers.typeFromString("java.util.concurrent.RejectedExecutionException"));

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    boolean blocking = ACQUIRE.matches(tree, state);
    if (!blocking && !TRY_ACQUIRE.matches(tree, state)) {
      return NO_MATCH;
    }
    ExpressionTree semaphore = ASTHelpers.getReceiver(tree);
    if (SameVariable.variable(semaphore) == null) {
      return NO_MATCH;
    }
    List<? extends StatementTree> held =
        blocking ? statementsAfter(state.getPath()) : statementsAfterSuccess(state.getPath());
    if (held == null) {
      return NO_MATCH;
    }
    boolean exits = false;
    boolean releasesOnExit = false;
    for (int k = 0; k < held.size(); k++) {
      StatementTree statement = held.get(k);
      Releases releases = Releases.in(statement, semaphore, state);
      if (releases.inTask) {
        return NO_MATCH; // the hand-off idiom: the task (or callback) releases the permit
      }
      if (releases.guarded) {
        // a finally or catch-all that covers the failure; only an earlier exit can leak
        return exits ? describe(tree, semaphore, true, null, state) : NO_MATCH;
      }
      if (!releases.plain) {
        exits |= Exits.in(statement);
        continue;
      }
      if (k == 0 && isRelease(statement, semaphore, state)) {
        return NO_MATCH; // acquire-then-release: a gate
      }
      if (statement instanceof IfTree ifTree
          && ifTree.getElseStatement() == null
          && alwaysExits(ifTree.getThenStatement())) {
        releasesOnExit = true; // if (closed) { sem.release(); return; }
        continue;
      }
      SuggestedFix fix =
          exits || releasesOnExit || !isRelease(statement, semaphore, state)
              ? null
              : wrapFix(held, k, state);
      return describe(tree, semaphore, exits, fix, state);
    }
    return NO_MATCH; // released elsewhere: in another method, by another thread
  }

  private Description describe(
      MethodInvocationTree acquire,
      ExpressionTree semaphore,
      boolean exits,
      @Nullable SuggestedFix fix,
      VisitorState state) {
    Description.Builder description =
        buildDescription(acquire).setMessage(message(state.getSourceForNode(semaphore), exits));
    if (fix != null) {
      description.addFix(fix);
    }
    return description.build();
  }

  private static String message(String semaphore, boolean exits) {
    return (exits
            ? "An early return or throw between acquire and release leaks this permit"
            : "If the work between acquire and release throws, this permit leaks")
        + " and the semaphore's bound shrinks until every caller blocks: release it in a finally"
        + " block that guards the work (try { … } finally { "
        + semaphore
        + ".release(); })";
  }

  /** The statements that follow the acquire's expression statement in its block or case. */
  private static @Nullable List<? extends StatementTree> statementsAfter(TreePath path) {
    TreePath parent = path.getParentPath();
    if (parent == null || !(parent.getLeaf() instanceof ExpressionStatementTree statement)) {
      return null;
    }
    return following(parent.getParentPath(), statement);
  }

  private static @Nullable List<? extends StatementTree> following(
      @Nullable TreePath containerPath, StatementTree statement) {
    if (containerPath == null) {
      return null;
    }
    List<? extends StatementTree> statements =
        containerPath.getLeaf() instanceof BlockTree block
            ? block.getStatements()
            : containerPath.getLeaf() instanceof CaseTree caseTree
                ? caseTree.getStatements()
                : null;
    if (statements == null) {
      return null;
    }
    int index = statements.indexOf(statement);
    return index < 0 ? null : statements.subList(index + 1, statements.size());
  }

  /**
   * The statements that run once a {@code tryAcquire} succeeded: the then-branch of {@code if
   * (sem.tryAcquire())} (also as the right operand of {@code &&}), or what follows {@code if
   * (!sem.tryAcquire()) return;} and {@code while (!sem.tryAcquire(…)) {…}}.
   */
  private static @Nullable List<? extends StatementTree> statementsAfterSuccess(TreePath path) {
    TreePath p = path;
    boolean negated = false;
    while (p.getParentPath() != null) {
      Tree parent = p.getParentPath().getLeaf();
      if (parent instanceof ParenthesizedTree) {
        p = p.getParentPath();
      } else if (!negated
          && parent instanceof BinaryTree binary
          && binary.getKind() == Tree.Kind.CONDITIONAL_AND) {
        p = p.getParentPath();
      } else if (!negated
          && parent instanceof UnaryTree unary
          && unary.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
        negated = true;
        p = p.getParentPath();
      } else {
        break;
      }
    }
    TreePath parentPath = p.getParentPath();
    if (parentPath == null) {
      return null;
    }
    Tree parent = parentPath.getLeaf();
    if (parent instanceof IfTree ifTree && ifTree.getCondition() == p.getLeaf()) {
      if (!negated) {
        return ifTree.getThenStatement() instanceof BlockTree block
            ? block.getStatements()
            : List.of(ifTree.getThenStatement());
      }
      return ifTree.getElseStatement() == null && alwaysExits(ifTree.getThenStatement())
          ? following(parentPath.getParentPath(), ifTree)
          : null;
    }
    if (negated && parent instanceof WhileLoopTree loop && loop.getCondition() == p.getLeaf()) {
      return following(parentPath.getParentPath(), loop);
    }
    return null;
  }

  private static boolean alwaysExits(StatementTree statement) {
    StatementTree last = statement;
    while (last instanceof BlockTree block && !block.getStatements().isEmpty()) {
      last = block.getStatements().get(block.getStatements().size() - 1);
    }
    return last instanceof ReturnTree
        || last instanceof ThrowTree
        || last instanceof ContinueTree
        || last instanceof BreakTree;
  }

  private static boolean isRelease(StatementTree statement, ExpressionTree sem, VisitorState s) {
    return statement instanceof ExpressionStatementTree expression
        && expression.getExpression() instanceof MethodInvocationTree call
        && isRelease(call, sem, s);
  }

  private static boolean isRelease(MethodInvocationTree call, ExpressionTree sem, VisitorState s) {
    return RELEASE.matches(call, s) && SameVariable.of(ASTHelpers.getReceiver(call), sem);
  }

  /** Where the releases of the semaphore inside one statement are, found in one scan. */
  private static final class Releases extends TreeScanner<Void, Void> {
    private final ExpressionTree semaphore;
    private final VisitorState state;
    private int finallyDepth;
    private int catchAllDepth;
    private int taskDepth;
    private boolean inTask;
    private boolean guarded;
    private boolean plain;

    private Releases(ExpressionTree semaphore, VisitorState state) {
      this.semaphore = semaphore;
      this.state = state;
    }

    static Releases in(StatementTree statement, ExpressionTree semaphore, VisitorState state) {
      Releases releases = new Releases(semaphore, state);
      releases.scan(statement, null);
      return releases;
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
      if (isRelease(call, semaphore, state)) {
        if (taskDepth > 0) {
          inTask = true;
        } else if (finallyDepth > 0 || catchAllDepth > 0) {
          guarded = true;
        } else {
          plain = true;
        }
      }
      return super.visitMethodInvocation(call, null);
    }

    @Override
    public Void visitTry(TryTree tree, Void unused) {
      scan(tree.getResources(), null);
      scan(tree.getBlock(), null);
      scan(tree.getCatches(), null);
      finallyDepth++;
      scan(tree.getFinallyBlock(), null);
      finallyDepth--;
      return null;
    }

    @Override
    public Void visitCatch(CatchTree tree, Void unused) {
      boolean all = catchesAll(tree, state);
      catchAllDepth += all ? 1 : 0;
      super.visitCatch(tree, null);
      catchAllDepth -= all ? 1 : 0;
      return null;
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      taskDepth++;
      super.visitLambdaExpression(tree, null);
      taskDepth--;
      return null;
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      taskDepth++;
      super.visitClass(tree, null);
      taskDepth--;
      return null;
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
      // sem::release handed to a callback: the callback releases it
      if (tree.getName().contentEquals("release")
          && SameVariable.of(tree.getQualifierExpression(), semaphore)) {
        inTask = true;
      }
      return super.visitMemberReference(tree, null);
    }
  }

  private static boolean catchesAll(CatchTree tree, VisitorState state) {
    Tree type = tree.getParameter().getType();
    List<? extends Tree> alternatives =
        type instanceof UnionTypeTree union ? union.getTypeAlternatives() : List.of(type);
    for (Tree alternative : alternatives) {
      Type caught = ASTHelpers.getType(alternative);
      if (caught == null || caught.getKind() == TypeKind.ERROR) {
        continue;
      }
      for (Supplier<Type> all : CATCH_ALL) {
        Type t = all.get(state);
        if (t != null && ASTHelpers.isSameType(caught, t, state)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a statement can leave the statements that hold the permit: return, throw, jumps. */
  private static final class Exits extends TreeScanner<Void, Void> {
    private int loopDepth;
    private boolean exits;

    static boolean in(StatementTree statement) {
      Exits scanner = new Exits();
      scanner.scan(statement, null);
      return scanner.exits;
    }

    @Override
    public Void visitReturn(ReturnTree tree, Void unused) {
      exits = true;
      return null;
    }

    @Override
    public Void visitThrow(ThrowTree tree, Void unused) {
      exits = true;
      return null;
    }

    @Override
    public Void visitBreak(BreakTree tree, Void unused) {
      exits |= loopDepth == 0 || tree.getLabel() != null;
      return null;
    }

    @Override
    public Void visitContinue(ContinueTree tree, Void unused) {
      exits |= loopDepth == 0 || tree.getLabel() != null;
      return null;
    }

    @Override
    public Void visitWhileLoop(WhileLoopTree tree, Void unused) {
      loopDepth++;
      super.visitWhileLoop(tree, null);
      loopDepth--;
      return null;
    }

    @Override
    public Void visitDoWhileLoop(DoWhileLoopTree tree, Void unused) {
      loopDepth++;
      super.visitDoWhileLoop(tree, null);
      loopDepth--;
      return null;
    }

    @Override
    public Void visitForLoop(ForLoopTree tree, Void unused) {
      loopDepth++;
      super.visitForLoop(tree, null);
      loopDepth--;
      return null;
    }

    @Override
    public Void visitEnhancedForLoop(EnhancedForLoopTree tree, Void unused) {
      loopDepth++;
      super.visitEnhancedForLoop(tree, null);
      loopDepth--;
      return null;
    }

    @Override
    public Void visitSwitch(SwitchTree tree, Void unused) {
      loopDepth++; // a break inside a switch statement stays inside it
      super.visitSwitch(tree, null);
      loopDepth--;
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
  }

  /**
   * Wraps {@code held[0..k)} in {@code try { … } finally { <release> }}, replacing the release
   * statement {@code held[k]}; {@code null} when a variable declared there is used after the
   * release (the {@code try} block would scope it) or the code holds a text block.
   */
  private static @Nullable SuggestedFix wrapFix(
      List<? extends StatementTree> held, int k, VisitorState state) {
    Set<Symbol> declared = new HashSet<>();
    for (StatementTree statement : held.subList(0, k)) {
      if (statement instanceof VariableTree variable) {
        Symbol sym = ASTHelpers.getSymbol(variable);
        if (sym == null) {
          return null;
        }
        declared.add(sym);
      }
    }
    if (!declared.isEmpty() && usesAny(held.subList(k + 1, held.size()), declared)) {
      return null;
    }
    CharSequence source = state.getSourceCode();
    int start = ASTHelpers.getStartPosition(held.get(0));
    int end = state.getEndPosition(held.get(k - 1));
    int releaseEnd = state.getEndPosition(held.get(k));
    if (source == null || start < 0 || end < 0 || releaseEnd < 0) {
      return null;
    }
    String work = source.subSequence(start, end).toString();
    if (work.contains("\"\"\"")) {
      return null;
    }
    String indent = Trees.indentOf(source, start);
    String release = state.getSourceForNode(held.get(k));
    String replacement =
        "try {\n"
            + indent
            + "  "
            + work.replace("\n", "\n  ")
            + "\n"
            + indent
            + "} finally {\n"
            + indent
            + "  "
            + release
            + "\n"
            + indent
            + "}";
    return SuggestedFix.replace(start, releaseEnd, replacement);
  }

  private static boolean usesAny(List<? extends StatementTree> statements, Set<Symbol> symbols) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        found[0] |= symbols.contains(ASTHelpers.getSymbol(tree));
        return null;
      }
    }.scan(statements, null);
    return found[0];
  }
}
