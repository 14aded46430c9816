/**
 * Tether's baseline and SARIF report ({@code -XepOpt:Tether:Baseline}, {@code
 * -XepOpt:Tether:WriteBaseline}, {@code -XepOpt:Tether:Sarif}, {@code -XepOpt:Tether:BaselineRoot};
 * see {@code docs/baseline.md} and {@code docs/ci.md}).
 *
 * <p>The checks know nothing of it. {@link dev.tether.checker.report.TetherReport}, loaded by Error
 * Prone like a check, starts a {@link dev.tether.checker.report.ReportSession} per compilation,
 * which puts a filter in front of javac's diagnostics: it sees every Tether diagnostic, computes
 * the finding's {@link dev.tether.checker.report.Identity}, drops those the baseline holds (so they
 * neither print nor count for {@code -Werror}), and at the end of the compilation writes the files
 * and reports stale baseline entries.
 */
@NullMarked
package dev.tether.checker.report;

import org.jspecify.annotations.NullMarked;
