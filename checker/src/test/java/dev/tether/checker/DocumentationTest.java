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
