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
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
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
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.tether.checker.utils.RuntimeApi;
import dev.tether.checker.utils.SameVariable;
import dev.tether.checker.utils.Trees;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BugChecker} that rewrites hand-made fan-outs to Tether's runtime, when the runtime is on
 * the class path and the check is named on the command line ({@code -Xep:TetherMigrations}).
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

  /** The names the group variable may take, in order of preference. */
  private static final List<String> GROUP_NAMES = List.of("group", "tasks", "taskGroup");

  /** The names the task's scope parameter may take, in order of preference. */
  private static final List<String> SCOPE_NAMES = List.of("s", "scope", "taskScope");

  /** The longest line the one-line form {@code group.go(s -> work());} may make. */
  private static final int MAX_LINE = 100;

  /**
   * Matches {@code latch.await()} and looks at the two statements before it: the latch, and the
   * loop that hands one task per element to an executor. Silent unless {@code
   * -Xep:TetherMigrations} names the check, and when the runtime is not on the class path.
   */
  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!tree.getArguments().isEmpty()
        || !Trees.calledName(tree).equals("await")
        || !named(state)
        || !LATCH_AWAIT.matches(tree, state)
        || !RuntimeApi.hasTaskGroup(state)) {
      return NO_MATCH;
    }
    LatchFanOut fanOut = LatchFanOut.find(state.getPath(), state);
    if (fanOut == null) {
      return NO_MATCH;
    }
    SuggestedFix fix = fanOut.migration(state);
    if (fix == null) {
      return NO_MATCH;
    }
    return buildDescription(fanOut.latch())
        .setMessage(
            "Tether's runtime is on the class path: this executor-and-latch fan-out can be a"
                + " TaskGroup on the same executor, whose await() rethrows the first failure of a"
                + " task (the latch lets it pass unseen) and cancels the other tasks")
        .addFix(fix)
        .build();
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
      List<? extends StatementTree> statements = block.getStatements();
      int at = statements.indexOf(await);
      if (at < 2
          || !(statements.get(at - 2) instanceof VariableTree latch)
          || !(statements.get(at - 1) instanceof EnhancedForLoopTree loop)) {
        return null;
      }
      VarSymbol latchSymbol = ASTHelpers.getSymbol(latch);
      if (latchSymbol == null
          || latchSymbol.getKind() != ElementKind.LOCAL_VARIABLE
          || !isLatch(ASTHelpers.getReceiver(await.getExpression()), latchSymbol)
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
      if (waitsForLatch(work, state)) {
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
      String indent = Trees.indentOf(source, start);
      if (start < 0
          || end <= start
          || workStart <= start
          || workEnd < workStart
          || workEnd > end
          || lineStart(source, start) + indent.length() != start) {
        return null; // the latch does not start its line
      }
      String dropped =
          source.subSequence(start, workStart).toString()
              + source.subSequence(workEnd, end).toString();
      String inner = source.subSequence(workStart, workEnd).toString();
      if (dropped.contains("//") || dropped.contains("/*") || inner.contains("\"\"\"")) {
        return null; // a comment would be lost, or a text block re-indented
      }
      Set<String> taken = namesAround(state);
      String group = freshName(GROUP_NAMES, taken);
      taken.add(group);
      String scope = freshName(SCOPE_NAMES, taken);
      List<String> lines = workLines(inner);
      if (lines.isEmpty()) {
        return null;
      }

      String header =
          "for ("
              + state.getSourceForNode(loop.getVariable())
              + " : "
              + state.getSourceForNode(loop.getExpression())
              + ") {";
      StringBuilder out = new StringBuilder();
      out.append("// Integer.MAX_VALUE: no limit, as before (the executor bounds the threads).\n")
          .append(indent)
          .append("try (TaskGroup ")
          .append(group)
          .append(" = TaskGroup.open().withExecutor(")
          .append(state.getSourceForNode(executor))
          .append(").withLimit(Integer.MAX_VALUE)) {\n");
      out.append(indent).append("  ").append(header).append('\n');
      String oneLine =
          indent + "    " + group + ".go(" + scope + " -> " + oneStatement(lines) + ");";
      if (oneStatement(lines) != null && oneLine.length() <= MAX_LINE) {
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
      out.append(indent).append("  ").append(group).append(".await();\n");
      out.append(indent).append('}');

      SuggestedFix.Builder fix =
          SuggestedFix.builder()
              .replace(start, end, out.toString())
              .addImport(RuntimeApi.TASK_GROUP);
      if (latchTypeNamedOnlyHere(state)) {
        fix.removeImport(LATCH);
      }
      return fix.build();
    }

    /** The statement of a one-statement, one-line task body without its semicolon, or null. */
    private @Nullable String oneStatement(List<String> lines) {
      if (lines.size() != 1
          || work.getStatements().size() != 1
          || !(work.getStatements().get(0) instanceof ExpressionStatementTree)) {
        return null;
      }
      String line = lines.get(0);
      return line.endsWith(";") && line.indexOf(';') == line.length() - 1
          ? line.substring(0, line.length() - 1)
          : null;
    }

    /** Whether the file names {@code CountDownLatch} only in the latch's declaration. */
    private boolean latchTypeNamedOnlyHere(VisitorState state) {
      int[] elsewhere = new int[1];
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitVariable(VariableTree variable, Void unused) {
          return variable == latch ? null : super.visitVariable(variable, null);
        }

        @Override
        public Void visitIdentifier(IdentifierTree identifier, Void unused) {
          if (identifier.getName().contentEquals("CountDownLatch")) {
            elsewhere[0]++;
          }
          return null;
        }
      }.scan(state.getPath().getCompilationUnit(), null);
      return elsewhere[0] == 0;
    }
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

  /** Whether {@code tree} calls {@code CountDownLatch.await()}. */
  private static boolean waitsForLatch(Tree tree, VisitorState state) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        found[0] |= LATCH_AWAIT.matches(call, state);
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

  private static int lineStart(CharSequence source, int pos) {
    int start = pos;
    while (start > 0 && source.charAt(start - 1) != '\n') {
      start--;
    }
    return start;
  }
}
