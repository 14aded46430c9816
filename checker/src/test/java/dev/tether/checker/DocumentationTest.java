package dev.tether.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import dev.tether.checker.utils.Links;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps checks and their documentation in step: every check has a page, every page a check. */
final class DocumentationTest {
  private static final Path ROOT = Path.of(System.getProperty("tether.repo.root", ".."));
  private static final Path PAGES = ROOT.resolve("docs/bugpattern");

  /** Every Tether check registered for Error Prone's service loader, by name. */
  private static SortedMap<String, BugPattern> checks() {
    SortedMap<String, BugPattern> checks = new TreeMap<>();
    ServiceLoader.load(BugChecker.class).stream()
        .map(ServiceLoader.Provider::type)
        .filter(type -> type.getPackageName().equals("dev.tether.checker"))
        .forEach(
            type -> {
              BugPattern pattern = type.getAnnotation(BugPattern.class);
              checks.put(pattern.name().isEmpty() ? type.getSimpleName() : pattern.name(), pattern);
            });
    assertFalse(checks.isEmpty(), "no check is registered with @AutoService");
    return checks;
  }

  @Test
  void everyCheckHasAPageAndLinksToIt() {
    for (Map.Entry<String, BugPattern> check : checks().entrySet()) {
      String name = check.getKey();
      BugPattern pattern = check.getValue();
      assertTrue(Files.exists(PAGES.resolve(name + ".md")), "no docs/bugpattern/" + name + ".md");
      assertEquals(CUSTOM, pattern.linkType(), name);
      assertEquals(Links.BUGPATTERN + name + ".md", pattern.link(), name + " links elsewhere");
    }
  }

  @Test
  void everyPageNamesACheck() throws IOException {
    SortedSet<String> names = new TreeSet<>(checks().keySet());
    try (Stream<Path> pages = Files.list(PAGES)) {
      pages.forEach(
          page -> {
            String name = page.getFileName().toString().replaceFirst("\\.md$", "");
            assertTrue(names.contains(name), page + " documents no check");
            try {
              assertTrue(
                  Files.readString(page, UTF_8).startsWith("# " + name + "\n"),
                  page + " must start with '# " + name + "'");
            } catch (IOException e) {
              throw new AssertionError(e);
            }
          });
    }
  }

  @Test
  void summariesAreImperativeSentencesWithoutPeriod() {
    checks()
        .forEach(
            (name, pattern) -> {
              String summary = pattern.summary();
              assertFalse(summary.endsWith("."), name + ": summary ends with a period");
              assertTrue(Character.isUpperCase(summary.charAt(0)), name + ": " + summary);
            });
  }

  /**
   * The head of every page restates the check's {@code @BugPattern} (summary, severity, tags) and
   * says whether it suggests a fix; "yes" exactly when its test has a {@code replacement…} test.
   */
  @Test
  void pageHeadsMatchTheirChecks() throws IOException {
    for (Map.Entry<String, BugPattern> check : checks().entrySet()) {
      String name = check.getKey();
      BugPattern pattern = check.getValue();
      List<String> lines = Files.readAllLines(PAGES.resolve(name + ".md"), UTF_8);
      assertEquals("**" + pattern.summary() + "**", lines.get(2), name + ".md: summary line");
      String fix = suggestsFix(name) ? "yes" : "no";
      String expected =
          "Severity: "
              + pattern.severity()
              + " · Tags: "
              + String.join(", ", pattern.tags())
              + " · Suggested fix: "
              + fix;
      String head = lines.get(4);
      assertTrue(
          head.equals(expected) || head.startsWith(expected + " ("),
          name
              + ".md: expected '"
              + expected
              + "' (optionally followed by ' (…)'), was '"
              + head
              + "'");
      String row =
          readme()
              .lines()
              .filter(line -> line.startsWith("| [" + name + "]("))
              .findFirst()
              .orElseThrow(() -> new AssertionError("README.md has no row for " + name));
      List<String> cells = List.of(row.split(" \\| "));
      String last = cells.get(cells.size() - 1);
      assertEquals(
          pattern.severity().toString(), cells.get(cells.size() - 2), name + ": README severity");
      assertTrue(last.startsWith(fix), name + ": README says fix '" + last + "', page says " + fix);
    }
  }

  private static boolean suggestsFix(String check) {
    try {
      return Stream.of(Class.forName("dev.tether.checker." + check + "Test").getDeclaredMethods())
          .anyMatch(method -> method.getName().startsWith("replacement"));
    } catch (ClassNotFoundException e) {
      throw new AssertionError(check + " has no " + check + "Test", e);
    }
  }

  private static String readme() throws IOException {
    return Files.readString(ROOT.resolve("README.md"), UTF_8);
  }

  @Test
  void indexesListEveryCheck() throws IOException {
    String index = Files.readString(ROOT.resolve("docs/README.md"), UTF_8);
    String readme = Files.readString(ROOT.resolve("README.md"), UTF_8);
    for (String name : checks().keySet()) {
      String link = "(bugpattern/" + name + ".md)";
      assertTrue(index.contains(link), "docs/README.md does not link " + name);
      assertTrue(
          readme.contains("(docs/bugpattern/" + name + ".md)"), "README.md does not list " + name);
    }
  }
}
