package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;
import static dev.tether.checker.utils.Links.BUGPATTERN;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.RuntimeApi;
import dev.tether.checker.utils.TestCode;
import dev.tether.checker.utils.Trees;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BugChecker} that flags a task body ({@code group.go(s -> …)}) that blocks in a JDK call
 * its scope cannot cancel, where the scope has a helper that can.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Block through the task's CancelScope so that cancelling the scope stops the wait",
    link = BUGPATTERN + "UncancellableWaitInTask.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class UncancellableWaitInTask extends BugChecker
    implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final Set<String> NAMES = Set.of("get", "await", "take", "put", "sleep");

  /** {@link #NAMES} in javac's name table: the cheap first filter, no {@code String} per call. */
  private static final PerCompilation<Set<Name>> NAMES_TABLE = PerCompilation.names(NAMES);

  private static final Matcher<ExpressionTree> FUTURE_GET =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.Future")
          .named("get")
          .withNoParameters();
  private static final Matcher<ExpressionTree> LATCH_AWAIT =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.CountDownLatch")
          .named("await")
          .withNoParameters();
  private static final Matcher<ExpressionTree> QUEUE_TAKE =
      instanceMethod().onDescendantOf("java.util.concurrent.BlockingQueue").named("take");
  private static final Matcher<ExpressionTree> QUEUE_PUT =
      instanceMethod().onDescendantOf("java.util.concurrent.BlockingQueue").named("put");
  private static final Matcher<ExpressionTree> SLEEP_MILLIS =
      staticMethod().onClass("java.lang.Thread").named("sleep").withParameters("long");
  private static final Matcher<ExpressionTree> SLEEP_DURATION =
      staticMethod()
          .onClass("java.lang.Thread")
          .named("sleep")
          .withParameters("java.time.Duration");

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!Trees.calledNameIn(tree, NAMES_TABLE.get(state))) {
      return NO_MATCH;
    }
    String helper = helperFor(tree, state);
    if (helper == null) {
      return NO_MATCH;
    }
    LambdaExpressionTree task = null;
    boolean caught = false;
    for (TreePath path = state.getPath().getParentPath();
        path != null;
        path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      if (leaf instanceof TryTree tryTree && !tryTree.getCatches().isEmpty()) {
        caught = true;
      }
      if (leaf instanceof LambdaExpressionTree lambda) {
        task = lambda;
        break;
      }
      if (leaf instanceof MethodTree || leaf instanceof ClassTree) {
        return NO_MATCH;
      }
    }
    VariableTree scope = task == null ? null : RuntimeApi.scopeParameter(task);
    if (scope == null || TestCode.contains(state.getPath())) {
      return NO_MATCH; // tests wait on purpose, for instance to test the group's interrupt
    }
    String name = scope.getName().toString();
    String call = state.getSourceForNode(tree);
    Description.Builder description =
        buildDescription(tree)
            .setMessage(
                String.format(
                    "This task waits in %s, which only an interrupt can end: a cancelled or"
                        + " timed-out scope %s does not stop it unless the runtime interrupts this"
                        + " very thread; write %s",
                    call == null ? Trees.calledName(tree) + "()" : call,
                    name,
                    name + "." + helper + "(…)"));
    if (!caught) {
      SuggestedFix fix = fix(tree, helper, name, state);
      if (fix != null) {
        description.addFix(fix);
      }
    }
    return description.build();
  }

  /** The scope helper that replaces {@code tree}, or null if {@code tree} is not one we know. */
  private static @Nullable String helperFor(MethodInvocationTree tree, VisitorState state) {
    if (FUTURE_GET.matches(tree, state)) {
      return "get";
    }
    if (LATCH_AWAIT.matches(tree, state)) {
      return "waitFor";
    }
    if (QUEUE_TAKE.matches(tree, state)) {
      return "take";
    }
    if (QUEUE_PUT.matches(tree, state)) {
      return "put";
    }
    if (SLEEP_MILLIS.matches(tree, state) || SLEEP_DURATION.matches(tree, state)) {
      return "sleep";
    }
    return null;
  }

  /**
   * {@code f.get()} → {@code s.get(f)}, {@code latch.await()} → {@code s.waitFor(latch)}, {@code
   * q.take()} → {@code s.take(q)}, {@code q.put(e)} → {@code s.put(q, e)}, {@code Thread.sleep(ms)}
   * → {@code s.sleep(Duration.ofMillis(ms))}: the same checked exceptions, the same result, and a
   * wait that also ends when the scope is cancelled.
   */
  private static @Nullable SuggestedFix fix(
      MethodInvocationTree tree, String helper, String scope, VisitorState state) {
    SuggestedFix.Builder fix = SuggestedFix.builder();
    if (helper.equals("sleep")) {
      ExpressionTree argument = tree.getArguments().get(0);
      int callStart = ASTHelpers.getStartPosition(tree);
      int argumentStart = ASTHelpers.getStartPosition(argument);
      int argumentEnd = state.getEndPosition(argument);
      int callEnd = state.getEndPosition(tree);
      if (callStart < 0 || argumentStart < 0 || argumentEnd < 0 || callEnd < 0) {
        return null;
      }
      boolean millis = SLEEP_MILLIS.matches(tree, state);
      String duration =
          millis ? SuggestedFixes.qualifyType(state, fix, "java.time.Duration") + ".ofMillis(" : "";
      fix.replace(callStart, argumentStart, scope + ".sleep(" + duration);
      fix.replace(argumentEnd, callEnd, millis ? "))" : ")");
      return fix.build();
    } else {
      // recv.name(args) → scope.helper(recv, args), leaving recv and args in place so that the
      // fixes of calls nested in them (q.put(q.take())) do not overlap.
      ExpressionTree receiver = ASTHelpers.getReceiver(tree);
      int callEnd = state.getEndPosition(tree);
      int receiverStart = receiver == null ? -1 : ASTHelpers.getStartPosition(receiver);
      int receiverEnd = receiver == null ? -1 : state.getEndPosition(receiver);
      if (receiverStart < 0 || receiverEnd < 0 || callEnd < 0) {
        return null;
      }
      fix.replace(receiverStart, receiverStart, scope + "." + helper + "(");
      if (tree.getArguments().isEmpty()) {
        fix.replace(receiverEnd, callEnd, ")");
      } else {
        int firstArgument = ASTHelpers.getStartPosition(tree.getArguments().get(0));
        if (firstArgument < receiverEnd) {
          return null;
        }
        fix.replace(receiverEnd, firstArgument, ", ");
      }
      return fix.build();
    }
  }
}
