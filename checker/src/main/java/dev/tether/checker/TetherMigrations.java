package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static com.google.errorprone.matchers.method.MethodMatchers.constructor;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static dev.tether.checker.utils.Links.BUGPATTERN;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneOptions.Severity;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.fixes.SuggestedFixes.AdditionPosition;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.google.errorprone.util.FindIdentifiers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.EnclosingLoops;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.RuntimeApi;
import dev.tether.checker.utils.SameVariable;
import dev.tether.checker.utils.StoppingScanner;
import dev.tether.checker.utils.Trees;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BugChecker} that rewrites hand-made fan-outs to Tether's runtime, when the runtime is on
 * the class path and the check is named on the command line ({@code -Xep:TetherMigrations}).
 * TimerInLoop's timer per iteration has no rewrite to a {@code Ticker} on purpose: every shape of
 * it would change the loop's timing or its interrupts (the page says how).
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Migrate a hand-made fan-out to Tether's TaskGroup, which propagates task failures",
    link = BUGPATTERN + "TetherMigrations.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class TetherMigrations extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String LATCH = "java.util.concurrent.CountDownLatch";

  private static final Supplier<Type> COLLECTION = Suppliers.typeFromString("java.util.Collection");

  private static final Matcher<ExpressionTree> LATCH_AWAIT =
      instanceMethod().onDescendantOf(LATCH).named("await").withNoParameters();

  private static final Matcher<ExpressionTree> COUNT_DOWN =
      instanceMethod().onDescendantOf(LATCH).named("countDown");

  private static final Matcher<ExpressionTree> NEW_LATCH =
      constructor().forClass(LATCH).withParameters("int");

  private static final Matcher<ExpressionTree> EXECUTE =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.Executor")
          .named("execute")
          .withParameters("java.lang.Runnable");

  private static final Matcher<ExpressionTree> SUBMIT_RUNNABLE =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.ExecutorService")
          .named("submit")
          .withParameters("java.lang.Runnable");

  private static final Matcher<ExpressionTree> THREAD_JOIN =
      instanceMethod().onDescendantOf("java.lang.Thread").named("join").withNoParameters();

  private static final Matcher<ExpressionTree> NEW_THREAD =
      constructor().forClass("java.lang.Thread").withParameters("java.lang.Runnable");

  private static final Supplier<Type> INTERRUPTED =
      Suppliers.typeFromString("java.lang.InterruptedException");

  /**
   * Types a task body of a thread fan-out may not use. Synchronizers and hand-offs let tasks wait
   * for each other, and under a limit a task can wait for one the limit keeps from starting;
   * thread-locals belong to the thread, which the group's threads no longer are.
   */
  private static final List<Supplier<Type>> NOT_IN_THREAD_TASK =
      List.of(
          Suppliers.typeFromString(LATCH),
          Suppliers.typeFromString("java.util.concurrent.CyclicBarrier"),
          Suppliers.typeFromString("java.util.concurrent.Phaser"),
          Suppliers.typeFromString("java.util.concurrent.Exchanger"),
          Suppliers.typeFromString("java.util.concurrent.Semaphore"),
          Suppliers.typeFromString("java.util.concurrent.BlockingQueue"),
          Suppliers.typeFromString("java.util.concurrent.locks.Condition"),
          Suppliers.typeFromString("java.lang.ThreadLocal"));

  /** Calls a task body of a thread fan-out may not make: it looks at, or waits on, its thread. */
  private static final Set<String> NOT_CALLED_IN_THREAD_TASK =
      Set.of("currentThread", "wait", "notify", "notifyAll");

  /** The constant that holds the limit of a migrated thread fan-out. */
  private static final String MAX_CONCURRENCY = "MAX_CONCURRENCY";

  /** The limit the migration writes when no {@code MAX_CONCURRENCY} constant is in scope. */
  static final int DEFAULT_LIMIT = 16;

  /** The names the group variable may take, in order of preference. */
  private static final List<String> GROUP_NAMES = List.of("group", "tasks", "taskGroup");

  /** The names the task's scope parameter may take, in order of preference. */
  private static final List<String> SCOPE_NAMES = List.of("s", "scope", "taskScope");

  /** The longest line the one-line form {@code group.go(s -> work());} may make. */
  private static final int MAX_LINE = 100;

  /**
   * Matches {@code latch.await()} and {@code thread.join()}, and looks at the statements before
   * them: a latch and the loop that hands one task per element to an executor; or a list of threads
   * and the loop that starts one per element. Silent unless {@code -Xep:TetherMigrations} names the
   * check, and when the runtime is not on the class path.
   */
  private static final PerCompilation<Set<Name>> WAIT_NAMES = PerCompilation.names("await", "join");

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!tree.getArguments().isEmpty()) {
      return NO_MATCH;
    }
    if (!Trees.calledNameIn(tree, WAIT_NAMES.get(state))
        || !named(state)
        || !RuntimeApi.hasTaskGroup(state)) {
      return NO_MATCH; // by name first: no String for every call without arguments
    }
    String name = Trees.calledName(tree);
    if (name.equals("await")) {
      LatchFanOut fanOut =
          LATCH_AWAIT.matches(tree, state) ? LatchFanOut.find(state.getPath(), state) : null;
      return fanOut == null
          ? NO_MATCH
          : offer(
              fanOut.latch(),
              fanOut.migration(state),
              "Tether's runtime is on the class path: this executor-and-latch fan-out can be a"
                  + " TaskGroup on the same executor, whose await() rethrows the first failure of"
                  + " a task (the latch lets it pass unseen) and cancels the other tasks");
    }
    ThreadFanOut fanOut =
        THREAD_JOIN.matches(tree, state) ? ThreadFanOut.find(state.getPath(), state) : null;
    return fanOut == null
        ? NO_MATCH
        : offer(
            fanOut.threads(),
            fanOut.migration(state),
            "Tether's runtime is on the class path: this thread-per-element fan-out can be a"
                + " TaskGroup with a limit, which runs at most "
                + MAX_CONCURRENCY
                + " tasks at once (the loop started a thread for every element), rethrows the"
                + " first failure from await() (a thread's failure went to its uncaught-exception"
                + " handler, unseen by the caller) and cancels the other tasks");
  }

  /** The finding at {@code at} with the migration {@code fix}; none when there is no fix. */
  private Description offer(Tree at, @Nullable SuggestedFix fix, String message) {
    return fix == null ? NO_MATCH : buildDescription(at).setMessage(message).addFix(fix).build();
  }

  /**
   * Whether {@code -Xep:TetherMigrations} (with any severity but OFF) names this check. A plugin
   * check cannot be disabled by default (Error Prone enables every check it loads from the
   * processor path), so the check itself stays silent in builds that do not ask for migrations.
   */
  private boolean named(VisitorState state) {
    Severity severity = state.errorProneOptions().getSeverityMap().get(canonicalName());
    return severity != null && severity != Severity.OFF;
  }

  /**
   * Three consecutive statements of one block:
   *
   * <pre>{@code
   * CountDownLatch done = new CountDownLatch(items.size()); // or items.length
   * for (Item item : items) {
   *   executor.execute(() -> {   // or executor.submit(() -> { … }), the future dropped
   *     try {
   *       work(item);
   *     } finally {
   *       done.countDown();
   *     }
   *   });
   * }
   * done.await();
   * }</pre>
   *
   * with the latch used nowhere else and a final executor variable.
   */
  private record LatchFanOut(
      VariableTree latch,
      EnhancedForLoopTree loop,
      ExpressionTree executor,
      BlockTree work,
      ExpressionStatementTree await) {

    static @Nullable LatchFanOut find(TreePath awaitCall, VisitorState state) {
      TreePath statement = awaitCall.getParentPath();
      if (!(statement.getLeaf() instanceof ExpressionStatementTree await)
          || !(statement.getParentPath().getLeaf() instanceof BlockTree block)) {
        return null;
      }
      DeclarationThenLoop before = DeclarationThenLoop.before(await, block);
      if (before == null) {
        return null;
      }
      VariableTree latch = before.declaration();
      EnhancedForLoopTree loop = before.loop();
      VarSymbol latchSymbol = before.local();
      if (!isLatch(ASTHelpers.getReceiver(await.getExpression()), latchSymbol)
          || !countsElements(latch.getInitializer(), loop.getExpression(), state)) {
        return null;
      }
      MethodInvocationTree handoff = onlyCall(loop.getStatement());
      if (handoff == null
          || !(EXECUTE.matches(handoff, state) || SUBMIT_RUNNABLE.matches(handoff, state))) {
        return null;
      }
      ExpressionTree executor = ASTHelpers.getReceiver(handoff);
      if (!isFinalVariable(executor)
          || !(handoff.getArguments().get(0) instanceof LambdaExpressionTree task)
          || !task.getParameters().isEmpty()
          || !(task.getBody() instanceof BlockTree taskBody)
          || taskBody.getStatements().size() != 1
          || !(taskBody.getStatements().get(0) instanceof TryTree guarded)) {
        return null;
      }
      BlockTree work = countsDownInFinally(guarded, latchSymbol, state);
      if (work == null || uses(block, latchSymbol) != 2) {
        return null; // the latch does more than count this loop's tasks
      }
      if (waitsForFanOut(work, state)) {
        return null; // a fan-out inside the task: rewritten on its own, never both at once
      }
      return new LatchFanOut(latch, loop, executor, work, await);
    }

    /**
     * {@code try { work } finally { latch.countDown(); }} with no catch and no resources: its
     * {@code work} block, or null.
     */
    private static @Nullable BlockTree countsDownInFinally(
        TryTree guarded, VarSymbol latch, VisitorState state) {
      BlockTree finallyBlock = guarded.getFinallyBlock();
      if (!guarded.getCatches().isEmpty()
          || !guarded.getResources().isEmpty()
          || finallyBlock == null
          || finallyBlock.getStatements().size() != 1
          || guarded.getBlock().getStatements().isEmpty()
          || !(finallyBlock.getStatements().get(0) instanceof ExpressionStatementTree statement)
          || !(statement.getExpression() instanceof MethodInvocationTree countDown)
          || !COUNT_DOWN.matches(countDown, state)
          || !isLatch(ASTHelpers.getReceiver(countDown), latch)) {
        return null;
      }
      return guarded.getBlock();
    }

    /** The rewrite to a {@code TaskGroup}, or null where it would lose a comment. */
    @Nullable SuggestedFix migration(VisitorState state) {
      CharSequence source = state.getSourceCode();
      if (source == null) {
        return null;
      }
      int start = ASTHelpers.getStartPosition(latch);
      int end = state.getEndPosition(await);
      int workStart = ASTHelpers.getStartPosition(work) + 1; // after '{'
      int workEnd = state.getEndPosition(work) - 1; // before '}'
      Region region = Region.of(source, start, end, workStart, workEnd);
      if (region == null) {
        return null; // the latch does not start its line, or a comment would be lost
      }
      String indent = region.indent();
      Names names = Names.fresh(state);
      String group = names.group();
      String scope = names.scope();
      List<String> lines = workLines(region.inner());
      if (lines.isEmpty()) {
        return null;
      }

      String header = loopHeader(loop, state);
      StringBuilder out = new StringBuilder();
      out.append("// Integer.MAX_VALUE: no limit, as before (the executor bounds the threads).\n")
          .append(indent)
          .append("try (TaskGroup ")
          .append(group)
          .append(" = TaskGroup.open().withExecutor(")
          .append(state.getSourceForNode(executor))
          .append(").withLimit(Integer.MAX_VALUE)) {\n");
      appendLoop(out, indent, header, group, scope, lines, oneStatement(lines, work));
      SuggestedFix.Builder fix = closeGroup(out, indent, group, start, end);
      if (namedOnlyIn("CountDownLatch", latch, state)) {
        fix.removeImport(LATCH);
      }
      return fix.build();
    }
  }

  /**
   * Three consecutive statements of one block, with no {@code try} that catches around them in the
   * method (an interrupt of the join leaves the method):
   *
   * <pre>{@code
   * List<Thread> threads = new ArrayList<>();
   * for (Item item : items) {                      // an input UnboundedFanOut reports
   *   Thread thread = new Thread(() -> work(item));
   *   thread.start();                              // these two in either order
   *   threads.add(thread);
   * }
   * for (Thread thread : threads) {
   *   thread.join();
   * }
   * }</pre>
   *
   * with the list and the thread used nowhere else, and a task that neither catches an interrupt,
   * nor looks at its thread, nor waits for the other tasks.
   */
  private record ThreadFanOut(
      VariableTree threads,
      EnhancedForLoopTree loop,
      LambdaExpressionTree task,
      EnhancedForLoopTree joins) {

    static @Nullable ThreadFanOut find(TreePath joinCall, VisitorState state) {
      TreePath statement = joinCall.getParentPath();
      if (!(statement.getLeaf() instanceof ExpressionStatementTree join)) {
        return null;
      }
      TreePath joinsPath = statement.getParentPath();
      if (joinsPath.getLeaf() instanceof BlockTree) {
        joinsPath = joinsPath.getParentPath();
      }
      TreePath blockPath = joinsPath.getParentPath();
      if (!(joinsPath.getLeaf() instanceof EnhancedForLoopTree joins)
          || onlyStatement(joins.getStatement()) != join
          || !isVariable(
              ASTHelpers.getReceiver(join.getExpression()),
              ASTHelpers.getSymbol(joins.getVariable()))
          || blockPath == null
          || !(blockPath.getLeaf() instanceof BlockTree block)) {
        return null;
      }
      DeclarationThenLoop before = DeclarationThenLoop.before(joins, block);
      if (before == null) {
        return null;
      }
      VariableTree threads = before.declaration();
      EnhancedForLoopTree loop = before.loop();
      VarSymbol list = before.local();
      if (!isNewList(threads.getInitializer())
          || !isVariable(joins.getExpression(), list)
          || uses(block, list) != 2) {
        return null; // the list does more than hold this loop's threads for the joins
      }
      if (!(loop.getStatement() instanceof BlockTree body)
          || body.getStatements().size() != 3
          || !(body.getStatements().get(0) instanceof VariableTree thread)
          || !(thread.getInitializer() instanceof NewClassTree newThread)
          || newThread.getClassBody() != null
          || !NEW_THREAD.matches(newThread, state)
          || !(newThread.getArguments().get(0) instanceof LambdaExpressionTree task)
          || !task.getParameters().isEmpty()) {
        return null;
      }
      VarSymbol threadSymbol = ASTHelpers.getSymbol(thread);
      StatementTree second = body.getStatements().get(1);
      StatementTree third = body.getStatements().get(2);
      if (threadSymbol == null
          || uses(body, threadSymbol) != 2
          || !((starts(second, threadSymbol) && adds(third, list, threadSymbol))
              || (adds(second, list, threadSymbol) && starts(third, threadSymbol)))) {
        return null; // the thread is configured (daemon, name, handler) or used otherwise
      }
      if (!interruptLeavesMethod(blockPath)) {
        return null;
      }
      // Where UnboundedFanOut reports: a loop over an input of unknown size, with no bound in it.
      TreePath newThreadPath =
          new TreePath(
              new TreePath(new TreePath(new TreePath(blockPath, loop), body), thread), newThread);
      TreePath reported = EnclosingLoops.unboundedInputLoop(newThreadPath, state).orElse(null);
      if (reported == null || reported.getLeaf() != loop) {
        return null;
      }
      if (!leavesThreadsAlone(task.getBody(), state)) {
        return null;
      }
      return new ThreadFanOut(threads, loop, task, joins);
    }

    /** The rewrite to a {@code TaskGroup} with a limit, or null where it would lose a comment. */
    @Nullable SuggestedFix migration(VisitorState state) {
      CharSequence source = state.getSourceCode();
      if (source == null) {
        return null;
      }
      Symbol existing = FindIdentifiers.findIdent(MAX_CONCURRENCY, state);
      if (existing != null && !isIntConstant(existing)) {
        return null; // the name means something else here
      }
      ClassTree owner = null;
      String memberIndent = "";
      if (existing == null) {
        TreePath member = state.getPath();
        while (member.getParentPath() != null
            && !(member.getParentPath().getLeaf() instanceof ClassTree)) {
          member = member.getParentPath();
        }
        if (member.getParentPath() == null
            || !(member.getParentPath().getLeaf() instanceof ClassTree cls)
            || ASTHelpers.getSymbol(cls) == null
            || ASTHelpers.getSymbol(cls).getKind() != ElementKind.CLASS) {
          return null; // no place for a private constant: an interface, enum or record
        }
        owner = cls;
        memberIndent = Trees.indentOf(source, ASTHelpers.getStartPosition(member.getLeaf()));
      }

      int start = ASTHelpers.getStartPosition(threads);
      int end = state.getEndPosition(joins);
      Tree body = task.getBody();
      int bodyStart;
      int bodyEnd;
      List<String> lines;
      @Nullable String statement;
      if (body instanceof BlockTree block) {
        bodyStart = ASTHelpers.getStartPosition(block) + 1; // after '{'
        bodyEnd = state.getEndPosition(block) - 1; // before '}'
        lines =
            bodyEnd < bodyStart
                ? List.of()
                : workLines(source.subSequence(bodyStart, bodyEnd).toString());
        statement = oneStatement(lines, block);
      } else {
        bodyStart = ASTHelpers.getStartPosition(body);
        bodyEnd = state.getEndPosition(body);
        // The first line as indented as the line it starts on, so that continuation lines keep
        // their indentation relative to it.
        String lineIndent = Trees.indentOf(source, Math.max(bodyStart, 0));
        lines =
            bodyEnd <= bodyStart || bodyStart < 0
                ? List.of()
                : workLines("\n" + lineIndent + source.subSequence(bodyStart, bodyEnd));
        statement = lines.size() == 1 ? lines.get(0) : null;
        if (!lines.isEmpty()) {
          lines = new ArrayList<>(lines);
          lines.set(lines.size() - 1, lines.get(lines.size() - 1) + ";");
        }
      }
      Region region = lines.isEmpty() ? null : Region.of(source, start, end, bodyStart, bodyEnd);
      if (region == null) {
        return null; // the list does not start its line, or a comment would be lost
      }
      String indent = region.indent();
      Names names = Names.fresh(state);
      String group = names.group();
      String scope = names.scope();

      String header = loopHeader(loop, state);
      StringBuilder out = new StringBuilder();
      out.append("try (TaskGroup ")
          .append(group)
          .append(" = TaskGroup.open().withLimit(")
          .append(MAX_CONCURRENCY)
          .append(")) {\n");
      appendLoop(out, indent, header, group, scope, lines, statement);
      SuggestedFix.Builder fix = closeGroup(out, indent, group, start, end);
      if (owner != null) {
        // The same text at the same place for every fan-out of the class: applied once.
        fix.merge(
            SuggestedFixes.addMembers(
                owner,
                state,
                AdditionPosition.FIRST,
                memberIndent
                    + "/** How many tasks a migrated fan-out runs at once (TetherMigrations' choice:"
                    + " tune it). */\n"
                    + memberIndent
                    + "private static final int "
                    + MAX_CONCURRENCY
                    + " = "
                    + DEFAULT_LIMIT
                    + ";"));
      }
      for (String type : typesNamedIn(threads)) {
        int dot = type.lastIndexOf('.');
        if (!type.startsWith("java.lang.")
            && namedOnlyIn(type.substring(dot + 1), threads, state)) {
          fix.removeImport(type);
        }
      }
      return fix.build();
    }

    /** Whether {@code statement} is {@code thread.start();}. */
    private static boolean starts(StatementTree statement, VarSymbol thread) {
      return statement instanceof ExpressionStatementTree expression
          && expression.getExpression() instanceof MethodInvocationTree call
          && call.getArguments().isEmpty()
          && Trees.calledName(call).equals("start")
          && isVariable(ASTHelpers.getReceiver(call), thread);
    }

    /** Whether {@code statement} is {@code threads.add(thread);}. */
    private static boolean adds(StatementTree statement, VarSymbol list, VarSymbol thread) {
      return statement instanceof ExpressionStatementTree expression
          && expression.getExpression() instanceof MethodInvocationTree call
          && call.getArguments().size() == 1
          && Trees.calledName(call).equals("add")
          && isVariable(ASTHelpers.getReceiver(call), list)
          && isVariable(call.getArguments().get(0), thread);
    }

    /**
     * Whether {@code init} is {@code new ArrayList<>()}, {@code new LinkedList<>()}, or {@code new
     * ArrayList<>(n)} with a capacity that has no side effect ({@code items.size()}, {@code
     * items.length}, a literal or a variable).
     */
    private static boolean isNewList(@Nullable ExpressionTree init) {
      if (!(init instanceof NewClassTree list) || list.getClassBody() != null) {
        return false;
      }
      Type type = ASTHelpers.getType(list);
      String name = type == null ? "" : type.tsym.getQualifiedName().toString();
      if (list.getArguments().isEmpty()) {
        return name.equals("java.util.ArrayList") || name.equals("java.util.LinkedList");
      }
      if (!name.equals("java.util.ArrayList") || list.getArguments().size() != 1) {
        return false;
      }
      ExpressionTree capacity = ASTHelpers.stripParentheses(list.getArguments().get(0));
      Type capacityType = ASTHelpers.getType(capacity);
      if (capacityType == null || capacityType.getKind() != TypeKind.INT) {
        return false; // new ArrayList<>(collection) copies elements
      }
      return capacity instanceof LiteralTree
          || capacity instanceof IdentifierTree
          || (capacity instanceof MemberSelectTree length
              && length.getIdentifier().contentEquals("length")
              && length.getExpression() instanceof IdentifierTree)
          || (capacity instanceof MethodInvocationTree size
              && size.getArguments().isEmpty()
              && Trees.calledName(size).equals("size")
              && ASTHelpers.getReceiver(size) instanceof IdentifierTree);
    }

    /**
     * Whether an {@code InterruptedException} thrown in the block at {@code path} leaves the
     * method: no {@code try} around it (in the method) has a {@code catch}, and no lambda or class
     * body is in between.
     */
    private static boolean interruptLeavesMethod(TreePath path) {
      Tree child = path.getLeaf();
      for (TreePath p = path.getParentPath();
          p != null;
          child = p.getLeaf(), p = p.getParentPath()) {
        Tree leaf = p.getLeaf();
        if (leaf instanceof MethodTree) {
          return true;
        }
        if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
          return false;
        }
        if (leaf instanceof TryTree guarded
            && guarded.getBlock() == child
            && !guarded.getCatches().isEmpty()) {
          return false;
        }
      }
      return false;
    }

    /**
     * Whether a task body leaves what the rewrite changes alone: it catches no interrupt (nothing
     * interrupted these threads, the group's cancellation will), does not look at or wait on its
     * thread ({@code Thread.currentThread()}, a {@code ThreadLocal}, {@code wait}/{@code notify}),
     * uses no synchronizer or queue the tasks could wait for each other with (under a limit, a task
     * could wait for one that cannot start), and holds no fan-out of its own.
     */
    private static boolean leavesThreadsAlone(Tree body, VisitorState state) {
      return !new StoppingScanner() {
        @Override
        public Void visitCatch(CatchTree clause, Void unused) {
          for (Tree caught : Trees.caughtTypes(clause)) {
            Type type = ASTHelpers.getType(caught);
            Type interrupted = INTERRUPTED.get(state);
            if (type == null
                || interrupted == null
                || ASTHelpers.isSubtype(interrupted, type, state)) {
              stop();
            }
          }
          return super.visitCatch(clause, null);
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
          if (NOT_CALLED_IN_THREAD_TASK.contains(Trees.calledName(call))
              || LATCH_AWAIT.matches(call, state)
              || THREAD_JOIN.matches(call, state)) {
            stop();
          }
          check(call);
          return super.visitMethodInvocation(call, null);
        }

        @Override
        public Void visitIdentifier(IdentifierTree identifier, Void unused) {
          check(identifier);
          return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree select, Void unused) {
          check(select);
          return super.visitMemberSelect(select, null);
        }

        @Override
        public Void visitNewClass(NewClassTree created, Void unused) {
          check(created);
          return super.visitNewClass(created, null);
        }

        private void check(ExpressionTree expression) {
          Type type = ASTHelpers.getType(expression);
          if (type == null || type.getKind() != TypeKind.DECLARED) {
            return;
          }
          for (Supplier<Type> forbidden : NOT_IN_THREAD_TASK) {
            Type t = forbidden.get(state);
            if (t != null && ASTHelpers.isSubtype(type, t, state)) {
              stop();
              return;
            }
          }
        }
      }.finds(body);
    }

    /** The qualified names of the classes named by simple identifiers in {@code tree}. */
    private static Set<String> typesNamedIn(Tree tree) {
      Set<String> types = new HashSet<>();
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(IdentifierTree identifier, Void unused) {
          if (ASTHelpers.getSymbol(identifier) instanceof ClassSymbol type) {
            types.add(type.getQualifiedName().toString());
          }
          return null;
        }
      }.scan(tree, null);
      return types;
    }
  }

  /** Whether {@code symbol} is a {@code static final int} field. */
  private static boolean isIntConstant(Symbol symbol) {
    return symbol.getKind() == ElementKind.FIELD
        && ASTHelpers.isStatic(symbol)
        && symbol.getModifiers().contains(Modifier.FINAL)
        && symbol.type != null
        && symbol.type.getKind() == TypeKind.INT;
  }

  /**
   * Appends the loop of a migrated fan-out, one {@code group.go(…)} per element: {@code group.go(s
   * -> work());} when the task is one statement that fits the line, else the task's lines in a
   * block.
   */
  private static void appendLoop(
      StringBuilder out,
      String indent,
      String header,
      String group,
      String scope,
      List<String> lines,
      @Nullable String statement) {
    out.append(indent).append("  ").append(header).append('\n');
    String oneLine = indent + "    " + group + ".go(" + scope + " -> " + statement + ");";
    if (statement != null && oneLine.length() <= MAX_LINE) {
      out.append(oneLine).append('\n');
    } else {
      out.append(indent).append("    ").append(group).append(".go(\n");
      out.append(indent).append("        ").append(scope).append(" -> {\n");
      for (String line : lines) {
        out.append(line.isEmpty() ? "" : indent + "          " + line).append('\n');
      }
      out.append(indent).append("        });\n");
    }
    out.append(indent).append("  }\n");
  }

  /**
   * The statement of a one-statement, one-line block without its semicolon, or null: what {@code
   * group.go(s -> …)} can take as its body.
   */
  private static @Nullable String oneStatement(List<String> lines, BlockTree block) {
    if (lines.size() != 1
        || block.getStatements().size() != 1
        || !(block.getStatements().get(0) instanceof ExpressionStatementTree)) {
      return null;
    }
    String line = lines.get(0);
    return line.endsWith(";") && line.indexOf(';') == line.length() - 1
        ? line.substring(0, line.length() - 1)
        : null;
  }

  /** Whether the file names {@code simpleName} (as an identifier) only inside {@code region}. */
  private static boolean namedOnlyIn(String simpleName, Tree region, VisitorState state) {
    int[] elsewhere = new int[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        return tree == region ? null : super.scan(tree, null);
      }

      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        if (identifier.getName().contentEquals(simpleName)) {
          elsewhere[0]++;
        }
        return null;
      }
    }.scan(state.getPath().getCompilationUnit(), null);
    return elsewhere[0] == 0;
  }

  /** The only statement of {@code body}: itself, or the one statement of a block. */
  private static @Nullable StatementTree onlyStatement(StatementTree body) {
    if (body instanceof BlockTree block) {
      return block.getStatements().size() == 1 ? block.getStatements().get(0) : null;
    }
    return body;
  }

  /** Whether {@code tree} is a plain mention of {@code variable}. */
  private static boolean isVariable(@Nullable ExpressionTree tree, @Nullable Symbol variable) {
    return variable != null
        && tree instanceof IdentifierTree
        && variable.equals(ASTHelpers.getSymbol(tree));
  }

  /**
   * The lines of a block's inner text, with leading and trailing blank lines dropped and their
   * common indentation removed; empty when the text does not start on a line of its own.
   */
  private static List<String> workLines(String inner) {
    String[] raw = inner.split("\n", -1);
    List<String> lines = new ArrayList<>();
    if (raw.length == 1) {
      String only = raw[0].strip();
      if (!only.isEmpty()) {
        lines.add(only);
      }
      return lines;
    }
    if (!raw[0].isBlank()) {
      return lines; // code on the line of '{'
    }
    int first = 1;
    int last = raw.length - 1;
    while (first <= last && raw[first].isBlank()) {
      first++;
    }
    while (last >= first && raw[last].isBlank()) {
      last--;
    }
    int common = Integer.MAX_VALUE;
    for (int i = first; i <= last; i++) {
      if (!raw[i].isBlank()) {
        common = Math.min(common, raw[i].length() - raw[i].stripLeading().length());
      }
    }
    for (int i = first; i <= last; i++) {
      lines.add(raw[i].isBlank() ? "" : raw[i].substring(common).stripTrailing());
    }
    return lines;
  }

  /** The only statement of a loop body, if it is a method call whose value is dropped. */
  private static @Nullable MethodInvocationTree onlyCall(StatementTree body) {
    StatementTree statement = body;
    if (body instanceof BlockTree block) {
      if (block.getStatements().size() != 1) {
        return null;
      }
      statement = block.getStatements().get(0);
    }
    return statement instanceof ExpressionStatementTree expression
            && expression.getExpression() instanceof MethodInvocationTree call
            && call.getArguments().size() == 1
        ? call
        : null;
  }

  /**
   * Whether {@code init} is {@code new CountDownLatch(items.size())} or {@code new
   * CountDownLatch(items.length)} for the {@code items} the loop walks.
   */
  private static boolean countsElements(
      @Nullable ExpressionTree init, ExpressionTree items, VisitorState state) {
    if (!(init instanceof NewClassTree newLatch) || !NEW_LATCH.matches(init, state)) {
      return false;
    }
    ExpressionTree count = ASTHelpers.stripParentheses(newLatch.getArguments().get(0));
    if (count instanceof MethodInvocationTree size
        && size.getArguments().isEmpty()
        && Trees.calledName(size).equals("size")) {
      Type type = ASTHelpers.getType(items);
      return type != null
          && type.getKind() != TypeKind.ARRAY
          && ASTHelpers.isSubtype(type, COLLECTION.get(state), state)
          && SameVariable.of(ASTHelpers.getReceiver(size), items);
    }
    if (count instanceof MemberSelectTree length
        && length.getIdentifier().contentEquals("length")) {
      Type type = ASTHelpers.getType(items);
      return type != null
          && type.getKind() == TypeKind.ARRAY
          && SameVariable.of(length.getExpression(), items);
    }
    return false;
  }

  /** Whether {@code tree} is a plain mention of {@code latch}. */
  private static boolean isLatch(@Nullable ExpressionTree tree, VarSymbol latch) {
    return tree instanceof IdentifierTree && latch.equals(ASTHelpers.getSymbol(tree));
  }

  /**
   * An executor named by a final (or effectively final) variable: {@code pool}, {@code this.pool}.
   */
  private static boolean isFinalVariable(@Nullable ExpressionTree executor) {
    ExpressionTree e = executor == null ? null : ASTHelpers.stripParentheses(executor);
    boolean plain =
        e instanceof IdentifierTree
            || (e instanceof MemberSelectTree select
                && select.getExpression() instanceof IdentifierTree qualifier
                && qualifier.getName().contentEquals("this"));
    VarSymbol variable = plain ? SameVariable.variable(e) : null;
    return variable != null && ASTHelpers.isConsideredFinal(variable);
  }

  /**
   * Whether {@code tree} calls {@code CountDownLatch.await()} or {@code Thread.join()}: holds a
   * fan-out that this check may rewrite on its own.
   */
  private static boolean waitsForFanOut(Tree tree, VisitorState state) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        found[0] |= LATCH_AWAIT.matches(call, state) || THREAD_JOIN.matches(call, state);
        return super.visitMethodInvocation(call, null);
      }
    }.scan(tree, null);
    return found[0];
  }

  /** How many times {@code tree} mentions {@code variable}. */
  private static int uses(Tree tree, VarSymbol variable) {
    int[] count = new int[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        if (variable.equals(ASTHelpers.getSymbol(identifier))) {
          count[0]++;
        }
        return null;
      }
    }.scan(tree, null);
    return count[0];
  }

  /**
   * Every simple name declared or mentioned in the method (or, outside methods, the class) around
   * the match: a new variable must neither clash with a local nor hide a field the code uses.
   */
  private static Set<String> namesAround(VisitorState state) {
    Tree around = ASTHelpers.findEnclosingNode(state.getPath(), MethodTree.class);
    if (around == null) {
      around = ASTHelpers.findEnclosingNode(state.getPath(), ClassTree.class);
    }
    Set<String> names = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        names.add(identifier.getName().toString());
        return null;
      }

      @Override
      public Void visitVariable(VariableTree variable, Void unused) {
        names.add(variable.getName().toString());
        return super.visitVariable(variable, null);
      }
    }.scan(around, null);
    return names;
  }

  private static String freshName(List<String> preferred, Set<String> taken) {
    for (String name : preferred) {
      if (!taken.contains(name)) {
        return name;
      }
    }
    String base = preferred.get(0);
    for (int i = 2; ; i++) {
      if (!taken.contains(base + i)) {
        return base + i;
      }
    }
  }

  /**
   * The header of {@code loop} as written ({@code for (Item item : items)}) and an opening brace.
   */
  private static String loopHeader(EnhancedForLoopTree loop, VisitorState state) {
    return "for ("
        + state.getSourceForNode(loop.getVariable())
        + " : "
        + state.getSourceForNode(loop.getExpression())
        + ") {";
  }

  /**
   * The two statements before {@code statement} in {@code block}: the declaration of a local
   * variable and then a loop over a collection (a fan-out's latch or thread list, then the loop
   * that starts the work).
   */
  private record DeclarationThenLoop(
      VariableTree declaration, VarSymbol local, EnhancedForLoopTree loop) {
    static @Nullable DeclarationThenLoop before(StatementTree statement, BlockTree block) {
      List<? extends StatementTree> statements = block.getStatements();
      int at = statements.indexOf(statement);
      return at >= 2
              && statements.get(at - 2) instanceof VariableTree declaration
              && ASTHelpers.getSymbol(declaration) != null
              && ASTHelpers.getSymbol(declaration).getKind() == ElementKind.LOCAL_VARIABLE
              && statements.get(at - 1) instanceof EnhancedForLoopTree loop
          ? new DeclarationThenLoop(declaration, ASTHelpers.getSymbol(declaration), loop)
          : null;
    }
  }

  /**
   * The text that a rewrite replaces, [{@code start}, {@code end}), of which it keeps [{@code
   * innerStart}, {@code innerEnd}) (the work, re-indented): {@code null} unless it starts its line,
   * no comment is in the text dropped and no text block in the text kept.
   */
  private record Region(String indent, String inner) {
    static @Nullable Region of(
        CharSequence source, int start, int end, int innerStart, int innerEnd) {
      if (start < 0
          || end <= start
          || innerStart <= start
          || innerEnd < innerStart
          || innerEnd > end) {
        return null;
      }
      String indent = Trees.indentOf(source, start);
      if (lineStart(source, start) + indent.length() != start) {
        return null; // does not start its line
      }
      String dropped =
          source.subSequence(start, innerStart).toString()
              + source.subSequence(innerEnd, end).toString();
      String inner = source.subSequence(innerStart, innerEnd).toString();
      if (dropped.contains("//") || dropped.contains("/*") || inner.contains("\"\"\"")) {
        return null; // a comment would be lost, or a text block re-indented
      }
      return new Region(indent, inner);
    }
  }

  /** The group's and the task's scope's names, fresh in the method around the rewrite. */
  private record Names(String group, String scope) {
    static Names fresh(VisitorState state) {
      Set<String> taken = namesAround(state);
      String group = freshName(GROUP_NAMES, taken);
      taken.add(group);
      return new Names(group, freshName(SCOPE_NAMES, taken));
    }
  }

  /**
   * Ends the group's {@code try} block in {@code out} ({@code group.await();} and the brace) and
   * returns the fix that puts {@code out} in place of [{@code start}, {@code end}).
   */
  private static SuggestedFix.Builder closeGroup(
      StringBuilder out, String indent, String group, int start, int end) {
    out.append(indent).append("  ").append(group).append(".await();\n");
    out.append(indent).append('}');
    return SuggestedFix.builder()
        .replace(start, end, out.toString())
        .addImport(RuntimeApi.TASK_GROUP);
  }

  private static int lineStart(CharSequence source, int pos) {
    int start = pos;
    while (start > 0 && source.charAt(start - 1) != '\n') {
      start--;
    }
    return start;
  }
}
