package dev.quarry.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.testing.ProfileDir;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * Passwords in URLs ({@code remote_write.url}, {@code proxy_url}, {@code http_sd_configs.url})
 * never show: not in {@code /api/v1/status/config}, not in the {@code url} label of {@code
 * /metrics}, not in log lines. Each shows as {@code xxxxx}, as in Prometheus.
 */
@QuarkusTest
@TestProfile(SecretRedactionTest.Profile.class)
class SecretRedactionTest {
  static final List<String> SECRETS = List.of("rwsecret", "proxysecret", "sdsecret");

  /** Server mode (remote write reads the WAL); every peer is a closed loopback port. */
  public static class Profile implements QuarkusTestProfile {
    static final int CLOSED = ProfileDir.closedPort();
    static final Path DIR =
        ProfileDir.create(
            "quarry-redact",
            "prometheus.yml",
            """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: down
                proxy_url: http://pu:proxysecret@127.0.0.1:%1$d
                static_configs: [{targets: ['127.0.0.1:%1$d']}]
                http_sd_configs:
                  - url: http://hu:sdsecret@127.0.0.1:%1$d/sd
                    refresh_interval: 1s
            remote_write:
              - url: http://ru:rwsecret@127.0.0.1:%1$d/api/v1/write
                queue_config: {batch_send_deadline: 100ms, min_backoff: 100ms, max_backoff: 200ms}
            """
                .formatted(CLOSED));

    @Override
    public Map<String, String> getConfigOverrides() {
      return ProfileDir.serverMode(DIR);
    }
  }

  @Test
  void configEndpointShowsUrlPasswordsAsXxxxx() {
    String yaml =
        given()
            .get("/api/v1/status/config")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getString("data.yaml");
    assertTrue(
        yaml.contains("url: http://ru:xxxxx@127.0.0.1:" + Profile.CLOSED + "/api/v1/write"), yaml);
    assertTrue(yaml.contains("proxy_url: http://pu:xxxxx@127.0.0.1:" + Profile.CLOSED), yaml);
    assertTrue(yaml.contains("url: http://hu:xxxxx@127.0.0.1:" + Profile.CLOSED + "/sd"), yaml);
    SECRETS.forEach(s -> assertFalse(yaml.contains(s), s + " in " + yaml));
  }

  @Test
  void metricLabelsShowUrlPasswordsAsXxxxx() {
    String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
    assertTrue(
        metrics.contains("url=\"http://ru:xxxxx@127.0.0.1:" + Profile.CLOSED + "/api/v1/write\""),
        "remote write series carry the redacted url");
    SECRETS.forEach(s -> assertFalse(metrics.contains(s), s + " in /metrics"));
  }

  @Test
  void logLinesShowUrlPasswordsAsXxxxx() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            String m = r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage();
            lines.add(m + (r.getThrown() == null ? "" : " " + r.getThrown()));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("dev.quarry");
    root.addHandler(capture);
    String port = "127.0.0.1:" + Profile.CLOSED;
    try {
      for (int i = 0;
          i < 150 && !(has(lines, port + "/api/v1/write") && has(lines, port + "/sd"));
          i++) {
        Thread.sleep(100);
      }
    } finally {
      root.removeHandler(capture);
    }
    assertTrue(has(lines, "http://ru:xxxxx@" + port + "/api/v1/write"), "a failed send: " + lines);
    assertTrue(has(lines, "http://hu:xxxxx@" + port + "/sd"), "a failed refresh: " + lines);
    for (String line : lines) {
      SECRETS.forEach(s -> assertFalse(line.contains(s), s + " logged: " + line));
    }
  }

  private static boolean has(List<String> lines, String part) {
    return lines.stream().anyMatch(l -> l.contains(part));
  }
}
