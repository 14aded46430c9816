package dev.tether.checker.report;

import com.google.errorprone.ErrorProneOptions;
import com.google.errorprone.ErrorProneTimings;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.fixes.Fix;
import com.google.errorprone.fixes.Replacement;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.scanner.ErrorProneScannerTransformer;
import com.google.errorprone.scanner.ScannerSupplier;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LineMap;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.util.Context;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The suggested fixes of a finding, as SARIF {@code fix} objects.
 *
 * <p>Error Prone's diagnostic carries only the text of a fix ("Did you mean …?"), not its edits. So
 * the first time a check reports in a compilation unit, the unit is scanned once more by that check
 * alone, with a listener that keeps its {@link Description}s, whose {@link Fix}es give the exact
 * replacements (and the imports to add). This costs one more scan per check and unit with findings,
 * and only when a SARIF report is asked for. When anything goes wrong, the finding has no fixes.
 */
final class Fixes {
  private final Context context;
  private final CompilationUnitTree unit;
  private final SourcePositions positions;
  private final Map<String, List<Description>> descriptionsByCheck = new HashMap<>();

  Fixes(Context context, CompilationUnitTree unit, SourcePositions positions) {
    this.context = context;
    this.unit = unit;
    this.positions = positions;
  }

  /**
   * The fixes of {@code check}'s finding at {@code position}, whose message starts {@code text}.
   */
  List<Map<String, Object>> of(
      TetherChecks.Check check, long position, String message, String uri) {
    List<Map<String, Object>> fixes = new ArrayList<>();
    try {
      for (Description description :
          descriptionsByCheck.computeIfAbsent(check.name(), name -> scan(check.type()))) {
        if (preferredPosition(description) != position
            || !message.startsWith(description.getRawMessage())) {
          continue;
        }
        for (Fix fix : description.fixes) {
          Map<String, Object> sarif = sarif(fix, uri);
          if (sarif != null) {
            fixes.add(sarif);
          }
        }
        break;
      }
    } catch (RuntimeException | LinkageError e) {
      // No fixes rather than a broken build.
      fixes.clear();
    }
    return fixes;
  }

  /**
   * {@code description.position.getPreferredPosition()}: the field's type changed after Error Prone
   * 2.42 ({@code DiagnosticPosition}, then {@code ErrorPronePosition}), so it is read reflectively.
   */
  private static long preferredPosition(Description description) {
    try {
      java.lang.reflect.Field field = Description.class.getField("position");
      Object position = field.get(description);
      return ((Number) field.getType().getMethod("getPreferredPosition").invoke(position))
          .longValue();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Description> scan(Class<? extends BugChecker> type) {
    List<Description> found = new ArrayList<>();
    ScannerSupplier supplier = ScannerSupplier.fromBugCheckerClasses(List.of(type));
    ErrorProneOptions options = context.get(ErrorProneOptions.class);
    if (options != null && !options.getFlags().isEmpty()) {
      List<String> flags = new ArrayList<>();
      options
          .getFlags()
          .getFlagsMap()
          .forEach((key, value) -> flags.add("-XepOpt:" + key + "=" + value));
      supplier = supplier.applyOverrides(ErrorProneOptions.processArgs(flags));
    }
    ErrorProneScannerTransformer.create(supplier.get())
        .apply(new TreePath(unit), new RescanContext(context), found::add);
    return found;
  }

  /**
   * The compilation's context, but with timings of its own: the scan runs while the outer scan
   * times the same check (it reports from inside its timing span), and Error Prone's per-check
   * stopwatch cannot be started twice.
   */
  private static final class RescanContext extends Context {
    private final Context base;

    RescanContext(Context base) {
      this.base = base;
    }

    @Override
    public <T> T get(Key<T> key) {
      return ownOrInherited(super.get(key), () -> base.get(key));
    }

    @Override
    public <T> T get(Class<T> type) {
      return ownOrInherited(super.get(type), () -> base.get(type));
    }

    /** {@code own} if set, else what the base context holds, unless it is its timings. */
    private static <T> T ownOrInherited(T own, Supplier<T> inherited) {
      if (own != null) {
        return own;
      }
      T value = inherited.get();
      return value instanceof ErrorProneTimings ? null : value;
    }
  }

  private Map<String, Object> sarif(Fix fix, String uri) {
    if (!fix.getImportsToRemove().isEmpty()) {
      return null;
    }
    List<Object> replacements = new ArrayList<>();
    for (Replacement replacement : replacements(fix)) {
      replacements.add(
          replacement(
              replacement.startPosition(), replacement.endPosition(), replacement.replaceWith()));
    }
    for (String importLine : fix.getImportsToAdd()) {
      String statement = importLine.startsWith("import ") ? importLine : "import " + importLine;
      boolean present =
          unit.getImports().stream()
              .anyMatch(
                  i ->
                      ("import " + (i.isStatic() ? "static " : "") + i.getQualifiedIdentifier())
                          .equals(statement));
      if (!present) {
        int at = importPosition();
        replacements.add(replacement(at, at, "\n" + statement + ";"));
      }
    }
    if (replacements.isEmpty()) {
      return null;
    }
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("artifactLocation", Sarif.artifact(uri));
    change.put("replacements", replacements);
    Map<String, Object> sarif = new LinkedHashMap<>();
    String description = fix.getShortDescription();
    sarif.put(
        "description",
        Sarif.text(
            description == null || description.isEmpty()
                ? "Apply the suggested fix"
                : description));
    sarif.put("artifactChanges", List.of(change));
    return sarif;
  }

  /** After the last import, else after the package clause, else at the start of the file. */
  private int importPosition() {
    long at = 0;
    for (ImportTree i : unit.getImports()) {
      at = Math.max(at, positions.getEndPosition(unit, i));
    }
    if (at == 0 && unit.getPackage() != null) {
      at = Math.max(0, positions.getEndPosition(unit, unit.getPackage()));
    }
    return (int) at;
  }

  private Map<String, Object> replacement(int start, int end, String text) {
    LineMap lines = unit.getLineMap();
    Map<String, Object> region = new LinkedHashMap<>();
    region.put("startLine", lines.getLineNumber(start));
    region.put("startColumn", start - lines.getStartPosition(lines.getLineNumber(start)) + 1);
    region.put("endLine", lines.getLineNumber(end));
    region.put("endColumn", end - lines.getStartPosition(lines.getLineNumber(end)) + 1);
    region.put("charOffset", start);
    region.put("charLength", end - start);
    Map<String, Object> replacement = new LinkedHashMap<>();
    replacement.put("deletedRegion", region);
    replacement.put("insertedContent", Sarif.text(text));
    return replacement;
  }

  /**
   * {@code fix.getReplacements(…)}: Error Prone 2.42 takes javac's {@code EndPosTable}, later
   * versions their own {@code ErrorProneEndPosTable}; Tether runs with both.
   */
  @SuppressWarnings("unchecked")
  private Iterable<Replacement> replacements(Fix fix) {
    try {
      for (Method method : Fix.class.getMethods()) {
        if (!method.getName().equals("getReplacements") || method.getParameterCount() != 1) {
          continue;
        }
        Class<?> table = method.getParameterTypes()[0];
        Object endPositions;
        if (table.getName().equals("com.sun.tools.javac.tree.EndPosTable")) {
          endPositions = unit.getClass().getField("endPositions").get(unit);
        } else {
          endPositions = table.getMethod("create", CompilationUnitTree.class).invoke(null, unit);
        }
        return (Iterable<Replacement>) method.invoke(fix, endPositions);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no Fix.getReplacements");
  }
}
