package dev.quarry.util;

/** UTF-8 measures of Java strings, without encoding them. Stateless and thread-safe. */
public final class Utf8 {
  private Utf8() {}

  /**
   * The length of {@code s} in UTF-8 bytes, as Prometheus measures label names and values: a
   * surrogate pair counts four bytes, any other char one to three.
   */
  public static int length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
