package dev.tether.checker.utils;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * Answers "which values can this variable hold?": every expression ever assigned to a {@code
 * private} field (its initializer and every {@code =} in its top-level class) or to a local
 * variable (in its method), so that a check can see through a declaration made with an interface
 * type ({@code private final Map<K, V> m = new ConcurrentHashMap<>();}).
 */
public final class AssignedValues {
  private AssignedValues() {}

  /**
   * Every value assigned to {@code var}, in source order, when all of them are in sight: {@code
   * var} is a {@code private} field of a class around {@code state.getPath()}, or a local variable
   * or resource declared in the method around it. Empty when a value may come from elsewhere (a
   * non-private field, a parameter, a compound assignment such as {@code +=}, {@code ++}) or when
   * nothing is ever assigned.
   */
  public static Optional<ImmutableList<ExpressionTree>> of(VarSymbol var, VisitorState state) {
    Tree scope = scope(var, state.getPath());
    return scope == null ? Optional.empty() : valuesIn(var, scope);
  }

  /**
   * Every value assigned to the {@code private} field {@code field} in {@code topLevelClass}, the
   * top-level class that declares it (read from another file of the compilation, or from the one at
   * hand), as {@link #of}; empty when {@code field} is not private or a value may come from
   * elsewhere.
   */
  public static Optional<ImmutableList<ExpressionTree>> ofField(
      VarSymbol field, ClassTree topLevelClass) {
    return field.getKind() == ElementKind.FIELD && field.getModifiers().contains(Modifier.PRIVATE)
        ? valuesIn(field, topLevelClass)
        : Optional.empty();
  }

  /**
   * Every value assigned to {@code var} in {@code tree} (its initializer, if declared there, and
   * every {@code =}), whatever the variable's visibility: the caller decides which trees hold every
   * assignment. Empty when none is, or when a compound assignment or {@code ++} changes it there.
   */
  public static Optional<ImmutableList<ExpressionTree>> assignedIn(VarSymbol var, Tree tree) {
    return valuesIn(var, tree);
  }

  /**
   * Whether the {@code private} field {@code field}, of a class around {@code state.getPath()}, is
   * assigned only while its object (or, for a static field, its class) is made: in a constructor of
   * the class that declares it, in an initializer block of that class, or by its own initializer —
   * not in a lambda or class inside them, and never by {@code +=} or {@code ++}. Such a field holds
   * one value for the object's whole life once constructed, as a {@code final} field does (without
   * its publication guarantee, JLS §17.5).
   */
  public static boolean onlyInConstructors(VarSymbol field, VisitorState state) {
    if ((field.flags() & Flags.FINAL) != 0) {
      return true;
    }
    TreePath top = Trees.topLevelClass(state.getPath());
    if (field.getKind() != ElementKind.FIELD
        || scope(field, state.getPath()) == null
        || top == null) {
      return false; // not a private field of a class in sight
    }
    boolean[] elsewhere = new boolean[1];
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return elsewhere[0] ? null : super.scan(tree, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree tree, Void unused) {
        if (ASTHelpers.getSymbol(ASTHelpers.stripParentheses(tree.getVariable())) == field) {
          elsewhere[0] |= !whileMade(getCurrentPath());
        }
        return super.visitAssignment(tree, null);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
        elsewhere[0] |=
            ASTHelpers.getSymbol(ASTHelpers.stripParentheses(tree.getVariable())) == field;
        return super.visitCompoundAssignment(tree, null);
      }

      @Override
      public Void visitUnary(UnaryTree tree, Void unused) {
        elsewhere[0] |=
            ASTHelpers.getSymbol(ASTHelpers.stripParentheses(tree.getExpression())) == field;
        return super.visitUnary(tree, null);
      }

      // Whether the assignment at path runs while the field's owner is made.
      private boolean whileMade(TreePath path) {
        for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
          Tree leaf = p.getLeaf();
          if (leaf instanceof MethodTree method) {
            MethodSymbol sym = ASTHelpers.getSymbol(method);
            return sym != null
                && sym.isConstructor()
                && sym.owner == field.owner
                && !ASTHelpers.isStatic(field);
          }
          if (leaf instanceof LambdaExpressionTree) {
            return false;
          }
          if (leaf instanceof ClassTree cls) {
            return ASTHelpers.getSymbol(cls) == field.owner; // an initializer block
          }
        }
        return false;
      }
    }.scan(top, null); // a private field is assigned only inside its top-level class
    return !elsewhere[0];
  }

  private static Optional<ImmutableList<ExpressionTree>> valuesIn(VarSymbol var, Tree scope) {
    List<ExpressionTree> values = new ArrayList<>();
    boolean unknown =
        new StoppingScanner() {
          @Override
          public Void visitVariable(VariableTree tree, Void unused) {
            if (tree.getInitializer() != null && ASTHelpers.getSymbol(tree) == var) {
              values.add(tree.getInitializer());
            }
            return super.visitVariable(tree, null);
          }

          @Override
          public Void visitAssignment(AssignmentTree tree, Void unused) {
            if (ASTHelpers.getSymbol(ASTHelpers.stripParentheses(tree.getVariable())) == var) {
              values.add(tree.getExpression());
            }
            return super.visitAssignment(tree, null);
          }

          @Override
          public Void visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
            if (ASTHelpers.getSymbol(ASTHelpers.stripParentheses(tree.getVariable())) == var) {
              stop();
            }
            return super.visitCompoundAssignment(tree, null);
          }

          @Override
          public Void visitUnary(UnaryTree tree, Void unused) {
            if (ASTHelpers.getSymbol(ASTHelpers.stripParentheses(tree.getExpression())) == var) {
              stop();
            }
            return super.visitUnary(tree, null);
          }
        }.finds(scope);
    return unknown || values.isEmpty()
        ? Optional.empty()
        : Optional.of(ImmutableList.copyOf(values));
  }

  /**
   * The tree that holds every assignment to {@code var}: the top-level class around a private field
   * of a class on the path, the method or initializer around a local (a local of an enclosing
   * method, seen from a local or anonymous class, is not in sight).
   */
  private static @Nullable Tree scope(VarSymbol var, @Nullable TreePath path) {
    if (var.getKind() == ElementKind.FIELD) {
      if (!var.getModifiers().contains(Modifier.PRIVATE)) {
        return null;
      }
      ClassTree outermost = null;
      boolean ownerSeen = false;
      for (TreePath p = path; p != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof ClassTree cls) {
          outermost = cls;
          ownerSeen |= ASTHelpers.getSymbol(cls) == var.owner;
        }
      }
      return ownerSeen ? outermost : null;
    }
    if (var.getKind() != ElementKind.LOCAL_VARIABLE
        && var.getKind() != ElementKind.RESOURCE_VARIABLE) {
      return null;
    }
    Tree child = null;
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree) {
        return leaf;
      }
      if (leaf instanceof ClassTree) {
        return child instanceof BlockTree ? child : null; // an initializer, or a field's lambda
      }
      child = leaf;
    }
    return null;
  }
}
