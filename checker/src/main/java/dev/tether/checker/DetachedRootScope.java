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
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import dev.tether.checker.utils.RuntimeApi;
import dev.tether.checker.utils.TestCode;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * A {@link BugChecker} that flags {@code CancelScope.root()} where a caller's or a task's scope is
 * in reach: work under the root ignores that scope's cancellation and deadline.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Use the CancelScope in reach instead of CancelScope.root()",
    link = BUGPATTERN + "DetachedRootScope.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class DetachedRootScope extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!RuntimeApi.isRoot(tree, state) || isCompared(state.getPath())) {
      return NO_MATCH;
    }
    List<String> inReach = new ArrayList<>();
    boolean inMethod = false;
    boolean staticContext = false;
    for (TreePath path = state.getPath().getParentPath();
        path != null;
        path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      if (leaf instanceof LambdaExpressionTree lambda) {
        addScopes(lambda.getParameters(), inReach);
      } else if (leaf instanceof MethodTree method) {
        if (isMain(method) || TestCode.isTestMethod(method)) {
          return NO_MATCH;
        }
        inMethod = true;
        staticContext = method.getModifiers().getFlags().contains(Modifier.STATIC);
        addScopes(method.getParameters(), inReach);
      } else if (leaf instanceof ClassTree type) {
        if (!inMethod && inReach.isEmpty()) {
          return NO_MATCH; // a field or an initializer: the program's own root
        }
        if (TestCode.isTestClassName(type.getSimpleName().toString())) {
          return NO_MATCH;
        }
        if (!staticContext) {
          // The instance fields of a request-scoped object; a static field is the program's.
          for (Tree member : type.getMembers()) {
            if (member instanceof VariableTree field
                && !field.getModifiers().getFlags().contains(Modifier.STATIC)) {
              addScope(field, inReach, "this.");
            }
          }
        }
        break;
      }
    }
    if (inReach.isEmpty()) {
      return NO_MATCH;
    }
    String names = String.join(", ", inReach);
    Description.Builder description =
        buildDescription(tree)
            .setMessage(
                String.format(
                    "CancelScope.root() is never cancelled and has no deadline, so work under it"
                        + " ignores the cancellation and deadline of the %s in reach here (%s):"
                        + " derive from %s instead",
                    inReach.size() == 1 ? "CancelScope" : "CancelScopes",
                    names,
                    inReach.size() == 1 ? names : "one of them"));
    if (inReach.size() == 1) {
      description.addFix(SuggestedFix.replace(tree, inReach.get(0)));
    }
    return description.build();
  }

  /** Whether the call at {@code path} is only compared ({@code scope == CancelScope.root()}). */
  private static boolean isCompared(TreePath path) {
    Tree parent = path.getParentPath().getLeaf();
    return parent instanceof BinaryTree binary
        && (binary.getKind() == Tree.Kind.EQUAL_TO || binary.getKind() == Tree.Kind.NOT_EQUAL_TO);
  }

  private static void addScopes(List<? extends VariableTree> variables, List<String> inReach) {
    for (VariableTree variable : variables) {
      addScope(variable, inReach, "");
    }
  }

  private static void addScope(VariableTree variable, List<String> inReach, String qualifier) {
    Symbol symbol = ASTHelpers.getSymbol(variable);
    if (symbol != null && RuntimeApi.isCancelScope(symbol.type)) {
      inReach.add(qualifier + variable.getName());
    }
  }

  /** Whether {@code method} is a program's {@code main} (static or, on JDK 21+, instance). */
  private static boolean isMain(MethodTree method) {
    return method.getName().contentEquals("main");
  }
}
