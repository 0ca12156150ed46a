package dev.quarry.discovery;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Records what a provider or manager reports and waits for a report that matches. */
final class Updates<T> implements Consumer<T> {
  final List<T> seen = new CopyOnWriteArrayList<>();

  @Override
  public void accept(T t) {
    seen.add(t);
  }

  T last() {
    return seen.isEmpty() ? null : seen.get(seen.size() - 1);
  }

  /** Waits until the latest report matches, failing with the reports seen after the timeout. */
  T awaitLast(Predicate<T> p, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T l = last();
      if (l != null && p.test(l)) {
        return l;
      }
      Thread.sleep(10);
    }
    return fail("no matching report within " + timeout + "; saw " + seen);
  }
}
