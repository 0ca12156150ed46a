package dev.quarry.config;

import java.util.Map;

/**
 * The warnings for scrape keys (global and per job) that Quarry accepts but cannot act on as
 * Prometheus 3 does: it does not convert classic histograms to native ones nor reduce native
 * histograms to a bucket limit. Keys whose setting is what Quarry does anyway load silently.
 * Stateless.
 */
final class ScrapeKeyWarnings {
  private ScrapeKeyWarnings() {}

  /** The native-histogram keys of a global section or scrape config {@code m}. */
  static void histograms(LoadContext ctx, Map<String, YamlCursor> m) {
    ctx.warnIfTrue(
        m,
        "convert_classic_histograms_to_nhcb",
        "convert_classic_histograms_to_nhcb is not supported by Quarry; classic histograms are"
            + " stored as they are");
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
          ctx.warn(c, key + " has no effect: Quarry does not reduce native histograms");
        }
      }
    }
  }
}
