/**
 * The shared analysis behind Tether's checks: one tested home for each question that more than one
 * check asks, in the style of Error Prone's {@code ASTHelpers}. Nothing here reports; checks do.
 */
@NullMarked
package dev.tether.checker.utils;

import org.jspecify.annotations.NullMarked;
