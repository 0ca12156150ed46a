package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dns_sd_configs}: Prometheus 3's keys and defaults, and its validation errors (wording of
 * discovery/dns SDConfig.UnmarshalYAML, checked with promtool 2.42), each naming file, line, key.
 */
class DnsSdConfigTest {
  @TempDir Path dir;

  private PrometheusConfig loadFile(String entry) throws IOException {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, "scrape_configs:\n  - job_name: d\n    dns_sd_configs:\n" + entry);
    return ConfigLoader.load(f);
  }

  private DnsSdConfig load(String entry) throws IOException {
    return (DnsSdConfig) loadFile(entry).scrapeConfigs().get(0).serviceDiscoveryConfigs().get(0);
  }

  static Stream<Arguments> errors() {
    String at = "prometheus.yml:4: scrape_configs[0].dns_sd_configs[0]";
    return Stream.of(
        Arguments.of(
            Named.of("no names", "      - names: []\n"),
            at + ": DNS-SD config must contain at least one SRV record name"),
        Arguments.of(
            Named.of("names missing", "      - type: SRV\n"),
            at + ": DNS-SD config must contain at least one SRV record name"),
        Arguments.of(
            Named.of("A without port", "      - names: [a.example]\n        type: A\n"),
            at + ": a port is required in DNS-SD configs for all record types except SRV"),
        Arguments.of(
            Named.of("NS with port 0", "      - names: [a]\n        type: NS\n        port: 0\n"),
            at + ": a port is required in DNS-SD configs for all record types except SRV"),
        Arguments.of(
            Named.of("unknown type", "      - names: [a.example]\n        type: txt\n"),
            "prometheus.yml:5: scrape_configs[0].dns_sd_configs[0].type: invalid DNS-SD records"
                + " type txt"),
        Arguments.of(
            Named.of("empty type", "      - names: [a]\n        type: ''\n"),
            "prometheus.yml:5: scrape_configs[0].dns_sd_configs[0].type: invalid DNS-SD records"
                + " type "),
        Arguments.of(
            Named.of("port not a number", "      - names: [a]\n        port: x\n"),
            "prometheus.yml:5: scrape_configs[0].dns_sd_configs[0].port: cannot unmarshal \"x\""
                + " into int"),
        Arguments.of(
            Named.of("bad duration", "      - names: [a]\n        refresh_interval: 1.5s\n"),
            "prometheus.yml:5: scrape_configs[0].dns_sd_configs[0].refresh_interval: not a valid"
                + " duration string: \"1.5s\""),
        Arguments.of(
            Named.of("zero refresh", "      - names: [a]\n        refresh_interval: 0s\n"),
            "prometheus.yml:5: scrape_configs[0].dns_sd_configs[0].refresh_interval:"
                + " refresh_interval must be greater than 0"),
        Arguments.of(
            Named.of("unknown key", "      - names: [a]\n        server: 1.2.3.4\n"),
            "prometheus.yml:5: scrape_configs[0].dns_sd_configs[0].server: field server not found"
                + " in type dns.plain"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void invalidConfigsAreRejectedWithPrometheusWording(String entry, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(entry));
    assertEquals(dir.resolve(message).toString(), e.getMessage());
  }

  @Test
  void defaultsAreSrvAndThirtySeconds() throws IOException {
    assertEquals(
        new DnsSdConfig(List.of("_m._tcp.a.example"), "SRV", 0, Duration.ofSeconds(30)),
        load("      - names: [_m._tcp.a.example]\n"));
  }

  @Test
  void typeIsCaseInsensitiveAndEveryThreeXTypeIsRead() throws IOException {
    for (String type : List.of("a", "Aaaa", "mx", "ns", "srv")) {
      DnsSdConfig c =
          load(
              "      - names: [a, b]\n        type: "
                  + type
                  + "\n        port: 9100\n        refresh_interval: 1m\n");
      assertEquals(
          new DnsSdConfig(List.of("a", "b"), type.toUpperCase(), 9100, Duration.ofMinutes(1)), c);
    }
  }

  @Test
  void renderedInTheConfigEndpoint() throws IOException {
    PrometheusConfig cfg = loadFile("      - names: [a]\n        type: A\n        port: 80\n");
    Map<String, Object> yaml = new org.yaml.snakeyaml.Yaml().load(ConfigRenderer.toYaml(cfg));
    @SuppressWarnings("unchecked")
    Map<String, Object> job =
        (Map<String, Object>) ((List<Object>) yaml.get("scrape_configs")).get(0);
    assertEquals(
        List.of(Map.of("names", List.of("a"), "refresh_interval", "30s", "type", "A", "port", 80)),
        job.get("dns_sd_configs"));
  }
}
