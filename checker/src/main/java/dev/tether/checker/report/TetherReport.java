package dev.tether.checker.report;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.SUGGESTION;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CompilationUnitTree;
import dev.tether.checker.utils.LibraryModel;
import javax.inject.Inject;
import org.jspecify.annotations.Nullable;

/**
 * Not a check: the entry point of Tether's baseline and SARIF report. Error Prone loads it with the
 * checks, and it reports nothing. At the first compilation unit it also reads the library model's
 * flags ({@code -XepOpt:Tether:ExecutorMethods…}), so that a malformed one is always an error. When
 * a {@code -XepOpt:Tether:…} option is given, it starts a {@link ReportSession} for the compilation
 * at the first compilation unit, and tells it about each unit before Tether's checks look at it;
 * without one it returns at once.
 *
 * <p>It cannot be switched off ({@code disableable = false}) and is a suggestion, so that {@code
 * -XepDisableAllChecks}, {@code -XepDisableAllWarnings} and {@code -XepAllErrorsAsWarnings} keep
 * it, and the baseline keeps working with any choice of checks; {@code @SuppressWarnings} does not
 * apply to it. Patch mode ({@code -XepPatchChecks}) runs only the named checks, so neither baseline
 * nor report applies there.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Applies Tether's baseline and writes its SARIF report; reports nothing itself",
    link = TetherReport.LINK,
    linkType = CUSTOM,
    severity = SUGGESTION,
    disableable = false,
    documentSuppression = false,
    suppressionAnnotations = {})
public final class TetherReport extends BugChecker implements CompilationUnitTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** The page that documents the options. */
  static final String LINK = "https://github.com/tether-dev/tether/blob/main/docs/baseline.md";

  private final transient @Nullable ReportOptions options;

  /** Creates the entry point with no options: it does nothing. */
  public TetherReport() {
    this(ErrorProneFlags.empty());
  }

  /** Creates the entry point with the {@code -XepOpt:Tether:…} options. */
  @Inject
  TetherReport(ErrorProneFlags flags) {
    options = ReportOptions.from(flags);
  }

  @Override
  public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
    // Reads the library model's flags at the first unit, so that a malformed one is reported (as
    // one error) even where no check asks the model anything.
    LibraryModel.of(state);
    if (options != null) {
      ReportSession.enter(state.context, options, tree);
    }
    return Description.NO_MATCH;
  }
}
