package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values and times written as Prometheus' API writes them. */
class ValueFormatTest {
  @ParameterizedTest
  @CsvSource({
    "1, 1",
    "-2.5, -2.5",
    "0.1, 0.1",
    "4.1e-07, 4.1e-07",
    "0.000001, 0.000001",
    "1.8446744073709552e19, 18446744073709552000",
    "1e21, 1e+21",
    "-1.5e-10, -1.5e-10",
    "123456789.125, 123456789.125",
    "0.30000000000000004, 0.30000000000000004",
  })
  void values(double v, String expected) {
    assertEquals(expected, QueryResource.formatValue(v));
  }

  @ParameterizedTest
  @CsvSource({
    "1700000000123, 1700000000.123",
    "1700000000000, 1700000000",
    "1500, 1.5",
    "-10, -0.01"
  })
  void seconds(long millis, String expected) {
    assertEquals(expected, QueryResource.seconds(millis).toString());
  }
}
