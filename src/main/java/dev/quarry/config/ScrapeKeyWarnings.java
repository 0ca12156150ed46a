package dev.quarry.config;

import java.util.Map;

/**
 * The warnings for scrape keys (global and per job) that Quarry accepts but cannot act on as
 * Prometheus 3 does: it has no native histograms and no protobuf parser. Keys whose setting is what
 * Quarry does anyway (native histograms off, classic histograms kept) load silently. Stateless.
 */
final class ScrapeKeyWarnings {
  private ScrapeKeyWarnings() {}

  /** The native-histogram keys of a global section or scrape config {@code m}. */
  static void histograms(LoadContext ctx, Map<String, YamlCursor> m) {
    ctx.warnIfTrue(
        m,
        "scrape_native_histograms",
        "native histograms are not supported by Quarry; only classic histograms are scraped");
    ctx.warnIfTrue(
        m,
        "convert_classic_histograms_to_nhcb",
        "native histograms are not supported by Quarry; classic histograms are stored as they"
            + " are");
    // Quarry keeps classic histograms always, which is what either value gives without native
    // histograms; read for its type only.
    for (String key :
        new String[] {"always_scrape_classic_histograms", "scrape_classic_histograms"}) {
      Fields.boolOr(m, key, false);
    }
    for (String key :
        new String[] {"native_histogram_bucket_limit", "native_histogram_min_bucket_factor"}) {
      YamlCursor c = m.get(key);
      if (c != null && !c.isNull()) {
        String v = c.string();
        try {
          if (Double.parseDouble(v) < 0) {
            throw c.error("must not be negative");
          }
        } catch (NumberFormatException e) {
          throw c.error("cannot unmarshal \"" + v + "\" into a number");
        }
        if (Double.parseDouble(v) != 0) {
          ctx.warn(c, key + " has no effect: native histograms are not supported by Quarry");
        }
      }
    }
  }

  /** {@code PrometheusProto} in {@code scrape_protocols} or {@code fallback_scrape_protocol}. */
  static void protobuf(LoadContext ctx, Map<String, YamlCursor> m) {
    YamlCursor list = m.get("scrape_protocols");
    if (list != null) {
      for (YamlCursor item : list.sequence()) {
        if ("PrometheusProto".equals(item.string())) {
          ctx.warn(
              item,
              "PrometheusProto is not supported by Quarry, which has no protobuf parser; it is"
                  + " left out of the Accept header");
        }
      }
    }
    YamlCursor fallback = m.get("fallback_scrape_protocol");
    if (fallback != null && "PrometheusProto".equals(fallback.string())) {
      ctx.warn(
          fallback,
          "PrometheusProto is not supported by Quarry, which has no protobuf parser; the"
              + " Prometheus text format is the fallback");
    }
  }
}
