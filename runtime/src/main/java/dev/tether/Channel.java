package dev.tether;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, closable queue with separate {@linkplain Sender send} and {@linkplain Receiver
 * receive} views: Go's {@code chan} for Java 17+.
 *
 * <pre>{@code
 * Channel<Order> orders = Channel.open(16);
 * group.go(s -> {
 *   try (Channel.Sender<Order> out = orders.sender()) { // the sender closes
 *     for (Order o : fetch(s)) {
 *       out.send(s, o); // blocks while 16 orders wait
 *     }
 *   }
 * });
 * for (Order o : orders.receiver().values(group.scope())) { // ends when closed and drained
 *   ship(o);
 * }
 * }</pre>
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>Only the {@link Sender} can {@link Sender#close() close}: a {@link Receiver} has no {@code
 *       close()}, so closing from the receiving side does not compile (Go's {@code <-chan}). Hand
 *       each side of the program only the view it needs.
 *   <li>{@link Sender#send} blocks while the buffer is full; with capacity 0 it blocks until a
 *       receiver has taken the value (a hand-off).
 *   <li>Sending on a closed channel throws {@link IllegalStateException}.
 *   <li>After {@link Sender#close()}, receivers still get every value that was sent, then {@link
 *       Receiver#receive} returns {@code null} ("closed") forever.
 *   <li>Every blocking method takes a {@link CancelScope} and throws {@link CancellationException}
 *       as soon as that scope is cancelled, like the scope's own {@linkplain CancelScope#sleep
 *       blocking helpers}; a value whose send was cancelled was not sent. {@link
 *       InterruptedException} leaves the thread's interrupt status set.
 *   <li>Values are never null, so that {@code null} can mean "closed".
 * </ul>
 *
 * <p>A channel is thread-safe: any number of threads may send and receive at once. Values are
 * delivered in the order they were sent; each value reaches exactly one receiver.
 *
 * <p>Memory consistency effects: as with a {@link java.util.concurrent.BlockingQueue}, actions in a
 * thread before it sends a value happen-before the actions that follow the receipt of that value in
 * the receiving thread, and actions before {@link Sender#close()} happen-before a receive that
 * reports the channel closed.
 *
 * @param <E> the type of the values
 */
public final class Channel<E> {

  /**
   * The sending side of a {@link Channel}: the only side that can {@link #close()} it.
   *
   * @param <E> the type of the values
   */
  public interface Sender<E> extends AutoCloseable {
    /**
     * Sends {@code value}, waiting while the buffer is full (or, with capacity 0, until a receiver
     * has taken it).
     *
     * @throws IllegalStateException if the channel is (or, while waiting, becomes) closed; the
     *     value was not sent
     * @throws CancellationException if {@code scope} is (or becomes) cancelled; the value was not
     *     sent; its cause is the scope's cause
     * @throws InterruptedException if the thread is interrupted; the value was not sent and the
     *     interrupt status stays set
     */
    void send(CancelScope scope, E value) throws InterruptedException;

    /**
     * Sends {@code value} if that needs no waiting: if the buffer has room or, with capacity 0, if
     * a receiver is waiting.
     *
     * @return true if the value was sent
     * @throws IllegalStateException if the channel is closed
     */
    boolean trySend(E value);

    /**
     * Closes the channel: later sends throw, and receivers get the values already sent and then
     * {@code null}. Idempotent.
     */
    @Override
    void close();
  }

  /**
   * The receiving side of a {@link Channel}. It cannot close the channel.
   *
   * <p>{@link #iterator()} (a plain {@code for} loop) is {@code values(CancelScope.root())}.
   *
   * @param <E> the type of the values
   */
  public interface Receiver<E> extends Iterable<E> {
    /**
     * Takes the next value, waiting until one is sent or the channel is closed.
     *
     * @return the value, or {@code null} if the channel is closed and every value was received
     * @throws CancellationException if {@code scope} is (or becomes) cancelled; its cause is the
     *     scope's cause
     * @throws InterruptedException if the thread is interrupted; the interrupt status stays set
     */
    @Nullable E receive(CancelScope scope) throws InterruptedException;

    /**
     * Takes the next value if one is ready.
     *
     * @return the value, or {@code null} if none is ready (see {@link #isClosed()} to tell "not
     *     yet" from "never")
     */
    @Nullable E tryReceive();

    /** Returns true if the channel is closed and every value was received. */
    boolean isClosed();

    /**
     * Returns the values as they arrive, until the channel is closed and drained: Go's {@code for v
     * := range ch}. {@link Iterator#hasNext()} blocks like {@link #receive}; since it cannot throw
     * {@link InterruptedException}, an interrupt ends the wait with a {@link CancellationException}
     * caused by the {@link InterruptedException}, and the interrupt status stays set.
     *
     * @throws CancellationException from {@code hasNext()} if {@code scope} is (or becomes)
     *     cancelled
     */
    Iterable<E> values(CancelScope scope);

    @Override
    default Iterator<E> iterator() {
      return values(CancelScope.root()).iterator();
    }
  }

  private final int capacity;

  /**
   * The ring buffer of a buffered channel, grown on demand up to {@code capacity} (so that a large
   * bound costs nothing until it is used); empty for a hand-off channel. Guarded by lock.
   */
  private @Nullable Object[] items;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();

  private final SenderView sender = new SenderView();
  private final ReceiverView receiver = new ReceiverView();

  // All guarded by lock.
  private int head;
  private int count;

  /** Written under the lock; read without it by parked hand-off waiters. */
  private volatile boolean closed;

  /**
   * Hand-off only: the parked senders, or the parked receivers (never both), in arrival order. A
   * sender that finds a parked receiver gives it the value directly and returns; a receiver that
   * finds a parked sender takes its value and releases it: one wake-up per value.
   */
  private final ArrayDeque<Waiter> senders = new ArrayDeque<>();

  private final ArrayDeque<Waiter> receivers = new ArrayDeque<>();

  /** A thread parked in a hand-off {@code send} or {@code receive}. */
  private static final class Waiter {
    final Thread thread = Thread.currentThread();

    /** A sender's value; the value a receiver was given. */
    volatile @Nullable Object item;

    /** Set, under the lock, once the value has changed hands. */
    volatile boolean done;

    Waiter(@Nullable Object item) {
      this.item = item;
    }
  }

  private static final int INITIAL_BUFFER = 16;

  /** The largest array most JVMs allocate. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private Channel(int capacity) {
    this.capacity = capacity;
    this.items = new Object[Math.min(capacity, INITIAL_BUFFER)];
  }

  /**
   * Creates a channel that buffers up to {@code capacity} values.
   *
   * <p>The buffer is allocated as it fills, not up front: a large capacity is only a bound.
   *
   * @param capacity 0 for a hand-off channel, in which every send waits for a receiver
   * @throws IllegalArgumentException if {@code capacity < 0}
   */
  public static <E> Channel<E> open(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be at least 0: " + capacity);
    }
    return new Channel<>(capacity);
  }

  /** Returns the send view: give it to the code that produces the values and closes. */
  public Sender<E> sender() {
    return sender;
  }

  /** Returns the receive view: give it to the code that consumes the values. */
  public Receiver<E> receiver() {
    return receiver;
  }

  /** Returns how many values the channel buffers; 0 for a hand-off channel. */
  public int capacity() {
    return capacity;
  }

  // ---------------------------------------------------------------------------------------------

  /** Wakes every waiter of this channel so that it rechecks its scope; a cancellation callback. */
  private void wakeAll() {
    lock.lock();
    try {
      notEmpty.signalAll();
      notFull.signalAll();
      for (Waiter w : senders) {
        LockSupport.unpark(w.thread);
      }
      for (Waiter w : receivers) {
        LockSupport.unpark(w.thread);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Registers the wake-up before waiting, or throws if cancelled; null for the root scope, which is
   * never cancelled.
   */
  private CancelScope.@Nullable Registration arm(CancelScope scope) {
    if (scope == CancelScope.root()) {
      return null;
    }
    scope.throwIfCancelled();
    return scope.onCancel(this::wakeAll); // runs at once (re-entrantly) if cancelled meanwhile
  }

  private static void disarm(CancelScope.@Nullable Registration registration) {
    if (registration != null) {
      registration.remove();
    }
  }

  private void lockInterruptibly(CancelScope scope) throws InterruptedException {
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      throw scope.interruptedWhileWaiting(e);
    }
  }

  private static IllegalStateException closedException() {
    return new IllegalStateException("send on a closed channel");
  }

  private static InterruptedException interrupted() {
    return new InterruptedException("interrupted (the interrupt status stays set)");
  }

  // Buffered channels: a ring buffer and two conditions, as in ArrayBlockingQueue.

  private void enqueue(E value) {
    Object[] a = items;
    if (count == a.length) {
      a = grow(a);
    }
    int tail = head + count;
    if (tail >= a.length) {
      tail -= a.length;
    }
    a[tail] = value;
    count++;
    notEmpty.signal();
  }

  /** Doubles the ring buffer (at most to {@code capacity}), unrolling it to start at 0. */
  private @Nullable Object[] grow(@Nullable Object[] a) {
    int length = (int) Math.min(Math.min((long) a.length * 2, capacity), MAX_ARRAY);
    if (length <= a.length) {
      throw new OutOfMemoryError("channel buffer cannot grow past " + a.length);
    }
    @Nullable Object[] bigger = new Object[length];
    int first = Math.min(count, a.length - head);
    System.arraycopy(a, head, bigger, 0, first);
    System.arraycopy(a, 0, bigger, first, count - first);
    head = 0;
    items = bigger;
    return bigger;
  }

  private E dequeue() {
    Object[] a = items;
    @SuppressWarnings("unchecked") // only enqueue(E) writes
    E value = (E) Objects.requireNonNull(a[head]);
    a[head] = null;
    if (++head == a.length) {
      head = 0;
    }
    count--;
    notFull.signal();
    return value;
  }

  private void send(CancelScope scope, E value) throws InterruptedException {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(value, "value");
    scope.throwIfCancelled();
    if (capacity == 0) {
      handOff(scope, value);
      return;
    }
    lockInterruptibly(scope);
    CancelScope.Registration registration = null;
    boolean armed = false;
    try {
      if (closed) {
        throw closedException();
      }
      while (count == capacity) {
        if (!armed) {
          registration = arm(scope);
          armed = true;
        }
        scope.throwIfCancelled(); // only while there is no room, so no signal is lost
        notFull.await();
        if (closed) {
          throw closedException();
        }
      }
      enqueue(value);
    } catch (InterruptedException e) {
      throw scope.interruptedWhileWaiting(e); // a cancelled scope wins over its group's interrupt
    } finally {
      lock.unlock();
      disarm(registration);
    }
  }

  private @Nullable E receive(CancelScope scope) throws InterruptedException {
    Objects.requireNonNull(scope, "scope");
    scope.throwIfCancelled();
    if (capacity == 0) {
      return takeHandOff(scope);
    }
    lockInterruptibly(scope);
    CancelScope.Registration registration = null;
    boolean armed = false;
    try {
      while (count == 0) {
        scope.throwIfCancelled(); // before "closed": a stage closes its output after cancellation
        if (closed) {
          return null;
        }
        if (!armed) {
          registration = arm(scope);
          armed = true;
        }
        notEmpty.await();
      }
      return dequeue();
    } catch (InterruptedException e) {
      throw scope.interruptedWhileWaiting(e); // a cancelled scope wins over its group's interrupt
    } finally {
      lock.unlock();
      disarm(registration);
    }
  }

  // Hand-off channels: a dual queue of parked threads.

  private void handOff(CancelScope scope, E value) throws InterruptedException {
    Waiter me;
    lockInterruptibly(scope);
    try {
      if (closed) {
        throw closedException();
      }
      Waiter r = receivers.pollFirst();
      if (r != null) {
        r.item = value;
        r.done = true;
        LockSupport.unpark(r.thread);
        return;
      }
      me = new Waiter(value);
      senders.addLast(me);
    } finally {
      lock.unlock();
    }
    park(scope, me, senders);
  }

  private @Nullable E takeHandOff(CancelScope scope) throws InterruptedException {
    Waiter me;
    lockInterruptibly(scope);
    try {
      Waiter s = senders.pollFirst();
      if (s != null) {
        return release(s);
      }
      if (closed) {
        return null;
      }
      me = new Waiter(null);
      receivers.addLast(me);
    } finally {
      lock.unlock();
    }
    if (!park(scope, me, receivers)) {
      return null;
    }
    @SuppressWarnings("unchecked") // only send(E) hands values
    E value = (E) Objects.requireNonNull(me.item);
    return value;
  }

  /** Takes a parked sender's value and lets it return; the lock is held. */
  private E release(Waiter s) {
    @SuppressWarnings("unchecked") // only send(E) parks values
    E value = (E) Objects.requireNonNull(s.item);
    s.item = null;
    s.done = true;
    LockSupport.unpark(s.thread);
    return value;
  }

  /**
   * Parks until {@code me} is done, or leaves {@code queue} and throws (or, for a receiver of a
   * closed channel, returns false) if it is cancelled, interrupted or closed first.
   */
  @SuppressWarnings({
    "ReferenceEquality", // which of the two queues: identity is the question
    "ThreadPriorityCheck" // one yield before parking, as SynchronousQueue does
  })
  private boolean park(CancelScope scope, Waiter me, ArrayDeque<Waiter> queue)
      throws InterruptedException {
    if (me.done) {
      return true;
    }
    CancelScope.Registration registration = arm0(scope);
    try {
      if (!me.done) {
        // Yield once before parking, as SynchronousQueue does when it finds no partner: the partner
        // is often about to arrive (the receiver of the previous value, on its way back), and a
        // value that changes hands meanwhile costs no park and no unpark. Not a spin: on a busy
        // machine the CPU goes to whoever needs it.
        Thread.yield();
      }
      Thread thread = me.thread;
      while (!me.done) {
        if (scope.isCancelled() || thread.isInterrupted() || closed) {
          lock.lock();
          try {
            if (me.done) {
              return true; // the value changed hands first: the transfer stands
            }
            queue.remove(me);
          } finally {
            lock.unlock();
          }
          scope.throwIfCancelled();
          if (thread.isInterrupted()) {
            throw scope.interruptedWhileWaiting(interrupted());
          }
          if (queue == senders) {
            throw closedException();
          }
          return false;
        }
        LockSupport.park(this);
      }
      return true;
    } finally {
      disarm(registration);
    }
  }

  /** Like {@link #arm} but never throws: the caller checks the scope itself. */
  private CancelScope.@Nullable Registration arm0(CancelScope scope) {
    return scope == CancelScope.root() ? null : scope.onCancel(this::wakeAll);
  }

  private boolean trySend(E value) {
    Objects.requireNonNull(value, "value");
    lock.lock();
    try {
      if (closed) {
        throw closedException();
      }
      if (capacity == 0) {
        Waiter r = receivers.pollFirst();
        if (r == null) {
          return false;
        }
        r.item = value;
        r.done = true;
        LockSupport.unpark(r.thread);
        return true;
      }
      if (count < capacity) {
        enqueue(value);
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  private @Nullable E tryReceive() {
    lock.lock();
    try {
      if (capacity == 0) {
        Waiter s = senders.pollFirst();
        return s == null ? null : release(s);
      }
      return count == 0 ? null : dequeue();
    } finally {
      lock.unlock();
    }
  }

  private void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        notEmpty.signalAll();
        notFull.signalAll();
        for (Waiter w : senders) {
          LockSupport.unpark(w.thread);
        }
        for (Waiter w : receivers) {
          LockSupport.unpark(w.thread);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean isDrained() {
    lock.lock();
    try {
      return closed && count == 0 && senders.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "Channel["
          + (capacity == 0 ? senders.size() + " senders waiting, hand-off" : count + "/" + capacity)
          + (closed ? ", closed" : "")
          + "]";
    } finally {
      lock.unlock();
    }
  }

  private final class SenderView implements Sender<E> {
    @Override
    public void send(CancelScope scope, E value) throws InterruptedException {
      Channel.this.send(scope, value);
    }

    @Override
    public boolean trySend(E value) {
      return Channel.this.trySend(value);
    }

    @Override
    public void close() {
      Channel.this.close();
    }

    @Override
    public String toString() {
      return "Sender of " + Channel.this;
    }
  }

  private final class ReceiverView implements Receiver<E> {
    @Override
    public @Nullable E receive(CancelScope scope) throws InterruptedException {
      return Channel.this.receive(scope);
    }

    @Override
    public @Nullable E tryReceive() {
      return Channel.this.tryReceive();
    }

    @Override
    public boolean isClosed() {
      return isDrained();
    }

    @Override
    public Iterable<E> values(CancelScope scope) {
      Objects.requireNonNull(scope, "scope");
      return () -> new Values(scope);
    }

    @Override
    public String toString() {
      return "Receiver of " + Channel.this;
    }
  }

  private final class Values implements Iterator<E> {
    private final CancelScope scope;
    private @Nullable E next;
    private boolean done;

    Values(CancelScope scope) {
      this.scope = scope;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (done) {
        return false;
      }
      try {
        next = receive(scope);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        CancellationException c = new CancellationException("interrupted while receiving");
        c.initCause(e);
        throw c;
      }
      if (next == null) {
        done = true;
        return false;
      }
      return true;
    }

    @Override
    public E next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      E value = Objects.requireNonNull(next);
      next = null;
      return value;
    }
  }
}
