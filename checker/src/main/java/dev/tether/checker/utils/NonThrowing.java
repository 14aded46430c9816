package dev.tether.checker.utils;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Answers "can this statement throw?" for the few statements that certainly cannot: code that a
 * lock or permit may be held over without a {@code finally}, because nothing in it can fail.
 *
 * <p>Conservative by design: a statement counts only when it is an {@code assert} (it throws only
 * when assertions are on, and then reports a broken invariant), an empty statement, a call of
 * {@code Thread.yield()} or {@code Thread.onSpinWait()}, a local variable declared without an
 * initializer or with a simple value, an assignment of a simple value to a local variable or to a
 * field of this object ({@code x = y}, {@code this.state = state}), or {@code ++}/{@code --} on
 * such a variable of a primitive type. A simple value is a literal, a variable, {@code this.field},
 * {@code System.currentTimeMillis()} or {@code System.nanoTime()}, or a unary or binary operation
 * on simple primitive values other than integer division and remainder. Any other call, allocation,
 * array access, cast, unboxing, string concatenation (it calls {@code toString()}) or field of
 * another object may throw, and the statement does not count.
 */
public final class NonThrowing {
  private NonThrowing() {}

  /** Whether {@code statement} certainly cannot throw (see the class comment for the shapes). */
  public static boolean statement(StatementTree statement) {
    switch (statement.getKind()) {
      case ASSERT, EMPTY_STATEMENT -> {
        return true;
      }
      case VARIABLE -> {
        VariableTree variable = (VariableTree) statement;
        ExpressionTree init = variable.getInitializer();
        Symbol sym = ASTHelpers.getSymbol(variable);
        return init == null || (sym != null && simpleValueFor(sym.type, init));
      }
      case EXPRESSION_STATEMENT -> {
        return expression(((ExpressionStatementTree) statement).getExpression());
      }
      default -> {
        return false;
      }
    }
  }

  private static boolean expression(ExpressionTree expression) {
    ExpressionTree e = ASTHelpers.stripParentheses(expression);
    if (e instanceof AssignmentTree assignment) {
      Symbol target = ASTHelpers.getSymbol(assignment.getVariable());
      return isOwnVariable(assignment.getVariable())
          && target != null
          && simpleValueFor(target.type, assignment.getExpression());
    }
    if (e instanceof UnaryTree unary
        && switch (e.getKind()) {
          case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT -> true;
          default -> false;
        }) {
      Type type = ASTHelpers.getType(unary.getExpression());
      return isOwnVariable(unary.getExpression()) && type != null && type.isPrimitive();
    }
    return e instanceof MethodInvocationTree call && isSpinHint(call);
  }

  /**
   * {@code Thread.yield()} or {@code Thread.onSpinWait()}: hints to the scheduler, which return
   * nothing and throw nothing (Artemis' {@code TimedBuffer}: {@code spinLimiter.acquire();
   * Thread.yield(); spinLimiter.release();}).
   */
  private static boolean isSpinHint(MethodInvocationTree call) {
    MethodSymbol method = ASTHelpers.getSymbol(call);
    return call.getArguments().isEmpty()
        && method != null
        && method.isStatic()
        && method.owner.getQualifiedName().contentEquals("java.lang.Thread")
        && (method.getSimpleName().contentEquals("yield")
            || method.getSimpleName().contentEquals("onSpinWait"));
  }

  /** A local variable, or a field of this object: {@code x}, {@code this.x}. */
  private static boolean isOwnVariable(ExpressionTree tree) {
    Symbol sym = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(tree));
    return Trees.isNameOrThisMember(tree)
        && sym != null
        && (sym.getKind() == ElementKind.LOCAL_VARIABLE
            || sym.getKind() == ElementKind.FIELD
            || sym.getKind() == ElementKind.PARAMETER);
  }

  /**
   * Whether {@code value} is simple and goes into a variable of type {@code target} without an
   * unboxing (which throws on {@code null}).
   */
  private static boolean simpleValueFor(@Nullable Type target, ExpressionTree value) {
    Type type = ASTHelpers.getType(value);
    if (target == null || type == null) {
      return false;
    }
    boolean unboxes = target.isPrimitive() && !type.isPrimitive();
    return !unboxes && simple(value);
  }

  private static boolean simple(ExpressionTree tree) {
    ExpressionTree e = ASTHelpers.stripParentheses(tree);
    if (e instanceof LiteralTree) {
      return true;
    }
    if (e instanceof IdentifierTree || e instanceof MemberSelectTree) {
      return isOwnVariable(e) || isConstant(e);
    }
    if (e instanceof MethodInvocationTree call) {
      MethodSymbol method = ASTHelpers.getSymbol(call);
      return call.getArguments().isEmpty()
          && method != null
          && method.isStatic()
          && method.owner.getQualifiedName().contentEquals("java.lang.System")
          && (method.getSimpleName().contentEquals("currentTimeMillis")
              || method.getSimpleName().contentEquals("nanoTime"));
    }
    Type type = ASTHelpers.getType(e);
    if (type == null || !type.isPrimitive()) {
      return false; // string concatenation calls toString(); anything else may allocate
    }
    if (e instanceof UnaryTree unary) {
      return switch (e.getKind()) {
        case UNARY_MINUS, UNARY_PLUS, BITWISE_COMPLEMENT, LOGICAL_COMPLEMENT ->
            primitive(unary.getExpression()) && simple(unary.getExpression());
        default -> false;
      };
    }
    if (e instanceof BinaryTree binary) {
      boolean division = e.getKind() == Tree.Kind.DIVIDE || e.getKind() == Tree.Kind.REMAINDER;
      boolean integral =
          type.getKind().isPrimitive()
              && switch (type.getKind()) {
                case FLOAT, DOUBLE, BOOLEAN -> false;
                default -> true;
              };
      return !(division && integral)
          && primitive(binary.getLeftOperand())
          && primitive(binary.getRightOperand())
          && simple(binary.getLeftOperand())
          && simple(binary.getRightOperand());
    }
    return false;
  }

  private static boolean primitive(ExpressionTree tree) {
    Type type = ASTHelpers.getType(tree);
    return type != null && type.isPrimitive();
  }

  /**
   * A {@code static final} field with a constant value ({@code Integer.MAX_VALUE}, {@code LIMIT}).
   */
  private static boolean isConstant(ExpressionTree tree) {
    Symbol sym = ASTHelpers.getSymbol(tree);
    return sym instanceof Symbol.VarSymbol var && var.getConstValue() != null;
  }
}
