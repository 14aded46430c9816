package dev.tether.checker.utils;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Answers "where is this variable declared?" from the code around a path: a field among the members
 * of its class, a local variable (or parameter) in the innermost method or class body.
 */
public final class Declarations {
  private Declarations() {}

  /**
   * The declaration of {@code var} as seen from {@code path}: a field among the members of its
   * class (when that class encloses {@code path}); a local variable, parameter or resource in the
   * innermost method (or class body, for initializers and lambdas in field initializers) around
   * {@code path}. Scans at most that method; {@code null} when it is declared elsewhere.
   */
  public static @Nullable VariableTree of(VarSymbol var, TreePath path) {
    boolean field = var.getKind() == ElementKind.FIELD;
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (field) {
        if (leaf instanceof ClassTree cls && ASTHelpers.getSymbol(cls) == var.owner) {
          for (Tree member : cls.getMembers()) {
            if (member instanceof VariableTree declaration
                && ASTHelpers.getSymbol(declaration) == var) {
              return declaration;
            }
          }
          return null;
        }
      } else if (leaf instanceof MethodTree || leaf instanceof ClassTree) {
        return in(leaf, var);
      }
    }
    return null;
  }

  /**
   * The declaration of {@code var} inside {@code tree}, nested lambdas and classes included; {@code
   * null} when there is none. Stops at the first match.
   */
  public static @Nullable VariableTree in(@Nullable Tree tree, VarSymbol var) {
    VariableTree[] found = new VariableTree[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(@Nullable Tree node, @Nullable Void unused) {
        return found[0] == null ? super.scan(node, null) : null;
      }

      @Override
      public Void visitVariable(VariableTree node, @Nullable Void unused) {
        if (ASTHelpers.getSymbol(node) == var) {
          found[0] = node;
          return null;
        }
        return super.visitVariable(node, null);
      }
    }.scan(tree, null);
    return found[0];
  }
}
