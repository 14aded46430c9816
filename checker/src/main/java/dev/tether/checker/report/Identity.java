package dev.tether.checker.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.source.tree.AssertTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What identifies a finding across edits that do not touch it: the enclosing named class, the
 * member of that class, and a hash of the offending code with comments and whitespace removed. No
 * line number or column takes part, so code that moves keeps its identity; code that changes gets a
 * new one.
 *
 * <p>The offending code is the innermost simple statement (expression statement, local variable,
 * {@code return}, {@code throw}, {@code assert}, {@code yield}, {@code break}, {@code continue})
 * that holds the reported position; when the position lies in no such statement, it is the
 * innermost compound statement, {@code catch} clause or field that holds it, and a class or method
 * stands for itself by its name. Bodies in braces inside that code are left out ({@code {…}}), so
 * that a loop, a lambda or an anonymous class keeps its identity while its body changes.
 */
final class Identity {
  /** The identity of one finding, with a readable excerpt of its code. */
  record Site(String location, String hash, String excerpt) {}

  private static final int EXCERPT_LENGTH = 100;

  private Identity() {}

  /** The identity of the code at {@code position} in {@code unit}. */
  static Site of(CompilationUnitTree unit, SourcePositions positions, long position) {
    TreePath path = innermost(unit, positions, position);
    String[] hashAndExcerpt = hashAndExcerpt(unit, positions, path, sourceOf(unit));
    return new Site(location(unit, path), hashAndExcerpt[0], hashAndExcerpt[1]);
  }

  /** The deepest tree whose source range holds {@code position}. */
  private static TreePath innermost(
      CompilationUnitTree unit, SourcePositions positions, long position) {
    TreePath[] best = {new TreePath(unit)};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void scan(Tree tree, Void unused) {
        if (tree == null) {
          return null;
        }
        long start = positions.getStartPosition(unit, tree);
        long end = positions.getEndPosition(unit, tree);
        if (start < 0 || start > position || (end >= 0 && end <= position)) {
          return null;
        }
        best[0] = new TreePath(getCurrentPath(), tree);
        return super.scan(tree, null);
      }
    }.scan(new TreePath(unit), null);
    return best[0];
  }

  /** {@code com.example.Outer.Inner#member(Type)}: named classes only, and a member of the last. */
  private static String location(CompilationUnitTree unit, TreePath path) {
    Deque<Tree> outward = new ArrayDeque<>();
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      outward.push(p.getLeaf());
    }
    List<Tree> inward = new ArrayList<>(outward);
    int namedClass = -1;
    List<String> classNames = new ArrayList<>();
    for (int i = 0; i < inward.size(); i++) {
      if (inward.get(i) instanceof ClassTree
          && !((ClassTree) inward.get(i)).getSimpleName().isEmpty()) {
        classNames.add(((ClassTree) inward.get(i)).getSimpleName().toString());
        namedClass = i;
      }
    }
    if (namedClass < 0) {
      return "-";
    }
    String packageName = unit.getPackageName() == null ? "" : unit.getPackageName() + ".";
    String member = namedClass + 1 < inward.size() ? member(inward.get(namedClass + 1)) : "-";
    return packageName + String.join(".", classNames) + "#" + member;
  }

  private static String member(Tree tree) {
    if (tree instanceof MethodTree method) {
      return method.getName()
          + method.getParameters().stream()
              .map(parameter -> withoutWhitespace(String.valueOf(parameter.getType())))
              .collect(Collectors.joining(",", "(", ")"));
    }
    if (tree instanceof VariableTree variable) {
      return variable.getName().toString();
    }
    if (tree instanceof BlockTree block) {
      return block.isStatic() ? "static{}" : "{}";
    }
    return "-";
  }

  /** The hash of the offending code, and its first characters for people. */
  private static String[] hashAndExcerpt(
      CompilationUnitTree unit, SourcePositions positions, TreePath path, String source) {
    Tree code = null;
    String text = null;
    for (TreePath p = path; p != null && code == null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      Tree parent = p.getParentPath() == null ? null : p.getParentPath().getLeaf();
      if (isSimpleStatement(leaf, parent)
          || leaf instanceof StatementTree
          || leaf instanceof CatchTree
          || leaf instanceof CaseTree) {
        code = leaf;
      } else if (leaf instanceof VariableTree) {
        code = leaf; // a field, a parameter or a resource
      } else if (leaf instanceof MethodTree) {
        code = leaf;
        text = "method " + member(leaf);
      } else if (leaf instanceof ClassTree cls) {
        code = leaf;
        text = cls.getKind() + " " + cls.getSimpleName();
      }
    }
    if (code == null) {
      text = "compilation unit";
    } else if (text == null) {
      text = withoutBodies(unit, positions, code, source);
    }
    String normalised = withoutWhitespace(withoutComments(text));
    String excerpt = withoutComments(text).replaceAll("\\s+", " ").strip();
    if (excerpt.length() > EXCERPT_LENGTH) {
      excerpt = excerpt.substring(0, EXCERPT_LENGTH - 1) + "…";
    }
    return new String[] {sha256(normalised).substring(0, 16), excerpt};
  }

  private static boolean isSimpleStatement(Tree leaf, @Nullable Tree parent) {
    return leaf instanceof ExpressionStatementTree
        || leaf instanceof ReturnTree
        || leaf instanceof ThrowTree
        || leaf instanceof AssertTree
        || leaf instanceof YieldTree
        || leaf instanceof BreakTree
        || leaf instanceof ContinueTree
        || (leaf instanceof VariableTree
            && (parent instanceof BlockTree || parent instanceof CaseTree));
  }

  /** The source of {@code code} with every block inside it replaced by {@code {…}}. */
  private static String withoutBodies(
      CompilationUnitTree unit, SourcePositions positions, Tree code, String source) {
    int start = (int) positions.getStartPosition(unit, code);
    int end = (int) positions.getEndPosition(unit, code);
    if (start < 0 || end < start || end > source.length()) {
      return String.valueOf(code);
    }
    List<long[]> blocks = new ArrayList<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitBlock(BlockTree block, Void unused) {
        if (block != code) {
          blocks.add(
              new long[] {
                positions.getStartPosition(unit, block), positions.getEndPosition(unit, block)
              });
          return null;
        }
        return super.visitBlock(block, null);
      }
    }.scan(code, null);
    StringBuilder text = new StringBuilder();
    int at = start;
    for (long[] block : blocks) {
      if (block[0] < at || block[1] > end || block[1] < block[0]) {
        continue;
      }
      text.append(source, at, (int) block[0]).append("{…}");
      at = (int) block[1];
    }
    return text.append(source, at, end).toString();
  }

  private static String sourceOf(CompilationUnitTree unit) {
    try {
      return unit.getSourceFile().getCharContent(true).toString();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** Drops Java comments; string and character literals are kept as they are. */
  static String withoutComments(String code) {
    StringBuilder out = new StringBuilder(code.length());
    int i = 0;
    while (i < code.length()) {
      char c = code.charAt(i);
      if (c == '"' || c == '\'') {
        int end = i + 1;
        while (end < code.length() && code.charAt(end) != c) {
          end += code.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end + 1, code.length());
        out.append(code, i, end);
        i = end;
      } else if (code.startsWith("//", i)) {
        int end = code.indexOf('\n', i);
        i = end < 0 ? code.length() : end;
      } else if (code.startsWith("/*", i)) {
        int end = code.indexOf("*/", i + 2);
        i = end < 0 ? code.length() : end + 2;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  static String withoutWhitespace(String text) {
    return text.replaceAll("\\s+", "");
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
