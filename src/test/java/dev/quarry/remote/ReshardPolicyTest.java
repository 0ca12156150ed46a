package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shards a queue asks for, as a table of observed loads (no queue runs). */
class ReshardPolicyTest {
  @ParameterizedTest(name = "{0} shards, in {1}/s, out {2}/s, {3} s/s sending, {4} s late → {7}")
  @CsvSource({
    // current, in, out, outSeconds, lag, min, max, desired
    "3, 100, 0, 0.5, 0, 1, 10, 3", // nothing sent yet: stay
    "3, 100, 100, 0, 0, 1, 10, 3", // no sending time measured: stay
    "1, 1000, 1000, 2, 0, 1, 10, 2", // 2 ms per sample at 1000/s: two shards
    "2, 1000, 1000, 2, 0, 1, 10, 2",
    "10, 1000, 1000, 2, 0, 1, 10, 2", // far fewer needed: shard down
    "10, 1, 1, 12.9, 0, 1, 20, 10", // within 30 %: stay
    "10, 1, 1, 7.1, 0, 1, 20, 10",
    "10, 1, 1, 13, 0, 1, 20, 13", // the band excludes its bounds
    "10, 1, 1, 7, 0, 1, 20, 7",
    "10, 1, 1, 13.2, 0, 1, 20, 14", // rounded up
    "5, 1, 1, 50, 0, 1, 20, 20", // at most max_shards
    "10, 1, 1, 0.5, 0, 3, 20, 3", // at least min_shards
    "10, 1, 1, 0.1, 0, 0, 20, 1", // and at least one
    "1, 100, 100, 1, 100, 1, 10, 2", // 100 s behind: 1 % of the backlog per second on top
    "3, 100, 100, 1, -50, 1, 10, 1", // a negative lag counts as none
  })
  void desiredShards(
      int current,
      double in,
      double out,
      double outSeconds,
      double lag,
      int min,
      int max,
      int desired) {
    assertEquals(
        desired,
        ReshardPolicy.desiredShards(
            current, new ReshardPolicy.Rates(in, out, outSeconds), lag, min, max));
  }

  @ParameterizedTest
  @CsvSource({
    "-1, 5, 5", // the first observation is taken as it is
    "10, 20, 12",
    "0, 10, 2",
    "100, 100, 100",
  })
  void ewmaWeighsTheNewestObservationByAFifth(double prev, double v, double expected) {
    assertEquals(expected, ReshardPolicy.ewma(prev, v), 1e-9);
  }

  @ParameterizedTest
  @CsvSource({
    // seconds, in, out, sendNanos, in/s, out/s, sending s/s (after a first 10 s of 1000, 500, 2 s)
    "10, 1000, 500, 2000000000, 100, 50, 0.2",
    "10, 2000, 500, 0, 120, 50, 0.16",
    "5, 0, 0, 0, 80, 40, 0.16",
  })
  void ratesAreAveragedPerSecond(
      double secs,
      long in,
      long out,
      long nanos,
      double inRate,
      double outRate,
      double outSeconds) {
    ReshardPolicy.Rates first = ReshardPolicy.Rates.NONE.observe(10, 1000, 500, 2_000_000_000L);
    ReshardPolicy.Rates r = secs == 10 && in == 1000 ? first : first.observe(secs, in, out, nanos);
    assertEquals(inRate, r.in(), 1e-9);
    assertEquals(outRate, r.out(), 1e-9);
    assertEquals(outSeconds, r.outSeconds(), 1e-9);
  }

  @ParameterizedTest
  @CsvSource({
    "100000, 0, true",
    "100000, 80000, true", // two periods since the failure
    "100000, 80001, false",
    "100000, 100000, false",
  })
  void noReshardingSoonAfterAFailedSend(long now, long lastFailure, boolean may) {
    assertEquals(may, ReshardPolicy.mayReshard(now, lastFailure));
  }
}
