package dev.tether.checker.report;

import com.google.errorprone.ErrorProneFlags;
import dev.tether.checker.utils.LibraryModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code -XepOpt:Tether:…} options of a compilation.
 *
 * @param baseline {@code Tether:Baseline}: the findings it holds are not reported
 * @param writeBaseline {@code Tether:WriteBaseline}: the findings of this compilation go there
 * @param sarif {@code Tether:Sarif}: the SARIF 2.1.0 report
 * @param root {@code Tether:BaselineRoot}: what file paths are relative to; by default the folder
 *     of the baseline file (else of the written one, else the working directory)
 * @param problems unknown {@code Tether:} options, reported as errors
 */
record ReportOptions(
    @Nullable Path baseline,
    @Nullable Path writeBaseline,
    @Nullable Path sarif,
    Path root,
    List<String> problems) {
  static final String PREFIX = "Tether:";
  static final String BASELINE = PREFIX + "Baseline";
  static final String WRITE_BASELINE = PREFIX + "WriteBaseline";
  static final String SARIF = PREFIX + "Sarif";
  static final String ROOT = PREFIX + "BaselineRoot";
  private static final Set<String> KNOWN = Set.of(BASELINE, WRITE_BASELINE, SARIF, ROOT);

  /** The {@code Tether:} options of the library model: known, but not the report's business. */
  private static final Set<String> LIBRARY_MODEL =
      Set.of(
          LibraryModel.EXECUTOR_METHODS,
          LibraryModel.THREAD_FACTORIES,
          LibraryModel.DIRECT_EXECUTORS,
          LibraryModel.LOGGING_METHODS);

  /** The options, or null when no {@code Tether:} option is given (then Tether adds nothing). */
  static @Nullable ReportOptions from(ErrorProneFlags flags) {
    List<String> problems = new ArrayList<>();
    boolean any = false;
    for (Map.Entry<String, String> flag : flags.getFlagsMap().entrySet()) {
      if (flag.getKey().startsWith(PREFIX) && !LIBRARY_MODEL.contains(flag.getKey())) {
        any = true;
        if (!KNOWN.contains(flag.getKey())) {
          problems.add(
              "unknown option -XepOpt:"
                  + flag.getKey()
                  + " (Tether knows -XepOpt:"
                  + String.join(
                      ", -XepOpt:",
                      List.of(
                          BASELINE,
                          WRITE_BASELINE,
                          SARIF,
                          ROOT,
                          LibraryModel.EXECUTOR_METHODS,
                          LibraryModel.THREAD_FACTORIES,
                          LibraryModel.DIRECT_EXECUTORS,
                          LibraryModel.LOGGING_METHODS))
                  + ")");
        } else if (flag.getValue().isBlank()) {
          problems.add("-XepOpt:" + flag.getKey() + " needs a file name");
        }
      }
    }
    if (!any) {
      return null;
    }
    Path baseline = path(flags, BASELINE);
    Path writeBaseline = path(flags, WRITE_BASELINE);
    Path root = path(flags, ROOT);
    if (root == null) {
      Path file = baseline != null ? baseline : writeBaseline;
      root = file != null ? file.getParent() : Path.of("").toAbsolutePath();
    }
    return new ReportOptions(baseline, writeBaseline, path(flags, SARIF), root, problems);
  }

  private static @Nullable Path path(ErrorProneFlags flags, String name) {
    return flags
        .get(name)
        .filter(value -> !value.isBlank())
        .map(value -> Path.of(value).toAbsolutePath().normalize())
        .orElse(null);
  }
}
