package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
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
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.tether.checker.utils.ConcurrentCode;
import dev.tether.checker.utils.Declarations;
import dev.tether.checker.utils.SameCompilation;
import dev.tether.checker.utils.Trees;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags {@code cancel(true)} on a {@code CompletableFuture}. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Do not expect CompletableFuture.cancel(true) to interrupt the running task",
    link = BUGPATTERN + "CancelDoesNotInterrupt.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class CancelDoesNotInterrupt extends BugChecker
    implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String MESSAGE =
      "CompletableFuture ignores mayInterruptIfRunning, so cancel(true) only completes the future"
          + " and the task keeps running: to make the work stoppable, submit it to an executor and"
          + " cancel the Future that submit returns, or run it in a Tether TaskGroup and let it"
          + " check its CancelScope";

  private static final Matcher<ExpressionTree> FUTURE_CANCEL =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.Future")
          .named("cancel")
          .withParameters("boolean");

  private static final Supplier<Type> COMPLETABLE_FUTURE =
      Suppliers.typeFromString("java.util.concurrent.CompletableFuture");

  private static final Supplier<Type> ATOMIC_REFERENCE =
      Suppliers.typeFromString("java.util.concurrent.atomic.AtomicReference");

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    // Cheap tests first: one argument, the constant true; only then the type-based matcher.
    if (tree.getArguments().size() != 1
        || !Boolean.TRUE.equals(ASTHelpers.constValue(tree.getArguments().get(0)))
        || !FUTURE_CANCEL.matches(tree, state)) {
      return NO_MATCH;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    if (receiver == null
        || (receiver instanceof IdentifierTree id
            && (id.getName().contentEquals("super") || id.getName().contentEquals("this")))) {
      return NO_MATCH; // cancel(true) inside a Future implementation: its own business
    }
    Type type = ASTHelpers.getType(receiver);
    if (!isPlainCompletableFuture(type, state)) {
      Type initializer = initializerType(receiver, state);
      if (initializer == null || !isPlainCompletableFuture(initializer, state)) {
        return NO_MATCH;
      }
    }
    if (isPromise(receiver, state)
        || readsPromiseReference(receiver, state)
        || readsPromiseGetter(receiver, state)
        || isPromiseClass(type, state)) {
      return NO_MATCH;
    }
    return buildDescription(tree).setMessage(MESSAGE).build();
  }

  /**
   * Whether {@code receiver} names a promise: a local or field only ever assigned {@code new
   * CompletableFuture<>()} (or a value read from a promise reference, {@link
   * #readsPromiseReference}, or a copy of another promise variable, {@link #isPromiseCopy}), and
   * completed by no task handed to another thread. No task runs behind it, so there is nothing that
   * {@code cancel(true)} could have interrupted.
   */
  private static boolean isPromise(ExpressionTree receiver, VisitorState state) {
    ExpressionTree e = ASTHelpers.stripParentheses(receiver);
    if (!(e instanceof IdentifierTree || e instanceof MemberSelectTree)
        || !(ASTHelpers.getSymbol(e) instanceof VarSymbol var)
        || (var.getKind() != ElementKind.FIELD && var.getKind() != ElementKind.LOCAL_VARIABLE)) {
      return false;
    }
    TreePath scope = null;
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (var.getKind() == ElementKind.LOCAL_VARIABLE
          ? leaf instanceof MethodTree || leaf instanceof LambdaExpressionTree
          : leaf instanceof ClassTree) {
        scope = p; // the outermost method or lambda for a local, the top-level class for a field
      }
    }
    if (scope == null) {
      return false;
    }
    PromiseUses uses = new PromiseUses(var, state, 0);
    uses.scan(scope, null);
    return uses.created && !uses.other;
  }

  /** How many copies from variable to variable a promise is followed through. */
  private static final int MAX_COPIES = 3;

  /**
   * Whether {@code value} reads a copy of a promise: a local variable or a field of the top-level
   * class under analysis (other than {@code var}) that is itself a promise by the same rule, read
   * in the whole top-level class ({@code CompletableFuture<?> f = this.current;} where {@code
   * current} only ever stores a local {@code new CompletableFuture<>()}). A copy of a promise is a
   * promise: no task runs behind it either.
   */
  private static boolean isPromiseCopy(
      ExpressionTree value, VarSymbol var, int depth, VisitorState state) {
    if (depth >= MAX_COPIES
        || !(value instanceof IdentifierTree || value instanceof MemberSelectTree)
        || !(ASTHelpers.getSymbol(value) instanceof VarSymbol copied)
        || copied.equals(var)
        || (copied.getKind() != ElementKind.FIELD
            && copied.getKind() != ElementKind.LOCAL_VARIABLE)) {
      return false;
    }
    TreePath top = Trees.topLevelClass(state.getPath());
    if (top == null
        || (copied.getKind() == ElementKind.FIELD
            && !ASTHelpers.outermostClass(copied)
                .equals(ASTHelpers.getSymbol((ClassTree) top.getLeaf())))) {
      return false; // a field of another class: its writes are not in sight
    }
    PromiseUses uses = new PromiseUses(copied, state, depth + 1);
    uses.scan(top, null);
    return uses.created && !uses.other;
  }

  /**
   * One scan of the code that can use a variable, {@link #other} once a use shows that it may hold
   * something else than a promise (the scan then stops).
   */
  private abstract static class VariableUses extends TreePathScanner<Void, Void> {
    final VarSymbol var;
    final VisitorState state;
    boolean other;

    VariableUses(VarSymbol var, VisitorState state) {
      this.var = var;
      this.state = state;
    }

    @Override
    public Void scan(Tree tree, Void unused) {
      return other ? null : super.scan(tree, null);
    }

    /** Whether {@code target}, a receiver of {@code complete}, is the promise looked at. */
    abstract boolean holdsPromise(ExpressionTree target);

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      String name = Trees.calledName(tree);
      ExpressionTree target = ASTHelpers.getReceiver(tree);
      if ((name.equals("complete") || name.equals("completeExceptionally"))
          && target != null
          && holdsPromise(target)
          && ConcurrentCode.enclosing(getCurrentPath(), state).isPresent()) {
        other = true; // completed by a task on another thread: that task is what runs behind it
      }
      return super.visitMethodInvocation(tree, null);
    }
  }

  /** How one scan of the variable's scope sees it assigned and completed. */
  private static final class PromiseUses extends VariableUses {
    private final int depth;
    private boolean created;

    PromiseUses(VarSymbol var, VisitorState state, int depth) {
      super(var, state);
      this.depth = depth;
    }

    @Override
    public Void visitVariable(VariableTree tree, Void unused) {
      if (var.equals(ASTHelpers.getSymbol(tree)) && tree.getInitializer() != null) {
        assigned(tree.getInitializer());
      }
      return super.visitVariable(tree, null);
    }

    @Override
    public Void visitAssignment(AssignmentTree tree, Void unused) {
      if (var.equals(ASTHelpers.getSymbol(tree.getVariable()))) {
        assigned(tree.getExpression());
      }
      return super.visitAssignment(tree, null);
    }

    @Override
    boolean holdsPromise(ExpressionTree target) {
      return var.equals(ASTHelpers.getSymbol(target));
    }

    private void assigned(ExpressionTree value) {
      ExpressionTree v = ASTHelpers.stripParentheses(value);
      if (v.getKind() == Tree.Kind.NULL_LITERAL) {
        return; // cleared after a cancel (f.cancel(true); f = null;): still no task behind it
      }
      if ((v instanceof NewClassTree && isNewPromise(v, state))
          || readsPromiseReference(v, state)
          || isPromiseCopy(v, var, depth, state)) {
        created = true;
      } else {
        other = true;
      }
    }
  }

  /**
   * Whether {@code tree} makes a new, plain {@code CompletableFuture}: {@code new
   * CompletableFuture<>()}, or an anonymous subclass that does not override {@code cancel} (Jetty's
   * {@code new CompletableFuture<>() { toString() … }}).
   */
  private static boolean isNewPromise(ExpressionTree tree, VisitorState state) {
    Type completable = COMPLETABLE_FUTURE.get(state);
    if (!(ASTHelpers.stripParentheses(tree) instanceof NewClassTree newClass)
        || completable == null) {
      return false;
    }
    ClassSymbol body =
        newClass.getClassBody() == null ? null : ASTHelpers.getSymbol(newClass.getClassBody());
    if (newClass.getClassBody() != null && (body == null || declares(body, "cancel", 1))) {
      return false;
    }
    Type created = body == null ? ASTHelpers.getType(newClass) : body.getSuperclass();
    return created != null
        && created.getKind() == TypeKind.DECLARED
        && state
            .getTypes()
            .isSameType(state.getTypes().erasure(created), state.getTypes().erasure(completable));
  }

  /**
   * Whether {@code tree} calls a getter that returns a promise field of its class: a method without
   * parameters, declared in a source file of this compilation, whose body is {@code return f;} for
   * a {@code final} field {@code f} of that class initialized with {@code new
   * CompletableFuture<>()} ({@link #isNewPromise}); and the code of that class's package, and of
   * the package of the code that cancels it, completes what the getter (or the field) returns from
   * code, never from a task on another thread nor with {@code completeAsync} (RocketMQ's {@code
   * request.getRequestFuture().cancel(true)}, whose request's future only the notification
   * service's code completes). No task runs behind such a future. A getter of another shape, a
   * field assigned anything else, or one completed by a task, stays reported.
   */
  private static boolean readsPromiseGetter(ExpressionTree tree, VisitorState state) {
    if (!(ASTHelpers.stripParentheses(tree) instanceof MethodInvocationTree call)
        || !call.getArguments().isEmpty()) {
      return false;
    }
    MethodSymbol getter = ASTHelpers.getSymbol(call);
    if (getter == null || !(getter.owner instanceof ClassSymbol cls)) {
      return false;
    }
    TreePath clsPath = SameCompilation.pathOfClass(cls, state);
    MethodTree method = clsPath == null ? null : declarationOf(getter, clsPath.getLeaf());
    if (method == null
        || method.getBody() == null
        || method.getBody().getStatements().size() != 1
        || !(method.getBody().getStatements().get(0) instanceof ReturnTree ret)
        || ret.getExpression() == null
        || !(ASTHelpers.getSymbol(ret.getExpression()) instanceof VarSymbol field)
        || field.getKind() != ElementKind.FIELD
        || !field.owner.equals(cls)
        || (field.flags() & Flags.FINAL) == 0) {
      return false;
    }
    VariableTree declaration = Declarations.in(clsPath.getLeaf(), field);
    if (declaration == null
        || declaration.getInitializer() == null
        || !isNewPromise(declaration.getInitializer(), state)) {
      return false;
    }
    Completions completions =
        Completions.inSight(
            cls,
            target ->
                getter.equals(ASTHelpers.getSymbol(target))
                    || field.equals(ASTHelpers.getSymbol(target)),
            creation -> false,
            state);
    return completions != null && completions.byCode;
  }

  /** The declaration of {@code method} among the members of {@code cls}, or null. */
  private static @Nullable MethodTree declarationOf(MethodSymbol method, Tree cls) {
    if (cls instanceof ClassTree classTree) {
      for (Tree member : classTree.getMembers()) {
        if (member instanceof MethodTree m && method.equals(ASTHelpers.getSymbol(m))) {
          return m;
        }
      }
    }
    return null;
  }

  /** Calls that complete a future with a value computed by a task: a task then runs behind it. */
  private static final Set<String> ASYNC_COMPLETIONS = Set.of("completeAsync");

  /** Calls that complete a future: from a task on another thread, that task runs behind it. */
  private static final Set<String> COMPLETIONS =
      Set.of("complete", "completeExceptionally", "obtrudeValue", "obtrudeException");

  /**
   * Whether {@code type} is a promise class: a subclass of {@code CompletableFuture} declared in a
   * source file of this compilation that does not override {@code newIncompleteFuture} (so that
   * only {@code new} makes its instances: no async factory or dependent stage returns one), and
   * that no code of its package, or of the package of the code that cancels it, completes from a
   * task on another thread ({@code pool.execute(() -> f.complete(v))}) or with {@code
   * completeAsync}, while that code does make instances with {@code new} and complete them from
   * code (NATS' {@code NatsRequestCompletableFuture}, read back from a map of pending requests and
   * completed by the reply): no task runs behind one. A subclass that is never made or completed in
   * sight is no evidence either way, and stays reported.
   */
  private static boolean isPromiseClass(@Nullable Type type, VisitorState state) {
    Type completable = COMPLETABLE_FUTURE.get(state);
    if (type == null
        || completable == null
        || !(type.tsym instanceof ClassSymbol cls)
        || state
            .getTypes()
            .isSameType(state.getTypes().erasure(type), state.getTypes().erasure(completable))
        || SameCompilation.pathOfClass(cls, state) == null) {
      return false;
    }
    if (declaredBelowCompletableFuture(type, "newIncompleteFuture", ANY_ARITY, state)) {
      return false;
    }
    Type erased = state.getTypes().erasure(type);
    Completions completions =
        Completions.inSight(
            cls,
            target -> isSubtypeOf(ASTHelpers.getType(target), erased, state),
            creation -> isSubtypeOf(ASTHelpers.getType(creation), erased, state),
            state);
    return completions != null && completions.made && completions.byCode;
  }

  private static boolean isSubtypeOf(@Nullable Type type, Type erased, VisitorState state) {
    return type != null && state.getTypes().isSubtype(state.getTypes().erasure(type), erased);
  }

  /**
   * How the code in sight completes the futures a test picks out: the classes of the package of
   * {@code cls} and of the package of the code under analysis ({@link #inSight}).
   */
  private static final class Completions {
    /** Whether a {@code new} expression that the creation test picks out is in sight. */
    boolean made;

    /** Whether code (not a task on another thread) completes such a future. */
    boolean byCode;

    /**
     * Scans the classes of {@code cls}'s package and of the package of the code at {@code
     * state.getPath()} for completions ({@link #COMPLETIONS}, {@link #ASYNC_COMPLETIONS}) whose
     * receiver {@code target} picks out, and for creations {@code creation} picks out. Null when a
     * file of those packages is not readable, or when such a future is completed from a task on
     * another thread or with {@code completeAsync}: a task then runs behind it.
     */
    static @Nullable Completions inSight(
        ClassSymbol cls,
        Predicate<ExpressionTree> target,
        Predicate<NewClassTree> creation,
        VisitorState state) {
      Set<ClassSymbol> classes =
          new LinkedHashSet<>(SameCompilation.classesInPackageOf(cls, state));
      TreePath here = Trees.topLevelClass(state.getPath());
      if (here != null && ASTHelpers.getSymbol(here.getLeaf()) instanceof ClassSymbol asking) {
        classes.addAll(SameCompilation.classesInPackageOf(asking, state));
      }
      Completions found = new Completions();
      boolean[] task = new boolean[1];
      for (ClassSymbol other : classes) {
        TreePath path = SameCompilation.pathOf(other, state);
        if (path == null) {
          return null; // a file that may complete one is not readable: unknown
        }
        new TreePathScanner<Void, Void>() {
          @Override
          public Void scan(Tree tree, Void unused) {
            return task[0] ? null : super.scan(tree, null);
          }

          @Override
          public Void visitNewClass(NewClassTree made, Void unused) {
            found.made |= creation.test(made);
            return super.visitNewClass(made, null);
          }

          @Override
          public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
            String name = Trees.calledName(call);
            boolean async = ASYNC_COMPLETIONS.contains(name);
            ExpressionTree receiver = ASTHelpers.getReceiver(call);
            if ((async || COMPLETIONS.contains(name))
                && receiver != null
                && target.test(receiver)) {
              if (async || ConcurrentCode.enclosing(getCurrentPath(), state).isPresent()) {
                task[0] = true;
                return null;
              }
              found.byCode = true;
            }
            return super.visitMethodInvocation(call, null);
          }
        }.scan(path, null);
        if (task[0]) {
          return null;
        }
      }
      return found;
    }
  }

  /**
   * Whether {@code tree} reads a promise reference: {@code ref.get()} (or {@code getAcquire},
   * {@code getPlain}, {@code getOpaque}, {@code getAndSet}) of a final {@code AtomicReference}
   * field whose every write in the top-level class stores a new promise ({@link #isNewPromise}) or
   * {@code null} ({@code ref.compareAndSet(null, new CompletableFuture<>())}, {@code
   * ref.set(null)}), that is used only through such calls (never passed on or aliased), and whose
   * value no task on another thread completes. What is read back is then always a promise that code
   * completes.
   */
  private static boolean readsPromiseReference(ExpressionTree tree, VisitorState state) {
    if (!(ASTHelpers.stripParentheses(tree) instanceof MethodInvocationTree call)
        || !REFERENCE_READS.contains(Trees.calledName(call))) {
      return false;
    }
    ExpressionTree ref = ASTHelpers.getReceiver(call);
    Type atomic = ATOMIC_REFERENCE.get(state);
    if (ref == null
        || atomic == null
        || !(ref instanceof IdentifierTree || ref instanceof MemberSelectTree)
        || !(ASTHelpers.getSymbol(ref) instanceof VarSymbol field)
        || field.getKind() != ElementKind.FIELD
        || (field.flags() & Flags.FINAL) == 0
        || field.type == null
        || !state
            .getTypes()
            .isSameType(state.getTypes().erasure(field.type), state.getTypes().erasure(atomic))) {
      return false;
    }
    TreePath top = Trees.topLevelClass(state.getPath());
    if (top == null) {
      return false;
    }
    ReferenceUses uses = new ReferenceUses(field, state);
    uses.scan(top, null);
    return !uses.other;
  }

  /** Reads of an {@code AtomicReference}. */
  private static final Set<String> REFERENCE_READS =
      Set.of("get", "getAcquire", "getPlain", "getOpaque", "getAndSet");

  /** Writes of an {@code AtomicReference} whose new value is the first argument. */
  private static final Set<String> REFERENCE_SETS =
      Set.of("set", "lazySet", "setPlain", "setOpaque", "setRelease", "getAndSet");

  /** Writes of an {@code AtomicReference} whose new value is the last (second) argument. */
  private static final Set<String> REFERENCE_SWAPS =
      Set.of(
          "compareAndSet",
          "weakCompareAndSet",
          "weakCompareAndSetPlain",
          "weakCompareAndSetVolatile",
          "weakCompareAndSetAcquire",
          "weakCompareAndSetRelease",
          "compareAndExchange",
          "compareAndExchangeAcquire",
          "compareAndExchangeRelease");

  /** Calls of an {@code AtomicReference} that neither write nor hand its value anywhere. */
  private static final Set<String> REFERENCE_QUERIES = Set.of("toString", "hashCode");

  /** How one scan of the top-level class sees an {@code AtomicReference} field used. */
  private static final class ReferenceUses extends VariableUses {
    private final Set<VarSymbol> readInto = new HashSet<>();

    ReferenceUses(VarSymbol ref, VisitorState state) {
      super(ref, state);
    }

    @Override
    public Void visitVariable(VariableTree tree, Void unused) {
      Symbol sym = ASTHelpers.getSymbol(tree);
      ExpressionTree init = tree.getInitializer();
      if (var.equals(sym)) {
        if (!(init instanceof NewClassTree newRef)
            || newRef.getClassBody() != null
            || newRef.getArguments().size() > 1
            || (newRef.getArguments().size() == 1
                && !isPromiseValue(newRef.getArguments().get(0)))) {
          other = true;
        }
      } else if (sym instanceof VarSymbol local && init != null && isRead(init)) {
        readInto.add(local);
      }
      return super.visitVariable(tree, null);
    }

    @Override
    public Void visitIdentifier(IdentifierTree tree, Void unused) {
      checkUse(tree);
      return null;
    }

    @Override
    public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
      if (var.equals(ASTHelpers.getSymbol(tree))) {
        checkUse(tree);
        return null;
      }
      return super.visitMemberSelect(tree, null);
    }

    /** A use of the reference must be the receiver of a read, a query or a promise write. */
    private void checkUse(ExpressionTree use) {
      if (!var.equals(ASTHelpers.getSymbol(use))) {
        return;
      }
      TreePath parent = getCurrentPath().getParentPath();
      TreePath grandparent = parent == null ? null : parent.getParentPath();
      if (!(parent != null
          && parent.getLeaf() instanceof MemberSelectTree select
          && select.getExpression() == use
          && grandparent != null
          && grandparent.getLeaf() instanceof MethodInvocationTree call
          && call.getMethodSelect() == select)) {
        other = true; // passed on, aliased, or assigned
        return;
      }
      String name = select.getIdentifier().toString();
      List<? extends ExpressionTree> args = call.getArguments();
      if (REFERENCE_SETS.contains(name)) {
        other |= args.isEmpty() || !isPromiseValue(args.get(0));
      } else if (REFERENCE_SWAPS.contains(name)) {
        other |= args.isEmpty() || !isPromiseValue(args.get(args.size() - 1));
      } else if (!REFERENCE_READS.contains(name) && !REFERENCE_QUERIES.contains(name)) {
        other = true; // updateAndGet, accumulateAndGet, …: a value computed elsewhere
      }
    }

    @Override
    boolean holdsPromise(ExpressionTree target) {
      return isRead(target) || readInto.contains(ASTHelpers.getSymbol(target));
    }

    private boolean isRead(ExpressionTree tree) {
      return ASTHelpers.stripParentheses(tree) instanceof MethodInvocationTree call
          && REFERENCE_READS.contains(Trees.calledName(call))
          && ASTHelpers.getReceiver(call) != null
          && var.equals(ASTHelpers.getSymbol(ASTHelpers.getReceiver(call)));
    }

    private boolean isPromiseValue(ExpressionTree value) {
      ExpressionTree v = ASTHelpers.stripParentheses(value);
      return v.getKind() == Tree.Kind.NULL_LITERAL || isNewPromise(v, state);
    }
  }

  /**
   * Whether {@code type} is {@code CompletableFuture} or a subtype that keeps its {@code cancel}: a
   * subclass that overrides {@code cancel(boolean)} may well interrupt.
   */
  private static boolean isPlainCompletableFuture(@Nullable Type type, VisitorState state) {
    Type completable = COMPLETABLE_FUTURE.get(state);
    if (type == null
        || completable == null
        || type.getKind() == TypeKind.ERROR
        || !ASTHelpers.isSubtype(type, completable, state)) {
      return false;
    }
    if (type.getKind() == TypeKind.TYPEVAR) {
      return true; // bounded by CompletableFuture
    }
    return type.getKind() == TypeKind.DECLARED
        && !declaredBelowCompletableFuture(type, "cancel", 1, state);
  }

  /** For {@link #declares}: a method of that name with any number of parameters. */
  private static final int ANY_ARITY = -1;

  /**
   * Whether a class from {@code type} (a subtype of {@code CompletableFuture}) up to, but not
   * including, {@code CompletableFuture} declares a method {@code name} with {@code arity}
   * parameters: overrides {@code cancel(boolean)} or {@code newIncompleteFuture()}.
   */
  private static boolean declaredBelowCompletableFuture(
      Type type, String name, int arity, VisitorState state) {
    Type erased = state.getTypes().erasure(COMPLETABLE_FUTURE.get(state));
    for (Type t = type;
        t != null
            && t.getKind() == TypeKind.DECLARED
            && !state.getTypes().isSameType(state.getTypes().erasure(t), erased);
        t = state.getTypes().supertype(t)) {
      if (t.tsym instanceof ClassSymbol cls && declares(cls, name, arity)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code cls} declares a method {@code name} with {@code arity} parameters. */
  private static boolean declares(ClassSymbol cls, String name, int arity) {
    for (Symbol member : ASTHelpers.getEnclosedElements(cls)) {
      if (member.getKind() == ElementKind.METHOD
          && member.getSimpleName().contentEquals(name)
          && (arity == ANY_ARITY
              || (member.type != null && member.type.getParameterTypes().size() == arity))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The type of the initializer of the effectively final local, or final field, that {@code
   * receiver} names (declared as a {@code Future}, initialized with a {@code CompletableFuture});
   * {@code null} when unknown. Looks only at the statements before the use in the enclosing blocks
   * and at the members of the enclosing classes.
   */
  private static @Nullable Type initializerType(ExpressionTree receiver, VisitorState state) {
    ExpressionTree e = ASTHelpers.stripParentheses(receiver);
    if (!(e instanceof IdentifierTree || e instanceof MemberSelectTree)
        || !(ASTHelpers.getSymbol(e) instanceof VarSymbol var)) {
      return null;
    }
    boolean field = var.getKind() == ElementKind.FIELD;
    if (field ? (var.flags() & Flags.FINAL) == 0 : !isEffectivelyFinalLocal(var)) {
      return null;
    }
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      Iterable<? extends Tree> candidates =
          leaf instanceof BlockTree block && !field
              ? block.getStatements()
              : leaf instanceof ClassTree cls && field ? cls.getMembers() : null;
      if (candidates == null) {
        continue;
      }
      for (Tree candidate : candidates) {
        if (candidate instanceof VariableTree decl
            && ASTHelpers.getSymbol(decl) == var
            && decl.getInitializer() != null) {
          return ASTHelpers.getType(decl.getInitializer());
        }
      }
    }
    return null;
  }

  private static boolean isEffectivelyFinalLocal(VarSymbol var) {
    return var.getKind() == ElementKind.LOCAL_VARIABLE && ASTHelpers.isConsideredFinal(var);
  }
}
