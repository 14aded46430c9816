package dev.tether.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;

/**
 * Finds the threads that a piece of code started and left running: Go's {@code goleak} for Java,
 * usable with or without JUnit (see {@link DetectThreadLeaks} for JUnit 5).
 *
 * <pre>{@code
 * ThreadLeakDetector.Snapshot before = ThreadLeakDetector.create().snapshot();
 * runTheCodeUnderTest();
 * before.assertNoLeaks(); // AssertionError listing each leaked thread with its stack
 * }</pre>
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>A thread leaked if it is alive now and was not alive at the {@linkplain #snapshot()
 *       snapshot}.
 *   <li>Threads that are ending get time to end: the check retries with exponential backoff (1 ms,
 *       doubling, at most 100 ms between attempts, like goleak) until nothing leaks or the
 *       {@linkplain #withLinger linger time} (2 s by default) has passed.
 *   <li>The JVM's own threads, shared pools that no test can shut down ({@code
 *       ForkJoinPool.commonPool}, the carrier threads of virtual threads, Tether's {@code
 *       tether-deadline} and {@code tether-ticker}), JUnit's and Surefire's threads, and idle
 *       threads of Tether's shared task pool ({@code tether-task-N} parked waiting for work) are
 *       ignored; so are the names matching {@link #ignoring}.
 *   <li><b>Virtual threads</b> (JDK 21+) are not listed by {@link Thread#getAllStackTraces()}, so
 *       the detector cannot see them on its own. Create them with a factory wrapped by {@link
 *       Snapshot#tracking(ThreadFactory)}: the detector then checks those threads directly.
 *       Tether's own timer threads are platform threads and always seen; its task threads are
 *       virtual on JDK 21 and later (unless {@code -Dtether.threads=platform}), so a task that
 *       outlives its group is not seen there, only on JDK 17 to 20 or with that property.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ThreadLeakDetector {
  private static final List<Pattern> DEFAULT_IGNORED =
      compile(
          List.of(
              // JVM
              "Reference Handler",
              "Finalizer",
              "Signal Dispatcher",
              "Attach Listener",
              "Common-Cleaner",
              "Notification Thread",
              "Service Thread",
              "Monitor Deflation Thread",
              "Sweeper thread",
              "C[12] CompilerThread\\d+",
              "process reaper",
              "DestroyJavaVM",
              "JFR .*",
              "Keep-Alive-Timer",
              "ForkJoinPool\\.commonPool-worker-\\d+",
              // the JVM's helpers of virtual threads (JDK 21+); a leaked ForkJoinPool of the
              // user's still shows through its workers, which are not ignored
              "VirtualThread-unblocker",
              "VirtualThread-unparker",
              "ForkJoinPool-\\d+-delayScheduler",
              // test runners
              "surefire-forkedjvm-.*",
              "junit-jupiter-timeout-watcher",
              "junit-timeout-thread-\\d+",
              // Tether's shared runtime threads
              "tether-deadline",
              "tether-ticker"));

  private static final Pattern TETHER_POOL = Pattern.compile("tether-task-\\d+");
  private static final Duration DEFAULT_LINGER = Duration.ofSeconds(2);
  private static final long FIRST_BACKOFF_NANOS = 1_000_000;
  private static final long MAX_BACKOFF_NANOS = 100_000_000;

  private final List<Pattern> ignored;
  private final Duration linger;

  private ThreadLeakDetector(List<Pattern> ignored, Duration linger) {
    this.ignored = ignored;
    this.linger = linger;
  }

  /** Returns a detector with the default ignore list and a linger time of 2 seconds. */
  public static ThreadLeakDetector create() {
    return new ThreadLeakDetector(DEFAULT_IGNORED, DEFAULT_LINGER);
  }

  private static List<Pattern> compile(List<String> regexes) {
    List<Pattern> patterns = new ArrayList<>(regexes.size());
    for (String regex : regexes) {
      patterns.add(Pattern.compile(regex));
    }
    return Collections.unmodifiableList(patterns);
  }

  /**
   * Returns a detector that also ignores the threads whose whole name matches one of {@code
   * threadNameRegexes}.
   */
  public ThreadLeakDetector ignoring(String... threadNameRegexes) {
    Objects.requireNonNull(threadNameRegexes, "threadNameRegexes");
    List<Pattern> all = new ArrayList<>(ignored);
    all.addAll(compile(List.of(threadNameRegexes)));
    return new ThreadLeakDetector(Collections.unmodifiableList(all), linger);
  }

  /**
   * Returns a detector that waits up to {@code linger} for new threads to end before it reports
   * them.
   *
   * @throws IllegalArgumentException if {@code linger} is negative
   */
  public ThreadLeakDetector withLinger(Duration linger) {
    if (Objects.requireNonNull(linger, "linger").isNegative()) {
      throw new IllegalArgumentException("negative linger: " + linger);
    }
    return new ThreadLeakDetector(ignored, linger);
  }

  /** Records the threads alive now; {@link Snapshot#assertNoLeaks()} compares against them. */
  public Snapshot snapshot() {
    return new Snapshot(Set.copyOf(Thread.getAllStackTraces().keySet()));
  }

  /** The threads that were alive at one moment, and the check against them. */
  public final class Snapshot {
    private final Set<Thread> before;
    private final ConcurrentLinkedQueue<Thread> tracked = new ConcurrentLinkedQueue<>();

    private Snapshot(Set<Thread> before) {
      this.before = before;
    }

    /**
     * Wraps {@code factory} so that the threads it makes are checked too, including the virtual
     * threads that {@link Thread#getAllStackTraces()} does not list.
     */
    public ThreadFactory tracking(ThreadFactory factory) {
      Objects.requireNonNull(factory, "factory");
      return r -> {
        Thread t = factory.newThread(r);
        tracked.add(t);
        return t;
      };
    }

    /**
     * Returns the threads started since the snapshot that are still alive, after waiting for them
     * to end with backoff (see {@link ThreadLeakDetector}); empty if none.
     *
     * @throws InterruptedException if the thread is interrupted while waiting; the interrupt status
     *     stays set
     */
    public List<Thread> leakedThreads() throws InterruptedException {
      long deadline = System.nanoTime() + saturatedNanos(linger);
      long backoff = FIRST_BACKOFF_NANOS;
      while (true) {
        List<Thread> leaked = findLeaks();
        long left = deadline - System.nanoTime();
        if (leaked.isEmpty() || left <= 0) {
          return leaked;
        }
        try {
          long nanos = Math.min(backoff, left);
          Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
      }
    }

    /**
     * Throws an {@link AssertionError} that lists every leaked thread with its stack trace, if
     * {@link #leakedThreads()} finds any.
     *
     * @throws InterruptedException if the thread is interrupted while waiting; the interrupt status
     *     stays set
     */
    public void assertNoLeaks() throws InterruptedException {
      List<Thread> leaked = leakedThreads();
      if (!leaked.isEmpty()) {
        throw new AssertionError(describe(leaked));
      }
    }

    private List<Thread> findLeaks() {
      Map<Thread, StackTraceElement[]> now = Thread.getAllStackTraces();
      List<Thread> leaked = new ArrayList<>();
      for (Map.Entry<Thread, StackTraceElement[]> e : now.entrySet()) {
        Thread t = e.getKey();
        if (t.isAlive() && !before.contains(t) && !isIgnored(t, e.getValue())) {
          leaked.add(t);
        }
      }
      for (Thread t : tracked) {
        if (t.isAlive() && !now.containsKey(t) && !leaked.contains(t)) {
          leaked.add(t); // a virtual thread, or one that getAllStackTraces() missed
        }
      }
      return leaked;
    }
  }

  private boolean isIgnored(Thread t, StackTraceElement[] stack) {
    if (t.getClass().getName().equals("jdk.internal.misc.CarrierThread")) {
      return true; // the JVM's shared scheduler of virtual threads (JDK 21+)
    }
    String name = t.getName();
    for (Pattern p : ignored) {
      if (p.matcher(name).matches()) {
        return true;
      }
    }
    return TETHER_POOL.matcher(name).matches() && isIdlePoolThread(stack);
  }

  /** True for a pooled thread that waits for its next task, in {@code ThreadPoolExecutor}. */
  private static boolean isIdlePoolThread(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      if (frame.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
          && frame.getMethodName().equals("getTask")) {
        return true;
      }
    }
    return false;
  }

  static String describe(List<Thread> leaked) {
    StringBuilder sb =
        new StringBuilder()
            .append(leaked.size())
            .append(leaked.size() == 1 ? " thread" : " threads")
            .append(" leaked (started and still alive):");
    for (Thread t : leaked) {
      sb.append("\n\n  \"")
          .append(t.getName())
          .append("\" ")
          .append(t.isDaemon() ? "daemon " : "")
          .append(t.getState());
      for (StackTraceElement frame : t.getStackTrace()) {
        sb.append("\n      at ").append(frame);
      }
    }
    return sb.toString();
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE / 2;
    }
  }

  @Override
  public String toString() {
    return "ThreadLeakDetector[linger " + linger + ", " + ignored.size() + " ignored patterns]";
  }
}
