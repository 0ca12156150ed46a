package dev.quarry.promql;

import java.math.BigInteger;
import java.util.Locale;

/**
 * PromQL string literals: {@code "…"} and {@code '…'} with Go's escapes ({@code \a \b \f \n \r \t
 * \v \\}, the own quote, octal, hex and Unicode escapes), {@code `…`} raw. Errors are worded as
 * Prometheus' lexer words them.
 */
final class StringLiterals {
  private StringLiterals() {}

  /** The error of the escape starting at {@code at} (just after the backslash), or null. */
  static String checkEscape(String in, int at, char quote) {
    if (at >= in.length()) {
      return "escape sequence not terminated";
    }
    char c = in.charAt(at);
    int n;
    int base;
    long max;
    switch (c) {
      case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
        return null;
      }
      case 'x' -> {
        n = 2;
        base = 16;
        max = 255;
        at++;
      }
      case 'u' -> {
        n = 4;
        base = 16;
        max = Character.MAX_CODE_POINT;
        at++;
      }
      case 'U' -> {
        n = 8;
        base = 16;
        max = Character.MAX_CODE_POINT;
        at++;
      }
      default -> {
        if (c == quote) {
          return null;
        }
        if (c >= '0' && c <= '7') {
          n = 3;
          base = 8;
          max = 255;
        } else {
          return "unknown escape sequence " + goRune(in.codePointAt(at));
        }
      }
    }
    long x = 0;
    for (int i = 0; i < n; i++, at++) {
      if (at >= in.length()) {
        return "escape sequence not terminated";
      }
      int d = Character.digit(in.charAt(at), base);
      if (d < 0) {
        return "illegal character " + goRune(in.codePointAt(at)) + " in escape sequence";
      }
      x = x * base + d;
    }
    if (x > max || x >= 0xD800 && x < 0xE000) {
      return "escape sequence is an invalid Unicode code point";
    }
    return null;
  }

  /** Where the (valid) escape starting at {@code at} ends. */
  static int escapeEnd(String in, int at) {
    char c = in.charAt(at);
    return switch (c) {
      case 'x' -> at + 3;
      case 'u' -> at + 5;
      case 'U' -> at + 9;
      default -> c >= '0' && c <= '7' ? at + 3 : at + 1;
    };
  }

  /** The value of a string token (quotes included) the lexer accepted. */
  static String unquote(String token) {
    char q = token.charAt(0);
    String body = token.substring(1, token.length() - 1);
    if (q == '`' || body.indexOf('\\') < 0) {
      return body;
    }
    StringBuilder sb = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); ) {
      char c = body.charAt(i++);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = body.charAt(i);
      int end = escapeEnd(body, i);
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case 'x' -> sb.append((char) Integer.parseInt(body.substring(i + 1, end), 16));
        case 'u', 'U' -> sb.appendCodePoint(Integer.parseInt(body.substring(i + 1, end), 16));
        default -> {
          if (e >= '0' && e <= '7') {
            sb.append((char) Integer.parseInt(body.substring(i, end), 8));
          } else {
            sb.append(e);
          }
        }
      }
      i = end;
    }
    return sb.toString();
  }

  /** Go's {@code %#U}: {@code U+0071 'q'}. */
  static String goRune(int c) {
    String hex = String.format("U+%04X", c);
    return Character.isISOControl(c) ? hex : hex + " '" + new String(Character.toChars(c)) + "'";
  }

  /**
   * A number token's value: Go's {@code strconv.ParseInt(s, 0, 64)} (so {@code 0x1f} and octal
   * {@code 010}), else {@code ParseFloat}, as Prometheus reads it.
   *
   * @throws NumberFormatException when Go would not read it either
   */
  static double number(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    if (lower.startsWith("0x")) {
      return new BigInteger(s.substring(2), 16).doubleValue();
    }
    if (s.length() > 1 && s.charAt(0) == '0' && s.chars().allMatch(Lexer::isOctalDigit)) {
      return Long.parseLong(s, 8);
    }
    if (lower.endsWith("e") || lower.endsWith("e+") || lower.endsWith("e-") || s.equals(".")) {
      throw new NumberFormatException(s);
    }
    return Double.parseDouble(s);
  }
}
