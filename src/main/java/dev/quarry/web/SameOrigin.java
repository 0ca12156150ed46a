package dev.quarry.web;

import java.util.Locale;

/**
 * Refuses state-changing requests a browser sends on behalf of another site (a cross-origin form
 * POST to {@code /-/reload} or {@code /-/quit}): the {@code Origin} must name the host the request
 * was sent to, and {@code Sec-Fetch-Site}, when sent, must be {@code same-origin} or {@code none}.
 * Tools that send neither header (curl, promtool, scripts) are let through. Pure and thread-safe.
 */
final class SameOrigin {
  private SameOrigin() {}

  /**
   * Null when the request may go on, else why it is refused.
   *
   * @param origin the {@code Origin} header or null
   * @param fetchSite the {@code Sec-Fetch-Site} header or null
   * @param host the {@code Host} header (the authority the client connected to) or null
   * @param secure whether the request came over TLS (for the default port)
   */
  static String refusal(String origin, String fetchSite, String host, boolean secure) {
    if (fetchSite != null) {
      String s = fetchSite.trim().toLowerCase(Locale.ROOT);
      if (!s.equals("same-origin") && !s.equals("none")) {
        return "cross-site request refused (Sec-Fetch-Site: " + fetchSite + ")";
      }
    }
    if (origin == null) {
      return null;
    }
    int scheme = origin.indexOf("://");
    if (scheme < 0 || host == null) {
      return "cross-origin request refused (Origin: " + origin + ")";
    }
    String originScheme = origin.substring(0, scheme).toLowerCase(Locale.ROOT);
    String originHost = normalise(origin.substring(scheme + 3), originScheme);
    String target = normalise(host, secure ? "https" : "http");
    if (!originHost.equals(target)) {
      return "cross-origin request refused (Origin: " + origin + ")";
    }
    return null;
  }

  /** The authority in lower case, without a trailing slash and without the scheme's port. */
  private static String normalise(String authority, String scheme) {
    String a = authority.trim().toLowerCase(Locale.ROOT);
    if (a.endsWith("/")) {
      a = a.substring(0, a.length() - 1);
    }
    String defaultPort = scheme.equals("https") ? ":443" : ":80";
    return a.endsWith(defaultPort) ? a.substring(0, a.length() - defaultPort.length()) : a;
  }
}
