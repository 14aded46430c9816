package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ChannelTest {

  /** Runs {@code body} on a new thread; returns it started. */
  static Thread spawn(
      String name, ThrowingRunnable body, AtomicReference<@Nullable Throwable> out) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable e) {
                out.set(e);
              }
            },
            name);
    t.start();
    return t;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Waits until {@code t} is blocked (parked or waiting), with a bound. */
  static void awaitBlocked(Thread t) throws InterruptedException {
    for (int i = 0; i < 10_000; i++) {
      Thread.State s = t.getState();
      if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
        return;
      }
      Thread.sleep(1);
    }
    throw new AssertionError(t + " never blocked: " + t.getState());
  }

  @Test
  void buffersInOrderAndDrainsAfterClose() throws InterruptedException {
    Channel<Integer> ch = Channel.open(3);
    CancelScope root = CancelScope.root();
    ch.sender().send(root, 1);
    ch.sender().send(root, 2);
    assertTrue(ch.sender().trySend(3));
    assertFalse(ch.sender().trySend(4), "full");
    ch.sender().close();
    ch.sender().close(); // idempotent
    assertFalse(ch.receiver().isClosed(), "values still buffered");
    assertEquals(1, ch.receiver().receive(root));
    List<Integer> rest = new ArrayList<>();
    for (int v : ch.receiver()) {
      rest.add(v);
    }
    assertEquals(List.of(2, 3), rest);
    assertNull(ch.receiver().receive(root));
    assertNull(ch.receiver().tryReceive());
    assertTrue(ch.receiver().isClosed());
  }

  @Test
  void sendOnClosedChannelThrows() {
    Channel<String> ch = Channel.open(1);
    ch.sender().close();
    assertThrows(IllegalStateException.class, () -> ch.sender().send(CancelScope.root(), "x"));
    assertThrows(IllegalStateException.class, () -> ch.sender().trySend("x"));
  }

  @Test
  void negativeCapacityIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Channel.open(-1));
  }

  @Test
  void receiverViewCannotClose() {
    // Compile-time rule: Receiver has no close(); the views are distinct objects, not casts.
    Channel<String> ch = Channel.open(0);
    Object rx = ch.receiver();
    assertFalse(rx instanceof AutoCloseable);
    assertFalse(rx instanceof Channel.Sender);
  }

  @Test
  void senderBlocksWhenFullUntilReceive() throws Exception {
    Channel<Integer> ch = Channel.open(1);
    ch.sender().send(CancelScope.root(), 1);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    CountDownLatch sent = new CountDownLatch(1);
    Thread t =
        spawn(
            "sender",
            () -> {
              ch.sender().send(CancelScope.root(), 2);
              sent.countDown();
            },
            failure);
    awaitBlocked(t);
    assertEquals(1, sent.getCount(), "blocked while full");
    assertEquals(1, ch.receiver().receive(CancelScope.root()));
    t.join();
    assertNull(failure.get());
    assertEquals(2, ch.receiver().tryReceive());
  }

  @Test
  void handOffWaitsForReceiver() throws Exception {
    Channel<String> ch = Channel.open(0);
    assertFalse(ch.sender().trySend("x"), "no receiver waiting");
    CountDownLatch sent = new CountDownLatch(1);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread t =
        spawn(
            "sender",
            () -> {
              ch.sender().send(CancelScope.root(), "a");
              sent.countDown();
            },
            failure);
    awaitBlocked(t);
    assertEquals(1, sent.getCount(), "a hand-off send waits for a receiver");
    assertEquals("a", ch.receiver().receive(CancelScope.root()));
    t.join();
    assertNull(failure.get());
  }

  @Test
  void handOffTrySendSucceedsWithWaitingReceiver() throws Exception {
    Channel<String> ch = Channel.open(0);
    AtomicReference<@Nullable String> got = new AtomicReference<>();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread t = spawn("receiver", () -> got.set(ch.receiver().receive(CancelScope.root())), failure);
    awaitBlocked(t);
    assertTrue(ch.sender().trySend("b"));
    t.join();
    assertNull(failure.get());
    assertEquals("b", got.get());
  }

  @Test
  void cancelledHandOffSendWithdrawsTheValue() throws Exception {
    Channel<String> ch = Channel.open(0);
    CancelScope scope = CancelScope.root().withCancel();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread t = spawn("sender", () -> ch.sender().send(scope, "lost"), failure);
    awaitBlocked(t);
    scope.cancel();
    t.join();
    assertTrue(failure.get() instanceof CancellationException, String.valueOf(failure.get()));
    assertNull(ch.receiver().tryReceive(), "a cancelled send did not send");
  }

  @Test
  void closeFailsAParkedHandOffSender() throws Exception {
    Channel<String> ch = Channel.open(0);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread t = spawn("sender", () -> ch.sender().send(CancelScope.root(), "x"), failure);
    awaitBlocked(t);
    ch.sender().close();
    t.join();
    assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
    assertNull(ch.receiver().receive(CancelScope.root()), "the failed send sent nothing");
    assertTrue(ch.receiver().isClosed());
  }

  @Test
  void receiveIsCancellable() throws Exception {
    Channel<String> ch = Channel.open(2);
    CancelScope scope = CancelScope.root().withCancel();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread t = spawn("receiver", () -> ch.receiver().receive(scope), failure);
    awaitBlocked(t);
    IllegalStateException why = new IllegalStateException("stop");
    scope.cancel(why);
    t.join();
    Throwable e = failure.get();
    assertTrue(e instanceof CancellationException, String.valueOf(e));
    assertSame(why, e.getCause());
    assertEquals(0, scope.listenerCount());
  }

  @Test
  void sendIsCancellableAndDeregisters() throws Exception {
    Channel<String> ch = Channel.open(1);
    CancelScope parent = CancelScope.root().withCancel();
    ch.sender().send(parent, "full");
    try (CancelScope scope = parent.withCancel()) {
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      Thread t = spawn("sender", () -> ch.sender().send(scope, "x"), failure);
      awaitBlocked(t);
      scope.cancel();
      t.join();
      assertTrue(failure.get() instanceof CancellationException);
    }
    assertEquals("full", ch.receiver().tryReceive());
    assertNull(ch.receiver().tryReceive(), "the cancelled value was not sent");
    assertEquals(0, parent.listenerCount(), "no registration left behind");
    parent.close();
  }

  @Test
  void cancelledScopeFailsFastEvenWithRoom() {
    Channel<String> ch = Channel.open(1);
    CancelScope scope = CancelScope.root().withCancel();
    scope.cancel();
    assertThrows(CancellationException.class, () -> ch.sender().send(scope, "x"));
    assertThrows(CancellationException.class, () -> ch.receiver().receive(scope));
  }

  @Test
  void closeWakesBlockedReceiversAndSenders() throws Exception {
    Channel<String> full = Channel.open(1);
    full.sender().send(CancelScope.root(), "v");
    Channel<String> empty = Channel.open(1);
    AtomicReference<@Nullable Throwable> sendFailure = new AtomicReference<>();
    AtomicReference<@Nullable Throwable> receiveFailure = new AtomicReference<>();
    AtomicReference<@Nullable String> received = new AtomicReference<>("unset");
    Thread s = spawn("sender", () -> full.sender().send(CancelScope.root(), "w"), sendFailure);
    Thread r =
        spawn(
            "receiver",
            () -> received.set(empty.receiver().receive(CancelScope.root())),
            receiveFailure);
    awaitBlocked(s);
    awaitBlocked(r);
    full.sender().close();
    empty.sender().close();
    s.join();
    r.join();
    assertTrue(sendFailure.get() instanceof IllegalStateException);
    assertNull(receiveFailure.get());
    assertNull(received.get(), "closed");
    assertEquals("v", full.receiver().tryReceive(), "buffered values survive close");
  }

  @Test
  void interruptedReceiveKeepsTheFlag() throws Exception {
    Channel<String> ch = Channel.open(1);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>(false);
    Thread t =
        spawn(
            "receiver",
            () -> {
              try {
                ch.receiver().receive(CancelScope.root());
              } finally {
                flag.set(Thread.currentThread().isInterrupted());
              }
            },
            failure);
    awaitBlocked(t);
    t.interrupt();
    t.join();
    assertTrue(failure.get() instanceof InterruptedException);
    assertTrue(flag.get(), "the interrupt status stays set");
  }

  @Test
  void interruptedSendKeepsTheFlag() throws Exception {
    Thread.currentThread().interrupt();
    Channel<String> ch = Channel.open(0);
    try {
      assertThrows(InterruptedException.class, () -> ch.sender().send(CancelScope.root(), "x"));
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
    } finally {
      var unused = Thread.interrupted();
    }
    assertNull(ch.receiver().tryReceive());
  }

  @Test
  void iteratorTurnsInterruptIntoCancellationAndKeepsTheFlag() {
    Channel<String> ch = Channel.open(1);
    Thread.currentThread().interrupt();
    try {
      CancellationException e =
          assertThrows(CancellationException.class, () -> ch.receiver().iterator().hasNext());
      assertTrue(e.getCause() instanceof InterruptedException);
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      var unused = Thread.interrupted();
    }
  }

  @Test
  void valuesEndsWithCancellation() throws Exception {
    Channel<String> ch = Channel.open(4);
    ch.sender().send(CancelScope.root(), "a");
    try (CancelScope scope = CancelScope.root().withCancel()) {
      List<String> seen = new ArrayList<>();
      CancellationException e =
          assertThrows(
              CancellationException.class,
              () -> {
                for (String v : ch.receiver().values(scope)) {
                  seen.add(v);
                  scope.cancel();
                }
              });
      assertEquals(List.of("a"), seen);
      assertTrue(e.getCause() instanceof CancellationException);
    }
  }

  @Test
  void deadlineEndsAReceive() {
    Channel<String> ch = Channel.open(1);
    try (CancelScope scope = CancelScope.root().withTimeout(java.time.Duration.ofMillis(20))) {
      CancellationException e =
          assertThrows(CancellationException.class, () -> ch.receiver().receive(scope));
      assertTrue(e.getCause() instanceof DeadlineExceededException);
    }
  }
}
