/** One bad and one good program per Tether check. */
package dev.tether.samples;
