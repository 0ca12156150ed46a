package dev.quarry.config;

import static dev.quarry.config.Fields.boolOr;
import static dev.quarry.config.Fields.stringOr;

import dev.quarry.http.UrlRedactor;
import java.util.Map;
import java.util.Set;

/**
 * Reads the HTTP client keys Prometheus shares between scrape configs, service discovery and remote
 * write ({@code common/config.HTTPClientConfig}), one method per sub-section. Paths are resolved
 * against the config file's directory. Used by one load, on its thread.
 */
final class HttpClientParser {
  /** The keys a section embedding the HTTP client config accepts besides its own. */
  static final Set<String> KEYS =
      Set.of(
          "basic_auth",
          "authorization",
          "oauth2",
          "tls_config",
          "proxy_url",
          "no_proxy",
          "proxy_from_environment",
          "proxy_connect_header",
          "follow_redirects",
          "enable_http2",
          "bearer_token",
          "bearer_token_file",
          "http_headers");

  private final LoadContext ctx;

  HttpClientParser(LoadContext ctx) {
    this.ctx = ctx;
  }

  /** The HTTP client settings among the keys {@code m} of the section {@code owner}. */
  HttpClientConfig parse(Map<String, YamlCursor> m, String owner) {
    AuthParser.checkExclusive(m);
    BasicAuth basic = m.containsKey("basic_auth") ? basicAuth(m.get("basic_auth")) : null;
    Authorization authz =
        m.containsKey("authorization") ? authorization(m.get("authorization")) : null;
    if (m.containsKey("bearer_token") || m.containsKey("bearer_token_file")) {
      if (authz != null) {
        throw m.getOrDefault("bearer_token", m.get("bearer_token_file"))
            .error(
                "at most one of bearer_token, bearer_token_file & authorization must be "
                    + "configured");
      }
      authz =
          new Authorization(
              "Bearer",
              stringOr(m, "bearer_token", null),
              ctx.resolve(stringOr(m, "bearer_token_file", null)));
    }
    if (basic != null && authz != null) {
      throw m.get("basic_auth")
          .error(
              "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be "
                  + "configured");
    }
    TlsConfig tls = m.containsKey("tls_config") ? tls(m.get("tls_config")) : TlsConfig.DEFAULT;
    String proxy = proxyUrl(m);
    ctx.warnIfTrue(
        m,
        "proxy_from_environment",
        "proxy_from_environment is not supported by Quarry; set proxy_url");
    for (String key : new String[] {"no_proxy", "proxy_connect_header", "http_headers"}) {
      ctx.warnIfSet(m, key, key + " is not supported by Quarry and is ignored");
    }
    return new HttpClientConfig(
        basic,
        authz,
        tls,
        proxy,
        boolOr(m, "follow_redirects", true),
        boolOr(m, "enable_http2", true),
        AuthParser.oauth2(ctx, m, owner));
  }

  private BasicAuth basicAuth(YamlCursor c) {
    Map<String, YamlCursor> b =
        c.mapping(
            "config.BasicAuth", Set.of("username", "password", "password_file", "username_file"));
    String password = stringOr(b, "password", null);
    String passwordFile = stringOr(b, "password_file", null);
    if (password != null && passwordFile != null) {
      throw c.error("at most one of basic_auth password & password_file must be configured");
    }
    if (b.containsKey("username_file")) {
      throw b.get("username_file").error("username_file is not supported by Quarry");
    }
    return new BasicAuth(stringOr(b, "username", ""), password, ctx.resolve(passwordFile));
  }

  private Authorization authorization(YamlCursor c) {
    Map<String, YamlCursor> a =
        c.mapping("config.Authorization", Set.of("type", "credentials", "credentials_file"));
    String cred = stringOr(a, "credentials", null);
    String credFile = stringOr(a, "credentials_file", null);
    if (cred != null && credFile != null) {
      throw c.error(
          "at most one of authorization credentials & credentials_file must be configured");
    }
    String type = stringOr(a, "type", "Bearer");
    if (type.equalsIgnoreCase("basic")) {
      throw a.get("type")
          .error("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    return new Authorization(type, cred, ctx.resolve(credFile));
  }

  private TlsConfig tls(YamlCursor c) {
    Map<String, YamlCursor> t =
        c.mapping(
            "config.TLSConfig",
            Set.of(
                "ca_file",
                "cert_file",
                "key_file",
                "server_name",
                "insecure_skip_verify",
                "min_version",
                "max_version",
                "ca",
                "cert",
                "key"));
    String minVersion = stringOr(t, "min_version", null);
    if (minVersion != null && !Set.of("TLS10", "TLS11", "TLS12", "TLS13").contains(minVersion)) {
      throw t.get("min_version").error("unknown TLS version: " + minVersion);
    }
    boolean hasCert = t.containsKey("cert_file");
    boolean hasKey = t.containsKey("key_file");
    if (hasCert != hasKey) {
      throw c.error(
          "exactly one of key or key_file must be configured when a client certificate is "
              + "configured");
    }
    ctx.warnIfSet(
        t,
        "max_version",
        "max_version is not supported by Quarry; the highest TLS version is used");
    for (String key : new String[] {"ca", "cert", "key"}) {
      ctx.warnIfSet(
          t,
          key,
          key + " (inline PEM) is not supported by Quarry and is ignored; use " + key + "_file");
    }
    return new TlsConfig(
        ctx.resolve(stringOr(t, "ca_file", null)),
        ctx.resolve(stringOr(t, "cert_file", null)),
        ctx.resolve(stringOr(t, "key_file", null)),
        stringOr(t, "server_name", null),
        boolOr(t, "insecure_skip_verify", false),
        minVersion);
  }

  private static String proxyUrl(Map<String, YamlCursor> m) {
    String proxy = stringOr(m, "proxy_url", null);
    if (proxy != null) {
      try {
        new java.net.URI(proxy);
      } catch (java.net.URISyntaxException e) {
        throw m.get("proxy_url")
            .error("parse \"" + UrlRedactor.redact(proxy) + "\": " + e.getReason());
      }
    }
    return proxy;
  }
}
