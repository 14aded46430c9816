package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PipelineTest {

  @Test
  void stagesMapFilterAndCloseTheirOutputs() throws InterruptedException {
    List<Integer> out = new ArrayList<>();
    try (TaskGroup group = TaskGroup.open()) {
      Channel.Receiver<Integer> numbers =
          Pipeline.source(
              group,
              4,
              (s, tx) -> {
                for (int i = 1; i <= 1000; i++) {
                  tx.send(s, i);
                }
              });
      Channel.Receiver<Integer> squares = Pipeline.map(group, numbers, 3, 4, (s, n) -> n * n);
      Channel.Receiver<String> evens =
          Pipeline.map(group, squares, 2, 0, (s, n) -> n % 2 == 0 ? Integer.toString(n) : null);
      for (String e : evens.values(group.scope())) {
        out.add(Integer.parseInt(e));
      }
      assertTrue(evens.isClosed(), "the last stage closed its output");
      group.await();
    }
    out.sort(null);
    assertEquals(500, out.size());
    assertEquals(4, out.get(0));
    assertEquals(1_000_000, out.get(499));
  }

  @Test
  void aFailingStageCancelsThePipeline() throws InterruptedException {
    IllegalArgumentException bad = new IllegalArgumentException("bad input");
    try (TaskGroup group = TaskGroup.open()) {
      Channel.Receiver<Integer> numbers =
          Pipeline.source(
              group,
              1,
              (s, tx) -> {
                for (int i = 0; ; i++) {
                  tx.send(s, i); // endless: only cancellation stops it
                }
              });
      Channel.Receiver<Integer> checked =
          Pipeline.map(
              group,
              numbers,
              2,
              1,
              (s, n) -> {
                if (n == 100) {
                  throw bad;
                }
                return n;
              });
      CancellationException e =
          assertThrows(
              CancellationException.class,
              () -> {
                for (Integer unused : checked.values(group.scope())) {
                  // consume
                }
              });
      assertSame(bad, e.getCause());
      assertSame(bad, assertThrows(IllegalArgumentException.class, group::await));
    }
  }

  @Test
  void parentCancellationStopsEveryStage() throws InterruptedException {
    CancelScope parent = CancelScope.root().withCancel();
    try (TaskGroup group = TaskGroup.open(parent)) {
      Channel.Receiver<Integer> numbers =
          Pipeline.source(
              group,
              0,
              (s, tx) -> {
                for (int i = 0; ; i++) {
                  tx.send(s, i);
                }
              });
      Channel.Receiver<Integer> same = Pipeline.map(group, numbers, 2, 0, (s, n) -> n);
      assertNotNull(same.receive(group.scope()), "the pipeline runs");
      parent.cancel();
      assertThrows(CancellationException.class, group::await);
    }
  }
}
