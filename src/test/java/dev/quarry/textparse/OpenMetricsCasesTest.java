package dev.quarry.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.testing.PrometheusServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenMetrics pages of {@code fixtures/openmetrics_cases.json} (the specification test suite's
 * invalid cases, Prometheus' own parser test pages, exemplar placement): Quarry's parser refuses
 * exactly the pages Prometheus 2.42 refuses, and on the pages Prometheus accepts it reports the
 * listed warnings. A second test checks the recorded verdicts against the installed Prometheus.
 */
class OpenMetricsCasesTest {
  private static final Path FILE =
      Path.of(System.getProperty("fixtures.dir", "src/test/resources/fixtures"))
          .resolve("openmetrics_cases.json");

  record Case(String name, boolean up, List<String> warnings, String body) {}

  /** What Quarry's parser makes of a page: up or not, samples read, warnings. */
  record Verdict(boolean up, int samples, List<String> warnings, String error) {}

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    for (JsonNode c : new ObjectMapper().readTree(Files.readString(FILE))) {
      List<String> w = new ArrayList<>();
      c.path("warnings").forEach(x -> w.add(x.asText()));
      out.add(
          new Case(
              c.get("name").asText(),
              c.get("prometheus").asText().equals("up"),
              w,
              c.get("body").asText()));
    }
    return out;
  }

  static Stream<Named<Case>> named() throws IOException {
    return cases().stream().map(c -> Named.of(c.name(), c));
  }

  /** Parses as a scrape does: every sample, its exemplar; the count Prometheus would report. */
  static Verdict parse(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    OpenMetricsParser p = new OpenMetricsParser(b);
    int samples = 0;
    try {
      for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
        if (e == Entry.SERIES) {
          samples++;
          p.exemplar(new Exemplar());
        }
      }
      return new Verdict(true, samples, p.warnings().kept(), "");
    } catch (ParseException e) {
      return new Verdict(
          false, samples + (e.sampleRead() ? 1 : 0), p.warnings().kept(), e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("named")
  void refusesWhatPrometheusRefusesAndWarnsOfTheRest(Case c) {
    Verdict v = parse(c.body());
    assertEquals(c.up(), v.up(), "Prometheus 2.42 says " + (c.up() ? "up" : "down") + v.error());
    if (c.up()) {
      assertEquals(c.warnings(), v.warnings());
    }
  }

  /** The recorded verdicts and sample counts are those of the installed Prometheus 2.42. */
  @Test
  void recordedVerdictsAreThoseOfPrometheus() throws Exception {
    assumeTrue(PrometheusServer.installed(), "prometheus is not installed");
    List<Case> cases = cases();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    StringBuilder yaml =
        new StringBuilder(
            "global: {scrape_interval: 1s, scrape_timeout: 900ms}\nscrape_configs:\n");
    for (Case c : cases) {
      byte[] b = c.body().getBytes(StandardCharsets.UTF_8);
      server.createContext(
          "/" + c.name(),
          ex -> {
            ex.getResponseHeaders()
                .add("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            ex.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
            ex.getResponseBody().write(b);
            ex.close();
          });
    }
    server.start();
    String address = "127.0.0.1:" + server.getAddress().getPort();
    for (Case c : cases) {
      yaml.append("  - {job_name: ")
          .append(c.name())
          .append(", metrics_path: /")
          .append(c.name())
          .append(", static_configs: [{targets: ['")
          .append(address)
          .append("']}]}\n");
    }
    Path config = Files.createTempDirectory("quarry-om-cases").resolve("prometheus.yml");
    Files.writeString(config, yaml.toString());
    try (PrometheusServer prom = PrometheusServer.start(config)) {
      Map<String, String> theirs = new TreeMap<>();
      for (int i = 0; i < 300 && theirs.size() < cases.size(); i++) {
        Thread.sleep(200);
        theirs.clear();
        JsonNode up = prom.getJson("/api/v1/query?query=up");
        JsonNode scraped = prom.getJson("/api/v1/query?query=scrape_samples_scraped");
        Map<String, String> counts = new TreeMap<>();
        scraped
            .path("data")
            .path("result")
            .forEach(
                r ->
                    counts.put(
                        r.path("metric").path("job").asText(), r.path("value").get(1).asText()));
        up.path("data")
            .path("result")
            .forEach(
                r -> {
                  String job = r.path("metric").path("job").asText();
                  String v = r.path("value").get(1).asText();
                  theirs.put(job, (v.equals("1") ? "up" : "down") + " " + counts.get(job));
                });
      }
      Map<String, String> ours = new TreeMap<>();
      for (Case c : cases) {
        Verdict v = parse(c.body());
        ours.put(c.name(), (c.up() ? "up" : "down") + " " + v.samples());
      }
      assertEquals(ours, theirs, "recorded verdict and Quarry's sample count vs Prometheus 2.42");
    } finally {
      server.stop(0);
    }
  }
}
