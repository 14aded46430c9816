package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TickerTest {

  /** A ticker on a fake clock, with origin 0 and period 10 ns. */
  private static Ticker fake(AtomicLong now) {
    now.set(0);
    return new Ticker(now::get, 10);
  }

  @Test
  void ticksOnAFixedGridAndDropsMissedTicks() {
    AtomicLong now = new AtomicLong();
    Ticker t = fake(now);
    now.set(9);
    assertFalse(t.tryTick(), "never early");
    now.set(10);
    assertTrue(t.tryTick());
    assertFalse(t.tryTick(), "one tick per grid point");
    now.set(47); // ticks 20, 30, 40 were missed while the consumer was busy
    assertTrue(t.tryTick(), "one pending tick is delivered at once");
    assertFalse(t.tryTick(), "the other missed ticks are dropped, not queued");
    now.set(49);
    assertFalse(t.tryTick());
    now.set(50);
    assertTrue(t.tryTick(), "back on the original grid: no drift");
    now.set(61);
    assertTrue(t.tryTick());
  }

  @Test
  void resetStartsANewGridAndDropsTheStaleTick() {
    AtomicLong now = new AtomicLong();
    Ticker t = fake(now);
    now.set(25); // tick 10 (and 20) pending
    t.reset(Duration.ofNanos(100));
    assertFalse(t.tryTick(), "no stale tick after reset");
    now.set(124);
    assertFalse(t.tryTick());
    now.set(125);
    assertTrue(t.tryTick());
    assertEquals(Duration.ofNanos(100), t.period());
  }

  @Test
  void closeDropsThePendingTickForGood() throws InterruptedException {
    AtomicLong now = new AtomicLong();
    Ticker t = fake(now);
    now.set(15);
    t.close();
    assertFalse(t.tryTick(), "no stale tick after close");
    assertFalse(t.tick(CancelScope.root()), "tick returns false at once when closed");
    assertThrows(IllegalStateException.class, () -> t.reset(Duration.ofNanos(10)));
    now.set(25);
    assertFalse(t.tryTick(), "closed for good");
    t.close(); // idempotent
  }

  @Test
  void awaitTicksNeverEarly() throws InterruptedException {
    long start = System.nanoTime();
    try (Ticker t = Ticker.open(Duration.ofMillis(5))) {
      for (int k = 1; k <= 5; k++) {
        assertTrue(t.tick(CancelScope.root()));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(5) * k, "tick " + k);
      }
    }
  }

  @Test
  void awaitReturnsFalseOnceTheScopeIsCancelled() throws Exception {
    CancelScope scope = CancelScope.root().withCancel();
    try (Ticker t = Ticker.open(Duration.ofHours(1))) {
      AtomicReference<@Nullable Boolean> result = new AtomicReference<>();
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      Thread consumer = ChannelTest.spawn("consumer", () -> result.set(t.tick(scope)), failure);
      ChannelTest.awaitBlocked(consumer);
      scope.cancel();
      consumer.join();
      assertNull(failure.get());
      assertEquals(false, result.get());
      assertFalse(t.tick(scope), "already cancelled: no wait");
    }
    assertEquals(0, scope.listenerCount());
  }

  @Test
  void closeWakesAWaitingConsumer() throws Exception {
    Ticker t = Ticker.open(Duration.ofHours(1));
    AtomicReference<@Nullable Boolean> result = new AtomicReference<>();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread consumer =
        ChannelTest.spawn("consumer", () -> result.set(t.tick(CancelScope.root())), failure);
    ChannelTest.awaitBlocked(consumer);
    t.close();
    consumer.join();
    assertEquals(false, result.get());
  }

  @Test
  void resetWakesAWaitingConsumerOntoTheNewGrid() throws Exception {
    try (Ticker t = Ticker.open(Duration.ofHours(1))) {
      AtomicReference<@Nullable Boolean> result = new AtomicReference<>();
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      Thread consumer =
          ChannelTest.spawn("consumer", () -> result.set(t.tick(CancelScope.root())), failure);
      ChannelTest.awaitBlocked(consumer);
      t.reset(Duration.ofMillis(1));
      consumer.join();
      assertEquals(true, result.get());
    }
  }

  @Test
  void oneConsumerAtATime() throws Exception {
    Ticker t = Ticker.open(Duration.ofHours(1));
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread consumer = ChannelTest.spawn("consumer", () -> t.tick(CancelScope.root()), failure);
    ChannelTest.awaitBlocked(consumer);
    assertThrows(IllegalStateException.class, () -> t.tick(CancelScope.root()));
    t.close();
    consumer.join();
  }

  @Test
  void interruptedAwaitKeepsTheFlag() {
    try (Ticker t = Ticker.open(Duration.ofHours(1))) {
      Thread.currentThread().interrupt();
      try {
        assertThrows(InterruptedException.class, () -> t.tick(CancelScope.root()));
        assertTrue(Thread.currentThread().isInterrupted());
      } finally {
        var unused = Thread.interrupted();
      }
    }
  }

  @Test
  void rejectsNonPositivePeriods() {
    assertThrows(IllegalArgumentException.class, () -> Ticker.open(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> Ticker.open(CancelScope.root(), Duration.ofMillis(-1), () -> {}));
  }

  @Test
  void awaitAllocatesNothingPerTick() throws InterruptedException {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)) {
      return; // not HotSpot: nothing to measure with
    }
    long id = Thread.currentThread().getId();
    try (CancelScope scope = CancelScope.root().withCancel();
        Ticker t = Ticker.open(Duration.ofNanos(1))) {
      for (int i = 0; i < 20_000; i++) { // warm up, bind the scope
        assertTrue(t.tick(scope));
      }
      long before = mx.getThreadAllocatedBytes(id);
      for (int i = 0; i < 20_000; i++) {
        assertTrue(t.tick(scope));
      }
      long allocated = mx.getThreadAllocatedBytes(id) - before;
      assertTrue(allocated < 20_000, "allocated " + allocated + " bytes for 20,000 ticks");
      t.reset(Duration.ofNanos(20_000)); // now every await parks
      assertTrue(t.tick(scope));
      before = mx.getThreadAllocatedBytes(id);
      for (int i = 0; i < 1_000; i++) {
        assertTrue(t.tick(scope));
      }
      allocated = mx.getThreadAllocatedBytes(id) - before;
      assertTrue(allocated < 20_000, "allocated " + allocated + " bytes for 1,000 parked ticks");
    }
  }

  @Test
  void scheduleRunsUntilCancelledAndNoActionStartsAfterwards() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch three = new CountDownLatch(3);
    CancelScope ticker =
        Ticker.open(
            CancelScope.root(),
            Duration.ofMillis(1),
            () -> {
              runs.incrementAndGet();
              three.countDown();
            });
    assertTrue(three.await(10, TimeUnit.SECONDS));
    ticker.cancel();
    int atCancel = runs.get();
    Thread.sleep(20); // twenty periods
    assertTrue(runs.get() <= atCancel + 1, "at most the one already started");
    int settled = runs.get();
    Thread.sleep(20);
    assertEquals(settled, runs.get(), "no action after cancel");
  }

  @Test
  @SuppressWarnings("LeakedScope") // the failing action is what ends this ticker
  void aFailingActionCancelsItsScopeWithTheFailure() throws InterruptedException {
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch cancelled = new CountDownLatch(1);
    CancelScope ticker =
        Ticker.open(
            CancelScope.root(),
            Duration.ofMillis(1),
            () -> {
              throw boom;
            });
    var unused = ticker.onCancel(cancelled::countDown);
    assertTrue(cancelled.await(10, TimeUnit.SECONDS));
    assertSame(boom, ticker.cause().orElseThrow());
  }

  @Test
  void parentCancellationStopsScheduledTickers() throws InterruptedException {
    CancelScope parent = CancelScope.root().withCancel();
    CountDownLatch ticked = new CountDownLatch(10);
    int before = TickScheduler.SHARED.size();
    for (int i = 0; i < 10; i++) {
      var unused = Ticker.open(parent, Duration.ofMillis(2), ticked::countDown);
    }
    assertTrue(ticked.await(10, TimeUnit.SECONDS));
    parent.cancel();
    assertTrue(TickScheduler.SHARED.size() <= before, "every entry removed");
  }
}
