package dev.quarry.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.config.ConfigLoader;
import dev.quarry.config.ScrapeConfig;
import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Targets built from discovered groups as Prometheus builds them. */
class TargetBuilderTest {
  @TempDir Path dir;

  /** One case: a job config, a discovered group, and what should come out. */
  record Case(
      String job,
      Labels target,
      Labels groupLabels,
      String expectedLabels,
      String expectedUrl,
      String expectedError) {}

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "defaults: job, instance from address, /metrics over http",
                new Case(
                    "",
                    Labels.of("__address__", "h:9100"),
                    Labels.EMPTY,
                    "{instance=\"h:9100\", job=\"j\"}",
                    "http://h:9100/metrics",
                    null))),
        Arguments.of(
            Named.of(
                "target labels win over group labels; meta labels removed",
                new Case(
                    "",
                    Labels.of("__address__", "h:1", "env", "target"),
                    Labels.of("env", "group", "team", "a", "__meta_x", "m"),
                    "{env=\"target\", instance=\"h:1\", job=\"j\", team=\"a\"}",
                    "http://h:1/metrics",
                    null))),
        Arguments.of(
            Named.of(
                "scheme, path and params from the job; __param_ overrides the first value",
                new Case(
                    "scheme: https\nmetrics_path: /probe\nparams: {module: [a, b], x: ['1 2']}",
                    Labels.of("__address__", "h:1", "__param_module", "z"),
                    Labels.EMPTY,
                    "{instance=\"h:1\", job=\"j\"}",
                    "https://h:1/probe?module=z&module=b&x=1+2",
                    null))),
        Arguments.of(
            Named.of(
                "relabelling drops the target",
                new Case(
                    "relabel_configs: [{source_labels: [env], regex: dev, action: drop}]",
                    Labels.of("__address__", "h:1", "env", "dev"),
                    Labels.EMPTY,
                    null,
                    null,
                    null))),
        Arguments.of(
            Named.of(
                "explicit instance kept; job overridden by a target label",
                new Case(
                    "",
                    Labels.of("__address__", "h:1", "instance", "mine", "job", "other"),
                    Labels.EMPTY,
                    "{instance=\"mine\", job=\"other\"}",
                    "http://h:1/metrics",
                    null))),
        Arguments.of(
            Named.of(
                "per-target scrape interval and timeout",
                new Case(
                    "",
                    Labels.of(
                        "__address__",
                        "h:1",
                        "__scrape_interval__",
                        "1h",
                        "__scrape_timeout__",
                        "1m"),
                    Labels.EMPTY,
                    "{instance=\"h:1\", job=\"j\"}",
                    "http://h:1/metrics",
                    null))),
        Arguments.of(
            Named.of(
                "per-target timeout above interval is an error",
                new Case(
                    "",
                    Labels.of("__address__", "h:1", "__scrape_timeout__", "2m"),
                    Labels.EMPTY,
                    null,
                    null,
                    "scrape timeout cannot be greater than scrape interval (\"2m\" > \"1m\")"))),
        Arguments.of(
            Named.of(
                "no address after relabelling is an error",
                new Case(
                    "relabel_configs: [{target_label: __address__, replacement: ''}]",
                    Labels.of("__address__", "h:1"),
                    Labels.EMPTY,
                    null,
                    null,
                    "no address"))),
        Arguments.of(
            Named.of(
                "relabelled address without a port gets the scheme's default port",
                new Case(
                    "relabel_configs: [{target_label: __address__, replacement: example}]",
                    Labels.of("__address__", "h:1"),
                    Labels.EMPTY,
                    "{instance=\"example:80\", job=\"j\"}",
                    "http://example:80/metrics",
                    null))),
        Arguments.of(
            Named.of(
                "https address without a port gets 443",
                new Case(
                    "scheme: https",
                    Labels.of("__address__", "example.org"),
                    Labels.EMPTY,
                    "{instance=\"example.org:443\", job=\"j\"}",
                    "https://example.org:443/metrics",
                    null))),
        Arguments.of(
            Named.of(
                "bracketed IPv6 address without a port gets one",
                new Case(
                    "",
                    Labels.of("__address__", "[::1]"),
                    Labels.EMPTY,
                    "{instance=\"[::1]:80\", job=\"j\"}",
                    "http://[::1]:80/metrics",
                    null))),
        Arguments.of(
            Named.of(
                "explicit instance is not given the port",
                new Case(
                    "",
                    Labels.of("__address__", "h", "instance", "mine"),
                    Labels.EMPTY,
                    "{instance=\"mine\", job=\"j\"}",
                    "http://h:80/metrics",
                    null))),
        Arguments.of(
            Named.of(
                "another scheme on a port-less address is an error",
                new Case(
                    "relabel_configs: [{target_label: __scheme__, replacement: ftp}]",
                    Labels.of("__address__", "h"),
                    Labels.EMPTY,
                    null,
                    null,
                    "invalid scheme: \"ftp\""))),
        Arguments.of(
            Named.of(
                "a relabelled scheme other than http or https is an error, port or not",
                new Case(
                    "relabel_configs: [{target_label: __scheme__, replacement: javascript}]",
                    Labels.of("__address__", "h:1"),
                    Labels.EMPTY,
                    null,
                    null,
                    "invalid scheme: \"javascript\""))),
        Arguments.of(
            Named.of(
                "an empty scheme is an error",
                new Case(
                    "relabel_configs: [{target_label: __scheme__, replacement: '', action: "
                        + "replace}]",
                    Labels.of("__address__", "h:1", "__scheme__", "x"),
                    Labels.EMPTY,
                    null,
                    null,
                    "invalid scheme: \"\""))));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "host | true", "host:9100 | false", "host: | false", "[::1] | true", "[::1]:80 | false",
        "::1 | false", "a:b:c | false", "[::1 | false", "h]x | false", "1.2.3.4 | true"
      })
  void addsAPortWhereGoWouldSplitTheResult(String address, boolean needsPort) {
    assertEquals(needsPort, TargetBuilder.needsPort(address), address);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void buildsTargetsAsPrometheus(Case c) throws Exception {
    Path f = dir.resolve("p.yml");
    Files.writeString(f, "scrape_configs:\n  - job_name: j\n" + c.job().indent(4));
    ScrapeConfig sc = ConfigLoader.load(f).scrapeConfig("j");
    TargetBuilder.Result r =
        new TargetBuilder(sc)
            .fromGroups(List.of(new TargetGroup("0", List.of(c.target()), c.groupLabels())));
    if (c.expectedError() != null) {
      assertEquals(List.of(), r.active(), "not active");
      assertEquals(List.of(), r.dropped(), "an invalid target is not a dropped one either");
      assertEquals(1, r.errors().size());
      assertTrue(r.errors().get(0).endsWith(c.expectedError()), r.errors().get(0));
    } else if (c.expectedLabels() == null) {
      assertEquals(List.of(), r.active());
      assertEquals(1, r.dropped().size());
      assertEquals("j", r.dropped().get(0).get("job"), "discovered labels carry the defaults");
    } else {
      assertEquals(1, r.active().size(), r.errors().toString());
      Target t = r.active().get(0);
      assertEquals(c.expectedLabels(), t.publicLabels().toString());
      assertEquals(c.expectedUrl(), t.scrapeUrl());
      assertEquals(c.target().get("__address__"), t.discoveredLabels().get("__address__"));
    }
  }
}
