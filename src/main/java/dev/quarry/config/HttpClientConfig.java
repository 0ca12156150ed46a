package dev.quarry.config;

/**
 * The HTTP client settings Prometheus shares between scrape configs, service discovery and remote
 * write. {@code basicAuth}, {@code authorization}, {@code oauth2} and {@code proxyUrl} are null
 * when unset; at most one of the three authentication settings is set.
 */
public record HttpClientConfig(
    BasicAuth basicAuth,
    Authorization authorization,
    TlsConfig tlsConfig,
    String proxyUrl,
    boolean followRedirects,
    boolean enableHttp2,
    OAuth2Config oauth2) {

  /** Prometheus' defaults: follow redirects, HTTP/2 enabled, no auth, no proxy. */
  public static final HttpClientConfig DEFAULT =
      new HttpClientConfig(null, null, TlsConfig.DEFAULT, null, true, true, null);

  /** Settings without {@code oauth2}. */
  public HttpClientConfig(
      BasicAuth basicAuth,
      Authorization authorization,
      TlsConfig tlsConfig,
      String proxyUrl,
      boolean followRedirects,
      boolean enableHttp2) {
    this(basicAuth, authorization, tlsConfig, proxyUrl, followRedirects, enableHttp2, null);
  }
}
