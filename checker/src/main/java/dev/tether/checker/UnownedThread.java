package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;
import static dev.tether.checker.utils.Links.BUGPATTERN;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.EnclosingLoops;
import dev.tether.checker.utils.KnownTypes;
import dev.tether.checker.utils.LibraryModel;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.ThreadOwnership;
import dev.tether.checker.utils.Trees;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;

/** A {@link BugChecker} that flags threads that are started and then kept by nobody. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Keep a started thread and join or interrupt it, or hand the work to an owner",
    link = BUGPATTERN + "UnownedThread.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class UnownedThread extends BugChecker
    implements MethodInvocationTreeMatcher, VariableTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String MESSAGE =
      "This thread is started and then dropped, so nobody can join or interrupt it and its work"
          + " is cut off at exit or outlives its caller: keep it and join or interrupt it, or run"
          + " the work in an executor that you shut down (or in Tether's TaskGroup)";

  private static final Matcher<ExpressionTree> THREAD_START =
      instanceMethod().onDescendantOf("java.lang.Thread").named("start").withNoParameters();

  /** Calls that create and start a thread, returning it. */
  private static final Matcher<ExpressionTree> STARTS_NEW_THREAD =
      anyOf(
          staticMethod().onClass("java.lang.Thread").named("startVirtualThread"),
          instanceMethod().onDescendantOf("java.lang.Thread.Builder").named("start"));

  private static final PerCompilation<Set<Name>> START_NAMES =
      PerCompilation.names("start", "startVirtualThread");

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!Trees.calledNameIn(tree, START_NAMES.get(state))) {
      return NO_MATCH; // cheap: both matchers below need one of these names
    }
    if (THREAD_START.matches(tree, state)) {
      ExpressionTree receiver = ASTHelpers.getReceiver(tree);
      return receiver != null
              && createsUnstartedThread(receiver, state)
              && !ThreadOwnership.hasOwnerByConstruction(state.getPath(), receiver, state)
              && !ThreadOwnership.isProcessThread(
                  state.getPath(), receiver, /* madeDaemon= */ false, state)
              && !isUnboundedFanOut(receiver, state)
          ? unowned(receiver)
          : NO_MATCH;
    }
    if (STARTS_NEW_THREAD.matches(tree, state)
        && state.getPath().getParentPath().getLeaf() instanceof ExpressionStatementTree
        && !ThreadOwnership.hasOwnerByConstruction(state.getPath(), tree, state)
        && !isUnboundedFanOut(tree, state)) {
      return unowned(tree);
    }
    return NO_MATCH;
  }

  @Override
  public Description matchVariable(VariableTree tree, VisitorState state) {
    ExpressionTree init = tree.getInitializer();
    if (init == null) {
      return NO_MATCH;
    }
    VarSymbol sym = ASTHelpers.getSymbol(tree);
    if (sym == null
        || sym.getKind() != ElementKind.LOCAL_VARIABLE
        || sym.type == null
        || sym.type.getKind() == TypeKind.ERROR
        || !ASTHelpers.isSubtype(sym.type, KnownTypes.THREAD.get(state), state)) {
      return NO_MATCH;
    }
    init = ASTHelpers.stripParentheses(init);
    boolean startedHere = STARTS_NEW_THREAD.matches(init, state);
    if (!startedHere && !createsUnstartedThread(init, state)) {
      return NO_MATCH;
    }
    TreePath scope = state.getPath().getParentPath();
    if (scope == null) {
      return NO_MATCH;
    }
    ThreadOwnership.LocalThreadUses uses = ThreadOwnership.localThreadUses(sym, scope);
    return (startedHere || uses.started())
            && !uses.owned()
            && !ThreadOwnership.hasOwnerByConstruction(state.getPath(), init, state)
            && !ThreadOwnership.isProcessThread(state.getPath(), init, uses.madeDaemon(), state)
            && !isUnboundedFanOut(init, state)
        ? unowned(tree)
        : NO_MATCH;
  }

  /**
   * Whether {@code UnboundedFanOut} reports this thread: a platform thread ({@code new Thread(…)},
   * {@code Thread.ofPlatform()…}) started per element of an input of unknown size with no bound.
   * That is the defect to fix (a bounded pool or task group also gives the threads an owner), so
   * this check stays quiet there: one defect, one warning.
   */
  private static boolean isUnboundedFanOut(ExpressionTree creation, VisitorState state) {
    ExpressionTree e = ASTHelpers.stripParentheses(creation);
    boolean platform = e instanceof NewClassTree;
    for (ExpressionTree r = e; !platform && r instanceof MethodInvocationTree call; ) {
      platform = Trees.calledName(call).equals("ofPlatform");
      r = ASTHelpers.getReceiver(call);
    }
    return platform && EnclosingLoops.unboundedInputLoop(state.getPath(), state).isPresent();
  }

  private Description unowned(Tree tree) {
    return buildDescription(tree).setMessage(MESSAGE).build();
  }

  /**
   * Whether {@code tree} makes a new, unstarted thread: a {@code Thread} (or subclass) constructor,
   * {@code Thread.Builder.unstarted(…)} or {@code ThreadFactory.newThread(…)}.
   */
  private static boolean createsUnstartedThread(ExpressionTree tree, VisitorState state) {
    tree = ASTHelpers.stripParentheses(tree);
    if (tree instanceof NewClassTree) {
      Type type = ASTHelpers.getType(tree);
      return type != null
          && type.getKind() != TypeKind.ERROR
          && ASTHelpers.isSubtype(type, KnownTypes.THREAD.get(state), state);
    }
    return LibraryModel.of(state).isThreadFactory(tree, state);
  }
}
