package dev.quarry.util;

/**
 * Go's {@code %q} ({@code strconv.Quote}), for error messages worded as Prometheus words them: in
 * double quotes, {@code "} and backslash escaped, printable characters kept, the seven C escapes
 * ({@code \a \b \f \n \r \t \v}) by name, other control characters as {@code \xHH}, other
 * unprintable characters as Go's four- or eight-digit unicode escapes, and each byte of invalid
 * UTF-8 as {@code \xHH}. Stateless.
 */
public final class GoQuote {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoQuote() {}

  /** {@code s} quoted; null is quoted as the empty string, a lone surrogate as U+FFFD. */
  public static String quote(String s) {
    if (s == null) {
      return "\"\"";
    }
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      rune(sb, Character.isSurrogate((char) cp) ? 0xfffd : cp);
    }
    return sb.append('"').toString();
  }

  /** The bytes {@code b[from, to)}, read as UTF-8, quoted. */
  public static String quote(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from + 2).append('"');
    int i = from;
    while (i < to) {
      int n = runeLength(b, i, to);
      if (n == 0) {
        hex(sb.append("\\x"), b[i] & 0xff, 2);
        i++;
        continue;
      }
      int cp = b[i] & 0xff;
      if (n > 1) {
        cp &= 0x7f >> n;
        for (int k = 1; k < n; k++) {
          cp = (cp << 6) | (b[i + k] & 0x3f);
        }
      }
      rune(sb, cp);
      i += n;
    }
    return sb.append('"').toString();
  }

  /** The length of the valid UTF-8 sequence at {@code i}, or 0: no overlong forms or surrogates. */
  private static int runeLength(byte[] b, int i, int end) {
    int b0 = b[i] & 0xff;
    if (b0 < 0x80) {
      return 1;
    }
    int n;
    int lo = 0x80;
    int hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      n = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      n = 3;
      lo = b0 == 0xe0 ? 0xa0 : 0x80;
      hi = b0 == 0xed ? 0x9f : 0xbf;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      n = 4;
      lo = b0 == 0xf0 ? 0x90 : 0x80;
      hi = b0 == 0xf4 ? 0x8f : 0xbf;
    } else {
      return 0;
    }
    if (i + n > end) {
      return 0;
    }
    int b1 = b[i + 1] & 0xff;
    if (b1 < lo || b1 > hi) {
      return 0;
    }
    for (int k = 2; k < n; k++) {
      if ((b[i + k] & 0xc0) != 0x80) {
        return 0;
      }
    }
    return n;
  }

  private static void rune(StringBuilder sb, int cp) {
    switch (cp) {
      case '"' -> sb.append("\\\"");
      case '\\' -> sb.append("\\\\");
      case 0x07 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case 0x0b -> sb.append("\\v");
      default -> {
        if (printable(cp)) {
          sb.appendCodePoint(cp);
        } else if (cp < 0x20 || cp == 0x7f) {
          hex(sb.append("\\x"), cp, 2);
        } else if (cp < 0x10000) {
          hex(sb.append("\\u"), cp, 4);
        } else {
          hex(sb.append("\\U"), cp, 8);
        }
      }
    }
  }

  /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols, ASCII space. */
  private static boolean printable(int cp) {
    if (cp < 0x80) {
      return cp >= 0x20 && cp < 0x7f;
    }
    return switch (Character.getType(cp)) {
      case Character.SPACE_SEPARATOR,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED ->
          false;
      default -> true;
    };
  }

  private static void hex(StringBuilder sb, int v, int digits) {
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
      sb.append(HEX[(v >>> shift) & 0xf]);
    }
  }
}
