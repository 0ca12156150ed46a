package dev.quarry.config;

import java.util.Map;

/**
 * The native-histogram scrape keys (global and per job) that need more than a plain read: the
 * warning for {@code convert_classic_histograms_to_nhcb}, which Quarry accepts but does not act on
 * (it does not convert classic histograms to native ones), and the checked numbers of {@code
 * native_histogram_bucket_limit} and {@code native_histogram_min_bucket_factor}. Stateless.
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
  }

  /**
   * The non-negative number under {@code key} in {@code m}, 0 when absent or null; a negative or
   * non-numeric value fails the load at its place.
   */
  static double number(Map<String, YamlCursor> m, String key) {
    YamlCursor c = m.get(key);
    if (c == null || c.isNull()) {
      return 0;
    }
    String v = c.string();
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw c.error("cannot unmarshal \"" + v + "\" into a number");
    }
    if (d < 0 || Double.isNaN(d)) {
      throw c.error("must not be negative");
    }
    return d;
  }
}
