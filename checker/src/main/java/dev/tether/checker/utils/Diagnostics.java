package dev.tether.checker.utils;

import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.DiagnosticSource;
import com.sun.tools.javac.util.JCDiagnostic;
import com.sun.tools.javac.util.JCDiagnostic.DiagnosticFlag;
import com.sun.tools.javac.util.JCDiagnostic.DiagnosticType;
import com.sun.tools.javac.util.Log;
import java.util.EnumSet;

/**
 * Tells the user about Tether's own configuration in javac's output: a diagnostic with no source
 * position, one line, which javac counts like any other (an error fails the compilation).
 */
public final class Diagnostics {
  private Diagnostics() {}

  /** Reports {@code message} as a javac diagnostic of {@code type} with no source position. */
  public static void report(Context context, DiagnosticType type, String message) {
    Log.instance(context)
        .report(
            JCDiagnostic.Factory.instance(context)
                .create(
                    type,
                    /* lintCategory */ null,
                    EnumSet.noneOf(DiagnosticFlag.class),
                    DiagnosticSource.NO_SOURCE,
                    /* position */ null,
                    "proc.messager",
                    message));
  }
}
