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
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.tether.checker.utils.ConcurrentCode;
import dev.tether.checker.utils.Trees;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags {@code cancel(true)} on a {@code CompletableFuture}. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Do not expect CompletableFuture.cancel(true) to interrupt the running task",
    link = BUGPATTERN + "CancelDoesNotInterrupt.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class CancelDoesNotInterrupt extends BugChecker
    implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String MESSAGE =
      "CompletableFuture ignores mayInterruptIfRunning, so cancel(true) only completes the future"
          + " and the task keeps running: to make the work stoppable, submit it to an executor and"
          + " cancel the Future that submit returns, or run it in a Tether TaskGroup and let it"
          + " check its CancelScope";

  private static final Matcher<ExpressionTree> FUTURE_CANCEL =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.Future")
          .named("cancel")
          .withParameters("boolean");

  private static final Supplier<Type> COMPLETABLE_FUTURE =
      Suppliers.typeFromString("java.util.concurrent.CompletableFuture");

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    // Cheap tests first: one argument, the constant true; only then the type-based matcher.
    if (tree.getArguments().size() != 1
        || !Boolean.TRUE.equals(ASTHelpers.constValue(tree.getArguments().get(0)))
        || !FUTURE_CANCEL.matches(tree, state)) {
      return NO_MATCH;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (receiver == null
        || (receiver instanceof IdentifierTree id
            && (id.getName().contentEquals("super") || id.getName().contentEquals("this")))) {
      return NO_MATCH; // cancel(true) inside a Future implementation: its own business
    }
    Type type = ASTHelpers.getType(receiver);
    if (!isPlainCompletableFuture(type, state)) {
      Type initializer = initializerType(receiver, state);
      if (initializer == null || !isPlainCompletableFuture(initializer, state)) {
        return NO_MATCH;
      }
    }
    if (isPromise(receiver, state)) {
      return NO_MATCH;
    }
    return buildDescription(tree).setMessage(MESSAGE).build();
  }

  /**
   * Whether {@code receiver} names a promise: a local or field only ever assigned {@code new
   * CompletableFuture<>()}, and completed by no task handed to another thread. No task runs behind
   * it, so there is nothing that {@code cancel(true)} could have interrupted.
   */
  private static boolean isPromise(ExpressionTree receiver, VisitorState state) {
    ExpressionTree e = ASTHelpers.stripParentheses(receiver);
    if (!(e instanceof IdentifierTree || e instanceof MemberSelectTree)
        || !(ASTHelpers.getSymbol(e) instanceof VarSymbol var)
        || (var.getKind() != ElementKind.FIELD && var.getKind() != ElementKind.LOCAL_VARIABLE)) {
      return false;
    }
    TreePath scope = null;
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (var.getKind() == ElementKind.LOCAL_VARIABLE
          ? leaf instanceof MethodTree || leaf instanceof LambdaExpressionTree
          : leaf instanceof ClassTree) {
        scope = p; // the outermost method or lambda for a local, the top-level class for a field
      }
    }
    if (scope == null) {
      return false;
    }
    PromiseUses uses = new PromiseUses(var, state);
    uses.scan(scope, null);
    return uses.created && !uses.other;
  }

  /** How one scan of the variable's scope sees it assigned and completed. */
  private static final class PromiseUses extends TreePathScanner<Void, Void> {
    private final VarSymbol var;
    private final VisitorState state;
    private boolean created;
    private boolean other;

    PromiseUses(VarSymbol var, VisitorState state) {
      this.var = var;
      this.state = state;
    }

    @Override
    public Void visitVariable(VariableTree tree, Void unused) {
      if (var.equals(ASTHelpers.getSymbol(tree)) && tree.getInitializer() != null) {
        assigned(tree.getInitializer());
      }
      return super.visitVariable(tree, null);
    }

    @Override
    public Void visitAssignment(AssignmentTree tree, Void unused) {
      if (var.equals(ASTHelpers.getSymbol(tree.getVariable()))) {
        assigned(tree.getExpression());
      }
      return super.visitAssignment(tree, null);
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      String name = Trees.calledName(tree);
      ExpressionTree target = ASTHelpers.getReceiver(tree);
      if ((name.equals("complete") || name.equals("completeExceptionally"))
          && target != null
          && var.equals(ASTHelpers.getSymbol(target))
          && ConcurrentCode.enclosing(getCurrentPath(), state).isPresent()) {
        other = true; // completed by a task on another thread: that task is what runs behind it
      }
      return super.visitMethodInvocation(tree, null);
    }

    private void assigned(ExpressionTree value) {
      ExpressionTree v = ASTHelpers.stripParentheses(value);
      Type completable = COMPLETABLE_FUTURE.get(state);
      if (v instanceof NewClassTree newClass
          && newClass.getClassBody() == null
          && completable != null
          && ASTHelpers.getType(v) != null
          && state
              .getTypes()
              .isSameType(
                  state.getTypes().erasure(ASTHelpers.getType(v)),
                  state.getTypes().erasure(completable))) {
        created = true;
      } else {
        other = true;
      }
    }
  }

  /**
   * Whether {@code type} is {@code CompletableFuture} or a subtype that keeps its {@code cancel}: a
   * subclass that overrides {@code cancel(boolean)} may well interrupt.
   */
  private static boolean isPlainCompletableFuture(@Nullable Type type, VisitorState state) {
    Type completable = COMPLETABLE_FUTURE.get(state);
    if (type == null
        || completable == null
        || type.getKind() == TypeKind.ERROR
        || !ASTHelpers.isSubtype(type, completable, state)) {
      return false;
    }
    Type erased = state.getTypes().erasure(completable);
    for (Type t = type; t != null && t.getKind() == TypeKind.DECLARED; ) {
      if (state.getTypes().isSameType(state.getTypes().erasure(t), erased)) {
        return true;
      }
      if (t.tsym instanceof ClassSymbol cls && overridesCancel(cls)) {
        return false;
      }
      t = state.getTypes().supertype(t);
    }
    return type.getKind() == TypeKind.TYPEVAR; // bounded by CompletableFuture
  }

  private static boolean overridesCancel(ClassSymbol cls) {
    for (Symbol member : ASTHelpers.getEnclosedElements(cls)) {
      if (member.getKind() == ElementKind.METHOD
          && member.getSimpleName().contentEquals("cancel")
          && member.type != null
          && member.type.getParameterTypes().size() == 1) {
        return true;
      }
    }
    return false;
  }

  /**
   * The type of the initializer of the effectively final local, or final field, that {@code
   * receiver} names (declared as a {@code Future}, initialized with a {@code CompletableFuture});
   * {@code null} when unknown. Looks only at the statements before the use in the enclosing blocks
   * and at the members of the enclosing classes.
   */
  private static @Nullable Type initializerType(ExpressionTree receiver, VisitorState state) {
    ExpressionTree e = ASTHelpers.stripParentheses(receiver);
    if (!(e instanceof IdentifierTree || e instanceof MemberSelectTree)
        || !(ASTHelpers.getSymbol(e) instanceof VarSymbol var)) {
      return null;
    }
    boolean field = var.getKind() == ElementKind.FIELD;
    if (field ? (var.flags() & Flags.FINAL) == 0 : !isEffectivelyFinalLocal(var)) {
      return null;
    }
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      Iterable<? extends Tree> candidates =
          leaf instanceof BlockTree block && !field
              ? block.getStatements()
              : leaf instanceof ClassTree cls && field ? cls.getMembers() : null;
      if (candidates == null) {
        continue;
      }
      for (Tree candidate : candidates) {
        if (candidate instanceof VariableTree decl
            && ASTHelpers.getSymbol(decl) == var
            && decl.getInitializer() != null) {
          return ASTHelpers.getType(decl.getInitializer());
        }
      }
    }
    return null;
  }

  private static boolean isEffectivelyFinalLocal(VarSymbol var) {
    return var.getKind() == ElementKind.LOCAL_VARIABLE && ASTHelpers.isConsideredFinal(var);
  }
}
