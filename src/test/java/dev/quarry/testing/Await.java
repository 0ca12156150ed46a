package dev.quarry.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for a condition that becomes true on another thread or process. */
public final class Await {
  private Await() {}

  /**
   * Returns once {@code condition} holds, checking every 20 ms at first and at most every 200 ms;
   * fails naming {@code what} when it still does not hold after {@code max} (checked once more at
   * the deadline).
   */
  public static void until(String what, Duration max, BooleanSupplier condition)
      throws InterruptedException {
    if (!within(max, condition)) {
      throw new AssertionError("timed out after " + max.toMillis() + " ms waiting for: " + what);
    }
  }

  /**
   * Whether {@code condition} came to hold within {@code max}, polled as {@link #until}: for a
   * caller whose own assertions then say what differs when it did not.
   */
  public static boolean within(Duration max, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long pause = 20;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(pause);
      pause = Math.min(200, pause * 2);
    }
    return condition.getAsBoolean();
  }
}
