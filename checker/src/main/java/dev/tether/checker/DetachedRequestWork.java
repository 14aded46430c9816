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
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Name;
import dev.tether.checker.utils.ConcurrentCode;
import dev.tether.checker.utils.KnownTypes;
import dev.tether.checker.utils.LibraryModel;
import dev.tether.checker.utils.LocalEscapes;
import dev.tether.checker.utils.LocalEscapes.Way;
import dev.tether.checker.utils.PerCompilation;
import dev.tether.checker.utils.Symbols;
import dev.tether.checker.utils.Trees;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/** A {@link BugChecker} that flags request handlers that start work they never wait for. */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Await or return the work a request handler starts on another thread",
    link = BUGPATTERN + "DetachedRequestWork.md",
    linkType = CUSTOM,
    severity = WARNING,
    tags = CONCURRENCY)
public final class DetachedRequestWork extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final String MESSAGE =
      "This request handler starts work on another thread that it neither awaits nor returns, so"
          + " the work outlives the request and keeps running after the client has gone: wait for"
          + " it before returning, return its future from an async handler, or run it in a task"
          + " group owned by the request (Tether's TaskGroup)";

  /** Annotations that make a method an HTTP endpoint (Spring MVC, JAX-RS), matched by name. */
  private static final Set<String> HANDLER_ANNOTATIONS =
      Set.of(
          "org.springframework.web.bind.annotation.RequestMapping",
          "org.springframework.web.bind.annotation.GetMapping",
          "org.springframework.web.bind.annotation.PostMapping",
          "org.springframework.web.bind.annotation.PutMapping",
          "org.springframework.web.bind.annotation.DeleteMapping",
          "org.springframework.web.bind.annotation.PatchMapping",
          "javax.ws.rs.GET",
          "javax.ws.rs.POST",
          "javax.ws.rs.PUT",
          "javax.ws.rs.DELETE",
          "javax.ws.rs.PATCH",
          "javax.ws.rs.HEAD",
          "javax.ws.rs.OPTIONS",
          "javax.ws.rs.Path",
          "jakarta.ws.rs.GET",
          "jakarta.ws.rs.POST",
          "jakarta.ws.rs.PUT",
          "jakarta.ws.rs.DELETE",
          "jakarta.ws.rs.PATCH",
          "jakarta.ws.rs.HEAD",
          "jakarta.ws.rs.OPTIONS",
          "jakarta.ws.rs.Path");

  /** Methods that handle a request when they override one of {@link #HANDLER_TYPES}. */
  private static final Set<String> HANDLER_METHODS =
      Set.of(
          "handle",
          "service",
          "doGet",
          "doPost",
          "doPut",
          "doDelete",
          "doHead",
          "doOptions",
          "doTrace",
          "doPatch");

  private static final Set<String> HANDLER_TYPES =
      Set.of(
          "com.sun.net.httpserver.HttpHandler",
          "javax.servlet.Servlet",
          "javax.servlet.GenericServlet",
          "javax.servlet.http.HttpServlet",
          "jakarta.servlet.Servlet",
          "jakarta.servlet.GenericServlet",
          "jakarta.servlet.http.HttpServlet");

  /**
   * Objects through which detached work can still answer its own request: the handler hands the
   * request to it (servlet and JAX-RS async, Spring's deferred results, an {@code HttpExchange}
   * that is only complete when closed).
   */
  private static final Set<String> REQUEST_COMPLETIONS =
      Set.of(
          "javax.servlet.AsyncContext",
          "jakarta.servlet.AsyncContext",
          "javax.ws.rs.container.AsyncResponse",
          "jakarta.ws.rs.container.AsyncResponse",
          "org.springframework.web.context.request.async.DeferredResult",
          "org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter",
          "com.sun.net.httpserver.HttpExchange");

  private static final Supplier<Type> HTTP_HANDLER =
      Suppliers.typeFromString("com.sun.net.httpserver.HttpHandler");

  /** Hand-offs that return nothing to wait for. */
  private static final Matcher<ExpressionTree> FIRE_AND_FORGET =
      anyOf(
          instanceMethod().onDescendantOf("java.util.concurrent.Executor").named("execute"),
          instanceMethod()
              .onDescendantOf("java.util.Timer")
              .namedAnyOf("schedule", "scheduleAtFixedRate"));

  /** Hand-offs that return a future (or a thread) to wait for. */
  private static final Matcher<ExpressionTree> FORKING =
      anyOf(
          instanceMethod().onDescendantOf("java.util.concurrent.ExecutorService").named("submit"),
          instanceMethod()
              .onDescendantOf("java.util.concurrent.ScheduledExecutorService")
              .namedAnyOf("schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay"),
          staticMethod()
              .onClass("java.util.concurrent.CompletableFuture")
              .namedAnyOf("runAsync", "supplyAsync"));

  private static final Matcher<ExpressionTree> THREAD_START =
      instanceMethod().onDescendantOf("java.lang.Thread").named("start");

  /** Calls that wait for the thing they are called on: a future, thread, latch, executor. */
  private static final Set<String> AWAITING =
      Set.of(
          "get",
          "join",
          "await",
          "awaitTermination",
          "close",
          "acquire",
          "acquireUninterruptibly",
          "take",
          "poll",
          "invokeAll",
          "invokeAny",
          "arriveAndAwaitAdvance",
          "awaitAdvance",
          "awaitAdvanceInterruptibly",
          "getNow",
          "resultNow");

  /** Names of the calls that can start work: a cheap filter before any analysis. */
  private static final Set<String> STARTS =
      ImmutableSet.<String>builder()
          .addAll(LibraryModel.EXECUTOR_HAND_OFF_NAMES)
          .add("runAsync", "supplyAsync", "start", "startVirtualThread")
          .build();

  /** {@link #STARTS} in javac's name table: the cheap first filter, no {@code String} per call. */
  private static final PerCompilation<Set<Name>> STARTS_TABLE = PerCompilation.names(STARTS);

  /**
   * Reports a call that starts work when the request handler around it (a handler method, or an
   * {@code HttpHandler} lambda) neither awaits nor returns that work: one scan of that handler's
   * body, only for such calls.
   */
  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!Trees.calledNameIn(tree, STARTS_TABLE.get(state))) {
      return NO_MATCH;
    }
    for (TreePath p = state.getPath().getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      Tree body =
          leaf instanceof MethodTree method && isHandler(ASTHelpers.getSymbol(method), state)
              ? method.getBody()
              : leaf instanceof LambdaExpressionTree lambda && isHandler(lambda, state)
                  ? lambda.getBody()
                  : null;
      if (body != null && isDetached(tree, new TreePath(p, body), state)) {
        return buildDescription(tree).setMessage(MESSAGE).build();
      }
      if (leaf instanceof ClassTree) {
        return NO_MATCH; // the analysis of a handler does not enter local and anonymous classes
      }
    }
    return NO_MATCH;
  }

  private static boolean isHandler(LambdaExpressionTree lambda, VisitorState state) {
    Type type = ASTHelpers.getType(lambda);
    return type != null
        && type.getKind() != TypeKind.ERROR
        && ASTHelpers.isSubtype(type, HTTP_HANDLER.get(state), state);
  }

  private static boolean isHandler(@Nullable MethodSymbol sym, VisitorState state) {
    if (sym == null) {
      return false;
    }
    // One look at each annotation the method has (most have none, or only @Override), rather than
    // one ASTHelpers.hasAnnotation look-up per known annotation: the same answer for a method,
    // which inherits no annotation.
    for (Attribute.Compound annotation : sym.getRawAttributes()) {
      if (HANDLER_ANNOTATIONS.contains(annotation.type.tsym.getQualifiedName().toString())) {
        return true;
      }
    }
    if (sym.isStatic() || !HANDLER_METHODS.contains(sym.getSimpleName().toString())) {
      return false;
    }
    for (MethodSymbol overridden : ASTHelpers.findSuperMethods(sym, state.getTypes())) {
      if (HANDLER_TYPES.contains(overridden.owner.getQualifiedName().toString())) {
        return true;
      }
    }
    return false;
  }

  /**
   * What hands a future or thread on to someone who can wait for it: passing, storing or returning
   * it, in the handler's own code (a task or callback that only names it is not the handler waiting
   * for it, and is reported itself); see {@link LocalEscapes}.
   */
  private static final LocalEscapes.Rules HANDED_ON =
      new LocalEscapes.Rules(
          EnumSet.of(Way.ARGUMENT, Way.STORED, Way.ARRAY_ELEMENT, Way.RETURNED),
          DetachedRequestWork::runsInHandler);

  /** Whether {@code call} starts work that the handler whose body is at {@code body} detaches. */
  private static boolean isDetached(MethodInvocationTree call, TreePath body, VisitorState state) {
    Facts facts = new Facts(state);
    facts.scan(body, null);
    for (Site site : facts.sites) {
      if (site.report() == call) {
        return !facts.isAwaited(site)
            && !(site.handle() instanceof VarSymbol handle
                && LocalEscapes.escapes(handle, body, HANDED_ON, state));
      }
    }
    return false;
  }

  /**
   * Whether the lambda at {@code path} is the handler's own code: an argument of a method that does
   * not hand it to another thread ({@code forEach(…)}), not code kept to run later.
   */
  private static boolean runsInHandler(TreePath path, VisitorState state) {
    return path.getParentPath().getLeaf() instanceof MethodInvocationTree
        && ConcurrentCode.handoff(path, state).isEmpty();
  }

  /**
   * Work handed to another thread.
   *
   * @param report where to report it
   * @param handle the local variable holding its future or thread, if any
   * @param executor the local variable naming its executor, if any
   * @param captured the variables the task refers to
   */
  private record Site(
      Tree report, @Nullable Symbol handle, @Nullable Symbol executor, Set<Symbol> captured) {}

  /** What the handler starts, waits for, returns and passes on, found in one scan. */
  private static final class Facts extends TreePathScanner<Void, Void> {
    private final VisitorState state;
    private final List<Site> sites = new ArrayList<>();
    private final Set<Symbol> awaited = new HashSet<>();
    private final Set<Symbol> returned = new HashSet<>();

    Facts(VisitorState state) {
      this.state = state;
    }

    boolean isAwaited(Site site) {
      if (site.handle() != null && awaited.contains(site.handle())) {
        return true; // waited for (get, join); passed on, stored or returned: see isDetached
      }
      if (site.executor() != null && awaited.contains(site.executor())) {
        return true; // a local executor that the handler waits for (awaitTermination, close)
      }
      for (Symbol captured : site.captured()) {
        if (awaited.contains(captured) || returned.contains(captured)) {
          return true; // a latch the handler awaits, a result it returns
        }
        if (isRequestCompletion(captured.type)) {
          return true; // the task answers the request itself
        }
      }
      return false;
    }

    private boolean isRequestCompletion(@Nullable Type type) {
      if (type == null || type.getKind() != TypeKind.DECLARED) {
        return false;
      }
      for (Type t : state.getTypes().closure(type)) {
        if (t.tsym != null && REQUEST_COMPLETIONS.contains(t.tsym.getQualifiedName().toString())) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      return null; // local and anonymous classes run when called
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      if (!runsInHandler(getCurrentPath(), state)) {
        return null; // a task (its hand-off is the site), or code kept to run later
      }
      return super.visitLambdaExpression(tree, null);
    }

    @Override
    public Void visitReturn(ReturnTree tree, Void unused) {
      Symbol local = localOf(tree.getExpression());
      if (local != null) {
        returned.add(local);
      }
      return super.visitReturn(tree, null);
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      Symbol sym = ASTHelpers.getSymbol(tree);
      if (sym == null) {
        return super.visitMethodInvocation(tree, null);
      }
      ExpressionTree receiver = ASTHelpers.getReceiver(tree);
      if (AWAITING.contains(sym.getSimpleName().toString())) {
        Symbol target = localOf(receiver);
        if (target != null) {
          awaited.add(target);
        }
        tree.getArguments().forEach(arg -> markAwaited(arg));
      }
      if (FIRE_AND_FORGET.matches(tree, state)) {
        if (!LibraryModel.of(state).isDirectExecutor(receiver, state)) {
          sites.add(new Site(tree, null, localOf(receiver), captured(tree.getArguments())));
        }
        return null;
      }
      if (FORKING.matches(tree, state) || startsThread(tree, sym)) {
        forked(tree, localOf(receiver), captured(tree.getArguments()));
        return null;
      }
      if (THREAD_START.matches(tree, state)) {
        ExpressionTree thread = receiver == null ? null : ASTHelpers.stripParentheses(receiver);
        if (thread instanceof NewClassTree newThread) {
          sites.add(new Site(tree, null, null, captured(List.of(newThread))));
          return null;
        }
        Symbol local = localOf(thread);
        if (local != null) {
          sites.add(new Site(tree, local, null, Set.of()));
        }
      }
      return super.visitMethodInvocation(tree, null);
    }

    /** {@code Thread.startVirtualThread(r)}, {@code Thread.ofVirtual().start(r)}: by name. */
    private boolean startsThread(MethodInvocationTree tree, Symbol sym) {
      String name = sym.getSimpleName().toString();
      if (!(name.equals("startVirtualThread")
              || (name.equals("start") && !ASTHelpers.isStatic(sym)))
          || tree.getArguments().size() != 1) {
        return false;
      }
      Type type = ASTHelpers.getType(tree);
      return type != null
          && type.getKind() != TypeKind.ERROR
          && ASTHelpers.isSubtype(type, KnownTypes.THREAD.get(state), state);
    }

    /**
     * A call that returns a future or thread: follows the chain of calls on it ({@code
     * thenApply(…)}); awaited when the chain waits ({@code get}, {@code join}), detached when the
     * chain's result is dropped or kept only in a local.
     */
    private void forked(MethodInvocationTree call, @Nullable Symbol executor, Set<Symbol> task) {
      TreePath path = getCurrentPath();
      Tree result = call;
      while (path.getParentPath() != null
          && path.getParentPath().getLeaf() instanceof MemberSelectTree select
          && select.getExpression() == result
          && path.getParentPath().getParentPath() != null
          && path.getParentPath().getParentPath().getLeaf() instanceof MethodInvocationTree next) {
        Symbol nextSym = ASTHelpers.getSymbol(next);
        if (nextSym != null && AWAITING.contains(nextSym.getSimpleName().toString())) {
          return;
        }
        path = path.getParentPath().getParentPath();
        result = next;
      }
      TreePath parentPath = path.getParentPath();
      while (parentPath != null
          && (parentPath.getLeaf() instanceof ParenthesizedTree
              || parentPath.getLeaf() instanceof TypeCastTree)) {
        parentPath = parentPath.getParentPath();
      }
      Tree parent = parentPath == null ? null : parentPath.getLeaf();
      if (parent instanceof ExpressionStatementTree
          || (parent instanceof LambdaExpressionTree lambda
              && Symbols.returnsVoid(lambda, state))) {
        sites.add(new Site(call, null, executor, task));
      } else if (parent instanceof VariableTree variable) {
        VarSymbol var = ASTHelpers.getSymbol(variable);
        if (var != null && var.getKind() == ElementKind.LOCAL_VARIABLE) {
          sites.add(new Site(call, var, executor, task));
        }
      }
      // otherwise returned, passed on or stored: someone else owns it
    }

    private void markAwaited(@Nullable ExpressionTree expr) {
      Symbol local = localOf(expr);
      if (local != null) {
        awaited.add(local); // CompletableFuture.allOf(f).join(), latch-style helpers
      }
    }

    /** The variables (locals, parameters, fields) that {@code trees} refer to. */
    private static Set<Symbol> captured(List<? extends Tree> trees) {
      Set<Symbol> symbols = new HashSet<>();
      TreeScanner<Void, Void> scanner =
          new TreeScanner<>() {
            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
              if (ASTHelpers.getSymbol(id) instanceof VarSymbol var) {
                symbols.add(var);
              }
              return null;
            }
          };
      trees.forEach(t -> scanner.scan(t, null));
      return symbols;
    }
  }

  private static @Nullable Symbol localOf(@Nullable ExpressionTree expr) {
    if (expr == null) {
      return null;
    }
    ExpressionTree e = ASTHelpers.stripParentheses(expr);
    if (!(e instanceof IdentifierTree)) {
      return null;
    }
    Symbol sym = ASTHelpers.getSymbol(e);
    return sym != null && isLocal(sym) ? sym : null;
  }

  private static boolean isLocal(Symbol sym) {
    return sym.getKind() == ElementKind.LOCAL_VARIABLE
        || sym.getKind() == ElementKind.PARAMETER
        || sym.getKind() == ElementKind.RESOURCE_VARIABLE;
  }
}
