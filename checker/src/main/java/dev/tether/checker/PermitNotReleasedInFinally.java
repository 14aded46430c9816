package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static dev.tether.checker.utils.Links.BUGPATTERN;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.BodyScan;
import dev.tether.checker.utils.ConcurrentCode;
import dev.tether.checker.utils.ConcurrentCode.Kind;
import dev.tether.checker.utils.EnclosingLoops;
import dev.tether.checker.utils.JumpScanner;
import dev.tether.checker.utils.NonThrowing;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.SameCompilation;
import dev.tether.checker.utils.SameVariable;
import dev.tether.checker.utils.Trees;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BugChecker} that flags semaphore permits, locks and lock stamps that stay held when the
 * guarded work throws.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Release a semaphore permit or a lock in a finally block that guards the work done with it",
    link = BUGPATTERN + "PermitNotReleasedInFinally.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class PermitNotReleasedInFinally extends BugChecker
    implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String SEMAPHORE = "java.util.concurrent.Semaphore";
  private static final String LOCK = "java.util.concurrent.locks.Lock";
  private static final String STAMPED_LOCK = "java.util.concurrent.locks.StampedLock";

  /** The names of every call matched below: a filter before any type look-up. */
  private static final Set<String> ACQUIRE_NAMES =
      Set.of(
          "acquire",
          "acquireUninterruptibly",
          "tryAcquire",
          "lock",
          "lockInterruptibly",
          "tryLock",
          "readLock",
          "writeLock",
          "readLockInterruptibly",
          "writeLockInterruptibly");

  /**
   * {@link #ACQUIRE_NAMES} in javac's name table: the cheap first filter, no {@code String} per
   * call.
   */
  private static final PerCompilation<Set<Name>> ACQUIRE_NAMES_TABLE =
      PerCompilation.names(ACQUIRE_NAMES);

  private static final Matcher<ExpressionTree> SEMAPHORE_ACQUIRE =
      instanceMethod().onDescendantOf(SEMAPHORE).namedAnyOf("acquire", "acquireUninterruptibly");

  private static final Matcher<ExpressionTree> SEMAPHORE_TRY_ACQUIRE =
      instanceMethod().onDescendantOf(SEMAPHORE).named("tryAcquire");

  private static final Matcher<ExpressionTree> SEMAPHORE_RELEASE =
      instanceMethod().onDescendantOf(SEMAPHORE).named("release");

  /** {@code Lock.lock()}: Error Prone's {@code LockNotBeforeTry} covers most of its uses. */
  private static final Matcher<ExpressionTree> LOCK_LOCK =
      instanceMethod().onDescendantOf(LOCK).named("lock");

  private static final Matcher<ExpressionTree> LOCK_INTERRUPTIBLY =
      instanceMethod().onDescendantOf(LOCK).named("lockInterruptibly");

  private static final Matcher<ExpressionTree> LOCK_TRY_LOCK =
      instanceMethod().onDescendantOf(LOCK).named("tryLock");

  private static final Matcher<ExpressionTree> LOCK_UNLOCK =
      instanceMethod().onDescendantOf(LOCK).named("unlock");

  /** The views of a read-write lock (or of a stamped lock) that are locks themselves. */
  private static final Matcher<ExpressionTree> LOCK_VIEW =
      anyOf(
          instanceMethod()
              .onDescendantOf("java.util.concurrent.locks.ReadWriteLock")
              .namedAnyOf("readLock", "writeLock"),
          instanceMethod().onDescendantOf(STAMPED_LOCK).namedAnyOf("asReadLock", "asWriteLock"));

  /** The blocking modes of a {@code StampedLock}; an optimistic read needs no unlock. */
  private static final Matcher<ExpressionTree> STAMPED_ACQUIRE =
      instanceMethod()
          .onDescendantOf(STAMPED_LOCK)
          .namedAnyOf("readLock", "writeLock", "readLockInterruptibly", "writeLockInterruptibly");

  private static final Matcher<ExpressionTree> STAMPED_RELEASE =
      instanceMethod()
          .onDescendantOf(STAMPED_LOCK)
          .namedAnyOf("unlock", "unlockRead", "unlockWrite", "tryUnlockRead", "tryUnlockWrite");

  /** Catch types after which a release covers every failure (or the rejected hand-off). */
  private static final List<Supplier<Type>> CATCH_ALL =
      List.of(
          Suppliers.typeFromString("java.lang.Throwable"),
          Suppliers.typeFromString("java.lang.Exception"),
          Suppliers.typeFromString("java.lang.RuntimeException"),
          Suppliers.typeFromString("java.util.concurrent.RejectedExecutionException"));

  /** What is held between the acquisition and its release. */
  private enum Resource {
    SEMAPHORE(
        "acquire",
        "release",
        "this permit leaks and the semaphore's bound shrinks until every caller blocks"),
    LOCK(
        "lock",
        "unlock",
        "this lock stays held and every other thread that locks it blocks forever"),
    STAMP(
        "lock",
        "unlock",
        "this lock mode stays held and every thread that needs the lock blocks forever");

    private final String acquire;
    private final String release;
    private final String consequence;

    Resource(String acquire, String release, String consequence) {
      this.acquire = acquire;
      this.release = release;
      this.consequence = consequence;
    }
  }

  /** Why the held resource can leak. */
  private enum Leak {
    THROWS,
    EXITS,
    TASK
  }

  /** One acquisition: what it holds, through which receiver, and whether it blocks until held. */
  private record Acquisition(
      MethodInvocationTree call, Resource resource, ExpressionTree receiver, boolean blocking) {
    boolean releasedBy(MethodInvocationTree release, VisitorState state) {
      ExpressionTree other = ASTHelpers.getReceiver(release);
      return switch (resource) {
        case SEMAPHORE -> SEMAPHORE_RELEASE.matches(release, state) && samePermit(other, receiver);
        case LOCK -> LOCK_UNLOCK.matches(release, state) && sameLock(other, receiver);
        case STAMP -> STAMPED_RELEASE.matches(release, state) && samePermit(other, receiver);
      };
    }

    boolean sameReceiver(@Nullable ExpressionTree other) {
      return resource == Resource.LOCK ? sameLock(other, receiver) : samePermit(other, receiver);
    }

    boolean releasedBy(MemberReferenceTree reference) {
      String name = reference.getName().toString();
      boolean releases =
          switch (resource) {
            case SEMAPHORE -> name.equals("release");
            case LOCK -> name.equals("unlock");
            case STAMP -> name.startsWith("unlock") || name.startsWith("tryUnlock");
          };
      return releases
          && (resource == Resource.LOCK
              ? sameLock(reference.getQualifierExpression(), receiver)
              : samePermit(reference.getQualifierExpression(), receiver));
    }
  }

  /**
   * The statements that run while the resource is held, in {@code container} (a block, a case, or
   * the {@code if} of a single-statement branch); {@code loop} is the loop whose body that block
   * is.
   */
  private record Held(
      TreePath container, List<? extends StatementTree> statements, @Nullable TreePath loop) {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!Trees.calledNameIn(tree, ACQUIRE_NAMES_TABLE.get(state))) {
      return NO_MATCH;
    }
    Acquisition acquisition = acquisition(tree, state);
    if (acquisition == null) {
      return NO_MATCH;
    }
    Held held =
        acquisition.blocking()
            ? statementsAfter(state.getPath(), acquisition.resource() == Resource.STAMP)
            : statementsAfterSuccess(state.getPath());
    if (held == null) {
      return NO_MATCH;
    }
    if (LOCK_LOCK.matches(tree, state) && !followedByTry(held)) {
      return NO_MATCH; // Error Prone's LockNotBeforeTry reports it
    }
    boolean exits = false;
    boolean releasesOnExit = false;
    for (int pass = 0; pass < 2; pass++) {
      List<? extends StatementTree> statements = held.statements();
      for (int k = 0; k < statements.size(); k++) {
        StatementTree statement = statements.get(k);
        Releases releases =
            Releases.in(new TreePath(held.container(), statement), acquisition, state);
        if (releases.inTask) {
          return NO_MATCH; // the hand-off idiom: the task (or callback) releases it
        }
        if (pass > 0 && releases.reacquires) {
          return NO_MATCH; // for (…) sem.acquire(); … sem.acquire(n); a count kept elsewhere
        }
        if (releases.taskLeak) {
          return describe(acquisition, Leak.TASK, null, state);
        }
        if (releases.guarded) {
          // a finally or catch-all that covers the failure; only an earlier exit can leak
          return exits ? describe(acquisition, Leak.EXITS, null, state) : NO_MATCH;
        }
        if (!releases.plain) {
          exits |= Exits.in(statement);
          continue;
        }
        if (releasedBeforeAnythingThrows(statements, k, acquisition, state)) {
          return NO_MATCH; // a gate, or held only over code that cannot throw
        }
        if (statement instanceof IfTree ifTree
            && ifTree.getElseStatement() == null
            && alwaysExits(ifTree.getThenStatement())) {
          releasesOnExit = true; // if (closed) { sem.release(); return; }
          continue;
        }
        SuggestedFix fix =
            pass > 0 || exits || releasesOnExit || !isRelease(statement, acquisition, state)
                ? null
                : wrapFix(statements, k, state);
        return describe(acquisition, exits ? Leak.EXITS : Leak.THROWS, fix, state);
      }
      // No release here. An acquisition in a loop body may be held by the code after the loop:
      // for (…) { sem.acquire(); } work(); sem.release(n);
      TreePath loop = held.loop();
      if (exits || releasesOnExit || loop == null || !acquisition.blocking()) {
        break;
      }
      List<? extends StatementTree> after =
          following(loop.getParentPath(), (StatementTree) loop.getLeaf());
      if (after == null) {
        break;
      }
      held = new Held(loop.getParentPath(), after, null);
    }
    return NO_MATCH; // released elsewhere: in another method, by another thread
  }

  /** The acquisition {@code call} makes, when its receiver is a variable (or a lock's view). */
  private static @Nullable Acquisition acquisition(MethodInvocationTree call, VisitorState state) {
    Resource resource;
    boolean blocking;
    if (SEMAPHORE_ACQUIRE.matches(call, state)) {
      resource = Resource.SEMAPHORE;
      blocking = true;
    } else if (SEMAPHORE_TRY_ACQUIRE.matches(call, state)) {
      resource = Resource.SEMAPHORE;
      blocking = false;
    } else if (LOCK_LOCK.matches(call, state) || LOCK_INTERRUPTIBLY.matches(call, state)) {
      resource = Resource.LOCK;
      blocking = true;
    } else if (LOCK_TRY_LOCK.matches(call, state)) {
      resource = Resource.LOCK;
      blocking = false;
    } else if (STAMPED_ACQUIRE.matches(call, state)) {
      resource = Resource.STAMP;
      blocking = true;
    } else {
      return null;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    if (receiver == null
        || (SameVariable.variable(receiver) == null
            && !isGetterChain(receiver, 0)
            && !(resource == Resource.LOCK && isView(receiver, state)))) {
      return null;
    }
    return new Acquisition(call, resource, receiver, blocking);
  }

  /** {@code rw.writeLock()}, {@code sl.asReadLock()}: a lock's view reached through a variable. */
  private static boolean isView(ExpressionTree receiver, VisitorState state) {
    ExpressionTree view = ASTHelpers.stripParentheses(receiver);
    return view instanceof MethodInvocationTree call
        && call.getArguments().isEmpty()
        && LOCK_VIEW.matches(call, state)
        && SameVariable.variable(ASTHelpers.getReceiver(call)) != null;
  }

  /**
   * {@code this.service.getSemaphore()}, {@code getLock()}: calls without arguments, rooted in a
   * variable or in {@code this}. Each call of the same chain names one resource, as a field does.
   */
  private static boolean isGetterChain(ExpressionTree tree, int depth) {
    ExpressionTree e = ASTHelpers.stripParentheses(tree);
    if (!(e instanceof MethodInvocationTree call)
        || !call.getArguments().isEmpty()
        || depth > 3
        || !(ASTHelpers.getSymbol(call.getMethodSelect()) instanceof MethodSymbol method)
        || ASTHelpers.isStatic(method)) {
      return false;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    return receiver == null
        || SameVariable.variable(receiver) != null
        || isGetterChain(receiver, depth + 1);
  }

  /**
   * The same variable, or the same chain of getters without arguments on the same variable ({@code
   * this.service.getLookupRequestSemaphore()}, called once to acquire and once to release): one
   * permit, as a field or a local is. Two different getters, or one getter of two receivers, are
   * two.
   */
  private static boolean samePermit(@Nullable ExpressionTree a, @Nullable ExpressionTree b) {
    if (SameVariable.of(a, b)) {
      return true;
    }
    ExpressionTree x = a == null ? null : ASTHelpers.stripParentheses(a);
    ExpressionTree y = b == null ? null : ASTHelpers.stripParentheses(b);
    if (!(x instanceof MethodInvocationTree callA)
        || !(y instanceof MethodInvocationTree callB)
        || !isGetterChain(callA, 0)
        || !isGetterChain(callB, 0)) {
      return false;
    }
    Symbol methodA = ASTHelpers.getSymbol(callA.getMethodSelect());
    if (methodA == null || !methodA.equals(ASTHelpers.getSymbol(callB.getMethodSelect()))) {
      return false;
    }
    ExpressionTree receiverA = ASTHelpers.getReceiver(callA);
    ExpressionTree receiverB = ASTHelpers.getReceiver(callB);
    if (receiverA == null || receiverB == null) {
      return receiverA == receiverB
          || isThis(receiverA == null ? receiverB : receiverA); // getSem() and this.getSem()
    }
    return samePermit(receiverA, receiverB);
  }

  private static boolean isThis(ExpressionTree tree) {
    ExpressionTree e = ASTHelpers.stripParentheses(tree);
    return e instanceof IdentifierTree identifier && identifier.getName().contentEquals("this");
  }

  /** The same lock variable, or the same view of the same read-write (or stamped) lock. */
  private static boolean sameLock(@Nullable ExpressionTree a, @Nullable ExpressionTree b) {
    if (samePermit(a, b)) {
      return true;
    }
    ExpressionTree x = a == null ? null : ASTHelpers.stripParentheses(a);
    ExpressionTree y = b == null ? null : ASTHelpers.stripParentheses(b);
    return x instanceof MethodInvocationTree viewA
        && y instanceof MethodInvocationTree viewB
        && viewA.getArguments().isEmpty()
        && viewB.getArguments().isEmpty()
        && Trees.calledName(viewA).equals(Trees.calledName(viewB))
        && SameVariable.of(ASTHelpers.getReceiver(viewA), ASTHelpers.getReceiver(viewB));
  }

  /**
   * Whether the {@code lock()} statement is immediately followed by a {@code try}: the one case of
   * a plain {@code lock()} in a block that {@code LockNotBeforeTry} leaves alone.
   */
  private static boolean followedByTry(Held held) {
    if (!(held.container().getLeaf() instanceof BlockTree)) {
      return true; // a case of a switch statement: LockNotBeforeTry looks at blocks only
    }
    return !held.statements().isEmpty() && held.statements().get(0) instanceof TryTree;
  }

  private Description describe(
      Acquisition acquisition, Leak leak, @Nullable SuggestedFix fix, VisitorState state) {
    Description.Builder description =
        buildDescription(acquisition.call()).setMessage(message(acquisition, leak, state));
    if (fix != null) {
      description.addFix(fix);
    }
    return description.build();
  }

  private static String message(Acquisition acquisition, Leak leak, VisitorState state) {
    Resource resource = acquisition.resource();
    String between = " between " + resource.acquire + " and " + resource.release;
    String start =
        switch (leak) {
          case THROWS -> "If the work" + between + " throws, ";
          case EXITS ->
              "An early return or throw" + between + " skips the " + resource.release + ", so ";
          case TASK ->
              "The task " + resource.release + "s only when its work succeeds: if it throws, ";
        };
    String where =
        leak == Leak.TASK
            ? " in a finally block inside the task"
            : " in a finally block that guards the work";
    return start
        + resource.consequence
        + ": "
        + resource.release
        + " it"
        + where
        + " (try { … } finally { "
        + releaseCall(acquisition, state)
        + "; })";
  }

  /** The release that matches {@code acquisition}, as source: {@code sl.unlockWrite(stamp)}. */
  private static String releaseCall(Acquisition acquisition, VisitorState state) {
    String receiver = state.getSourceForNode(acquisition.receiver());
    return switch (acquisition.resource()) {
      case SEMAPHORE -> receiver + ".release()";
      case LOCK -> receiver + ".unlock()";
      case STAMP ->
          receiver
              + (Trees.calledName(acquisition.call()).startsWith("read")
                  ? ".unlockRead("
                  : ".unlockWrite(")
              + stampName(state.getPath())
              + ")";
    };
  }

  /** The variable that receives a stamp, or {@code stamp}. */
  private static String stampName(TreePath acquire) {
    Tree parent = acquire.getParentPath() == null ? null : acquire.getParentPath().getLeaf();
    if (parent instanceof VariableTree variable) {
      return variable.getName().toString();
    }
    if (parent instanceof AssignmentTree assignment
        && SameVariable.variable(assignment.getVariable()) != null) {
      return SameVariable.variable(assignment.getVariable()).getSimpleName().toString();
    }
    return "stamp";
  }

  /**
   * The statements that follow the acquisition's statement in its block or case: an expression
   * statement, or (for a stamp) the declaration or assignment of the stamp's variable.
   */
  private static @Nullable Held statementsAfter(TreePath path, boolean stamp) {
    TreePath statementPath = path.getParentPath();
    if (statementPath == null) {
      return null;
    }
    if (stamp
        && statementPath.getLeaf() instanceof AssignmentTree
        && statementPath.getParentPath() != null) {
      statementPath = statementPath.getParentPath();
    }
    Tree leaf = statementPath.getLeaf();
    boolean statement =
        leaf instanceof ExpressionStatementTree
            || (stamp
                && leaf instanceof VariableTree variable
                && variable.getInitializer() == path.getLeaf());
    TreePath container = statementPath.getParentPath();
    if (!statement || container == null) {
      return null;
    }
    if (EnclosingLoops.isLoopStatement(container.getLeaf())) {
      // for (…) sem.acquire();
      return EnclosingLoops.body(container) == leaf
          ? new Held(container, List.of(), container)
          : null;
    }
    List<? extends StatementTree> after = following(container, (StatementTree) leaf);
    if (after == null) {
      return null;
    }
    TreePath loop = container.getParentPath();
    boolean loopBody =
        loop != null
            && EnclosingLoops.isLoopStatement(loop.getLeaf())
            && EnclosingLoops.body(loop) == container.getLeaf();
    return new Held(container, after, loopBody ? loop : null);
  }

  private static @Nullable List<? extends StatementTree> following(
      @Nullable TreePath containerPath, StatementTree statement) {
    if (containerPath == null) {
      return null;
    }
    List<? extends StatementTree> statements =
        containerPath.getLeaf() instanceof BlockTree block
            ? block.getStatements()
            : containerPath.getLeaf() instanceof CaseTree caseTree
                ? caseTree.getStatements()
                : null;
    if (statements == null) {
      return null;
    }
    int index = statements.indexOf(statement);
    return index < 0 ? null : statements.subList(index + 1, statements.size());
  }

  /**
   * The statements that run once a {@code tryAcquire}/{@code tryLock} succeeded: the then-branch of
   * {@code if (sem.tryAcquire())} (also as an operand of {@code &&}), the else-branch of {@code if
   * (!lock.tryLock()) … else …}, or what follows {@code if (!sem.tryAcquire()) return;} and {@code
   * while (!sem.tryAcquire(…)) {…}}.
   */
  private static @Nullable Held statementsAfterSuccess(TreePath path) {
    TreePath p = path;
    boolean negated = false;
    while (p.getParentPath() != null) {
      Tree parent = p.getParentPath().getLeaf();
      if (parent instanceof ParenthesizedTree) {
        p = p.getParentPath();
      } else if (!negated
          && parent instanceof BinaryTree binary
          && binary.getKind() == Tree.Kind.CONDITIONAL_AND) {
        p = p.getParentPath();
      } else if (!negated
          && parent instanceof UnaryTree unary
          && unary.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
        negated = true;
        p = p.getParentPath();
      } else {
        break;
      }
    }
    TreePath parentPath = p.getParentPath();
    if (parentPath == null) {
      return null;
    }
    Tree parent = parentPath.getLeaf();
    if (parent instanceof IfTree ifTree && ifTree.getCondition() == p.getLeaf()) {
      if (!negated) {
        return branch(parentPath, ifTree.getThenStatement());
      }
      if (ifTree.getElseStatement() != null) {
        return branch(parentPath, ifTree.getElseStatement());
      }
      if (!alwaysExits(ifTree.getThenStatement())) {
        return null;
      }
      List<? extends StatementTree> after = following(parentPath.getParentPath(), ifTree);
      return after == null ? null : new Held(parentPath.getParentPath(), after, null);
    }
    if (negated && parent instanceof WhileLoopTree loop && loop.getCondition() == p.getLeaf()) {
      List<? extends StatementTree> after = following(parentPath.getParentPath(), loop);
      return after == null ? null : new Held(parentPath.getParentPath(), after, null);
    }
    return null;
  }

  private static Held branch(TreePath ifPath, StatementTree branch) {
    return branch instanceof BlockTree block
        ? new Held(new TreePath(ifPath, block), block.getStatements(), null)
        : new Held(ifPath, List.of(branch), null);
  }

  /** Whether {@code statement} ends in a jump, looked for through nested blocks. */
  private static boolean alwaysExits(StatementTree statement) {
    StatementTree last = statement;
    while (Trees.lastStatement(last) != last) {
      last = Trees.lastStatement(last);
    }
    return Trees.isJump(last);
  }

  private static boolean isRelease(
      StatementTree statement, Acquisition acquisition, VisitorState state) {
    return statement instanceof ExpressionStatementTree expression
        && expression.getExpression() instanceof MethodInvocationTree call
        && acquisition.releasedBy(call, state);
  }

  /**
   * Whether the release is reached only through code that cannot throw ({@link NonThrowing}), so
   * that the resource cannot leak: {@code held[k]} is the release and {@code held[0..k)} cannot
   * throw (with nothing in between: acquire-then-release, a gate), or {@code held[k]} is a {@code
   * try} whose block releases after such statements. A read lock taken while the write lock of the
   * same read-write lock is held counts as part of the release: it is the downgrade of {@code
   * ReentrantReadWriteLock}'s Javadoc ({@code w.lock(); try { state = s; rw.readLock().lock();
   * rw.writeLock().unlock(); … } finally { rw.readLock().unlock(); }}).
   */
  private static boolean releasedBeforeAnythingThrows(
      List<? extends StatementTree> held, int k, Acquisition acquisition, VisitorState state) {
    for (StatementTree statement : held.subList(0, k)) {
      if (!NonThrowing.statement(statement)) {
        return false;
      }
    }
    StatementTree statement = held.get(k);
    if (isRelease(statement, acquisition, state)) {
      return true;
    }
    if (!(statement instanceof TryTree tryTree) || !tryTree.getResources().isEmpty()) {
      return false;
    }
    for (StatementTree inner : tryTree.getBlock().getStatements()) {
      if (isRelease(inner, acquisition, state)) {
        return true;
      }
      if (!NonThrowing.statement(inner) && !isDowngrade(inner, acquisition, state)) {
        return false;
      }
    }
    return false;
  }

  /**
   * Whether {@code statement} is {@code rw.readLock().lock()} while {@code acquisition} holds
   * {@code rw.writeLock()} of the same read-write lock.
   */
  private static boolean isDowngrade(
      StatementTree statement, Acquisition acquisition, VisitorState state) {
    ExpressionTree held = ASTHelpers.stripParentheses(acquisition.receiver());
    return acquisition.resource() == Resource.LOCK
        && held instanceof MethodInvocationTree writeView
        && Trees.calledName(writeView).equals("writeLock")
        && statement instanceof ExpressionStatementTree expression
        && expression.getExpression() instanceof MethodInvocationTree lock
        && LOCK_LOCK.matches(lock, state)
        && ASTHelpers.stripParentheses(ASTHelpers.getReceiver(lock))
            instanceof MethodInvocationTree readView
        && Trees.calledName(readView).equals("readLock")
        && readView.getArguments().isEmpty()
        && LOCK_VIEW.matches(readView, state)
        && SameVariable.of(ASTHelpers.getReceiver(readView), ASTHelpers.getReceiver(writeView));
  }

  /** A scan that knows how many {@code finally} blocks around the current node it is inside. */
  private abstract static class FinallyAwareScanner extends BodyScan.PathScanner {
    int finallyDepth;

    @Override
    public Void visitTry(TryTree tree, Void unused) {
      scan(tree.getResources(), null);
      scan(tree.getBlock(), null);
      scan(tree.getCatches(), null);
      finallyDepth++;
      scan(tree.getFinallyBlock(), null);
      finallyDepth--;
      return null;
    }
  }

  /** Where the releases inside one statement are, found in one scan. */
  private static final class Releases extends FinallyAwareScanner {
    private final Acquisition acquisition;
    private final VisitorState state;
    private int catchAllDepth;
    private int taskDepth;

    /** Whether the innermost task around the scan is handed to another thread. */
    private boolean handedOff;

    private boolean inTask;
    private boolean taskLeak;
    private boolean guarded;
    private boolean plain;

    /** Whether the statement acquires the same semaphore or lock again. */
    private boolean reacquires;

    private Releases(Acquisition acquisition, VisitorState state) {
      this.acquisition = acquisition;
      this.state = state;
    }

    static Releases in(TreePath statement, Acquisition acquisition, VisitorState state) {
      Releases releases = new Releases(acquisition, state);
      releases.scan(statement, null);
      return releases;
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
      if (call != acquisition.call()
          && ACQUIRE_NAMES.contains(Trees.calledName(call))
          && acquisition.sameReceiver(ASTHelpers.getReceiver(call))) {
        reacquires = true;
      }
      if (acquisition.releasedBy(call, state)) {
        if (taskDepth == 0) {
          if (finallyDepth > 0 || catchAllDepth > 0) {
            guarded = true;
          } else {
            plain = true;
          }
        } else if (finallyDepth > 0
            || catchAllDepth > 0
            || !handedOff
            || firstInTask(getCurrentPath())) {
          inTask = true; // guarded inside the task, a callback, or the task's first action
        } else {
          taskLeak = true; // pool.execute(() -> { work(); sem.release(); })
        }
      }
      return super.visitMethodInvocation(call, null);
    }

    @Override
    public Void visitCatch(CatchTree tree, Void unused) {
      boolean all = catchesAll(tree, state);
      catchAllDepth += all ? 1 : 0;
      super.visitCatch(tree, null);
      catchAllDepth -= all ? 1 : 0;
      return null;
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      enterTask(isHandedOff(getCurrentPath()), () -> scan(tree.getBody(), null));
      return null;
    }

    @Override
    public Void visitNewClass(NewClassTree tree, Void unused) {
      if (tree.getClassBody() == null && taskDepth == 0 && releasesInItsTask(tree)) {
        inTask = true; // new Acceptor(): a task of this compilation that releases it
      }
      return super.visitNewClass(tree, null);
    }

    /**
     * Whether {@code creation} makes a task (a {@code Runnable}, {@code Callable} or {@code Thread}
     * of a named class whose source this compilation can read) whose {@code run()} or {@code
     * call()} releases the resource in a {@code finally} or as its first action: the hand-off
     * idiom, with the task's class written out instead of a lambda.
     */
    private boolean releasesInItsTask(NewClassTree creation) {
      Symbol sym = ASTHelpers.getSymbol(creation.getIdentifier());
      if (!(sym instanceof ClassSymbol cls)) {
        return false;
      }
      TreePath task = SameCompilation.pathOfClass(cls, state);
      if (task == null) {
        return false;
      }
      for (Tree member : ((ClassTree) task.getLeaf()).getMembers()) {
        if (member instanceof MethodTree method
            && method.getParameters().isEmpty()
            && method.getBody() != null
            && (method.getName().contentEquals("run") || method.getName().contentEquals("call"))
            && releasesFirstOrFinally(new TreePath(new TreePath(task, method), method.getBody()))) {
          return true;
        }
      }
      return false;
    }

    /** Whether the body releases the resource in a {@code finally} or as its first action. */
    private boolean releasesFirstOrFinally(TreePath body) {
      boolean[] found = new boolean[1];
      new FinallyAwareScanner() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
          if (acquisition.releasedBy(call, state)
              && (finallyDepth > 0 || firstInTask(getCurrentPath()))) {
            found[0] = true;
          }
          return super.visitMethodInvocation(call, null);
        }
      }.scan(body, null);
      return found[0];
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      TreePath parent = getCurrentPath().getParentPath();
      boolean task =
          parent != null && parent.getLeaf() instanceof NewClassTree && isHandedOff(parent);
      enterTask(task, () -> scan(tree.getMembers(), null)); // entered, unlike other body scans
      return null;
    }

    /** Scans a task's body with the finally and catch blocks around it left outside. */
    private void enterTask(boolean task, Runnable scanBody) {
      int savedFinally = finallyDepth;
      int savedCatchAll = catchAllDepth;
      boolean savedHandedOff = handedOff;
      finallyDepth = 0;
      catchAllDepth = 0;
      handedOff = task;
      taskDepth++;
      scanBody.run();
      taskDepth--;
      finallyDepth = savedFinally;
      catchAllDepth = savedCatchAll;
      handedOff = savedHandedOff;
    }

    private boolean isHandedOff(TreePath task) {
      return ConcurrentCode.handoff(task, state)
          .filter(handoff -> handoff.kind() != Kind.PARALLEL_STREAM)
          .isPresent();
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
      // sem::release handed to a callback: the callback releases it
      if (acquisition.releasedBy(tree)) {
        inTask = true;
      }
      return super.visitMemberReference(tree, null);
    }
  }

  /**
   * Whether the release at {@code path} is the first thing its lambda (or method) does: then
   * nothing before it can throw ({@code () -> sem.release()}, {@code { sem.release(); … }}, also
   * after statements that cannot throw, {@code { int n = 0; sem.release(); … }}).
   */
  private static boolean firstInTask(TreePath path) {
    Tree child = path.getLeaf();
    for (TreePath p = path.getParentPath(); p != null; child = p.getLeaf(), p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree lambda) {
        return lambda.getBody() == child;
      }
      if (leaf instanceof BlockTree block) {
        TreePath up = p.getParentPath();
        boolean body =
            up != null
                && (up.getLeaf() instanceof LambdaExpressionTree
                    || up.getLeaf() instanceof MethodTree);
        if (body) {
          for (StatementTree statement : block.getStatements()) {
            if (statement == child) {
              return true;
            }
            if (!NonThrowing.statement(statement)) {
              return false;
            }
          }
          return false;
        }
      } else if (leaf instanceof ClassTree) {
        return false;
      }
    }
    return false;
  }

  private static boolean catchesAll(CatchTree tree, VisitorState state) {
    for (Tree alternative : Trees.caughtTypes(tree)) {
      Type caught = ASTHelpers.getType(alternative);
      if (caught == null || caught.getKind() == TypeKind.ERROR) {
        continue;
      }
      for (Supplier<Type> all : CATCH_ALL) {
        Type t = all.get(state);
        if (t != null && ASTHelpers.isSameType(caught, t, state)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether a statement can leave the statements that hold the permit: return, throw, jumps. */
  private static final class Exits extends JumpScanner {
    private boolean exits;

    static boolean in(StatementTree statement) {
      Exits scanner = new Exits();
      scanner.scan(statement, null);
      return scanner.exits;
    }

    @Override
    public Void visitReturn(ReturnTree tree, Void unused) {
      exits = true;
      return null;
    }

    @Override
    public Void visitThrow(ThrowTree tree, Void unused) {
      exits = true;
      return null;
    }

    @Override
    public Void visitBreak(BreakTree tree, Void unused) {
      exits |= breakTargets() == 0 || tree.getLabel() != null;
      return null;
    }

    @Override
    public Void visitContinue(ContinueTree tree, Void unused) {
      exits |= breakTargets() == 0 || tree.getLabel() != null;
      return null;
    }
  }

  /**
   * Wraps {@code held[0..k)} in {@code try { … } finally { <release> }}, replacing the release
   * statement {@code held[k]}; {@code null} when a variable declared there is used after the
   * release (the {@code try} block would scope it) or the code holds a text block.
   */
  private static @Nullable SuggestedFix wrapFix(
      List<? extends StatementTree> held, int k, VisitorState state) {
    Set<Symbol> declared = new HashSet<>();
    for (StatementTree statement : held.subList(0, k)) {
      if (statement instanceof VariableTree variable) {
        Symbol sym = ASTHelpers.getSymbol(variable);
        if (sym == null) {
          return null;
        }
        declared.add(sym);
      }
    }
    if (!declared.isEmpty() && usesAny(held.subList(k + 1, held.size()), declared)) {
      return null;
    }
    CharSequence source = state.getSourceCode();
    int start = ASTHelpers.getStartPosition(held.get(0));
    int end = state.getEndPosition(held.get(k - 1));
    int releaseEnd = state.getEndPosition(held.get(k));
    if (source == null || start < 0 || end < 0 || releaseEnd < 0) {
      return null;
    }
    String work = source.subSequence(start, end).toString();
    if (work.contains("\"\"\"")) {
      return null;
    }
    String indent = Trees.indentOf(source, start);
    String release = state.getSourceForNode(held.get(k));
    String replacement =
        "try {\n"
            + indent
            + "  "
            + work.replace("\n", "\n  ")
            + "\n"
            + indent
            + "} finally {\n"
            + indent
            + "  "
            + release
            + "\n"
            + indent
            + "}";
    return SuggestedFix.replace(start, releaseEnd, replacement);
  }

  private static boolean usesAny(List<? extends StatementTree> statements, Set<Symbol> symbols) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        found[0] |= symbols.contains(ASTHelpers.getSymbol(tree));
        return null;
      }
    }.scan(statements, null);
    return found[0];
  }
}
