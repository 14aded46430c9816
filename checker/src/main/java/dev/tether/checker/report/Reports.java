package dev.tether.checker.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/** Writing report files that several compilations (modules, main and test) update in turn. */
final class Reports {
  private static final long LOCK_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);

  private Reports() {}

  /** An update of a file that may throw. */
  interface Update {
    void run() throws IOException, Baseline.MalformedException;
  }

  /**
   * Runs {@code update} while holding a lock for {@code file}, so that compilations running at the
   * same time (Maven's {@code -T}, in one JVM or several) update it one after the other. The lock
   * file lives in the temporary directory, not beside the file.
   */
  static void locked(Path file, Update update) throws IOException, Baseline.MalformedException {
    String name =
        "tether-" + Identity.sha256(file.toAbsolutePath().normalize().toString()).substring(0, 16);
    Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), name + ".lock");
    try (FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long deadline = System.nanoTime() + LOCK_TIMEOUT_NANOS;
      while (true) {
        FileLock lock = null;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          // Another compilation in this JVM holds it.
        }
        if (lock != null) {
          try {
            update.run();
            return;
          } finally {
            lock.release();
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("timed out waiting for the lock " + lockFile + " of " + file);
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the lock of " + file, e);
        }
      }
    }
  }

  /** Replaces {@code file}'s content in one move, so that no reader sees half a file. */
  static void replace(Path file, String text) throws IOException {
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temporary = Files.createTempFile(absolute.getParent(), ".tether-", ".tmp");
    try {
      Files.writeString(temporary, text, UTF_8);
      Files.move(
          temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
