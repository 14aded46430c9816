package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tether.testing.ThreadLeakDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every public method and constructor of the runtime, called with {@code null} for one of its
 * non-{@link Nullable} reference parameters at a time, throws a {@link NullPointerException} whose
 * message is that parameter's name (the runtime is compiled with {@code -parameters}). The classes
 * are found on the class path, so a new public method is covered without touching this test; a new
 * parameter type or receiver needs a line in {@link #ARGUMENTS} or {@link #receiver}.
 */
@Timeout(60)
class NullArgumentsTest {

  /** A value for each parameter type, for the parameters that are not the one set to null. */
  @SuppressWarnings("FutureReturnValueIgnored") // a completed future, as an argument
  private static final Map<Class<?>, Supplier<Object>> ARGUMENTS =
      Map.ofEntries(
          Map.entry(CancelScope.class, CancelScope::root),
          Map.entry(Duration.class, () -> Duration.ofMillis(1)),
          Map.entry(Instant.class, () -> Instant.now().plusSeconds(3600)),
          Map.entry(Throwable.class, () -> new IllegalStateException("test")),
          Map.entry(Runnable.class, () -> (Runnable) () -> {}),
          Map.entry(CountDownLatch.class, () -> new CountDownLatch(0)),
          Map.entry(java.util.concurrent.BlockingQueue.class, () -> queueOfOne()),
          Map.entry(
              java.util.concurrent.Future.class, () -> CompletableFuture.completedFuture("x")),
          Map.entry(Object.class, () -> "x"),
          Map.entry(String.class, () -> "x"),
          Map.entry(String[].class, () -> new String[0]),
          Map.entry(Executor.class, () -> (Executor) Runnable::run),
          Map.entry(Channel.Receiver.class, () -> closedReceiver()),
          Map.entry(int.class, () -> 1),
          Map.entry(long.class, () -> 1L),
          Map.entry(boolean.class, () -> false));

  private static LinkedBlockingQueue<Object> queueOfOne() {
    LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
    q.add("x");
    return q;
  }

  private static Channel.Receiver<Object> closedReceiver() {
    Channel<Object> ch = Channel.open(1);
    ch.sender().close();
    return ch.receiver();
  }

  /** Things to close after a call: groups, pools, owners made as receivers or arguments. */
  private final List<AutoCloseable> toClose = new ArrayList<>();

  private @Nullable Object receiver(Class<?> type) {
    if (type == CancelScope.class) {
      return keep(CancelScope.root().withCancel());
    }
    if (type == CancelScope.Registration.class) {
      return CancelScope.root().withCancel().onCancel(() -> {});
    }
    if (type == TaskGroup.class) {
      return keep(TaskGroup.open());
    }
    if (type == ResultGroup.class) {
      return keep(ResultGroup.open());
    }
    if (type == WorkerPool.class) {
      return keep(WorkerPool.open(CancelScope.root(), (s, j) -> {}));
    }
    if (type == Channel.class) {
      return Channel.open(1);
    }
    if (type == Channel.Sender.class) {
      return Channel.open(1).sender();
    }
    if (type == Channel.Receiver.class) {
      return closedReceiver();
    }
    if (type == Ticker.class) {
      return keep(Ticker.open(Duration.ofHours(1)));
    }
    if (type == StateOwner.class) {
      return keep(StateOwner.open(CancelScope.root(), new Object()));
    }
    if (type == ThreadLeakDetector.class) {
      return ThreadLeakDetector.create();
    }
    if (type == ThreadLeakDetector.Snapshot.class) {
      return ThreadLeakDetector.create().snapshot();
    }
    throw new AssertionError("no receiver for " + type.getName() + ": add one to this test");
  }

  private <T extends AutoCloseable> T keep(T resource) {
    toClose.add(resource);
    return resource;
  }

  private @Nullable Object argument(Class<?> type) {
    if (type == TaskGroup.class) {
      return keep(TaskGroup.open());
    }
    Supplier<Object> value = ARGUMENTS.get(type);
    if (value != null) {
      return value.get();
    }
    if ((type.isInterface() && type.isAnnotationPresent(FunctionalInterface.class))
        || type == java.util.function.Function.class
        || type == java.util.function.Consumer.class
        || type == java.util.concurrent.ThreadFactory.class) {
      return Proxy.newProxyInstance(
          type.getClassLoader() == null ? getClass().getClassLoader() : type.getClassLoader(),
          new Class<?>[] {type},
          (proxy, method, args) -> {
            throw new AssertionError("called " + method + " although an argument was null");
          });
    }
    throw new AssertionError("no argument for " + type.getName() + ": add one to this test");
  }

  /** The runtime's public classes, nested ones included, from its class-path directory. */
  static List<Class<?>> publicClasses() throws IOException, URISyntaxException {
    Path root =
        Path.of(CancelScope.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        if (!relative.endsWith(".class") || relative.contains("package-info")) {
          continue;
        }
        String name = relative.substring(0, relative.length() - 6).replace('/', '.');
        try {
          Class<?> c = Class.forName(name, false, NullArgumentsTest.class.getClassLoader());
          if (isPublic(c)) {
            classes.add(c);
          }
        } catch (ClassNotFoundException e) {
          throw new UncheckedIOException(new IOException(e));
        }
      }
    }
    return classes;
  }

  private static boolean isPublic(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass()) {
        return false;
      }
    }
    return true;
  }

  @Test
  void everyNullArgumentExceptionNamesItsParameter() throws Exception {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Class<?> c : publicClasses()) {
      if (c.isAnnotation()
          || c.isAnnotationPresent(FunctionalInterface.class) // implemented by users
          || c.getSimpleName().equals("ThreadLeakExtension")) { // JUnit never passes null
        continue;
      }
      List<Executable> members = new ArrayList<>();
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
          members.add(m);
        }
      }
      for (var k : c.getDeclaredConstructors()) {
        if (Modifier.isPublic(k.getModifiers())) {
          members.add(k);
        }
      }
      for (Executable member : members) {
        Parameter[] params = member.getParameters();
        for (int i = 0; i < params.length; i++) {
          Parameter p = params[i];
          if (p.getType().isPrimitive()
              || p.getAnnotatedType().isAnnotationPresent(Nullable.class)
              || !p.isNamePresent()) {
            assertTrue(p.getType().isPrimitive() || p.isNamePresent(), "compile with -parameters");
            continue;
          }
          checked++;
          String problem = callWithNull(c, member, i);
          if (problem != null) {
            wrong.add(
                c.getSimpleName() + "." + member.getName() + "(" + p.getName() + "): " + problem);
          }
        }
      }
    }
    assertTrue(checked > 40, "too few parameters found: " + checked);
    assertEquals(List.of(), wrong);
  }

  private @Nullable String callWithNull(Class<?> c, Executable member, int nullIndex)
      throws Exception {
    Parameter[] params = member.getParameters();
    Object[] args = new Object[params.length];
    try {
      for (int i = 0; i < params.length; i++) {
        args[i] = i == nullIndex ? null : argument(params[i].getType());
      }
      Object target =
          Modifier.isStatic(member.getModifiers())
                  || member instanceof java.lang.reflect.Constructor<?>
              ? null
              : receiver(c);
      try {
        if (member instanceof Method m) {
          m.invoke(target, args);
        } else {
          ((java.lang.reflect.Constructor<?>) member).newInstance(args);
        }
        return "no exception";
      } catch (InvocationTargetException e) {
        Throwable thrown = e.getCause();
        if (!(thrown instanceof NullPointerException)) {
          return "threw " + thrown;
        }
        String expected = params[nullIndex].getName();
        return expected.equals(thrown.getMessage()) ? null : "message " + thrown.getMessage();
      }
    } finally {
      for (AutoCloseable r : toClose) {
        try {
          r.close();
        } catch (Exception e) {
          fail(e);
        }
      }
      toClose.clear();
    }
  }
}
