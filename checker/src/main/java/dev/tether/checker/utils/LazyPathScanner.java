package dev.tether.checker.utils;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TreeScanner} that knows the path to the node it visits, like {@link
 * com.sun.source.util.TreePathScanner}, but makes {@link TreePath} objects only when {@link
 * #getCurrentPath} is asked for: a stack of the trees above the current node, and the paths already
 * made for them, shared by every path asked for below them. A scan that keeps the paths of a few
 * nodes (the calls of some methods, the writes of some fields) then allocates for those, not one
 * {@code TreePath} for every node of a whole class as {@code TreePathScanner} does.
 *
 * <p>Start it with {@link #scan(TreePath, Object)}; a subclass may {@link #stop()} it early. Like
 * {@code TreePathScanner}, one instance scans on one thread at a time.
 */
public abstract class LazyPathScanner<R, P> extends TreeScanner<R, P> {
  private Tree[] trees = new Tree[64];
  private @Nullable TreePath[] paths = new TreePath[64];
  private int depth;
  private boolean stopped;

  /** Ends the scan: no node is visited after this call (for "does this code contain X?"). */
  protected final void stop() {
    stopped = true;
  }

  /** Scans the tree at {@code path}, whose parents are the paths of the nodes above it. */
  public R scan(TreePath path, P p) {
    int saved = depth;
    push(path.getLeaf());
    paths[depth - 1] = path;
    try {
      return path.getLeaf().accept(this, p);
    } finally {
      pop(saved);
    }
  }

  @Override
  public R scan(Tree tree, P p) {
    if (tree == null || stopped) {
      return null;
    }
    int saved = depth;
    push(tree);
    try {
      return tree.accept(this, p);
    } finally {
      pop(saved);
    }
  }

  /** The path of the node being visited (made now for the levels that have none yet). */
  public TreePath getCurrentPath() {
    int built = depth - 1;
    while (built >= 0 && paths[built] == null) {
      built--;
    }
    TreePath path = built >= 0 ? paths[built] : null;
    for (int i = built + 1; i < depth; i++) {
      path =
          path == null
              ? new TreePath((CompilationUnitTree) trees[i]) // only a scan started below a root
              : new TreePath(path, trees[i]);
      paths[i] = path;
    }
    if (path == null) {
      throw new IllegalStateException("not scanning");
    }
    return path;
  }

  private void push(Tree tree) {
    if (depth == trees.length) {
      trees = Arrays.copyOf(trees, depth * 2);
      paths = Arrays.copyOf(paths, depth * 2);
    }
    trees[depth] = tree;
    paths[depth] = null;
    depth++;
  }

  private void pop(int saved) {
    while (depth > saved) {
      depth--;
      trees[depth] = null;
      paths[depth] = null;
    }
  }
}
