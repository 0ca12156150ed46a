package dev.quarry.remote;

/**
 * How many shards a queue wants: pure functions of the observed load, with no state of their own
 * (immutable, safe from any thread). The queue samples its counters every {@link #EVERY_MS} and
 * folds them into exponentially weighted averages ({@link Rates#observe}); from those {@link
 * #desiredShards} works out the shards that would send the incoming rate plus 1 % of the backlog
 * per second, at the time sending has taken per sample.
 *
 * <p>Like Prometheus' {@code calculateDesiredShards} it keeps the current number when the data is
 * missing (nothing sent yet) and within 30 % of it, and clamps to {@code min_shards} (at least 1)
 * and {@code max_shards}; unlike it, the backlog is caught up at 1 % rather than 5 % per second,
 * the tolerance band is compared before rounding up and excludes its bounds, and a queue far behind
 * may shard down.
 */
final class ReshardPolicy {
  /** How often the queue reconsiders its shards. */
  static final long EVERY_MS = 10_000;

  /** Changes within 30 % of the current number (these factors) are not worth a flush. */
  static final double LOWER = 0.7;

  static final double UPPER = 1.3;

  /** The share of the backlog to send per second on top of the incoming rate. */
  static final double BACKLOG_CATCHUP = 0.01;

  /** The weight of the newest observation in the averages. */
  static final double EWMA_WEIGHT = 0.2;

  private ReshardPolicy() {}

  /**
   * The load averages: samples read per second, samples sent per second, and seconds spent sending
   * per second; negative until the first observation.
   */
  record Rates(double in, double out, double outSeconds) {
    static final Rates NONE = new Rates(-1, -1, -1);

    /** These averages after counting {@code in} read, {@code out} sent and {@code sendNanos}. */
    Rates observe(double seconds, long in, long out, long sendNanos) {
      return new Rates(
          ewma(this.in, in / seconds),
          ewma(this.out, out / seconds),
          ewma(this.outSeconds, sendNanos / 1e9 / seconds));
    }
  }

  /** An exponentially weighted average: {@code v} itself when there is no {@code prev} (< 0). */
  static double ewma(double prev, double v) {
    return prev < 0 ? v : prev * (1 - EWMA_WEIGHT) + v * EWMA_WEIGHT;
  }

  /**
   * The shards wanted at {@code rates} with {@code current} running, when the newest sample sent is
   * {@code lagSeconds} behind the newest read.
   */
  static int desiredShards(
      int current, Rates rates, double lagSeconds, int minShards, int maxShards) {
    if (rates.out() <= 0 || rates.outSeconds() <= 0) {
      return current;
    }
    double timePerSample = rates.outSeconds() / rates.out();
    double pendingSamples = rates.in() * Math.max(0, lagSeconds);
    double desired = timePerSample * (rates.in() + BACKLOG_CATCHUP * pendingSamples);
    if (desired > current * LOWER && desired < current * UPPER) {
      return current;
    }
    int d = (int) Math.ceil(desired);
    return Math.max(Math.max(1, minShards), Math.min(maxShards, d));
  }

  /**
   * Whether resharding may happen now: not within two periods of a failed send, as the flush it
   * needs would wait for the receiver.
   */
  static boolean mayReshard(long nowMillis, long lastFailureMillis) {
    return nowMillis - lastFailureMillis >= 2 * EVERY_MS;
  }
}
