package dev.quarry.relabel;

/**
 * Lower- and upper-casing as the {@code lowercase}/{@code uppercase} actions do it: one code point
 * at a time with the simple Unicode mapping, never the locale-dependent or length-changing rules of
 * {@link String#toLowerCase()} (so the Turkish dotted I stays one character). Stateless.
 */
final class CaseMapping {
  private CaseMapping() {}

  static String lower(String s) {
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (Character.toLowerCase(cp) != cp) {
        return map(s, i, true);
      }
      i += Character.charCount(cp);
    }
    return s; // already lower case: no copy
  }

  static String upper(String s) {
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (Character.toUpperCase(cp) != cp) {
        return map(s, i, false);
      }
      i += Character.charCount(cp);
    }
    return s;
  }

  private static String map(String s, int from, boolean lower) {
    StringBuilder sb = new StringBuilder(s.length()).append(s, 0, from);
    for (int i = from; i < s.length(); ) {
      int cp = s.codePointAt(i);
      sb.appendCodePoint(lower ? Character.toLowerCase(cp) : Character.toUpperCase(cp));
      i += Character.charCount(cp);
    }
    return sb.toString();
  }
}
