package dev.tether.checker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.scanner.ScannerSupplier;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Recall on real concurrency bugs that were fixed in released versions of public Java projects
 * (docs/recall.md): one test per bug, each compiling a minimal reconstruction of the buggy code and
 * of its fix with every Tether check. The reconstructions are written for this test; they keep what
 * decides the verdict (visibility, which thread runs the code, the class's structure) and drop the
 * rest. A bug that Tether misses today is marked {@code MISSED by Tether today} and has no BUG
 * marker, so that the test records today's behaviour; the totals are in docs/recall.md.
 */
final class RealBugsTest {
  /**
   * Every Tether check, as Error Prone's service loader finds them (TetherChecks does the same).
   */
  private static final List<Class<? extends BugChecker>> TETHER_CHECKS =
      ServiceLoader.load(BugChecker.class).stream()
          .<Class<? extends BugChecker>>map(ServiceLoader.Provider::type)
          .filter(type -> type.getPackageName().equals("dev.tether.checker"))
          .toList();

  private static CompilationTestHelper tether() {
    return CompilationTestHelper.newInstance(
        ScannerSupplier.fromBugCheckerClasses(TETHER_CHECKS), RealBugsTest.class);
  }

  @Test
  void everyCheckTakesPart() {
    // Without this, a service loader that finds nothing would let every "fixed version is silent"
    // below pass for the wrong reason.
    assertTrue(TETHER_CHECKS.size() >= 19, () -> "Tether checks found: " + TETHER_CHECKS);
    assertTrue(TETHER_CHECKS.contains(SwallowedInterrupt.class));
    assertTrue(TETHER_CHECKS.contains(NonVolatileStopFlag.class));
    assertTrue(TETHER_CHECKS.contains(PermitNotReleasedInFinally.class));
  }

  /**
   * Kafka KAFKA-4767 / KAFKA-5936, fixed in 1.1.0: {@code KafkaProducer.close()} (public, any
   * caller's thread) joins the I/O thread and, when interrupted, keeps the exception in an {@code
   * AtomicReference} and later throws it wrapped in an unchecked exception, never restoring the
   * flag. The fix wraps it in Kafka's {@code InterruptException}, whose constructor re-interrupts.
   */
  @Test
  void kafka5936ProducerCloseSwallowsInterrupt() {
    tether()
        .addSourceLines(
            "kafka/Producer.java",
            """
            package kafka;

            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.atomic.AtomicReference;

            public class Producer implements AutoCloseable {
              public interface Sender extends Runnable {
                void initiateClose();

                void forceClose();
              }

              public static class KafkaException extends RuntimeException {
                public KafkaException(String message, Throwable cause) {
                  super(message, cause);
                }
              }

              private final Sender sender;
              private final Thread ioThread;

              public Producer(Sender sender) {
                this.sender = sender;
                this.ioThread = new Thread(sender, "producer-network-thread");
                ioThread.setDaemon(true);
                ioThread.start();
              }

              @Override
              public void close() {
                close(Long.MAX_VALUE, TimeUnit.MILLISECONDS);
              }

              public void close(long timeout, TimeUnit unit) {
                close(timeout, unit, false);
              }

              private void close(long timeout, TimeUnit unit, boolean swallowException) {
                AtomicReference<Throwable> firstException = new AtomicReference<>();
                sender.initiateClose();
                try {
                  ioThread.join(unit.toMillis(timeout));
                  // The exception is stored in an AtomicReference and thrown later wrapped in an
                  // unchecked exception: the holder hands nothing on, the flag is lost.
                  // BUG: Diagnostic contains: [SwallowedInterrupt]
                } catch (InterruptedException e) {
                  firstException.compareAndSet(null, e);
                  System.err.println("Interrupted while joining ioThread: " + e);
                }
                if (ioThread.isAlive()) {
                  sender.forceClose();
                  try {
                    ioThread.join();
                    // BUG: Diagnostic contains: [SwallowedInterrupt]
                  } catch (InterruptedException e) {
                    firstException.compareAndSet(null, e);
                  }
                }
                if (firstException.get() != null && !swallowException) {
                  throw new KafkaException("Failed to close kafka producer", firstException.get());
                }
              }
            }
            """)
        .doTest();
    tether()
        .addSourceLines(
            "kafka/Producer.java",
            """
            package kafka;

            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.atomic.AtomicReference;

            public class Producer implements AutoCloseable {
              public interface Sender extends Runnable {
                void initiateClose();

                void forceClose();
              }

              public static class KafkaException extends RuntimeException {
                public KafkaException(String message, Throwable cause) {
                  super(message, cause);
                }
              }

              /** Kafka's unchecked InterruptedException: it restores the flag when created. */
              public static class InterruptException extends KafkaException {
                public InterruptException(InterruptedException cause) {
                  super("interrupted", cause);
                  Thread.currentThread().interrupt();
                }
              }

              private final Sender sender;
              private final Thread ioThread;

              public Producer(Sender sender) {
                this.sender = sender;
                this.ioThread = new Thread(sender, "producer-network-thread");
                ioThread.setDaemon(true);
                ioThread.start();
              }

              @Override
              public void close() {
                close(Long.MAX_VALUE, TimeUnit.MILLISECONDS);
              }

              public void close(long timeout, TimeUnit unit) {
                close(timeout, unit, false);
              }

              private void close(long timeout, TimeUnit unit, boolean swallowException) {
                AtomicReference<Throwable> firstException = new AtomicReference<>();
                sender.initiateClose();
                try {
                  ioThread.join(unit.toMillis(timeout));
                } catch (InterruptedException e) {
                  firstException.compareAndSet(null, new InterruptException(e));
                  System.err.println("Interrupted while joining ioThread: " + e);
                }
                if (ioThread.isAlive()) {
                  sender.forceClose();
                  try {
                    ioThread.join();
                  } catch (InterruptedException e) {
                    firstException.compareAndSet(null, new InterruptException(e));
                  }
                }
                if (firstException.get() != null && !swallowException) {
                  throw new KafkaException("Failed to close kafka producer", firstException.get());
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * Kafka PR #9863 (no JIRA), fixed in 2.8.0: {@code KafkaStreams.waitOnState} (private, reached
   * from the public {@code close()}) and {@code StreamThread.waitOnThreadState} (a public method of
   * a {@code Thread} subclass, called by other threads) wait on a monitor and, when interrupted,
   * "just move on to the next iteration": the caller's interrupt is lost and the wait goes on. The
   * fix remembers the interrupt and restores it in a {@code finally}.
   */
  @Test
  void kafkaPr9863StreamsWaitOnStateSwallowsInterrupt() {
    tether()
        .addSourceLines(
            "streams/KafkaStreams.java",
            """
            package streams;

            public class KafkaStreams implements AutoCloseable {
              public enum State { RUNNING, PENDING_SHUTDOWN, NOT_RUNNING }

              private final Object stateLock = new Object();
              private State state = State.RUNNING;

              void setState(State newState) {
                synchronized (stateLock) {
                  state = newState;
                  stateLock.notifyAll();
                }
              }

              private boolean waitOnState(State targetState, long waitMs) {
                long begin = System.currentTimeMillis();
                synchronized (stateLock) {
                  long elapsedMs = 0L;
                  while (state != targetState) {
                    if (waitMs > elapsedMs) {
                      try {
                        stateLock.wait(waitMs - elapsedMs);
                        // BUG: Diagnostic contains: [SwallowedInterrupt]
                      } catch (InterruptedException e) {
                        // fine: go round again
                      }
                    } else {
                      return false;
                    }
                    elapsedMs = System.currentTimeMillis() - begin;
                  }
                  return true;
                }
              }

              public boolean close(long timeoutMs) {
                setState(State.PENDING_SHUTDOWN);
                return waitOnState(State.NOT_RUNNING, timeoutMs);
              }

              @Override
              public void close() {
                close(Long.MAX_VALUE);
              }
            }
            """)
        .addSourceLines(
            "streams/StreamThread.java",
            """
            package streams;

            public class StreamThread extends Thread {
              public enum State { RUNNING, PENDING_SHUTDOWN, DEAD }

              private final Object stateLock = new Object();
              private State state = State.RUNNING;

              @Override
              public void run() {
                // polls and processes records until shut down (left out), then:
                setState(State.DEAD);
              }

              void setState(State newState) {
                synchronized (stateLock) {
                  state = newState;
                  stateLock.notifyAll();
                }
              }

              public void waitOnThreadState(State targetState) {
                synchronized (stateLock) {
                  while (state != targetState) {
                    try {
                      stateLock.wait();
                      // BUG: Diagnostic contains: [SwallowedInterrupt]
                    } catch (InterruptedException e) {
                      // fine: go round again
                    }
                  }
                }
              }
            }
            """)
        .doTest();
    tether()
        .addSourceLines(
            "streams/KafkaStreams.java",
            """
            package streams;

            public class KafkaStreams implements AutoCloseable {
              public enum State { RUNNING, PENDING_SHUTDOWN, NOT_RUNNING }

              private final Object stateLock = new Object();
              private State state = State.RUNNING;

              void setState(State newState) {
                synchronized (stateLock) {
                  state = newState;
                  stateLock.notifyAll();
                }
              }

              private boolean waitOnState(State targetState, long waitMs) {
                long begin = System.currentTimeMillis();
                synchronized (stateLock) {
                  boolean interrupted = false;
                  long elapsedMs = 0L;
                  try {
                    while (state != targetState) {
                      if (waitMs > elapsedMs) {
                        try {
                          stateLock.wait(waitMs - elapsedMs);
                        } catch (InterruptedException e) {
                          interrupted = true;
                        }
                      } else {
                        return false;
                      }
                      elapsedMs = System.currentTimeMillis() - begin;
                    }
                  } finally {
                    if (interrupted) {
                      Thread.currentThread().interrupt();
                    }
                  }
                  return true;
                }
              }

              public boolean close(long timeoutMs) {
                setState(State.PENDING_SHUTDOWN);
                return waitOnState(State.NOT_RUNNING, timeoutMs);
              }

              @Override
              public void close() {
                close(Long.MAX_VALUE);
              }
            }
            """)
        .addSourceLines(
            "streams/StreamThread.java",
            """
            package streams;

            public class StreamThread extends Thread {
              public enum State { RUNNING, PENDING_SHUTDOWN, DEAD }

              private final Object stateLock = new Object();
              private State state = State.RUNNING;

              @Override
              public void run() {
                setState(State.DEAD);
              }

              void setState(State newState) {
                synchronized (stateLock) {
                  state = newState;
                  stateLock.notifyAll();
                }
              }

              public void waitOnThreadState(State targetState) {
                synchronized (stateLock) {
                  boolean interrupted = false;
                  try {
                    while (state != targetState) {
                      try {
                        stateLock.wait();
                      } catch (InterruptedException e) {
                        interrupted = true;
                      }
                    }
                  } finally {
                    if (interrupted) {
                      Thread.currentThread().interrupt();
                    }
                  }
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * Kafka KAFKA-16055, fixed in 3.8.0: {@code QueryableStoreProvider} keeps the per-thread store
   * providers in a plain {@code HashMap} that {@code addStreamThread()}/{@code
   * removeStreamThread()} (public, user threads, and a dying stream thread's handler when it
   * replaces itself) write while interactive queries on other threads iterate it. The fix makes it
   * a {@code ConcurrentHashMap}.
   */
  @Test
  void kafka16055StoreProvidersInPlainHashMap() {
    String streams =
        """
        package streams;

        import java.util.ArrayList;
        import java.util.List;

        public class KafkaStreams {
          private final QueryableStoreProvider queryableStoreProvider = new QueryableStoreProvider();
          private final List<Thread> threads = new ArrayList<>();

          public synchronized void addStreamThread() {
            Thread streamThread = new Thread(() -> {}, "stream-thread-" + threads.size());
            streamThread.setUncaughtExceptionHandler((t, e) -> replaceStreamThread(t));
            threads.add(streamThread);
            queryableStoreProvider.addStoreProviderForThread(
                streamThread.getName(), name -> List.of(streamThread.getName() + "/" + name));
            streamThread.start();
          }

          private synchronized void replaceStreamThread(Thread dead) {
            threads.remove(dead);
            queryableStoreProvider.removeStoreProviderForThread(dead.getName());
            addStreamThread();
          }

          public synchronized void removeStreamThread() throws InterruptedException {
            Thread streamThread = threads.remove(threads.size() - 1);
            streamThread.interrupt();
            streamThread.join();
            queryableStoreProvider.removeStoreProviderForThread(streamThread.getName());
          }

          public List<String> store(String storeName) {
            return queryableStoreProvider.getStore(storeName);
          }
        }
        """;
    tether()
        .addSourceLines(
            "streams/QueryableStoreProvider.java",
            """
            package streams;

            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;

            public class QueryableStoreProvider {
              public interface StoreProvider {
                List<String> stores(String storeName);
              }

              // MISSED by Tether today: the map is written by public methods that several threads
              // call (and by the handler that replaces a dead stream thread), not by a task or a
              // parallel stream, which is what the check looks for.
              private final Map<String, StoreProvider> storeProviders;

              public QueryableStoreProvider() {
                this.storeProviders = new HashMap<>();
              }

              public List<String> getStore(String storeName) {
                List<String> stores = new ArrayList<>();
                for (StoreProvider provider : storeProviders.values()) {
                  stores.addAll(provider.stores(storeName));
                }
                return stores;
              }

              public void addStoreProviderForThread(String threadName, StoreProvider provider) {
                storeProviders.put(threadName, provider);
              }

              public void removeStoreProviderForThread(String threadName) {
                storeProviders.remove(threadName);
              }
            }
            """)
        .addSourceLines("streams/KafkaStreams.java", streams)
        .doTest();
    tether()
        .addSourceLines(
            "streams/QueryableStoreProvider.java",
            """
            package streams;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.ConcurrentHashMap;

            public class QueryableStoreProvider {
              public interface StoreProvider {
                List<String> stores(String storeName);
              }

              private final Map<String, StoreProvider> storeProviders;

              public QueryableStoreProvider() {
                this.storeProviders = new ConcurrentHashMap<>();
              }

              public List<String> getStore(String storeName) {
                List<String> stores = new ArrayList<>();
                for (StoreProvider provider : storeProviders.values()) {
                  stores.addAll(provider.stores(storeName));
                }
                return stores;
              }

              public void addStoreProviderForThread(String threadName, StoreProvider provider) {
                storeProviders.put(threadName, provider);
              }

              public void removeStoreProviderForThread(String threadName) {
                storeProviders.remove(threadName);
              }
            }
            """)
        .addSourceLines("streams/KafkaStreams.java", streams)
        .doTest();
  }

  /**
   * HBase HBASE-26941 (PR #4352, merged 2022-04; the fix is in the 2.6 line): {@code
   * LocalHBaseCluster.waitOnRegionServer} (public, the caller's thread) joins a region server
   * thread in a loop and prints the {@code InterruptedException}: an interrupted caller spins on
   * {@code join()}, which throws at once every time, and floods the log. The fix remembers the
   * interrupt and restores it after the loop.
   */
  @Test
  void hbase26941WaitOnRegionServerSpinsOnInterrupt() {
    tether()
        .addSourceLines(
            "hbase/LocalHBaseCluster.java",
            """
            package hbase;

            import java.util.List;
            import java.util.concurrent.CopyOnWriteArrayList;

            public class LocalHBaseCluster {
              public static class RegionServerThread extends Thread {
                public RegionServerThread(Runnable server, String name) {
                  super(server, name);
                }
              }

              private final List<RegionServerThread> regionThreads = new CopyOnWriteArrayList<>();

              public String waitOnRegionServer(RegionServerThread rst) {
                while (rst.isAlive()) {
                  try {
                    System.out.println("Waiting on " + rst.getName());
                    rst.join();
                    // BUG: Diagnostic contains: [SwallowedInterrupt]
                  } catch (InterruptedException e) {
                    e.printStackTrace();
                  }
                }
                regionThreads.remove(rst);
                return rst.getName();
              }
            }
            """)
        .doTest();
    tether()
        .addSourceLines(
            "hbase/LocalHBaseCluster.java",
            """
            package hbase;

            import java.util.List;
            import java.util.concurrent.CopyOnWriteArrayList;

            public class LocalHBaseCluster {
              public static class RegionServerThread extends Thread {
                public RegionServerThread(Runnable server, String name) {
                  super(server, name);
                }
              }

              private final List<RegionServerThread> regionThreads = new CopyOnWriteArrayList<>();

              public String waitOnRegionServer(RegionServerThread rst) {
                boolean interrupted = false;
                while (rst.isAlive()) {
                  try {
                    System.out.println("Waiting on " + rst.getName());
                    rst.join();
                  } catch (InterruptedException e) {
                    System.err.println("Interrupted while waiting for " + rst.getName() + ", retrying");
                    interrupted = true;
                  }
                }
                regionThreads.remove(rst);
                if (interrupted) {
                  Thread.currentThread().interrupt();
                }
                return rst.getName();
              }
            }
            """)
        .doTest();
  }

  /**
   * Palantir AtlasDB issue #3021 (PR #3023), fixed in 0.78.0: {@code PersistentLockManager} sleeps
   * between attempts to take the backup lock and turns an interruption into an unchecked exception
   * without restoring the flag ({@code throw Throwables.propagate(e)}); the background sweeper's
   * loop catches that exception and carries on, so the non-daemon shutdown waits for ever. The fix
   * restores the flag before throwing.
   */
  @Test
  void atlasdb3021LockRetryWrapsInterruptWithoutRestoring() {
    tether()
        .addSourceLines(
            "atlasdb/PersistentLockManager.java",
            """
            package atlasdb;

            import com.google.common.base.Throwables;

            public class PersistentLockManager {
              public interface LockService {
                String acquireBackupLock(String reason);
              }

              private final LockService lockService;
              private final long retryWaitMillis;
              private String lockId;

              public PersistentLockManager(LockService lockService, long retryWaitMillis) {
                this.lockService = lockService;
                this.retryWaitMillis = retryWaitMillis;
              }

              public synchronized void acquirePersistentLockWithRetry() {
                while (!tryAcquirePersistentLock()) {
                  waitForRetry();
                }
              }

              private boolean tryAcquirePersistentLock() {
                lockId = lockService.acquireBackupLock("sweep");
                return lockId != null;
              }

              private void waitForRetry() {
                try {
                  Thread.sleep(retryWaitMillis);
                } catch (InterruptedException e) {
                  // MISSED by Tether today: a catch that throws is accepted, even when what it
                  // throws is an unchecked wrapper and the flag is not restored.
                  throw Throwables.propagate(e);
                }
              }
            }
            """)
        .doTest();
    tether()
        .addSourceLines(
            "atlasdb/PersistentLockManager.java",
            """
            package atlasdb;

            public class PersistentLockManager {
              public interface LockService {
                String acquireBackupLock(String reason);
              }

              private final LockService lockService;
              private final long retryWaitMillis;
              private String lockId;

              public PersistentLockManager(LockService lockService, long retryWaitMillis) {
                this.lockService = lockService;
                this.retryWaitMillis = retryWaitMillis;
              }

              public synchronized void acquirePersistentLockWithRetry() {
                while (!tryAcquirePersistentLock()) {
                  waitForRetry();
                }
              }

              private boolean tryAcquirePersistentLock() {
                lockId = lockService.acquireBackupLock("sweep");
                return lockId != null;
              }

              private void waitForRetry() {
                try {
                  Thread.sleep(retryWaitMillis);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new RuntimeException(e);
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * Apache Ozone HDDS-5427 (PR #2404), fixed in 1.2.0: {@code XceiverClientGrpc.close()} (public)
   * waits for each gRPC channel with {@code catch (Exception e)} and only logs, and {@code
   * sendCommandOnAllNodes} (public) logs and carries on when interrupted. The fix catches {@code
   * InterruptedException} and restores the flag in both.
   */
  @Test
  void ozoneHdds5427ClientCloseSwallowsInterrupt() {
    tether()
        .addSourceLines(
            "ozone/XceiverClientGrpc.java",
            """
            package ozone;

            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.TimeUnit;

            public class XceiverClientGrpc {
              public interface ManagedChannel {
                void shutdownNow();

                boolean awaitTermination(long time, TimeUnit unit) throws InterruptedException;
              }

              private final Map<String, ManagedChannel> channels = new HashMap<>();
              private boolean closed;

              public Map<String, String> sendCommandOnAllNodes(String request, List<String> nodes) {
                Map<String, String> responses = new HashMap<>();
                Map<String, CompletableFuture<String>> futures = new HashMap<>();
                for (String node : nodes) {
                  try {
                    futures.put(node, sendCommandAsync(request, node));
                    // BUG: Diagnostic contains: [SwallowedInterrupt]
                  } catch (InterruptedException e) {
                    System.err.println("Command execution was interrupted.");
                  }
                }
                try {
                  for (Map.Entry<String, CompletableFuture<String>> entry : futures.entrySet()) {
                    responses.put(entry.getKey(), entry.getValue().get());
                  }
                  // BUG: Diagnostic contains: [SwallowedInterrupt]
                } catch (InterruptedException e) {
                  System.err.println("Command execution was interrupted.");
                } catch (ExecutionException e) {
                  System.err.println("Failed to execute command " + request + ": " + e);
                }
                return responses;
              }

              private CompletableFuture<String> sendCommandAsync(String request, String node)
                  throws InterruptedException {
                return CompletableFuture.completedFuture(node + ":" + request);
              }

              public synchronized void close() {
                closed = true;
                for (ManagedChannel channel : channels.values()) {
                  channel.shutdownNow();
                  try {
                    channel.awaitTermination(60, TimeUnit.MINUTES);
                    // BUG: Diagnostic contains: [SwallowedInterrupt]
                  } catch (Exception e) {
                    System.err.println("Unexpected exception while waiting for channel termination " + e);
                  }
                }
              }
            }
            """)
        .doTest();
    tether()
        .addSourceLines(
            "ozone/XceiverClientGrpc.java",
            """
            package ozone;

            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.TimeUnit;

            public class XceiverClientGrpc {
              public interface ManagedChannel {
                void shutdownNow();

                boolean awaitTermination(long time, TimeUnit unit) throws InterruptedException;
              }

              private final Map<String, ManagedChannel> channels = new HashMap<>();
              private boolean closed;

              public Map<String, String> sendCommandOnAllNodes(String request, List<String> nodes) {
                Map<String, String> responses = new HashMap<>();
                Map<String, CompletableFuture<String>> futures = new HashMap<>();
                for (String node : nodes) {
                  try {
                    futures.put(node, sendCommandAsync(request, node));
                  } catch (InterruptedException e) {
                    System.err.println("Command execution was interrupted.");
                    Thread.currentThread().interrupt();
                  }
                }
                try {
                  for (Map.Entry<String, CompletableFuture<String>> entry : futures.entrySet()) {
                    responses.put(entry.getKey(), entry.getValue().get());
                  }
                } catch (InterruptedException e) {
                  System.err.println("Command execution was interrupted.");
                  Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                  System.err.println("Failed to execute command " + request + ": " + e);
                }
                return responses;
              }

              private CompletableFuture<String> sendCommandAsync(String request, String node)
                  throws InterruptedException {
                return CompletableFuture.completedFuture(node + ":" + request);
              }

              public synchronized void close() {
                closed = true;
                for (ManagedChannel channel : channels.values()) {
                  channel.shutdownNow();
                  try {
                    channel.awaitTermination(60, TimeUnit.MINUTES);
                  } catch (InterruptedException e) {
                    System.err.println("InterruptedException while waiting for channel termination");
                    Thread.currentThread().interrupt();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * Apache Pinot PR #7508 (issue #7248), fixed in 0.9.0: the broker's {@code ClusterChangeMediator}
   * runs its own handling thread whose loop returns when the plain {@code boolean _stopped} is set;
   * {@code stop()} (public, another thread) sets it and joins the thread, which may never see the
   * write (the reviewer noted the JIT may fold the read). The fix makes the field {@code volatile}.
   */
  @Test
  void pinot7508ClusterChangeMediatorPlainStopFlag() {
    // MISSED by Tether today: the flag is read in `if (_stopped) return;` inside the loop body, and
    // the loop enters `synchronized (lastChangeTimeMap)` on every iteration. Under the memory model
    // that is enough: stop() writes the flag and then enters and leaves the same monitor, so the
    // read inside the synchronized block sees the write and the loop ends; the silence is right.
    tether()
        .addSourceLines(
            "pinot/ClusterChangeMediator.java", pinotMediator("private boolean _stopped = false;"))
        .doTest();
    tether()
        .addSourceLines(
            "pinot/ClusterChangeMediator.java",
            pinotMediator("private volatile boolean _stopped = false;"))
        .doTest();
  }

  private static String pinotMediator(String stoppedField) {
    return """
        package pinot;

        import java.util.HashMap;
        import java.util.List;
        import java.util.Map;

        public class ClusterChangeMediator {
          public interface ClusterChangeHandler {
            void processClusterChange(String changeType);
          }

          private static final long CHECK_INTERVAL_MS = 3600 * 1000L;

          private final Map<String, List<ClusterChangeHandler>> changeHandlersMap;
          private final Map<String, Long> lastChangeTimeMap = new HashMap<>();
          private final Thread clusterChangeHandlingThread;

          %s

          public ClusterChangeMediator(Map<String, List<ClusterChangeHandler>> changeHandlersMap) {
            this.changeHandlersMap = changeHandlersMap;
            clusterChangeHandlingThread = new Thread("ClusterChangeHandlingThread") {
              @Override
              public void run() {
                while (true) {
                  try {
                    for (Map.Entry<String, List<ClusterChangeHandler>> entry
                        : changeHandlersMap.entrySet()) {
                      if (_stopped) {
                        return;
                      }
                      Long lastChangeTime;
                      synchronized (lastChangeTimeMap) {
                        lastChangeTime = lastChangeTimeMap.remove(entry.getKey());
                      }
                      if (lastChangeTime != null) {
                        for (ClusterChangeHandler handler : entry.getValue()) {
                          handler.processClusterChange(entry.getKey());
                        }
                      }
                    }
                    synchronized (lastChangeTimeMap) {
                      if (_stopped) {
                        return;
                      }
                      if (lastChangeTimeMap.isEmpty()) {
                        lastChangeTimeMap.wait(CHECK_INTERVAL_MS / 10);
                      }
                    }
                  } catch (Exception e) {
                    // keeps running until stop() is called
                    System.err.println("Caught exception within cluster change handling thread " + e);
                  }
                }
              }
            };
          }

          public synchronized void start() {
            clusterChangeHandlingThread.start();
          }

          public synchronized void stop() {
            _stopped = true;
            synchronized (lastChangeTimeMap) {
              lastChangeTimeMap.notify();
            }
            try {
              clusterChangeHandlingThread.join();
            } catch (InterruptedException e) {
              System.err.println("Interrupted while waiting for the cluster change handling thread");
              Thread.currentThread().interrupt();
            }
          }

          public void enqueueChange(String changeType) {
            synchronized (lastChangeTimeMap) {
              lastChangeTimeMap.put(changeType, System.currentTimeMillis());
              lastChangeTimeMap.notify();
            }
          }
        }
        """
        .formatted(stoppedField);
  }

  /**
   * JGroups JGRP-2287 (PR #416), fixed in 4.0.16.Final: {@code VERIFY_SUSPECT}'s timer thread loops
   * while the plain field {@code Thread timer} is not null; {@code stop()} (another thread) sets it
   * to null and interrupts the thread, whose loop may not see the write. The fix makes the field
   * {@code volatile}.
   */
  @Test
  void jgroups2287VerifySuspectTimerFieldAsStopFlag() {
    // The stop condition is a Thread reference compared with null: a stop flag like a boolean. The
    // loop blocks in DelayQueue.poll every iteration, but stop() never touches that queue, and its
    // last write (`timer = null;` after the if) is not followed by the interrupt: the poll orders
    // nothing for it.
    tether()
        .addSourceLines(
            "jgroups/VerifySuspect.java", jgroupsVerifySuspect("protected Thread timer;"))
        .doTest();
    tether()
        .addSourceLines(
            "jgroups/VerifySuspect.java", jgroupsVerifySuspect("protected volatile Thread timer;"))
        .doTest();
  }

  private static String jgroupsVerifySuspect(String timerField) {
    return """
        package jgroups;

        import java.util.concurrent.DelayQueue;
        import java.util.concurrent.Delayed;
        import java.util.concurrent.ThreadFactory;
        import java.util.concurrent.TimeUnit;

        public class VerifySuspect implements Runnable {
          static final class Entry implements Delayed {
            final String suspect;
            final long deadlineNanos;

            Entry(String suspect, long timeoutMillis) {
              this.suspect = suspect;
              this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            }

            @Override
            public long getDelay(TimeUnit unit) {
              return unit.convert(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
            }

            @Override
            public int compareTo(Delayed other) {
              return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
            }
          }

          private final DelayQueue<Entry> suspects = new DelayQueue<>();
          private final ThreadFactory threadFactory;
          private final long timeout = 2000;

          %s

          public VerifySuspect(ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
          }

          public void suspect(String member) {
            suspects.add(new Entry(member, timeout));
            startTimer();
          }

          @Override
          public void run() {
            %s
            while (!suspects.isEmpty() && timer != null) {
              try {
                Entry entry = suspects.poll(timeout, TimeUnit.MILLISECONDS);
                if (entry != null) {
                  System.out.println(entry.suspect + " is dead");
                }
              } catch (InterruptedException e) {
              }
            }
          }

          protected synchronized void startTimer() {
            if (timer == null || !timer.isAlive()) {
              timer = threadFactory.newThread(this);
              timer.setDaemon(true);
              timer.start();
            }
          }

          public synchronized void stop() {
            Thread tmp;
            if (timer != null && timer.isAlive()) {
              tmp = timer;
              timer = null;
              tmp.interrupt();
            }
            timer = null;
          }
        }
        """
        .formatted(
            timerField,
            timerField.contains("volatile")
                ? ""
                : "// BUG: Diagnostic contains: [NonVolatileStopFlag]");
  }

  /**
   * Apache Streams STREAMS-103, fixed in 0.1-incubating: {@code StatusCounterMonitorThread} is a
   * monitoring task submitted to the builder's pool; its loop runs on a plain {@code boolean} and
   * an empty catch swallows the interrupt of {@code shutdownNow()}, so the pool never terminates.
   * The fix ends the loop from the catch (it calls {@code shutdown()}, which clears the flag).
   */
  @Test
  void streams103MonitorTaskIgnoresShutdownNow() {
    // Caught since the ownership analysis looks for hand-offs in the other files of the
    // Runnable's package: the class is submitted to a pool in another file, so its run() is a
    // task, not the body of a thread it owns. The fixed version is reported too, rightly: it now
    // ends the task on an interrupt, but still drops the pool thread's flag (JCIP 7.1.3: a task
    // preserves its executing thread's interruption status). NonVolatileStopFlag reports the
    // plain `run` flag in both versions (the fix kept it, and shutdown() is public): a true
    // finding, but not the defect this fix is about.
    String builder =
        """
        package streams;

        import java.util.List;
        import java.util.concurrent.ExecutorService;
        import java.util.concurrent.Executors;
        import java.util.concurrent.TimeUnit;

        public class LocalStreamBuilder {
          private ExecutorService monitor;

          public void start(List<StatusCounterMonitorThread.Countable> countables) {
            monitor = Executors.newFixedThreadPool(countables.size() + 1);
            for (StatusCounterMonitorThread.Countable countable : countables) {
              monitor.submit(new StatusCounterMonitorThread(countable, 10));
            }
          }

          public void shutdown() throws InterruptedException {
            monitor.shutdown();
            if (!monitor.awaitTermination(5, TimeUnit.SECONDS)) {
              monitor.shutdownNow();
              monitor.awaitTermination(5, TimeUnit.SECONDS);
            }
          }
        }
        """;
    tether()
        .addSourceLines("streams/StatusCounterMonitorThread.java", streamsMonitor(""))
        .addSourceLines("streams/LocalStreamBuilder.java", builder)
        .doTest();
    tether()
        .addSourceLines("streams/StatusCounterMonitorThread.java", streamsMonitor("shutdown();"))
        .addSourceLines("streams/LocalStreamBuilder.java", builder)
        .doTest();
  }

  private static String streamsMonitor(String onInterrupt) {
    return """
        package streams;

        public class StatusCounterMonitorThread implements Runnable {
          public interface Countable {
            long attempted();
          }

          private final Countable task;
          private final int seconds;
          private boolean run = true;

          public StatusCounterMonitorThread(Countable task, int delayInSeconds) {
            this.task = task;
            this.seconds = delayInSeconds;
          }

          public void shutdown() {
            this.run = false;
          }

          public boolean isRunning() {
            return this.run;
          }

          @Override
          public void run() {
            // BUG: Diagnostic contains: [NonVolatileStopFlag]
            while (run) {
              System.out.println(task + ": " + task.attempted() + " attempted");
              try {
                Thread.sleep(seconds * 1000);
              %s} catch (InterruptedException e) {
                %s
              }
            }
          }
        }
        """
        .formatted("// BUG: Diagnostic contains: [SwallowedInterrupt]\n", onInterrupt);
  }

  /**
   * Apache Pulsar PR #13812, fixed in 2.8.3 and 2.9.3 (the PR's release labels): the proxy's {@code
   * LookupProxyHandler.handleLookup} takes a lookup permit with {@code tryAcquire()} and releases
   * it only after a successful lookup: an exception, or the early {@code return} when no broker is
   * found, leaks the permit until the proxy refuses every lookup. The fix releases it in a {@code
   * finally}.
   */
  @Test
  void pulsar13812LookupPermitNotReleasedInFinally() {
    // The semaphore is the result of a getter, called once for tryAcquire() and once for
    // release(): the same getter chain on the same receiver is one permit, as a field is.
    tether()
        .addSourceLines(
            "pulsar/LookupProxyHandler.java",
            """
            package pulsar;

            import java.util.concurrent.Semaphore;

            public class LookupProxyHandler {
              public interface ProxyService {
                Semaphore getLookupRequestSemaphore();

                boolean usesDiscovery();

                String nextBroker() throws Exception;

                String brokerServiceUrl();
              }

              public interface Connection {
                void writeLookupError(long requestId, String message);
              }

              private final ProxyService service;
              private final Connection connection;

              public LookupProxyHandler(ProxyService service, Connection connection) {
                this.service = service;
                this.connection = connection;
              }

              public void handleLookup(long clientRequestId, String topic) {
                // BUG: Diagnostic contains: [PermitNotReleasedInFinally]
                if (this.service.getLookupRequestSemaphore().tryAcquire()) {
                  String serviceUrl;
                  if (service.usesDiscovery()) {
                    try {
                      serviceUrl = service.nextBroker();
                    } catch (Exception e) {
                      connection.writeLookupError(clientRequestId, e.getMessage());
                      return;
                    }
                  } else {
                    serviceUrl = service.brokerServiceUrl();
                  }
                  performLookup(clientRequestId, topic, serviceUrl, false, 10);
                  this.service.getLookupRequestSemaphore().release();
                } else {
                  connection.writeLookupError(clientRequestId, "too many lookups");
                }
              }

              private void performLookup(
                  long clientRequestId, String topic, String url, boolean authoritative, int retries) {
                if (retries == 0) {
                  connection.writeLookupError(clientRequestId, "Reached max number of redirections");
                  return;
                }
                // sends the lookup to the broker at url (left out)
              }
            }
            """)
        .doTest();
    tether()
        .addSourceLines(
            "pulsar/LookupProxyHandler.java",
            """
            package pulsar;

            import java.util.concurrent.Semaphore;

            public class LookupProxyHandler {
              public interface ProxyService {
                Semaphore getLookupRequestSemaphore();

                boolean usesDiscovery();

                String nextBroker() throws Exception;

                String brokerServiceUrl();
              }

              public interface Connection {
                void writeLookupError(long requestId, String message);
              }

              private final ProxyService service;
              private final Connection connection;
              private final Semaphore lookupRequestSemaphore;

              public LookupProxyHandler(ProxyService service, Connection connection) {
                this.service = service;
                this.connection = connection;
                this.lookupRequestSemaphore = service.getLookupRequestSemaphore();
              }

              public void handleLookup(long clientRequestId, String topic) {
                if (lookupRequestSemaphore.tryAcquire()) {
                  try {
                    String serviceUrl = getBrokerServiceUrl(clientRequestId);
                    if (serviceUrl != null) {
                      performLookup(clientRequestId, topic, serviceUrl, false, 10);
                    }
                  } finally {
                    lookupRequestSemaphore.release();
                  }
                } else {
                  connection.writeLookupError(clientRequestId, "too many lookups");
                }
              }

              private String getBrokerServiceUrl(long clientRequestId) {
                if (service.usesDiscovery()) {
                  try {
                    return service.nextBroker();
                  } catch (Exception e) {
                    connection.writeLookupError(clientRequestId, e.getMessage());
                    return null;
                  }
                }
                return service.brokerServiceUrl();
              }

              private void performLookup(
                  long clientRequestId, String topic, String url, boolean authoritative, int retries) {
                if (retries == 0) {
                  connection.writeLookupError(clientRequestId, "Reached max number of redirections");
                  return;
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * Apache Geode GEODE-5592 (PR #2344), fixed in 1.7.0: {@code TXManagerImpl.masqueradeAs} locks
   * the transaction's {@code ReentrantLock} for the thread that processes a message, and {@code
   * unmasquerade} unlocks it after a clean-up step that can throw, leaving the lock held (the next
   * message for that transaction hangs). The fix unlocks in a {@code finally}.
   */
  @Test
  void geode5592TransactionLockNotReleasedInFinally() {
    // MISSED by Tether today: the lock is taken in masqueradeAs() and released in unmasquerade();
    // the check pairs an acquisition with its release inside one method.
    tether().addSourceLines("geode/TXManagerImpl.java", geodeTxManager(false)).doTest();
    tether().addSourceLines("geode/TXManagerImpl.java", geodeTxManager(true)).doTest();
  }

  private static String geodeTxManager(boolean fixed) {
    String unmasquerade =
        fixed
            ? """
                try {
                  cleanupTransactionIfNoLongerHost(tx);
                } finally {
                  setTXState(null);
                  tx.getLock().unlock();
                }
            """
            : """
                cleanupTransactionIfNoLongerHost(tx);
                setTXState(null);
                tx.getLock().unlock();
            """;
    return """
        package geode;

        import java.util.HashMap;
        import java.util.Map;
        import java.util.concurrent.locks.ReentrantLock;

        public class TXManagerImpl {
          public static class TXStateProxy {
            private final ReentrantLock lock = new ReentrantLock();
            final String txId;

            TXStateProxy(String txId) {
              this.txId = txId;
            }

            public ReentrantLock getLock() {
              return lock;
            }
          }

          private final Map<String, TXStateProxy> hostedTXStates = new HashMap<>();
          private final ThreadLocal<TXStateProxy> txContext = new ThreadLocal<>();

          public TXStateProxy masqueradeAs(String txId) {
            TXStateProxy val;
            synchronized (hostedTXStates) {
              val = hostedTXStates.computeIfAbsent(txId, TXStateProxy::new);
            }
            if (!val.getLock().isHeldByCurrentThread()) {
              val.getLock().lock();
            }
            setTXState(val);
            return val;
          }

          public void unmasquerade(TXStateProxy tx) {
            if (tx != null) {
        %s
            }
          }

          private void cleanupTransactionIfNoLongerHost(TXStateProxy tx) {
            synchronized (hostedTXStates) {
              if (!hostedTXStates.containsKey(tx.txId)) {
                throw new IllegalStateException("transaction " + tx.txId + " has no host");
              }
            }
          }

          private void setTXState(TXStateProxy state) {
            txContext.set(state);
          }
        }
        """
        .formatted(unmasquerade);
  }

  /**
   * Apache Dubbo PR #9030, fixed in 3.0.4: {@code MigrationRuleListener} migrates every invoker on
   * a new pool, counts a latch down in each task's {@code finally} and waits on the latch: a
   * migration that throws is lost (its future is dropped). The fix keeps the futures, {@code
   * get()}s each and reports the failure. Both versions keep the same log-only catch around the
   * wait.
   */
  @Test
  void dubbo9030MigrationFanOutLosesTaskFailures() {
    // The tasks are submitted from inside a Map.forEach lambda, which LostTaskFailure reads as a
    // loop of the method. SwallowedInterrupt reports the log-only catch around the wait in both
    // versions (the fix kept it): true, but another defect.
    tether()
        .addSourceLines(
            "dubbo/MigrationRuleListener.java",
            """
            package dubbo;

            import java.util.Map;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Executors;
            import java.util.concurrent.TimeUnit;

            public class MigrationRuleListener {
              public interface MigrationHandler {
                void doMigrate(String rule);
              }

              private final Map<String, MigrationHandler> handlers = new ConcurrentHashMap<>();

              void migrateAll(String rule) {
                ExecutorService executorService = Executors.newFixedThreadPool(100);
                CountDownLatch countDownLatch = new CountDownLatch(handlers.size());
                handlers.forEach(
                    (key, handler) ->
                        // BUG: Diagnostic contains: [LostTaskFailure]
                        executorService.submit(
                            () -> {
                              try {
                                handler.doMigrate(rule);
                              } finally {
                                countDownLatch.countDown();
                              }
                            }));
                try {
                  countDownLatch.await(1, TimeUnit.HOURS);
                  // BUG: Diagnostic contains: [SwallowedInterrupt]
                } catch (InterruptedException e) {
                  System.err.println("Wait Invoker Migrate interrupted! " + e);
                }
                executorService.shutdown();
              }
            }
            """)
        .doTest();
    tether()
        .addSourceLines(
            "dubbo/MigrationRuleListener.java",
            """
            package dubbo;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.ExecutionException;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Executors;
            import java.util.concurrent.Future;

            public class MigrationRuleListener {
              public interface MigrationHandler {
                void doMigrate(String rule);
              }

              private final Map<String, MigrationHandler> handlers = new ConcurrentHashMap<>();

              void migrateAll(String rule) {
                ExecutorService executorService = Executors.newFixedThreadPool(100);
                List<Future<?>> migrationFutures = new ArrayList<>(handlers.size());
                handlers.forEach(
                    (key, handler) -> migrationFutures.add(executorService.submit(() -> handler.doMigrate(rule))));
                Throwable migrationException = null;
                for (Future<?> future : migrationFutures) {
                  try {
                    future.get();
                    // The fix kept the log-only catch around the wait: still reported, rightly.
                    // BUG: Diagnostic contains: [SwallowedInterrupt]
                  } catch (InterruptedException e) {
                    System.err.println("Interrupted while waiting for migration async task to finish.");
                  } catch (ExecutionException e) {
                    migrationException = e.getCause();
                  }
                }
                if (migrationException != null) {
                  System.err.println("Migration async task failed. " + migrationException);
                }
                executorService.shutdown();
              }
            }
            """)
        .doTest();
  }

  /**
   * SmallRye Fault Tolerance issue #213 (PR #309), fixed in 5.0.0: on timeout, {@code
   * CompletionStageTimeout} cancels the guarded stage with {@code
   * toCompletableFuture().cancel(true)} "to interrupt" the thread that runs it; a {@code
   * CompletableFuture} never interrupts anything. The fix removes the call.
   */
  @Test
  void smallryeFaultTolerance213CancelDoesNotInterrupt() {
    tether().addSourceLines("smallrye/CompletionStageTimeout.java", smallryeTimeout(true)).doTest();
    tether()
        .addSourceLines("smallrye/CompletionStageTimeout.java", smallryeTimeout(false))
        .doTest();
  }

  private static String smallryeTimeout(boolean cancels) {
    return """
        package smallrye;

        import java.util.concurrent.CompletableFuture;
        import java.util.concurrent.CompletionStage;
        import java.util.concurrent.TimeoutException;
        import java.util.concurrent.atomic.AtomicBoolean;
        import java.util.concurrent.atomic.AtomicReference;
        import java.util.function.Supplier;

        public class CompletionStageTimeout<V> {
          public interface TimeoutWatcher {
            Runnable schedule(long timeoutMillis, Runnable onTimeout);
          }

          private final Supplier<CompletionStage<V>> delegate;
          private final TimeoutWatcher watcher;
          private final long timeoutInMillis;

          public CompletionStageTimeout(
              Supplier<CompletionStage<V>> delegate, TimeoutWatcher watcher, long timeoutInMillis) {
            this.delegate = delegate;
            this.watcher = watcher;
            this.timeoutInMillis = timeoutInMillis;
          }

          public CompletionStage<V> apply() {
            CompletableFuture<V> result = new CompletableFuture<>();
            AtomicBoolean completedWithTimeout = new AtomicBoolean(false);
            AtomicReference<CompletionStage<V>> runningTaskRef = new AtomicReference<>();
            Runnable cancelWatch =
                watcher.schedule(
                    timeoutInMillis,
                    () -> {
                      if (completedWithTimeout.compareAndSet(false, true)) {
                        CompletionStage<V> runningTask = runningTaskRef.get();
                        if (runningTask != null) {
                          %s
                        }
                        result.completeExceptionally(new TimeoutException());
                      }
                    });
            CompletionStage<V> originalResult;
            try {
              originalResult = delegate.get();
              runningTaskRef.set(originalResult);
            } catch (RuntimeException e) {
              originalResult = CompletableFuture.failedFuture(e);
            }
            originalResult.whenComplete(
                (value, exception) -> {
                  cancelWatch.run();
                  if (completedWithTimeout.compareAndSet(false, true)) {
                    if (exception != null) {
                      result.completeExceptionally(exception);
                    } else {
                      result.complete(value);
                    }
                  }
                });
            return result;
          }
        }
        """
        .formatted(
            cancels
                ? "// BUG: Diagnostic contains: [CancelDoesNotInterrupt]\n"
                    + "runningTask.toCompletableFuture().cancel(true);"
                : "");
  }

  /**
   * Apache Pulsar issue #12723 (PR #12729), fixed in 2.8.3 and 2.9.1 (the PR's release labels):
   * {@code PersistentTopic.addReplicationCluster} creates a replicator with {@code computeIfAbsent}
   * (null when start-up fails) and then removes a null entry with {@code containsKey}/{@code
   * get}/{@code remove}: a replicator another thread puts in between is removed. The map is
   * Pulsar's own {@code ConcurrentOpenHashMap}; the fix adds an atomic {@code removeNullValue}.
   */
  @Test
  void pulsar12723ReplicatorCheckThenRemove() {
    // MISSED by Tether today: the map is Pulsar's own ConcurrentOpenHashMap, not a
    // java.util.concurrent.ConcurrentMap, and "containsKey and get(k) == null, then remove(k)" is
    // not one of the modelled shapes (the ConcurrentHashMap twin is silent too; it cannot hold
    // null).
    String map =
        """
        package pulsar;

        import java.util.HashMap;
        import java.util.Map;
        import java.util.function.Function;

        /** Pulsar's own concurrent map (not a java.util.concurrent.ConcurrentMap); sketched here. */
        public class ConcurrentOpenHashMap<K, V> {
          private final Map<K, V> map = new HashMap<>();

          public synchronized V computeIfAbsent(K key, Function<K, V> provider) {
            if (!map.containsKey(key)) {
              map.put(key, provider.apply(key));
            }
            return map.get(key);
          }

          public synchronized boolean containsKey(K key) {
            return map.containsKey(key);
          }

          public synchronized V get(K key) {
            return map.get(key);
          }

          public synchronized V remove(K key) {
            return map.remove(key);
          }

          public synchronized void removeNullValue(K key) {
            if (map.containsKey(key) && map.get(key) == null) {
              map.remove(key);
            }
          }
        }
        """;
    tether()
        .addSourceLines("pulsar/ConcurrentOpenHashMap.java", map)
        .addSourceLines(
            "pulsar/PersistentTopic.java",
            pulsarTopic(
                """
                    if (replicators.containsKey(remoteCluster) && replicators.get(remoteCluster) == null) {
                      replicators.remove(remoteCluster);
                    }
                """))
        .doTest();
    tether()
        .addSourceLines("pulsar/ConcurrentOpenHashMap.java", map)
        .addSourceLines(
            "pulsar/PersistentTopic.java",
            pulsarTopic("    replicators.removeNullValue(remoteCluster);\n"))
        .doTest();
  }

  private static String pulsarTopic(String cleanUp) {
    return """
        package pulsar;

        public class PersistentTopic {
          public static class Replicator {
            Replicator(String remoteCluster) throws Exception {
              if (remoteCluster.isEmpty()) {
                throw new Exception("cannot start a replicator without a cluster");
              }
            }
          }

          private final ConcurrentOpenHashMap<String, Replicator> replicators =
              new ConcurrentOpenHashMap<>();

          public boolean addReplicationCluster(String remoteCluster) {
            replicators.computeIfAbsent(
                remoteCluster,
                r -> {
                  try {
                    return new Replicator(remoteCluster);
                  } catch (Exception e) {
                    System.err.println("Replicator startup failed " + remoteCluster + ": " + e);
                  }
                  return null;
                });
            // clean up the replicator if its start-up failed
        %s
            return replicators.get(remoteCluster) != null;
          }
        }
        """
        .formatted(cleanUp);
  }

  /**
   * Apache ShardingSphere ElasticJob PR #1426, fixed in 3.0.0: {@code
   * RegistryCenterFactory.createCoordinatorRegistryCenter} (public static) looks a registry center
   * up in a static {@code ConcurrentHashMap}, creates and starts one when absent and puts it: two
   * callers both create one, and one ZooKeeper client is never closed. The fix uses {@code
   * computeIfAbsent}.
   */
  @Test
  void elasticjob1426RegistryCenterGetCheckPut() {
    tether()
        .addSourceLines(
            "elasticjob/RegistryCenterFactory.java",
            """
            package elasticjob;

            import java.util.concurrent.ConcurrentHashMap;

            public final class RegistryCenterFactory {
              public static class RegistryCenter {
                final String connectString;

                RegistryCenter(String connectString) {
                  this.connectString = connectString;
                }

                void init() {}
              }

              private static final ConcurrentHashMap<String, RegistryCenter> REG_CENTER_REGISTRY =
                  new ConcurrentHashMap<>();

              private RegistryCenterFactory() {}

              public static RegistryCenter createCoordinatorRegistryCenter(
                  String connectString, String namespace) {
                String key = connectString + "/" + namespace;
                RegistryCenter result = REG_CENTER_REGISTRY.get(key);
                // BUG: Diagnostic contains: [NonAtomicConcurrentMapUpdate]
                if (null != result) {
                  return result;
                }
                result = new RegistryCenter(connectString);
                result.init();
                REG_CENTER_REGISTRY.put(key, result);
                return result;
              }
            }
            """)
        .doTest();
    tether()
        .addSourceLines(
            "elasticjob/RegistryCenterFactory.java",
            """
            package elasticjob;

            import java.util.Map;
            import java.util.concurrent.ConcurrentHashMap;

            public final class RegistryCenterFactory {
              public static class RegistryCenter {
                final String connectString;

                RegistryCenter(String connectString) {
                  this.connectString = connectString;
                }

                void init() {}
              }

              private static final Map<String, RegistryCenter> REG_CENTER_REGISTRY =
                  new ConcurrentHashMap<>();

              private RegistryCenterFactory() {}

              public static RegistryCenter createCoordinatorRegistryCenter(
                  String connectString, String namespace) {
                String key = connectString + "/" + namespace;
                return REG_CENTER_REGISTRY.computeIfAbsent(
                    key,
                    unused -> {
                      RegistryCenter center = new RegistryCenter(connectString);
                      center.init();
                      return center;
                    });
              }
            }
            """)
        .doTest();
  }

  /**
   * Apache Zeppelin ZEPPELIN-5089 (PR #3937), fixed in 0.10.0: the interpreter process's {@code
   * TimeoutLifecycleManager} makes a scheduled pool in its constructor that nobody shuts down, and
   * {@code RemoteInterpreterServer} starts a YARN heartbeat thread that nobody keeps or stops; both
   * keep the process alive after shutdown. The fix takes both from an {@code ExecutorFactory} whose
   * {@code shutdownAll()} the server's {@code shutdown()} calls.
   */
  @Test
  void zeppelin5089LifecycleSchedulerAndHeartbeatThreadNeverStopped() {
    // Caught: the constructor's scheduler (ExecutorNeverShutDown). Silent on the heartbeat thread:
    // its loop ends once the server stops serving (at most one 60 s sleep later), and a thread that
    // a flag stops counts as owned.
    tether()
        .addSourceLines(
            "zeppelin/TimeoutLifecycleManager.java",
            """
            package zeppelin;

            import java.util.concurrent.Executors;
            import java.util.concurrent.ScheduledExecutorService;
            import java.util.concurrent.TimeUnit;

            public class TimeoutLifecycleManager {
              private volatile long lastBusyTimeInMillis;

              public TimeoutLifecycleManager(
                  RemoteInterpreterServer server, long checkInterval, long timeoutThreshold) {
                // BUG: Diagnostic contains: [ExecutorNeverShutDown]
                ScheduledExecutorService checkScheduler = Executors.newScheduledThreadPool(1);
                checkScheduler.scheduleAtFixedRate(
                    () -> {
                      if (System.currentTimeMillis() - lastBusyTimeInMillis > timeoutThreshold) {
                        server.shutdown();
                      }
                    },
                    checkInterval,
                    checkInterval,
                    TimeUnit.MILLISECONDS);
              }

              public void onInterpreterUse() {
                lastBusyTimeInMillis = System.currentTimeMillis();
              }
            }
            """)
        .addSourceLines(
            "zeppelin/RemoteInterpreterServer.java",
            """
            package zeppelin;

            public class RemoteInterpreterServer extends Thread {
              private volatile boolean serving = true;

              @Override
              public void run() {
                registerWithYarn();
                // serves Thrift requests until shutdown() (left out)
              }

              private void registerWithYarn() {
                Thread thread =
                    new Thread(
                        () -> {
                          while (!Thread.interrupted() && serving) {
                            heartbeat();
                            try {
                              Thread.sleep(60 * 1000);
                            } catch (InterruptedException e) {
                              System.err.println(e);
                            }
                          }
                        });
                thread.setName("RM-Heartbeat-Thread");
                thread.start();
              }

              private void heartbeat() {}

              public void shutdown() {
                serving = false;
              }
            }
            """)
        .doTest();
    tether()
        .addSourceLines(
            "zeppelin/ExecutorFactory.java",
            """
            package zeppelin;

            import java.util.Map;
            import java.util.concurrent.ConcurrentHashMap;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Executors;
            import java.util.concurrent.ScheduledExecutorService;

            public final class ExecutorFactory {
              private static final ExecutorFactory INSTANCE = new ExecutorFactory();

              private final Map<String, ExecutorService> executors = new ConcurrentHashMap<>();

              public static ExecutorFactory singleton() {
                return INSTANCE;
              }

              public ScheduledExecutorService createOrGetScheduled(String name, int threads) {
                return (ScheduledExecutorService)
                    executors.computeIfAbsent(name, n -> Executors.newScheduledThreadPool(threads));
              }

              public void shutdownAll() {
                for (ExecutorService executor : executors.values()) {
                  executor.shutdownNow();
                }
                executors.clear();
              }
            }
            """)
        .addSourceLines(
            "zeppelin/TimeoutLifecycleManager.java",
            """
            package zeppelin;

            import java.util.concurrent.ScheduledExecutorService;
            import java.util.concurrent.TimeUnit;

            public class TimeoutLifecycleManager {
              private volatile long lastBusyTimeInMillis;

              public TimeoutLifecycleManager(
                  RemoteInterpreterServer server, long checkInterval, long timeoutThreshold) {
                ScheduledExecutorService checkScheduler =
                    ExecutorFactory.singleton().createOrGetScheduled("TimeoutLifecycleManager", 1);
                checkScheduler.scheduleAtFixedRate(
                    () -> {
                      if (System.currentTimeMillis() - lastBusyTimeInMillis > timeoutThreshold) {
                        server.shutdown();
                      }
                    },
                    checkInterval,
                    checkInterval,
                    TimeUnit.MILLISECONDS);
              }

              public void onInterpreterUse() {
                lastBusyTimeInMillis = System.currentTimeMillis();
              }
            }
            """)
        .addSourceLines(
            "zeppelin/RemoteInterpreterServer.java",
            """
            package zeppelin;

            import java.util.concurrent.ScheduledExecutorService;
            import java.util.concurrent.TimeUnit;

            public class RemoteInterpreterServer extends Thread {
              private volatile boolean serving = true;

              @Override
              public void run() {
                registerWithYarn();
              }

              private void registerWithYarn() {
                ScheduledExecutorService yarnHeartbeat =
                    ExecutorFactory.singleton().createOrGetScheduled("RM-Heartbeat", 1);
                yarnHeartbeat.scheduleAtFixedRate(this::heartbeat, 0, 1, TimeUnit.MINUTES);
              }

              private void heartbeat() {}

              public void shutdown() {
                serving = false;
                ExecutorFactory.singleton().shutdownAll();
              }
            }
            """)
        .doTest();
  }

  /**
   * Apache ZooKeeper ZOOKEEPER-4309 (PR #1705), fixed in 3.7.1: {@code
   * QuorumCnxManager.Listener.run()} makes a pool for its listener handlers each time it runs and
   * never shuts it down, so a restarted listener leaves threads behind. The fix shuts the pool down
   * in a {@code finally} after the hand-off.
   */
  @Test
  void zookeeper4309ListenerPoolNeverShutDown() {
    tether().addSourceLines("zookeeper/QuorumCnxManager.java", zookeeperListener(false)).doTest();
    tether().addSourceLines("zookeeper/QuorumCnxManager.java", zookeeperListener(true)).doTest();
  }

  private static String zookeeperListener(boolean fixed) {
    String handOff =
        fixed
            ? """
                        ExecutorService executor = Executors.newFixedThreadPool(addresses.size());
                        try {
                          listenerHandlers.forEach(executor::submit);
                        } finally {
                          executor.shutdown();
                        }
            """
            : """
                        // BUG: Diagnostic contains: [ExecutorNeverShutDown]
                        ExecutorService executor = Executors.newFixedThreadPool(addresses.size());
                        listenerHandlers.forEach(executor::submit);
            """;
    return """
        package zookeeper;

        import java.io.Closeable;
        import java.util.List;
        import java.util.concurrent.CountDownLatch;
        import java.util.concurrent.ExecutorService;
        import java.util.concurrent.Executors;
        import java.util.stream.Collectors;

        public class QuorumCnxManager {
          private volatile boolean shutdown;

          public class Listener extends Thread {
            private List<ListenerHandler> listenerHandlers;

            @Override
            public void run() {
              if (!shutdown) {
                List<String> addresses = List.of("10.0.0.1:3888", "10.0.0.2:3888");
                CountDownLatch latch = new CountDownLatch(addresses.size());
                listenerHandlers =
                    addresses.stream()
                        .map(address -> new ListenerHandler(address, latch))
                        .collect(Collectors.toList());
        %s
                try {
                  latch.await();
                } catch (InterruptedException ie) {
                  System.err.println("Interrupted while sleeping. Ignoring exception " + ie);
                } finally {
                  for (ListenerHandler handler : listenerHandlers) {
                    handler.close();
                  }
                }
              }
              System.out.println("Leaving listener");
            }
          }

          class ListenerHandler implements Runnable, Closeable {
            private final String address;
            private final CountDownLatch latch;

            ListenerHandler(String address, CountDownLatch latch) {
              this.address = address;
              this.latch = latch;
            }

            @Override
            public void run() {
              try {
                System.out.println("accepting election connections on " + address);
              } finally {
                latch.countDown();
              }
            }

            @Override
            public void close() {}
          }
        }
        """
        .formatted(handOff);
  }

  /**
   * Apache ZooKeeper ZOOKEEPER-3183 (PR #689), fixed in 3.6.0: {@code
   * WatcherCleaner.addDeadWatcher} (a public method of a {@code Thread} subclass, called on the
   * connection threads) waits while too many dead watchers are queued and, when interrupted, logs
   * and waits again, so an interrupted caller (a server shutting down) cannot leave. The fix breaks
   * out of the loop, but does not restore the flag either.
   */
  @Test
  void zookeeper3183AddDeadWatcherIgnoresInterrupt() {
    // Caught. The fixed version is reported too, rightly: it leaves the loop but still clears the
    // caller's flag (the marker sits in the shared template, so both versions must report it).
    tether().addSourceLines("zookeeper/WatcherCleaner.java", zookeeperWatcherCleaner("")).doTest();
    tether()
        .addSourceLines("zookeeper/WatcherCleaner.java", zookeeperWatcherCleaner("break;"))
        .doTest();
  }

  private static String zookeeperWatcherCleaner(String onInterrupt) {
    return """
        package zookeeper;

        import java.util.HashSet;
        import java.util.Set;
        import java.util.concurrent.atomic.AtomicInteger;

        public class WatcherCleaner extends Thread {
          private volatile boolean stopped = false;
          private final Object cleanEvent = new Object();
          private final Object processingCompletedEvent = new Object();
          private final Set<Integer> deadWatchers = new HashSet<>();
          private final AtomicInteger totalDeadWatchers = new AtomicInteger();
          private final int maxInProcessingDeadWatchers = 1000;

          public void addDeadWatcher(int watcherBit) {
            while (maxInProcessingDeadWatchers > 0
                && !stopped
                && totalDeadWatchers.get() >= maxInProcessingDeadWatchers) {
              try {
                synchronized (processingCompletedEvent) {
                  processingCompletedEvent.wait(100);
                }
                // BUG: Diagnostic contains: [SwallowedInterrupt]
              } catch (InterruptedException e) {
                System.out.println("Got interrupted while waiting for dead watches queue size");
                %s
              }
            }
            synchronized (this) {
              if (deadWatchers.add(watcherBit)) {
                totalDeadWatchers.incrementAndGet();
              }
            }
          }

          @Override
          public void run() {
            while (!stopped) {
              synchronized (cleanEvent) {
                try {
                  cleanEvent.wait(1000);
                } catch (InterruptedException e) {
                  System.out.println("Received InterruptedException while waiting for cleanEvent");
                  break;
                }
              }
              // cleans the dead watchers in a worker pool (left out)
            }
          }

          public void shutdown() {
            stopped = true;
            deadWatchers.clear();
          }
        }
        """
        .formatted(onInterrupt);
  }
}
