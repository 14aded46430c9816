package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static dev.tether.checker.utils.Links.BUGPATTERN;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.tether.checker.utils.EnclosingLoops;
import dev.tether.checker.utils.RuntimeApi;
import dev.tether.checker.utils.Trees;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BugChecker} that flags {@code go(…)} on a task group without a limit, once per element
 * of an input of unknown size: the runtime form of {@code UnboundedFanOut}.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Give a task group a limit before starting one task per element of an unknown input",
    link = BUGPATTERN + "UnboundedGroupFanOut.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class UnboundedGroupFanOut extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final Set<String> STARTS = Set.of("go", "tryGo");

  /** Static factories whose elements are written out in the code. */
  private static final Set<String> LITERAL_FACTORIES = Set.of("of", "asList");

  /** Static factories of a counted range. */
  private static final Set<String> COUNTED = Set.of("range", "rangeClosed");

  /** Calls in a loop body that bound it by a permit. */
  private static final Set<String> PERMITS =
      Set.of("acquire", "tryAcquire", "acquireUninterruptibly");

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!STARTS.contains(Trees.calledName(tree))) {
      return NO_MATCH;
    }
    Symbol method = ASTHelpers.getSymbol(tree);
    String owner = RuntimeApi.owner(method);
    if (!owner.equals(RuntimeApi.TASK_GROUP) && !owner.equals(RuntimeApi.RESULT_GROUP)) {
      return NO_MATCH;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (!(receiver instanceof IdentifierTree)
        || !(ASTHelpers.getSymbol(receiver) instanceof VarSymbol group)
        || (group.getKind() != ElementKind.LOCAL_VARIABLE
            && group.getKind() != ElementKind.RESOURCE_VARIABLE)) {
      return NO_MATCH; // a field or parameter: its limit is set elsewhere
    }
    TreePath loop = null;
    for (TreePath candidate : EnclosingLoops.of(state.getPath(), state, false)) {
      if (walksInputOfUnknownSize(candidate)) {
        loop = candidate;
        break;
      }
    }
    if (loop == null || callsAnyOf(EnclosingLoops.body(loop), PERMITS)) {
      return NO_MATCH;
    }
    MethodTree enclosing = ASTHelpers.findEnclosingNode(state.getPath(), MethodTree.class);
    if (enclosing == null || !isUnlimited(group, enclosing)) {
      return NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(
            String.format(
                "This %s has no limit, so this loop starts one task per element of an input of"
                    + " unknown size, all at once (a thread each on JDK 17, and as many concurrent"
                    + " calls on whatever the tasks use): open it with .withLimit(n), sized for"
                    + " what the tasks use",
                owner.substring(owner.lastIndexOf('.') + 1)))
        .build();
  }

  /**
   * Whether {@code group} is opened in {@code method} by {@code open(…)} without {@code withLimit},
   * and never given one later.
   */
  private static boolean isUnlimited(VarSymbol group, MethodTree method) {
    boolean[] opened = new boolean[1];
    boolean[] limited = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree variable, Void unused) {
        if (group.equals(ASTHelpers.getSymbol(variable)) && variable.getInitializer() != null) {
          ExpressionTree init = variable.getInitializer();
          opened[0] = RuntimeApi.createdBy(init) != null;
          limited[0] |= callsAnyOf(init, Set.of("withLimit"));
        }
        return super.visitVariable(variable, null);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        if (Trees.calledName(call).equals("withLimit")
            && ASTHelpers.getReceiver(call) instanceof IdentifierTree id
            && group.equals(ASTHelpers.getSymbol(id))) {
          limited[0] = true;
        }
        return super.visitMethodInvocation(call, null);
      }
    }.scan(method, null);
    return opened[0] && !limited[0];
  }

  /**
   * Whether {@code loop} walks a collection, array or stream whose elements are not written out in
   * the code. Counted loops and endless loops are left to {@code UnboundedFanOut}'s finer analysis.
   */
  private static boolean walksInputOfUnknownSize(TreePath loop) {
    Tree leaf = loop.getLeaf();
    if (leaf instanceof EnhancedForLoopTree forEach) {
      return !hasLiteralSize(forEach.getExpression());
    }
    if (EnclosingLoops.isLoopStatement(leaf)) {
      return false;
    }
    ExpressionTree source = EnclosingLoops.receiver(loop);
    while (source instanceof MethodInvocationTree call
        && !Trees.calledName(call).equals("stream")
        && ASTHelpers.getReceiver(call) != null
        && ASTHelpers.getSymbol(call) != null
        && !ASTHelpers.getSymbol(call).isStatic()) {
      source = ASTHelpers.getReceiver(call); // list.stream().filter(…).forEach(…)
    }
    if (source instanceof MethodInvocationTree call && Trees.calledName(call).equals("stream")) {
      source = ASTHelpers.getReceiver(call);
    }
    return source != null && !hasLiteralSize(source);
  }

  /** Whether the elements of {@code expr} are written out in the code, or are an enum's values. */
  private static boolean hasLiteralSize(@Nullable ExpressionTree expr) {
    ExpressionTree e = expr == null ? null : ASTHelpers.stripParentheses(expr);
    if (e instanceof NewArrayTree array) {
      return array.getInitializers() != null;
    }
    if (!(e instanceof MethodInvocationTree call)) {
      return false;
    }
    Symbol sym = ASTHelpers.getSymbol(call);
    if (sym == null || !ASTHelpers.isStatic(sym)) {
      return false;
    }
    String name = sym.getSimpleName().toString();
    if (name.equals("values") && call.getArguments().isEmpty()) {
      return sym.owner != null && sym.owner.isEnum();
    }
    if (COUNTED.contains(name)) {
      return true; // IntStream.range(0, n): a count, left to UnboundedFanOut
    }
    if (!LITERAL_FACTORIES.contains(name)) {
      return false;
    }
    List<? extends ExpressionTree> args = call.getArguments();
    return !(args.size() == 1
        && ASTHelpers.getType(args.get(0)) != null
        && ASTHelpers.getType(args.get(0)).getKind() == TypeKind.ARRAY);
  }

  /** Whether {@code tree} calls a method named in {@code names}. */
  private static boolean callsAnyOf(Tree tree, Set<String> names) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        found[0] |= names.contains(Trees.calledName(call));
        return super.visitMethodInvocation(call, null);
      }
    }.scan(tree, null);
    return found[0];
  }
}
