package dev.tether.checker.utils;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * A scan of a piece of code (a {@code try} block, say) for the calls that can throw a checked
 * exception out of it: calls and constructors whose method declares the exception. The scan covers
 * the code that runs where it stands: nested lambdas and classes (anonymous class bodies too) are
 * not entered; an inner {@code try} with a catch clause that names the exception, a subtype or a
 * supertype of it handles what its block (and its resources) throw, so only its catch blocks and
 * {@code finally} are scanned. Each such call goes to {@link #accept}: by default it ends the scan,
 * and {@link #found()} says whether one was met. Subclasses may count other ways out ({@code throw}
 * statements, say) through {@link #markFound()}.
 */
public class ThrowScanner extends TreePathScanner<Void, Void> {
  private final @Nullable Type exception;
  private final boolean orSupertype;
  private final VisitorState state;
  private boolean found;

  /**
   * A scan for {@code exception}: a method counts when its {@code throws} clause names that type,
   * or, with {@code orSupertype}, also a supertype of it ({@code Exception}, {@code Throwable}).
   */
  public ThrowScanner(@Nullable Type exception, boolean orSupertype, VisitorState state) {
    this.exception = exception;
    this.orSupertype = orSupertype;
    this.state = state;
  }

  /**
   * Whether the scan goes on past {@code call} (a method invocation or {@code new}, at {@link
   * #getCurrentPath()}), whose method may throw the exception, and into its receiver and arguments.
   * By default it does not: the call is found and the scan ends.
   */
  protected boolean accept(Tree call) {
    return false;
  }

  /** Whether the scan met a call that may throw the exception and that {@link #accept} refused. */
  public final boolean found() {
    return found;
  }

  @Override
  public Void visitMethodInvocation(MethodInvocationTree tree, @Nullable Void unused) {
    if (mayThrow(Symbols.calledMethod(tree)) && !accept(tree)) {
      markFound();
      return null;
    }
    return super.visitMethodInvocation(tree, null);
  }

  @Override
  public Void visitNewClass(NewClassTree tree, @Nullable Void unused) {
    if (mayThrow(Symbols.calledMethod(tree)) && !accept(tree)) {
      markFound();
      return null;
    }
    scan(tree.getEnclosingExpression(), null);
    scan(tree.getArguments(), null);
    return null; // an anonymous class body runs later, if at all
  }

  @Override
  public Void visitTry(TryTree tree, @Nullable Void unused) {
    scan(tree.getFinallyBlock(), null);
    for (CatchTree c : tree.getCatches()) {
      scan(c.getBlock(), null);
    }
    for (CatchTree c : tree.getCatches()) {
      if (catchesRelated(c)) {
        return null; // the inner try handles it
      }
    }
    scan(tree.getResources(), null);
    scan(tree.getBlock(), null);
    return null;
  }

  /** Records that a way out for the exception was found here, and ends the scan. */
  protected final void markFound() {
    found = true;
  }

  @Override
  public Void scan(@Nullable Tree tree, @Nullable Void unused) {
    // nested lambdas and classes run elsewhere, later, or not at all
    return found || tree instanceof LambdaExpressionTree || tree instanceof ClassTree
        ? null
        : super.scan(tree, null);
  }

  private boolean mayThrow(@Nullable MethodSymbol method) {
    return orSupertype
        ? declaresOrSupertype(method, exception, state)
        : declares(method, exception, state);
  }

  /** Whether the {@code throws} clause of {@code method} names {@code exception}. */
  public static boolean declares(
      @Nullable MethodSymbol method, @Nullable Type exception, VisitorState state) {
    if (method == null || exception == null) {
      return false;
    }
    for (Type thrown : method.getThrownTypes()) {
      if (ASTHelpers.isSameType(thrown, exception, state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the {@code throws} clause of {@code method} names {@code exception} or a supertype of
   * it ({@code Exception}, {@code Throwable}, read with its type arguments erased).
   */
  public static boolean declaresOrSupertype(
      @Nullable MethodSymbol method, @Nullable Type exception, VisitorState state) {
    if (method == null || exception == null) {
      return false;
    }
    for (Type thrown : method.getThrownTypes()) {
      if (ASTHelpers.isSubtype(exception, state.getTypes().erasure(thrown), state)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code clause} names the exception, a subtype or a supertype of it. */
  private boolean catchesRelated(CatchTree clause) {
    for (Tree alternative : Trees.caughtTypes(clause)) {
      Type caught = ASTHelpers.getType(alternative);
      if (caught != null
          && caught.getKind() != TypeKind.ERROR
          && (ASTHelpers.isSubtype(exception, caught, state)
              || ASTHelpers.isSubtype(caught, exception, state))) {
        return true;
      }
    }
    return false;
  }
}
