package dev.tether.checker.utils;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import org.jspecify.annotations.Nullable;

/**
 * Answers "do these two expressions name the same variable?" for the receivers of a semaphore's or
 * an executor's calls: {@code sem} and {@code this.sem}, {@code a.sem} and {@code a.sem}.
 */
public final class SameVariable {
  private SameVariable() {}

  /**
   * Whether {@code a} and {@code b} are identifiers or field accesses that name the same variable
   * through the same chain of variables ({@code this.} and class qualifiers are ignored). Method
   * calls and anything that does not resolve never match.
   */
  public static boolean of(@Nullable ExpressionTree a, @Nullable ExpressionTree b) {
    if (a == null || b == null) {
      return false;
    }
    a = ASTHelpers.stripParentheses(a);
    b = ASTHelpers.stripParentheses(b);
    if (!isName(a) || !isName(b)) {
      return false;
    }
    Symbol sa = ASTHelpers.getSymbol(a);
    Symbol sb = ASTHelpers.getSymbol(b);
    if (!(sa instanceof VarSymbol) || !sa.equals(sb)) {
      return false;
    }
    ExpressionTree qa = qualifier(a);
    ExpressionTree qb = qualifier(b);
    if (qa == null || qb == null) {
      return qa == qb;
    }
    return of(qa, qb);
  }

  /** The symbol of the variable that {@code tree} names, or {@code null}. */
  public static @Nullable VarSymbol variable(@Nullable ExpressionTree tree) {
    if (tree == null) {
      return null;
    }
    ExpressionTree e = ASTHelpers.stripParentheses(tree);
    return isName(e) && ASTHelpers.getSymbol(e) instanceof VarSymbol var ? var : null;
  }

  private static boolean isName(ExpressionTree e) {
    return e instanceof IdentifierTree || e instanceof MemberSelectTree;
  }

  /** The variable that qualifies a field access; {@code null} for {@code this.x}, {@code C.x}. */
  private static @Nullable ExpressionTree qualifier(ExpressionTree e) {
    if (!(e instanceof MemberSelectTree select)) {
      return null;
    }
    ExpressionTree q = ASTHelpers.stripParentheses(select.getExpression());
    Symbol sym = isName(q) ? ASTHelpers.getSymbol(q) : null;
    if (sym instanceof VarSymbol var) {
      return var.getSimpleName().contentEquals("this") ? null : q;
    }
    if (isName(q)) {
      return null; // super, a class name, a package-qualified class name
    }
    return q; // a method call or another expression: compared, and never matches
  }
}
