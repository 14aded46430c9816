package dev.tether;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * Interrupts one thread at most once, and never after that thread has {@linkplain #disarm()
 * disarmed} it: the one copy of the state machine that lets a waiting thread tell the interrupt it
 * was sent on Tether's behalf from anyone else's, and clear it.
 *
 * <p>Used by {@link TaskGroup}'s task runner (the group interrupts a running task once when it is
 * cancelled) and by {@link CancelScope}'s blocking helpers (the scope interrupts a waiting thread
 * once when it is cancelled).
 */
class Interrupter {
  private static final int IDLE = 0;
  private static final int ARMED = 1;
  private static final int FIRING = 2;
  private static final int FIRED = 3;
  private static final int DISARMED = 4;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Interrupter.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Written once by {@link #arm}, before the state becomes {@link #ARMED}. */
  private @Nullable Thread thread;

  private volatile int state;

  /** Makes {@link #fire()} interrupt the current thread from now on, until {@link #disarm()}. */
  final void arm() {
    thread = Thread.currentThread();
    state = ARMED;
  }

  /** Returns the thread {@link #arm()} armed, or null before. */
  final @Nullable Thread thread() {
    return state == IDLE ? null : thread;
  }

  /**
   * Interrupts the armed thread unless it disarmed this interrupter or it was interrupted by it
   * already; does nothing before {@link #arm()}. Any thread may call it.
   */
  final void fire() {
    if (state == ARMED && STATE.compareAndSet(this, ARMED, FIRING)) {
      Thread t = thread;
      if (t != null) {
        t.interrupt();
      }
      state = FIRED;
    }
  }

  /**
   * Called by the armed thread: no interrupt from now on. Returns true if this interrupter did
   * interrupt the thread (then the interrupt has been delivered when this returns), false if not.
   * Idempotent: later calls return the same answer.
   */
  @SuppressWarnings("ThreadPriorityCheck") // a bounded wait for another thread's two stores
  final boolean disarm() {
    int s = state;
    if (s == ARMED && STATE.compareAndSet(this, ARMED, DISARMED)) {
      return false;
    }
    s = state;
    if (s == DISARMED || s == IDLE) {
      return false;
    }
    while (state != FIRED) {
      // The firing thread is inside Thread.interrupt(); on a busy machine spinning would steal its
      // CPU, so give the CPU away instead (as FutureTask does).
      Thread.yield();
    }
    return true;
  }
}
