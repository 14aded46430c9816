package dev.tether.checker.utils;

import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import org.junit.jupiter.api.Test;

final class SynchronizationTest {
  /**
   * Reports, at every call {@code probe()}, whether it holds a lock, up to the lambda around it (as
   * the shared-state checks ask about the code of a task), and at every call {@code
   * unlocks(statement)}, whether that code calls a method named {@code unlock…}.
   */
  @BugPattern(summary = "Reports Synchronization", severity = WARNING)
  public static final class GuardProbe extends BugChecker implements MethodInvocationTreeMatcher {
    private static final long serialVersionUID = 1L;

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      String name = Trees.calledName(tree);
      if (name.equals("probe")) {
        LambdaExpressionTree task =
            ASTHelpers.findEnclosingNode(state.getPath(), LambdaExpressionTree.class);
        return buildDescription(tree)
            .setMessage(
                Synchronization.isGuarded(state.getPath(), task) ? "holds a lock" : "holds no lock")
            .build();
      }
      if (name.equals("unlocks") && tree.getArguments().size() == 1) {
        return buildDescription(tree)
            .setMessage(
                Synchronization.callsNamed(tree.getArguments().get(0), "unlock")
                    ? "calls unlock"
                    : "no unlock")
            .build();
      }
      return Description.NO_MATCH;
    }
  }

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(GuardProbe.class, getClass());

  @Test
  void criticalSections() {
    helper
        .addSourceLines(
            "A.java",
            "import java.util.concurrent.locks.*;",
            "class A {",
            "  static void probe() {}",
            "  final Object mutex = new Object();",
            "  final Lock lock = new ReentrantLock();",
            "  final ReadWriteLock rw = new ReentrantReadWriteLock();",
            "  synchronized void synchronizedMethod() {",
            "    // BUG: Diagnostic contains: holds a lock",
            "    probe();",
            "  }",
            "  void synchronizedBlock() {",
            "    synchronized (mutex) {",
            "      if (mutex != null) {",
            "        // BUG: Diagnostic contains: holds a lock",
            "        probe();",
            "      }",
            "    }",
            "  }",
            "  void lockedInTry() {",
            "    lock.lock();",
            "    try {",
            "      // BUG: Diagnostic contains: holds a lock",
            "      probe();",
            "    } finally {",
            "      lock.unlock();",
            "    }",
            "  }",
            "  void lockedBefore() throws InterruptedException {",
            "    lock.lockInterruptibly();",
            "    // BUG: Diagnostic contains: holds a lock",
            "    probe();",
            "    lock.unlock();",
            "  }",
            "  void readLocked() {",
            "    try {",
            "      // BUG: Diagnostic contains: holds a lock",
            "      probe();",
            "    } finally {",
            "      rw.readLock().unlock();",
            "    }",
            "  }",
            "  void taskWithItsOwnLock() {",
            "    Runnable r = () -> {",
            "      synchronized (mutex) {",
            "        // BUG: Diagnostic contains: holds a lock",
            "        probe();",
            "      }",
            "    };",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void unguardedCode() {
    helper
        .addSourceLines(
            "A.java",
            "import java.util.concurrent.locks.*;",
            "class A {",
            "  static void probe() {}",
            "  static void log() {}",
            "  final Object mutex = new Object();",
            "  final Lock lock = new ReentrantLock();",
            "  void plain() {",
            "    // BUG: Diagnostic contains: holds no lock",
            "    probe();",
            "  }",
            "  void beforeTheLock() {",
            "    // BUG: Diagnostic contains: holds no lock",
            "    probe();",
            "    lock.lock();",
            "    lock.unlock();",
            "  }",
            "  void finallyWithoutUnlock() {",
            "    try {",
            "      // BUG: Diagnostic contains: holds no lock",
            "      probe();",
            "    } finally {",
            "      log();",
            "    }",
            "  }",
            "  void inTheFinallyItself() {",
            "    try {",
            "      log();",
            "    } finally {",
            "      lock.unlock();",
            "      // BUG: Diagnostic contains: holds no lock",
            "      probe();",
            "    }",
            "  }",
            "  void synchronizedOnlyAroundTheMonitorExpression() {",
            "    synchronized (mutex) {",
            "      log();",
            "    }",
            "    // BUG: Diagnostic contains: holds no lock",
            "    probe();",
            "  }",
            "  void taskStartedInsideTheLock() {",
            "    synchronized (mutex) {",
            "      // the task runs later, on another thread: the lock is not held there",
            "      // BUG: Diagnostic contains: holds no lock",
            "      Runnable r = () -> probe();",
            "    }",
            "  }",
            "  synchronized void anonymousClassInSynchronizedMethod() {",
            "    new Object() {",
            "      void f() {",
            "        // BUG: Diagnostic contains: holds no lock",
            "        probe();",
            "      }",
            "    };",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void callsNamed() {
    helper
        .addSourceLines(
            "A.java",
            "import java.util.concurrent.locks.*;",
            "class A {",
            "  static void unlocks(Object code) {}",
            "  void m(Lock lock, StampedLock stamped, long stamp) {",
            "    // BUG: Diagnostic contains: calls unlock",
            "    unlocks(new Runnable() { public void run() { lock.unlock(); } });",
            "    // BUG: Diagnostic contains: calls unlock",
            "    unlocks((Runnable) () -> stamped.unlockRead(stamp));",
            "    // BUG: Diagnostic contains: no unlock",
            "    unlocks((Runnable) () -> lock.lock());",
            "  }",
            "}")
        .doTest();
  }
}
