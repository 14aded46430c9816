package dev.tether.checker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the architecture visible: {@code dev.tether.checker} holds checks only, and shared analysis
 * lives in {@code dev.tether.checker.utils}.
 */
final class PackageLayoutTest {
  private static final Path CHECKS = Path.of("src/main/java/dev/tether/checker");

  private static Set<String> topLevelClassesOfChecksPackage() throws IOException {
    try (Stream<Path> files = Files.list(CHECKS)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".java") && !name.equals("package-info.java"))
          .map(name -> name.substring(0, name.length() - ".java".length()))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void checksPackageHoldsOnlyRegisteredBugPatternChecks() throws Exception {
    Set<String> registered =
        ServiceLoader.load(BugChecker.class).stream()
            .map(ServiceLoader.Provider::type)
            .filter(type -> type.getPackageName().equals("dev.tether.checker"))
            .map(Class::getSimpleName)
            .collect(Collectors.toCollection(TreeSet::new));
    List<String> problems = new ArrayList<>();
    for (String name : topLevelClassesOfChecksPackage()) {
      Class<?> type = Class.forName("dev.tether.checker." + name);
      if (!BugChecker.class.isAssignableFrom(type)
          || type.getAnnotation(BugPattern.class) == null) {
        problems.add(name + " is not a @BugPattern check: move it to dev.tether.checker.utils");
      } else if (!registered.contains(name)) {
        problems.add(name + " is not registered with @AutoService(BugChecker.class)");
      } else if (!Modifier.isFinal(type.getModifiers())
          || !Modifier.isPublic(type.getModifiers())) {
        problems.add(name + " must be public final");
      }
    }
    assertEquals(List.of(), problems);
  }

  /**
   * Checks still being made stateless; an entry here must still be stateful (it cannot go stale).
   */
  private static final Set<String> STATEFUL_TO_BE_FIXED = Set.of();

  @Test
  void checksKeepNoStateBetweenMatches() throws Exception {
    List<String> problems = new ArrayList<>();
    for (String name : topLevelClassesOfChecksPackage()) {
      boolean stateful = false;
      for (Field field : Class.forName("dev.tether.checker." + name).getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isFinal(field.getModifiers())) {
          stateful = true;
          if (!STATEFUL_TO_BE_FIXED.contains(name)) {
            problems.add(name + "." + field.getName() + " is a mutable instance field");
          }
        }
      }
      if (!stateful && STATEFUL_TO_BE_FIXED.contains(name)) {
        problems.add(name + " keeps no state any more: remove it from STATEFUL_TO_BE_FIXED");
      }
    }
    assertEquals(List.of(), problems);
  }

  /**
   * A check reports through the {@code Description} it returns, one per match, so that Error Prone
   * can suppress, count and patch it; {@code state.reportMatch} with {@code NO_MATCH} hides that.
   */
  @Test
  void checksReportThroughTheirReturnValue() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String name : topLevelClassesOfChecksPackage()) {
      String source = Files.readString(CHECKS.resolve(name + ".java"), UTF_8);
      if (source.contains(".reportMatch(")) {
        problems.add(name + " calls state.reportMatch: return the Description instead");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void checksPackageInfoSaysWhereAnalysisLives() throws IOException {
    String info = Files.readString(CHECKS.resolve("package-info.java"), UTF_8);
    assertTrue(info.contains("dev.tether.checker.utils"), info);
  }
}
