package dev.quarry.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * An access token from a token endpoint, read as golang.org/x/oauth2 reads one: a JSON body, or a
 * form-encoded one when the response says {@code application/x-www-form-urlencoded} or {@code
 * text/plain}. {@code expiry} is null when the endpoint gave no {@code expires_in}: such a token
 * never expires. Immutable; {@link #toString()} leaves the token out.
 */
record OAuth2Token(String accessToken, String tokenType, Instant expiry) {
  /** How long before its expiry a token is replaced, as golang.org/x/oauth2's expiryDelta. */
  static final Duration EXPIRY_DELTA = Duration.ofSeconds(10);

  /** Whether the token may still be sent at {@code now}. */
  boolean validAt(Instant now) {
    return expiry == null || expiry.minus(EXPIRY_DELTA).isAfter(now);
  }

  /**
   * The {@code Authorization} header value: the token type as x/oauth2 spells it, then the token.
   */
  String header() {
    String type;
    if (tokenType == null || tokenType.isEmpty() || tokenType.equalsIgnoreCase("bearer")) {
      type = "Bearer";
    } else if (tokenType.equalsIgnoreCase("mac")) {
      type = "MAC";
    } else if (tokenType.equalsIgnoreCase("basic")) {
      type = "Basic";
    } else {
      type = tokenType;
    }
    return type + " " + accessToken;
  }

  @Override
  public String toString() {
    return "OAuth2Token[type=" + tokenType + ", expiry=" + expiry + "]";
  }

  /**
   * The token of a successful response. Throws {@link IllegalStateException} with the reason when
   * the body cannot be read or carries no {@code access_token}.
   */
  static OAuth2Token parse(String contentType, String body, Instant now) {
    String media =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    String access;
    String type;
    long expiresIn;
    if (media.equals("application/x-www-form-urlencoded") || media.equals("text/plain")) {
      access = formValue(body, "access_token");
      type = formValue(body, "token_type");
      expiresIn = parseLong(formValue(body, "expires_in"));
    } else {
      JsonObject json;
      try {
        json = new JsonObject(body);
      } catch (DecodeException | ClassCastException e) {
        throw new IllegalStateException("oauth2: cannot parse json: " + firstLine(e.getMessage()));
      }
      access = json.getValue("access_token") instanceof String s ? s : "";
      type = json.getValue("token_type") instanceof String s ? s : "";
      Object e = json.getValue("expires_in");
      expiresIn = e instanceof Number n ? n.longValue() : e instanceof String s ? parseLong(s) : 0;
    }
    if (access.isEmpty()) {
      throw new IllegalStateException("oauth2: server response missing access_token");
    }
    return new OAuth2Token(access, type, expiresIn > 0 ? now.plusSeconds(expiresIn) : null);
  }

  private static String formValue(String body, String name) {
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(k).equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return "";
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid JSON";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
