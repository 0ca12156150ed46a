package dev.quarry.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Expected values are Go 1.x {@code strconv.Quote} output for the same bytes. */
class GoQuoteTest {
  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("empty", "", "\"\""),
        Arguments.of("plain", "plain", "\"plain\""),
        Arguments.of("quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\""),
        Arguments.of("named escapes", "\u0007\b\f\n\r\t\u000b", "\"\\a\\b\\f\\n\\r\\t\\v\""),
        Arguments.of("other controls", "\u0000\u001f\u007f", "\"\\x00\\x1f\\x7f\""),
        Arguments.of("printable non-ASCII", "é ü 日本", "\"é ü 日本\""),
        Arguments.of("unprintable spaces", "\u00a0\u200b\u2028", "\"\\u00a0\\u200b\\u2028\""),
        Arguments.of("astral printable", "\uD83D\uDE00", "\"\uD83D\uDE00\""),
        Arguments.of("astral unprintable", "\uDB40\uDC01", "\"\\U000e0001\""),
        Arguments.of("replacement character", "\ufffd", "\"\ufffd\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void stringIsQuotedAsGoDoes(String name, String in, String quoted) {
    assertEquals(quoted, GoQuote.quote(in));
    byte[] b = ("xx" + in + "yy").getBytes(StandardCharsets.UTF_8);
    assertEquals(quoted, GoQuote.quote(b, 2, b.length - 2));
  }

  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        Arguments.of("lone high byte", new byte[] {(byte) 0xff}, "\"\\xff\""),
        Arguments.of("cut sequence", new byte[] {'a', (byte) 0xc3}, "\"a\\xc3\""),
        Arguments.of(
            "encoded surrogate",
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            "\"\\xed\\xa0\\x80\""),
        Arguments.of("overlong slash", new byte[] {(byte) 0xc0, (byte) 0xaf}, "\"\\xc0\\xaf\""),
        Arguments.of(
            "beyond U+10FFFF",
            new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            "\"\\xf4\\x90\\x80\\x80\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void invalidBytesAreEscapedOneByOne(String name, byte[] in, String quoted) {
    assertEquals(quoted, GoQuote.quote(in, 0, in.length));
  }

  @Test
  void nullIsTheEmptyString() {
    assertEquals("\"\"", GoQuote.quote(null));
  }
}
