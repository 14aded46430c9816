package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The documented promises that an independent probe found broken (issue 15), each with a test that
 * failed on the code before the fix.
 */
@Timeout(60)
class PromiseRegressionTest {
  private static final int DEPTH = 100_000;

  private static List<CancelScope> chain(CancelScope top) {
    List<CancelScope> scopes = new ArrayList<>(DEPTH + 1);
    scopes.add(top);
    CancelScope s = top;
    for (int i = 0; i < DEPTH; i++) {
      s = s.withCancel();
      scopes.add(s);
    }
    return scopes;
  }

  @Test
  void cancelOfA100000DeepChainCancelsEveryScope() {
    CancelScope top = CancelScope.root().withCancel();
    List<CancelScope> scopes = chain(top);
    IllegalStateException why = new IllegalStateException("stop");
    top.cancel(why); // no StackOverflowError
    for (CancelScope s : scopes) {
      assertSame(why, s.cause().orElse(null));
    }
  }

  @Test
  void deadlineOfA100000DeepChainCancelsEveryScope() throws InterruptedException {
    // Building the chain took 3 s at a load average of 21 on 2 vCPUs: leave it time enough.
    CancelScope top = CancelScope.root().withTimeout(Duration.ofSeconds(5));
    List<CancelScope> scopes = chain(top);
    CancelScope bottom = scopes.get(DEPTH);
    assertFalse(bottom.isCancelled(), "the chain must be built before the deadline");
    CountDownLatch cancelled = new CountDownLatch(1);
    var unused = bottom.onCancel(cancelled::countDown);
    assertTrue(cancelled.await(20, TimeUnit.SECONDS), "the deadline never reached the bottom");
    for (CancelScope s : scopes) {
      assertInstanceOf(DeadlineExceededException.class, s.cause().orElse(null));
    }
  }

  /** A task that blocks in one of the scope's helpers, or in a channel, until cancelled. */
  interface Blocker {
    void block(CancelScope scope) throws Exception;
  }

  private static final List<Blocker> BLOCKERS =
      List.of(
          s -> s.take(new LinkedBlockingQueue<>()),
          s -> s.poll(new LinkedBlockingQueue<>(), Duration.ofMinutes(5)),
          s -> s.waitFor(new CountDownLatch(1)),
          s -> s.waitFor(new CountDownLatch(1), Duration.ofMinutes(5)),
          s -> {
            BlockingQueue<String> full = new ArrayBlockingQueue<>(1);
            full.add("x");
            s.put(full, "y");
          },
          s -> s.get(new CompletableFuture<>()),
          s -> s.get(new CompletableFuture<>(), Duration.ofMinutes(5)),
          s -> Channel.<String>open(1).receiver().receive(s),
          s -> {
            Channel<String> full = Channel.open(1);
            full.sender().send(s, "x");
            full.sender().send(s, "y");
          },
          s -> Channel.<String>open(0).receiver().receive(s),
          s -> Channel.<String>open(0).sender().send(s, "x"),
          s -> s.sleep(Duration.ofMinutes(5)));

  @Test
  void tenThousandCancelledBlockedHelpersAllReportTheCancellationWithItsCause()
      throws InterruptedException {
    int rounds = 50;
    int tasks = 200;
    SplittableRandom random = new SplittableRandom(15);
    for (int round = 0; round < rounds; round++) {
      ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
      AtomicInteger entered = new AtomicInteger();
      IllegalStateException boom = new IllegalStateException("boom " + round);
      try (TaskGroup group = TaskGroup.open()) {
        for (int i = 0; i < tasks; i++) {
          Blocker blocker = BLOCKERS.get(random.nextInt(BLOCKERS.size()));
          group.go(
              s -> {
                entered.incrementAndGet();
                try {
                  blocker.block(s);
                  outcomes.add(new AssertionError("returned normally"));
                } catch (Throwable e) {
                  outcomes.add(e);
                  throw e;
                }
              });
        }
        while (entered.get() < tasks) {
          Thread.sleep(1);
        }
        group.go(
            s -> {
              throw boom;
            });
        assertSame(boom, assertThrows(IllegalStateException.class, group::await));
      }
      assertEquals(tasks, outcomes.size());
      for (Throwable e : outcomes) {
        CancellationException c =
            assertInstanceOf(CancellationException.class, e, "round " + round + ": " + e);
        assertSame(boom, c.getCause(), "round " + round);
      }
    }
  }

  @Test
  void tryGoAfterAwaitOrCloseThrows() throws InterruptedException {
    WorkerPool<String> awaited =
        WorkerPool.<String>open(CancelScope.root(), (s, j) -> {}).withLimit(1).withCapacity(4);
    awaited.await();
    assertThrows(IllegalStateException.class, () -> awaited.tryGo("x"));
    assertThrows(IllegalStateException.class, () -> awaited.go("x"));
    WorkerPool<String> closed =
        WorkerPool.<String>open(CancelScope.root(), (s, j) -> {}).withLimit(1).withCapacity(4);
    closed.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> closed.tryGo("x"));
    assertFalse(e instanceof CancellationException, "closed, not cancelled: " + e);
  }

  @Test
  void noScheduledActionStartsAfterTheCancellationReturned() throws InterruptedException {
    AtomicInteger late = new AtomicInteger();
    for (int i = 0; i < 10_000; i++) {
      AtomicBoolean returned = new AtomicBoolean();
      CountDownLatch ran = new CountDownLatch(1);
      CancelScope ticker =
          Ticker.open(
              CancelScope.root(),
              Duration.ofNanos(1),
              () -> {
                if (returned.get()) {
                  late.incrementAndGet();
                }
                ran.countDown();
              });
      if (i % 2 == 0) { // cancel while it runs back to back; else (mostly) before its first run
        assertTrue(ran.await(10, TimeUnit.SECONDS));
      }
      ticker.cancel();
      returned.set(true);
    }
    Thread.sleep(10);
    assertEquals(0, late.get(), "actions started after cancel() returned");
  }

  @Test
  void anyLimitAtLeastOneIsAccepted() throws InterruptedException {
    AtomicInteger ran = new AtomicInteger();
    try (TaskGroup group = TaskGroup.open().withLimit(Integer.MAX_VALUE)) {
      for (int i = 0; i < 100; i++) {
        group.go(s -> ran.incrementAndGet());
      }
      group.await();
    }
    assertEquals(100, ran.get());
    try (ResultGroup<Integer> group = ResultGroup.<Integer>open().withLimit(Integer.MAX_VALUE)) {
      group.go(s -> 1);
      assertEquals(List.of(1), group.await());
    }
  }

  @Test
  void aHugeChannelCapacityIsOnlyABound() throws InterruptedException {
    for (int capacity : new int[] {Integer.MAX_VALUE - 1, Integer.MAX_VALUE}) {
      Channel<Integer> ch = Channel.open(capacity); // no OutOfMemoryError
      assertEquals(capacity, ch.capacity());
      for (int i = 0; i < 1000; i++) {
        ch.sender().send(CancelScope.root(), i);
      }
      for (int i = 0; i < 1000; i++) {
        assertEquals(i, ch.receiver().receive(CancelScope.root()));
      }
    }
  }

  @Test
  void theGrowingBufferKeepsOrderAcrossTheWrapAndStopsAtCapacity() throws InterruptedException {
    Channel<Integer> ch = Channel.open(100);
    int next = 0;
    int expected = 0;
    for (int i = 0; i < 10; i++) {
      assertTrue(ch.sender().trySend(next++));
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(expected++, ch.receiver().tryReceive());
    }
    while (ch.sender().trySend(next)) { // grows with the head in the middle of the ring
      next++;
    }
    assertEquals(105, next, "capacity 100 holds 100 values");
    Integer v;
    while ((v = ch.receiver().tryReceive()) != null) {
      assertEquals(expected++, v);
    }
    assertEquals(next, expected);
  }

  @Test
  void aCancelledStageClosesItsOutputAsTheClassDocumentationSays() throws InterruptedException {
    for (boolean beforeTheStage : new boolean[] {true, false}) {
      try (TaskGroup group = TaskGroup.open()) {
        Channel<Integer> in = Channel.open(1);
        if (beforeTheStage) {
          group.scope().cancel(); // its workers never run
        }
        Channel.Receiver<Integer> source =
            Pipeline.source(group, 1, (s, out) -> s.sleep(Duration.ofMinutes(1)));
        Channel.Receiver<Integer> out = Pipeline.map(group, in.receiver(), 2, 1, (s, v) -> v);
        group.scope().cancel();
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!out.isClosed() || !source.isClosed()) {
          assertTrue(System.nanoTime() < bound, "a cancelled stage never closed its output");
          Thread.sleep(1);
        }
        assertThrows(CancellationException.class, () -> out.receive(group.scope()));
        assertThrows(CancellationException.class, group::await);
      }
    }
  }
}
