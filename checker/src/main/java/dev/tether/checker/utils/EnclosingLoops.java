package dev.tether.checker.utils;

import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Answers "which loops run this code once per iteration?" for {@code TimerInLoop} and {@code
 * UnboundedFanOut}: loop statements, and lambdas passed to {@code forEach} or a stream operation.
 */
public final class EnclosingLoops {
  /** Calls that run a lambda argument once per element. */
  private static final Matcher<ExpressionTree> PER_ELEMENT =
      anyOf(
          instanceMethod().onDescendantOf("java.lang.Iterable").named("forEach"),
          instanceMethod().onDescendantOf("java.util.Map").named("forEach"),
          instanceMethod().onDescendantOf("java.util.Iterator").named("forEachRemaining"),
          instanceMethod().onDescendantOf("java.util.Spliterator").named("forEachRemaining"),
          instanceMethod().onDescendantOf("java.util.stream.BaseStream"));

  private EnclosingLoops() {}

  /**
   * Returns the loops around {@code path}, innermost first, whose every iteration runs the code at
   * {@code path}: a loop statement whose condition, update or body holds it, or (as the path of the
   * call) a {@code forEach}/stream call whose lambda argument holds it. The walk stops at the
   * enclosing method, class, or a lambda that is neither; with {@code throughTasks}, it goes on
   * through lambdas and anonymous classes handed to another thread (they run once per hand-off).
   */
  public static List<TreePath> of(TreePath path, VisitorState state, boolean throughTasks) {
    List<TreePath> loops = new ArrayList<>();
    Tree child = path.getLeaf();
    if (child instanceof MemberReferenceTree
        && path.getParentPath() != null
        && path.getParentPath().getLeaf() instanceof MethodInvocationTree invocation
        && invocation.getArguments().contains(child)
        && PER_ELEMENT.matches(invocation, state)) {
      loops.add(path.getParentPath()); // items.forEach(pool::execute), stream.map(Thread::new)
    }
    for (TreePath p = path.getParentPath(); p != null; child = p.getLeaf(), p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof ForLoopTree loop) {
        if (!loop.getInitializer().contains(child)) {
          loops.add(p);
        }
      } else if (leaf instanceof EnhancedForLoopTree loop) {
        if (loop.getStatement() == child) {
          loops.add(p);
        }
      } else if (leaf instanceof WhileLoopTree || leaf instanceof DoWhileLoopTree) {
        loops.add(p);
      } else if (leaf instanceof LambdaExpressionTree) {
        TreePath call = p.getParentPath();
        if (call != null
            && call.getLeaf() instanceof MethodInvocationTree invocation
            && invocation.getArguments().contains(leaf)
            && PER_ELEMENT.matches(invocation, state)) {
          loops.add(call);
        } else if (!(throughTasks && ConcurrentCode.handoff(p, state).isPresent())) {
          return loops;
        }
      } else if (leaf instanceof MethodTree) {
        if (!(throughTasks && isHandedOffClassMember(p, state))) {
          return loops;
        }
      } else if (leaf instanceof ClassTree) {
        TreePath parent = p.getParentPath();
        if (!(throughTasks
            && parent != null
            && parent.getLeaf() instanceof NewClassTree
            && ConcurrentCode.handoff(parent, state).isPresent())) {
          return loops;
        }
      }
    }
    return loops;
  }

  /** Whether the method at {@code path} belongs to an anonymous class handed to another thread. */
  private static boolean isHandedOffClassMember(TreePath path, VisitorState state) {
    TreePath cls = path.getParentPath();
    TreePath newClass = cls == null ? null : cls.getParentPath();
    return newClass != null
        && newClass.getLeaf() instanceof NewClassTree
        && ConcurrentCode.handoff(newClass, state).isPresent();
  }

  /** The statements or lambda body that run once per iteration of {@code loop}. */
  public static Tree body(TreePath loop) {
    Tree leaf = loop.getLeaf();
    if (leaf instanceof ForLoopTree f) {
      return f.getStatement();
    }
    if (leaf instanceof EnhancedForLoopTree f) {
      return f.getStatement();
    }
    if (leaf instanceof WhileLoopTree w) {
      return w.getStatement();
    }
    if (leaf instanceof DoWhileLoopTree d) {
      return d.getStatement();
    }
    return leaf; // a forEach/stream call: its lambda arguments
  }

  /** Whether {@code tree} is a loop statement. */
  public static boolean isLoopStatement(Tree tree) {
    return tree instanceof ForLoopTree
        || tree instanceof EnhancedForLoopTree
        || tree instanceof WhileLoopTree
        || tree instanceof DoWhileLoopTree;
  }

  /** The receiver of the call at {@code loop}, when it is a forEach/stream call. */
  public static @Nullable ExpressionTree receiver(TreePath loop) {
    return loop.getLeaf() instanceof MethodInvocationTree call
        ? ASTHelpers.getReceiver(call)
        : null;
  }
}
