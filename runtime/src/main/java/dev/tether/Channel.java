package dev.tether;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, closable queue with separate {@linkplain Sender send} and {@linkplain Receiver
 * receive} views: Go's {@code chan} for Java 17+.
 *
 * <pre>{@code
 * Channel<Order> orders = Channel.create(16);
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

  /** The ring buffer; one slot when {@link #capacity} is 0. */
  private final @Nullable Object[] items;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();

  /** Signalled when a value is taken; only hand-off senders wait on it. */
  private final Condition taken = lock.newCondition();

  private final SenderView sender = new SenderView();
  private final ReceiverView receiver = new ReceiverView();

  // All guarded by lock.
  private int head;
  private int count;
  private boolean closed;

  /** How many values were ever taken: a hand-off sender waits until it passes its ticket. */
  private long takes;

  /** How many values were ever put. */
  private long puts;

  /** Receivers blocked in {@link ReceiverView#receive}; for the hand-off {@code trySend}. */
  private int waitingReceivers;

  private Channel(int capacity) {
    this.capacity = capacity;
    this.items = new Object[Math.max(1, capacity)];
  }

  /**
   * Creates a channel that buffers up to {@code capacity} values.
   *
   * @param capacity 0 for a hand-off channel, in which every send waits for a receiver
   * @throws IllegalArgumentException if {@code capacity < 0}
   */
  public static <E> Channel<E> create(int capacity) {
    if (capacity < 0 || capacity == Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "capacity must be in [0, " + Integer.MAX_VALUE + "): " + capacity);
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
      taken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Called with the lock held before waiting: registers the wake-up, or throws if cancelled. */
  private CancelScope.Registration arm(CancelScope scope) {
    scope.throwIfCancelled();
    return scope.onCancel(this::wakeAll); // runs at once (re-entrantly) if cancelled meanwhile
  }

  /** Puts a value; the lock is held and there is room. Returns its ticket. */
  private long enqueue(E value) {
    Object[] a = items;
    int tail = head + count;
    if (tail >= a.length) {
      tail -= a.length;
    }
    a[tail] = value;
    count++;
    notEmpty.signal();
    return puts++;
  }

  /** Takes the head; the lock is held and the buffer is not empty. */
  private E dequeue() {
    Object[] a = items;
    @SuppressWarnings("unchecked") // only enqueue(E) writes
    E value = (E) Objects.requireNonNull(a[head]);
    a[head] = null;
    if (++head == a.length) {
      head = 0;
    }
    count--;
    takes++;
    if (capacity == 0) {
      taken.signalAll();
    }
    notFull.signal();
    return value;
  }

  private int room() {
    return (capacity == 0 ? 1 : capacity) - count;
  }

  private void lockInterruptibly() throws InterruptedException {
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  private static IllegalStateException closedException() {
    return new IllegalStateException("send on a closed channel");
  }

  private void send(CancelScope scope, E value) throws InterruptedException {
    Objects.requireNonNull(value, "value");
    scope.throwIfCancelled();
    lockInterruptibly();
    CancelScope.Registration registration = null;
    try {
      if (closed) {
        throw closedException();
      }
      while (room() == 0) {
        if (registration == null) {
          registration = arm(scope);
        }
        scope.throwIfCancelled(); // only while there is no room, so no signal is lost
        notFull.await();
        if (closed) {
          throw closedException();
        }
      }
      long ticket = enqueue(value);
      if (capacity == 0) {
        awaitTaken(scope, ticket, registration);
        registration = null; // removed by awaitTaken
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw e;
    } finally {
      lock.unlock();
      if (registration != null) {
        registration.remove();
      }
    }
  }

  /** A hand-off: waits until the value with {@code ticket} is taken, or withdraws it. */
  private void awaitTaken(
      CancelScope scope, long ticket, CancelScope.@Nullable Registration registration)
      throws InterruptedException {
    CancelScope.Registration r = registration;
    try {
      while (takes <= ticket) {
        if (r == null) {
          r = arm(scope);
        }
        try {
          scope.throwIfCancelled();
          taken.await();
        } catch (CancellationException | InterruptedException e) {
          if (takes <= ticket) {
            withdraw();
            throw e;
          }
          // Taken in the meantime: the send succeeded. Keep the interrupt for the caller.
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          return;
        }
      }
    } finally {
      if (r != null) {
        r.remove();
      }
    }
  }

  /** Removes the one value of a hand-off channel that nobody took. */
  private void withdraw() {
    items[head] = null;
    count = 0;
    puts--;
    notFull.signal();
  }

  private boolean trySend(E value) {
    Objects.requireNonNull(value, "value");
    lock.lock();
    try {
      if (closed) {
        throw closedException();
      }
      if (capacity == 0 ? (count == 0 && waitingReceivers > 0) : count < capacity) {
        var unused = enqueue(value);
        return true;
      }
      return false;
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
      }
    } finally {
      lock.unlock();
    }
  }

  private @Nullable E receive(CancelScope scope) throws InterruptedException {
    scope.throwIfCancelled();
    lockInterruptibly();
    CancelScope.Registration registration = null;
    try {
      while (count == 0) {
        if (closed) {
          return null;
        }
        if (registration == null) {
          registration = arm(scope);
        }
        scope.throwIfCancelled();
        waitingReceivers++;
        try {
          notEmpty.await();
        } finally {
          waitingReceivers--;
        }
      }
      return dequeue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw e;
    } finally {
      lock.unlock();
      if (registration != null) {
        registration.remove();
      }
    }
  }

  private @Nullable E tryReceive() {
    lock.lock();
    try {
      return count == 0 ? null : dequeue();
    } finally {
      lock.unlock();
    }
  }

  private boolean isDrained() {
    lock.lock();
    try {
      return closed && count == 0;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "Channel[" + count + "/" + capacity + (closed ? ", closed" : "") + "]";
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
