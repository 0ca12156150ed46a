package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The web configuration file is read as the exporter-toolkit reads it; errors name file:line:key.
 */
class WebConfigLoaderTest {
  @TempDir Path dir;

  private WebConfig load(String yaml) throws Exception {
    Path f = dir.resolve("web.yml");
    Files.writeString(f, yaml.replace("\\n", "\n"));
    return WebConfigLoader.load(f);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown key | foo: 1 | web.yml:1: foo: field foo not found in type web.Config",
        "no key file | tls_server_config:\\n  cert_file: c.pem | web.yml:1: tls_server_config: "
            + "missing key_file",
        "bad version | tls_server_config: {cert_file: c, key_file: k, min_version: TLS14} | "
            + "web.yml:1: tls_server_config.min_version: unknown TLS version: TLS14",
        "bad client auth | tls_server_config: {cert_file: c, key_file: k, client_auth_type: Foo} "
            + "| web.yml:1: tls_server_config.client_auth_type: Invalid ClientAuth: Foo",
        "CA without policy | tls_server_config: {cert_file: c, key_file: k, client_ca_file: ca} "
            + "| web.yml:1: tls_server_config: Client CA's have been configured without a "
            + "Client Auth Policy",
        "verify without CA | tls_server_config: {cert_file: c, key_file: k, client_auth_type: "
            + "RequireAndVerifyClientCert} | web.yml:1: tls_server_config.client_auth_type: "
            + "client_ca_file is required with RequireAndVerifyClientCert",
        "unknown cipher | tls_server_config: {cert_file: c, key_file: k, cipher_suites: "
            + "[TLS_FOO]} | web.yml:1: tls_server_config.cipher_suites[0]: unknown cipher: TLS_FOO",
        "not a hash | basic_auth_users:\\n  a: notahash | web.yml:2: basic_auth_users.a: "
            + "crypto/bcrypt: not a bcrypt hash (60 characters, $2y$...)",
        "unknown header | http_server_config: {headers: {X-Foo: bar}} | web.yml:1: "
            + "http_server_config.headers.X-Foo: HTTP header \"X-Foo\" can not be configured",
        "bad header value | http_server_config: {headers: {X-Frame-Options: allow}} | web.yml:1: "
            + "http_server_config.headers.X-Frame-Options: invalid value for X-Frame-Options. "
            + "Expected one of: [deny, sameorigin], but got: \"allow\"",
        "yaml syntax | 'tls_server_config: [' | web.yml:1: yaml: ",
      })
  void invalidFilesAreRejectedWithFileLineAndKey(String name, String yaml, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
    String got = e.getMessage().replace(dir.toString() + "/", "");
    assertEquals(true, got.startsWith(message), got);
  }

  @Test
  void aValidFileWithDefaults() throws Exception {
    WebConfig c =
        load(
            "tls_server_config:\\n  cert_file: tls/c.pem\\n  key_file: tls/k.pem\\n"
                + "basic_auth_users:\\n  alice: $2y$10$"
                + "a".repeat(53)
                + "\\n");
    assertEquals(dir.resolve("tls/c.pem"), c.tls().certFile(), "relative to the file's directory");
    assertEquals(WebConfig.ClientAuth.NoClientCert, c.tls().clientAuth());
    assertEquals(List.of("TLSv1.2", "TLSv1.3"), c.tls().protocols(), "TLS12..TLS13 by default");
    assertEquals(true, c.http2());
    assertEquals(1, c.users().size());
  }
}
