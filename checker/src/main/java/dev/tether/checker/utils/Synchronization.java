package dev.tether.checker.utils;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * Answers "is this code inside a critical section?" for the shared-state checks: a {@code
 * synchronized} block or method, or a region of a {@code Lock} ({@code lock()} … {@code finally
 * unlock()}).
 */
public final class Synchronization {
  private Synchronization() {}

  /**
   * Whether the code at {@code path} holds a lock: it is inside a {@code synchronized} block, a
   * {@code synchronized} method, the {@code try} block of a {@code try} whose {@code finally}
   * unlocks, or follows a {@code lock()} call in the same block. The walk stops at {@code stop}
   * (exclusive), at a method and at a class.
   */
  public static boolean isGuarded(TreePath path, @Nullable Tree stop) {
    Tree child = null;
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf == stop || leaf instanceof ClassTree) {
        return false;
      }
      if (leaf instanceof SynchronizedTree sync && sync.getBlock() == child) {
        return true;
      }
      if (leaf instanceof MethodTree method) {
        return method.getModifiers().getFlags().contains(Modifier.SYNCHRONIZED);
      }
      if (leaf instanceof TryTree tryTree
          && tryTree.getBlock() == child
          && tryTree.getFinallyBlock() != null
          && callsNamed(tryTree.getFinallyBlock(), "unlock")) {
        return true;
      }
      if (leaf instanceof BlockTree block
          && child instanceof StatementTree
          && locksBefore(block, child)) {
        return true;
      }
      child = leaf;
    }
    return false;
  }

  /** Whether a statement before {@code child} in {@code block} calls {@code lock()}. */
  private static boolean locksBefore(BlockTree block, Tree child) {
    for (StatementTree statement : block.getStatements()) {
      if (statement == child) {
        return false;
      }
      if (statement instanceof ExpressionStatementTree expression
          && expression.getExpression() instanceof MethodInvocationTree call
          && isNamed(call, "lock", "lockInterruptibly")) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code tree} contains a call of a method whose name starts with {@code prefix}. */
  public static boolean callsNamed(Tree tree, String prefix) {
    return Trees.containsCall(
        tree,
        call -> {
          Symbol sym = ASTHelpers.getSymbol(call);
          return sym != null && sym.getSimpleName().toString().startsWith(prefix);
        });
  }

  private static boolean isNamed(MethodInvocationTree call, String... names) {
    Symbol sym = ASTHelpers.getSymbol(call);
    if (sym == null) {
      return false;
    }
    for (String name : names) {
      if (sym.getSimpleName().contentEquals(name)) {
        return true;
      }
    }
    return false;
  }
}
