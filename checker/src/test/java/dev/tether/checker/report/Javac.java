package dev.tether.checker.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles real files with javac and {@code -Xplugin:ErrorProne}, Tether loaded from the processor
 * path, as a Maven build does: only SwallowedInterrupt and UnownedThread are on (and Tether's
 * report entry point, which {@code -XepDisableAllChecks} cannot switch off).
 */
final class Javac {
  private static final Pattern CHECK = Pattern.compile("^\\[(\\w+)\\] ");

  private Javac() {}

  static void write(Path project, String path, String text) throws IOException {
    Path file = project.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, UTF_8);
  }

  /** Compiles every {@code .java} file under {@code project}. */
  static Result compile(Path project, String... flags) throws IOException {
    return compileOnly(project, "", flags);
  }

  /** Compiles every {@code .java} file under {@code project/folder}, from {@code project}. */
  static Result compileOnly(Path project, String folder, String... flags) throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(project.resolve(folder))) {
      sources =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> !f.startsWith(project.resolve("classes")))
              .sorted()
              .collect(Collectors.toList());
    }
    Path classes = Files.createDirectories(project.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> options = new ArrayList<>();
    options.add("-XDcompilePolicy=simple");
    options.add("--should-stop=ifError=FLOW");
    options.add("-processorpath");
    options.add(System.getProperty("java.class.path"));
    options.add("-d");
    options.add(classes.toString());
    options.add(
        "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:SwallowedInterrupt:WARN"
            + " -Xep:UnownedThread:WARN "
            + String.join(" ", flags).replace("-Werror", ""));
    for (String flag : flags) {
      if (flag.equals("-Werror")) {
        options.add("-Werror");
      }
    }
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, UTF_8)) {
      boolean success =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  options,
                  null,
                  files.getJavaFileObjectsFromPaths(sources))
              .call();
      return new Result(success, diagnostics.getDiagnostics());
    }
  }

  /** What javac said. */
  record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    List<String> of(Diagnostic.Kind kind) {
      return diagnostics.stream()
          .filter(d -> d.getKind() == kind)
          .map(d -> d.getMessage(Locale.ROOT))
          .collect(Collectors.toList());
    }

    List<String> warnings() {
      return of(Diagnostic.Kind.WARNING);
    }

    List<String> errors() {
      return of(Diagnostic.Kind.ERROR);
    }

    List<String> notes() {
      return of(Diagnostic.Kind.NOTE);
    }

    List<String> staleWarnings() {
      return warnings().stream()
          .filter(w -> w.startsWith("[Tether]") && w.contains("no longer match"))
          .collect(Collectors.toList());
    }

    /** The lines of {@code check}'s findings, in order. */
    List<Long> tetherLines(String check) {
      return diagnostics.stream()
          .filter(
              d -> {
                Matcher m = CHECK.matcher(d.getMessage(Locale.ROOT));
                return m.find() && m.group(1).equals(check);
              })
          .map(Diagnostic::getLineNumber)
          .collect(Collectors.toList());
    }

    @Override
    public String toString() {
      return (success ? "success" : "failure")
          + diagnostics.stream()
              .map(
                  d ->
                      "\n"
                          + d.getKind()
                          + " "
                          + d.getLineNumber()
                          + ": "
                          + d.getMessage(Locale.ROOT))
              .collect(Collectors.joining());
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
