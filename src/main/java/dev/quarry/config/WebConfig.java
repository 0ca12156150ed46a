package dev.quarry.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Prometheus' web configuration file ({@code --web.config.file} of the exporter-toolkit), as read
 * by {@link WebConfigLoader}: TLS for Quarry's own server, basic-auth users with bcrypt hashes, and
 * extra response headers. Immutable; paths are resolved against the file's directory.
 *
 * @param tls null for plain HTTP
 * @param users user name to bcrypt hash; empty for no authentication
 * @param headers response headers added to every answer
 * @param http2 whether HTTP/2 is offered over TLS (ALPN)
 */
public record WebConfig(
    TlsServer tls, Map<String, String> users, Map<String, String> headers, boolean http2) {

  /** No file: plain HTTP, no authentication, no extra headers. */
  public static final WebConfig NONE = new WebConfig(null, Map.of(), Map.of(), true);

  /**
   * {@code tls_server_config}.
   *
   * @param certFile PEM certificate chain
   * @param keyFile PEM private key
   * @param clientCaFile PEM CAs for client certificates, or null
   * @param clientAuth Go's {@code tls.ClientAuthType} name
   * @param protocols enabled protocol versions, JDK names ({@code TLSv1.2})
   * @param cipherSuites enabled suites (empty: the JDK's defaults)
   * @param where {@code file:line: tls_server_config} for errors found when loading the files
   */
  public record TlsServer(
      Path certFile,
      Path keyFile,
      Path clientCaFile,
      ClientAuth clientAuth,
      List<String> protocols,
      List<String> cipherSuites,
      boolean preferServerCipherSuites,
      String where) {}

  /** Go's client authentication policies. */
  public enum ClientAuth {
    NoClientCert(false, false),
    RequestClientCert(false, false),
    RequireAnyClientCert(true, false),
    VerifyClientCertIfGiven(false, true),
    RequireAndVerifyClientCert(true, true);

    /** Whether a client without a certificate is refused. */
    public final boolean required;

    /** Whether a client's certificate must chain to {@code client_ca_file}. */
    public final boolean verified;

    ClientAuth(boolean required, boolean verified) {
      this.required = required;
      this.verified = verified;
    }
  }
}
