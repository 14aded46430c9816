package dev.tether.checker.utils;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

final class LinksTest {
  @Test
  void bugpatternLinkPointsAtTheFolderOfThePagesInThisRepository() {
    String prefix = "https://github.com/tether-dev/tether/blob/main/";
    assertTrue(Links.BUGPATTERN.startsWith(prefix), Links.BUGPATTERN);
    assertTrue(Links.BUGPATTERN.endsWith("/"), Links.BUGPATTERN + " must end with '/'");
    Path root = Path.of(System.getProperty("tether.repo.root", ".."));
    Path folder = root.resolve(Links.BUGPATTERN.substring(prefix.length()));
    assertTrue(Files.isDirectory(folder), folder + " is not a folder of this repository");
    assertTrue(
        Files.isRegularFile(folder.resolve("SwallowedInterrupt.md")),
        "no SwallowedInterrupt.md in " + folder);
  }
}
