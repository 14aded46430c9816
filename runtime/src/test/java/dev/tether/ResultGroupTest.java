package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ResultGroupTest {

  @Test
  void resultsComeBackInSubmissionOrder() throws InterruptedException {
    List<Integer> expected = new ArrayList<>();
    try (ResultGroup<Integer> group = ResultGroup.<Integer>open().withLimit(8)) {
      for (int i = 0; i < 500; i++) {
        int n = i;
        expected.add(n * n);
        group.go(
            s -> {
              s.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextInt(100_000)));
              return n * n;
            });
      }
      List<Integer> results = group.await();
      assertEquals(expected, results);
      assertThrows(UnsupportedOperationException.class, () -> results.add(1));
    }
  }

  @Test
  void nullResultsAreKept() throws InterruptedException {
    try (ResultGroup<String> group = ResultGroup.open(CancelScope.root())) {
      group.go(s -> "a");
      group.go(s -> null);
      assertEquals(Arrays.asList("a", null), group.await());
    }
  }

  @Test
  void failureIsRethrownInsteadOfResults() {
    IllegalStateException boom = new IllegalStateException("boom");
    ResultGroup<String> group = ResultGroup.open();
    group.go(s -> "fine");
    group.go(
        s -> {
          throw boom;
        });
    assertSame(boom, assertThrows(IllegalStateException.class, group::await));
  }

  @Test
  void tryGoWhenFullLeavesNoHole() throws InterruptedException {
    try (ResultGroup<Integer> group = ResultGroup.<Integer>open().withLimit(1)) {
      CountDownLatch release = new CountDownLatch(1);
      group.go(
          s -> {
            s.waitFor(release);
            return 1;
          });
      assertFalse(group.tryGo(s -> 2));
      release.countDown();
      assertEquals(List.of(1), group.await());
    }
  }
}
