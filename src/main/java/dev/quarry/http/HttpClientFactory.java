package dev.quarry.http;

import dev.quarry.config.Authorization;
import dev.quarry.config.BasicAuth;
import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.OAuth2Config;
import dev.quarry.config.TlsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;

/**
 * Builds {@link ConfiguredHttpClient}s from Prometheus' {@code HttpClientConfig}: the one place
 * where scrape pools, HTTP service discovery and remote write turn their client settings into a
 * Vert.x client, so all three honour TLS, proxy, HTTP/2, redirects and authentication alike.
 *
 * <p>Mapping of the settings:
 *
 * <ul>
 *   <li>{@code tls_config}: {@code ca_file} as PEM trust, {@code cert_file}/{@code key_file} as a
 *       PEM client certificate, {@code server_name} for SNI and certificate checks, {@code
 *       insecure_skip_verify} trusts every certificate and host name, {@code min_version} (TLS10 to
 *       TLS13, default TLS12) enables that version and the newer ones. PEM files are loaded by
 *       Vert.x when the first TLS connection is made; a missing file fails that connection.
 *   <li>{@code proxy_url}: {@code http://} (the default scheme) or {@code socks5://}, with optional
 *       user info as proxy credentials.
 *   <li>{@code enable_http2}: HTTP/2 by ALPN with HTTP/1.1 fallback on TLS connections only.
 *   <li>{@code follow_redirects}: applied to every request (at most 10 redirects, as in Go).
 *   <li>{@code basic_auth}, {@code authorization} and {@code oauth2}: see {@link
 *       ConfiguredHttpClient}; the token endpoint of {@code oauth2} is reached through a client of
 *       its own, built from the block's {@code tls_config} and {@code proxy_url} (HTTP/1.1, as
 *       Prometheus' token client).
 * </ul>
 *
 * <p>A factory made with a connection cap lets each client open that many connections to one
 * host:port (HTTP/1.1 and HTTP/2 alike) with an unbounded wait queue; without one the clients keep
 * Vert.x' defaults. Scrapes need the cap: a multi-target exporter (blackbox, snmp) serves every
 * target of a job from one host, and Prometheus scrapes them all concurrently.
 *
 * <p>Creation does no I/O and may run on an event loop. Invalid settings throw {@link
 * IllegalArgumentException} with a message naming the client and the field.
 */
public final class HttpClientFactory {
  private final Vertx vertx;
  private final PoolOptions pool;

  /** A factory whose clients keep Vert.x' connection pool defaults. */
  public HttpClientFactory(Vertx vertx) {
    this.vertx = vertx;
    this.pool = new PoolOptions();
  }

  /** A factory whose clients open at most {@code maxConnectionsPerHost} connections per host. */
  public HttpClientFactory(Vertx vertx, int maxConnectionsPerHost) {
    if (maxConnectionsPerHost < 1) {
      throw new IllegalArgumentException(
          "max connections per host must be at least 1, got " + maxConnectionsPerHost);
    }
    this.vertx = vertx;
    this.pool =
        new PoolOptions()
            .setHttp1MaxSize(maxConnectionsPerHost)
            .setHttp2MaxSize(maxConnectionsPerHost)
            .setMaxWaitQueueSize(-1);
  }

  /**
   * A factory on the same Vert.x whose clients open at most {@code maxConnectionsPerHost}
   * connections per host, as the scrapes need.
   */
  public HttpClientFactory withMaxConnectionsPerHost(int maxConnectionsPerHost) {
    return new HttpClientFactory(vertx, maxConnectionsPerHost);
  }

  /**
   * Builds a client; {@code name} (for example {@code job "node"} or {@code http_sd
   * http://host/sd}) prefixes every error message of the client.
   */
  public ConfiguredHttpClient create(String name, HttpClientConfig config) {
    return create(name, config, true);
  }

  /**
   * Builds a client that decompresses gzip responses itself when {@code decompress} is true;
   * scrapes pass false and inflate the body as it arrives.
   */
  public ConfiguredHttpClient create(String name, HttpClientConfig config, boolean decompress) {
    HttpClientOptions base =
        new HttpClientOptions().setMaxRedirects(10).setDecompressionSupported(decompress);
    TlsConfig tls = config.tlsConfig() == null ? TlsConfig.DEFAULT : config.tlsConfig();
    applyTls(name, tls, base);
    if (config.proxyUrl() != null && !config.proxyUrl().isBlank()) {
      base.setProxyOptions(proxy(name, config.proxyUrl()));
    }
    HttpClientOptions plainOptions =
        new HttpClientOptions(base).setProtocolVersion(HttpVersion.HTTP_1_1);
    HttpClientOptions tlsOptions = new HttpClientOptions(base);
    if (config.enableHttp2()) {
      tlsOptions
          .setProtocolVersion(HttpVersion.HTTP_2)
          .setUseAlpn(true)
          .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    } else {
      tlsOptions.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    BasicAuth basic = config.basicAuth();
    Authorization authz = config.authorization();
    Secret password = null;
    String user = null;
    if (basic != null) {
      user = basic.username() == null ? "" : basic.username();
      password = Secret.of(vertx, basic.password(), basic.passwordFile());
    }
    Secret credentials = null;
    String type = null;
    if (authz != null) {
      if (basic != null) {
        throw new IllegalArgumentException(
            name + ": at most one of basic_auth and authorization must be configured");
      }
      type = authz.type() == null || authz.type().isEmpty() ? "Bearer" : authz.type();
      if (type.equalsIgnoreCase("basic")) {
        throw new IllegalArgumentException(
            name
                + ": authorization.type: authorization type cannot be set to \"basic\","
                + " use \"basic_auth\" instead");
      }
      credentials = Secret.of(vertx, authz.credentials(), authz.credentialsFile());
    }
    OAuth2TokenSource oauth2 = null;
    if (config.oauth2() != null) {
      if (basic != null || authz != null) {
        throw new IllegalArgumentException(
            name + ": at most one of basic_auth, oauth2 & authorization must be configured");
      }
      oauth2 = oauth2(name, config.oauth2());
    }
    return new ConfiguredHttpClient(
        name,
        vertx.createHttpClient(plainOptions, pool),
        vertx.createHttpClient(tlsOptions, pool),
        config.followRedirects(),
        tls.serverName() == null || tls.serverName().isEmpty() ? null : tls.serverName(),
        user,
        password,
        type,
        credentials,
        oauth2);
  }

  private OAuth2TokenSource oauth2(String name, OAuth2Config o) {
    HttpClientConfig endpoint =
        new HttpClientConfig(null, null, o.tlsConfig(), o.proxyUrl(), true, false);
    return new OAuth2TokenSource(
        vertx, create(name + " oauth2", endpoint, true), o, InstantSource.system());
  }

  private static void applyTls(String name, TlsConfig tls, HttpClientOptions options) {
    if (tls.caFile() != null && !tls.caFile().isEmpty()) {
      options.setPemTrustOptions(new PemTrustOptions().addCertPath(tls.caFile()));
    }
    boolean hasCert = tls.certFile() != null && !tls.certFile().isEmpty();
    boolean hasKey = tls.keyFile() != null && !tls.keyFile().isEmpty();
    if (hasCert != hasKey) {
      throw new IllegalArgumentException(
          name + ": tls_config: client cert file and client key file must both be configured");
    }
    if (hasCert) {
      options.setPemKeyCertOptions(
          new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()));
    }
    if (tls.serverName() != null && !tls.serverName().isEmpty()) {
      options.setForceSni(true);
    }
    if (tls.insecureSkipVerify()) {
      options.setTrustAll(true).setVerifyHost(false);
    }
    options.setEnabledSecureTransportProtocols(protocols(name, tls.minVersion()));
  }

  private static Set<String> protocols(String name, String minVersion) {
    String v = minVersion == null || minVersion.isEmpty() ? "TLS12" : minVersion;
    return switch (v) {
      case "TLS10" -> Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
      case "TLS11" -> Set.of("TLSv1.1", "TLSv1.2", "TLSv1.3");
      case "TLS12" -> Set.of("TLSv1.2", "TLSv1.3");
      case "TLS13" -> Set.of("TLSv1.3");
      default ->
          throw new IllegalArgumentException(
              name + ": tls_config.min_version: unknown TLS version: " + v);
    };
  }

  private static ProxyOptions proxy(String name, String proxyUrl) {
    URI uri;
    try {
      uri = new URI(proxyUrl.contains("://") ? proxyUrl : "http://" + proxyUrl);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          name + ": proxy_url: " + UrlRedactor.redactAll(e.getMessage()), e);
    }
    String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    ProxyType type;
    int defaultPort;
    switch (scheme) {
      case "http" -> {
        type = ProxyType.HTTP;
        defaultPort = 80;
      }
      case "socks5" -> {
        type = ProxyType.SOCKS5;
        defaultPort = 1080;
      }
      default ->
          throw new IllegalArgumentException(
              name
                  + ": proxy_url: unsupported proxy scheme \""
                  + scheme
                  + "\" in "
                  + UrlRedactor.redact(proxyUrl));
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(name + ": proxy_url: no host in " + proxyUrl);
    }
    ProxyOptions p =
        new ProxyOptions()
            .setType(type)
            .setHost(uri.getHost())
            .setPort(uri.getPort() < 0 ? defaultPort : uri.getPort());
    String userInfo = uri.getUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      p.setUsername(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (colon >= 0) {
        p.setPassword(userInfo.substring(colon + 1));
      }
    }
    return p;
  }
}
