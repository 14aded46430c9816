package dev.tether.checker;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
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
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Type.ArrayType;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.ConcurrentCode;
import dev.tether.checker.utils.ConcurrentCode.Handoff;
import dev.tether.checker.utils.ConcurrentCode.Kind;
import dev.tether.checker.utils.LibraryModel;
import dev.tether.checker.utils.LoggingCalls;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.SameVariable;
import dev.tether.checker.utils.StoppingScanner;
import dev.tether.checker.utils.Symbols;
import dev.tether.checker.utils.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags fan-outs whose task failures never reach the waiting code. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Propagate the failures of fanned-out tasks to the code that waits for them",
    link = BUGPATTERN + "LostTaskFailure.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class LostTaskFailure extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String REMEDY =
      ": collect the futures and get() them, or use Tether's TaskGroup, whose await() rethrows the"
          + " first failure and cancels the other tasks";

  private static final String FUTURE = "java.util.concurrent.Future";
  private static final Supplier<Type> FUTURE_TYPE = Suppliers.typeFromString(FUTURE);
  private static final Supplier<Type> TIME_UNIT =
      Suppliers.typeFromString("java.util.concurrent.TimeUnit");
  private static final Supplier<Type> COMPLETION_STAGE_TYPE =
      Suppliers.typeFromString("java.util.concurrent.CompletionStage");

  private static final Matcher<ExpressionTree> COMPLETION_SERVICE_SUBMIT =
      instanceMethod().onDescendantOf("java.util.concurrent.CompletionService").named("submit");

  /** The stages that turn a failure into a value (or another stage). */
  private static final Set<String> RECOVERING_STAGES =
      Set.of(
          "exceptionally",
          "exceptionallyAsync",
          "exceptionallyCompose",
          "exceptionallyComposeAsync",
          "handle",
          "handleAsync");

  /** The names of every call {@code matchMethodInvocation} looks at: a cheap first filter. */
  private static final PerCompilation<Set<Name>> MATCHED_NAMES =
      PerCompilation.names(
          Stream.concat(Stream.of("invokeAll", "submit", "execute"), RECOVERING_STAGES.stream())
              .collect(toImmutableSet()));

  private static final Matcher<ExpressionTree> RECOVERING_STAGE =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.CompletionStage")
          .namedAnyOf(RECOVERING_STAGES);

  private static final Matcher<ExpressionTree> INVOKE_ALL =
      instanceMethod().onDescendantOf("java.util.concurrent.ExecutorService").named("invokeAll");

  /** Calls that wait for tasks to signal, without seeing how they ended. */
  private static final Matcher<ExpressionTree> SIGNAL_WAIT =
      anyOf(
          instanceMethod().onDescendantOf("java.util.concurrent.CountDownLatch").named("await"),
          instanceMethod().onDescendantOf("java.util.concurrent.CyclicBarrier").named("await"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.Phaser")
              .namedAnyOf("arriveAndAwaitAdvance", "awaitAdvance", "awaitAdvanceInterruptibly"));

  private static final Matcher<ExpressionTree> TERMINATION_WAIT =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.ExecutorService")
          .named("awaitTermination");

  /** Names that say an exception is ignored on purpose ({@link #isIgnoredOnPurpose}). */
  private static final Set<String> IGNORED_NAMES = Set.of("_", "unused", "ignore", "ignored");

  /** Calls on futures that do not look at how the tasks ended. */
  private static final Set<String> NOT_READING = Set.of("cancel", "isDone", "isCancelled");

  /** Calls that put a future into a collection without reading it. */
  private static final Set<String> COLLECTING = Set.of("add", "addAll", "offer", "put");

  private static final Set<String> WAIT_NAMES =
      Set.of(
          "await",
          "arriveAndAwaitAdvance",
          "awaitAdvance",
          "awaitAdvanceInterruptibly",
          "awaitTermination");

  /**
   * A fan-out needs a call to {@code execute}, {@code submit} or {@code invokeAll}: the method (or
   * initializer) around such a call is scanned when the call is matched, and only then.
   */
  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!Trees.calledNameIn(tree, MATCHED_NAMES.get(state))) {
      return NO_MATCH; // cheap: no String per call
    }
    String name = Trees.calledName(tree);
    if (name.equals("invokeAll")) {
      return INVOKE_ALL.matches(tree, state) ? matchInvokeAll(tree, state) : NO_MATCH;
    }
    if (RECOVERING_STAGES.contains(name)) {
      return RECOVERING_STAGE.matches(tree, state) ? matchRecoveringStage(tree, state) : NO_MATCH;
    }
    if (name.equals("submit") && COMPLETION_SERVICE_SUBMIT.matches(tree, state)) {
      return matchCompletionService(tree, state);
    }
    if (!name.equals("execute") && !name.equals("submit")) {
      return NO_MATCH;
    }
    Fanned fanned = fanned(tree, state);
    if (fanned == null) {
      return NO_MATCH;
    }
    TreePath body = Trees.enclosingBody(state.getPath());
    if (body == null) {
      return NO_MATCH;
    }
    Facts facts = new Facts(state, false);
    facts.scan(body, null);
    Wait wait = waiterOf(fanned, facts.waits, state);
    LibraryModel model = LibraryModel.of(state);
    if (wait == null
        || !doesWork(fanned.task())
        || onlySignalsItsWaiter(fanned, body, state)
        || recordsFailures(fanned.task(), model)
        || (wait.bestEffort() && handlesOwnFailures(fanned.task(), model))) {
      return NO_MATCH;
    }
    if (fanned.submit() && fanned.kept() && futuresRead(body, state)) {
      return NO_MATCH; // the futures are read: get() rethrows the failure
    }
    return buildDescription(tree)
        .setMessage(
            "A failure of this task never reaches the code that waits for it at "
                + state.getSourceForNode(wait.call())
                + ", which goes on as if every task succeeded"
                + REMEDY)
        .build();
  }

  private Description matchInvokeAll(MethodInvocationTree tree, VisitorState state) {
    if (!isDropped(state.getPath())) {
      TreePath body = Trees.enclosingBody(state.getPath());
      if (body == null || futuresRead(body, state)) {
        return NO_MATCH;
      }
    }
    return buildDescription(tree)
        .setMessage(
            "The futures that invokeAll returns are never read with get(), so the failures of these"
                + " tasks (and, with a timeout, which tasks timed out) are lost"
                + REMEDY)
        .build();
  }

  /**
   * {@code exceptionally(ex -> null)}, {@code handle((v, ex) -> ex == null ? v : 0)}: a stage whose
   * handler turns every failure into a default value and does nothing else with it.
   */
  private Description matchRecoveringStage(MethodInvocationTree tree, VisitorState state) {
    if (tree.getArguments().isEmpty()
        || !(tree.getArguments().get(0) instanceof LambdaExpressionTree handler)) {
      return NO_MATCH; // a method reference or a variable: its body is elsewhere
    }
    boolean handle = Trees.calledName(tree).startsWith("handle");
    List<? extends VariableTree> parameters = handler.getParameters();
    if (parameters.size() != (handle ? 2 : 1)) {
      return NO_MATCH;
    }
    Symbol exception = ASTHelpers.getSymbol(parameters.get(handle ? 1 : 0));
    Symbol value = handle ? ASTHelpers.getSymbol(parameters.get(0)) : null;
    if (exception == null || isIgnoredOnPurpose(parameters.get(handle ? 1 : 0).getName())) {
      return NO_MATCH; // ex -> …: maybe lost; ignored -> …: dropped on purpose, said so
    }
    if ((isDropped(state.getPath()) || onlyAwaitedByAllOf(state.getPath(), state))
        && SameVariable.variable(ASTHelpers.getReceiver(tree)) != null) {
      return NO_MATCH; // a stage nobody reads: the failure still travels through the variable
    }
    if (!DefaultOnly.in(handler, exception, value, state)) {
      return NO_MATCH;
    }
    if (!handle && nextStageTestsForNull(handler, state.getPath())) {
      return NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(
            "This handler turns every failure into a default value and neither logs, records nor"
                + " rethrows the exception, so the code that reads the result cannot tell a failed"
                + " task from a successful one: log or record the exception here, rethrow it"
                + " (throw new CompletionException(e)), or let it reach the code that joins the"
                + " stage")
        .build();
  }

  /**
   * {@code cs.submit(task)} on a local {@code CompletionService} whose completed futures are never
   * taken (or polled) and read: the failures stay in futures nobody looks at.
   */
  private Description matchCompletionService(MethodInvocationTree tree, VisitorState state) {
    VarSymbol service = SameVariable.variable(ASTHelpers.getReceiver(tree));
    TreePath body = Trees.enclosingBody(state.getPath());
    if (service == null || service.getKind() != ElementKind.LOCAL_VARIABLE || body == null) {
      return NO_MATCH; // a field or a parameter: the completions may be taken elsewhere
    }
    ServiceUses uses = new ServiceUses(service);
    uses.scan(body, null);
    if (uses.escapes) {
      return NO_MATCH; // handed on, returned or stored: taken elsewhere
    }
    boolean kept = !isDropped(state.getPath());
    if ((uses.taken || kept) && futuresRead(body, state)) {
      return NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(
            "The futures of this CompletionService are never taken and read with get(), so the"
                + " failures of its tasks are lost: take() each completed future and get() it, or"
                + " use Tether's TaskGroup, whose await() rethrows the first failure and cancels the"
                + " other tasks")
        .build();
  }

  /** How a local {@code CompletionService} is used in its method. */
  private static final class ServiceUses extends TreePathScanner<Void, Void> {
    private static final Set<String> OWN_CALLS = Set.of("submit", "take", "poll");

    private final VarSymbol service;
    private boolean taken;
    private boolean escapes;

    ServiceUses(VarSymbol service) {
      this.service = service;
    }

    @Override
    public Void visitIdentifier(IdentifierTree tree, Void unused) {
      if (!service.equals(ASTHelpers.getSymbol(tree))) {
        return null;
      }
      String called = Trees.calledOn(getCurrentPath());
      if (called == null || !OWN_CALLS.contains(called)) {
        escapes = true; // an argument, a return value, an assignment, another method
      } else if (!called.equals("submit")) {
        TreePath call = getCurrentPath().getParentPath().getParentPath();
        taken |= !isDropped(call); // cs.take(); alone only counts completions
      }
      return null;
    }
  }

  /**
   * Whether a recovering handler only produces a value: literals, constants, fields, new JDK
   * objects, static JDK factories ({@code List.of()}, {@code Optional.empty()}, {@code
   * completedFuture(…)}), the value parameter of {@code handle} (and calls on it), and null tests
   * of the exception. Anything else — a mention of the exception, a throw, a call to another
   * method, an assignment, an increment — counts as doing something with the failure.
   */
  private static final class DefaultOnly extends TreeScanner<Void, Void> {
    private final Symbol exception;
    private final @Nullable Symbol value;
    private final LibraryModel model;
    private boolean acts;

    private DefaultOnly(Symbol exception, @Nullable Symbol value, LibraryModel model) {
      this.exception = exception;
      this.value = value;
      this.model = model;
    }

    static boolean in(
        LambdaExpressionTree handler,
        Symbol exception,
        @Nullable Symbol value,
        VisitorState state) {
      if (handler.getBody() instanceof BinaryTree binary && isNullTest(binary, exception)) {
        return false; // handle((v, e) -> e == null): a success flag
      }
      DefaultOnly scanner = new DefaultOnly(exception, value, LibraryModel.of(state));
      scanner.scan(handler.getBody(), null);
      return !scanner.acts;
    }

    @Override
    public Void scan(Tree tree, Void unused) {
      return acts ? null : super.scan(tree, null);
    }

    @Override
    public Void visitBinary(BinaryTree tree, Void unused) {
      if (isNullTest(tree, exception)) {
        return null;
      }
      return super.visitBinary(tree, null);
    }

    @Override
    public Void visitIdentifier(IdentifierTree tree, Void unused) {
      acts |= exception.equals(ASTHelpers.getSymbol(tree));
      return null;
    }

    @Override
    public Void visitThrow(ThrowTree tree, Void unused) {
      acts = true;
      return null;
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      Symbol method = ASTHelpers.getSymbol(tree);
      ExpressionTree receiver = ASTHelpers.getReceiver(tree);
      boolean pure =
          method != null
              && ((ASTHelpers.isStatic(method)
                      && isJdk(method)
                      && !LoggingCalls.isLogging(method.getSimpleName().toString(), model))
                  || (value != null && receiver != null && rootedIn(receiver, value)));
      if (!pure) {
        acts = true;
        return null;
      }
      return super.visitMethodInvocation(tree, null);
    }

    @Override
    public Void visitNewClass(NewClassTree tree, Void unused) {
      Symbol constructor = ASTHelpers.getSymbol(tree);
      if (tree.getClassBody() != null || constructor == null || !isJdk(constructor)) {
        acts = true; // a project's result type may well record the failure
        return null;
      }
      return super.visitNewClass(tree, null);
    }

    @Override
    public Void visitAssignment(AssignmentTree tree, Void unused) {
      acts = true;
      return null;
    }

    @Override
    public Void visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
      acts = true;
      return null;
    }

    @Override
    public Void visitUnary(UnaryTree tree, Void unused) {
      switch (tree.getKind()) {
        case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
            acts = true;
        default -> super.visitUnary(tree, null);
      }
      return null;
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      acts = true; // code for later: not judged
      return null;
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
      acts = true;
      return null;
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      acts = true;
      return null;
    }

    private static boolean isJdk(Symbol symbol) {
      String owner = symbol.owner.getQualifiedName().toString();
      return owner.startsWith("java.");
    }

    private static boolean rootedIn(ExpressionTree receiver, Symbol root) {
      ExpressionTree e = ASTHelpers.stripParentheses(receiver);
      while (e instanceof MemberSelectTree select) {
        e = ASTHelpers.stripParentheses(select.getExpression());
      }
      return e instanceof IdentifierTree && root.equals(ASTHelpers.getSymbol(e));
    }
  }

  private static final Matcher<ExpressionTree> ALL_OF =
      staticMethod().onClass("java.util.concurrent.CompletableFuture").named("allOf");

  /** Stages that run a function of the value of the stage they are chained on. */
  private static final Set<String> VALUE_STAGES =
      Set.of(
          "thenApply",
          "thenApplyAsync",
          "thenAccept",
          "thenAcceptAsync",
          "thenCompose",
          "thenComposeAsync",
          "handle",
          "handleAsync",
          "whenComplete",
          "whenCompleteAsync");

  /**
   * Whether the handler of {@code exceptionally} at {@code stage} produces {@code null} and the
   * stage chained directly on it tests its value for {@code null} ({@code f.exceptionally(e ->
   * null).thenCompose(c -> c == null ? done : c.closeAsync())}): {@code null} then stands for the
   * failure, and the code that reads it tells a failed task from a successful one.
   */
  private static boolean nextStageTestsForNull(LambdaExpressionTree handler, TreePath stage) {
    Tree body = handler.getBody();
    if (body instanceof BlockTree block
        && block.getStatements().size() == 1
        && block.getStatements().get(0) instanceof ReturnTree ret
        && ret.getExpression() != null) {
      body = ret.getExpression();
    }
    if (!(body instanceof ExpressionTree value)
        || !Trees.isNullLiteral(ASTHelpers.stripParentheses(value))) {
      return false;
    }
    TreePath select = stage.getParentPath();
    TreePath next = select == null ? null : select.getParentPath();
    if (select == null
        || next == null
        || !(select.getLeaf() instanceof MemberSelectTree member)
        || member.getExpression() != stage.getLeaf()
        || !(next.getLeaf() instanceof MethodInvocationTree call)
        || call.getMethodSelect() != member
        || !VALUE_STAGES.contains(member.getIdentifier().toString())
        || call.getArguments().isEmpty()
        || !(call.getArguments().get(0) instanceof LambdaExpressionTree reader)
        || reader.getParameters().isEmpty()) {
      return false;
    }
    Symbol read = ASTHelpers.getSymbol(reader.getParameters().get(0));
    return read != null
        && Trees.contains(
            reader.getBody(),
            node -> node instanceof BinaryTree binary && isNullTest(binary, read));
  }

  /** {@code e == null}, {@code null != e}. */
  private static boolean isNullTest(BinaryTree tree, Symbol exception) {
    if (tree.getKind() != Tree.Kind.EQUAL_TO && tree.getKind() != Tree.Kind.NOT_EQUAL_TO) {
      return false;
    }
    ExpressionTree left = ASTHelpers.stripParentheses(tree.getLeftOperand());
    ExpressionTree right = ASTHelpers.stripParentheses(tree.getRightOperand());
    return (Trees.isNullLiteral(right) && isExceptionName(left, exception))
        || (Trees.isNullLiteral(left) && isExceptionName(right, exception));
  }

  private static boolean isExceptionName(ExpressionTree tree, Symbol exception) {
    return tree instanceof IdentifierTree && exception.equals(ASTHelpers.getSymbol(tree));
  }

  /** The task that {@code call} hands to an executor's {@code execute} or {@code submit}. */
  private static @Nullable Fanned fanned(MethodInvocationTree call, VisitorState state) {
    for (ExpressionTree argument : call.getArguments()) {
      if (!(argument instanceof LambdaExpressionTree
          || (argument instanceof NewClassTree newClass && newClass.getClassBody() != null))) {
        continue; // method references and task variables: their body is elsewhere
      }
      Optional<Handoff> handoff =
          ConcurrentCode.handoff(new TreePath(state.getPath(), argument), state);
      if (handoff.isEmpty()
          || handoff.get().kind() != Kind.EXECUTOR
          || handoff.get().call() != call
          || handoff.get().executor() == null) {
        return null;
      }
      Symbol method = ASTHelpers.getSymbol(call);
      String name = method == null ? "" : method.getSimpleName().toString();
      if (!name.equals("execute") && !name.equals("submit")) {
        return null; // schedule*: periodic work, not a fan-out
      }
      return new Fanned(
          call,
          argument,
          handoff.get().executor(),
          name.equals("submit"),
          !isDropped(state.getPath()) && !isForEachBody(state.getPath(), state));
    }
    return null;
  }

  /** Whether the method (or initializer) at {@code body} reads the futures it holds. */
  private static boolean futuresRead(TreePath body, VisitorState state) {
    Facts reads = new Facts(state, true);
    reads.scan(body, null);
    return reads.futuresRead;
  }

  /** One task handed to {@code execute}/{@code submit}. */
  private record Fanned(
      MethodInvocationTree call,
      Tree task,
      ExpressionTree executor,
      boolean submit,
      boolean kept) {}

  /**
   * A wait for signals or termination, outside the tasks; {@code bestEffort} when it is timed and
   * its result (whether the tasks finished) is dropped ({@link #isBestEffort}).
   */
  private record Wait(
      MethodInvocationTree call,
      @Nullable VarSymbol synchronizer,
      @Nullable ExpressionTree pool,
      boolean bestEffort) {}

  /**
   * Whether {@code wait} only bounds how long the waiter waits: a timed wait that returns whether
   * the tasks finished ({@code latch.await(1, SECONDS)}, {@code awaitTermination(…)}), as a
   * statement of its own. The waiter learns nothing of the tasks, not even that they ended, so it
   * cannot go on "as if every task succeeded": what happens to a failure is the task's business.
   */
  private static boolean isBestEffort(
      MethodInvocationTree wait, TreePath path, VisitorState state) {
    Symbol method = ASTHelpers.getSymbol(wait);
    return method instanceof Symbol.MethodSymbol m
        && m.getReturnType().getKind() == TypeKind.BOOLEAN
        && !m.getParameters().isEmpty()
        && ASTHelpers.isSameType(
            m.getParameters().get(m.getParameters().size() - 1).asType(),
            TIME_UNIT.get(state),
            state)
        && (isDropped(path) || onlyReportedWhenLate(path));
  }

  /**
   * Whether the timed wait at {@code path} is the whole condition of an {@code if} without {@code
   * else} whose block, taken when the wait timed out, only reports it ({@code if (!done.await(10,
   * SECONDS)) { LOG.info("could not stop in time"); }}, {@link LoggingCalls#onlyReports}): the
   * waiter learns only that the tasks were late, says so, and goes on as it would have anyway; as
   * when the result is dropped, what happens to a failure is the task's business.
   */
  private static boolean onlyReportedWhenLate(TreePath path) {
    TreePath p = path;
    while (p.getParentPath() != null && p.getParentPath().getLeaf() instanceof ParenthesizedTree) {
      p = p.getParentPath();
    }
    TreePath not = p.getParentPath();
    if (not == null
        || !(not.getLeaf() instanceof UnaryTree unary)
        || unary.getKind() != Tree.Kind.LOGICAL_COMPLEMENT) {
      return false;
    }
    TreePath condition = not.getParentPath();
    while (condition != null && condition.getLeaf() instanceof ParenthesizedTree) {
      if (condition.getParentPath() != null
          && condition.getParentPath().getLeaf() instanceof IfTree) {
        break;
      }
      condition = condition.getParentPath();
    }
    if (condition == null
        || condition.getParentPath() == null
        || !(condition.getParentPath().getLeaf() instanceof IfTree ifTree)
        || ifTree.getCondition() != condition.getLeaf()
        || ifTree.getElseStatement() != null) {
      return false;
    }
    List<? extends StatementTree> statements =
        ifTree.getThenStatement() instanceof BlockTree block
            ? block.getStatements()
            : List.of(ifTree.getThenStatement());
    for (StatementTree statement : statements) {
      if (!(statement instanceof ExpressionStatementTree expression
          && expression.getExpression() instanceof MethodInvocationTree call
          && LoggingCalls.onlyReports(call))) {
        return false;
      }
    }
    return true;
  }

  /** The wait after the hand-off, outside its task, that coordinates with it. */
  private static @Nullable Wait waiterOf(Fanned fanned, List<Wait> waits, VisitorState state) {
    int callStart = ASTHelpers.getStartPosition(fanned.call());
    int taskStart = ASTHelpers.getStartPosition(fanned.task());
    int taskEnd = state.getEndPosition(fanned.task());
    for (Wait wait : waits) {
      int at = ASTHelpers.getStartPosition(wait.call());
      if (at < callStart || (at >= taskStart && at < taskEnd)) {
        continue;
      }
      if (wait.pool() != null
          ? SameVariable.of(wait.pool(), fanned.executor())
          : Symbols.mentions(fanned.task(), wait.synchronizer())) {
        return wait;
      }
    }
    return null;
  }

  /**
   * The facts of one method (or initializer) body, found in one scan: its waits, or (with {@code
   * trackReads}) whether it reads the futures it holds.
   */
  private static final class Facts extends TreePathScanner<Void, Void> {
    private final VisitorState state;
    private final List<Wait> waits = new ArrayList<>();
    private final boolean trackReads;
    private boolean futuresRead;

    Facts(VisitorState state, boolean trackReads) {
      this.state = state;
      this.trackReads = trackReads;
    }

    @Override
    public Void scan(Tree tree, Void unused) {
      return trackReads && futuresRead ? null : super.scan(tree, null);
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      return null; // its methods are matched on their own
    }

    @Override
    public Void visitNewClass(NewClassTree tree, Void unused) {
      scan(tree.getEnclosingExpression(), null);
      scan(tree.getArguments(), null);
      return null; // not the body: its methods are matched on their own
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      if (trackReads
          && tree.getBody() instanceof ExpressionTree body
          && isFutureish(body)
          && !isForEachBody(new TreePath(getCurrentPath(), body), state)) {
        futuresRead = true; // a future handed on by a function
      }
      return super.visitLambdaExpression(tree, null);
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      if (trackReads) {
        futuresRead |= readsFutures(tree);
      } else if (WAIT_NAMES.contains(Trees.calledName(tree))) {
        if (SIGNAL_WAIT.matches(tree, state)) {
          VarSymbol synchronizer = SameVariable.variable(ASTHelpers.getReceiver(tree));
          if (synchronizer != null) {
            waits.add(
                new Wait(tree, synchronizer, null, isBestEffort(tree, getCurrentPath(), state)));
          }
        } else if (TERMINATION_WAIT.matches(tree, state)) {
          ExpressionTree pool = ASTHelpers.getReceiver(tree);
          if (SameVariable.variable(pool) != null) {
            waits.add(new Wait(tree, null, pool, isBestEffort(tree, getCurrentPath(), state)));
          }
        }
      }
      return super.visitMethodInvocation(tree, null);
    }

    /**
     * Whether {@code tree} reads a future (anything but {@code cancel}/{@code isDone}/{@code
     * isCancelled} on a future), or hands futures on. Walking a collection of futures ({@code
     * stream()}, {@code get(i)}, {@code iterator()}, {@code filter(Future::isDone)}) is not a read.
     */
    private boolean readsFutures(MethodInvocationTree tree) {
      Symbol method = ASTHelpers.getSymbol(tree);
      if (method == null) {
        return false;
      }
      String name = method.getSimpleName().toString();
      ExpressionTree receiver = ASTHelpers.getReceiver(tree);
      if (receiver != null && isFuture(ASTHelpers.getType(receiver))) {
        return !NOT_READING.contains(name); // get(), join(), resultNow(), thenApply(…) …
      }
      if (COLLECTING.contains(name)) {
        VarSymbol collection = SameVariable.variable(receiver);
        // into a local collection: still here to be read (or not); into a field: read elsewhere
        return (collection == null || collection.getKind() != ElementKind.LOCAL_VARIABLE)
            && tree.getArguments().stream().anyMatch(this::isFutureish);
      }
      if (receiver != null && isFutureish(receiver)) {
        // a collection or stream of futures: only a function that reads them reads them
        for (ExpressionTree argument : tree.getArguments()) {
          if (argument instanceof MemberReferenceTree reference && readsThrough(reference)) {
            return true;
          }
        }
        return false;
      }
      for (ExpressionTree argument : tree.getArguments()) {
        if (isFutureish(argument)) {
          return true; // handed on: allOf(…), Futures.getDone(…), a helper that waits
        }
      }
      return false;
    }

    /** {@code CompletableFuture::join}, {@code this::check}: yes; {@code Future::isDone}: no. */
    private boolean readsThrough(MemberReferenceTree reference) {
      Type qualifier = ASTHelpers.getType(reference.getQualifierExpression());
      return !isFuture(qualifier) || !NOT_READING.contains(reference.getName().toString());
    }

    @Override
    public Void visitReturn(ReturnTree tree, Void unused) {
      if (trackReads && tree.getExpression() != null && isFutureish(tree.getExpression())) {
        futuresRead = true; // the caller reads them
      }
      return super.visitReturn(tree, null);
    }

    @Override
    public Void visitAssignment(AssignmentTree tree, Void unused) {
      Symbol target = ASTHelpers.getSymbol(tree.getVariable());
      if (trackReads
          && (target == null || target.getKind() != ElementKind.LOCAL_VARIABLE)
          && isFutureish(tree.getExpression())) {
        futuresRead = true; // stored in a field or an array: read elsewhere
      }
      return super.visitAssignment(tree, null);
    }

    private boolean isFuture(@Nullable Type type) {
      return type != null
          && type.getKind() != TypeKind.ERROR
          && !type.isPrimitive()
          && (ASTHelpers.isSubtype(type, FUTURE_TYPE.get(state), state)
              || ASTHelpers.isSubtype(type, COMPLETION_STAGE_TYPE.get(state), state));
    }

    private boolean isFutureish(ExpressionTree tree) {
      return isFutureish(ASTHelpers.getType(tree), 0);
    }

    private boolean isFutureish(@Nullable Type type, int depth) {
      if (type == null || type.getKind() == TypeKind.ERROR || depth > 2) {
        return false;
      }
      if (type instanceof ArrayType array) {
        return isFutureish(array.getComponentType(), depth + 1);
      }
      if (isFuture(type)) {
        return true;
      }
      for (Type argument : type.getTypeArguments()) {
        if (isFutureish(argument, depth + 1)) {
          return true;
        }
      }
      return false;
    }
  }

  private static final Matcher<ExpressionTree> FOR_EACH =
      anyOf(
          instanceMethod().onDescendantOf("java.lang.Iterable").named("forEach"),
          instanceMethod().onDescendantOf("java.util.Map").named("forEach"),
          instanceMethod()
              .onDescendantOf("java.util.stream.Stream")
              .namedAnyOf("forEach", "forEachOrdered"));

  /**
   * Whether {@code path} is the expression body of a lambda handed to {@code forEach} of an {@code
   * Iterable}, a {@code Map} or a {@code Stream} ({@code map.forEach((k, v) -> pool.submit(…))}):
   * the lambda runs once per element before {@code forEach} returns, like the body of a {@code for}
   * loop of the method, and its value is dropped (a {@code Consumer} returns nothing).
   */
  private static boolean isForEachBody(TreePath path, VisitorState state) {
    TreePath lambda = path.getParentPath();
    TreePath call = lambda == null ? null : lambda.getParentPath();
    return lambda != null
        && call != null
        && lambda.getLeaf() instanceof LambdaExpressionTree tree
        && tree.getBody() == path.getLeaf()
        && call.getLeaf() instanceof MethodInvocationTree invocation
        && invocation.getArguments().contains(tree)
        && FOR_EACH.matches(invocation, state);
  }

  /** Whether the value of the call at {@code path} is thrown away: it is a statement of its own. */
  private static boolean isDropped(@Nullable TreePath path) {
    TreePath p = path;
    while (p != null
        && p.getParentPath() != null
        && p.getParentPath().getLeaf() instanceof ParenthesizedTree) {
      p = p.getParentPath();
    }
    return p != null
        && p.getParentPath() != null
        && p.getParentPath().getLeaf() instanceof ExpressionStatementTree;
  }

  /**
   * Whether the stage at {@code stage} is only waited for by {@code CompletableFuture.allOf}, which
   * drops its value: an argument of {@code allOf(…)}, or the body of a lambda given to {@code
   * map(…)} of a stream that goes straight to {@code toArray(…)}, an argument of {@code allOf(…)}
   * ({@code allOf(futures.stream().map(f -> f.exceptionally(e -> null)).toArray(…))}: a marker that
   * completes when all of them do). Nobody reads the default value.
   */
  private static boolean onlyAwaitedByAllOf(TreePath stage, VisitorState state) {
    TreePath p = stage;
    TreePath parent = p.getParentPath();
    if (parent != null
        && parent.getLeaf() instanceof LambdaExpressionTree lambda
        && lambda.getBody() == p.getLeaf()) {
      TreePath map = parent.getParentPath();
      TreePath select = map == null ? null : map.getParentPath();
      TreePath toArray = select == null ? null : select.getParentPath();
      if (map == null
          || !(map.getLeaf() instanceof MethodInvocationTree mapCall)
          || !Trees.calledName(mapCall).equals("map")
          || !(select.getLeaf() instanceof MemberSelectTree member)
          || member.getExpression() != mapCall
          || !member.getIdentifier().contentEquals("toArray")
          || toArray == null
          || !(toArray.getLeaf() instanceof MethodInvocationTree toArrayCall)
          || toArrayCall.getMethodSelect() != member) {
        return false;
      }
      p = toArray;
      parent = p.getParentPath();
    }
    return parent != null
        && parent.getLeaf() instanceof MethodInvocationTree call
        && call.getArguments().contains(p.getLeaf())
        && ALL_OF.matches(call, state);
  }

  /**
   * Whether the task calls anything but the synchronizers ({@code latch::countDown} as a task only
   * signals that the executor got to it, and cannot fail).
   */
  private static boolean doesWork(Tree task) {
    return Trees.contains(
        task,
        node ->
            node instanceof MethodInvocationTree call
                ? !onlySignals(ASTHelpers.getSymbol(call.getMethodSelect()))
                : node instanceof NewClassTree && node != task);
  }

  /** Names of calls that wait for a signal on their receiver ({@link #onlySignalsItsWaiter}). */
  private static final Set<String> WAITS_FOR_SIGNAL = Set.of("await", "sync", "get", "join");

  /**
   * Whether {@code call} waits for a signal on its receiver ({@link #WAITS_FOR_SIGNAL}); {@code
   * get} only on a {@code Future} (a map's or a list's {@code get} reads, it does not wait).
   */
  private static boolean waitsForSignal(MethodInvocationTree call, VisitorState state) {
    String name = Trees.calledName(call);
    if (!WAITS_FOR_SIGNAL.contains(name)) {
      return false;
    }
    if (!name.equals("get")) {
      return true;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    Type type = receiver == null ? null : ASTHelpers.getType(receiver);
    return type != null && ASTHelpers.isSubtype(type, FUTURE_TYPE.get(state), state);
  }

  /**
   * Whether the task only signals what the method itself then waits on (Qpid JMS's session close:
   * {@code execute(() -> { if (queue.isEmpty()) { completion.onSuccess(); } })}, then {@code
   * completion.sync(timeout)}): every call in the task is on a variable that the method, after the
   * hand-off and outside the task, waits on ({@link #waitsForSignal}: {@code await}, {@code sync},
   * {@code join}, or {@code get} of a {@code Future}, timed or not), or is a JDK method called in
   * the condition of an {@code if}; it creates, assigns and increments nothing. Such a task has no
   * work whose failure could be lost: if it fails, its signal is missing, and a missing signal is
   * what the wait sees.
   */
  private static boolean onlySignalsItsWaiter(Fanned fanned, TreePath body, VisitorState state) {
    List<VarSymbol> signalled = new ArrayList<>();
    boolean[] works = new boolean[1];
    new TreeScanner<Void, Boolean>() {
      @Override
      public Void scan(Tree tree, Boolean inCondition) {
        return works[0] ? null : super.scan(tree, inCondition);
      }

      @Override
      public Void visitIf(IfTree tree, Boolean inCondition) {
        scan(tree.getCondition(), true);
        scan(tree.getThenStatement(), inCondition);
        return scan(tree.getElseStatement(), inCondition);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Boolean inCondition) {
        Symbol method = ASTHelpers.getSymbol(call);
        VarSymbol receiver = SameVariable.variable(ASTHelpers.getReceiver(call));
        if (Boolean.TRUE.equals(inCondition) && method != null && DefaultOnly.isJdk(method)) {
          return super.visitMethodInvocation(call, inCondition);
        }
        if (receiver == null) {
          works[0] = true;
          return null;
        }
        signalled.add(receiver);
        return super.visitMethodInvocation(call, inCondition);
      }

      @Override
      public Void visitNewClass(NewClassTree tree, Boolean inCondition) {
        if (tree != fanned.task()) {
          works[0] = true;
          return null;
        }
        return super.visitNewClass(tree, inCondition);
      }

      @Override
      public Void visitAssignment(AssignmentTree tree, Boolean inCondition) {
        works[0] = true;
        return null;
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree tree, Boolean inCondition) {
        works[0] = true;
        return null;
      }

      @Override
      public Void visitUnary(UnaryTree tree, Boolean inCondition) {
        switch (tree.getKind()) {
          case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
              works[0] = true;
          default -> super.visitUnary(tree, inCondition);
        }
        return null;
      }
    }.scan(fanned.task(), false);
    if (works[0] || signalled.isEmpty()) {
      return false;
    }
    int after = state.getEndPosition(fanned.call());
    for (VarSymbol signal : signalled) {
      boolean awaited =
          Trees.containsCall(
              body.getLeaf(),
              call ->
                  waitsForSignal(call, state)
                      && ASTHelpers.getStartPosition(call) > after
                      && signal.equals(SameVariable.variable(ASTHelpers.getReceiver(call))));
      if (!awaited) {
        return false;
      }
    }
    return true;
  }

  private static boolean onlySignals(@Nullable Symbol method) {
    return method != null
        && LibraryModel.isSignallingSynchronizer(method.owner.getQualifiedName().toString());
  }

  /**
   * Whether the task hands a failure it catches to someone: a catch block passes the exception to a
   * method that does not merely log it, to a constructor whose result is not thrown, or stores it.
   * Rethrowing or logging does not count: the waiter sees neither.
   */
  private static boolean recordsFailures(Tree task, LibraryModel model) {
    return Trees.contains(
        task, node -> node instanceof CatchTree clause && catchRecords(clause, model));
  }

  /**
   * Whether the task handles the failures it catches itself: it has a {@code catch}, and every
   * {@code catch} records the exception ({@link #catchRecords}), logs it ({@code log.debug("…",
   * e)}, {@code e.printStackTrace()}), or names it as ignored on purpose ({@link
   * #isIgnoredOnPurpose}). A task with no {@code catch}, or one that swallows silently, does not.
   */
  private static boolean handlesOwnFailures(Tree task, LibraryModel model) {
    List<CatchTree> catches = new ArrayList<>();
    Trees.contains(task, node -> node instanceof CatchTree clause && !catches.add(clause));
    return !catches.isEmpty()
        && catches.stream()
            .allMatch(
                clause ->
                    isIgnoredOnPurpose(clause.getParameter().getName())
                        || catchRecords(clause, model)
                        || catchLogs(clause, model));
  }

  /**
   * Whether a name says that the exception it holds is ignored on purpose: Java 22's unnamed {@code
   * _}, Error Prone's {@code unused} (its UnusedException and UnusedVariable checks), and
   * IntelliJ's {@code ignore}/{@code ignored} (its empty-catch inspection).
   */
  private static boolean isIgnoredOnPurpose(javax.lang.model.element.Name name) {
    return name.length() == 0 || IGNORED_NAMES.contains(name.toString());
  }

  /** Whether the {@code catch} block logs the exception: a logging call given it, or on it. */
  private static boolean catchLogs(CatchTree tree, LibraryModel model) {
    Symbol exception = ASTHelpers.getSymbol(tree.getParameter());
    return exception != null
        && Trees.containsCall(
            tree.getBlock(),
            call -> {
              String name = Trees.calledName(call);
              if (!model.isLogging(name) && !name.equals("printStackTrace")) {
                return false;
              }
              ExpressionTree receiver = ASTHelpers.getReceiver(call);
              return (receiver != null && mentionsSymbol(receiver, exception))
                  || call.getArguments().stream().anyMatch(a -> mentionsSymbol(a, exception));
            });
  }

  private static boolean catchRecords(CatchTree tree, LibraryModel model) {
    Symbol exception = ASTHelpers.getSymbol(tree.getParameter());
    if (exception == null) {
      return false;
    }
    return new StoppingScanner() {

      @Override
      public Void visitThrow(ThrowTree node, Void unused) {
        return null; // rethrown (wrapped or not): the executor, not the waiter, sees it
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
        Symbol method = ASTHelpers.getSymbol(node.getMethodSelect());
        String name = method == null ? "" : method.getSimpleName().toString();
        if (!LoggingCalls.onlyReports(name, model)) {
          for (ExpressionTree argument : node.getArguments()) {
            if (mentionsSymbol(argument, exception)) {
              stop();
              return null;
            }
          }
        }
        return super.visitMethodInvocation(node, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree node, Void unused) {
        if (mentionsSymbol(node.getExpression(), exception)) {
          stop();
        }
        return super.visitAssignment(node, null);
      }
    }.finds(tree.getBlock());
  }

  private static boolean mentionsSymbol(Tree tree, Symbol symbol) {
    return symbol instanceof VarSymbol var && Symbols.mentions(tree, var);
  }
}
