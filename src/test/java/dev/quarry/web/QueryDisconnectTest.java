package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A query whose client disconnects stops: with one query slot, a query that would run for minutes
 * is sent and its connection closed; the next query then gets the slot and answers, instead of
 * waiting for the abandoned one to finish.
 */
@QuarkusTest
@TestProfile(QueryDisconnectTest.OneSlot.class)
class QueryDisconnectTest {
  /** The web API profile with one query slot and room for a long query. */
  public static class OneSlot extends WebApiProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> m = new HashMap<>(super.getConfigOverrides());
      m.put("quarry.query.max-concurrency", "1");
      m.put("quarry.query.timeout", "10m");
      return m;
    }
  }

  @Test
  void disconnectedQueryFreesItsSlot() throws Exception {
    long end = System.currentTimeMillis() / 1000;
    // 11,000 steps, each a quantile over 259,200 points: minutes of work.
    String slow =
        "/api/v1/query_range?query="
            + URLEncoder.encode(
                "quantile_over_time(0.5, vector(time())[3d:1s])", StandardCharsets.UTF_8)
            + "&start="
            + (end - 10_999)
            + "&end="
            + end
            + "&step=1";
    try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + slow + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(2000); // evaluating by now
    }
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + RestAssured.port
                            + "/api/v1/query?query=1%2B1&time="
                            + end))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }
}
