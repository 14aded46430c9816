package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class SameCompilationTest {
  /** Reports, at every method whose name starts with {@code m}, its uses in the compilation. */
  @BugPattern(summary = "Reports SameCompilation.usesOf", severity = WARNING)
  public static final class UsesProbe extends BugChecker implements MethodTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      MethodSymbol sym = ASTHelpers.getSymbol(tree);
      if (!tree.getName().toString().startsWith("m")) {
        return Description.NO_MATCH;
      }
      Optional<List<TreePath>> uses = SameCompilation.usesOf(sym, state);
      String message = "unknown";
      if (uses.isPresent()) {
        StringBuilder where = new StringBuilder("uses=" + uses.get().size());
        for (TreePath use : uses.get()) {
          where.append(' ').append(ASTHelpers.enclosingClass(useSymbol(use)).getSimpleName());
        }
        message = where.toString();
      }
      return buildDescription(tree).setMessage(message).build();
    }

    private static com.sun.tools.javac.code.Symbol useSymbol(TreePath use) {
      for (TreePath p = use; p != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof MethodTree method) {
          return ASTHelpers.getSymbol(method);
        }
      }
      throw new AssertionError("use outside a method");
    }
  }

  /** Reports, at every {@code new}, whether the class's declaration can be read. */
  @BugPattern(summary = "Reports SameCompilation.pathOfClass", severity = WARNING)
  public static final class ClassProbe extends BugChecker implements NewClassTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchNewClass(NewClassTree tree, VisitorState state) {
      if (!(ASTHelpers.getSymbol(tree.getIdentifier()) instanceof ClassSymbol cls)) {
        return Description.NO_MATCH;
      }
      TreePath path = SameCompilation.pathOfClass(cls, state);
      return buildDescription(tree)
          .setMessage(
              path == null
                  ? "no source"
                  : "source " + path.getCompilationUnit().getSourceFile().getName())
          .build();
    }
  }

  @Test
  void usesOfMethodsThatAreNotPublicApi() {
    CompilationTestHelper.newInstance(UsesProbe.class, getClass())
        .addSourceLines(
            "p/A.java",
            "package p;",
            "public class A implements Api {",
            "  // BUG: Diagnostic contains: uses=2",
            "  void mPackage() {}",
            "  // BUG: Diagnostic contains: uses=1 C",
            "  protected void mProtected() {}",
            "  // BUG: Diagnostic contains: unknown",
            "  public void mPublic() {}",
            "  // BUG: Diagnostic contains: uses=0",
            "  void mUnused() {}",
            "  // BUG: Diagnostic contains: uses=1 B",
            "  static void mReferenced() {}",
            "  // BUG: Diagnostic contains: unknown",
            "  @Override public void mCall() {}",
            "  void caller() { mPackage(); }",
            "  static class Hidden {",
            "    // BUG: Diagnostic contains: uses=1 B",
            "    public void mInPackageClass() {}",
            "  }",
            "}")
        .addSourceLines(
            "p/Api.java",
            "package p;",
            "public interface Api {",
            "  // BUG: Diagnostic contains: unknown",
            "  void mCall();",
            "}")
        .addSourceLines(
            "p/B.java",
            "package p;",
            "class B {",
            "  void call(A a, A.Hidden h) {",
            "    a.mPackage();",
            "    h.mInPackageClass();",
            "    Runnable r = A::mReferenced;",
            "  }",
            "}")
        .addSourceLines(
            "q/C.java",
            "package q;",
            "public class C extends p.A {",
            "  void call() { mProtected(); }",
            "}")
        .doTest();
  }

  @Test
  void anOverrideCountsTheUsesOfWhatItOverrides() {
    CompilationTestHelper.newInstance(UsesProbe.class, getClass())
        .addSourceLines(
            "p/Base.java",
            "package p;",
            "public abstract class Base {",
            "  // BUG: Diagnostic contains: uses=1 Base",
            "  protected abstract void mHook();",
            "  void loop() { mHook(); }",
            "}")
        .addSourceLines(
            "q/Impl.java",
            "package q;",
            "public class Impl extends p.Base {",
            "  // BUG: Diagnostic contains: uses=1 Base",
            "  @Override protected void mHook() {}",
            "}")
        .doTest();
  }

  @Test
  void otherFilesAreUnknownWhenCompiledFileByFile() {
    // With -XDcompilePolicy=byfile a file is lowered before the next one is attributed: no other
    // file can be read, and what was read of a file while it could be is not used afterwards.
    CompilationTestHelper.newInstance(UsesProbe.class, getClass())
        .setArgs("-XDcompilePolicy=byfile")
        .addSourceLines(
            "p/A.java",
            "package p;",
            "class A {",
            "  // BUG: Diagnostic contains: unknown",
            "  void mA() {}",
            "  void callB(B b) { b.mB(); }",
            "}")
        .addSourceLines(
            "p/B.java",
            "package p;",
            "class B {",
            "  // BUG: Diagnostic contains: unknown",
            "  void mB() {}",
            "  void callA(A a) { a.mA(); }",
            "}")
        .doTest();
  }

  @Test
  void classesOfOtherFilesAreReadFromSource() {
    CompilationTestHelper.newInstance(ClassProbe.class, getClass())
        .addSourceLines("Other.java", "class Other {", "  static class Inner {}", "}")
        .addSourceLines(
            "User.java",
            "class User {",
            "  void make() {",
            "    // BUG: Diagnostic contains: source",
            "    new Other();",
            "    // BUG: Diagnostic contains: source",
            "    new Other.Inner();",
            "    // BUG: Diagnostic contains: no source",
            "    new Thread();",
            "    // BUG: Diagnostic contains: no source",
            "    new Object() {};",
            "  }",
            "}")
        .doTest();
  }
}
