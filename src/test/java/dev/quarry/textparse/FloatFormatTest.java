package dev.quarry.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's strconv.FormatFloat(f, 'g', -1, 64) and Prometheus' formatOpenMetricsFloat over it. */
class FloatFormatTest {
  @ParameterizedTest(name = "{0} -> {1} / {2}")
  @CsvSource({
    "1, 1, 1.0",
    "0, 0, 0.0",
    "-1, -1, -1.0",
    "2.5, 2.5, 2.5",
    "0.005, 0.005, 0.005",
    "0.0001, 0.0001, 0.0001",
    "0.00001, 1e-05, 1e-05",
    "100000, 100000, 100000.0",
    "1000000, 1e+06, 1e+06",
    "1234567, 1.234567e+06, 1.234567e+06",
    "1.7976931348623157E308, 1.7976931348623157e+308, 1.7976931348623157e+308",
    "4.9E-324, 5e-324, 5e-324",
    "0.1, 0.1, 0.1",
    "-0.25, -0.25, -0.25"
  })
  void formatsAsGo(double f, String go, String openMetrics) {
    assertEquals(go, FloatFormat.goG(f));
    assertEquals(openMetrics, FloatFormat.openMetrics(f));
  }

  @ParameterizedTest
  @CsvSource({"Infinity, +Inf", "-Infinity, -Inf", "NaN, NaN"})
  void specialValues(double f, String openMetrics) {
    assertEquals(openMetrics, FloatFormat.openMetrics(f));
  }
}
