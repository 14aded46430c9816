package dev.tether.checker;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Runs Tether the way users do, as checks loaded by {@code -Xplugin:ErrorProne} from the processor
 * path, and checks the switches users have: severity, {@code OFF} and {@code @SuppressWarnings}.
 */
final class ErrorPronePluginTest {
  private static final JavaFileObject SWALLOWS =
      JavaFileObjects.forSourceLines(
          "Sleeper",
          "class Sleeper {",
          "  void nap() {",
          "    try {",
          "      Thread.sleep(1);",
          "    } catch (InterruptedException e) {",
          "    }",
          "  }",
          "}");

  private static final JavaFileObject SUPPRESSED =
      JavaFileObjects.forSourceLines(
          "Sleeper",
          "class Sleeper {",
          "  @SuppressWarnings(\"SwallowedInterrupt\")",
          "  void nap() {",
          "    try {",
          "      Thread.sleep(1);",
          "    } catch (InterruptedException e) {",
          "    }",
          "  }",
          "}");

  private static Compilation compile(JavaFileObject source, String... flags) {
    String classpath = System.getProperty("java.class.path");
    List<String> options = new ArrayList<>();
    options.add("-XDcompilePolicy=simple");
    options.add("--should-stop=ifError=FLOW");
    options.add("-processorpath");
    options.add(classpath);
    // Some of Error Prone's own checks need a file name that compile-testing's in-memory sources
    // lack.
    options.add(
        "-Xplugin:ErrorProne -Xep:PackageInfo:OFF -Xep:DefaultPackage:OFF "
            + String.join(" ", flags));
    return Compiler.javac().withOptions(options).compile(source);
  }

  @Test
  void warnsWithFileLineAndName() {
    Compilation compilation = compile(SWALLOWS, "-Xep:SwallowedInterrupt:WARN");
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .hadWarningContaining("[SwallowedInterrupt] This catch swallows the interruption")
        .inFile(SWALLOWS)
        .onLine(5);
    assertThat(compilation).hadWarningContaining("Did you mean");
  }

  @Test
  void onByDefaultAsAWarning() {
    Compilation compilation = compile(SWALLOWS);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningContaining("[SwallowedInterrupt]");
  }

  @Test
  void errorSeverityFailsTheBuild() {
    Compilation compilation = compile(SWALLOWS, "-Xep:SwallowedInterrupt:ERROR");
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("[SwallowedInterrupt]");
  }

  @Test
  void offSilences() {
    Compilation compilation =
        compile(SWALLOWS, "-XepDisableAllChecks", "-Xep:SwallowedInterrupt:OFF");
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void suppressWarningsSilences() {
    Compilation compilation =
        compile(SUPPRESSED, "-XepDisableAllChecks", "-Xep:SwallowedInterrupt:WARN");
    assertThat(compilation).succeededWithoutWarnings();
  }
}
