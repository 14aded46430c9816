package dev.tether.checker.report;

import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Tether's checks, as Error Prone loads them: the {@code BugChecker} services in its package. */
final class TetherChecks {
  static final String PACKAGE = "dev.tether.checker";

  /** One check: its class and its {@code @BugPattern}. */
  record Check(String name, Class<? extends BugChecker> type, BugPattern pattern) {}

  private TetherChecks() {}

  /** Tether's checks by name, sorted. */
  static Map<String, Check> load() {
    Map<String, Check> checks = new TreeMap<>();
    ServiceLoader.load(BugChecker.class, TetherChecks.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::type)
        .filter(type -> type.getPackageName().equals(PACKAGE))
        .forEach(
            type -> {
              BugPattern pattern = type.getAnnotation(BugPattern.class);
              if (pattern != null) {
                String name = pattern.name().isEmpty() ? type.getSimpleName() : pattern.name();
                checks.put(name, new Check(name, type, pattern));
              }
            });
    return checks;
  }
}
