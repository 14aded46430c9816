package dev.tether.checker.utils;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnionTypeTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.util.Name;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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
   * The arguments of {@code expression} when it is (in parentheses or not) a {@code new} or a
   * method call; empty otherwise.
   */
  public static List<? extends ExpressionTree> argumentsOf(ExpressionTree expression) {
    ExpressionTree e = ASTHelpers.stripParentheses(expression);
    return e instanceof NewClassTree newClass
        ? newClass.getArguments()
        : e instanceof MethodInvocationTree call ? call.getArguments() : List.of();
  }

  /**
   * {@code then}, tested only on calls and method references whose simple name is {@code name}: the
   * name is compared first, without a {@code String}, so that a type-based matcher ({@code
   * instanceMethod().onDescendantOf(…).named(…)}, which tests the receiver's type before the name)
   * runs only on the few calls that can match.
   */
  public static Matcher<ExpressionTree> calledNameFirst(String name, Matcher<ExpressionTree> then) {
    PerCompilation<Name> wanted = PerCompilation.name(name);
    return (tree, state) -> {
      Name called =
          tree instanceof MethodInvocationTree call
              ? calledMethodName(call)
              : tree instanceof MemberReferenceTree reference ? (Name) reference.getName() : null;
      return called == wanted.get(state) && then.matches(tree, state);
    };
  }

  /**
   * A test of whether a name of javac's table ends with a suffix, remembered per name for the
   * compilation: javac's {@code Name} has no {@code endsWith}, and {@code toString()} decodes a new
   * {@code String} every time, which adds up when a check asks it of every call.
   */
  public static final class NameSuffix {
    private final String suffix;
    private final PerCompilation<Map<Name, Boolean>> seen = PerCompilation.of(s -> new HashMap<>());

    public NameSuffix(String suffix) {
      this.suffix = suffix;
    }

    /** Whether {@code name} (of this compilation's table) ends with the suffix. */
    public boolean test(@Nullable Name name, VisitorState state) {
      if (name == null) {
        return false;
      }
      Map<Name, Boolean> known = seen.get(state);
      Boolean ends = known.get(name);
      if (ends == null) {
        ends = name.toString().endsWith(suffix);
        known.put(name, ends);
      }
      return ends;
    }
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

  /**
   * The path of the method or lambda around {@code path}, the nearest one: the function whose run
   * runs this code; {@code null} when a class lies between (a field or block initializer, or code
   * of a class outside any method).
   */
  public static @Nullable TreePath enclosingFunction(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof LambdaExpressionTree) {
        return p;
      }
      if (leaf instanceof ClassTree) {
        return null;
      }
    }
    return null;
  }

  /**
   * The statement that ends {@code statement}: the last statement of a block (one level deep), else
   * {@code statement} itself (also an empty block).
   */
  public static StatementTree lastStatement(StatementTree statement) {
    return statement instanceof BlockTree block && !block.getStatements().isEmpty()
        ? block.getStatements().get(block.getStatements().size() - 1)
        : statement;
  }

  /**
   * Whether {@code tree} is a jump: {@code return}, {@code throw}, {@code break}, {@code continue}.
   */
  public static boolean isJump(Tree tree) {
    return tree instanceof ReturnTree
        || tree instanceof ThrowTree
        || tree instanceof BreakTree
        || tree instanceof ContinueTree;
  }

  /** The path of {@code tree} among {@code path} and its parents; {@code null} when not there. */
  public static @Nullable TreePath ancestor(@Nullable TreePath path, Tree tree) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() == tree) {
        return p;
      }
    }
    return null;
  }

  /**
   * Whether {@code tree} names a variable directly or as a member of this object: {@code x} or
   * {@code this.x} (a local, a parameter, or a field of this object or of an enclosing one), not
   * {@code other.x}.
   */
  public static boolean isNameOrThisMember(ExpressionTree tree) {
    ExpressionTree t = ASTHelpers.stripParentheses(tree);
    return t instanceof IdentifierTree
        || (t instanceof MemberSelectTree select
            && select.getExpression() instanceof IdentifierTree receiver
            && receiver.getName().contentEquals("this"));
  }

  /**
   * The path of the top-level class around {@code path} (the outermost class on it); {@code null}
   * outside any class.
   */
  public static @Nullable TreePath topLevelClass(TreePath path) {
    TreePath top = null;
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree) {
        top = p;
      }
    }
    return top;
  }

  /** Whether {@code tree} is the literal {@code null}. */
  public static boolean isNullLiteral(Tree tree) {
    return tree.getKind() == Tree.Kind.NULL_LITERAL;
  }

  /**
   * The {@code return} statements of {@code body} (a method's or a lambda's), in source order: its
   * own, not those of lambdas or classes inside it, which return from other code.
   */
  public static List<ReturnTree> ownReturns(@Nullable Tree body) {
    List<ReturnTree> returns = new ArrayList<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitReturn(ReturnTree tree, Void unused) {
        returns.add(tree);
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        return null;
      }

      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        return null;
      }
    }.scan(body, null);
    return returns;
  }

  /**
   * Whether {@code tree} (or a node inside it) is a node for which {@code test} holds, nested
   * lambdas and classes included (for the code that runs where it stands, use a {@link
   * BodyScan.Scanner}); the scan stops at the first such node.
   */
  public static boolean contains(@Nullable Tree tree, Predicate<? super Tree> test) {
    return contains(tree, null, test);
  }

  /**
   * Whether {@code tree}, apart from the subtree {@code skip}, contains a node for which {@code
   * test} holds ({@link #contains(Tree, Predicate)}).
   */
  public static boolean contains(
      @Nullable Tree tree, @Nullable Tree skip, Predicate<? super Tree> test) {
    return new StoppingScanner() {
      @Override
      public Void scan(@Nullable Tree node, @Nullable Void unused) {
        if (node == skip) {
          return null;
        }
        if (!stopped() && node != null && test.test(node)) {
          stop();
        }
        return super.scan(node, null);
      }
    }.finds(tree);
  }

  /**
   * Whether {@code tree} contains a call for which {@code test} holds, nested lambdas and classes
   * included; the scan stops at the first such call.
   */
  public static boolean containsCall(
      @Nullable Tree tree, Predicate<? super MethodInvocationTree> test) {
    return contains(tree, node -> node instanceof MethodInvocationTree call && test.test(call));
  }

  /**
   * A node around a path, and its child on the way to that path.
   *
   * @param path the path of the enclosing node
   * @param child the child of that node that holds the path (for its parent, the path's own leaf)
   */
  public record Enclosing(TreePath path, Tree child) {
    /** The enclosing node. */
    public Tree leaf() {
      return path.getLeaf();
    }
  }

  /**
   * The nodes around {@code path}, innermost first, with the child through which each encloses it,
   * up to (not including) the nearest method, lambda or class: what encloses the code at {@code
   * path} in the body it runs in.
   */
  public static List<Enclosing> enclosingInBody(TreePath path) {
    List<Enclosing> enclosing = new ArrayList<>();
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null; child = p.getLeaf(), p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree
          || leaf instanceof LambdaExpressionTree
          || leaf instanceof ClassTree) {
        break;
      }
      enclosing.add(new Enclosing(p, child));
    }
    return enclosing;
  }
}
