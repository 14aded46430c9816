package dev.tether.checker.utils;

import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TreeScanner} that a subclass can stop: once it calls {@link #stop()}, nothing more is
 * scanned, and {@link #finds} says whether that happened ("does this code contain X?"). It enters
 * nested lambdas and classes; {@link BodyScan.Scanner} is the one that skips them.
 */
public abstract class StoppingScanner extends TreeScanner<Void, Void> {
  private boolean stopped;

  /** Ends the scan: no node is visited after this call. */
  protected final void stop() {
    stopped = true;
  }

  /** Whether {@link #stop()} was called. */
  public final boolean stopped() {
    return stopped;
  }

  /** Scans {@code tree} and says whether the scan was stopped. */
  public final boolean finds(@Nullable Tree tree) {
    scan(tree, null);
    return stopped;
  }

  /** Scans {@code trees} and says whether the scan was stopped. */
  public final boolean finds(Iterable<? extends Tree> trees) {
    scan(trees, null);
    return stopped;
  }

  @Override
  public Void scan(@Nullable Tree tree, @Nullable Void unused) {
    return stopped ? null : super.scan(tree, null);
  }
}
