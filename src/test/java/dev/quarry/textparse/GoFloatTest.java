package dev.quarry.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFloatTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain integer | 42 | 42.0",
        "negative decimal | -3.25 | -3.25",
        "2^53 + 1 rounds to even | 9007199254740993 | 9007199254740992",
        "18 digits | 123456789012345678 | 123456789012345680",
        "20 digits | 12345678901234567890 | 12345678901234567000",
        "decimal with many digits | 3.14159265358979323846 | 3.141592653589793",
        "0.1 is the nearest double | 0.1 | 0.1",
        "exponent without sign | 1e3 | 1000",
        "upper-case exponent | 2E+2 | 200",
      })
  void parsesCorrectlyRounded(String name, String input, double expected) {
    GoFloat f = new GoFloat();
    byte[] b = input.getBytes();
    assertEquals(true, f.parse(b, 0, b.length));
    assertEquals(expected, f.result);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty string | '' | invalid syntax",
        "lone dot | . | invalid syntax",
        "lone sign | - | invalid syntax",
        "exponent without digits | 1e | invalid syntax",
        "hexadecimal float | 0x1p-2 | invalid syntax",
        "two dots | 1.2.3 | invalid syntax",
        "inf prefix | infin | invalid syntax",
        "overflow | 1e309 | value out of range",
        "negative overflow | -1e309 | value out of range",
      })
  void rejectsWhatGoAndPrometheusReject(String name, String input, String error) {
    GoFloat f = new GoFloat();
    byte[] b = input.getBytes();
    assertEquals(false, f.parse(b, 0, b.length));
    assertEquals(error, f.error);
  }

  @org.junit.jupiter.api.Test
  void exponentFormsParseExactlyAsJava() {
    java.util.Random r = new java.util.Random(42);
    GoFloat f = new GoFloat();
    for (int i = 0; i < 200_000; i++) {
      double d = Double.longBitsToDouble(r.nextLong());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        continue;
      }
      String text = String.format(java.util.Locale.ROOT, "%." + r.nextInt(17) + "e", d);
      byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      double expected = Double.parseDouble(text);
      if (Double.isInfinite(expected)) {
        continue;
      }
      org.junit.jupiter.api.Assertions.assertTrue(f.parse(b, 0, b.length), text);
      org.junit.jupiter.api.Assertions.assertEquals(
          Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(f.result), text);
    }
  }
}
