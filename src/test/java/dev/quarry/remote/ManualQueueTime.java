package dev.quarry.remote;

import dev.quarry.util.Clock;
import dev.quarry.util.SerialScheduler;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;

/**
 * Time for a remote queue that moves only when a thread sleeps or waits on it, or when the test
 * advances it: a {@link Clock} whose sleeps and timed waits return at once with the clock moved on
 * by their length (each sleep recorded), and a {@link SerialScheduler} whose tasks run on the
 * thread that calls {@link #advance}, in order of their time. Thread-safe.
 */
final class ManualQueueTime implements Clock, SerialScheduler {
  private record Due(long at, long seq, Runnable task, boolean[] cancelled) {}

  private final AtomicLong millis;
  private final PriorityQueue<Due> timers =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long seq;
  private volatile boolean shutdown;

  /** The sleeps asked for, in milliseconds, in order. */
  final List<Long> sleeps = new CopyOnWriteArrayList<>();

  ManualQueueTime(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public long nanos() {
    return millis.get() * 1_000_000;
  }

  @Override
  public void sleep(long ms) {
    sleeps.add(ms);
    millis.addAndGet(ms);
  }

  /** The wait times out at once, the clock moved on by its length (rounded up to a millisecond). */
  @Override
  public long awaitNanos(Condition c, long nanos) {
    millis.addAndGet(Math.max(1, (nanos + 999_999) / 1_000_000));
    return 0;
  }

  @Override
  public synchronized Pending schedule(long delayMillis, Runnable task) {
    boolean[] cancelled = {false};
    timers.add(new Due(millis.get() + Math.max(0, delayMillis), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  @Override
  public void execute(Runnable task) {
    schedule(0, task);
  }

  /** No task runs after this. */
  @Override
  public void shutdown() {
    shutdown = true;
  }

  boolean isShutdown() {
    return shutdown;
  }

  /** Runs the tasks due within {@code ms}, moving the clock to each one's time, then to the end. */
  void advance(long ms) {
    long until = millis.get() + ms;
    for (Due d = takeDue(until); d != null; d = takeDue(until)) {
      millis.accumulateAndGet(d.at, Math::max);
      if (!d.cancelled[0] && !shutdown) {
        d.task.run();
      }
    }
    millis.accumulateAndGet(until, Math::max);
  }

  /** The earliest task due by {@code until}, taken off the queue; null when none is. */
  private synchronized Due takeDue(long until) {
    Due d = timers.peek();
    return d == null || d.at > until ? null : timers.poll();
  }

  /** How many tasks are set and not cancelled. */
  synchronized int pending() {
    return (int) timers.stream().filter(d -> !d.cancelled[0]).count();
  }
}
