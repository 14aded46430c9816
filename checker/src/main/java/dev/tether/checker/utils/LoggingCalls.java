package dev.tether.checker.utils;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.tools.javac.code.Symbol;
import java.util.Set;

/**
 * Answers "does this call only report an exception?": the logging methods of the common logging
 * APIs and of {@code PrintStream}/{@code Throwable}, and the calls that only describe an exception
 * ({@code getMessage()}, {@code toString()}). Handing an exception to such a call shows it to a
 * person, not to the code that waits for the work.
 *
 * <p>By method name only, so that any logger (JUL, SLF4J, Log4j, a project's own wrapper with the
 * usual method names) counts, and nothing needs to resolve.
 */
public final class LoggingCalls {
  /** Methods that only read or describe an exception (or format it into text). */
  private static final Set<String> DESCRIBING =
      Set.of(
          "valueOf",
          "toString",
          "getMessage",
          "getLocalizedMessage",
          "getClass",
          "getName",
          "getSimpleName");

  private LoggingCalls() {}

  /** Whether a method named {@code name} writes to a log, a console or a text sink. */
  public static boolean isLogging(String name) {
    return LibraryModel.BUILT_IN_LOGGING_METHODS.contains(name);
  }

  /**
   * Whether a method named {@code name} writes to a log, a console or a text sink, the user's
   * logging methods ({@code -XepOpt:Tether:LoggingMethods}) included.
   */
  public static boolean isLogging(String name, LibraryModel model) {
    return model.isLogging(name);
  }

  /** As {@link #onlyReports(String)}, the user's logging methods included. */
  public static boolean onlyReports(String name, LibraryModel model) {
    return model.isLogging(name) || DESCRIBING.contains(name);
  }

  /**
   * Whether a method named {@code name} only logs or describes what it is given: handing an
   * exception to it does not record the exception anywhere code can see it.
   */
  public static boolean onlyReports(String name) {
    return isLogging(name) || DESCRIBING.contains(name);
  }

  /** As {@link #onlyReports(String)}, for the method that {@code call} invokes. */
  public static boolean onlyReports(MethodInvocationTree call) {
    Symbol method = ASTHelpers.getSymbol(call);
    return method != null && onlyReports(method.getSimpleName().toString());
  }
}
