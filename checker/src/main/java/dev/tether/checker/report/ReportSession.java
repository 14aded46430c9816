package dev.tether.checker.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.errorprone.BugPattern.SeverityLevel;
import com.google.errorprone.ErrorProneOptions;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.api.MultiTaskListener;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.JCDiagnostic;
import com.sun.tools.javac.util.JCDiagnostic.DiagnosticType;
import com.sun.tools.javac.util.Log;
import dev.tether.checker.utils.Diagnostics;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.jspecify.annotations.Nullable;

/**
 * Tether's baseline and report for one compilation (one javac run: a Maven module's main or test
 * sources).
 *
 * <p>It puts a filter in front of javac's diagnostics: a {@code Log.DeferredDiagnosticHandler}
 * whose predicate is {@link #hold}. javac asks the predicate about every diagnostic; for a Tether
 * finding it computes the identity, records the finding, and answers true when the baseline holds
 * it, so that the handler keeps it to itself (it is never printed and never counts for {@code
 * -Werror}); everything else goes on to the previous handler as before. The handler is made
 * reflectively, as Error Prone does, because its constructor differs between JDK 17 and JDK 21+.
 *
 * <p>At the end of the compilation ({@link TaskEvent.Kind#COMPILATION} finished) it reports the
 * baseline entries of the compiled files that matched no finding (once, as one warning that names
 * the file), and writes the baseline and the SARIF report. Both files may be shared by several
 * compilations: each replaces only the entries of the files it compiled (and drops those of files
 * that no longer exist), under a lock.
 */
final class ReportSession {
  private static final Context.Key<ReportSession> KEY = new Context.Key<>();
  private static final int STALE_LINES_SHOWN = 20;

  private final Context context;
  private final Log log;
  private final ReportOptions options;
  private final Map<String, TetherChecks.Check> checks = TetherChecks.load();
  private final SourcePositions positions;
  private final @Nullable ErrorProneOptions errorProneOptions;

  /** The baseline's entries by key, and how many findings each key may still hold. */
  private final Map<String, Baseline.Entry> baselineEntries = new LinkedHashMap<>();

  private final Map<String, Integer> unmatched = new HashMap<>();
  private final Set<String> compiledPaths = new TreeSet<>();
  private final Set<String> sourceRoots = new TreeSet<>();
  private final List<Finding> findings = new ArrayList<>();
  private boolean broken;

  private @Nullable CompilationUnitTree unit;
  private String unitPath = "";
  private @Nullable Fixes fixes;

  private ReportSession(Context context, ReportOptions options) {
    this.context = context;
    this.log = Log.instance(context);
    this.options = options;
    this.positions = JavacTrees.instance(context).getSourcePositions();
    this.errorProneOptions = context.get(ErrorProneOptions.class);
  }

  /** Starts the session of this compilation if needed, and tells it that {@code unit} is next. */
  static void enter(Context context, ReportOptions options, CompilationUnitTree unit) {
    ReportSession session = context.get(KEY);
    if (session == null) {
      session = new ReportSession(context, options);
      context.put(KEY, session);
      session.start();
    }
    session.enterUnit(unit);
  }

  private void start() {
    for (String problem : options.problems()) {
      error(problem);
    }
    if (options.baseline() != null) {
      loadBaseline(options.baseline());
    }
    if (options.root() == null || !Files.isDirectory(options.root())) {
      error("-XepOpt:" + ReportOptions.ROOT + ": no directory " + options.root());
    }
    if (broken) {
      return;
    }
    installFilter();
    MultiTaskListener.instance(context)
        .add(
            new TaskListener() {
              @Override
              public void finished(TaskEvent event) {
                if (event.getKind() == TaskEvent.Kind.COMPILATION) {
                  finish();
                }
              }
            });
  }

  private void loadBaseline(Path file) {
    if (!Files.exists(file)) {
      if (file.equals(options.writeBaseline())) {
        return; // Written by this build for the first time.
      }
      error(
          "the baseline file "
              + file
              + " (-XepOpt:"
              + ReportOptions.BASELINE
              + ") does not exist; write it with -XepOpt:"
              + ReportOptions.WRITE_BASELINE
              + "="
              + file);
      return;
    }
    try {
      for (Baseline.Entry entry : Baseline.read(file)) {
        baselineEntries.putIfAbsent(entry.key(), entry);
        unmatched.merge(entry.key(), 1, Integer::sum);
      }
    } catch (Baseline.MalformedException e) {
      error("malformed baseline: " + e.getMessage());
    } catch (IOException e) {
      error("cannot read the baseline " + file + ": " + e);
    }
  }

  @SuppressWarnings("unchecked")
  private void installFilter() {
    Predicate<JCDiagnostic> hold = this::hold;
    try {
      // new Log.DeferredDiagnosticHandler(log, hold) on JDK 17, log.new
      // DeferredDiagnosticHandler(hold) on JDK 21+: the same constructor to reflection.
      Log.DeferredDiagnosticHandler.class
          .getConstructor(Log.class, Predicate.class)
          .newInstance(log, hold);
    } catch (ReflectiveOperationException e) {
      error("cannot install the baseline's filter on this javac: " + e);
    }
  }

  private void enterUnit(CompilationUnitTree unit) {
    this.unit = unit;
    this.unitPath = relativePath(unit.getSourceFile());
    this.fixes = options.sarif() == null ? null : new Fixes(context, unit, positions);
    compiledPaths.add(unitPath);
    String packagePath =
        unit.getPackageName() == null ? "" : unit.getPackageName().toString().replace('.', '/');
    int slash = unitPath.lastIndexOf('/');
    String folder = slash < 0 ? "" : unitPath.substring(0, slash);
    if (!packagePath.isEmpty() && folder.endsWith(packagePath)) {
      folder = folder.substring(0, folder.length() - packagePath.length());
    }
    sourceRoots.add(folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/");
  }

  /**
   * The filter: true (keep it from the user) when {@code diagnostic} is a Tether finding that the
   * baseline holds. Records every Tether finding of the current compilation unit.
   */
  private boolean hold(JCDiagnostic diagnostic) {
    try {
      if (broken || !diagnostic.getCode().endsWith(".error.prone")) {
        return false;
      }
      Object[] args = diagnostic.getArgs();
      if (args.length == 0 || !(args[0] instanceof String)) {
        return false;
      }
      String text = (String) args[0];
      int close = text.indexOf(']');
      if (!text.startsWith("[") || close < 0) {
        return false;
      }
      TetherChecks.Check check = checks.get(text.substring(1, close));
      CompilationUnitTree current = unit;
      if (check == null || current == null || !sameFile(diagnostic.getSource(), current)) {
        // Not Tether's, or (with no Tether check matching whole compilation units, never) reported
        // before this unit was entered: passed on as it is.
        return false;
      }
      String message = text.substring(close + 1).strip();
      long position = diagnostic.getPosition();
      Identity.Site site = Identity.of(current, positions, position);
      Baseline.Entry entry =
          new Baseline.Entry(unitPath, check.name(), site.location(), site.hash(), site.excerpt());
      boolean held = unmatched.getOrDefault(entry.key(), 0) > 0;
      if (held) {
        unmatched.merge(entry.key(), -1, Integer::sum);
      }
      LineMap lines = current.getLineMap();
      long line = lines.getLineNumber(position);
      long column = position - lines.getStartPosition(line) + 1;
      Fixes unitFixes = fixes;
      findings.add(
          new Finding(
              check.name(),
              unitPath,
              site.location(),
              site.hash(),
              site.excerpt(),
              line,
              column,
              level(diagnostic.getKind()),
              message,
              unitFixes == null ? List.of() : unitFixes.of(check, position, message, unitPath),
              held));
      return held;
    } catch (RuntimeException e) {
      // Never lose a diagnostic to a bug here: report it as it is.
      return false;
    }
  }

  private static boolean sameFile(@Nullable JavaFileObject source, CompilationUnitTree unit) {
    return source != null
        && (source == unit.getSourceFile() || source.toUri().equals(unit.getSourceFile().toUri()));
  }

  private static String level(Diagnostic.Kind kind) {
    return switch (kind) {
      case ERROR -> "error";
      case WARNING, MANDATORY_WARNING -> "warning";
      default -> "note";
    };
  }

  private String relativePath(JavaFileObject file) {
    URI uri = file.toUri();
    if (!"file".equals(uri.getScheme())) {
      String path = uri.getPath() == null ? file.getName() : uri.getPath();
      return path.startsWith("/") ? path.substring(1) : path;
    }
    Path path = Path.of(uri).toAbsolutePath().normalize();
    try {
      return options.root().relativize(path).toString().replace('\\', '/');
    } catch (IllegalArgumentException e) {
      return path.toString().replace('\\', '/');
    }
  }

  /** Whether this compilation runs {@code check}, as far as Error Prone's options tell. */
  private boolean runs(String check) {
    if (errorProneOptions == null) {
      return true;
    }
    ErrorProneOptions.Severity severity = errorProneOptions.getSeverityMap().get(check);
    if (severity != null) {
      return severity != ErrorProneOptions.Severity.OFF;
    }
    if (errorProneOptions.isDisableAllChecks()) {
      return false;
    }
    TetherChecks.Check known = checks.get(check);
    return !(errorProneOptions.isDisableAllWarnings()
        && known != null
        && known.pattern().severity() == SeverityLevel.WARNING);
  }

  private void finish() {
    if (broken) {
      return;
    }
    reportStale();
    if (options.writeBaseline() != null) {
      writeBaseline(options.writeBaseline());
    }
    if (options.sarif() != null) {
      writeSarif(options.sarif());
    }
  }

  /**
   * The baseline entries that held no finding: those of a file this compilation compiled, and those
   * of a file that no longer exists under one of its source folders (so that in a multi-module
   * build, each module reports only its own).
   */
  private void reportStale() {
    List<Baseline.Entry> stale = new ArrayList<>();
    unmatched.forEach(
        (key, count) -> {
          Baseline.Entry entry = baselineEntries.get(key);
          if (count <= 0 || entry == null || !runs(entry.check())) {
            return;
          }
          boolean compiled = compiledPaths.contains(entry.path());
          boolean gone =
              !compiled
                  && !Files.exists(options.root().resolve(entry.path()))
                  && sourceRoots.stream().anyMatch(root -> entry.path().startsWith(root));
          if (compiled || gone) {
            for (int i = 0; i < count; i++) {
              stale.add(entry);
            }
          }
        });
    if (stale.isEmpty()) {
      return;
    }
    stale.sort(Baseline.ORDER);
    StringBuilder message =
        new StringBuilder("[Tether] ")
            .append(stale.size())
            .append(stale.size() == 1 ? " entry" : " entries")
            .append(" of the baseline ")
            .append(options.baseline())
            .append(stale.size() == 1 ? " no longer matches" : " no longer match")
            .append(" a finding (fixed, or the code changed): remove ")
            .append(stale.size() == 1 ? "it" : "them")
            .append(", or rewrite the file with -XepOpt:")
            .append(ReportOptions.WRITE_BASELINE)
            .append(':');
    for (Baseline.Entry entry : stale.subList(0, Math.min(stale.size(), STALE_LINES_SHOWN))) {
      message.append("\n  ").append(entry.line());
    }
    if (stale.size() > STALE_LINES_SHOWN) {
      message.append("\n  … and ").append(stale.size() - STALE_LINES_SHOWN).append(" more");
    }
    report(DiagnosticType.WARNING, message.toString());
  }

  private void writeBaseline(Path file) {
    try {
      int[] total = {0};
      Reports.locked(
          file,
          () -> {
            List<Baseline.Entry> entries = new ArrayList<>();
            if (Files.exists(file)) {
              for (Baseline.Entry entry : Baseline.read(file)) {
                boolean replaced = compiledPaths.contains(entry.path()) && runs(entry.check());
                if (!replaced && Files.exists(options.root().resolve(entry.path()))) {
                  entries.add(entry);
                }
              }
            }
            for (Finding finding : findings) {
              entries.add(finding.entry());
            }
            Baseline.write(file, entries);
            total[0] = entries.size();
          });
      report(
          DiagnosticType.NOTE,
          "[Tether] wrote "
              + findings.size()
              + (findings.size() == 1 ? " finding" : " findings")
              + " of this compilation to the baseline "
              + file
              + " ("
              + total[0]
              + " in all)");
    } catch (Baseline.MalformedException e) {
      error(
          "not overwriting "
              + file
              + " (-XepOpt:"
              + ReportOptions.WRITE_BASELINE
              + "), which is not a Tether baseline: "
              + e.getMessage());
    } catch (IOException e) {
      error("cannot write the baseline " + file + ": " + e);
    }
  }

  private void writeSarif(Path file) {
    try {
      Reports.locked(
          file,
          () -> {
            List<Map<String, Object>> results = new ArrayList<>();
            if (Files.exists(file)) {
              Object document;
              try {
                document = Json.parse(Files.readString(file, UTF_8));
              } catch (IllegalArgumentException e) {
                document = null; // Not ours: replaced.
              }
              for (Map<String, Object> result : Sarif.results(document)) {
                String uri = Sarif.uri(result);
                if (!compiledPaths.contains(uri) && Files.exists(options.root().resolve(uri))) {
                  results.add(result);
                }
              }
            }
            Path baseline = options.baseline();
            for (Finding finding : findings) {
              results.add(Sarif.result(finding, baseline == null ? Path.of("") : baseline));
            }
            String version = TetherReport.class.getPackage().getImplementationVersion();
            Reports.replace(
                file, Json.write(Sarif.document(checks, version, options.root(), results)));
          });
    } catch (IOException | Baseline.MalformedException e) {
      error("cannot write the SARIF report " + file + ": " + e);
    }
  }

  private void error(String message) {
    broken = true;
    report(DiagnosticType.ERROR, "[Tether] " + message);
  }

  private void report(DiagnosticType type, String message) {
    Diagnostics.report(context, type, message);
  }
}
