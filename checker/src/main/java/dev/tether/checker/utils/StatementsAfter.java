package dev.tether.checker.utils;

import com.google.errorprone.VisitorState;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The source of a local variable's declaration and of the statements after it in its block: what a
 * fix needs to wrap them in a {@code try} ({@code ExecutorNeverShutDown}, {@code LeakedScope}).
 *
 * @param declStart where the declaration starts
 * @param declEnd where it ends
 * @param restStart where the first statement after it starts
 * @param restEnd where the last statement of the block ends
 * @param indent the indentation of the declaration's line
 * @param rest the source of the statements after the declaration
 */
public record StatementsAfter(
    int declStart, int declEnd, int restStart, int restEnd, String indent, String rest) {

  /**
   * The declaration {@code decl} and the statements after it in the block at {@code scope}; {@code
   * null} when {@code scope} is no block, nothing follows {@code decl}, or a position is unknown.
   */
  public static @Nullable StatementsAfter of(
      VariableTree decl, TreePath scope, VisitorState state) {
    if (!(scope.getLeaf() instanceof BlockTree block)) {
      return null;
    }
    List<? extends StatementTree> statements = block.getStatements();
    int index = statements.indexOf(decl);
    if (index < 0 || index == statements.size() - 1) {
      return null;
    }
    int restStart = ASTHelpers.getStartPosition(statements.get(index + 1));
    int restEnd = state.getEndPosition(statements.get(statements.size() - 1));
    int declStart = ASTHelpers.getStartPosition(decl);
    int declEnd = state.getEndPosition(decl);
    if (restStart < 0 || restEnd < 0 || declStart < 0 || declEnd < 0) {
      return null;
    }
    CharSequence source = state.getSourceCode();
    return new StatementsAfter(
        declStart,
        declEnd,
        restStart,
        restEnd,
        Trees.indentOf(source, declStart),
        source.subSequence(restStart, restEnd).toString());
  }

  /** Whether the statements hold a text block, whose lines must not be re-indented. */
  public boolean hasTextBlock() {
    return rest.contains("\"\"\"");
  }

  /**
   * The statements with every line after the first indented by two more spaces (for a block one
   * level deeper), unless they hold a text block.
   */
  public String indentedRest() {
    return hasTextBlock() ? rest : rest.replace("\n", "\n  ").replace("\n  \n", "\n\n");
  }

  /**
   * Replaces the declaration and the statements with {@code try (<declaration>) { <statements> }}.
   */
  public SuggestedFix tryWithResources(VisitorState state) {
    String declaration = state.getSourceCode().subSequence(declStart, declEnd).toString().strip();
    if (declaration.endsWith(";")) {
      declaration = declaration.substring(0, declaration.length() - 1).strip();
    }
    return SuggestedFix.replace(
        declStart,
        restEnd,
        "try (" + declaration + ") {\n" + indent + "  " + indentedRest() + "\n" + indent + "}");
  }
}
