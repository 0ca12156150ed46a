package dev.quarry.scrape;

import dev.quarry.util.Clock;
import dev.quarry.util.SerialScheduler;
import dev.quarry.util.Timer;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * Time that moves only when a test says so: a {@link Clock}, the loops' {@link Timer}, the
 * manager's {@link SerialScheduler}, and the loops' contexts as one queue. Every timer and queued
 * task runs on the thread that calls {@link #advance} or {@link #runUntil} (the test's thread, its
 * stand-in for the event loop); other threads (a pool syncing and waiting for its loops) may only
 * queue tasks. Timers due at the same time run in the order they were set.
 */
final class ManualTime implements Clock, SerialScheduler {
  private record Due(long at, long seq, Runnable task, boolean[] cancelled) {}

  private final PriorityQueue<Due> timers =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private final LinkedBlockingQueue<Runnable> queued = new LinkedBlockingQueue<>();
  private volatile long now;
  private long seq;

  /** How late timers set from now on fire, as an event loop's jitter makes them. */
  volatile long late;

  ManualTime(long startMillis) {
    this.now = startMillis;
  }

  @Override
  public long millis() {
    return now;
  }

  @Override
  public long nanos() {
    return now * 1_000_000;
  }

  /** The scrape engine never sleeps or waits on a clock: a test fails loudly if it starts to. */
  @Override
  public void sleep(long millis) {
    throw new UnsupportedOperationException("the scrape engine does not sleep");
  }

  @Override
  public long awaitNanos(Condition c, long nanos) {
    throw new UnsupportedOperationException("the scrape engine does not wait on a clock");
  }

  @Override
  public synchronized Pending schedule(long delayMillis, Runnable task) {
    boolean[] cancelled = {false};
    timers.add(new Due(now + Math.max(0, delayMillis) + late, seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Runs {@code task} at once, on the caller's thread (the manager's reload thread). */
  @Override
  public void execute(Runnable task) {
    task.run();
  }

  @Override
  public void shutdown() {}

  /** A context executor: tasks wait in the queue for the test's thread. */
  Executor context() {
    return queued::add;
  }

  /**
   * Runs the queued tasks and the timers due within {@code ms}, moving the clock to each timer's
   * time, then to {@code ms} from now.
   */
  void advance(long ms) {
    long until = now + ms;
    while (true) {
      drain();
      Due next;
      synchronized (this) {
        next = timers.peek();
        if (next == null || next.at > until) {
          break;
        }
        timers.poll();
        now = Math.max(now, next.at);
      }
      if (!next.cancelled[0]) {
        next.task.run();
      }
    }
    now = until;
    drain();
  }

  /** Advances to the absolute time {@code t}. */
  void advanceTo(long t) {
    advance(t - now);
  }

  /**
   * Runs queued tasks and timers due now until {@code done} holds, waiting up to 10 s of real time
   * for other threads to queue more; the clock does not move.
   */
  void runUntil(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      advance(0);
      if (done.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Runnable r = queued.poll(10, TimeUnit.MILLISECONDS);
      if (r != null) {
        r.run();
      }
    }
  }

  /** When the next live timer is due, or -1 when none is. */
  synchronized long nextTimer() {
    return timers.stream().filter(d -> !d.cancelled[0]).mapToLong(Due::at).min().orElse(-1);
  }

  private void drain() {
    for (Runnable r = queued.poll(); r != null; r = queued.poll()) {
      r.run();
    }
  }
}
