package dev.quarry.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An HTTP client built from one {@code HttpClientConfig}: TLS, proxy, HTTP/2 and redirects are
 * fixed at construction; authentication is applied to every request by {@link #request}.
 *
 * <p>Two Vert.x clients sit behind it: one for {@code https} requests, which negotiates HTTP/2 by
 * ALPN (falling back to HTTP/1.1) when {@code enable_http2} is set, and one for plain {@code http}
 * requests that always speaks HTTP/1.1. Prometheus only uses HTTP/2 over TLS; sending cleartext
 * upgrade headers to every exporter would be a behaviour change nobody asked for.
 *
 * <p>Secrets given by file ({@code password_file}, {@code credentials_file}) are read again for
 * every request, asynchronously through {@code vertx.fileSystem()}, as Prometheus does, so a
 * rotated secret takes effect on the next request and no event loop blocks on disk.
 *
 * <p>With {@code oauth2} every request carries the access token of an {@link OAuth2TokenSource}:
 * fetched once, shared by every request until shortly before it expires. A token that cannot be
 * fetched fails that request with a message naming the token URL.
 *
 * <p>Safe to use from any thread or context; the returned request belongs to the caller's context.
 */
public final class ConfiguredHttpClient {
  private final String name;
  private final HttpClient plain;
  private final HttpClient tls;
  private final boolean followRedirects;
  private final String serverName;
  private final String basicUser;
  private final Secret basicPassword;
  private final String authType;
  private final Secret credentials;
  private final OAuth2TokenSource oauth2;

  ConfiguredHttpClient(
      String name,
      HttpClient plain,
      HttpClient tls,
      boolean followRedirects,
      String serverName,
      String basicUser,
      Secret basicPassword,
      String authType,
      Secret credentials,
      OAuth2TokenSource oauth2) {
    this.name = name;
    this.plain = plain;
    this.tls = tls;
    this.followRedirects = followRedirects;
    this.serverName = serverName;
    this.basicUser = basicUser;
    this.basicPassword = basicPassword;
    this.authType = authType;
    this.credentials = credentials;
    this.oauth2 = oauth2;
  }

  /** The name given at creation, used in log and error messages. */
  public String name() {
    return name;
  }

  /**
   * Creates a request with the configured authentication header, redirect policy ({@code
   * follow_redirects}, overriding the options' own setting) and TLS server name. An {@code
   * Authorization} header already present in {@code options} is left alone, as in Prometheus. Fails
   * when a secret file cannot be read; the message names the client and file.
   */
  public Future<HttpClientRequest> request(RequestOptions options) {
    return authorization(options)
        .recover(
            e -> Future.failedFuture(new IllegalStateException(name + ": " + e.getMessage(), e)))
        .compose(
            auth -> {
              if (auth != null) {
                options.putHeader(HttpHeaders.AUTHORIZATION, auth);
              }
              boolean ssl = Boolean.TRUE.equals(options.isSsl());
              Future<HttpClientRequest> req =
                  ssl && serverName != null
                      ? requestWithServerName(options)
                      : (ssl ? tls : plain).request(options);
              // follow_redirects always comes from the config: Vert.x' RequestOptions cannot tell
              // "not set" from false, so a per-request value could not be honoured reliably.
              return req.map(r -> r.setFollowRedirects(followRedirects));
            });
  }

  /** Closes both underlying clients, and the token endpoint's client with {@code oauth2}. */
  public Future<Void> close() {
    Future<Void> token = oauth2 == null ? Future.succeededFuture() : oauth2.close();
    return Future.join(plain.close(), tls.close(), token).mapEmpty();
  }

  private Future<String> authorization(RequestOptions options) {
    MultiMap headers = options.getHeaders();
    if (headers != null && headers.contains(HttpHeaders.AUTHORIZATION)) {
      return Future.succeededFuture(null);
    }
    if (basicPassword != null) {
      return basicPassword
          .fetch()
          .map(
              pw ->
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString((basicUser + ":" + pw).getBytes(StandardCharsets.UTF_8)));
    }
    if (credentials != null) {
      return credentials.fetch().map(c -> authType + " " + c);
    }
    if (oauth2 != null) {
      return oauth2.authorization(headers == null ? null : headers.get(HttpHeaders.USER_AGENT));
    }
    return Future.succeededFuture(null);
  }

  /**
   * {@code server_name} changes the name sent by SNI and checked against the certificate but not
   * the address connected to, nor the {@code Host} header: connect to the original host, tell the
   * TLS layer the configured name, then restore the original authority.
   */
  private Future<HttpClientRequest> requestWithServerName(RequestOptions options) {
    String host = options.getHost();
    int port = options.getPort() == null ? 443 : options.getPort();
    if (options.getServer() == null) {
      options.setServer(SocketAddress.inetSocketAddress(port, host));
    }
    options.setHost(serverName);
    return tls.request(options).map(req -> req.authority(HostAndPort.create(host, port)));
  }
}
