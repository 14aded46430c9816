package dev.tether.checker.report;

import java.util.List;
import java.util.Map;

/**
 * One Tether diagnostic of this compilation: its identity (see {@link Identity}), where it is, what
 * it says, its suggested fixes as SARIF {@code fix} objects, and whether the baseline held it.
 *
 * @param check the check's name
 * @param path the file, relative to the root and with {@code /} separators
 * @param location {@code package.Class#member}
 * @param hash the hash of the offending code
 * @param excerpt the offending code, shortened, for people
 * @param line the 1-based line
 * @param column the 1-based column, in UTF-16 code units
 * @param level {@code error}, {@code warning} or {@code note}
 * @param message the message without the {@code [Check]} prefix
 * @param fixes SARIF {@code fix} objects
 * @param baselined whether the baseline held it (and the build did not report it)
 */
record Finding(
    String check,
    String path,
    String location,
    String hash,
    String excerpt,
    long line,
    long column,
    String level,
    String message,
    List<Map<String, Object>> fixes,
    boolean baselined) {

  /** The baseline entry that holds this finding. */
  Baseline.Entry entry() {
    return new Baseline.Entry(path, check, location, hash, excerpt);
  }
}
