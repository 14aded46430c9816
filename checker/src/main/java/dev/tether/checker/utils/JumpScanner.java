package dev.tether.checker.utils;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreeScanner;
import org.jspecify.annotations.Nullable;

/**
 * A scan for the jumps out of a piece of code ({@code break}, {@code continue}, {@code return},
 * {@code throw}) that runs where it stands: nested lambdas and classes are skipped, and the scan
 * knows how many loops and switch statements inside the scanned code enclose the current node
 * ({@link #breakTargets}), so that an unlabelled {@code break} at zero leaves the scanned code.
 * Subclasses say what a jump means by overriding {@code visitBreak}, {@code visitReturn}, ….
 */
public abstract class JumpScanner extends TreeScanner<Void, Void> {
  private int breakTargets;

  /**
   * How many loops and switch statements inside the scanned code enclose the current node: an
   * unlabelled {@code break} (or {@code continue}, counting switches too) ends one of them when
   * this is above zero.
   */
  protected final int breakTargets() {
    return breakTargets;
  }

  @Override
  public final Void visitWhileLoop(WhileLoopTree tree, @Nullable Void unused) {
    breakTargets++;
    super.visitWhileLoop(tree, null);
    breakTargets--;
    return null;
  }

  @Override
  public final Void visitDoWhileLoop(DoWhileLoopTree tree, @Nullable Void unused) {
    breakTargets++;
    super.visitDoWhileLoop(tree, null);
    breakTargets--;
    return null;
  }

  @Override
  public final Void visitForLoop(ForLoopTree tree, @Nullable Void unused) {
    breakTargets++;
    super.visitForLoop(tree, null);
    breakTargets--;
    return null;
  }

  @Override
  public final Void visitEnhancedForLoop(EnhancedForLoopTree tree, @Nullable Void unused) {
    breakTargets++;
    super.visitEnhancedForLoop(tree, null);
    breakTargets--;
    return null;
  }

  @Override
  public final Void visitSwitch(SwitchTree tree, @Nullable Void unused) {
    breakTargets++; // a break inside a switch statement stays inside it
    super.visitSwitch(tree, null);
    breakTargets--;
    return null;
  }

  @Override
  public final Void visitLambdaExpression(LambdaExpressionTree tree, @Nullable Void unused) {
    return null; // runs elsewhere, later, or not at all
  }

  @Override
  public final Void visitClass(ClassTree tree, @Nullable Void unused) {
    return null;
  }
}
