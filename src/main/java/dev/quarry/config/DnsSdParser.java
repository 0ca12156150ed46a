package dev.quarry.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code dns_sd_configs} entries with Prometheus' keys, defaults and error wording ({@code
 * discovery/dns} {@code SDConfig.UnmarshalYAML}), each error naming file, line and key.
 */
final class DnsSdParser {
  private static final Set<String> KEYS = Set.of("names", "type", "port", "refresh_interval");

  private DnsSdParser() {}

  /** Adds one {@link DnsSdConfig} per entry of the {@code dns_sd_configs} list, if any. */
  static void addAll(YamlCursor list, List<ServiceDiscoveryConfig> out) {
    if (list != null) {
      for (YamlCursor c : list.sequence()) {
        out.add(parse(c));
      }
    }
  }

  static DnsSdConfig parse(YamlCursor c) {
    // Prometheus' strict decoder names the type of the plain struct it decodes into.
    Map<String, YamlCursor> m = c.mapping("dns.plain", KEYS);
    List<String> names = m.containsKey("names") ? m.get("names").stringList() : List.of();
    String type = "SRV";
    if (m.containsKey("type")) {
      String t = m.get("type").string();
      type = t == null ? "" : t;
    }
    long port = m.containsKey("port") && !m.get("port").isNull() ? m.get("port").integer() : 0;
    if (port < Integer.MIN_VALUE || port > Integer.MAX_VALUE) {
      throw m.get("port").error("port " + port + " is out of range");
    }
    Duration refresh =
        m.containsKey("refresh_interval") && !m.get("refresh_interval").isNull()
            ? m.get("refresh_interval").duration()
            : Duration.ofSeconds(30);
    if (names.isEmpty()) {
      throw c.error("DNS-SD config must contain at least one SRV record name");
    }
    String upper = type.toUpperCase(Locale.ROOT);
    if (!DnsSdConfig.TYPES.contains(upper)) {
      throw (m.containsKey("type") ? m.get("type") : c)
          .error("invalid DNS-SD records type " + type);
    }
    if (!upper.equals("SRV") && port == 0) {
      throw c.error("a port is required in DNS-SD configs for all record types except SRV");
    }
    if (refresh.isZero()) {
      // Prometheus accepts 0 and then panics in its ticker; fail the config instead.
      throw m.get("refresh_interval").error("refresh_interval must be greater than 0");
    }
    return new DnsSdConfig(List.copyOf(names), upper, (int) port, refresh);
  }
}
