package dev.tether.checker.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -XepOpt:Tether:Baseline} and {@code -XepOpt:Tether:WriteBaseline}, run as users run them.
 */
final class BaselineTest {
  private static final String WORKER = "src/main/java/p/Worker.java";

  /** Two swallowed interrupts (a and b). */
  private static final String TWO_DEFECTS =
      String.join(
          "\n",
          "package p;",
          "",
          "class Worker {",
          "  void a() {",
          "    try {",
          "      Thread.sleep(1);",
          "    } catch (InterruptedException e) {",
          "    }",
          "  }",
          "",
          "  void b() {",
          "    try {",
          "      Thread.sleep(2);",
          "    } catch (InterruptedException e) {",
          "      System.out.println(e);",
          "    }",
          "  }",
          "}",
          "");

  @TempDir Path project;

  private Path baseline() {
    return project.resolve("tether-baseline.txt");
  }

  private Javac.Result writeBaseline() throws IOException {
    Javac.write(project, WORKER, TWO_DEFECTS);
    return Javac.compile(project, "-XepOpt:Tether:WriteBaseline=" + baseline());
  }

  private Javac.Result withBaseline(String... more) throws IOException {
    String[] flags = new String[more.length + 1];
    flags[0] = "-XepOpt:Tether:Baseline=" + baseline();
    System.arraycopy(more, 0, flags, 1, more.length);
    return Javac.compile(project, flags);
  }

  private List<String> entries() throws IOException {
    return Files.readAllLines(baseline(), UTF_8).stream()
        .filter(line -> !line.startsWith("#"))
        .collect(Collectors.toList());
  }

  @Test
  void writeBaselineRecordsEveryFindingSortedAndStillReportsThem() throws IOException {
    Javac.Result written = writeBaseline();
    assertTrue(written.success(), written.toString());
    assertEquals(List.of(7L, 14L), written.tetherLines("SwallowedInterrupt"), written.toString());
    List<String> entries = entries();
    assertEquals(2, entries.size(), entries.toString());
    assertTrue(
        entries.get(0).startsWith(WORKER + "\tSwallowedInterrupt\tp.Worker#a()\t"), entries.get(0));
    assertTrue(
        entries.get(1).startsWith(WORKER + "\tSwallowedInterrupt\tp.Worker#b()\t"), entries.get(1));
    assertTrue(entries.get(0).endsWith("\tcatch (InterruptedException e) {…}"), entries.get(0));
    assertTrue(
        written.notes().stream().anyMatch(n -> n.contains("wrote 2 findings")), written.toString());
  }

  @Test
  void baselinedFindingsAreNotReportedAndDoNotFailWerror() throws IOException {
    writeBaseline();
    Javac.Result result = withBaseline("-Werror");
    assertTrue(result.success(), result.toString());
    assertEquals(List.of(), result.warnings(), result.toString());
  }

  @Test
  void movedAndReformattedCodeStaysHeld() throws IOException {
    writeBaseline();
    String moved =
        TWO_DEFECTS
            .replace("class Worker {", "class Worker {\n  int added;\n\n  void added() {}\n")
            .replace(
                "    } catch (InterruptedException e) {\n    }",
                "    }   catch (InterruptedException e)   {   /* nothing */   }");
    Javac.write(project, WORKER, moved);
    Javac.Result result = withBaseline();
    assertTrue(result.success(), result.toString());
    assertEquals(List.of(), result.warnings(), result.toString());
  }

  @Test
  void onlyANewFindingIsReported() throws IOException {
    writeBaseline();
    Javac.write(
        project,
        WORKER,
        TWO_DEFECTS.replace(
            "  void b() {",
            "  void c() {\n    try {\n      Thread.sleep(3);\n    } catch (InterruptedException"
                + " e) {\n    }\n  }\n\n  void b() {"));
    Javac.Result result = withBaseline("-Werror");
    assertFalse(result.success(), "-Werror counts the new finding: " + result);
    assertEquals(List.of(14L), result.tetherLines("SwallowedInterrupt"), result.toString());
  }

  @Test
  void aChangedStatementIsANewFindingAndItsEntryStale() throws IOException {
    writeBaseline();
    Javac.write(
        project, WORKER, TWO_DEFECTS.replace("System.out.println(e);", "System.err.println(e);"));
    Javac.Result result = withBaseline();
    assertEquals(
        List.of(), result.tetherLines("SwallowedInterrupt"), "the catch's header is the code");
    Javac.write(
        project,
        WORKER,
        TWO_DEFECTS
            .replace(
                "catch (InterruptedException e) {\n      System",
                "catch (InterruptedException ex) {\n      System")
            .replace("println(e)", "println(ex)"));
    result = withBaseline();
    assertEquals(List.of(14L), result.tetherLines("SwallowedInterrupt"), result.toString());
    assertEquals(1, result.staleWarnings().size(), result.toString());
  }

  @Test
  void aFixedFindingIsReportedStaleOnceNamingTheFile() throws IOException {
    writeBaseline();
    Javac.write(
        project,
        WORKER,
        TWO_DEFECTS.replace(
            "    } catch (InterruptedException e) {\n    }",
            "    } catch (InterruptedException e) {\n      Thread.currentThread().interrupt();\n    }"));
    Javac.Result result = withBaseline();
    assertTrue(result.success(), result.toString());
    assertEquals(List.of(), result.tetherLines("SwallowedInterrupt"), result.toString());
    List<String> stale = result.staleWarnings();
    assertEquals(1, stale.size(), result.toString());
    assertTrue(stale.get(0).contains(baseline().toString()), stale.get(0));
    assertTrue(stale.get(0).contains("1 entry"), stale.get(0));
    assertTrue(stale.get(0).contains("\tp.Worker#a()\t"), stale.get(0));
    assertFalse(stale.get(0).contains("#b()"), stale.get(0));
  }

  @Test
  void entriesOfFilesNotCompiledHereAreNeitherStaleNorDropped() throws IOException {
    Javac.write(project, "a/src/main/java/p/Worker.java", TWO_DEFECTS);
    Javac.write(
        project,
        "b/src/main/java/q/Other.java",
        TWO_DEFECTS.replace("package p;", "package q;").replace("Worker", "Other"));
    // Two modules, one baseline: each compilation replaces only its own files' entries.
    Javac.compileOnly(project, "a", "-XepOpt:Tether:WriteBaseline=" + baseline());
    Javac.compileOnly(project, "b", "-XepOpt:Tether:WriteBaseline=" + baseline());
    List<String> entries = entries();
    assertEquals(4, entries.size(), entries.toString());
    assertTrue(entries.get(0).startsWith("a/src/main/java/p/Worker.java\t"), entries.toString());
    assertTrue(entries.get(3).startsWith("b/src/main/java/q/Other.java\t"), entries.toString());

    Javac.Result moduleA = Javac.compileOnly(project, "a", "-XepOpt:Tether:Baseline=" + baseline());
    assertEquals(List.of(), moduleA.warnings(), moduleA.toString());

    // Rewriting module a's entries keeps module b's.
    Javac.compileOnly(project, "a", "-XepOpt:Tether:WriteBaseline=" + baseline());
    assertEquals(entries, entries());
  }

  @Test
  void entriesOfAnAbsentCheckAreNotStale() throws IOException {
    writeBaseline();
    Javac.Result result = withBaseline("-Xep:SwallowedInterrupt:OFF", "-Xep:UnownedThread:WARN");
    assertTrue(result.success(), result.toString());
    assertEquals(List.of(), result.warnings(), result.toString());
  }

  @Test
  void aMissingBaselineIsAnError() throws IOException {
    Javac.write(project, WORKER, TWO_DEFECTS);
    Javac.Result result = withBaseline();
    assertFalse(result.success());
    assertTrue(
        result.errors().stream()
            .anyMatch(e -> e.contains(baseline() + " (-XepOpt:Tether:Baseline) does not exist")),
        result.toString());
  }

  @Test
  void aMalformedBaselineIsAnErrorNamingTheLine() throws IOException {
    Javac.write(project, WORKER, TWO_DEFECTS);
    Files.writeString(baseline(), "# comment\nnot an entry\n", UTF_8);
    Javac.Result result = withBaseline();
    assertFalse(result.success());
    assertTrue(
        result.errors().stream()
            .anyMatch(e -> e.contains(baseline() + ":2: not a Tether baseline entry")),
        result.toString());
  }

  @Test
  void anUnknownOptionIsAnError() throws IOException {
    Javac.write(project, WORKER, TWO_DEFECTS);
    Javac.Result result = Javac.compile(project, "-XepOpt:Tether:Basline=x");
    assertFalse(result.success());
    assertTrue(
        result.errors().stream().anyMatch(e -> e.contains("unknown option -XepOpt:Tether:Basline")),
        result.toString());
  }

  /** The library model's options are Tether options too: the report must not call them unknown. */
  @Test
  void libraryModelOptionsAreNotUnknown() throws IOException {
    Javac.write(project, WORKER, TWO_DEFECTS);
    Javac.Result result =
        Javac.compile(
            project,
            "-XepOpt:Tether:ExecutorMethods=com.acme.Async#run",
            "-XepOpt:Tether:LoggingMethods=note");
    assertTrue(result.success(), result.toString());
    assertTrue(
        result.errors().stream().noneMatch(e -> e.contains("unknown option")), result.toString());
  }

  @Test
  void malformedLibraryModelFlagIsOneErrorLineNotACrash() throws IOException {
    Javac.write(project, WORKER, TWO_DEFECTS);
    Javac.Result result =
        Javac.compile(project, "-XepOpt:Tether:ExecutorMethods=com.acme.Async.run");
    assertFalse(result.success(), result.toString());
    assertEquals(
        List.of(
            "[Tether] -XepOpt:Tether:ExecutorMethods: 'com.acme.Async.run' is not a method of the"
                + " form fully.qualified.Type#method (e.g. com.acme.Async#run)"),
        result.errors(),
        result.toString());
  }

  @Test
  void malformedLibraryModelFlagIsAnErrorWhereNoCheckAsksTheModel() throws IOException {
    Javac.write(project, "src/main/java/p/Plain.java", "package p;\n\nclass Plain {}\n");
    Javac.Result result = Javac.compile(project, "-XepOpt:Tether:LoggingMethods=a.b");
    assertFalse(result.success(), result.toString());
    assertEquals(1, result.errors().size(), result.toString());
    assertTrue(result.errors().get(0).contains("Tether:LoggingMethods"), result.toString());
  }

  @Test
  void writeBaselineRefusesToOverwriteAnotherFile() throws IOException {
    Javac.write(project, WORKER, TWO_DEFECTS);
    Files.writeString(baseline(), "<project/>\n", UTF_8);
    Javac.Result result = Javac.compile(project, "-XepOpt:Tether:WriteBaseline=" + baseline());
    assertFalse(result.success());
    assertEquals("<project/>\n", Files.readString(baseline(), UTF_8));
  }

  @Test
  void withoutTetherOptionsNothingChanges() throws IOException {
    Javac.write(project, WORKER, TWO_DEFECTS);
    Javac.Result result = Javac.compile(project);
    assertEquals(List.of(7L, 14L), result.tetherLines("SwallowedInterrupt"), result.toString());
    assertTrue(result.notes().isEmpty(), result.toString());
  }
}
