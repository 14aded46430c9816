package dev.tether.checker.utils;

import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * Answers "which loops run this code once per iteration?" for {@code TimerInLoop} and {@code
 * UnboundedFanOut}: loop statements, and lambdas passed to {@code forEach} or a stream operation;
 * and "does this loop start work per element of an input of unknown size, unbounded?" for {@code
 * UnboundedFanOut} and {@code UnownedThread}, which leaves that defect to it.
 */
public final class EnclosingLoops {
  /** Calls that run a lambda argument once per element. */
  private static final Matcher<ExpressionTree> PER_ELEMENT =
      anyOf(
          instanceMethod().onDescendantOf("java.lang.Iterable").named("forEach"),
          instanceMethod().onDescendantOf("java.util.Map").named("forEach"),
          instanceMethod().onDescendantOf("java.util.Iterator").named("forEachRemaining"),
          instanceMethod().onDescendantOf("java.util.Spliterator").named("forEachRemaining"),
          instanceMethod().onDescendantOf("java.util.stream.BaseStream"));

  /** Calls that block until a task or thread is done, or wait for a permit: a bound in sight. */
  private static final Matcher<ExpressionTree> BOUNDING =
      anyOf(
          instanceMethod().onDescendantOf("java.lang.Thread").named("join"),
          instanceMethod().onDescendantOf("java.util.concurrent.Future").named("get"),
          instanceMethod().onDescendantOf("java.util.concurrent.CompletableFuture").named("join"));

  private static final Set<String> PERMIT_METHODS =
      Set.of("acquire", "tryAcquire", "acquireUninterruptibly");

  /** Calls in a loop condition that walk an input of unknown size. */
  private static final Set<String> SIZED_BY_INPUT =
      Set.of(
          "size",
          "length",
          "getLength",
          "getSize",
          "count",
          "hasNext",
          "hasMoreElements",
          "hasMoreTokens",
          "next",
          "nextLine",
          "readLine",
          "poll",
          "take",
          "accept",
          "read",
          "receive");

  /** Calls in the body of an endless loop that wait for the next piece of input. */
  private static final Matcher<ExpressionTree> NEXT_INPUT =
      anyOf(
          instanceMethod().onDescendantOf("java.net.ServerSocket").named("accept"),
          instanceMethod().onDescendantOf("java.nio.channels.ServerSocketChannel").named("accept"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.BlockingQueue")
              .namedAnyOf("take", "poll"));

  /**
   * Sources whose elements the host bounds, not an input: the machine's network interfaces and
   * their addresses, its file-system roots and stores. As many as the machine has, like {@code
   * Runtime.availableProcessors()}: a loop over them is a loop over a count. A table of library
   * knowledge: add a source here, never a caller.
   */
  private static final Matcher<ExpressionTree> HOST_BOUNDED =
      anyOf(
          staticMethod()
              .onClass("java.net.NetworkInterface")
              .namedAnyOf("getNetworkInterfaces", "networkInterfaces"),
          instanceMethod()
              .onDescendantOf("java.net.NetworkInterface")
              .namedAnyOf(
                  "getInetAddresses",
                  "inetAddresses",
                  "getInterfaceAddresses",
                  "getSubInterfaces",
                  "subInterfaces"),
          staticMethod().onClass("java.io.File").named("listRoots"),
          instanceMethod()
              .onDescendantOf("java.nio.file.FileSystem")
              .namedAnyOf("getRootDirectories", "getFileStores"));

  /**
   * Calls that return a view of the same elements as their receiver (or, static, their argument):
   * {@code Collections.list(e)}, {@code e.asIterator()}, {@code c.iterator()}, {@code c.stream()}.
   */
  private static final Matcher<ExpressionTree> SAME_ELEMENTS =
      anyOf(
          staticMethod().onClass("java.util.Collections").named("list"),
          instanceMethod().onDescendantOf("java.util.Enumeration").named("asIterator"),
          instanceMethod()
              .onDescendantOf("java.lang.Iterable")
              .namedAnyOf("iterator", "spliterator", "listIterator"),
          instanceMethod()
              .onDescendantOf("java.util.Collection")
              .namedAnyOf("stream", "parallelStream"));

  /** How many variables {@link #isHostBounded} follows back to the call that made a source. */
  private static final int MAX_HOPS = 4;

  /** Sources whose size is written in the code: {@code List.of(a, b)}, {@code Stream.of(a, b)}. */
  private static final Set<String> LITERAL_FACTORIES =
      Set.of("of", "asList", "ofEntries", "singleton", "singletonList", "emptyList", "emptySet");

  private static final Matcher<ExpressionTree> RANGE =
      anyOf(
          staticMethod().onClass("java.util.stream.IntStream").namedAnyOf("range", "rangeClosed"),
          staticMethod().onClass("java.util.stream.LongStream").namedAnyOf("range", "rangeClosed"));

  private static final Matcher<ExpressionTree> STREAM_OP =
      instanceMethod().onDescendantOf("java.util.stream.BaseStream");

  private EnclosingLoops() {}

  /**
   * Returns the loops around {@code path}, innermost first, whose every iteration runs the code at
   * {@code path}: a loop statement whose condition, update or body holds it, or (as the path of the
   * call) a {@code forEach}/stream call whose lambda argument holds it. The walk stops at the
   * enclosing method, class, or a lambda that is neither; with {@code throughTasks}, it goes on
   * through lambdas and anonymous classes handed to another thread (they run once per hand-off).
   */
  public static List<TreePath> of(TreePath path, VisitorState state, boolean throughTasks) {
    List<TreePath> loops = new ArrayList<>();
    Tree child = path.getLeaf();
    if (child instanceof MemberReferenceTree
        && path.getParentPath() != null
        && path.getParentPath().getLeaf() instanceof MethodInvocationTree invocation
        && invocation.getArguments().contains(child)
        && PER_ELEMENT.matches(invocation, state)) {
      loops.add(path.getParentPath()); // items.forEach(pool::execute), stream.map(Thread::new)
    }
    for (TreePath p = path.getParentPath(); p != null; child = p.getLeaf(), p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof ForLoopTree loop) {
        if (!loop.getInitializer().contains(child)) {
          loops.add(p);
        }
      } else if (leaf instanceof EnhancedForLoopTree loop) {
        if (loop.getStatement() == child) {
          loops.add(p);
        }
      } else if (leaf instanceof WhileLoopTree || leaf instanceof DoWhileLoopTree) {
        loops.add(p);
      } else if (leaf instanceof LambdaExpressionTree) {
        TreePath call = p.getParentPath();
        if (call != null
            && call.getLeaf() instanceof MethodInvocationTree invocation
            && invocation.getArguments().contains(leaf)
            && PER_ELEMENT.matches(invocation, state)) {
          loops.add(call);
        } else if (!(throughTasks && ConcurrentCode.handoff(p, state).isPresent())) {
          return loops;
        }
      } else if (leaf instanceof MethodTree) {
        if (!(throughTasks && isHandedOffClassMember(p, state))) {
          return loops;
        }
      } else if (leaf instanceof ClassTree) {
        TreePath parent = p.getParentPath();
        if (!(throughTasks
            && parent != null
            && parent.getLeaf() instanceof NewClassTree
            && ConcurrentCode.handoff(parent, state).isPresent())) {
          return loops;
        }
      }
    }
    return loops;
  }

  /**
   * A cheap pre-filter for {@link #of}: false when {@code of(path, state, throughTasks)} is surely
   * empty, because no loop statement or lambda is around {@code path} (up to the enclosing method
   * or class; with {@code throughTasks}, up to the compilation unit) and {@code path} is not a
   * method reference argument. It resolves nothing and allocates nothing, so a check can run it on
   * every node before any type look-up.
   */
  public static boolean mayBeIn(TreePath path, boolean throughTasks) {
    if (path.getLeaf() instanceof MemberReferenceTree
        && path.getParentPath() != null
        && path.getParentPath().getLeaf() instanceof MethodInvocationTree) {
      return true;
    }
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof ForLoopTree
          || leaf instanceof EnhancedForLoopTree
          || leaf instanceof WhileLoopTree
          || leaf instanceof DoWhileLoopTree
          || leaf instanceof LambdaExpressionTree) {
        return true;
      }
      if (!throughTasks && (leaf instanceof MethodTree || leaf instanceof ClassTree)) {
        return false;
      }
    }
    return false;
  }

  /** Whether the method at {@code path} belongs to an anonymous class handed to another thread. */
  private static boolean isHandedOffClassMember(TreePath path, VisitorState state) {
    TreePath cls = path.getParentPath();
    TreePath newClass = cls == null ? null : cls.getParentPath();
    return newClass != null
        && newClass.getLeaf() instanceof NewClassTree
        && ConcurrentCode.handoff(newClass, state).isPresent();
  }

  /** The statements or lambda body that run once per iteration of {@code loop}. */
  public static Tree body(TreePath loop) {
    Tree leaf = loop.getLeaf();
    if (leaf instanceof ForLoopTree f) {
      return f.getStatement();
    }
    if (leaf instanceof EnhancedForLoopTree f) {
      return f.getStatement();
    }
    if (leaf instanceof WhileLoopTree w) {
      return w.getStatement();
    }
    if (leaf instanceof DoWhileLoopTree d) {
      return d.getStatement();
    }
    return leaf; // a forEach/stream call: its lambda arguments
  }

  /** Whether {@code tree} is a loop statement. */
  public static boolean isLoopStatement(Tree tree) {
    return tree instanceof ForLoopTree
        || tree instanceof EnhancedForLoopTree
        || tree instanceof WhileLoopTree
        || tree instanceof DoWhileLoopTree;
  }

  /** The receiver of the call at {@code loop}, when it is a forEach/stream call. */
  public static @Nullable ExpressionTree receiver(TreePath loop) {
    return loop.getLeaf() instanceof MethodInvocationTree call
        ? ASTHelpers.getReceiver(call)
        : null;
  }

  /**
   * Returns the loop around {@code path} (through tasks handed to other threads) that walks an
   * input of unknown size — a collection, array, iterator, stream, reader, socket or queue, not a
   * constant or configured count nor a list written out in the code — with nothing in its body that
   * bounds how many of its iterations' work run at once (a {@code join()}, a {@code Future.get()},
   * an {@code acquire()} of a permit). This is where {@code UnboundedFanOut} reports a thread or
   * unbounded-pool task per element.
   */
  public static Optional<TreePath> unboundedInputLoop(TreePath path, VisitorState state) {
    for (TreePath candidate : of(path, state, /* throughTasks= */ true)) {
      if (walksInputOfUnknownSize(candidate, state)) {
        return hasBound(body(candidate), state) ? Optional.empty() : Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether each iteration of {@code loop} takes the next element of an input whose size the code
   * does not fix: a collection, array, iterator, stream, reader, socket or queue; not a constant or
   * configured count, nor a list written out in the code.
   */
  private static boolean walksInputOfUnknownSize(TreePath loop, VisitorState state) {
    Tree leaf = loop.getLeaf();
    if (leaf instanceof EnhancedForLoopTree forEach) {
      return !hasLiteralSize(forEach.getExpression())
          && !isHostBounded(forEach.getExpression(), loop, state, 0);
    }
    if (leaf instanceof ForLoopTree f) {
      return f.getCondition() == null
          ? waitsForInput(f.getStatement(), state)
          : readsSizeOfInput(f.getCondition(), loop, state);
    }
    if (leaf instanceof WhileLoopTree w) {
      return readsSizeOfInput(w.getCondition(), loop, state)
          || waitsForInput(w.getStatement(), state);
    }
    if (leaf instanceof DoWhileLoopTree d) {
      return readsSizeOfInput(d.getCondition(), loop, state)
          || waitsForInput(d.getStatement(), state);
    }
    ExpressionTree source = elementSource(loop, state);
    if (source instanceof MethodInvocationTree call && RANGE.matches(call, state)) {
      return isSizedByInput(call);
    }
    return source != null
        && hasElementsOfUnknownSize(source)
        && !isHostBounded(source, loop, state, 0);
  }

  /**
   * Whether the condition of {@code loop} reads the size of an input: a call named in {@link
   * #SIZED_BY_INPUT} or a {@code length}, unless on an array made with a count just before the loop
   * ({@link #isCountSizedArray}) or on a source the host bounds ({@link #isHostBounded}: {@code
   * en.hasMoreElements()} of {@code en = NetworkInterface.getNetworkInterfaces()}).
   */
  private static boolean readsSizeOfInput(
      ExpressionTree condition, TreePath loop, VisitorState state) {
    return Trees.contains(
        condition,
        node -> {
          if (!readsASize(node)) {
            return false;
          }
          if (node instanceof MemberSelectTree select) {
            return !isCountSizedArray(select.getExpression(), loop)
                && !isHostBounded(select.getExpression(), loop, state, 0);
          }
          ExpressionTree receiver = ASTHelpers.getReceiver((ExpressionTree) node);
          return receiver == null || !isHostBounded(receiver, loop, state, 0);
        });
  }

  /**
   * Whether the elements of {@code source}, read by {@code loop}, are as many as the host has, not
   * as an input has: a call of the {@link #HOST_BOUNDED} table ({@code
   * NetworkInterface.getNetworkInterfaces()}, {@code intf.getInetAddresses()}, {@code
   * File.listRoots()}), a view of one ({@code Collections.list(…)}, {@code iterator()}, {@code
   * stream()}), or a local variable that the loop's initializer, or a statement just before the
   * loop in an enclosing block, set to one, with nothing assigning it in the loop.
   */
  private static boolean isHostBounded(
      @Nullable ExpressionTree source, TreePath loop, VisitorState state, int hops) {
    ExpressionTree e = source == null ? null : ASTHelpers.stripParentheses(source);
    while (e instanceof TypeCastTree cast) {
      e = ASTHelpers.stripParentheses(cast.getExpression());
    }
    if (e instanceof MethodInvocationTree call) {
      if (HOST_BOUNDED.matches(call, state)) {
        return true;
      }
      if (!SAME_ELEMENTS.matches(call, state)) {
        return false;
      }
      Symbol method = ASTHelpers.getSymbol(call);
      if (method != null && ASTHelpers.isStatic(method)) {
        return call.getArguments().size() == 1
            && isHostBounded(call.getArguments().get(0), loop, state, hops);
      }
      return isHostBounded(ASTHelpers.getReceiver(call), loop, state, hops);
    }
    if (!(e instanceof IdentifierTree) || hops >= MAX_HOPS) {
      return false;
    }
    Symbol variable = ASTHelpers.getSymbol(e);
    if (!(variable instanceof Symbol.VarSymbol)
        || variable.getKind() != ElementKind.LOCAL_VARIABLE
        || assignsInBody(loop, variable)) {
      return false;
    }
    if (loop.getLeaf() instanceof ForLoopTree f) {
      for (StatementTree init : f.getInitializer()) {
        ExpressionTree value = valueStoredIn(init, variable);
        if (value != null) {
          return isHostBounded(value, loop, state, hops + 1);
        }
      }
    }
    ExpressionTree value = valueBefore(loop, variable);
    return value != null && isHostBounded(value, loop, state, hops + 1);
  }

  /** Whether the condition, update or body of {@code loop} assigns {@code variable}. */
  private static boolean assignsInBody(TreePath loop, Symbol variable) {
    Tree leaf = loop.getLeaf();
    if (leaf instanceof ForLoopTree f) {
      return (f.getCondition() != null && assigns(f.getCondition(), variable))
          || f.getUpdate().stream().anyMatch(u -> assigns(u, variable))
          || assigns(f.getStatement(), variable);
    }
    return assigns(leaf, variable);
  }

  /**
   * Whether {@code loop} (one of {@link #of}) takes the next element of a collection, array or
   * stream whose elements are not written out in the code: an enhanced {@code for} over it, or a
   * {@code forEach}/stream call on it ({@code ids.stream().filter(…).forEach(…)}). Counted and
   * conditional loops and {@code IntStream} ranges are no such walk (they are judged by their
   * condition in {@link #unboundedInputLoop}).
   */
  public static boolean walksElementsOfUnknownSize(TreePath loop, VisitorState state) {
    Tree leaf = loop.getLeaf();
    if (leaf instanceof EnhancedForLoopTree forEach) {
      return !hasLiteralSize(forEach.getExpression())
          && !isHostBounded(forEach.getExpression(), loop, state, 0);
    }
    if (isLoopStatement(leaf)) {
      return false;
    }
    ExpressionTree source = elementSource(loop, state);
    return source != null
        && !(source instanceof MethodInvocationTree call && RANGE.matches(call, state))
        && hasElementsOfUnknownSize(source)
        && !isHostBounded(source, loop, state, 0);
  }

  /**
   * Where the elements of a {@code forEach}/stream call at {@code loop} come from: its receiver,
   * behind the stream operations ({@code filter}, {@code map}) in between.
   */
  private static @Nullable ExpressionTree elementSource(TreePath loop, VisitorState state) {
    ExpressionTree source = receiver(loop);
    while (source instanceof MethodInvocationTree call && STREAM_OP.matches(call, state)) {
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      if (receiver == null) {
        break;
      }
      source = receiver;
    }
    return source;
  }

  /** Whether {@code source}, or the collection it streams, has elements not written out. */
  private static boolean hasElementsOfUnknownSize(ExpressionTree source) {
    if (source instanceof MethodInvocationTree call) {
      Symbol sym = ASTHelpers.getSymbol(call);
      if (sym != null
          && (sym.getSimpleName().contentEquals("stream")
              || sym.getSimpleName().contentEquals("parallelStream"))) {
        ExpressionTree collection = ASTHelpers.getReceiver(call);
        if (collection != null) {
          return !hasLiteralSize(collection);
        }
        return call.getArguments().isEmpty() || !hasLiteralSize(call.getArguments().get(0));
      }
    }
    return !hasLiteralSize(source);
  }

  /** Whether the elements of {@code expr} are written out in the code, or are an enum's values. */
  private static boolean hasLiteralSize(ExpressionTree expr) {
    ExpressionTree e = ASTHelpers.stripParentheses(expr);
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
    if (name.equals("allOf") || name.equals("range")) {
      return sym.owner != null && sym.owner.getSimpleName().contentEquals("EnumSet");
    }
    if (!LITERAL_FACTORIES.contains(name)) {
      return false;
    }
    List<? extends ExpressionTree> args = call.getArguments();
    // Arrays.asList(array), Stream.of(array): as many elements as the array has.
    return !(args.size() == 1
        && ASTHelpers.getType(args.get(0)) != null
        && ASTHelpers.getType(args.get(0)).getKind() == TypeKind.ARRAY
        && !(args.get(0) instanceof NewArrayTree a && a.getInitializers() != null));
  }

  /** Whether {@code tree} calls a method named in {@link #SIZED_BY_INPUT} or reads a length. */
  private static boolean isSizedByInput(Tree tree) {
    return Trees.contains(tree, EnclosingLoops::readsASize);
  }

  /** A call named in {@link #SIZED_BY_INPUT}, or a read of a field named {@code length}. */
  private static boolean readsASize(Tree node) {
    return (node instanceof MethodInvocationTree call && isNamed(call, SIZED_BY_INPUT))
        || (node instanceof MemberSelectTree select
            && select.getIdentifier().contentEquals("length"));
  }

  /**
   * Whether {@code array}, read in the condition of {@code loop}, is a local variable (or a field)
   * that the code around the loop last set, in an enclosing block and with nothing assigning it in
   * between or in the loop, to a new array of a count: {@code Sender[] senders = new
   * Sender[nThreads]; for (int i = 0; i < senders.length; i++)} is a loop over {@code nThreads}, as
   * {@code for (int i = 0; i < nThreads; i++)} is. A dimension that is itself a size ({@code new
   * Thread[items.size()]}), an array from elsewhere (a parameter, {@code toArray()}) or one
   * reassigned in between is still an input of unknown size.
   */
  private static boolean isCountSizedArray(ExpressionTree array, TreePath loop) {
    Symbol variable = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(array));
    if (!(ASTHelpers.stripParentheses(array) instanceof IdentifierTree)
        || !(variable instanceof Symbol.VarSymbol)
        || assigns(loop.getLeaf(), variable)) {
      return false;
    }
    ExpressionTree value = valueBefore(loop, variable);
    return value != null && isCountArray(value);
  }

  /**
   * The value that the code around {@code loop} last stored in {@code variable} before it: a
   * declaration or an assignment statement in an enclosing block (up to the enclosing method, class
   * or lambda), or null when there is none or another statement in between assigns it.
   */
  private static @Nullable ExpressionTree valueBefore(TreePath loop, Symbol variable) {
    for (Trees.Enclosing around : Trees.enclosingInBody(loop)) {
      if (around.leaf() instanceof BlockTree block) {
        List<? extends StatementTree> statements = block.getStatements();
        for (int i = statements.indexOf(around.child()) - 1; i >= 0; i--) {
          StatementTree statement = statements.get(i);
          ExpressionTree value = valueStoredIn(statement, variable);
          if (value != null) {
            return value;
          }
          if (assigns(statement, variable)) {
            return null;
          }
        }
      }
    }
    return null;
  }

  /**
   * Whether {@code tree} assigns {@code variable} with {@code =} (an array variable, the only kind
   * asked about, takes no {@code +=} or {@code ++}).
   */
  private static boolean assigns(Tree tree, Symbol variable) {
    return Trees.contains(
        tree,
        node ->
            node instanceof AssignmentTree a
                && variable.equals(
                    ASTHelpers.getSymbol(ASTHelpers.stripParentheses(a.getVariable()))));
  }

  /** What {@code statement} stores in {@code variable}: its declaration, or an assignment. */
  private static @Nullable ExpressionTree valueStoredIn(StatementTree statement, Symbol variable) {
    if (statement instanceof VariableTree declaration
        && variable.equals(ASTHelpers.getSymbol(declaration))) {
      return declaration.getInitializer();
    }
    if (statement instanceof ExpressionStatementTree expression
        && expression.getExpression() instanceof AssignmentTree assignment
        && variable.equals(ASTHelpers.getSymbol(assignment.getVariable()))) {
      return assignment.getExpression();
    }
    return null;
  }

  /** {@code new T[n]}, where {@code n} is no size of an input. */
  private static boolean isCountArray(@Nullable ExpressionTree value) {
    return ASTHelpers.stripParentheses(value) instanceof NewArrayTree array
        && array.getInitializers() == null
        && array.getDimensions().size() == 1
        && !isSizedByInput(array.getDimensions().get(0));
  }

  private static boolean isNamed(MethodInvocationTree call, Set<String> names) {
    Symbol sym = ASTHelpers.getSymbol(call);
    return sym != null && names.contains(sym.getSimpleName().toString());
  }

  /** Whether the body of an endless loop waits for the next connection or queued item. */
  private static boolean waitsForInput(Tree body, VisitorState state) {
    return scanFor(body, NEXT_INPUT, Set.of(), state);
  }

  /**
   * Whether each iteration waits for a permit ({@code acquire}, on a {@code Semaphore} or a rate
   * limiter) or for the thread or task to finish ({@code join}, {@code Future.get}).
   */
  private static boolean hasBound(Tree body, VisitorState state) {
    return scanFor(body, BOUNDING, PERMIT_METHODS, state);
  }

  private static boolean scanFor(
      Tree body, Matcher<ExpressionTree> matcher, Set<String> names, VisitorState state) {
    return Trees.containsCall(
        body,
        call ->
            ASTHelpers.getSymbol(call) != null
                && (isNamed(call, names) || matcher.matches(call, state)));
  }
}
