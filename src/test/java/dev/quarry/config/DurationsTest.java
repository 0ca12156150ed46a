package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Prometheus' duration and size syntax. */
class DurationsTest {

  @ParameterizedTest(name = "{0} = {1} ms, printed {2}")
  @CsvSource({
    "0, 0, 0s",
    "500ms, 500, 500ms",
    "15s, 15000, 15s",
    "1m30s, 90000, 1m30s",
    "90s, 90000, 1m30s",
    "1h, 3600000, 1h",
    "1d, 86400000, 1d",
    "1w, 604800000, 1w",
    "1y, 31536000000, 1y",
    "2h30m15s250ms, 9015250, 2h30m15s250ms",
    "14d, 1209600000, 2w",
  })
  void parsesAndFormatsAsPrometheus(String text, long millis, String printed) {
    Duration d = Durations.parse(text);
    assertEquals(millis, d.toMillis());
    assertEquals(printed, Durations.format(d));
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @ValueSource(strings = {"", "1.5m", "-1s", "1m1h", "1s1s", "10", "s", "1 m", "1M", "5mss"})
  void rejectsWhatPrometheusRejects(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
  }

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({"0, 0", "1B, 1", "1KB, 1024", "10MB, 10485760", "2GB, 2147483648", "512KiB, 524288"})
  void parsesSizes(String text, long bytes) {
    assertEquals(bytes, Sizes.parse(text));
  }

  @ParameterizedTest(name = "rejects size \"{0}\"")
  @ValueSource(strings = {"", "10", "1.5MB", "MB", "-1KB", "10XB"})
  void rejectsBadSizes(String text) {
    assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
  }
}
