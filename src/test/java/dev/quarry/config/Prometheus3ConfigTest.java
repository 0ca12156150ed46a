package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus 3 {@code prometheus.yml} using every key of its configuration reference that
 * Quarry reads: each key is either applied (asserted on the loaded config) or accepted with exactly
 * one warning naming file, line and key (the lines marked {@code # warn: <key path>} in the file).
 */
class Prometheus3ConfigTest {
  private static final Pattern MARK = Pattern.compile("# warn: (\\S+)\\s*$");
  private static final Pattern WARNING = Pattern.compile("^(.*prometheus3\\.yml):(\\d+): (\\S+): ");

  private final Path file;
  private final Path dir;

  Prometheus3ConfigTest() throws Exception {
    file = Path.of(getClass().getResource("/config/prometheus3.yml").toURI());
    dir = file.getParent();
  }

  @Test
  void everyKeyQuarryDoesNotActOnWarnsOnceNamingFileLineAndKey() throws Exception {
    Map<Integer, String> expected = new TreeMap<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARK.matcher(lines.get(i));
      if (m.find() && !lines.get(i).trim().startsWith("#")) {
        expected.put(i + 1, m.group(1));
      }
    }
    List<String> warnings = new ArrayList<>();
    ConfigLoader.load(file, warnings::add);

    Map<Integer, String> actual = new TreeMap<>();
    for (String w : warnings) {
      Matcher m = WARNING.matcher(w);
      assertTrue(m.find(), "warning without file:line: key: " + w);
      assertEquals(file.toString(), m.group(1), w);
      String before = actual.put(Integer.parseInt(m.group(2)), m.group(3));
      assertEquals(null, before, "two warnings for line " + m.group(2) + ": " + warnings);
      assertTrue(w.contains(lastSegment(m.group(3))) || w.contains("native histograms"), w);
    }
    assertEquals(expected, actual, String.join("\n", warnings));
    // send_native_histograms and the two histogram limits are taken now
    assertEquals(27, expected.size());
  }

  private static String lastSegment(String path) {
    String s = path.substring(path.lastIndexOf('.') + 1);
    return s.replaceAll("\\[\\d+]$", "");
  }

  @Test
  void theKeysQuarryActsOnAreApplied() {
    List<String> warnings = new ArrayList<>();
    PrometheusConfig cfg = ConfigLoader.load(file, warnings::add);
    GlobalConfig g = cfg.global();
    assertEquals(Duration.ofSeconds(15), g.scrapeInterval());
    assertEquals(Duration.ofSeconds(10), g.scrapeTimeout());
    assertEquals(Labels.of("cluster", "eu1"), g.externalLabels());
    assertEquals(dir.resolve("failures.log").toString(), g.scrapeFailureLogFile());
    assertTrue(g.extraScrapeMetrics());
    assertEquals(10L << 20, g.bodySizeLimit(), "10MB in Prometheus' base-2 units");
    assertEquals(100_000, g.sampleLimit());
    assertEquals(10, g.keepDroppedTargets());

    ScrapeConfig app = cfg.scrapeConfig("app");
    assertEquals(dir.resolve("app-failures.log").toString(), app.scrapeFailureLogFile());
    assertFalse(app.extraScrapeMetrics(), "the job's false wins over the global true");
    assertEquals(List.of("PrometheusProto", "OpenMetricsText1.0.0"), app.scrapeProtocols());
    assertEquals("PrometheusText0.0.4", app.fallbackScrapeProtocol());
    assertTrue(app.honorLabels());
    assertFalse(app.honorTimestamps());
    assertTrue(app.trackTimestampsStaleness());
    assertFalse(app.enableCompression());
    assertEquals("/stats", app.metricsPath());
    assertEquals(Map.of("format", List.of("prometheus")), app.params());
    assertEquals(1L << 20, app.bodySizeLimit());
    assertEquals(500, app.sampleLimit());
    assertEquals(5, app.targetLimit());
    assertEquals(30, app.labelLimit());
    assertEquals(100, app.labelNameLengthLimit());
    assertEquals(1000, app.labelValueLengthLimit());
    assertEquals(5, app.keepDroppedTargets());
    assertEquals(160, app.nativeHistogramBucketLimit());
    assertEquals(1.1, app.nativeHistogramMinBucketFactor());
    assertEquals("http://proxy.invalid:3128", app.httpClient().proxyUrl());
    assertFalse(app.httpClient().followRedirects());
    assertFalse(app.httpClient().enableHttp2());
    assertEquals("TLS12", app.httpClient().tlsConfig().minVersion());
    assertEquals(1, app.relabelConfigs().size());
    assertEquals(1, app.metricRelabelConfigs().size());

    ScrapeConfig node = cfg.scrapeConfig("node");
    assertEquals(g.scrapeFailureLogFile(), node.scrapeFailureLogFile(), "inherited from global");
    assertTrue(node.extraScrapeMetrics(), "inherited from global");
    assertEquals(g.scrapeProtocols(), node.scrapeProtocols());
    assertTrue(g.scrapeNativeHistograms());
    assertTrue(g.alwaysScrapeClassicHistograms());
    assertFalse(app.scrapeNativeHistograms(), "the job's false wins over the global true");
    assertFalse(app.alwaysScrapeClassicHistograms());
    assertTrue(node.scrapeNativeHistograms(), "inherited from global");
    assertTrue(node.alwaysScrapeClassicHistograms(), "scrape_classic_histograms, 2.42's name");

    RemoteWriteConfig rw = cfg.remoteWriteConfigs().get(0);
    assertEquals("main", rw.name());
    assertEquals(Duration.ofSeconds(20), rw.remoteTimeout());
    assertEquals(Map.of("X-Scope-OrgID", "team"), rw.headers());
    assertTrue(rw.sendExemplars());
    assertEquals(5000, rw.queueConfig().capacity());
    assertEquals(Duration.ofHours(1), rw.queueConfig().sampleAgeLimit());
    assertFalse(rw.metadataConfig().send());
    assertEquals(1, rw.writeRelabelConfigs().size());
  }

  @Test
  void aFileWithAnErrorHandsOnNoWarnings(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path f = tmp.resolve("prometheus.yml");
    Files.writeString(
        f, "global:\n  evaluation_interval: 1m\nscrape_configs:\n  - job_name: a\n    bad: 1\n");
    List<String> warnings = new ArrayList<>();
    try {
      ConfigLoader.load(f, warnings::add);
    } catch (ConfigException expected) {
      assertTrue(expected.getMessage().contains("field bad not found"), expected.getMessage());
    }
    assertEquals(List.of(), warnings);
  }
}
