package dev.quarry.textparse;

import java.util.List;
import java.util.Locale;

/**
 * Content negotiation for scrapes: the {@code Accept} header built from {@code scrape_protocols} as
 * Prometheus builds it, and the choice of parser from a response's {@code Content-Type} with {@code
 * fallback_scrape_protocol} for targets that send none or an unknown one. Stateless.
 */
public final class ScrapeProtocols {
  /**
   * The name escaping Quarry asks for with the 1.0.0 formats: its parsers read only legacy metric
   * and label names, so targets must escape other characters to underscores.
   */
  public static final String ESCAPING = "underscores";

  private ScrapeProtocols() {}

  /**
   * The Accept header for {@code protocols}, most preferred first: each media type with {@code
   * ;q=0.N} where N starts at one more than the number of known protocols and falls by one per
   * entry, the 1.0.0 formats with {@code ;escaping=underscores}, then {@code *}{@code /*} with the
   * next weight. Protocols Quarry cannot parse (protobuf) are left out without using a weight.
   */
  public static String acceptHeader(List<ScrapeProtocol> protocols) {
    StringBuilder sb = new StringBuilder(256);
    int weight = ScrapeProtocol.values().length + 1;
    for (ScrapeProtocol p : protocols) {
      if (p.format() == null) {
        continue;
      }
      sb.append(p.header());
      if (p == ScrapeProtocol.PROMETHEUS_TEXT_1_0_0 || p == ScrapeProtocol.OPENMETRICS_TEXT_1_0_0) {
        sb.append(";escaping=").append(ESCAPING);
      }
      sb.append(";q=0.").append(weight).append(',');
      weight--;
    }
    return sb.append("*/*;q=0.").append(weight).toString();
  }

  /**
   * The outcome of {@link #choose}: a format (possibly with a warning, when the fallback was used)
   * or, when no format applies, a null format and the error that fails the scrape.
   */
  public record Choice(ExpositionFormat format, String message) {
    public boolean ok() {
      return format != null;
    }
  }

  /**
   * Picks the format for a response. {@code fallback} may be null (no {@code
   * fallback_scrape_protocol}). Messages follow Prometheus' wording.
   */
  public static Choice choose(String contentType, ScrapeProtocol fallback) {
    Choice c = chooseWith(contentType, fallback);
    if (!c.ok() && fallback != null && fallback.format() == null) {
      // A protobuf fallback is accepted in configuration but Quarry cannot parse it: say so.
      return new Choice(
          null,
          c.message()
              + " (fallback_scrape_protocol "
              + fallback.configName()
              + " is not supported by Quarry)");
    }
    return c;
  }

  private static Choice chooseWith(String contentType, ScrapeProtocol fallback) {
    ExpositionFormat fb = fallback == null ? null : fallback.format();
    String fbName = fallback == null ? null : quote(fallback.mediaType());
    if (contentType == null || contentType.isBlank()) {
      if (fb == null) {
        return new Choice(
            null,
            "non-compliant scrape target sending blank Content-Type and no "
                + "fallback_scrape_protocol specified for target");
      }
      return new Choice(
          fb,
          "non-compliant scrape target sending blank Content-Type, using fallback_scrape_protocol "
              + fbName);
    }
    MediaType mt = MediaType.parse(contentType);
    if (mt == null) {
      if (fb == null) {
        return new Choice(
            null,
            "cannot parse Content-Type "
                + quote(contentType)
                + " and no fallback_scrape_protocol for target");
      }
      return new Choice(
          fb,
          "could not parse received Content-Type "
              + quote(contentType)
              + ", using fallback_scrape_protocol "
              + fbName);
    }
    ExpositionFormat format = formatOf(mt);
    if (format != null) {
      return new Choice(format, null);
    }
    if (fb == null) {
      return new Choice(
          null,
          "received unsupported Content-Type "
              + quote(contentType)
              + " and no fallback_scrape_protocol specified for target");
    }
    return new Choice(
        fb,
        "received unsupported Content-Type "
            + quote(contentType)
            + ", using fallback_scrape_protocol "
            + fbName);
  }

  private static ExpositionFormat formatOf(MediaType mt) {
    switch (mt.type) {
      case "text/plain":
        return ExpositionFormat.PROMETHEUS_TEXT;
      case "application/openmetrics-text":
        if (mt.version == null || mt.version.equals("0.0.1") || mt.version.equals("1.0.0")) {
          return ExpositionFormat.OPENMETRICS;
        }
        return null;
      default:
        return null;
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A parsed media type: lower-cased type/subtype and its version parameter, if any. */
  private record MediaType(String type, String version) {
    /** Parses like Go's mime.ParseMediaType (tokens, quoted values); null when malformed. */
    static MediaType parse(String s) {
      String[] parts = s.split(";", -1);
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      int slash = type.indexOf('/');
      if (slash <= 0
          || slash == type.length() - 1
          || !isToken(type.substring(0, slash))
          || !isToken(type.substring(slash + 1))) {
        return null;
      }
      String version = null;
      for (int i = 1; i < parts.length; i++) {
        String param = parts[i].trim();
        if (param.isEmpty()) {
          if (i == parts.length - 1) {
            break; // a trailing ';' is tolerated
          }
          return null;
        }
        int eq = param.indexOf('=');
        if (eq <= 0) {
          return null;
        }
        String key = param.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = param.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        } else if (!isToken(value)) {
          return null;
        }
        if (!isToken(key)) {
          return null;
        }
        if (key.equals("version")) {
          version = value;
        }
      }
      return new MediaType(type, version);
    }

    private static boolean isToken(String s) {
      if (s.isEmpty()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
          return false;
        }
      }
      return true;
    }
  }
}
