package dev.quarry.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Quarry's {@code /metrics}: text format 0.0.4 for {@code *}{@code /*} and no Accept header,
 * OpenMetrics only when asked for, and nothing for {@code promtool check metrics} to report.
 */
@QuarkusTest
class SelfMetricsTest {
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @Test
  void textFormatUnlessOpenMetricsIsAskedFor() {
    assertEquals(MetricsRoute.TEXT, contentType(null));
    assertEquals(MetricsRoute.TEXT, contentType("*/*"));
    assertEquals(MetricsRoute.TEXT, contentType("text/plain"));
    assertEquals(
        MetricsRoute.OPENMETRICS,
        contentType(
            "application/openmetrics-text;version=1.0.0;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
  }

  /** The Content-Type of {@code /metrics} for a request with {@code accept} (null: no header). */
  private static String contentType(String accept) {
    try {
      var b =
          java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(
                  "http://localhost:" + io.restassured.RestAssured.port + "/metrics"));
      if (accept != null) {
        b.header("Accept", accept);
      }
      var r =
          java.net.http.HttpClient.newHttpClient()
              .send(b.build(), java.net.http.HttpResponse.BodyHandlers.discarding());
      assertEquals(200, r.statusCode());
      return r.headers().firstValue("Content-Type").orElse("");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void sampleLinesEndTheirLabelsWithoutAComma() {
    assertEquals(
        "# HELP a_total x,}\na_total{code=\"204\"} 2.0\nb{v=\"x,}\"} 1\nc 3\n",
        MetricsRoute.withoutTrailingCommas(
            "# HELP a_total x,}\na_total{code=\"204\",} 2.0\nb{v=\"x,}\",} 1\nc 3\n"));
    String body = given().header("Accept", "*/*").get("/metrics").asString();
    assertTrue(body.contains("jvm_memory_used_bytes{"), body);
    assertFalse(body.contains(",}"), body);
  }

  @Test
  void promtoolFindsNothingToLint() throws Exception {
    assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed");
    String body = given().get("/metrics").then().statusCode(200).extract().asString();
    assertEquals("", lint(body));
  }

  /** What {@code promtool check metrics} says about {@code exposition} (empty: nothing). */
  static String lint(String exposition) throws Exception {
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    p.waitFor(30, TimeUnit.SECONDS);
    return out.toString(StandardCharsets.UTF_8);
  }
}
