package dev.quarry.config;

/**
 * The HTTP client settings Prometheus shares between scrape configs, service discovery and remote
 * write. {@code basicAuth}, {@code authorization} and {@code proxyUrl} are null when unset.
 */
public record HttpClientConfig(
    BasicAuth basicAuth,
    Authorization authorization,
    TlsConfig tlsConfig,
    String proxyUrl,
    boolean followRedirects,
    boolean enableHttp2) {

  /** Prometheus' defaults: follow redirects, HTTP/2 enabled, no auth, no proxy. */
  public static final HttpClientConfig DEFAULT =
      new HttpClientConfig(null, null, TlsConfig.DEFAULT, null, true, true);
}
