package dev.tether.checker.utils;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree.JCNewClass;
import com.sun.tools.javac.util.Name;
import java.util.Set;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * Answers "what does this code refer to?" where Error Prone's {@code ASTHelpers} throws or has no
 * answer: the method a call resolves to (or {@code null}), whether a lambda returns nothing,
 * whether code mentions a variable, and whether a class is anonymous.
 */
public final class Symbols {
  private Symbols() {}

  /**
   * The method or constructor that {@code call} (a method invocation or {@code new}) resolves to;
   * {@code null} when it does not resolve, or is no call. ({@code ASTHelpers.getSymbol} of a method
   * invocation throws when the method does not resolve.)
   */
  public static @Nullable MethodSymbol calledMethod(Tree call) {
    Symbol sym =
        call instanceof MethodInvocationTree invocation
            ? ASTHelpers.getSymbol(invocation.getMethodSelect())
            : call instanceof JCNewClass newClass ? newClass.constructor : null;
    return sym instanceof MethodSymbol method && method.type != null ? method : null;
  }

  /**
   * Whether {@code lambda} implements a functional interface whose method returns {@code void}
   * ({@code Runnable}, {@code Consumer}); false when its type does not resolve.
   */
  public static boolean returnsVoid(LambdaExpressionTree lambda, VisitorState state) {
    Type type = ASTHelpers.getType(lambda);
    if (type == null || type.getKind() == TypeKind.ERROR) {
      return false;
    }
    try {
      Type descriptor = state.getTypes().findDescriptorType(type);
      return descriptor != null && descriptor.getReturnType().getKind() == TypeKind.VOID;
    } catch (RuntimeException notFunctional) { // javac's FunctionDescriptorLookupError
      return false;
    }
  }

  /**
   * Whether {@code tree} names {@code var}: as an identifier ({@code x}) or a field access ({@code
   * this.x}, {@code a.x}), nested lambdas and classes included. Stops at the first mention.
   */
  public static boolean mentions(@Nullable Tree tree, @Nullable VarSymbol var) {
    return mentions(tree, var, null);
  }

  /**
   * Whether {@code tree}, apart from the subtree {@code skip}, names {@code var} ({@link
   * #mentions}).
   */
  public static boolean mentions(
      @Nullable Tree tree, @Nullable VarSymbol var, @Nullable Tree skip) {
    return var != null
        && Trees.contains(
            tree,
            skip,
            node ->
                (node instanceof IdentifierTree || node instanceof MemberSelectTree)
                    && var.equals(ASTHelpers.getSymbol(node)));
  }

  /** Whether {@code cls} is an anonymous class ({@code new Runnable() { … }}). */
  public static boolean isAnonymous(ClassTree cls) {
    ClassSymbol sym = ASTHelpers.getSymbol(cls);
    return sym != null && sym.isAnonymous();
  }

  /** Whether the innermost class around {@code path} (or {@code path} itself) is anonymous. */
  public static boolean isInAnonymousClass(@Nullable TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree cls) {
        return isAnonymous(cls);
      }
    }
    return false;
  }

  /**
   * Whether the class of {@code type}, or one of its superclasses, has one of {@code simpleNames}
   * (names of javac's table, {@link PerCompilation#names}): a cheap pre-filter for a subtype test
   * against a class (not an interface) of one of those names. It compares names and walks declared
   * superclasses, so it allocates nothing; {@code false} for an erroneous type.
   */
  public static boolean extendsClassNamed(@Nullable Type type, Set<Name> simpleNames) {
    for (Symbol c = type == null ? null : type.tsym;
        c instanceof ClassSymbol cls && !cls.type.isErroneous();
        c = cls.getSuperclass().tsym) {
      if (simpleNames.contains(cls.getSimpleName())) {
        return true;
      }
    }
    return false;
  }
}
