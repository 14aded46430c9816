package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.TryTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.suppliers.Suppliers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Type;
import org.junit.jupiter.api.Test;

final class ThrowScannerTest {
  private static final com.google.errorprone.suppliers.Supplier<Type> INTERRUPTED =
      Suppliers.typeFromString("java.lang.InterruptedException");

  /**
   * Reports, at every {@code try}, whether its block can throw {@code InterruptedException}: a call
   * declares it exactly ({@code exact}), or also through a supertype ({@code broad}).
   */
  @BugPattern(summary = "Reports ThrowScanner", severity = WARNING)
  public static final class ThrowsProbe extends BugChecker implements TryTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchTry(TryTree tree, VisitorState state) {
      TreePath block = new TreePath(state.getPath(), tree.getBlock());
      ThrowScanner exact = new ThrowScanner(INTERRUPTED.get(state), false, state);
      exact.scan(block, null);
      ThrowScanner broad = new ThrowScanner(INTERRUPTED.get(state), true, state);
      broad.scan(block, null);
      return buildDescription(tree)
          .setMessage("exact " + exact.found() + ", broad " + broad.found() + ";")
          .build();
    }
  }

  /**
   * Reports whether the block of every {@code try} can throw {@code InterruptedException} other
   * than through a call named {@code ok}, which the scan accepts and looks into.
   */
  @BugPattern(summary = "Reports ThrowScanner.accept", severity = WARNING)
  public static final class AcceptProbe extends BugChecker implements TryTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchTry(TryTree tree, VisitorState state) {
      ThrowScanner scanner =
          new ThrowScanner(INTERRUPTED.get(state), false, state) {
            @Override
            protected boolean accept(Tree call) {
              return call instanceof MethodInvocationTree invocation
                  && Trees.calledName(invocation).equals("ok");
            }
          };
      scanner.scan(new TreePath(state.getPath(), tree.getBlock()), null);
      return buildDescription(tree).setMessage("found " + scanner.found() + ";").build();
    }
  }

  /** Reports {@link ThrowScanner#declares} and {@link ThrowScanner#declaresOrSupertype}. */
  @BugPattern(summary = "Reports ThrowScanner.declares", severity = WARNING)
  public static final class DeclaresProbe extends BugChecker
      implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      if (Trees.calledName(tree).equals("super")) {
        return Description.NO_MATCH;
      }
      Type interrupted = INTERRUPTED.get(state);
      return buildDescription(tree)
          .setMessage(
              "declares "
                  + ThrowScanner.declares(Symbols.calledMethod(tree), interrupted, state)
                  + ", or a supertype "
                  + ThrowScanner.declaresOrSupertype(Symbols.calledMethod(tree), interrupted, state)
                  + ";")
          .build();
    }
  }

  @Test
  void findsCallsThatThrowOutOfTheBlock() {
    CompilationTestHelper.newInstance(ThrowsProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "abstract class A {",
            "  abstract void waits() throws InterruptedException;",
            "  abstract void fails() throws Exception;",
            "  abstract void plain();",
            "  static class W { W(int i) throws InterruptedException {} }",
            "  void m() {",
            "    // BUG: Diagnostic contains: exact true, broad true;",
            "    try { plain(); waits(); } catch (Exception e) {}",
            "    // BUG: Diagnostic contains: exact false, broad true;",
            "    try { fails(); } catch (Exception e) {}",
            "    // BUG: Diagnostic contains: exact false, broad false;",
            "    try { plain(); } catch (RuntimeException e) {}",
            "    // a constructor counts; an anonymous class body and a lambda run later",
            "    // BUG: Diagnostic contains: exact true, broad true;",
            "    try { new W(1); } catch (Exception e) {}",
            "    // BUG: Diagnostic contains: exact false, broad false;",
            "    try {",
            "      new Object() { void g() throws InterruptedException { waits(); } };",
            "      java.util.concurrent.Callable<Void> c = () -> { waits(); return null; };",
            "    } catch (Exception e) {}",
            "    // an inner try whose catch names the exception, or a supertype, handles it",
            "    // BUG: Diagnostic contains: exact false, broad false;",
            "    try {",
            "      // BUG: Diagnostic contains: exact true, broad true;",
            "      try { waits(); } catch (InterruptedException e) {}",
            "      // BUG: Diagnostic contains: exact false, broad true;",
            "      try { fails(); } catch (Exception e) {}",
            "    } catch (RuntimeException e) {}",
            "    // but not one that catches something else; its catch and finally blocks count",
            "    // BUG: Diagnostic contains: exact true, broad true;",
            "    try {",
            "      // BUG: Diagnostic contains: exact true, broad true;",
            "      try { waits(); } catch (IllegalStateException e) {}",
            "    } catch (Exception e) {}",
            "    // BUG: Diagnostic contains: exact true, broad true;",
            "    try {",
            "      // BUG: Diagnostic contains: exact true, broad true;",
            "      try { waits(); } catch (InterruptedException e) { waits(); }",
            "    } catch (Exception e) {}",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void acceptedCallsAreLookedInto() {
    CompilationTestHelper.newInstance(AcceptProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "abstract class A {",
            "  abstract int ok(int i) throws InterruptedException;",
            "  abstract int waits() throws InterruptedException;",
            "  void m() {",
            "    // BUG: Diagnostic contains: found false;",
            "    try { ok(1); } catch (Exception e) {}",
            "    // BUG: Diagnostic contains: found true;",
            "    try { ok(waits()); } catch (Exception e) {}",
            "    // BUG: Diagnostic contains: found true;",
            "    try { ok(1); waits(); } catch (Exception e) {}",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void declares() {
    CompilationTestHelper.newInstance(DeclaresProbe.class, getClass())
        .addSourceLines(
            "A.java",
            "abstract class A {",
            "  abstract void waits() throws InterruptedException;",
            "  abstract void fails() throws Exception;",
            "  abstract void plain() throws java.io.IOException;",
            "  void m() throws Exception {",
            "    // BUG: Diagnostic contains: declares true, or a supertype true;",
            "    waits();",
            "    // BUG: Diagnostic contains: declares false, or a supertype true;",
            "    fails();",
            "    // BUG: Diagnostic contains: declares false, or a supertype false;",
            "    plain();",
            "  }",
            "}")
        .doTest();
  }
}
