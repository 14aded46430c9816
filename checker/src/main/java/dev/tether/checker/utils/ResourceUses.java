package dev.tether.checker.utils;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Answers "is this local resource released, or handed to someone who will release it?" for the
 * checks that follow a local executor, timer or scope through its scope ({@code
 * ExecutorNeverShutDown}, {@code LeakedScope}), in one scan that stops at the first answer.
 *
 * <p>A use releases the resource when it is the resource of a {@code try}, or calls (or refers to)
 * one of the release methods on it. A call of another method on it keeps it here, unless it sits in
 * a lambda or class body that may run after the method returned (anything but a lambda that a
 * {@code forEach} runs at once): then it escapes. What any other use means (an argument, a stored
 * or returned value) is the check's to say ({@link #escapesThrough}).
 */
public abstract class ResourceUses extends TreePathScanner<Void, Void> {
  /** Methods whose lambda argument runs before they return, on the calling thread. */
  private static final Set<String> RUNS_NOW = Set.of("forEach", "forEachOrdered");

  private final VarSymbol resource;
  private final Tree root;
  private final Set<String> release;
  private boolean released;
  private boolean escapes;

  /**
   * Follows {@code resource} through {@code root} (the code of its scope); {@code release} names
   * the methods that release it ({@code close}, {@code shutdown}).
   */
  protected ResourceUses(VarSymbol resource, Tree root, Set<String> release) {
    this.resource = resource;
    this.root = root;
    this.release = release;
  }

  /** Scans {@code scope}; true when the resource is released there or handed over. */
  public final boolean releasedOrHandedOver(TreePath scope) {
    scan(scope, null);
    return released || escapes;
  }

  /**
   * What a use that is neither a release nor a call on the resource does with it ({@code use} is
   * the path of the identifier): true when it hands the resource over (stores, returns or passes it
   * on).
   */
  protected abstract boolean escapesThrough(TreePath use);

  /**
   * Whether a bound method reference to a method that does not release the resource ({@code
   * executor::execute} at {@code reference}) hands it over; by default, yes: it may be kept.
   */
  protected boolean escapesThroughReference(TreePath reference) {
    return true;
  }

  /** Told of every call of a method named {@code name} on the resource (not a release). */
  protected void calledOn(String name) {}

  @Override
  public final Void scan(@Nullable Tree tree, @Nullable Void unused) {
    return released || escapes ? null : super.scan(tree, null);
  }

  @Override
  public final Void visitIdentifier(IdentifierTree tree, @Nullable Void unused) {
    if (resource.equals(ASTHelpers.getSymbol(tree))) {
      classify(getCurrentPath());
    }
    return null;
  }

  private void classify(TreePath path) {
    TreePath parent = path.getParentPath();
    Tree parentLeaf = parent == null ? null : parent.getLeaf();
    if (parentLeaf instanceof TryTree) {
      released = true; // try (resource) { … }
      return;
    }
    if (parent != null && parentLeaf instanceof MemberReferenceTree reference) {
      if (release.contains(reference.getName().toString())) {
        released = true;
      } else if (escapesThroughReference(parent)) {
        escapes = true;
      }
      return;
    }
    String called = Trees.calledOn(path);
    if (called != null && release.contains(called)) {
      released = true;
      return;
    }
    if (called == null) {
      if (escapesThrough(path)) {
        escapes = true;
      }
      return;
    }
    calledOn(called);
    if (isCaptured(path)) {
      escapes = true;
    }
  }

  /**
   * Whether the use at {@code path} sits in a lambda or class body that may run later, after the
   * method returned: anything but a lambda that a {@code forEach} runs at once.
   */
  protected final boolean isCaptured(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof ClassTree) {
        return true;
      }
      if (leaf instanceof LambdaExpressionTree && !runsNow(p)) {
        return true;
      }
      if (leaf == root) {
        return false;
      }
    }
    return false;
  }

  /**
   * Whether the lambda or method reference at {@code path} is an argument that a {@code forEach}
   * runs at once, on the calling thread.
   */
  public static boolean runsNow(TreePath path) {
    TreePath parent = path.getParentPath();
    if (parent == null || !(parent.getLeaf() instanceof MethodInvocationTree call)) {
      return false;
    }
    Symbol method = ASTHelpers.getSymbol(call.getMethodSelect());
    return method != null && RUNS_NOW.contains(method.getSimpleName().toString());
  }
}
