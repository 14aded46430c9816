package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.BugPattern.StandardTags.CONCURRENCY;
import static com.google.errorprone.matchers.Description.NO_MATCH;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;
import static dev.tether.checker.utils.Links.BUGPATTERN;

import com.google.auto.service.AutoService;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.IfTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.google.errorprone.util.FindIdentifiers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
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
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.AssignedValues;
import dev.tether.checker.utils.BodyScan;
import dev.tether.checker.utils.LazyPathScanner;
import dev.tether.checker.utils.LocalEscapes;
import dev.tether.checker.utils.LocalEscapes.Way;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.SameCompilation;
import dev.tether.checker.utils.SameVariable;
import dev.tether.checker.utils.Symbols;
import dev.tether.checker.utils.Synchronization;
import dev.tether.checker.utils.ThreadOwnership;
import dev.tether.checker.utils.Trees;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags check-then-act sequences on a {@code ConcurrentMap}. */
@AutoService(BugChecker.class)
@BugPattern(
    summary =
        "Update a ConcurrentMap with one atomic call instead of a get or check followed by put",
    link = BUGPATTERN + "NonAtomicConcurrentMapUpdate.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class NonAtomicConcurrentMapUpdate extends BugChecker
    implements IfTreeMatcher, MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  /**
   * The calls are matched on any {@code Map}; {@link #isConcurrent} then keeps the maps known to be
   * concurrent: declared so, or a {@code Map} variable that only ever holds one.
   */
  private static final String MAP = "java.util.Map";

  private static final Supplier<Type> CONCURRENT_MAP =
      Suppliers.typeFromString("java.util.concurrent.ConcurrentMap");

  // Name first: most calls are not these, and onDescendantOf tests the receiver's type first.
  private static final Matcher<ExpressionTree> CONTAINS_KEY =
      Trees.calledNameFirst(
          "containsKey", instanceMethod().onDescendantOf(MAP).named("containsKey"));
  private static final Matcher<ExpressionTree> GET =
      Trees.calledNameFirst("get", instanceMethod().onDescendantOf(MAP).named("get"));
  private static final Matcher<ExpressionTree> GET_OR_DEFAULT =
      Trees.calledNameFirst(
          "getOrDefault", instanceMethod().onDescendantOf(MAP).named("getOrDefault"));
  private static final Matcher<ExpressionTree> PUT =
      Trees.calledNameFirst("put", instanceMethod().onDescendantOf(MAP).named("put"));
  private static final Matcher<ExpressionTree> REMOVE =
      Trees.calledNameFirst(
          "remove",
          instanceMethod().onDescendantOf(MAP).named("remove").withParameters("java.lang.Object"));
  private static final PerCompilation<Name> EQUALS = PerCompilation.name("equals");

  private static final Matcher<ExpressionTree> OBJECTS_EQUALS =
      staticMethod().onClass("java.util.Objects").named("equals");

  private static final Supplier<Type> COLLECTION = Suppliers.typeFromString("java.util.Collection");
  private static final Supplier<Type> MAP_TYPE = Suppliers.typeFromString(MAP);
  private static final Supplier<Type> ITERABLE = Suppliers.typeFromString("java.lang.Iterable");
  private static final Supplier<Type> BASE_STREAM =
      Suppliers.typeFromString("java.util.stream.BaseStream");

  /** Types of objects that callers mutate, count with or lock on, besides collections and maps. */
  private static final Set<String> MUTABLE_HOLDERS =
      Set.of("java.lang.Object", "java.lang.StringBuilder", "java.lang.StringBuffer");

  /** Packages whose every type is a mutable holder: counters, references, locks. */
  private static final Set<String> MUTABLE_PACKAGES =
      Set.of("java.util.concurrent.atomic", "java.util.concurrent.locks");

  @Override
  public Description matchIf(IfTree tree, VisitorState state) {
    ExpressionTree condition = ASTHelpers.stripParentheses(tree.getCondition());
    Check check = absentCheck(condition, state);
    boolean absent = check != null;
    if (check == null) {
      check = equalsCheck(condition, state);
    }
    if (check == null) {
      check = absentLocalCheck(condition, state);
      absent = check != null;
    }
    if (check == null) {
      return presentCheck(tree, condition, state);
    }
    List<? extends StatementTree> statements = statements(tree.getThenStatement());
    MethodInvocationTree act = null;
    for (StatementTree statement : statements) {
      if (statement instanceof ExpressionStatementTree expression
          && expression.getExpression() instanceof MethodInvocationTree call
          && (absent ? PUT.matches(call, state) : REMOVE.matches(call, state))
          && sameMap(check.map(), ASTHelpers.getReceiver(call), state)
          && sameSource(check.key(), call.getArguments().get(0), state)) {
        act = call;
        break;
      }
    }
    if (act == null
        || !isConcurrent(check.map(), state)
        || isExempt(check.map(), state)
        || (absent && memoizes(act, statements, 0, check, state))) {
      return NO_MATCH;
    }
    String map = state.getSourceForNode(check.map());
    String key = state.getSourceForNode(check.key());
    Description.Builder description = buildDescription(tree);
    boolean onlyStatement =
        statements.size() == 1 && tree.getElseStatement() == null && !check.viaLocal();
    if (absent) {
      description.setMessage(
          "Another thread can put the key between this check and the put, and its value is then"
              + " overwritten: use putIfAbsent or computeIfAbsent, which check and insert"
              + " atomically");
      ExpressionTree value = act.getArguments().get(1);
      if (onlyStatement) {
        String v = state.getSourceForNode(value);
        String replacement =
            isCheap(value)
                ? map + ".putIfAbsent(" + key + ", " + v + ");"
                : capturable(value)
                    ? map + ".computeIfAbsent(" + key + ", " + freshName(state) + " -> " + v + ");"
                    : null;
        if (replacement != null
            && !(value instanceof LiteralTree literal && literal.getValue() == null)) {
          description.addFix(SuggestedFix.replace(tree, replacement));
        }
      }
    } else {
      description.setMessage(
          "Another thread can replace the value between this check and the remove, which then"
              + " removes the new value: use remove(key, value), which checks and removes"
              + " atomically");
      if (onlyStatement && check.value() != null && isCheap(check.value())) {
        description.addFix(
            SuggestedFix.replace(
                tree,
                map + ".remove(" + key + ", " + state.getSourceForNode(check.value()) + ");"));
      }
    }
    return description.build();
  }

  /**
   * {@code if (m.containsKey(k)) throw …; m.put(k, v);}, and the same with {@code m.get(k) != null}
   * or a local read from {@code m.get(k)}: a branch that leaves when the key is present, followed
   * by a put of that key in the same block.
   */
  private Description presentCheck(IfTree tree, ExpressionTree condition, VisitorState state) {
    Check check = presentCondition(condition, state);
    if (check == null
        || tree.getElseStatement() != null
        || !exitsAbruptly(tree.getThenStatement())
        || !(state.getPath().getParentPath().getLeaf() instanceof BlockTree block)) {
      return NO_MATCH;
    }
    List<? extends StatementTree> statements = block.getStatements();
    int at = statements.indexOf(tree);
    ExpressionStatementTree putStatement = null;
    MethodInvocationTree put = null;
    for (int i = at + 1; i < statements.size() && put == null; i++) {
      if (statements.get(i) instanceof ExpressionStatementTree expression
          && expression.getExpression() instanceof MethodInvocationTree call
          && PUT.matches(call, state)
          && sameMap(check.map(), ASTHelpers.getReceiver(call), state)
          && sameSource(check.key(), call.getArguments().get(0), state)) {
        putStatement = expression;
        put = call;
      }
    }
    if (put == null
        || !isConcurrent(check.map(), state)
        || isExempt(check.map(), state)
        || (returnsCachedValue(tree, condition, check, state)
            && memoizes(put, statements, at + 1, check, state))) {
      return NO_MATCH;
    }
    Description.Builder description =
        buildDescription(tree)
            .setMessage(
                "Another thread can put the key between this check and the put that follows, and"
                    + " its value is then overwritten: test the result of putIfAbsent instead"
                    + " (if (m.putIfAbsent(k, v) != null) …), or use computeIfAbsent, which check"
                    + " and insert atomically");
    ExpressionTree value = put.getArguments().get(1);
    if (!check.viaLocal()
        && statements.indexOf(putStatement) == at + 1
        && isCheap(value)
        && !(value instanceof LiteralTree literal && literal.getValue() == null)) {
      description.addFix(
          SuggestedFix.builder()
              .replace(
                  tree.getCondition(),
                  "("
                      + state.getSourceForNode(check.map())
                      + ".putIfAbsent("
                      + state.getSourceForNode(check.key())
                      + ", "
                      + state.getSourceForNode(value)
                      + ") != null)")
              .merge(deleteLines(putStatement, state))
              .setShortDescription("put with putIfAbsent and test its result")
              .build());
    }
    return description.build();
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (tree.getArguments().size() != 2 || !PUT.matches(tree, state)) {
      return NO_MATCH;
    }
    ExpressionTree map = ASTHelpers.getReceiver(tree);
    ExpressionTree key = tree.getArguments().get(0);
    ExpressionTree value = ASTHelpers.stripParentheses(tree.getArguments().get(1));
    Read found = readIn(value, map, key, state);
    MethodInvocationTree read = found == null ? null : found.get();
    VariableTree local = found == null ? null : found.local();
    if (read == null || !isConcurrent(map, state) || isExempt(map, state)) {
      return NO_MATCH;
    }
    Description.Builder description =
        buildDescription(tree)
            .setMessage(
                "Another thread can update the value between this read and the put, and its"
                    + " update is lost: use merge (e.g. merge(key, n, Integer::sum)) or compute,"
                    + " which read and write atomically");
    if (local == null) {
      counterFix(tree, map, key, value, read, state).ifPresent(description::addFix);
    } else {
      localCounterFix(tree, map, key, value, local, read, state).ifPresent(description::addFix);
    }
    return description.build();
  }

  /**
   * Whether the {@code if} that leaves when the key is present returns the cached value: {@code
   * return v;} of the local read from the map that the condition tests, or {@code return m.get(k);}
   * (a cache hit), not a {@code throw} or another value (a duplicate check, whose loser must learn
   * that it lost).
   */
  private static boolean returnsCachedValue(
      IfTree tree, ExpressionTree condition, Check check, VisitorState state) {
    List<? extends StatementTree> then = statements(tree.getThenStatement());
    if (then.isEmpty()
        || !(then.get(then.size() - 1) instanceof ReturnTree ret)
        || ret.getExpression() == null) {
      return false;
    }
    ExpressionTree returned = ASTHelpers.stripParentheses(ret.getExpression());
    if (returned instanceof MethodInvocationTree get && GET.matches(get, state)) {
      return sameMap(check.map(), ASTHelpers.getReceiver(get), state)
          && !get.getArguments().isEmpty()
          && sameSource(check.key(), get.getArguments().get(0), state);
    }
    return check.viaLocal()
        && returned instanceof IdentifierTree
        && condition instanceof BinaryTree binary
        && nullComparand(binary) instanceof IdentifierTree tested
        && ASTHelpers.getSymbol(tested) != null
        && ASTHelpers.getSymbol(tested).equals(ASTHelpers.getSymbol(returned));
  }

  /**
   * Whether {@code put}, a statement of {@code statements}, fills a memoizing cache: it stores a
   * value computed from the key alone, so that a racing put at worst computes it twice and
   * overwrites it with an equal one; nothing is lost. The statements from {@code from} up to the
   * put (the code between the read and the put) may only compute that value ({@link
   * Computation#computesFromKey}); the value is a method call's result ({@code c.getMethods()},
   * {@code load(k)}, {@code parser.getValues()}) that depends on the key, put directly or kept in a
   * local computed there that is afterwards only returned, and that is not a mutable holder that
   * callers then mutate or lock on ({@link #isFreshHolder}).
   */
  private static boolean memoizes(
      MethodInvocationTree put,
      List<? extends StatementTree> statements,
      int from,
      Check check,
      VisitorState state) {
    VarSymbol key = SameVariable.variable(check.key());
    VarSymbol map = SameVariable.variable(check.map());
    if (key == null || map == null || put.getArguments().size() != 2) {
      return false;
    }
    int at = -1;
    for (int i = from; i < statements.size() && at < 0; i++) {
      if (statements.get(i) instanceof ExpressionStatementTree expression
          && expression.getExpression() == put) {
        at = i;
      }
    }
    Computation computation = new Computation(key, map, state);
    if (at < 0 || !computation.computesFromKey(statements.subList(from, at))) {
      return false;
    }
    ExpressionTree value = ASTHelpers.stripParentheses(put.getArguments().get(1));
    ExpressionTree origin;
    if (value instanceof IdentifierTree
        && ASTHelpers.getSymbol(value) instanceof VarSymbol local
        && local.getKind() == ElementKind.LOCAL_VARIABLE) {
      origin = computation.values.get(local);
      if (origin == null
          || !computation.fromKey.contains(local)
          || !(onlyReturnedAfter(local, put, state) || isCanonical(local.type))) {
        return false;
      }
    } else {
      origin = value;
      if (!computation.isPure(value) || !computation.dependsOnKey(value)) {
        return false;
      }
    }
    return origin instanceof MethodInvocationTree call && !isFreshHolder(call, computation, state);
  }

  /**
   * What the code between a cache's read and its put computes: the locals it assigns (their last
   * value) and which of them depend on the key. Only the key, constants, final fields (or private
   * fields assigned only while their object is made, {@link AssignedValues#onlyInConstructors}) and
   * such locals may feed it; the map may only be asked its size and cleared.
   */
  private static final class Computation {
    private final VarSymbol key;
    private final VarSymbol map;
    private final Map<VarSymbol, ExpressionTree> values = new HashMap<>();
    private final Set<VarSymbol> fromKey = new HashSet<>();
    private final VisitorState state;

    Computation(VarSymbol key, VarSymbol map, VisitorState state) {
      this.key = key;
      this.map = map;
      this.state = state;
    }

    /**
     * Whether every statement only computes the value: declares or assigns a local from a pure
     * expression ({@code QuotedQualityCSV csv = new QuotedQualityCSV(FORMATS);}, {@code v =
     * csv.getValues();}), feeds such a local pure arguments ({@code csv.addValue(key);}), or bounds
     * the cache ({@code if (m.size() > max) m.clear();}: evicting memoized values loses nothing).
     */
    boolean computesFromKey(List<? extends StatementTree> statements) {
      for (StatementTree statement : statements) {
        if (statement instanceof VariableTree decl) {
          VarSymbol local = ASTHelpers.getSymbol(decl);
          if (local == null
              || (decl.getInitializer() != null && !assign(local, decl.getInitializer()))) {
            return false;
          }
        } else if (statement instanceof ExpressionStatementTree expression
            && expression.getExpression() instanceof AssignmentTree assignment
            && assignment.getVariable() instanceof IdentifierTree
            && ASTHelpers.getSymbol(assignment.getVariable()) instanceof VarSymbol local
            && local.getKind() == ElementKind.LOCAL_VARIABLE) {
          if (!assign(local, assignment.getExpression())) {
            return false;
          }
        } else if (statement instanceof ExpressionStatementTree expression
            && expression.getExpression() instanceof MethodInvocationTree call
            && ASTHelpers.getReceiver(call) instanceof IdentifierTree receiver
            && ASTHelpers.getSymbol(receiver) instanceof VarSymbol local
            && values.containsKey(local)) {
          for (ExpressionTree argument : call.getArguments()) {
            if (!isPure(argument)) {
              return false;
            }
            if (dependsOnKey(argument)) {
              fromKey.add(local);
            }
          }
        } else if (!isSizeBound(statement)) {
          return false;
        }
      }
      return true;
    }

    private boolean assign(VarSymbol local, ExpressionTree value) {
      if (local.equals(key) || local.equals(map) || !isPure(value)) {
        return false;
      }
      values.put(local, ASTHelpers.stripParentheses(value));
      if (dependsOnKey(value)) {
        fromKey.add(local);
      } else {
        fromKey.remove(local);
      }
      return true;
    }

    /** {@code if (m.size() > max) m.clear();}, with {@code size()} or {@code isEmpty()}. */
    private boolean isSizeBound(StatementTree statement) {
      if (!(statement instanceof IfTree ifTree)
          || ifTree.getElseStatement() != null
          || BodyScan.containsKind(ifTree.getCondition(), IMPURE)) {
        return false;
      }
      boolean[] ok = {true};
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
          String name = Trees.calledName(call);
          if ((name.equals("size") || name.equals("isEmpty"))
              && call.getArguments().isEmpty()
              && map.equals(SameVariable.variable(ASTHelpers.getReceiver(call)))) {
            return null;
          }
          return super.visitMethodInvocation(call, null);
        }

        @Override
        public Void visitIdentifier(IdentifierTree id, Void unused) {
          ok[0] &= !map.equals(ASTHelpers.getSymbol(id));
          return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree select, Void unused) {
          ok[0] &= !map.equals(ASTHelpers.getSymbol(select));
          return super.visitMemberSelect(select, null);
        }
      }.scan(ifTree.getCondition(), null);
      List<? extends StatementTree> then = statements(ifTree.getThenStatement());
      boolean clears = ok[0] && !then.isEmpty();
      for (StatementTree s : then) {
        clears &=
            s instanceof ExpressionStatementTree expression
                && expression.getExpression() instanceof MethodInvocationTree call
                && Trees.calledName(call).equals("clear")
                && call.getArguments().isEmpty()
                && map.equals(SameVariable.variable(ASTHelpers.getReceiver(call)));
      }
      return clears;
    }

    /**
     * Whether {@code tree} reads only the key, constants, final fields (or fields assigned only
     * while their object is made) and the locals computed so far, never the map, and assigns
     * nothing (and holds no lambda or class, whose code would run who knows when).
     */
    boolean isPure(ExpressionTree tree) {
      if (BodyScan.containsKind(tree, IMPURE)) {
        return false;
      }
      boolean[] pure = {true};
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(IdentifierTree id, Void unused) {
          pure[0] &= allowed(ASTHelpers.getSymbol(id));
          return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree select, Void unused) {
          pure[0] &= allowed(ASTHelpers.getSymbol(select));
          return super.visitMemberSelect(select, null);
        }
      }.scan(tree, null);
      return pure[0];
    }

    private boolean allowed(@Nullable Symbol sym) {
      if (!(sym instanceof VarSymbol var)) {
        return true; // a method, a class or a package
      }
      if (var.equals(map)) {
        return false;
      }
      if (var.equals(key) || values.containsKey(var)) {
        return true;
      }
      return var.getKind() == ElementKind.FIELD && AssignedValues.onlyInConstructors(var, state);
    }

    /** Whether {@code tree} names the key or a local computed from it. */
    boolean dependsOnKey(ExpressionTree tree) {
      boolean[] found = new boolean[1];
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(IdentifierTree id, Void unused) {
          Symbol sym = ASTHelpers.getSymbol(id);
          found[0] |= key.equals(sym) || fromKey.contains(sym);
          return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree select, Void unused) {
          found[0] |= key.equals(ASTHelpers.getSymbol(select));
          return super.visitMemberSelect(select, null);
        }
      }.scan(tree, null);
      return found[0];
    }
  }

  /** Code that assigns, or defers work to a lambda or class, inside an expression. */
  private static final Set<Tree.Kind> IMPURE =
      Collections.unmodifiableSet(
          EnumSet.of(
              Tree.Kind.ASSIGNMENT,
              Tree.Kind.PREFIX_INCREMENT,
              Tree.Kind.PREFIX_DECREMENT,
              Tree.Kind.POSTFIX_INCREMENT,
              Tree.Kind.POSTFIX_DECREMENT,
              Tree.Kind.PLUS_ASSIGNMENT,
              Tree.Kind.MINUS_ASSIGNMENT,
              Tree.Kind.LAMBDA_EXPRESSION,
              Tree.Kind.MEMBER_REFERENCE,
              Tree.Kind.CLASS));

  /**
   * Whether the cached value {@code value} is a holder that callers mutate, count with or lock on
   * ({@link #isMutableHolder}), so that a racing put loses what was done to the other one. A
   * collection or map counts as computed data, not as a holder, only when an instance method of a
   * local computed here from the key returns it ({@code parser.getValues()}); one made by a static
   * factory ({@code Collections.synchronizedList(…)}) or a constructor is a fresh holder.
   */
  private static boolean isFreshHolder(
      MethodInvocationTree value, Computation computation, VisitorState state) {
    Type type = ASTHelpers.getType(value);
    if (!isMutableHolder(type, state)) {
      return false;
    }
    if (type == null || type.getKind() == TypeKind.ERROR) {
      return true;
    }
    boolean collection =
        ASTHelpers.isSubtype(type, COLLECTION.get(state), state)
            || ASTHelpers.isSubtype(type, MAP_TYPE.get(state), state);
    Symbol method = ASTHelpers.getSymbol(value);
    return !(collection
        && method != null
        && !ASTHelpers.isStatic(method)
        && ASTHelpers.getReceiver(value) instanceof IdentifierTree local
        && computation.fromKey.contains(ASTHelpers.getSymbol(local)));
  }

  /**
   * Whether a value of {@code type} is canonical and immutable: a {@code Class} (one object per
   * name and loader: {@code Class.forName(k)}) or an enum constant ({@code E.valueOf(k)}). Two
   * racers that compute it from the same key hold the very same object, and nobody can change it,
   * so the loser may go on using its own after the put ({@code return c.getConstructor()
   * .newInstance();}): it is the one in the map.
   */
  private static boolean isCanonical(@Nullable Type type) {
    if (type == null || type.getKind() == TypeKind.ERROR || type.tsym == null) {
      return false;
    }
    return (type.tsym.flags() & Flags.ENUM) != 0
        || type.tsym.getQualifiedName().contentEquals("java.lang.Class");
  }

  /**
   * Whether every use of {@code local} after {@code put} in its method is {@code return local;}.
   */
  private static boolean onlyReturnedAfter(
      VarSymbol local, MethodInvocationTree put, VisitorState state) {
    TreePath body = null;
    for (TreePath p = state.getPath(); p != null && body == null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree || p.getLeaf() instanceof LambdaExpressionTree) {
        body = p;
      }
    }
    if (body == null) {
      return false;
    }
    int end = state.getEndPosition(put);
    boolean[] ok = {true};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree id, Void unused) {
        if (local.equals(ASTHelpers.getSymbol(id))
            && ASTHelpers.getStartPosition(id) > end
            && !(getCurrentPath().getParentPath().getLeaf() instanceof ReturnTree)) {
          ok[0] = false;
        }
        return null;
      }
    }.scan(body, null);
    return ok[0];
  }

  /**
   * Whether a value of {@code type} is something that callers mutate, count with or lock on: a
   * collection, a map, an atomic counter or reference, a lock, a string builder, a plain object.
   */
  private static boolean isMutableHolder(@Nullable Type type, VisitorState state) {
    if (type == null || type.getKind() == TypeKind.ERROR || type.tsym == null) {
      return true;
    }
    if (type.isPrimitive() || type.getKind() == TypeKind.ARRAY) {
      return false;
    }
    Type collection = COLLECTION.get(state);
    Type map = MAP_TYPE.get(state);
    return (collection != null && ASTHelpers.isSubtype(type, collection, state))
        || (map != null && ASTHelpers.isSubtype(type, map, state))
        || MUTABLE_HOLDERS.contains(type.tsym.getQualifiedName().toString())
        || MUTABLE_PACKAGES.contains(
            state.getElements().getPackageOf(type.tsym).getQualifiedName().toString());
  }

  /** The map, key and (for remove) expected value that an {@code if} condition checks. */
  private record Check(
      ExpressionTree map, ExpressionTree key, @Nullable ExpressionTree value, boolean viaLocal) {}

  /** {@code !m.containsKey(k)}, {@code m.get(k) == null} or {@code null == m.get(k)}. */
  private static @Nullable Check absentCheck(ExpressionTree condition, VisitorState state) {
    if (condition instanceof UnaryTree not && not.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      ExpressionTree operand = ASTHelpers.stripParentheses(not.getExpression());
      if (operand instanceof MethodInvocationTree call && CONTAINS_KEY.matches(call, state)) {
        return check(call, null);
      }
      return null;
    }
    if (condition instanceof BinaryTree binary && binary.getKind() == Tree.Kind.EQUAL_TO) {
      ExpressionTree other = nullComparand(binary);
      if (other instanceof MethodInvocationTree call && GET.matches(call, state)) {
        return check(call, null);
      }
    }
    return null;
  }

  /** {@code v.equals(m.get(k))}, {@code Objects.equals(m.get(k), v)} or {@code m.get(k) == v}. */
  private static @Nullable Check equalsCheck(ExpressionTree condition, VisitorState state) {
    if (condition instanceof BinaryTree binary && binary.getKind() == Tree.Kind.EQUAL_TO) {
      ExpressionTree left = ASTHelpers.stripParentheses(binary.getLeftOperand());
      ExpressionTree right = ASTHelpers.stripParentheses(binary.getRightOperand());
      if (left instanceof MethodInvocationTree call && GET.matches(call, state)) {
        // == compares identity: no fix
        return Trees.isNullLiteral(right) ? null : check(call, null);
      }
      if (right instanceof MethodInvocationTree call && GET.matches(call, state)) {
        return Trees.isNullLiteral(left) ? null : check(call, null);
      }
      return null;
    }
    if (!(condition instanceof MethodInvocationTree equals)) {
      return null;
    }
    if (Trees.calledMethodName(equals) != EQUALS.get(state)) {
      return null; // by name, before any symbol or String
    }
    if (OBJECTS_EQUALS.matches(equals, state) && equals.getArguments().size() == 2) {
      ExpressionTree a = ASTHelpers.stripParentheses(equals.getArguments().get(0));
      ExpressionTree b = ASTHelpers.stripParentheses(equals.getArguments().get(1));
      if (a instanceof MethodInvocationTree call && GET.matches(call, state)) {
        return check(call, b);
      }
      if (b instanceof MethodInvocationTree call && GET.matches(call, state)) {
        return check(call, a);
      }
      return null;
    }
    if (equals.getArguments().size() == 1) {
      ExpressionTree receiver = ASTHelpers.getReceiver(equals);
      ExpressionTree arg = ASTHelpers.stripParentheses(equals.getArguments().get(0));
      if (arg instanceof MethodInvocationTree call
          && GET.matches(call, state)
          && receiver != null) {
        return check(call, receiver);
      }
      if (receiver instanceof MethodInvocationTree call && GET.matches(call, state)) {
        return check(call, null); // m.get(k).equals(v) throws when absent: no fix
      }
    }
    return null;
  }

  private static @Nullable Check check(MethodInvocationTree call, @Nullable ExpressionTree value) {
    ExpressionTree map = ASTHelpers.getReceiver(call);
    if (map == null || call.getArguments().isEmpty() || !isStable(call.getArguments().get(0))) {
      return null;
    }
    return new Check(map, call.getArguments().get(0), value, false);
  }

  /** {@code v == null} where {@code v} is a local read just before from {@code m.get(k)}. */
  private static @Nullable Check absentLocalCheck(ExpressionTree condition, VisitorState state) {
    if (!(condition instanceof BinaryTree binary) || binary.getKind() != Tree.Kind.EQUAL_TO) {
      return null;
    }
    return localGetCheck(nullComparand(binary), state);
  }

  /**
   * {@code m.containsKey(k)}, {@code m.get(k) != null}, {@code null != m.get(k)}, or {@code v !=
   * null} where {@code v} is a local read from {@code m.get(k)}.
   */
  private static @Nullable Check presentCondition(ExpressionTree condition, VisitorState state) {
    if (condition instanceof MethodInvocationTree call && CONTAINS_KEY.matches(call, state)) {
      return check(call, null);
    }
    if (!(condition instanceof BinaryTree binary) || binary.getKind() != Tree.Kind.NOT_EQUAL_TO) {
      return null;
    }
    ExpressionTree other = nullComparand(binary);
    if (other instanceof MethodInvocationTree call && GET.matches(call, state)) {
      return check(call, null);
    }
    return localGetCheck(other, state);
  }

  /** The check that {@code tree} stands for, when it names a local read from {@code m.get(k)}. */
  private static @Nullable Check localGetCheck(@Nullable ExpressionTree tree, VisitorState state) {
    if (!(tree instanceof IdentifierTree id)
        || !(ASTHelpers.getSymbol(id) instanceof VarSymbol var)
        || var.getKind() != ElementKind.LOCAL_VARIABLE) {
      return null;
    }
    VariableTree decl = precedingDeclaration(var, state);
    if (decl == null
        || !(ASTHelpers.stripParentheses(decl.getInitializer()) instanceof MethodInvocationTree get)
        || !GET.matches(get, state)) {
      return null;
    }
    Check check = check(get, null);
    return check == null ? null : new Check(check.map(), check.key(), null, true);
  }

  /**
   * The declaration of the local {@code var} as a statement that comes before the current one in an
   * enclosing block, when {@code var} is effectively final (read once, never reassigned).
   */
  private static @Nullable VariableTree precedingDeclaration(VarSymbol var, VisitorState state) {
    Tree child = state.getPath().getLeaf();
    for (TreePath p = state.getPath().getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof BlockTree block) {
        for (StatementTree statement : block.getStatements()) {
          if (statement == child) {
            break;
          }
          if (statement instanceof VariableTree decl && ASTHelpers.getSymbol(decl) == var) {
            return decl.getInitializer() == null ? null : decl;
          }
        }
      }
      if (leaf instanceof MethodTree
          || leaf instanceof ClassTree
          || leaf instanceof LambdaExpressionTree) {
        return null;
      }
      child = leaf;
    }
    return null;
  }

  /** Whether {@code statement} always ends in a {@code throw} or a {@code return}. */
  private static boolean exitsAbruptly(StatementTree statement) {
    StatementTree last = Trees.lastStatement(statement);
    return last instanceof ThrowTree || last instanceof ReturnTree;
  }

  private static @Nullable ExpressionTree nullComparand(BinaryTree binary) {
    ExpressionTree left = ASTHelpers.stripParentheses(binary.getLeftOperand());
    ExpressionTree right = ASTHelpers.stripParentheses(binary.getRightOperand());
    return Trees.isNullLiteral(right) ? left : Trees.isNullLiteral(left) ? right : null;
  }

  private static List<? extends StatementTree> statements(StatementTree statement) {
    return statement instanceof BlockTree block ? block.getStatements() : List.of(statement);
  }

  /**
   * The read of the map that the value of {@code m.put(k, value)} is computed from, if any: a
   * {@code m.get(k)} or {@code m.getOrDefault(k, d)} in the value, else a local read from one
   * before this statement that the value uses ({@code Integer old = m.get(k); m.put(k, old == null
   * ? 1 : old + 1);}; {@code local} is then its declaration).
   */
  private record Read(MethodInvocationTree get, @Nullable VariableTree local) {}

  private static @Nullable Read readIn(
      ExpressionTree value, @Nullable ExpressionTree map, ExpressionTree key, VisitorState state) {
    if (map == null || !isStable(key)) {
      return null;
    }
    Read[] direct = new Read[1];
    Read[] viaLocal = new Read[1];
    new BodyScan.Scanner() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        if (readsKey(call, map, key, state)) { // the last such read of the value counts
          direct[0] = new Read(call, null);
          return null;
        }
        return super.visitMethodInvocation(call, null);
      }

      @Override
      public Void visitIdentifier(IdentifierTree id, Void unused) {
        if (viaLocal[0] == null
            && ASTHelpers.getSymbol(id) instanceof VarSymbol var
            && var.getKind() == ElementKind.LOCAL_VARIABLE
            && ASTHelpers.isConsideredFinal(var)) {
          VariableTree decl = precedingDeclaration(var, state);
          if (decl != null
              && ASTHelpers.stripParentheses(decl.getInitializer())
                  instanceof MethodInvocationTree get
              && readsKey(get, map, key, state)) {
            viaLocal[0] = new Read(get, decl);
          }
        }
        return null;
      }
    }.scan(value, null);
    return direct[0] != null ? direct[0] : viaLocal[0];
  }

  /**
   * Whether {@code call} is {@code m.get(k)} or {@code m.getOrDefault(k, d)} of this map and key.
   */
  private static boolean readsKey(
      MethodInvocationTree call, ExpressionTree map, ExpressionTree key, VisitorState state) {
    return (GET.matches(call, state) || GET_OR_DEFAULT.matches(call, state))
        && sameMap(map, ASTHelpers.getReceiver(call), state)
        && sameSource(key, call.getArguments().get(0), state);
  }

  /**
   * {@code Integer old = m.get(k); m.put(k, old == null ? n : old + n);} (and {@code old != null ?
   * old + n : n}, {@code n + old}) and {@code int old = m.getOrDefault(k, 0); m.put(k, old + n);}
   * become {@code m.merge(k, n, Integer::sum);}: the same value whether the key was present or not.
   * The read is removed when nothing else uses it.
   */
  private static Optional<SuggestedFix> localCounterFix(
      MethodInvocationTree put,
      ExpressionTree map,
      ExpressionTree key,
      ExpressionTree value,
      VariableTree local,
      MethodInvocationTree read,
      VisitorState state) {
    VarSymbol old = ASTHelpers.getSymbol(local);
    if (old == null
        || !ASTHelpers.isConsideredFinal(old)
        || !(state.getPath().getParentPath().getLeaf() instanceof ExpressionStatementTree)) {
      return Optional.empty();
    }
    ExpressionTree n;
    if (GET_OR_DEFAULT.matches(read, state)) {
      n = isZero(read.getArguments().get(1)) ? addend(value, old) : null;
    } else if (value instanceof ConditionalExpressionTree choice
        && ASTHelpers.stripParentheses(choice.getCondition()) instanceof BinaryTree test
        && (test.getKind() == Tree.Kind.EQUAL_TO || test.getKind() == Tree.Kind.NOT_EQUAL_TO)
        && nullComparand(test) instanceof IdentifierTree tested
        && ASTHelpers.getSymbol(tested) == old) {
      boolean absentFirst = test.getKind() == Tree.Kind.EQUAL_TO;
      ExpressionTree whenAbsent =
          absentFirst ? choice.getTrueExpression() : choice.getFalseExpression();
      ExpressionTree whenPresent =
          absentFirst ? choice.getFalseExpression() : choice.getTrueExpression();
      ExpressionTree added = addend(ASTHelpers.stripParentheses(whenPresent), old);
      n =
          added != null
                  && isCheap(added)
                  && sameSource(added, ASTHelpers.stripParentheses(whenAbsent), state)
              ? added
              : null;
    } else {
      n = null;
    }
    String summer = n == null ? null : summer(n, read, state);
    if (summer == null) {
      return Optional.empty();
    }
    SuggestedFix.Builder fix =
        SuggestedFix.builder().replace(put, mergeCall(map, key, n, summer, state));
    if (usesOutside(old, local, put, state)) {
      return Optional.of(fix.setShortDescription("merge the update into one atomic call").build());
    }
    return Optional.of(
        fix.merge(deleteLines(local, state))
            .setShortDescription("merge the update into one atomic call")
            .build());
  }

  /** Deletes {@code statement}, and its lines when it has them to itself. */
  private static SuggestedFix deleteLines(StatementTree statement, VisitorState state) {
    CharSequence source = state.getSourceCode();
    int start = ASTHelpers.getStartPosition(statement);
    int end = state.getEndPosition(statement);
    if (source == null || start < 0 || end <= start) {
      return SuggestedFix.delete(statement);
    }
    int lineStart = start;
    while (lineStart > 0
        && (source.charAt(lineStart - 1) == ' ' || source.charAt(lineStart - 1) == '\t')) {
      lineStart--;
    }
    int lineEnd = end;
    while (lineEnd < source.length()
        && (source.charAt(lineEnd) == ' ' || source.charAt(lineEnd) == '\t')) {
      lineEnd++;
    }
    if ((lineStart == 0 || source.charAt(lineStart - 1) == '\n')
        && lineEnd < source.length()
        && source.charAt(lineEnd) == '\n') {
      return SuggestedFix.replace(lineStart, lineEnd + 1, "");
    }
    return SuggestedFix.delete(statement);
  }

  /** {@code n} in {@code old + n} or {@code n + old}; {@code null} otherwise. */
  private static @Nullable ExpressionTree addend(ExpressionTree tree, VarSymbol old) {
    if (!(tree instanceof BinaryTree sum) || sum.getKind() != Tree.Kind.PLUS) {
      return null;
    }
    ExpressionTree left = ASTHelpers.stripParentheses(sum.getLeftOperand());
    ExpressionTree right = ASTHelpers.stripParentheses(sum.getRightOperand());
    if (left instanceof IdentifierTree id && ASTHelpers.getSymbol(id) == old) {
      return Symbols.mentions(right, old) ? null : sum.getRightOperand();
    }
    if (right instanceof IdentifierTree id && ASTHelpers.getSymbol(id) == old) {
      return Symbols.mentions(left, old) ? null : sum.getLeftOperand();
    }
    return null;
  }

  /**
   * {@code Integer::sum}, {@code Long::sum} or {@code Double::sum} for the map's value type, when
   * {@code n} has that same primitive type (so that {@code merge(k, n, …)} compiles and adds the
   * same way); otherwise {@code null}.
   */
  private static @Nullable String summer(
      ExpressionTree n, MethodInvocationTree read, VisitorState state) {
    Type valueType = ASTHelpers.getType(read);
    Type addendType = ASTHelpers.getType(n);
    if (valueType == null || addendType == null) {
      return null;
    }
    Type unboxed = state.getTypes().unboxedTypeOrType(valueType);
    if (unboxed.getKind() != state.getTypes().unboxedTypeOrType(addendType).getKind()) {
      return null;
    }
    return sumMethod(valueType, state);
  }

  /** Whether the block that declares {@code old} uses it anywhere but in {@code put}. */
  private static boolean usesOutside(
      VarSymbol old, VariableTree local, MethodInvocationTree put, VisitorState state) {
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof BlockTree block && block.getStatements().contains(local)) {
        return Symbols.mentions(block, old, put);
      }
    }
    return true;
  }

  /**
   * {@code m.put(k, m.getOrDefault(k, 0) + n)} becomes {@code m.merge(k, n, Integer::sum)}: the
   * same value when the key is present and when it is absent.
   */
  private static Optional<SuggestedFix> counterFix(
      MethodInvocationTree put,
      ExpressionTree map,
      ExpressionTree key,
      ExpressionTree value,
      MethodInvocationTree read,
      VisitorState state) {
    if (!GET_OR_DEFAULT.matches(read, state)
        || !(value instanceof BinaryTree sum)
        || sum.getKind() != Tree.Kind.PLUS
        || !isZero(read.getArguments().get(1))
        || !(state.getPath().getParentPath().getLeaf() instanceof ExpressionStatementTree)) {
      return Optional.empty();
    }
    ExpressionTree left = ASTHelpers.stripParentheses(sum.getLeftOperand());
    ExpressionTree right = ASTHelpers.stripParentheses(sum.getRightOperand());
    ExpressionTree n =
        left == read ? sum.getRightOperand() : right == read ? sum.getLeftOperand() : null;
    if (n == null) {
      return Optional.empty();
    }
    String summer = summer(n, read, state);
    if (summer == null) {
      return Optional.empty();
    }
    return Optional.of(SuggestedFix.replace(put, mergeCall(map, key, n, summer, state)));
  }

  /** {@code map.merge(key, n, summer)}, from the source of each part. */
  private static String mergeCall(Tree map, Tree key, Tree n, String summer, VisitorState state) {
    return state.getSourceForNode(map)
        + ".merge("
        + state.getSourceForNode(key)
        + ", "
        + state.getSourceForNode(n)
        + ", "
        + summer
        + ")";
  }

  private static @Nullable String sumMethod(Type type, VisitorState state) {
    Type unboxed = state.getTypes().unboxedTypeOrType(type);
    return switch (unboxed.getKind()) {
      case INT -> "Integer::sum";
      case LONG -> "Long::sum";
      case DOUBLE -> "Double::sum";
      default -> null;
    };
  }

  private static boolean isZero(ExpressionTree tree) {
    Object value = ASTHelpers.constValue(tree);
    return value instanceof Number number && number.doubleValue() == 0 && !(value instanceof Float);
  }

  /** Whether both expressions name the same map variable. */
  private static boolean sameMap(
      @Nullable ExpressionTree a, @Nullable ExpressionTree b, VisitorState state) {
    if (a == null || b == null) {
      return false;
    }
    Symbol sa = ASTHelpers.getSymbol(a);
    return sa instanceof VarSymbol && sa.equals(ASTHelpers.getSymbol(b)) && sameSource(a, b, state);
  }

  private static boolean sameSource(ExpressionTree a, ExpressionTree b, VisitorState state) {
    String sa = state.getSourceForNode(a);
    return sa != null && sa.equals(state.getSourceForNode(b));
  }

  /** A key that evaluates to the same value twice: a variable, a constant, a field chain. */
  private static boolean isStable(ExpressionTree tree) {
    ExpressionTree e = ASTHelpers.stripParentheses(tree);
    if (e instanceof LiteralTree || e instanceof IdentifierTree) {
      return true;
    }
    return e instanceof MemberSelectTree select && isStable(select.getExpression());
  }

  /** A value that is as cheap to compute when it is not used: a constant or a variable. */
  private static boolean isCheap(ExpressionTree tree) {
    ExpressionTree e = ASTHelpers.stripParentheses(tree);
    return e instanceof LiteralTree
        || e instanceof IdentifierTree
        || (e instanceof MemberSelectTree select && isStable(select.getExpression()));
  }

  /** A name for the lambda parameter that no variable in scope has. */
  private static String freshName(VisitorState state) {
    Set<String> taken = new HashSet<>();
    for (Symbol sym : FindIdentifiers.findAllIdents(state)) {
      taken.add(sym.getSimpleName().toString());
    }
    for (String name : List.of("k", "key", "unused")) {
      if (!taken.contains(name)) {
        return name;
      }
    }
    for (int i = 1; ; i++) {
      if (!taken.contains("k" + i)) {
        return "k" + i;
      }
    }
  }

  /** Whether {@code tree} can move into a lambda: every local it names is effectively final. */
  private static boolean capturable(ExpressionTree tree) {
    return !Trees.contains(
        tree,
        node ->
            node instanceof LambdaExpressionTree
                || node instanceof ClassTree
                || (node instanceof IdentifierTree id
                    && ASTHelpers.getSymbol(id) instanceof VarSymbol var
                    && var.getKind() != ElementKind.FIELD
                    && !ASTHelpers.isConsideredFinal(var)));
  }

  /**
   * Whether {@code map} is known to be a {@code ConcurrentMap}: by its declared type, or because it
   * names a private field or a local declared as a {@code Map} whose every assigned value is a new
   * {@code ConcurrentMap} ({@code private final Map<K, V> m = new ConcurrentHashMap<>();}).
   */
  private static boolean isConcurrent(ExpressionTree map, VisitorState state) {
    Type type = ASTHelpers.getType(map);
    Type concurrent = CONCURRENT_MAP.get(state);
    if (type == null || concurrent == null) {
      return false;
    }
    if (ASTHelpers.isSubtype(type, concurrent, state)) {
      return true;
    }
    VarSymbol var = SameVariable.variable(map);
    if (var == null) {
      return false;
    }
    return AssignedValues.of(var, state)
        .map(
            values ->
                values.stream()
                    .allMatch(
                        value ->
                            ASTHelpers.stripParentheses(value) instanceof NewClassTree created
                                && ASTHelpers.isSubtype(
                                    ASTHelpers.getType(created), concurrent, state)))
        .orElse(false);
  }

  /**
   * Whether the sequence is safe anyway: it holds a lock, or the map is a local that no other
   * thread can see while the method updates it ({@link #SEEN_ELSEWHERE}).
   */
  private static boolean isExempt(ExpressionTree map, VisitorState state) {
    if (Synchronization.isGuarded(state.getPath(), null) || onlyCalledGuarded(state)) {
      return true;
    }
    Symbol sym = ASTHelpers.getSymbol(map);
    if (sym instanceof VarSymbol field
        && field.getKind() == ElementKind.FIELD
        && changedOnlyByItsOwnThread(field, state)) {
      return true;
    }
    if (!(sym instanceof VarSymbol var) || var.getKind() != ElementKind.LOCAL_VARIABLE) {
      return false;
    }
    Type type = ASTHelpers.getType(map);
    if (type == null || type.getKind() == TypeKind.ERROR) {
      return true;
    }
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree method) {
        return method.getBody() != null
            && !LocalEscapes.escapes(var, new TreePath(p, method.getBody()), SEEN_ELSEWHERE, state);
      }
      if (p.getLeaf() instanceof ClassTree) {
        break;
      }
    }
    return false;
  }

  /** Calls of a map that only read it. */
  private static final ImmutableSet<String> READS =
      ImmutableSet.of(
          "get", "getOrDefault", "containsKey", "containsValue", "size", "isEmpty", "toString");

  /**
   * Whether the map is a private field that only one thread changes, the thread its class owns: the
   * update runs in that thread's own code ({@link ThreadOwnership.Runner#OWN_THREAD}: {@code run()}
   * of the class and the private code only it reaches), and every other use of the field in the
   * top-level class is either such code of the same class, a constructor or initializer of it (they
   * run before the thread starts), or a call that only reads ({@link #READS}). One writer cannot
   * lose its own updates, and the concurrent map hands readers whole entries.
   */
  private static boolean changedOnlyByItsOwnThread(VarSymbol field, VisitorState state) {
    if (!field.getModifiers().contains(Modifier.PRIVATE)
        || ThreadOwnership.of(state.getPath(), state) != ThreadOwnership.Runner.OWN_THREAD) {
      return false;
    }
    ClassTree owner = ASTHelpers.findEnclosingNode(state.getPath(), ClassTree.class);
    TreePath top = Trees.topLevelClass(state.getPath());
    if (owner == null || top == null) {
      return false;
    }
    OtherWriter other = new OtherWriter(field, owner, state);
    other.scan(top, null);
    return !other.found;
  }

  /**
   * Finds a use of {@code field} outside {@code owner}'s own thread code, its constructors and
   * initializers, that does more than read (see {@link #changedOnlyByItsOwnThread}).
   */
  private static final class OtherWriter extends LazyPathScanner<Void, Void> {
    private final VarSymbol field;
    private final ClassTree owner;
    private final VisitorState state;
    private boolean found;

    OtherWriter(VarSymbol field, ClassTree owner, VisitorState state) {
      this.field = field;
      this.owner = owner;
      this.state = state;
    }

    @Override
    public Void visitIdentifier(IdentifierTree tree, Void unused) {
      check(tree);
      return null;
    }

    @Override
    public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
      check(tree);
      return super.visitMemberSelect(tree, null);
    }

    private void check(ExpressionTree use) {
      if (!field.equals(ASTHelpers.getSymbol(use))) {
        return;
      }
      TreePath path = getCurrentPath();
      String called = Trees.calledOn(path);
      if (called != null && READS.contains(called)) {
        return;
      }
      ClassTree cls = ASTHelpers.findEnclosingNode(path, ClassTree.class);
      MethodTree method = ASTHelpers.findEnclosingNode(path, MethodTree.class);
      boolean setUp =
          cls == owner
              && ASTHelpers.findEnclosingNode(path, LambdaExpressionTree.class) == null
              && (method == null || ASTHelpers.getSymbol(method).isConstructor());
      boolean ownThread =
          cls == owner && ThreadOwnership.of(path, state) == ThreadOwnership.Runner.OWN_THREAD;
      if (!setUp && !ownThread) {
        found = true;
        stop();
      }
    }
  }

  /**
   * Whether the method around the update is called only inside critical sections: it is not public
   * API, and every use of it in the files of this compilation that can see it ({@link
   * SameCompilation#usesOf}) is guarded ({@link Synchronization#isGuarded}), as the update itself
   * would be inside {@code synchronized} — or sits, outside any lambda, in a method of which the
   * same holds, up to {@link #MAX_CALLER_DEPTH} callers up (RocketMQ's heartbeat senders: a private
   * sender called by a private send-to-all, which its public callers run only while they hold the
   * heartbeat lock). Unknown uses (public API, a file that cannot be read) and a method nobody
   * calls do not count.
   */
  private static boolean onlyCalledGuarded(VisitorState state) {
    if (ASTHelpers.findEnclosingNode(state.getPath(), LambdaExpressionTree.class) != null) {
      return false; // a lambda's body runs where it is called, not where the method is
    }
    MethodTree method = ASTHelpers.findEnclosingNode(state.getPath(), MethodTree.class);
    return method != null && onlyCalledGuarded(ASTHelpers.getSymbol(method), 0, state);
  }

  /** How many callers up {@link #onlyCalledGuarded} follows an unguarded call. */
  private static final int MAX_CALLER_DEPTH = 3;

  private static boolean onlyCalledGuarded(
      @Nullable MethodSymbol sym, int depth, VisitorState state) {
    Optional<List<TreePath>> uses =
        sym == null ? Optional.empty() : SameCompilation.usesOf(sym, state);
    if (uses.isEmpty() || uses.get().isEmpty()) {
      return false;
    }
    for (TreePath use : uses.get()) {
      if (use.getLeaf() instanceof MemberReferenceTree) {
        return false; // a method reference runs wherever it is handed
      }
      if (Synchronization.isGuarded(use, null)) {
        continue;
      }
      TreePath caller = Trees.enclosingFunction(use);
      if (depth + 1 >= MAX_CALLER_DEPTH
          || caller == null
          || !(caller.getLeaf() instanceof MethodTree callerMethod)
          || ASTHelpers.getSymbol(callerMethod).equals(sym)
          || !onlyCalledGuarded(ASTHelpers.getSymbol(callerMethod), depth + 1, state)) {
        return false;
      }
    }
    return true;
  }

  /**
   * What lets another thread see the local map while this method updates it: it is initialized from
   * something other than a constructor, passed to a method or constructor, stored, or captured by a
   * lambda or class (returning it from one included) — except a lambda that runs at once on this
   * thread ({@link #runsHere}). Returning it from the method is no escape: the method's updates are
   * over by then. See {@link LocalEscapes}.
   */
  private static final LocalEscapes.Rules SEEN_ELSEWHERE =
      new LocalEscapes.Rules(
          EnumSet.of(Way.ARGUMENT, Way.STORED, Way.CAPTURED, Way.NOT_CREATED_HERE),
          NonAtomicConcurrentMapUpdate::runsHere);

  /**
   * Whether the lambda at {@code path} runs at once on this thread: an argument (parentheses aside)
   * of a call, itself a statement, that {@link #runsLambdasHere}.
   */
  private static boolean runsHere(TreePath path, VisitorState state) {
    TreePath parent = path.getParentPath();
    while (parent.getLeaf() instanceof ParenthesizedTree) {
      parent = parent.getParentPath();
    }
    return parent.getLeaf() instanceof MethodInvocationTree call
        && parent.getParentPath().getLeaf() instanceof ExpressionStatementTree
        && runsLambdasHere(call, state);
  }

  /**
   * Whether {@code call}, a statement, runs its lambda arguments at once on the calling thread and
   * keeps none of them: {@code forEach(…)} of an {@code Iterable} or a {@code Map} (one argument),
   * or {@code forEach}/{@code forEachOrdered} ending a stream that is known to be sequential — made
   * by {@code stream()} of a collection, or {@code sequential()}, and only passed through
   * intermediate operations other than {@code parallel()}. A stream of unknown origin (a parameter,
   * a field, a method's result) may be parallel.
   */
  private static boolean runsLambdasHere(MethodInvocationTree call, VisitorState state) {
    String name = Trees.calledName(call);
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    if (receiver == null || call.getArguments().size() != 1) {
      return false;
    }
    Type type = ASTHelpers.getType(receiver);
    if (type == null || type.getKind() == TypeKind.ERROR) {
      return false;
    }
    if (name.equals("forEach")
        && (ASTHelpers.isSubtype(type, ITERABLE.get(state), state)
            || ASTHelpers.isSubtype(type, MAP_TYPE.get(state), state))) {
      return true;
    }
    return (name.equals("forEach") || name.equals("forEachOrdered"))
        && isKnownSequentialStream(receiver, state);
  }

  private static boolean isKnownSequentialStream(ExpressionTree stream, VisitorState state) {
    for (ExpressionTree e = ASTHelpers.stripParentheses(stream);
        e instanceof MethodInvocationTree call;
        e = ASTHelpers.stripParentheses(ASTHelpers.getReceiver(call))) {
      String name = Trees.calledName(call);
      ExpressionTree receiver = ASTHelpers.getReceiver(call);
      Type receiverType = receiver == null ? null : ASTHelpers.getType(receiver);
      if (receiverType == null || receiverType.getKind() == TypeKind.ERROR) {
        return false;
      }
      if (name.equals("stream")
          && call.getArguments().isEmpty()
          && ASTHelpers.isSubtype(receiverType, COLLECTION.get(state), state)) {
        return true;
      }
      if (!ASTHelpers.isSubtype(receiverType, BASE_STREAM.get(state), state)
          || name.equals("parallel")) {
        return false;
      }
      if (name.equals("sequential")) {
        return true;
      }
    }
    return false;
  }
}
