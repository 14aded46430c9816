package dev.tether.checker.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The baseline file: one known finding a line, {@code path<TAB>check<TAB>class#member<TAB>hash},
 * then optionally a tab and an excerpt of the code for people (not compared), sorted, after a few
 * {@code #} comment lines. A finding that occurs twice in the same member with the same code is on
 * two equal lines.
 */
final class Baseline {
  /** One line of the file. */
  record Entry(String path, String check, String location, String hash, String excerpt) {
    /** What a finding must have to be held by this entry. */
    String key() {
      return path + '\t' + check + '\t' + location + '\t' + hash;
    }

    String line() {
      return excerpt.isEmpty() ? key() : key() + '\t' + excerpt.replaceAll("[\\t\\r\\n]", " ");
    }
  }

  static final Comparator<Entry> ORDER =
      Comparator.comparing(Entry::path)
          .thenComparing(Entry::location)
          .thenComparing(Entry::check)
          .thenComparing(Entry::hash)
          .thenComparing(Entry::excerpt);

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{16}");

  static final String HEADER =
      "# Tether baseline: known findings that the build does not report"
          + " (-XepOpt:Tether:Baseline=<this file>).\n"
          + "# Written by -XepOpt:Tether:WriteBaseline=<this file>; see Tether's docs/baseline.md."
          + " One finding a line:\n"
          + "# path<TAB>check<TAB>class#member<TAB>hash of the code<TAB>the code"
          + " (for people, not compared)\n";

  private Baseline() {}

  /** Thrown for a file that is not a baseline; the message names the file and line. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  static List<Entry> read(Path file) throws IOException, MalformedException {
    List<Entry> entries = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length < 4
          || fields.length > 5
          || fields[0].isEmpty()
          || fields[1].isEmpty()
          || !fields[2].contains("#")
          || !HASH.matcher(fields[3]).matches()) {
        throw new MalformedException(
            file
                + ":"
                + (i + 1)
                + ": not a Tether baseline entry (expected path<TAB>check<TAB>class#member"
                + "<TAB>16 hex digits[<TAB>code]): "
                + line);
      }
      entries.add(
          new Entry(
              fields[0], fields[1], fields[2], fields[3], fields.length == 5 ? fields[4] : ""));
    }
    return entries;
  }

  /** Writes the entries sorted, replacing the file in one move. */
  static void write(Path file, List<Entry> entries) throws IOException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(ORDER);
    StringBuilder text = new StringBuilder(HEADER);
    for (Entry entry : sorted) {
      text.append(entry.line()).append('\n');
    }
    Reports.replace(file, text.toString());
  }
}
