package dev.tether.checker.utils;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * "Does this code contain X?" for the code that runs where it stands: nested lambdas and classes
 * are not entered (their code runs elsewhere, later, or not at all), and the scan stops at the
 * first hit.
 */
public final class BodyScan {
  private BodyScan() {}

  /**
   * Whether {@code tree} holds, outside nested lambdas and classes, a node of one of {@code kinds}.
   */
  public static boolean containsKind(@Nullable Tree tree, Set<Tree.Kind> kinds) {
    return tree != null && new KindFinder(kinds).find(tree);
  }

  /**
   * Whether one of {@code trees} holds, outside nested lambdas and classes, a node of {@code
   * kinds}.
   */
  public static boolean containsKind(Iterable<? extends Tree> trees, Set<Tree.Kind> kinds) {
    KindFinder finder = new KindFinder(kinds);
    for (Tree tree : trees) {
      if (finder.find(tree)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A {@link StoppingScanner} for the code that runs where it stands: it does not enter nested
   * lambdas and classes (override {@code visitLambdaExpression} or {@code visitClass} to do
   * otherwise).
   */
  public abstract static class Scanner extends StoppingScanner {
    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, @Nullable Void unused) {
      return null; // runs elsewhere, later, or not at all
    }

    @Override
    public Void visitClass(ClassTree tree, @Nullable Void unused) {
      return null;
    }
  }

  /**
   * A {@link TreePathScanner} for the code that runs where it stands, for scans that need the path
   * of what they find: it does not enter nested lambdas and classes (override {@code
   * visitLambdaExpression} or {@code visitClass} to do otherwise).
   */
  public abstract static class PathScanner extends TreePathScanner<Void, Void> {
    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, @Nullable Void unused) {
      return null; // runs elsewhere, later, or not at all
    }

    @Override
    public Void visitClass(ClassTree tree, @Nullable Void unused) {
      return null;
    }
  }

  /**
   * A scan of the code that runs where it stands (no nested lambdas and classes) that passes each
   * node the number of {@code while}, {@code do} and {@code for} loops around it (0 at the start; a
   * loop's condition and body count it), tells a subclass of each such loop before its parts
   * ({@link #enterLoop}), and that a subclass can stop.
   */
  public abstract static class LoopScanner extends TreeScanner<Void, Integer> {
    private boolean stopped;

    /** Ends the scan: no node is visited after this call. */
    protected final void stop() {
      stopped = true;
    }

    /** Scans {@code tree} from loop depth 0 and says whether the scan was stopped. */
    public final boolean finds(@Nullable Tree tree) {
      scan(tree, 0);
      return stopped;
    }

    /** Called for each loop, with its condition ({@code null} for {@code for (;;)}). */
    protected void enterLoop(Tree loop, @Nullable ExpressionTree condition) {}

    @Override
    public Void scan(@Nullable Tree tree, Integer loops) {
      return stopped ? null : super.scan(tree, loops);
    }

    @Override
    public Void visitWhileLoop(WhileLoopTree loop, Integer loops) {
      enterLoop(loop, loop.getCondition());
      return super.visitWhileLoop(loop, loops + 1);
    }

    @Override
    public Void visitDoWhileLoop(DoWhileLoopTree loop, Integer loops) {
      enterLoop(loop, loop.getCondition());
      return super.visitDoWhileLoop(loop, loops + 1);
    }

    @Override
    public Void visitForLoop(ForLoopTree loop, Integer loops) {
      enterLoop(loop, loop.getCondition());
      return super.visitForLoop(loop, loops + 1);
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Integer loops) {
      return null; // runs elsewhere, later, or not at all
    }

    @Override
    public Void visitClass(ClassTree tree, Integer loops) {
      return null;
    }
  }

  private static final class KindFinder extends TreeScanner<Void, Void> {
    private final Set<Tree.Kind> kinds;
    private boolean found;

    KindFinder(Set<Tree.Kind> kinds) {
      this.kinds = kinds;
    }

    boolean find(Tree tree) {
      scan(tree, null);
      return found;
    }

    @Override
    public Void scan(@Nullable Tree tree, @Nullable Void unused) {
      if (found || tree == null) {
        return null;
      }
      if (kinds.contains(tree.getKind())) {
        found = true;
        return null;
      }
      if (tree instanceof LambdaExpressionTree || tree instanceof ClassTree) {
        return null;
      }
      return super.scan(tree, null);
    }
  }
}
