package dev.quarry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code client_auth_type: RequireAndVerifyClientCert}: only a client whose certificate chains to
 * {@code client_ca_file} completes the handshake; none, or one from another CA, is refused.
 */
@QuarkusTest
@TestProfile(ClientCertTest.Profile.class)
class ClientCertTest {
  /** The client's self-signed certificate is its own CA. */
  public static class Profile implements QuarkusTestProfile {
    static final Path DIR;
    static final TestCerts.Cert SERVER;
    static final TestCerts.Cert CLIENT;
    static final TestCerts.Cert STRANGER;

    static {
      try {
        DIR = Files.createTempDirectory("quarry-mtls");
        SERVER = TestCerts.create(DIR, "server");
        CLIENT = TestCerts.create(DIR, "client");
        STRANGER = TestCerts.create(DIR, "stranger");
        Files.writeString(DIR.resolve("prometheus.yml"), "scrape_configs: []\n");
        Files.writeString(
            DIR.resolve("web.yml"),
            "tls_server_config:\n"
                + "  cert_file: server.crt\n"
                + "  key_file: server.key\n"
                + "  client_ca_file: client.crt\n"
                + "  client_auth_type: RequireAndVerifyClientCert\n"
                + "  min_version: TLS12\n");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarry.config-file", DIR.resolve("prometheus.yml").toString(),
          "quarry.web.config-file", DIR.resolve("web.yml").toString());
    }
  }

  private static int status(HttpClient c) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("https://localhost:" + RestAssured.port + "/-/ready"))
            .timeout(Duration.ofSeconds(10))
            .build();
    return c.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void onlyAClientWithAVerifiedCertificateGetsIn() throws Exception {
    assertEquals(200, status(TestCerts.client(Profile.SERVER, Profile.CLIENT)));
    assertThrows(
        IOException.class,
        () -> status(TestCerts.client(Profile.SERVER, null)),
        "no client certificate");
    assertThrows(
        IOException.class,
        () -> status(TestCerts.client(Profile.SERVER, Profile.STRANGER)),
        "a certificate from another CA");
  }
}
