package dev.tether.checker.utils;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnionTypeTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.util.Name;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Syntax-level facts that several checks need, read from the tree or the source text alone. */
public final class Trees {
  private Trees() {}

  /**
   * The simple name of the method {@code call} invokes, read from the tree without resolving it: a
   * cheap filter to run before any type-based matcher.
   */
  public static String calledName(MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    if (select instanceof MemberSelectTree member) {
      return member.getIdentifier().toString();
    }
    return select instanceof IdentifierTree identifier ? identifier.getName().toString() : "";
  }

  /**
   * The simple name of the method {@code call} invokes, read from the tree without resolving it or
   * building a {@code String} (unlike {@link #calledName}); {@code null} when the method select is
   * neither a name nor a member select. Compare it with a name of javac's table ({@link
   * PerCompilation#name}) to filter every call of a compilation cheaply.
   */
  public static @Nullable Name calledMethodName(MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    if (select instanceof MemberSelectTree member) {
      return (Name) member.getIdentifier();
    }
    return select instanceof IdentifierTree identifier ? (Name) identifier.getName() : null;
  }

  /**
   * Whether the simple name of the method {@code call} invokes starts with {@code prefix} (a name
   * of the same compilation's table): {@code calledName(call).startsWith(prefix)} without a {@code
   * String} per call.
   */
  public static boolean calledNameStartsWith(MethodInvocationTree call, Name prefix) {
    Name name = calledMethodName(call);
    return name != null && name.startsWith(prefix);
  }

  /**
   * Whether the simple name of the method {@code call} invokes is one of {@code names} (names of
   * the same compilation's table, {@link PerCompilation#names}): {@code
   * names.contains(calledName(call))} without a {@code String} per call.
   */
  public static boolean calledNameIn(MethodInvocationTree call, Set<Name> names) {
    Name name = calledMethodName(call);
    return name != null && names.contains(name);
  }

  /**
   * The name of the method called on the expression at {@code path}, when that expression is the
   * receiver of a call ({@code path.leaf().name(…)}); otherwise {@code null}.
   */
  public static @Nullable String calledOn(TreePath path) {
    TreePath select = path.getParentPath();
    if (select == null || !(select.getLeaf() instanceof MemberSelectTree member)) {
      return null;
    }
    TreePath call = select.getParentPath();
    if (call == null
        || !(call.getLeaf() instanceof MethodInvocationTree invocation)
        || invocation.getMethodSelect() != member) {
      return null;
    }
    return member.getIdentifier().toString();
  }

  /** The whitespace that starts the line of {@code pos} (up to its first non-blank character). */
  public static String indentOf(CharSequence source, int pos) {
    int lineStart = pos;
    while (lineStart > 0 && source.charAt(lineStart - 1) != '\n') {
      lineStart--;
    }
    int end = lineStart;
    while (end < source.length() && (source.charAt(end) == ' ' || source.charAt(end) == '\t')) {
      end++;
    }
    return source.subSequence(lineStart, end).toString();
  }

  /**
   * The types that {@code clause} catches, as written: the alternatives of a multi-catch ({@code
   * catch (IOException | TimeoutException e)}), else its one type.
   */
  public static List<? extends Tree> caughtTypes(CatchTree clause) {
    Tree type = clause.getParameter().getType();
    return type instanceof UnionTypeTree union ? union.getTypeAlternatives() : List.of(type);
  }

  /**
   * The path of the code that runs when the method (or initializer) around {@code path} runs: the
   * body of the enclosing method, or the enclosing initializer block; {@code null} in a field
   * initializer or a method without a body. Lambdas are walked through; in a local or anonymous
   * class, it is the body of that class's method.
   */
  public static @Nullable TreePath enclosingBody(TreePath path) {
    for (TreePath p = path; p.getParentPath() != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree method) {
        return method.getBody() == null ? null : new TreePath(p, method.getBody());
      }
      if (leaf instanceof BlockTree && p.getParentPath().getLeaf() instanceof ClassTree) {
        return p; // an initializer block
      }
      if (leaf instanceof ClassTree) {
        return null; // a field initializer
      }
    }
    return null;
  }
}
