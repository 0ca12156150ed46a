package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authentication sections of prometheus.yml: {@code oauth2} wherever the HTTP client settings
 * are, {@code sigv4} on remote write, the refused {@code azuread} and {@code google_iam}, and
 * Prometheus' exclusivity rules with its wording (checked against promtool 2.42).
 */
class AuthConfigTest {
  @TempDir Path dir;

  private PrometheusConfig load(String yaml) throws IOException {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, yaml);
    return ConfigLoader.load(f);
  }

  private static final String JOB = "scrape_configs:\n  - job_name: a\n";
  private static final String OAUTH =
      "    oauth2: {client_id: i, client_secret: s, token_url: 'http://127.0.0.1:1/t'}\n";
  private static final String RW = "remote_write:\n  - url: http://127.0.0.1:9/w\n";

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(
            Named.of("oauth2 with basic_auth", JOB + OAUTH + "    basic_auth: {username: u}\n"),
            "prometheus.yml:3: scrape_configs[0].oauth2: at most one of basic_auth, oauth2 &"
                + " authorization must be configured"),
        Arguments.of(
            Named.of(
                "oauth2 with authorization", JOB + OAUTH + "    authorization: {credentials: c}\n"),
            "prometheus.yml:4: scrape_configs[0].authorization: at most one of basic_auth, oauth2"
                + " & authorization must be configured"),
        Arguments.of(
            Named.of(
                "basic_auth with authorization",
                JOB + "    basic_auth: {username: u}\n    authorization: {credentials: c}\n"),
            "prometheus.yml:4: scrape_configs[0].authorization: at most one of basic_auth, oauth2"
                + " & authorization must be configured"),
        Arguments.of(
            Named.of("oauth2 with bearer_token", JOB + OAUTH + "    bearer_token: c\n"),
            "prometheus.yml:4: scrape_configs[0].bearer_token: at most one of basic_auth, oauth2,"
                + " bearer_token & bearer_token_file must be configured"),
        Arguments.of(
            Named.of(
                "authorization with bearer_token_file",
                JOB + "    authorization: {credentials: c}\n    bearer_token_file: f\n"),
            "prometheus.yml:4: scrape_configs[0].bearer_token_file: authorization is not"
                + " compatible with bearer_token & bearer_token_file"),
        Arguments.of(
            Named.of(
                "bearer_token with bearer_token_file",
                JOB + "    bearer_token: c\n    bearer_token_file: f\n"),
            "prometheus.yml:4: scrape_configs[0].bearer_token_file: at most one of bearer_token &"
                + " bearer_token_file must be configured"),
        Arguments.of(
            Named.of(
                "oauth2 without client_id",
                JOB + "    oauth2: {client_secret: s, token_url: 'http://h/t'}\n"),
            "prometheus.yml:3: scrape_configs[0].oauth2: oauth2 client_id must be configured"),
        Arguments.of(
            Named.of("oauth2 without secret", JOB + "    oauth2: {client_id: i, token_url: u}\n"),
            "prometheus.yml:3: scrape_configs[0].oauth2: either oauth2 client_secret or"
                + " client_secret_file must be configured"),
        Arguments.of(
            Named.of(
                "oauth2 without token_url", JOB + "    oauth2: {client_id: i, client_secret: s}\n"),
            "prometheus.yml:3: scrape_configs[0].oauth2: oauth2 token_url must be configured"),
        Arguments.of(
            Named.of(
                "oauth2 secret and file",
                JOB
                    + "    oauth2: {client_id: i, client_secret: s, client_secret_file: f,"
                    + " token_url: 'http://h/t'}\n"),
            "prometheus.yml:3: scrape_configs[0].oauth2: at most one of oauth2 client_secret &"
                + " client_secret_file must be configured"),
        Arguments.of(
            Named.of(
                "oauth2 unknown key", JOB + "    oauth2:\n      client_id: i\n      grant: x\n"),
            "prometheus.yml:5: scrape_configs[0].oauth2.grant: field grant not found in type"
                + " config.OAuth2"),
        Arguments.of(
            Named.of(
                "oauth2 token_url not http",
                JOB + "    oauth2: {client_id: i, client_secret: s, token_url: 'ftp://h/t'}\n"),
            "prometheus.yml:3: scrape_configs[0].oauth2.token_url: URL scheme must be 'http' or"
                + " 'https'"),
        Arguments.of(
            Named.of(
                "oauth2 scope twice",
                JOB
                    + "    oauth2:\n      client_id: i\n      client_secret: s\n"
                    + "      token_url: 'http://h/t'\n      scopes: [a]\n"
                    + "      endpoint_params: {scope: b}\n"),
            "prometheus.yml:8: scrape_configs[0].oauth2.endpoint_params: oauth2: cannot overwrite"
                + " parameter \"scope\""),
        Arguments.of(
            Named.of(
                "oauth2 tls_config checked",
                JOB
                    + "    oauth2:\n      client_id: i\n      client_secret: s\n"
                    + "      token_url: 'http://h/t'\n      tls_config: {min_version: TLS9}\n"),
            "prometheus.yml:7: scrape_configs[0].oauth2.tls_config.min_version: unknown TLS"
                + " version: TLS9"),
        Arguments.of(
            Named.of(
                "oauth2 in http_sd checked",
                JOB
                    + "    http_sd_configs:\n      - url: http://h/sd\n"
                    + "        oauth2: {client_id: i, token_url: u}\n"),
            "prometheus.yml:5: scrape_configs[0].http_sd_configs[0].oauth2: either oauth2"
                + " client_secret or client_secret_file must be configured"),
        Arguments.of(
            Named.of(
                "sigv4 with basic_auth", RW + "    sigv4: {}\n    basic_auth: {username: u}\n"),
            "prometheus.yml:3: remote_write[0].sigv4: at most one of basic_auth, authorization,"
                + " oauth2, & sigv4 must be configured"),
        Arguments.of(
            Named.of(
                "sigv4 with oauth2",
                RW
                    + "    sigv4: {region: us-east-1}\n"
                    + "    oauth2: {client_id: i, client_secret: s, token_url: 'http://h/t'}\n"),
            "prometheus.yml:3: remote_write[0].sigv4: at most one of basic_auth, authorization,"
                + " oauth2, & sigv4 must be configured"),
        Arguments.of(
            Named.of("sigv4 access key alone", RW + "    sigv4: {access_key: AKID}\n"),
            "prometheus.yml:3: remote_write[0].sigv4: must provide a AWS SigV4 Access key and"
                + " Secret Key if credentials are specified in the SigV4 config"),
        Arguments.of(
            Named.of("sigv4 unknown key", RW + "    sigv4:\n      regoin: x\n"),
            "prometheus.yml:4: remote_write[0].sigv4.regoin: field regoin not found in type"
                + " sigv4.plain"),
        Arguments.of(
            Named.of(
                "azuread refused", RW + "    azuread:\n      managed_identity: {client_id: x}\n"),
            "prometheus.yml:3: remote_write[0].azuread: azuread is not supported by Quarry"),
        Arguments.of(
            Named.of("google_iam refused", RW + "    google_iam: {credentials_file: /x}\n"),
            "prometheus.yml:3: remote_write[0].google_iam: google_iam is not supported by Quarry"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void invalidAuthNamesFileLineAndKey(String yaml, String expectedStart) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
    assertTrue(
        e.getMessage().startsWith(dir.resolve(expectedStart).toString())
            || e.getMessage().contains(expectedStart),
        e.getMessage());
  }

  @Test
  void oauth2IsReadForScrapesHttpSdAndRemoteWrite() throws IOException {
    Files.writeString(dir.resolve("secret"), "x");
    PrometheusConfig c =
        load(
            """
            scrape_configs:
              - job_name: a
                oauth2:
                  client_id: id
                  client_secret_file: secret
                  scopes: [r, w]
                  token_url: https://idp.example/token
                  endpoint_params: {audience: m}
                  tls_config: {insecure_skip_verify: true}
                  proxy_url: http://127.0.0.1:3128
                http_sd_configs:
                  - url: http://127.0.0.1:1/sd
                    oauth2: {client_id: sd, client_secret: s, token_url: 'http://127.0.0.1:1/t'}
            remote_write:
              - url: http://127.0.0.1:9/w
                oauth2: {client_id: rw, client_secret: s, token_url: 'http://127.0.0.1:1/t'}
            """);
    OAuth2Config o = c.scrapeConfig("a").httpClient().oauth2();
    assertEquals("id", o.clientId());
    assertNull(o.clientSecret());
    assertEquals(dir.resolve("secret").toString(), o.clientSecretFile());
    assertEquals(List.of("r", "w"), o.scopes());
    assertEquals("https://idp.example/token", o.tokenUrl());
    assertEquals(Map.of("audience", "m"), o.endpointParams());
    assertTrue(o.tlsConfig().insecureSkipVerify());
    assertEquals("http://127.0.0.1:3128", o.proxyUrl());
    HttpSdConfig sd = (HttpSdConfig) c.scrapeConfig("a").serviceDiscoveryConfigs().get(0);
    assertEquals("sd", sd.httpClient().oauth2().clientId());
    assertEquals("rw", c.remoteWriteConfigs().get(0).httpClient().oauth2().clientId());
    assertNull(c.remoteWriteConfigs().get(0).sigv4());
  }

  @Test
  void sigv4IsReadAndRenderedWithoutItsSecret() throws IOException {
    PrometheusConfig c =
        load(
            RW
                + "    sigv4: {region: eu-west-1, access_key: AKID, secret_key: wJalrXUtnFEMI,"
                + " profile: p, role_arn: 'arn:aws:iam::1:role/r'}\n"
                + "  - url: http://127.0.0.1:9/x\n    sigv4: {}\n");
    assertEquals(
        new SigV4Config("eu-west-1", "AKID", "wJalrXUtnFEMI", "p", "arn:aws:iam::1:role/r"),
        c.remoteWriteConfigs().get(0).sigv4());
    assertEquals(
        new SigV4Config(null, null, null, null, null), c.remoteWriteConfigs().get(1).sigv4());
    String yaml = ConfigRenderer.toYaml(c);
    assertFalse(yaml.contains("wJalrXUtnFEMI"), yaml);
    assertTrue(yaml.contains("secret_key: <secret>"), yaml);
    assertFalse(c.remoteWriteConfigs().get(0).sigv4().toString().contains("wJalrXUtnFEMI"));
  }

  @Test
  void renderedOauth2HidesTheSecretAndLoadsAgain() throws IOException {
    PrometheusConfig c =
        load(
            JOB
                + "    oauth2: {client_id: i, client_secret: hunter2, scopes: [a],"
                + " token_url: 'http://u:pw@127.0.0.1:1/t', endpoint_params: {k: v}}\n");
    String yaml = ConfigRenderer.toYaml(c);
    assertFalse(yaml.contains("hunter2"), yaml);
    assertFalse(yaml.contains(":pw@"), yaml);
    assertTrue(yaml.contains("client_secret: <secret>"), yaml);
    Files.writeString(dir.resolve("again.yml"), yaml);
    OAuth2Config again =
        ConfigLoader.load(dir.resolve("again.yml")).scrapeConfig("a").httpClient().oauth2();
    assertEquals(List.of("a"), again.scopes());
    assertEquals(Map.of("k", "v"), again.endpointParams());
  }
}
