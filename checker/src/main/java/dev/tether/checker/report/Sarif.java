package dev.tether.checker.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The SARIF 2.1.0 report: one run of the tool "Tether" with one rule per check (its page as {@code
 * helpUri}), and one result per finding, located relative to {@code %SRCROOT%}, with the baseline
 * identity as {@code partialFingerprints} and the suggested fixes as {@code fixes}. A finding that
 * the baseline holds carries an {@code external} suppression.
 */
final class Sarif {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String ROOT_ID = "%SRCROOT%";

  /** The {@code partialFingerprints} key of the baseline identity. */
  static final String FINGERPRINT = "tetherFinding/v1";

  private Sarif() {}

  static Map<String, Object> document(
      Map<String, TetherChecks.Check> checks,
      @Nullable String version,
      Path root,
      List<Map<String, Object>> results) {
    List<String> ruleIds = new ArrayList<>(checks.keySet());
    List<Object> rules = new ArrayList<>();
    for (TetherChecks.Check check : checks.values()) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("id", check.name());
      rule.put("name", check.name());
      rule.put("shortDescription", text(check.pattern().summary()));
      if (!check.pattern().link().isEmpty()) {
        rule.put("helpUri", check.pattern().link());
      }
      rule.put("defaultConfiguration", Map.of("level", level(check.pattern().severity().name())));
      rules.add(rule);
    }
    List<Map<String, Object>> sorted = new ArrayList<>(results);
    sorted.sort(
        Comparator.comparing((Map<String, Object> r) -> uri(r))
            .thenComparingLong(r -> number(r, "startLine"))
            .thenComparingLong(r -> number(r, "startColumn"))
            .thenComparing(r -> String.valueOf(r.get("ruleId"))));
    for (Map<String, Object> result : sorted) {
      int index = ruleIds.indexOf(String.valueOf(result.get("ruleId")));
      if (index >= 0) {
        result.put("ruleIndex", index);
      } else {
        result.remove("ruleIndex");
      }
    }
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "Tether");
    driver.put("informationUri", "https://github.com/tether-dev/tether");
    if (version != null) {
      driver.put("version", version);
    }
    driver.put("rules", rules);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    String rootUri = root.toUri().toString();
    run.put(
        "originalUriBaseIds",
        Map.of(ROOT_ID, Map.of("uri", rootUri.endsWith("/") ? rootUri : rootUri + "/")));
    run.put("results", sorted);
    run.put("columnKind", "utf16CodeUnits");
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("$schema", SCHEMA);
    document.put("version", "2.1.0");
    document.put("runs", List.of(run));
    return document;
  }

  static Map<String, Object> result(Finding finding, Path baselineFile) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("ruleId", finding.check());
    result.put("level", finding.level());
    result.put("message", text(finding.message()));
    Map<String, Object> region = new LinkedHashMap<>();
    region.put("startLine", finding.line());
    region.put("startColumn", finding.column());
    Map<String, Object> physical = new LinkedHashMap<>();
    physical.put("artifactLocation", artifact(finding.path()));
    physical.put("region", region);
    Map<String, Object> location = new LinkedHashMap<>();
    location.put("physicalLocation", physical);
    if (!finding.location().startsWith("-")) {
      location.put(
          "logicalLocations",
          List.of(
              Map.of(
                  "fullyQualifiedName",
                  finding.location(),
                  "kind",
                  finding.location().endsWith("#-") ? "type" : "member")));
    }
    result.put("locations", List.of(location));
    result.put(
        "partialFingerprints",
        Map.of(FINGERPRINT, Identity.sha256(finding.entry().key()).substring(0, 32)));
    if (!finding.fixes().isEmpty()) {
      result.put("fixes", finding.fixes());
    }
    if (finding.baselined()) {
      result.put(
          "suppressions",
          List.of(
              Map.of(
                  "kind",
                  "external",
                  "justification",
                  "a known finding, recorded in the Tether baseline " + baselineFile)));
    }
    return result;
  }

  static Map<String, Object> artifact(String path) {
    Map<String, Object> artifact = new LinkedHashMap<>();
    artifact.put("uri", path);
    artifact.put("uriBaseId", ROOT_ID);
    return artifact;
  }

  static Map<String, Object> text(String text) {
    return Map.of("text", text);
  }

  static String level(String severity) {
    return switch (severity) {
      case "ERROR" -> "error";
      case "WARNING" -> "warning";
      default -> "note";
    };
  }

  /**
   * The results of Tether's run in a SARIF document written earlier, for merging; empty when it
   * holds none.
   */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> results(@Nullable Object document) {
    List<Map<String, Object>> results = new ArrayList<>();
    if (!(document instanceof Map) || !(((Map<?, ?>) document).get("runs") instanceof List)) {
      return results;
    }
    for (Object run : (List<?>) ((Map<?, ?>) document).get("runs")) {
      if (!(run instanceof Map)) {
        continue;
      }
      Object tool = ((Map<?, ?>) run).get("tool");
      Object driver = tool instanceof Map ? ((Map<?, ?>) tool).get("driver") : null;
      boolean ours = driver instanceof Map && "Tether".equals(((Map<?, ?>) driver).get("name"));
      Object runResults = ((Map<?, ?>) run).get("results");
      if (ours && runResults instanceof List) {
        for (Object result : (List<?>) runResults) {
          if (result instanceof Map) {
            results.add((Map<String, Object>) result);
          }
        }
      }
    }
    return results;
  }

  /** The file of a result, relative to the root. */
  static String uri(Map<String, Object> result) {
    Object value = physical(result).get("artifactLocation");
    return value instanceof Map ? String.valueOf(((Map<?, ?>) value).get("uri")) : "";
  }

  private static long number(Map<String, Object> result, String key) {
    Object region = physical(result).get("region");
    Object value = region instanceof Map<?, ?> map ? map.get(key) : null;
    return value instanceof Number number ? number.longValue() : 0;
  }

  private static Map<?, ?> physical(Map<String, Object> result) {
    Object locations = result.get("locations");
    if (locations instanceof List && !((List<?>) locations).isEmpty()) {
      Object location = ((List<?>) locations).get(0);
      if (location instanceof Map) {
        Object physical = ((Map<?, ?>) location).get("physicalLocation");
        if (physical instanceof Map) {
          return (Map<?, ?>) physical;
        }
      }
    }
    return Map.of();
  }
}
