package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.quarry.testing.TestCerts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Quarry's server with a web configuration file: HTTPS only, basic auth with bcrypt hashes (401 and
 * {@code WWW-Authenticate} without the right password), the probes open, the configured header on
 * every answer; a rotated certificate and changed users apply without a restart.
 */
@QuarkusTest
@TestProfile(WebSecurityTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebSecurityTest {
  /** TLS, user alice (password "wonderland"), X-Frame-Options, checked every 200 ms. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR;
    static final TestCerts.Cert SERVER;

    static {
      try {
        DIR = Files.createTempDirectory("quarry-websec");
        SERVER = TestCerts.create(DIR, "server");
        Files.writeString(DIR.resolve("prometheus.yml"), "scrape_configs: []\n");
        writeWebConfig("server", "wonderland");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    static void writeWebConfig(String cert, String password) throws IOException {
      String hash = BCrypt.withDefaults().hashToString(4, password.toCharArray());
      Path tmp = DIR.resolve("web.yml.tmp");
      Files.writeString(
          tmp,
          "tls_server_config:\n"
              + "  cert_file: "
              + cert
              + ".crt\n"
              + "  key_file: "
              + cert
              + ".key\n"
              + "basic_auth_users:\n"
              + "  alice: "
              + hash
              + "\n"
              + "http_server_config:\n"
              + "  headers:\n"
              + "    X-Frame-Options: deny\n");
      Files.move(
          tmp,
          DIR.resolve("web.yml"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarry.config-file", DIR.resolve("prometheus.yml").toString(),
          "quarry.web.config-file", DIR.resolve("web.yml").toString(),
          "quarry.web.config-check-interval", "200ms");
    }
  }

  private static HttpResponse<String> get(HttpClient c, String path, String user, String pw)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("https://localhost:" + RestAssured.port + path))
            .timeout(Duration.ofSeconds(10));
    if (user != null) {
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes()));
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(1)
  void withoutThePasswordTheApiAnswers401WithWwwAuthenticate() throws Exception {
    HttpClient c = TestCerts.client(Profile.SERVER, null);
    for (String[] cred : new String[][] {{null, null}, {"alice", "nope"}, {"bob", "wonderland"}}) {
      HttpResponse<String> r = get(c, "/api/v1/status/config", cred[0], cred[1]);
      assertEquals(401, r.statusCode(), String.join(":", String.valueOf(cred[0])));
      assertEquals("Basic", r.headers().firstValue("WWW-Authenticate").orElse(null));
    }
    assertEquals(401, get(c, "/metrics", null, null).statusCode());
  }

  @Test
  @Order(2)
  void theRightPasswordGets200AndTheConfiguredHeader() throws Exception {
    HttpClient c = TestCerts.client(Profile.SERVER, null);
    for (int i = 0; i < 2; i++) { // the second one is answered from the cache
      HttpResponse<String> r = get(c, "/api/v1/status/config", "alice", "wonderland");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("deny", r.headers().firstValue("X-Frame-Options").orElse(null));
    }
  }

  @Test
  @Order(3)
  void probesAnswerWithoutCredentials() throws Exception {
    HttpClient c = TestCerts.client(Profile.SERVER, null);
    for (String probe : new String[] {"/-/healthy", "/-/ready", "/q/health/ready", "/q/health"}) {
      HttpResponse<String> r = get(c, probe, null, null);
      assertEquals(200, r.statusCode(), probe + ": " + r.body());
      assertEquals("deny", r.headers().firstValue("X-Frame-Options").orElse(null), probe);
    }
  }

  @Test
  @Order(4)
  void plainHttpIsNotServed() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/-/healthy"))
            .timeout(Duration.ofSeconds(5))
            .build();
    assertThrows(IOException.class, () -> plain.send(r, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  @Order(5)
  void aRotatedCertificateAndChangedUsersApplyWithoutARestart() throws Exception {
    TestCerts.Cert next = TestCerts.create(Profile.DIR, "server2");
    Profile.writeWebConfig("server2", "queen");
    HttpClient c = null;
    for (int i = 0; i < 100 && c == null; i++) {
      try {
        HttpClient fresh = TestCerts.client(next, null);
        get(fresh, "/-/healthy", null, null);
        c = fresh;
      } catch (IOException e) {
        Thread.sleep(100); // still the old certificate
      }
    }
    assertTrue(c != null, "the new certificate is served");
    HttpResponse<String> r = get(c, "/-/healthy", null, null);
    X509Certificate shown = (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
    assertEquals("CN=server2", shown.getSubjectX500Principal().getName());
    assertEquals(401, get(c, "/api/v1/targets", "alice", "wonderland").statusCode());
    assertEquals(200, get(c, "/api/v1/targets", "alice", "queen").statusCode());
  }
}
