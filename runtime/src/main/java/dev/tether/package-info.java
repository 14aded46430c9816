/**
 * Tether's runtime: structured concurrency for Java 17+.
 *
 * <p>Every task has an owner and a stop condition, cancellation and deadlines propagate down the
 * call tree, and shared state is protected.
 *
 * <h2>One vocabulary</h2>
 *
 * <ul>
 *   <li><b>{@code open}</b> is the one factory verb. Whatever runs tasks is opened under a parent
 *       {@link dev.tether.CancelScope} (or the root), configured with {@code with…} before its
 *       first task, and is {@link java.lang.AutoCloseable}.
 *   <li><b>{@code go}</b> / <b>{@code tryGo}</b> start work ({@code tryGo} never waits), on {@link
 *       dev.tether.TaskGroup}, {@link dev.tether.ResultGroup} and {@link dev.tether.WorkerPool}
 *       alike; <b>{@code withLimit}</b> bounds them and <b>{@code withExecutor}</b> picks their
 *       threads.
 *   <li><b>{@code await()}</b> always means: wait for all the work, then report its failures (the
 *       first one thrown, the others suppressed).
 *   <li><b>{@code close()}</b> always means: stop what is still running (cancel it), wait for it,
 *       and throw the first failure nothing else reported; after {@code await()} it does nothing.
 *       It is the one way to stop a {@link dev.tether.Ticker}, to remove a {@link
 *       dev.tether.CancelScope.Registration} and to end a scope.
 *   <li>Blocking methods take the caller's scope and throw {@link
 *       java.util.concurrent.CancellationException} (caused by the scope's cause) when it is
 *       cancelled, or {@link java.lang.InterruptedException} with the interrupt status left set.
 *   <li>Every class states its memory-consistency effects (what <i>happens-before</i> what), as
 *       {@code java.util.concurrent} does.
 * </ul>
 *
 * <h2>Go, errgroup and conc in Tether</h2>
 *
 * <table>
 *   <caption>Go idioms and their Tether names</caption>
 *   <tr><th>Go ({@code context}, {@code errgroup}, {@code conc})</th><th>Tether</th></tr>
 *   <tr><td>{@code context.Background()}</td><td>{@link dev.tether.CancelScope#root()}</td></tr>
 *   <tr><td>{@code ctx, cancel := context.WithCancel(parent)}; {@code defer cancel()}</td>
 *       <td>{@code try (CancelScope s = parent.withCancel()) { … }}</td></tr>
 *   <tr><td>{@code context.WithTimeout}, {@code context.WithDeadline}</td>
 *       <td>{@link dev.tether.CancelScope#withTimeout}, {@link dev.tether.CancelScope#withDeadline}
 *       </td></tr>
 *   <tr><td>{@code context.WithCancelCause}; {@code cancel(err)}; {@code context.Cause(ctx)}</td>
 *       <td>{@link dev.tether.CancelScope#cancel(Throwable)}; {@link
 *       dev.tether.CancelScope#cause()}</td></tr>
 *   <tr><td>{@code ctx.Err() != nil}; {@code <-ctx.Done()}</td>
 *       <td>{@link dev.tether.CancelScope#isCancelled()}, {@link
 *       dev.tether.CancelScope#throwIfCancelled()}; a blocking helper such as {@link
 *       dev.tether.CancelScope#sleep}</td></tr>
 *   <tr><td>{@code stop := context.AfterFunc(ctx, f)}; {@code stop()}</td>
 *       <td>{@code try (var r = scope.onCancel(f)) { … }} ({@link
 *       dev.tether.CancelScope#onCancel}, {@link dev.tether.CancelScope.Registration#close()})
 *       </td></tr>
 *   <tr><td>{@code select { case v := <-q: … case <-ctx.Done(): … }}</td>
 *       <td>{@link dev.tether.CancelScope#take}, {@link dev.tether.CancelScope#get}, {@link
 *       dev.tether.CancelScope#waitFor} ({@code wg.Wait()} on a {@link
 *       java.util.concurrent.CountDownLatch})</td></tr>
 *   <tr><td>{@code g, ctx := errgroup.WithContext(parent)}; {@code conc/pool.New().WithContext(ctx)}
 *       </td><td>{@code TaskGroup g = TaskGroup.open(parent)}; the tasks get {@code g.scope()}
 *       </td></tr>
 *   <tr><td>{@code g.Go(f)}; {@code g.TryGo(f)}</td>
 *       <td>{@link dev.tether.TaskGroup#go}; {@link dev.tether.TaskGroup#tryGo}</td></tr>
 *   <tr><td>{@code g.SetLimit(n)}; {@code WithMaxGoroutines(n)}</td>
 *       <td>{@link dev.tether.TaskGroup#withLimit}</td></tr>
 *   <tr><td>{@code err := g.Wait()}</td><td>{@link dev.tether.TaskGroup#await()} (throws)</td></tr>
 *   <tr><td>{@code conc/pool.NewWithResults[T]()}; {@code ResultContextPool}</td>
 *       <td>{@link dev.tether.ResultGroup#open}; {@code List<T> rs = group.await()}</td></tr>
 *   <tr><td>{@code conc/stream}, a worker pool reading a {@code chan}</td>
 *       <td>{@link dev.tether.WorkerPool#open(dev.tether.CancelScope,
 *       dev.tether.WorkerPool.Worker)}{@code .withLimit(n)}, {@link dev.tether.WorkerPool#go},
 *       {@link dev.tether.WorkerPool#drain}</td></tr>
 *   <tr><td>{@code ch := make(chan T, n)}</td><td>{@link dev.tether.Channel#open(int)}</td></tr>
 *   <tr><td>{@code ch <- v}; {@code v, ok := <-ch}; {@code close(ch)}</td>
 *       <td>{@link dev.tether.Channel.Sender#send}; {@link dev.tether.Channel.Receiver#receive}
 *       ({@code null}: closed); {@link dev.tether.Channel.Sender#close()}</td></tr>
 *   <tr><td>{@code for v := range ch}</td>
 *       <td>{@code for (T v : ch.receiver().values(scope))}</td></tr>
 *   <tr><td>{@code chan<- T}, {@code <-chan T}</td>
 *       <td>{@link dev.tether.Channel.Sender}, {@link dev.tether.Channel.Receiver}</td></tr>
 *   <tr><td>pipeline stages, each closing its output</td>
 *       <td>{@link dev.tether.Pipeline#source}, {@link dev.tether.Pipeline#map}</td></tr>
 *   <tr><td>{@code t := time.NewTicker(d)}; {@code <-t.C}; {@code t.Reset(d)}; {@code t.Stop()}
 *       </td><td>{@link dev.tether.Ticker#open(java.time.Duration)}; {@link
 *       dev.tether.Ticker#tick}; {@link dev.tether.Ticker#reset}; {@link
 *       dev.tether.Ticker#close()}</td></tr>
 *   <tr><td>a goroutine running {@code f} on every tick until {@code ctx} ends</td>
 *       <td>{@link dev.tether.Ticker#open(dev.tether.CancelScope, java.time.Duration, Runnable)}
 *       </td></tr>
 *   <tr><td>an owner goroutine serving requests on a channel</td>
 *       <td>{@link dev.tether.StateOwner#open}, {@link dev.tether.StateOwner#tell}, {@link
 *       dev.tether.StateOwner#ask}</td></tr>
 *   <tr><td>{@code goleak.VerifyNone(t)}</td>
 *       <td>{@link dev.tether.testing.DetectThreadLeaks}, {@link
 *       dev.tether.testing.ThreadLeakDetector}</td></tr>
 * </table>
 */
@NullMarked
package dev.tether;

import org.jspecify.annotations.NullMarked;
