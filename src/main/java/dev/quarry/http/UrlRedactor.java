package dev.quarry.http;

/**
 * Hides the password of a URL's user information wherever a URL is shown or logged, the way
 * Prometheus' {@code config.URL} is rendered: {@code http://user:pass@host/path} becomes {@code
 * http://user:xxxxx@host/path}. A URL without a password (no userinfo, or a user name only) is
 * returned unchanged, so the result still identifies the endpoint.
 *
 * <p>Works on the text, not on a parsed URI, so it also handles strings that {@link java.net.URI}
 * rejects and URLs embedded in messages. Stateless and thread-safe.
 */
public final class UrlRedactor {
  /** What Prometheus writes in place of a URL's password. */
  public static final String MASK = "xxxxx";

  private UrlRedactor() {}

  /** The URL with its password replaced by {@link #MASK}; null stays null. */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    return redactFrom(url, scheme + 3, url.length(), new StringBuilder()).toString();
  }

  /**
   * Every {@code scheme://user:password@} in a free text (a log line, an error message) with the
   * password replaced. A URL's authority ends at a slash, query, fragment, quote or blank.
   */
  public static String redactAll(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    int scheme;
    while ((scheme = text.indexOf("://", from)) >= 0) {
      int start = scheme + 3;
      int end = start;
      while (end < text.length() && !endsText(text.charAt(end))) {
        end++;
      }
      out.append(text, from, start);
      redactAuthority(text, start, end, out);
      from = end;
    }
    return out.append(text, from, text.length()).toString();
  }

  private static StringBuilder redactFrom(String url, int start, int limit, StringBuilder out) {
    int end = start;
    while (end < limit && !endsAuthority(url.charAt(end))) {
      end++;
    }
    out.append(url, 0, start);
    redactAuthority(url, start, end, out);
    return out.append(url, end, limit);
  }

  /** Appends {@code s[start, end)} (an authority) with the password of its userinfo masked. */
  private static void redactAuthority(String s, int start, int end, StringBuilder out) {
    int at = s.lastIndexOf('@', end - 1);
    int colon = s.indexOf(':', start);
    if (at < start || colon < 0 || colon > at) {
      out.append(s, start, end);
      return;
    }
    out.append(s, start, colon + 1).append(MASK).append(s, at, end);
  }

  private static boolean endsAuthority(char c) {
    return c == '/' || c == '?' || c == '#';
  }

  private static boolean endsText(char c) {
    return endsAuthority(c) || c == '"' || c == '\'' || c == '`' || Character.isWhitespace(c);
  }
}
