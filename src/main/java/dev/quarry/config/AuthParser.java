package dev.quarry.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the authentication sections of Prometheus' client settings that {@link HttpClientParser}
 * hands over: the exclusivity rules between {@code basic_auth}, {@code authorization}, {@code
 * oauth2} and {@code bearer_token(_file)} (with the wording and order of Prometheus' {@code
 * HTTPClientConfig.Validate}), the {@code oauth2} block, and the request signing of a {@code
 * remote_write} entry ({@code sigv4}; {@code azuread} and {@code google_iam} are refused). Every
 * error names file, line and key. Stateless.
 */
final class AuthParser {
  private static final Set<String> OAUTH2 =
      Set.of(
          "client_id",
          "client_secret",
          "client_secret_file",
          "scopes",
          "token_url",
          "endpoint_params",
          "tls_config",
          "proxy_url",
          "no_proxy",
          "proxy_from_environment",
          "proxy_connect_header");

  /** The keys of {@code oauth2} that are read as an HTTP client's (TLS and proxy) settings. */
  private static final List<String> OAUTH2_CLIENT =
      List.of(
          "tls_config", "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header");

  private static final Set<String> SIGV4 =
      Set.of("region", "access_key", "secret_key", "profile", "role_arn", "use_fips_sts_endpoint");

  private static final String ONE_OF_CLIENT_AUTH =
      "at most one of basic_auth, oauth2 & authorization must be configured";

  private AuthParser() {}

  /**
   * Throws when more than one way of authenticating is configured in the client settings {@code m},
   * with Prometheus' message for the first rule broken.
   */
  static void checkExclusive(Map<String, YamlCursor> m) {
    boolean basic = present(m, "basic_auth");
    boolean authz = present(m, "authorization");
    boolean oauth2 = present(m, "oauth2");
    boolean token = nonEmpty(m, "bearer_token");
    boolean tokenFile = nonEmpty(m, "bearer_token_file");
    if (token && tokenFile) {
      throw m.get("bearer_token_file")
          .error("at most one of bearer_token & bearer_token_file must be configured");
    }
    YamlCursor bearer = m.get(token ? "bearer_token" : "bearer_token_file");
    if ((basic || oauth2) && (token || tokenFile)) {
      throw bearer.error(
          "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
    }
    if (authz && (token || tokenFile)) {
      throw bearer.error("authorization is not compatible with bearer_token & bearer_token_file");
    }
    if (authz && (basic || oauth2)) {
      throw m.get("authorization").error(ONE_OF_CLIENT_AUTH);
    }
    if (oauth2 && basic) {
      throw m.get("oauth2").error(ONE_OF_CLIENT_AUTH);
    }
  }

  /** The {@code oauth2} block of the client settings {@code m}, or null when there is none. */
  static OAuth2Config oauth2(LoadContext ctx, Map<String, YamlCursor> m, String owner) {
    YamlCursor c = m.get("oauth2");
    if (c == null || c.isNull()) {
      return null;
    }
    Map<String, YamlCursor> o = c.mapping("config.OAuth2", OAUTH2);
    String id = string(o, "client_id");
    String secret = string(o, "client_secret");
    String secretFile = string(o, "client_secret_file");
    String tokenUrl = string(o, "token_url");
    if (id.isEmpty()) {
      throw c.error("oauth2 client_id must be configured");
    }
    if (secret.isEmpty() && secretFile.isEmpty()) {
      throw c.error("either oauth2 client_secret or client_secret_file must be configured");
    }
    if (tokenUrl.isEmpty()) {
      throw c.error("oauth2 token_url must be configured");
    }
    if (!secret.isEmpty() && !secretFile.isEmpty()) {
      throw c.error("at most one of oauth2 client_secret & client_secret_file must be configured");
    }
    Fields.checkUrl(o.get("token_url"), tokenUrl);
    List<String> scopes = o.containsKey("scopes") ? o.get("scopes").stringList() : List.of();
    Map<String, String> params =
        o.containsKey("endpoint_params") ? o.get("endpoint_params").stringMap() : Map.of();
    if (!scopes.isEmpty() && params.containsKey("scope")) {
      // golang.org/x/oauth2 refuses this when it builds the token request.
      throw o.get("endpoint_params").error("oauth2: cannot overwrite parameter \"scope\"");
    }
    Map<String, YamlCursor> client = new LinkedHashMap<>();
    for (String k : OAUTH2_CLIENT) {
      if (o.containsKey(k)) {
        client.put(k, o.get(k));
      }
    }
    HttpClientConfig tokenClient = ctx.http().parse(client, owner + " oauth2");
    return new OAuth2Config(
        id,
        secret.isEmpty() ? null : secret,
        secretFile.isEmpty() ? null : ctx.resolve(secretFile),
        List.copyOf(scopes),
        tokenUrl,
        Map.copyOf(params),
        tokenClient.tlsConfig(),
        tokenClient.proxyUrl());
  }

  /**
   * The request signing of the {@code remote_write} entry {@code m}: its {@code sigv4} block, or
   * null. {@code azuread} and {@code google_iam} are refused as not supported; any of them together
   * with {@code basic_auth}, {@code authorization} or {@code oauth2} is refused with Prometheus'
   * message.
   */
  static SigV4Config remoteWrite(Map<String, YamlCursor> m) {
    for (String k : List.of("azuread", "google_iam")) {
      if (m.containsKey(k)) {
        throw m.get(k)
            .error(
                k
                    + " is not supported by Quarry (its vendor's SDK is larger than the agent;"
                    + " use sigv4, oauth2, authorization or basic_auth)");
      }
    }
    YamlCursor c = m.get("sigv4");
    if (c == null || c.isNull()) {
      return null;
    }
    Map<String, YamlCursor> s = c.mapping("sigv4.plain", SIGV4);
    String accessKey = string(s, "access_key");
    String secretKey = string(s, "secret_key");
    if (accessKey.isEmpty() != secretKey.isEmpty()) {
      throw c.error(
          "must provide a AWS SigV4 Access key and Secret Key if credentials are specified in"
              + " the SigV4 config");
    }
    if (s.containsKey("use_fips_sts_endpoint") && s.get("use_fips_sts_endpoint").bool()) {
      throw s.get("use_fips_sts_endpoint")
          .error("use_fips_sts_endpoint is not supported by Quarry");
    }
    if (present(m, "basic_auth")
        || present(m, "authorization")
        || present(m, "oauth2")
        || nonEmpty(m, "bearer_token")
        || nonEmpty(m, "bearer_token_file")) {
      throw c.error("at most one of basic_auth, authorization, oauth2, & sigv4 must be configured");
    }
    return new SigV4Config(
        orNull(string(s, "region")),
        orNull(accessKey),
        orNull(secretKey),
        orNull(string(s, "profile")),
        orNull(string(s, "role_arn")));
  }

  private static boolean present(Map<String, YamlCursor> m, String key) {
    return m.containsKey(key) && !m.get(key).isNull();
  }

  private static boolean nonEmpty(Map<String, YamlCursor> m, String key) {
    return !string(m, key).isEmpty();
  }

  /** The string at {@code key}, "" when missing or null. */
  private static String string(Map<String, YamlCursor> m, String key) {
    YamlCursor c = m.get(key);
    String s = c == null ? null : c.string();
    return s == null ? "" : s;
  }

  private static String orNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
