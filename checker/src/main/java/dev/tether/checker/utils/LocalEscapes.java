package dev.tether.checker.utils;

import com.google.common.collect.Sets;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.Set;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Answers "does this local variable escape this body?": is its value handed to code that may keep
 * it (passed to a method, stored, returned, captured by code that runs later), so that someone else
 * can see or own it?
 *
 * <p>The checks that ask differ in what counts, and say so with {@link Rules}: the {@link Way}s
 * that count, and which lambdas run in place (their code is the body's own). The differences follow
 * from the checks' questions:
 *
 * <ul>
 *   <li>{@code NonAtomicConcurrentMapUpdate} asks "can another thread see this local map while the
 *       method updates it?": a lambda or class that names the map may run on another thread at the
 *       same time ({@link Way#CAPTURED}), and a map the method did not create may be shared already
 *       ({@link Way#NOT_CREATED_HERE}); returning the map is no escape (the updates are over by
 *       then), and only a lambda known to run at once on this thread ({@code forEach} of a
 *       collection) runs in place.
 *   <li>{@code DetachedRequestWork} asks "does the handler hand this future or thread to someone
 *       who can wait for it?": returning it hands it to the caller (an async handler), and a lambda
 *       passed to any method that is not a hand-off runs in place, as the rest of that check reads
 *       the handler; a task or callback that merely names the future is not looked at (it is not
 *       the handler waiting, and the task itself is reported).
 * </ul>
 *
 * <p>One difference is only kept from before the checks shared this class: {@code
 * NonAtomicConcurrentMapUpdate} does not count {@link Way#ARRAY_ELEMENT} (a map put in an array
 * literal), which its own scan never looked at.
 *
 * <p>A use escapes by the parent it has (parentheses looked through); casts, conditional
 * expressions and {@code switch} results are not followed. Uses in nested code that does not run in
 * place are {@link Way#CAPTURED} when that way counts, and are not looked at otherwise.
 */
public final class LocalEscapes {
  /** How the value of a variable can leave the body. */
  public enum Way {
    /** Passed to a method or constructor: {@code use(x)}, {@code new Holder(x)}. */
    ARGUMENT,
    /** The value of a variable or an assignment: {@code Object y = x;}, {@code this.f = x}. */
    STORED,
    /** An element of an array initializer: {@code new Object[] {x}}, {@code Object[] a = {x};}. */
    ARRAY_ELEMENT,
    /**
     * Returned by a {@code return} statement of the body, or of a lambda that runs in place (the
     * value of an expression lambda, {@code () -> x}, is not followed).
     */
    RETURNED,
    /**
     * Named in nested code that does not run in place (a lambda the {@link Rules} do not run in
     * place, a local or anonymous class), or the receiver of a bound method reference ({@code
     * x::put}), which keeps it.
     */
    CAPTURED,
    /**
     * Declared in the body without being created there: no initializer, or one other than {@code
     * new …} without a class body (a parameter, declared outside the body, is not looked at).
     */
    NOT_CREATED_HERE,
  }

  /**
   * One check's rules.
   *
   * @param ways the ways that count as an escape
   * @param runsInPlace whether the lambda at this path runs in place: its code counts as the body's
   *     own (no {@link Way#CAPTURED})
   */
  public record Rules(Set<Way> ways, BiPredicate<TreePath, VisitorState> runsInPlace) {
    public Rules {
      ways = Sets.immutableEnumSet(ways);
    }
  }

  private LocalEscapes() {}

  /**
   * Whether {@code var} escapes {@code body} (the path of the code to look at, usually a method
   * body) by one of the ways of {@code rules}. Nested lambdas and classes are judged relative to
   * {@code body}. Stops at the first escape.
   */
  public static boolean escapes(VarSymbol var, TreePath body, Rules rules, VisitorState state) {
    Finder finder = new Finder(var, rules, state);
    finder.scan(body, null);
    return finder.found;
  }

  private static final class Finder extends TreePathScanner<Void, Void> {
    private final VarSymbol var;
    private final Rules rules;
    private final VisitorState state;

    /** How many lambdas and classes that do not run in place enclose the current node. */
    private int captured;

    private boolean found;

    Finder(VarSymbol var, Rules rules, VisitorState state) {
      this.var = var;
      this.rules = rules;
      this.state = state;
    }

    @Override
    public Void scan(@Nullable Tree tree, @Nullable Void unused) {
      return found ? null : super.scan(tree, null);
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, @Nullable Void unused) {
      if (captured > 0 || rules.runsInPlace().test(getCurrentPath(), state)) {
        return super.visitLambdaExpression(tree, null); // its uses are judged as those around it
      }
      return capturing(tree);
    }

    @Override
    public Void visitClass(ClassTree tree, @Nullable Void unused) {
      return captured > 0 ? super.visitClass(tree, null) : capturing(tree);
    }

    /**
     * Scans {@code code}, nested code that does not run in place, when captures count: every use in
     * it is {@link Way#CAPTURED}. Otherwise it is not this question's business.
     */
    private @Nullable Void capturing(Tree code) {
      if (rules.ways().contains(Way.CAPTURED)) {
        captured++;
        code.accept(this, null); // visited again with captured > 0: now it is entered
        captured--;
      }
      return null;
    }

    @Override
    public Void visitVariable(VariableTree tree, @Nullable Void unused) {
      if (rules.ways().contains(Way.NOT_CREATED_HERE)
          && var.equals(ASTHelpers.getSymbol(tree))
          && !(tree.getInitializer() instanceof NewClassTree created
              && created.getClassBody() == null)) {
        found = true;
        return null;
      }
      return super.visitVariable(tree, null);
    }

    @Override
    public Void visitIdentifier(IdentifierTree tree, @Nullable Void unused) {
      if (var.equals(ASTHelpers.getSymbol(tree))) {
        Way way = captured > 0 ? Way.CAPTURED : wayOf(getCurrentPath());
        if (way != null && rules.ways().contains(way)) {
          found = true;
        }
      }
      return null;
    }

    /** How the use at {@code path} hands the value on, if it does. */
    private static @Nullable Way wayOf(TreePath path) {
      Tree use = path.getLeaf();
      TreePath parentPath = path.getParentPath();
      while (parentPath != null
          && parentPath.getLeaf() instanceof ParenthesizedTree parenthesized) {
        use = parenthesized;
        parentPath = parentPath.getParentPath();
      }
      Tree parent = parentPath == null ? null : parentPath.getLeaf();
      if ((parent instanceof MethodInvocationTree call && call.getArguments().contains(use))
          || (parent instanceof NewClassTree created && created.getArguments().contains(use))) {
        return Way.ARGUMENT;
      }
      if ((parent instanceof VariableTree variable && variable.getInitializer() == use)
          || (parent instanceof AssignmentTree assignment && assignment.getExpression() == use)) {
        return Way.STORED;
      }
      if (parent instanceof NewArrayTree array
          && array.getInitializers() != null
          && array.getInitializers().contains(use)) {
        return Way.ARRAY_ELEMENT;
      }
      if (parent instanceof ReturnTree) {
        return Way.RETURNED;
      }
      if (parent instanceof MemberReferenceTree reference
          && reference.getQualifierExpression() == use) {
        return Way.CAPTURED;
      }
      return null;
    }
  }
}
