package dev.tether.checker.utils;

/** Where Tether's documentation lives: the link of every check points at its page. */
public final class Links {
  /** The folder of the per-check pages: {@code docs/bugpattern/<Name>.md} in the repository. */
  public static final String BUGPATTERN =
      "https://github.com/tether-dev/tether/blob/main/docs/bugpattern/";

  private Links() {}
}
