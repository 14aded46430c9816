package dev.tether.samples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles each sample pair with Error Prone and Tether, as a user's build would: {@code
 * <Name>Bad.java} must warn with {@code <Name>}, {@code <Name>Good.java} and {@code
 * <Name>Runtime.java} (the fix with Tether's runtime) must be free of Tether warnings, and the bad
 * sample patched with {@code -XepPatchChecks:<Name>} must compile and be free of every warning that
 * had a fix.
 */
final class SamplesTest {
  private static final Path SAMPLES = Path.of(System.getProperty("tether.samples.dir"));
  private static final Path DOCS = Path.of(System.getProperty("tether.docs.dir"));
  private static final SortedSet<String> CHECKS = tetherChecks();

  @TempDir Path temp;

  @Test
  void everyCheckHasASamplePair() {
    for (String check : CHECKS) {
      assertTrue(Files.exists(SAMPLES.resolve(check + "Bad.java")), check + "Bad.java is missing");
      assertTrue(
          Files.exists(SAMPLES.resolve(check + "Good.java")), check + "Good.java is missing");
    }
  }

  @TestFactory
  Stream<DynamicTest> badSamplesWarn() {
    return CHECKS.stream()
        .map(
            check ->
                DynamicTest.dynamicTest(
                    check,
                    () -> {
                      List<String> findings =
                          compile(SAMPLES.resolve(check + "Bad.java"), List.of());
                      assertTrue(
                          findings.stream().anyMatch(f -> f.contains("[" + check + "]")),
                          check + "Bad.java must warn with " + check + ", saw " + findings);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> goodSamplesAreClean() {
    return CHECKS.stream()
        .map(
            check ->
                DynamicTest.dynamicTest(
                    check,
                    () -> {
                      List<String> findings =
                          compile(SAMPLES.resolve(check + "Good.java"), List.of());
                      assertEquals(List.of(), findings, check + "Good.java must be clean");
                    }));
  }

  /**
   * Every check whose page recommends Tether's runtime ("With Tether's runtime, …") has a {@code
   * <Name>Runtime.java} sample that uses it (and {@link RuntimeSamplesTest} runs).
   */
  @Test
  void everyRecommendedRuntimeReplacementHasASample() throws IOException {
    List<String> missing = new ArrayList<>();
    for (String check : CHECKS) {
      String page = Files.readString(DOCS.resolve(check + ".md"), UTF_8);
      Path sample = SAMPLES.resolve(check + "Runtime.java");
      if (page.contains("With Tether's runtime")) {
        if (!Files.exists(sample)) {
          missing.add(check + "Runtime.java");
        } else {
          assertTrue(
              Files.readString(sample, UTF_8).contains("import dev.tether."),
              check + "Runtime.java must use Tether's runtime");
        }
      }
    }
    assertEquals(List.of(), missing, "pages recommend the runtime, but there is no sample");
  }

  @TestFactory
  Stream<DynamicTest> runtimeSamplesAreClean() throws IOException {
    List<Path> samples;
    try (Stream<Path> files = Files.list(SAMPLES)) {
      samples =
          files.filter(f -> f.getFileName().toString().endsWith("Runtime.java")).sorted().toList();
    }
    assertFalse(samples.isEmpty(), "no <Name>Runtime.java sample in " + SAMPLES);
    return samples.stream()
        .map(
            sample ->
                DynamicTest.dynamicTest(
                    sample.getFileName().toString(),
                    () ->
                        assertEquals(
                            List.of(), compile(sample, List.of()), sample + " must be clean")));
  }

  @TestFactory
  Stream<DynamicTest> patchedBadSamplesCompileAndAreFixed() {
    return CHECKS.stream()
        .map(check -> DynamicTest.dynamicTest(check, () -> assertPatchFixes(check)));
  }

  private void assertPatchFixes(String check) throws IOException {
    Path copy = temp.resolve(check).resolve(check + "Bad.java");
    Files.createDirectories(copy.getParent());
    Files.copy(SAMPLES.resolve(check + "Bad.java"), copy);
    List<String> before = ofCheck(compile(copy, List.of()), check);
    List<String> fixable = before.stream().filter(SamplesTest::hasFix).toList();
    if (fixable.isEmpty()) {
      return; // this check offers no fix for its sample
    }
    String original = Files.readString(copy, UTF_8);
    compile(copy, List.of("-XepPatchChecks:" + check, "-XepPatchLocation:IN_PLACE"));
    assertFalse(original.equals(Files.readString(copy, UTF_8)), "patch mode changed nothing");
    List<String> after = ofCheck(compile(copy, List.of()), check);
    assertTrue(after.stream().noneMatch(SamplesTest::hasFix), "still fixable: " + after);
    assertEquals(before.size() - fixable.size(), after.size(), "after patching: " + after);
  }

  private static boolean hasFix(String finding) {
    return finding.contains("Did you mean");
  }

  private static List<String> ofCheck(List<String> findings, String check) {
    return findings.stream().filter(f -> f.contains("[" + check + "]")).toList();
  }

  /**
   * Compiles {@code source} with Error Prone and every Tether check enabled (Error Prone's own
   * checks off), fails on a compilation error, and returns the Tether warnings.
   */
  private List<String> compile(Path source, List<String> extraFlags) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path out = Files.createTempDirectory(temp, "classes");
    StringBuilder plugin = new StringBuilder("-Xplugin:ErrorProne -XepDisableAllChecks");
    CHECKS.forEach(check -> plugin.append(" -Xep:").append(check).append(":WARN"));
    extraFlags.forEach(flag -> plugin.append(' ').append(flag));
    String classpath = System.getProperty("java.class.path");
    List<String> options = new ArrayList<>();
    options.addAll(
        List.of(
            "-XDcompilePolicy=simple",
            "--should-stop=ifError=FLOW",
            System.getProperty("tether.javac.extra", "-XDcompilePolicy=simple"),
            "--release",
            "17",
            "-Xmaxwarns",
            "10000",
            "-classpath",
            classpath,
            "-processorpath",
            classpath,
            "-d",
            out.toString(),
            plugin.toString()));
    StringWriter output = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, UTF_8)) {
      boolean ok =
          javac
              .getTask(output, files, diagnostics, options, null, files.getJavaFileObjects(source))
              .call();
      String errors =
          diagnostics.getDiagnostics().stream()
              .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
              .map(d -> d.toString())
              .collect(Collectors.joining("\n"));
      assertTrue(ok, "compilation of " + source + " failed:\n" + errors + output);
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.WARNING)
        .map(d -> d.getLineNumber() + ": " + d.getMessage(null))
        .filter(message -> CHECKS.stream().anyMatch(c -> message.contains("[" + c + "]")))
        .toList();
  }

  /** The names of Tether's checks, from the checker on the test class path. */
  private static SortedSet<String> tetherChecks() {
    SortedSet<String> names = new TreeSet<>();
    ServiceLoader.load(BugChecker.class).stream()
        .map(ServiceLoader.Provider::type)
        .filter(type -> type.getPackageName().equals("dev.tether.checker"))
        .forEach(
            type -> {
              BugPattern pattern = type.getAnnotation(BugPattern.class);
              names.add(pattern.name().isEmpty() ? type.getSimpleName() : pattern.name());
            });
    assertFalse(names.isEmpty(), "no Tether check on the class path");
    return names;
  }
}
