package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.model.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading prometheus.yml: defaults, strictness, and errors naming file, line and key path. */
class ConfigLoaderTest {
  @TempDir Path dir;

  private PrometheusConfig load(String yaml) throws IOException {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, yaml);
    return ConfigLoader.load(f);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(
            Named.of("YAML syntax error", "scrape_configs:\n  - job_name: a\n   bad: [\n"),
            "prometheus.yml:3: yaml: "),
        Arguments.of(
            Named.of("unknown top-level key", "global: {}\nscrap_configs: []\n"),
            "prometheus.yml:2: scrap_configs: field scrap_configs not found in type config.Config"),
        Arguments.of(
            Named.of(
                "unknown job key", "scrape_configs:\n  - job_name: a\n    scrape_intervl: 1m\n"),
            "prometheus.yml:3: scrape_configs[0].scrape_intervl: field scrape_intervl not found"),
        Arguments.of(
            Named.of("bad duration", "global:\n  scrape_interval: 1.5m\n"),
            "prometheus.yml:2: global.scrape_interval: not a valid duration string: \"1.5m\""),
        Arguments.of(
            Named.of(
                "bad regex",
                """
                scrape_configs:
                  - job_name: a
                  - job_name: b
                    relabel_configs:
                      - source_labels: [x]
                        regex: '(unclosed'
                """),
            "prometheus.yml:6: scrape_configs[1].relabel_configs[0].regex: error parsing regexp: "
                + "missing closing )"),
        Arguments.of(
            Named.of(
                "unknown relabel action",
                "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: "
                    + "explode\n"),
            "prometheus.yml:4: scrape_configs[0].relabel_configs[0].action: unknown relabel "
                + "action \"explode\""),
        Arguments.of(
            Named.of("duplicate job_name", "scrape_configs:\n  - job_name: a\n  - job_name: a\n"),
            "prometheus.yml:3: scrape_configs[1]: found multiple scrape configs with job name "
                + "\"a\""),
        Arguments.of(
            Named.of(
                "timeout above interval",
                "scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: "
                    + "10s\n"),
            "prometheus.yml:4: scrape_configs[0].scrape_timeout: scrape timeout greater than "
                + "scrape interval for scrape config with job name \"a\""),
        Arguments.of(
            Named.of(
                "missing file_sd file",
                "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: "
                    + "[nothere.json]\n"),
            "prometheus.yml:4: scrape_configs[0].file_sd_configs[0].files[0]: file "),
        Arguments.of(
            Named.of(
                "file_sd file with a wrong extension",
                "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: "
                    + "[targets.txt]\n"),
            "prometheus.yml:4: scrape_configs[0].file_sd_configs[0].files[0]: path name "
                + "\"targets.txt\" is not valid for file discovery"),
        Arguments.of(
            Named.of("list where a mapping is expected", "global: [1, 2]\n"),
            "prometheus.yml:1: global: expected a mapping"),
        Arguments.of(
            Named.of(
                "password and password_file",
                "scrape_configs:\n  - job_name: a\n    basic_auth:\n      username: u\n      "
                    + "password: p\n      password_file: f\n"),
            "prometheus.yml:3: scrape_configs[0].basic_auth: at most one of basic_auth password "
                + "& password_file"),
        Arguments.of(
            Named.of(
                "unsupported discovery",
                "scrape_configs:\n  - job_name: a\n    consul_sd_configs: [{server: 'x:8500'}]\n"),
            "prometheus.yml:3: scrape_configs[0].consul_sd_configs: consul service discovery is "
                + "not supported by Quarry (supported: static_configs, file_sd_configs, "
                + "http_sd_configs, kubernetes_sd_configs, dns_sd_configs)"),
        Arguments.of(
            Named.of(
                "unsupported AWS discovery of Prometheus 3",
                "scrape_configs:\n  - job_name: a\n    aws_sd_configs: [{role: ec2}]\n"),
            "prometheus.yml:3: scrape_configs[0].aws_sd_configs: aws service discovery is not "
                + "supported by Quarry"),
        Arguments.of(
            Named.of(
                "unsupported OCI discovery",
                "scrape_configs:\n  - job_name: a\n  - job_name: b\n    oci_sd_configs: []\n"),
            "prometheus.yml:4: scrape_configs[1].oci_sd_configs: oci service discovery is not "
                + "supported by Quarry"),
        Arguments.of(
            Named.of(
                "unknown remote write message",
                "remote_write:\n  - url: http://r.invalid/w\n    protobuf_message: v3\n"),
            "prometheus.yml:3: remote_write[0].protobuf_message: invalid protobuf_message value"),
        Arguments.of(
            Named.of(
                "unknown name validation scheme",
                "global:\n  metric_name_validation_scheme: ascii\n"),
            "prometheus.yml:2: global.metric_name_validation_scheme: unknown name validation "
                + "method specified, must be either '', 'legacy' or 'utf8', got ascii"),
        Arguments.of(
            Named.of(
                "UTF-8 names asked for with legacy validation",
                "global:\n  metric_name_validation_scheme: legacy\n  metric_name_escaping_scheme: "
                    + "allow-utf-8\nscrape_configs:\n  - job_name: a\n"),
            "prometheus.yml:5: scrape_configs[0]: utf8 metric names requested but validation "
                + "scheme is not set to UTF8"),
        Arguments.of(
            Named.of(
                "negative bucket factor",
                "scrape_configs:\n  - job_name: a\n"
                    + "    native_histogram_min_bucket_factor: -1\n"),
            "prometheus.yml:3: scrape_configs[0].native_histogram_min_bucket_factor: must not "
                + "be negative"),
        Arguments.of(
            Named.of("bad scheme", "scrape_configs:\n  - job_name: a\n    scheme: ftp\n"),
            "prometheus.yml:3: scrape_configs[0].scheme: unknown scrape config scheme \"ftp\""),
        Arguments.of(
            Named.of("bad size", "global:\n  body_size_limit: 10XB\n"),
            "prometheus.yml:2: global.body_size_limit: not a valid size"),
        Arguments.of(
            Named.of(
                "static target with a path",
                "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: "
                    + "['host:80/metrics']\n"),
            "prometheus.yml:4: scrape_configs[0].static_configs[0].targets[0]: "
                + "\"host:80/metrics\" is not a valid hostname"),
        Arguments.of(
            Named.of("empty job name", "scrape_configs:\n  - scrape_interval: 1m\n"),
            "prometheus.yml:2: scrape_configs[0]: job_name is empty"),
        Arguments.of(
            Named.of("repeated key", "global:\n  scrape_interval: 1m\n  scrape_interval: 2m\n"),
            "prometheus.yml:3: global.scrape_interval: mapping key \"scrape_interval\" already "
                + "defined"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void invalidConfigErrorNamesFileLineAndKeyPath(String yaml, String expectedStart) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
    String msg = e.getMessage().replace(dir.toString() + "/", "");
    assertTrue(msg.startsWith(expectedStart), "got: " + msg);
    assertFalse(msg.contains("\n"), "one line: " + msg);
  }

  @Test
  void defaultsResolveGlobalThenJob() throws IOException {
    PrometheusConfig c =
        load(
            """
            global:
              scrape_interval: 30s
              sample_limit: 100
              external_labels: {region: eu}
            scrape_configs:
              - job_name: inherits
              - job_name: own
                scrape_interval: 5s
                sample_limit: 7
                honor_labels: true
            """);
    ScrapeConfig inherits = c.scrapeConfig("inherits");
    assertEquals(Duration.ofSeconds(30), inherits.scrapeInterval());
    assertEquals(Duration.ofSeconds(10), inherits.scrapeTimeout());
    assertEquals(100, inherits.sampleLimit());
    assertEquals("/metrics", inherits.metricsPath());
    assertEquals("http", inherits.scheme());
    assertTrue(inherits.honorTimestamps());
    assertTrue(inherits.enableCompression());
    assertFalse(inherits.honorLabels());
    assertTrue(inherits.httpClient().followRedirects());
    assertEquals(GlobalConfig.DEFAULT_SCRAPE_PROTOCOLS, inherits.scrapeProtocols());
    ScrapeConfig own = c.scrapeConfig("own");
    assertEquals(Duration.ofSeconds(5), own.scrapeTimeout(), "timeout capped at the job interval");
    assertEquals(7, own.sampleLimit());
    assertTrue(own.honorLabels());
    assertEquals(Labels.of("region", "eu"), c.global().externalLabels());
  }

  @Test
  void emptyConfigIsValid() throws IOException {
    PrometheusConfig c = load("");
    assertTrue(c.scrapeConfigs().isEmpty());
    assertEquals(Duration.ofMinutes(1), c.global().scrapeInterval());
  }

  @Test
  void prometheusOnlySectionsAreAcceptedAndIgnored() throws IOException {
    PrometheusConfig c =
        load(
            """
            global: {evaluation_interval: 30s}
            rule_files: [rules.yml]
            alerting: {alertmanagers: [{static_configs: [{targets: [am:9093]}]}]}
            scrape_configs: [{job_name: a}]
            """);
    assertEquals(1, c.scrapeConfigs().size());
  }

  @Test
  void scrapeConfigFilesAddJobsAndRelativePathsResolveAgainstTheConfig() throws IOException {
    Files.createDirectories(dir.resolve("jobs"));
    Files.writeString(dir.resolve("jobs/x.yml"), "scrape_configs:\n  - job_name: from_file\n");
    Files.writeString(dir.resolve("t.json"), "[]");
    PrometheusConfig c =
        load(
            """
            scrape_config_files: ['jobs/*.yml']
            scrape_configs:
              - job_name: main
                file_sd_configs: [{files: [t.json]}]
            """);
    assertEquals(
        List.of("main", "from_file"),
        c.scrapeConfigs().stream().map(ScrapeConfig::jobName).toList());
    FileSdConfig f = (FileSdConfig) c.scrapeConfig("main").serviceDiscoveryConfigs().get(0);
    assertEquals(List.of(dir.resolve("t.json").toString()), f.files());
    assertEquals(Duration.ofMinutes(5), f.refreshInterval());
  }

  @Test
  void errorsInScrapeConfigFilesNameThatFile() throws IOException {
    Files.writeString(dir.resolve("jobs.yml"), "scrape_configs:\n  - job_name: x\n    bogus: 1\n");
    ConfigException e =
        assertThrows(ConfigException.class, () -> load("scrape_config_files: [jobs.yml]\n"));
    assertTrue(e.getMessage().contains("jobs.yml:3: scrape_configs[0].bogus:"), e.getMessage());
  }

  @Test
  void renderedConfigHidesSecretsAndLoadsAgain() throws IOException {
    PrometheusConfig c =
        load(
            """
            scrape_configs:
              - job_name: a
                basic_auth: {username: u, password: hunter2}
                static_configs: [{targets: ['h:1'], labels: {x: y}}]
                relabel_configs: [{source_labels: [x], target_label: z}]
              - job_name: b
                authorization: {credentials: tok3n}
            remote_write:
              - url: http://127.0.0.1:9/api/v1/write
                headers: {X-Scope-OrgID: tenant-secret}
            """);
    String yaml = ConfigRenderer.toYaml(c);
    assertFalse(yaml.contains("hunter2"), yaml);
    assertFalse(yaml.contains("tok3n"), yaml);
    assertFalse(yaml.contains("tenant-secret"), yaml);
    assertTrue(yaml.contains("password: <secret>"), yaml);
    assertTrue(yaml.contains("scrape_interval: 1m"), yaml);
    Path again = dir.resolve("again.yml");
    Files.writeString(again, yaml);
    PrometheusConfig reloaded = ConfigLoader.load(again);
    assertEquals(c.scrapeConfig("a").relabelConfigs(), reloaded.scrapeConfig("a").relabelConfigs());
    assertEquals(
        c.scrapeConfig("a").serviceDiscoveryConfigs(),
        reloaded.scrapeConfig("a").serviceDiscoveryConfigs());
    assertEquals(
        c.remoteWriteConfigs().get(0).queueConfig(),
        reloaded.remoteWriteConfigs().get(0).queueConfig());
  }

  @Test
  void bundledExampleLoads() {
    PrometheusConfig c = ConfigLoader.load(Path.of("examples/prometheus.yml"));
    assertEquals("quarry", c.scrapeConfigs().get(0).jobName());
  }
}
