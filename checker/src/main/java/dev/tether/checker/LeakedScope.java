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
import com.google.errorprone.bugpatterns.BugChecker.ExpressionStatementTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.tether.checker.utils.ResourceUses;
import dev.tether.checker.utils.RuntimeApi;
import dev.tether.checker.utils.StatementsAfter;
import dev.tether.checker.utils.Trees;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BugChecker} that flags runtime scopes, groups, pools, tickers and state owners that a
 * method opens and neither closes nor hands to an owner (Go's {@code lostcancel}).
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Close the scope, group, pool, ticker or state owner that a method opens",
    link = BUGPATTERN + "LeakedScope.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class LeakedScope extends BugChecker
    implements VariableTreeMatcher, ExpressionStatementTreeMatcher {
  private static final long serialVersionUID = 1L;

  /**
   * Calls that release what was opened: a group's {@code await()} (a pool's {@code drain}) closes
   * its scope.
   */
  private static final Set<String> RELEASE = Set.of("close", "cancel", "await", "drain");

  @Override
  public Description matchVariable(VariableTree tree, VisitorState state) {
    ExpressionTree init = tree.getInitializer();
    if (init == null
        || !(init instanceof MethodInvocationTree)
        || !RuntimeApi.mayBeCreatedBy(init, state)) {
      return NO_MATCH;
    }
    String kind = RuntimeApi.createdBy(init);
    if (kind == null) {
      return NO_MATCH;
    }
    VarSymbol sym = ASTHelpers.getSymbol(tree);
    if (sym == null || sym.getKind() != ElementKind.LOCAL_VARIABLE) {
      return NO_MATCH; // fields are owned by their object; resources are closed by the try
    }
    if (underLocalParent(init)) {
      return NO_MATCH; // ends with its parent, which this check follows in its own right
    }
    TreePath scope = state.getPath().getParentPath();
    if (scope == null || scope.getLeaf() instanceof TryTree) {
      return NO_MATCH;
    }
    Uses uses = new Uses(sym, scope.getLeaf());
    if (uses.releasedOrHandedOver(scope)) {
      return NO_MATCH;
    }
    Description.Builder description =
        buildDescription(tree)
            .setMessage(
                String.format(
                    "This %s is opened here and never closed nor handed to an owner: %s; open it"
                        + " in try-with-resources (or close it in a finally block)",
                    noun(kind, init), harm(kind, init)));
    if (uses.onlyReceiver && closingKeepsBehaviour(kind, init)) {
      SuggestedFix fix = tryWithResources(tree, scope, state);
      if (fix != null) {
        description.addFix(fix);
      }
    }
    return description.build();
  }

  @Override
  public Description matchExpressionStatement(ExpressionStatementTree tree, VisitorState state) {
    if (!(tree.getExpression() instanceof MethodInvocationTree call)) {
      return NO_MATCH;
    }
    // parent.withCancel();  or  TaskGroup.open(scope).go(task);
    if (!RuntimeApi.mayBeCreatedBy(call, state)
        && !(ASTHelpers.getReceiver(call) instanceof MethodInvocationTree receiver
            && RuntimeApi.mayBeCreatedBy(receiver, state))) {
      return NO_MATCH; // cheap: no String per statement
    }
    ExpressionTree opened = call;
    if (RuntimeApi.createdBy(call) == null) {
      if (RELEASE.contains(Trees.calledName(call))) {
        return NO_MATCH;
      }
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      if (receiver == null || !(receiver instanceof MethodInvocationTree)) {
        return NO_MATCH;
      }
      opened = receiver;
    }
    String kind = RuntimeApi.createdBy(opened);
    if (kind == null || underLocalParent(opened)) {
      return NO_MATCH;
    }
    return buildDescription(opened)
        .setMessage(
            String.format(
                "This %s is opened and dropped, so nothing ever closes it: %s; keep it in"
                    + " try-with-resources",
                noun(kind, opened), harm(kind, opened)))
        .build();
  }

  /**
   * Whether {@code opened} is opened under a parent scope held in a local variable ({@code
   * local.withCancel()}, {@code TaskGroup.open(local)}): the runtime closes a child when its parent
   * ends, and the parent, made in the same method, is this check's to follow.
   */
  private static boolean underLocalParent(ExpressionTree opened) {
    ExpressionTree e = ASTHelpers.stripParentheses(opened);
    while (e instanceof MethodInvocationTree call
        && RuntimeApi.BUILDERS.contains(Trees.calledName(call))
        && ASTHelpers.getReceiver(call) != null) {
      e = ASTHelpers.stripParentheses(ASTHelpers.getReceiver(call));
    }
    if (!(e instanceof MethodInvocationTree call)) {
      return false;
    }
    ExpressionTree parent =
        Trees.calledName(call).equals("open")
            ? (call.getArguments().isEmpty() ? null : call.getArguments().get(0))
            : ASTHelpers.getReceiver(call);
    if (parent == null) {
      return false;
    }
    Symbol symbol = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(parent));
    return symbol instanceof VarSymbol
        && symbol.getKind() == ElementKind.LOCAL_VARIABLE
        && RuntimeApi.isCancelScope(symbol.type);
  }

  private static String noun(String kind, ExpressionTree opened) {
    return isTickerScope(kind, opened)
        ? "ticker's CancelScope"
        : kind.substring(kind.lastIndexOf('.') + 1);
  }

  /** Whether {@code opened} is {@code Ticker.open(parent, period, action)}. */
  private static boolean isTickerScope(String kind, ExpressionTree opened) {
    return kind.equals(RuntimeApi.CANCEL_SCOPE)
        && opened instanceof MethodInvocationTree call
        && Trees.calledName(call).equals("open");
  }

  private static String harm(String kind, ExpressionTree opened) {
    if (isTickerScope(kind, opened)) {
      return "its action keeps running every period after the method returns";
    }
    return switch (kind) {
      case RuntimeApi.CANCEL_SCOPE ->
          "it stays registered with its parent (and its deadline with the timer) until the"
              + " parent ends, and work under it is never cancelled when this method is done";
      case RuntimeApi.TICKER -> "it keeps ticking after the method returns";
      case RuntimeApi.STATE_OWNER -> "its owner task keeps running after the method returns";
      default ->
          "its tasks are neither awaited nor cancelled, so they outlive the method and their"
              + " failures are lost";
    };
  }

  /**
   * Whether closing at the end of the block keeps behaviour: a child scope or a ticker that nothing
   * uses after the block. Closing a group or a state owner would cancel work still running, and
   * closing {@code Ticker.open(parent, period, action)} would stop its action.
   */
  private static boolean closingKeepsBehaviour(String kind, ExpressionTree init) {
    if (kind.equals(RuntimeApi.TICKER)) {
      return true;
    }
    return kind.equals(RuntimeApi.CANCEL_SCOPE) && !isTickerScope(kind, init);
  }

  /** Wraps the declaration and the statements after it in try-with-resources. */
  private static @Nullable SuggestedFix tryWithResources(
      VariableTree decl, TreePath scope, VisitorState state) {
    StatementsAfter after = StatementsAfter.of(decl, scope, state);
    return after == null || after.hasTextBlock() ? null : after.tryWithResources(state);
  }

  /** What the code in the variable's scope does with it, found in one scan. */
  private static final class Uses extends ResourceUses {
    /** Whether every use is a call on it ({@code s.sleep(d)}), outside lambdas and classes. */
    private boolean onlyReceiver = true;

    Uses(VarSymbol opened, Tree root) {
      super(opened, root, RELEASE);
    }

    @Override
    protected boolean escapesThrough(TreePath use) {
      onlyReceiver = false;
      // An argument of a runtime call (TaskGroup.open(scope), ticker.tick(scope)) uses the
      // scope without owning it; anything else (stored, returned, passed on) hands it over.
      TreePath parent = use.getParentPath();
      return !(parent != null
          && parent.getLeaf() instanceof MethodInvocationTree call
          && call.getArguments().contains(use.getLeaf())
          && RuntimeApi.isRuntimeCall(call)
          && !isCaptured(use));
    }
  }
}
