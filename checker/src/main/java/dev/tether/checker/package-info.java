/**
 * Tether's Error Prone checks: concurrency mistakes that leak threads, lose errors and deadlock.
 */
package dev.tether.checker;
