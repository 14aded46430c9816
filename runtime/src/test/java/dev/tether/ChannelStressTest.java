package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many producers and consumers on one channel, with random capacities, closes and cancellations:
 * every value that a send reported as sent is received exactly once, nothing else is received, and
 * nothing hangs.
 */
@Timeout(120)
class ChannelStressTest {

  private static final int ROUNDS = 120;

  @Test
  void noLostOrDuplicatedValueAndNoHang() throws InterruptedException {
    SplittableRandom random = new SplittableRandom(42);
    for (int round = 0; round < ROUNDS; round++) {
      runRound(random.split(), round);
    }
  }

  private static void runRound(SplittableRandom random, int round) throws InterruptedException {
    int capacity = random.nextInt(4) == 0 ? 0 : random.nextInt(1, 64);
    int producers = random.nextInt(1, 6);
    int consumers = random.nextInt(1, 6);
    int perProducer = random.nextInt(100, 2_000);
    // 0: close after all sends; 1: cancel the producers' scope midway; 2: cancel everything.
    int mode = random.nextInt(3);
    Channel<Integer> ch = Channel.open(capacity);
    CancelScope all = CancelScope.root().withCancel();
    CancelScope producerScope = all.withCancel();
    ConcurrentLinkedQueue<Integer> sent = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Integer> received = new ConcurrentLinkedQueue<>();
    AtomicInteger producersLeft = new AtomicInteger(producers);
    AtomicInteger unexpected = new AtomicInteger();
    Thread[] threads = new Thread[producers + consumers];
    int cancelAfter = random.nextInt(1, producers * perProducer);
    AtomicInteger sends = new AtomicInteger();
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      threads[p] =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < perProducer; i++) {
                    Integer v = base + i;
                    try {
                      ch.sender().send(producerScope, v);
                    } catch (CancellationException e) {
                      break;
                    }
                    sent.add(v);
                    if (mode != 0 && sends.incrementAndGet() == cancelAfter) {
                      (mode == 1 ? producerScope : all).cancel();
                    }
                  }
                } catch (Throwable e) {
                  unexpected.incrementAndGet();
                  e.printStackTrace();
                } finally {
                  if (producersLeft.decrementAndGet() == 0) {
                    ch.sender().close(); // the last sender closes
                  }
                }
              },
              "producer-" + p);
    }
    for (int c = 0; c < consumers; c++) {
      boolean useIterator = random.nextBoolean();
      threads[producers + c] =
          new Thread(
              () -> {
                try {
                  if (useIterator) {
                    for (Integer v : ch.receiver().values(all)) {
                      received.add(v);
                    }
                  } else {
                    Integer v;
                    while ((v = ch.receiver().receive(all)) != null) {
                      received.add(v);
                    }
                  }
                } catch (CancellationException e) {
                  // mode 2: stop receiving
                } catch (Throwable e) {
                  unexpected.incrementAndGet();
                  e.printStackTrace();
                }
              },
              "consumer-" + c);
    }
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join(60_000);
      assertTrue(!t.isAlive(), "round " + round + ": hung: " + t.getName());
    }
    assertEquals(0, unexpected.get());
    // Whatever the consumers did not take is still buffered.
    Integer v;
    while ((v = ch.receiver().tryReceive()) != null) {
      received.add(v);
    }
    assertTrue(ch.receiver().isClosed());
    BitSet sentSet = new BitSet();
    for (int s : sent) {
      sentSet.set(s);
    }
    BitSet seen = new BitSet();
    for (int r : received) {
      assertTrue(!seen.get(r), "round " + round + ": duplicated " + r);
      seen.set(r);
    }
    assertEquals(sentSet, seen, "round " + round + " (mode " + mode + ", cap " + capacity + ")");
    if (mode == 0) {
      assertEquals(producers * perProducer, seen.cardinality());
    }
    all.close();
  }
}
