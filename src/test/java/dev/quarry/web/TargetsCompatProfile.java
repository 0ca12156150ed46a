package dev.quarry.web;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A config with static, file and relabelled targets, written to a temp directory before Quarry
 * starts. Every address is on loopback with a closed port, and intervals are long, so neither
 * Quarry nor Prometheus scrapes anything that answers.
 */
public class TargetsCompatProfile implements QuarkusTestProfile {
  static final Path DIR;
  static final Path CONFIG;

  static {
    try {
      DIR = Files.createTempDirectory("quarry-targets-compat").toRealPath();
      Files.createDirectories(DIR.resolve("targets"));
      Files.writeString(
          DIR.resolve("targets/a.json"),
          """
          [
            {"targets": ["127.0.0.2:9001", "127.0.0.2:9002"],
   "labels": {"env": "prod", "x_team": "db"}},
            {"targets": ["127.0.0.2:9003"], "labels": {"env": "dev"}},
            {"targets": ["127.0.0.2:9004"], "labels": {"env": "prod", "slow": "yes"}}
          ]
          """);
      Files.writeString(
          DIR.resolve("more.yml"),
          """
          - targets: ['127.0.0.3:9005']
            labels:
              env: staging
              x_owner: "alice \\"a\\" smith"
          """);
      CONFIG = DIR.resolve("prometheus.yml");
      Files.writeString(
          CONFIG,
          """
          global:
            scrape_interval: 1h
            scrape_timeout: 10s
          scrape_configs:
            - job_name: static
              params:
                module: [http_2xx]
                x: [a, b]
              static_configs:
                - targets: ['127.0.0.1:1', 'localhost:2']
                  labels: {env: prod, team: a}
                - targets: ['127.0.0.1:3']
                  labels: {job: custom, instance: fixed}
            - job_name: relabelled
              metrics_path: /probe
              scheme: https
              scrape_interval: 30m
              scrape_timeout: 5s
              file_sd_configs:
                - files: ['targets/*.json']
                - files: ['more.yml']
              relabel_configs:
                - source_labels: [env]
                  regex: dev
                  action: drop
                - source_labels: [__address__]
                  target_label: __param_target
                - source_labels: [__param_target]
                  target_label: instance
                - target_label: __address__
                  replacement: 127.0.0.1:9115
                - source_labels: [__meta_filepath]
                  regex: '.*/(.*)'
                  target_label: source_file
                - action: labelmap
                  regex: 'x_(.+)'
                - source_labels: [slow]
                  regex: 'yes'
                  target_label: __scrape_interval__
                  replacement: 1h
                - source_labels: [env]
                  target_label: __metrics_path__
                  regex: staging
                  replacement: /probe/$1
            - job_name: default_ports
              scheme: https
              static_configs:
                - targets: ['example.invalid', '[::1]', 'example.invalid:8443']
            - job_name: hashmod
              static_configs:
                - targets: ['127.0.0.4:81', '127.0.0.4:82', '127.0.0.4:83',
                              '127.0.0.4:84', '127.0.0.4:85', '127.0.0.4:86']
              relabel_configs:
                - source_labels: [__address__]
                  modulus: 3
                  target_label: __tmp_hash
                  action: hashmod
                - source_labels: [__tmp_hash]
                  regex: '1'
                  action: keep
                - source_labels: [__address__]
                  regex: '127\\.0\\.0\\.4:8(\\d)'
                  target_label: port_digit
                  replacement: 'p${1}'
                - action: labeldrop
                  regex: 'team|unused'
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarry.config-file", CONFIG.toString(),
        "quarry.data-dir", DIR.resolve("data").toString());
  }
}
