package dev.tether;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random trees of scopes, with groups (with and without limits), channels, worker pools, tickers
 * and nested groups under them; random failures, cancellations, deadlines and interrupts from
 * outside. After each round:
 *
 * <ul>
 *   <li>every failure a task raised is the outcome or is reachable from it through suppressed
 *       exceptions;
 *   <li>nothing hung (a watchdog bounds each round and prints the stacks);
 *   <li>no task still runs, and no thread of the runtime's pool is busy;
 *   <li>no value sent on a channel was lost or received twice, no job was processed twice or
 *       without being submitted, and a pool that was awaited processed every submitted job;
 *   <li>no scheduled action ran after the cancellation of its scope returned.
 * </ul>
 *
 * <p>The run is bounded by {@code -Dtether.stress.seconds} (default 15). On failure the message
 * names the seed; {@code -Dtether.stress.seed=<seed>} replays it.
 */
class RandomizedStressTest {

  /** An Error a task may throw; TaskGroup must let it win. */
  static final class StressError extends Error {
    private static final long serialVersionUID = 1L;

    StressError(String message) {
      super(message);
    }
  }

  @Test
  @Timeout(90)
  void randomRoundsKeepEveryPromise() throws Exception {
    String fixed = System.getProperty("tether.stress.seed");
    long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
    long seconds = Long.getLong("tether.stress.seconds", 15);
    SplittableRandom random = new SplittableRandom(seed);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int rounds = 0;
    try {
      do {
        new Round(random.split(), rounds).run();
        rounds++;
      } while (fixed == null && System.nanoTime() < end);
    } catch (Throwable e) {
      throw new AssertionError(
          "stress round "
              + rounds
              + " failed; replay with -Dtether.stress.seed="
              + seed
              + " (the same rounds run again; the thread timing differs)",
          e);
    }
    System.out.println("randomized stress: " + rounds + " rounds, seed " + seed);
    assertTrue(fixed != null || rounds >= 10, "too few rounds in the time budget: " + rounds);
  }

  /** One round: a random tree, a random group under it, random work, random outside events. */
  private static final class Round {
    private final SplittableRandom random;
    private final int number;
    private final List<CancelScope> tree = new ArrayList<>();
    private final Set<Throwable> raised = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final List<Runnable> afterChecks = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<@Nullable Throwable> outcome = new AtomicReference<>();

    Round(SplittableRandom random, int number) {
      this.random = random;
      this.number = number;
    }

    void run() throws Exception {
      CancelScope top = CancelScope.root().withCancel();
      tree.add(top);
      grow(top, 0);
      CancelScope parent = tree.get(random.nextInt(tree.size()));
      List<Component> components = new ArrayList<>();
      int count = 1 + random.nextInt(6);
      for (int i = 0; i < count; i++) {
        components.add(component(random.nextInt(7), new SplittableRandom(random.nextLong())));
      }
      int limit = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(2 * count + 4);
      CountDownLatch started = new CountDownLatch(1);
      Thread driver =
          new Thread(
              () -> {
                started.countDown();
                try (TaskGroup group = TaskGroup.open(parent)) {
                  if (limit > 0) {
                    var unused = group.withLimit(limit);
                  }
                  for (Component c : components) {
                    c.start(group);
                  }
                  group.await();
                } catch (Throwable e) {
                  outcome.set(e);
                }
              },
              "stress-driver-" + number);
      driver.start();
      started.await();
      // Outside events; the last one always cancels the top, so every blocked task ends.
      int events = random.nextInt(4);
      for (int i = 0; i < events; i++) {
        Thread.sleep(0, random.nextInt(1_000_000));
        switch (random.nextInt(3)) {
          case 0 -> tree.get(random.nextInt(tree.size())).cancel();
          case 1 -> driver.interrupt();
          default -> tree.get(random.nextInt(tree.size())).cancel(new IOException("outside"));
        }
      }
      Thread.sleep(random.nextInt(20));
      top.cancel();
      driver.join(TimeUnit.SECONDS.toMillis(30));
      if (driver.isAlive()) {
        throw new AssertionError("hang:\n" + stacks());
      }
      check();
    }

    private void grow(CancelScope scope, int depth) {
      int children = depth >= 3 ? 0 : random.nextInt(3);
      for (int i = 0; i < children; i++) {
        CancelScope child =
            random.nextInt(4) == 0
                ? scope.withTimeout(Duration.ofMillis(1 + random.nextInt(30)))
                : scope.withCancel();
        tree.add(child);
        grow(child, depth + 1);
      }
    }

    /** Keeps {@code e} as a failure that must be reported. */
    private <T extends Throwable> T raise(T e) {
      raised.add(e);
      return e;
    }

    /** One piece of work in the round's group. */
    private interface Component {
      void start(TaskGroup group);
    }

    private Component component(int kind, SplittableRandom r) {
      return switch (kind) {
        case 0 -> channel(r);
        case 1 -> pool(r);
        case 2 -> ticker(r);
        case 3 -> nested(r);
        case 4 -> {
          int how = r.nextInt(6);
          yield group -> group.go(s -> counted(() -> block(s, how)));
        }
        default -> group -> group.go(s -> counted(() -> fail(s, r)));
      };
    }

    private void counted(Body body) throws Exception {
      running.incrementAndGet();
      try {
        body.run();
      } finally {
        running.decrementAndGet();
      }
    }

    private interface Body {
      void run() throws Exception;
    }

    private void fail(CancelScope s, SplittableRandom r) throws Exception {
      s.sleep(Duration.ofNanos(r.nextInt(2_000_000)));
      switch (r.nextInt(3)) {
        case 0 -> throw raise(new IllegalStateException("task failed"));
        case 1 -> throw raise(new IOException("task failed"));
        default -> throw raise(new StressError("task failed"));
      }
    }

    private static void block(CancelScope s, int how) throws Exception {
      switch (how) {
        case 0 -> s.sleep(Duration.ofMinutes(5));
        case 1 -> s.take(new LinkedBlockingQueue<>());
        case 2 -> s.waitFor(new CountDownLatch(1));
        case 3 -> Channel.<String>open(0).receiver().receive(s);
        case 4 -> Thread.sleep(300_000); // only the group's interrupt ends it
        default -> s.get(new java.util.concurrent.CompletableFuture<>());
      }
    }

    /** Producers send unique values, consumers receive them until the channel is closed. */
    private Component channel(SplittableRandom r) {
      Channel<Long> ch = Channel.open(r.nextInt(5));
      int producers = 1 + r.nextInt(3);
      int consumers = 1 + r.nextInt(3);
      int perProducer = r.nextInt(200);
      AtomicLong ids = new AtomicLong();
      Set<Long> attempted = ConcurrentHashMap.newKeySet();
      Set<Long> sent = ConcurrentHashMap.newKeySet();
      Set<Long> received = ConcurrentHashMap.newKeySet();
      AtomicInteger producing = new AtomicInteger(producers);
      afterChecks.add(
          () -> {
            Long v;
            while ((v = ch.receiver().tryReceive()) != null) {
              if (!received.add(v)) {
                violations.add("value " + v + " received twice");
              }
            }
            for (Long s : sent) {
              if (!received.contains(s)) {
                violations.add("value " + s + " was sent and lost");
              }
            }
            for (Long g : received) {
              if (!attempted.contains(g)) {
                violations.add("value " + g + " received but never sent");
              }
            }
          });
      return group -> {
        for (int p = 0; p < producers; p++) {
          group.go(
              s ->
                  counted(
                      () -> {
                        try {
                          for (int i = 0; i < perProducer; i++) {
                            long v = ids.incrementAndGet();
                            attempted.add(v);
                            ch.sender().send(s, v);
                            sent.add(v);
                          }
                        } finally {
                          if (producing.decrementAndGet() == 0) {
                            ch.sender().close();
                          }
                        }
                      }));
        }
        for (int c = 0; c < consumers; c++) {
          group.go(
              s ->
                  counted(
                      () -> {
                        Long v;
                        while ((v = ch.receiver().receive(s)) != null) {
                          if (!received.add(v)) {
                            violations.add("value " + v + " received twice");
                          }
                        }
                      }));
        }
      };
    }

    /** A nested worker pool fed by one task, awaited by it; some jobs fail. */
    private Component pool(SplittableRandom r) {
      int workers = 1 + r.nextInt(3);
      int capacity = r.nextInt(4);
      int jobs = r.nextInt(100);
      int failAt = r.nextInt(4) == 0 ? r.nextInt(jobs + 1) : -1;
      Set<Long> submitted = ConcurrentHashMap.newKeySet();
      Set<Long> attempted = ConcurrentHashMap.newKeySet();
      Set<Long> processed = ConcurrentHashMap.newKeySet();
      AtomicInteger awaited = new AtomicInteger();
      afterChecks.add(
          () -> {
            for (Long p : processed) {
              if (!attempted.contains(p)) {
                violations.add("job " + p + " processed but never submitted");
              }
            }
            if (awaited.get() == 1 && !processed.containsAll(submitted)) {
              violations.add("an awaited pool lost jobs");
            }
          });
      return group ->
          group.go(
              s ->
                  counted(
                      () -> {
                        try (WorkerPool<Long> pool =
                            WorkerPool.<Long>open(
                                    s,
                                    (ps, job) -> {
                                      if (!processed.add(job)) {
                                        violations.add("job " + job + " processed twice");
                                      }
                                      if (job == failAt) {
                                        throw raise(new IllegalStateException("job failed"));
                                      }
                                    })
                                .withLimit(workers)
                                .withCapacity(capacity)) {
                          for (long j = 0; j < jobs; j++) {
                            attempted.add(j);
                            pool.go(j);
                            submitted.add(j);
                          }
                          pool.await();
                          awaited.set(1);
                        }
                      }));
    }

    /** A scheduled action, stopped by its task; it must not run once close() returned. */
    private Component ticker(SplittableRandom r) {
      AtomicInteger runs = new AtomicInteger();
      long period = 1L + r.nextInt(500_000);
      return group ->
          group.go(
              s ->
                  counted(
                      () -> {
                        CancelScope ticks =
                            Ticker.open(s, Duration.ofNanos(period), runs::incrementAndGet);
                        try {
                          s.sleep(Duration.ofNanos(r.nextInt(3_000_000)));
                        } finally {
                          ticks.close();
                          int atClose = runs.get();
                          // The promise holds once the cancellation returned: exactly when this
                          // close() was the cancellation (not a parent's, still under way).
                          boolean closedHere =
                              ticks.cause().orElseThrow().getMessage().equals("scope closed");
                          afterChecks.add(
                              () -> {
                                if (closedHere && runs.get() != atClose) {
                                  violations.add("a scheduled action ran after close() returned");
                                }
                              });
                        }
                      }));
    }

    /** A nested group in a task, with failing and blocking tasks of its own. */
    private Component nested(SplittableRandom r) {
      int tasks = 1 + r.nextInt(5);
      boolean failing = r.nextBoolean();
      SplittableRandom failure = r.split();
      return group ->
          group.go(
              s ->
                  counted(
                      () -> {
                        try (TaskGroup inner = TaskGroup.open(s)) {
                          for (int i = 0; i < tasks; i++) {
                            int id = i;
                            inner.go(
                                is ->
                                    counted(
                                        () -> {
                                          if (failing && id == 0) {
                                            fail(is, failure);
                                          }
                                          block(is, id % 4);
                                        }));
                          }
                          inner.await();
                        }
                      }));
    }

    private void check() throws InterruptedException {
      for (Runnable c : afterChecks) {
        c.run();
      }
      if (running.get() != 0) {
        violations.add(running.get() + " tasks still running after the group ended");
      }
      Throwable out = outcome.get();
      Set<Throwable> reported = Collections.newSetFromMap(new IdentityHashMap<>());
      collect(out, reported);
      for (Throwable e : raised) {
        if (!reported.contains(e)) {
          violations.add("failure lost: " + e + " (outcome " + out + ")");
        }
      }
      if (raised.stream().anyMatch(e -> e instanceof StressError)
          && !(out instanceof StressError)
          && !(out instanceof InterruptedException)) {
        violations.add("an Error did not win: " + out);
      }
      String busy = busyPoolThreads();
      if (busy != null) {
        violations.add(busy);
      }
      if (!violations.isEmpty()) {
        AssertionError e = new AssertionError(String.join("\n", violations));
        if (out != null) {
          e.addSuppressed(out);
        }
        throw e;
      }
    }

    private static void collect(@Nullable Throwable t, Set<Throwable> into) {
      if (t == null || !into.add(t)) {
        return;
      }
      collect(t.getCause(), into);
      for (Throwable s : t.getSuppressed()) {
        collect(s, into);
      }
    }
  }

  /** Returns a description of the runtime's pool threads that stay busy (not idle) for 2 s. */
  private static @Nullable String busyPoolThreads() throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (true) {
      StringBuilder busy = new StringBuilder();
      for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
        if (e.getKey().getName().startsWith("tether-task-") && !idle(e.getValue())) {
          busy.append("busy runtime thread ").append(e.getKey()).append('\n');
        }
      }
      if (busy.length() == 0) {
        return null;
      }
      if (System.nanoTime() > end) {
        return busy.toString();
      }
      Thread.sleep(5);
    }
  }

  private static boolean idle(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      if (frame.getMethodName().equals("getTask")) {
        return true;
      }
    }
    return stack.length == 0; // starting or ending
  }

  private static String stacks() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      String name = e.getKey().getName();
      if (name.startsWith("tether-") || name.startsWith("stress-")) {
        sb.append('"').append(name).append("\" ").append(e.getKey().getState()).append('\n');
        for (StackTraceElement f : e.getValue()) {
          sb.append("    at ").append(f).append('\n');
        }
      }
    }
    return sb.toString();
  }
}
