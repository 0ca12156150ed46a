package dev.quarry.textparse;

import dev.quarry.util.GoQuote;
import java.util.List;
import java.util.Locale;

/**
 * Content negotiation for scrapes: the {@code Accept} header built from {@code scrape_protocols} as
 * Prometheus builds it, and the choice of parser from a response's {@code Content-Type}, with
 * {@code fallback_scrape_protocol} (else the Prometheus text format) for targets that send none or
 * an unknown one. Stateless.
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
   * next weight, as Prometheus 3 builds it.
   */
  public static String acceptHeader(List<ScrapeProtocol> protocols) {
    StringBuilder sb = new StringBuilder(256);
    int weight = ScrapeProtocol.values().length + 1;
    for (ScrapeProtocol p : protocols) {
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
   * The outcome of {@link #choose}: a format, with a warning when the Content-Type did not decide
   * it, or, when no format applies, a null format and the error that fails the scrape.
   */
  public record Choice(ExpositionFormat format, String message) {
    public boolean ok() {
      return format != null;
    }
  }

  /**
   * Picks the format for a response. {@code fallback} may be null (no {@code
   * fallback_scrape_protocol}). A missing, malformed or unknown Content-Type selects the fallback,
   * or without one the Prometheus text format, as Prometheus 2 does. {@code
   * application/vnd.google.protobuf} selects the protobuf parser whatever its parameters, as
   * Prometheus 2.42 does.
   */
  public static Choice choose(String contentType, ScrapeProtocol fallback) {
    boolean blank = contentType == null || contentType.isBlank();
    MediaType mt = blank ? null : MediaType.parse(contentType);
    if (mt != null) {
      ExpositionFormat format = formatOf(mt);
      if (format != null) {
        return format == ExpositionFormat.OPENMETRICS
            ? OPENMETRICS
            : format == ExpositionFormat.PROTOBUF ? PROTO : TEXT;
      }
    }
    String cause =
        blank
            ? "non-compliant scrape target sending blank Content-Type"
            : mt == null
                ? "could not parse received Content-Type " + GoQuote.quote(contentType)
                : "received unsupported Content-Type " + GoQuote.quote(contentType);
    if (fallback != null) {
      return new Choice(
          fallback.format(),
          cause + ", using fallback_scrape_protocol " + GoQuote.quote(fallback.mediaType()));
    }
    return new Choice(
        ExpositionFormat.PROMETHEUS_TEXT,
        cause + ", parsing it as the Prometheus text format (no fallback_scrape_protocol)");
  }

  private static final Choice TEXT = new Choice(ExpositionFormat.PROMETHEUS_TEXT, null);
  private static final Choice OPENMETRICS = new Choice(ExpositionFormat.OPENMETRICS, null);
  private static final Choice PROTO = new Choice(ExpositionFormat.PROTOBUF, null);

  private static ExpositionFormat formatOf(MediaType mt) {
    switch (mt.type) {
      case "text/plain":
        return ExpositionFormat.PROMETHEUS_TEXT;
      case "application/openmetrics-text":
        return ExpositionFormat.OPENMETRICS; // any version, as Prometheus reads it
      case "application/vnd.google.protobuf":
        return ExpositionFormat.PROTOBUF;
      default:
        return null;
    }
  }

  /** A parsed media type: its lower-cased type/subtype (parameters are checked, not kept). */
  private record MediaType(String type) {
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
        boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
        if (!isToken(key) || (!quoted && !isToken(value))) {
          return null;
        }
      }
      return new MediaType(type);
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
