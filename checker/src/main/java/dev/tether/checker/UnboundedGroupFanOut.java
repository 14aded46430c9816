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
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.EnclosingLoops;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.RuntimeApi;
import dev.tether.checker.utils.Trees;
import java.util.Set;
import javax.lang.model.element.ElementKind;

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

  /** {@link #STARTS} in javac's name table: the cheap first filter, no {@code String} per call. */
  private static final PerCompilation<Set<Name>> STARTS_TABLE = PerCompilation.names(STARTS);

  /** Calls in a loop body that bound it by a permit. */
  private static final Set<String> PERMITS =
      Set.of("acquire", "tryAcquire", "acquireUninterruptibly");

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!Trees.calledNameIn(tree, STARTS_TABLE.get(state))) {
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
      if (EnclosingLoops.walksElementsOfUnknownSize(candidate, state)) {
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
