package dev.quarry.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.config.QueueConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Retry decisions and waits, as tables (no queue runs). */
class BackoffPolicyTest {
  private static final long NOW =
      ZonedDateTime.of(2015, 10, 21, 7, 28, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();

  @ParameterizedTest(name = "min {0} ms, max {1} ms → {2}")
  @CsvSource({
    "30, 5000, '30 60 120 240 480 960 1920 3840 5000 5000'",
    "100, 1000, '100 200 400 800 1000 1000'",
    "100, 300, '100 200 300 300'", // capped, not doubled past the cap
    "0, 4, '1 2 4 4'", // at least 1 ms
    "500, 100, '500 500 500'", // max_backoff below min_backoff: min_backoff
    "1000, 9223372036854775807, '1000 2000 4000'",
  })
  void waitsDoubleFromMinBackoffToMaxBackoff(long min, long max, String expected) {
    BackoffPolicy p = BackoffPolicy.of(queue(min, max, false));
    List<Long> want = Arrays.stream(expected.split(" ")).map(Long::valueOf).toList();
    List<Long> got = new ArrayList<>();
    long b = p.first();
    for (int i = 0; i < want.size(); i++) {
      got.add(b);
      b = p.next(b);
    }
    assertEquals(want, got);
  }

  @ParameterizedTest
  @CsvSource({
    "0, false, true", // no answer: network error or timeout
    "500, false, true",
    "503, false, true",
    "599, false, true",
    "429, false, false",
    "429, true, true", // retry_on_http_429
    "400, true, false",
    "404, false, false",
    "413, true, false",
    "301, false, false",
  })
  void whatIsRetried(int status, boolean retryOn429, boolean retried) {
    assertEquals(retried, BackoffPolicy.of(queue(30, 5000, retryOn429)).recoverable(status));
  }

  @ParameterizedTest(name = "Retry-After [{0}] → {1} ms")
  @CsvSource({
    "3, 3000",
    "' 7 ', 7000",
    "0, 0",
    "-5, 0",
    "1.5, -1",
    "soon, -1",
    "'', -1",
    ", -1", // absent
    "'Wed, 21 Oct 2015 07:28:05 GMT', 5000",
    "'Wed, 21 Oct 2015 07:28:00 GMT', 0",
    "'Wed, 21 Oct 2015 07:27:00 GMT', 0", // a date past is now
    "'Wed, 21 Oct 2015 08:28:00 +0100', 0",
    "'2015-10-21T07:28:05Z', -1", // not an HTTP date
  })
  void retryAfterInSecondsOrAsAnHttpDate(String header, long millis) {
    assertEquals(millis, BackoffPolicy.retryAfterMillis(header, NOW));
  }

  @ParameterizedTest(name = "back-off {0} ms, Retry-After [{1}] → sleep {2} ms")
  @CsvSource({
    "400, 2, 2000", // the receiver's wait wins, longer
    "4000, 2, 2000", // or shorter
    "400, 0, 0",
    "400, , 400",
    "400, bad, 400",
    "400, 'Wed, 21 Oct 2015 07:28:01 GMT', 1000",
  })
  void retryAfterReplacesTheBackoff(long backoff, String header, long sleep) {
    assertEquals(sleep, BackoffPolicy.sleepMillis(backoff, header, NOW));
  }

  @ParameterizedTest
  @CsvSource({"3", "'Wed, 21 Oct 2015 07:28:05 GMT'"})
  void theCurrentClockIsUsedWithoutOne(String header) {
    long ms = BackoffPolicy.retryAfterMillis(header);
    long expected =
        header.equals("3") ? 3000 : Math.max(0, NOW + 5000 - Instant.now().toEpochMilli());
    assertEquals(expected, ms);
  }

  private static QueueConfig queue(long minMillis, long maxMillis, boolean retryOn429) {
    return new QueueConfig(
        100,
        1,
        1,
        10,
        Duration.ofSeconds(5),
        Duration.ofMillis(minMillis),
        Duration.ofMillis(maxMillis),
        retryOn429,
        Duration.ZERO);
  }
}
