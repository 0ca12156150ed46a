package dev.quarry.config;

import java.util.List;
import java.util.Map;

/**
 * {@code oauth2}: the client credentials grant of Prometheus' HTTP client settings. Exactly one of
 * {@code clientSecret} and {@code clientSecretFile} is set (the file path resolved against the
 * config's directory); {@code scopes} and {@code endpointParams} are empty when unset, {@code
 * proxyUrl} is null when unset. The token endpoint is reached with {@code tlsConfig} and {@code
 * proxyUrl}, not with the settings of the client it authenticates.
 */
public record OAuth2Config(
    String clientId,
    String clientSecret,
    String clientSecretFile,
    List<String> scopes,
    String tokenUrl,
    Map<String, String> endpointParams,
    TlsConfig tlsConfig,
    String proxyUrl) {

  /** Prometheus renders the secret this way; the record itself still holds it. */
  @Override
  public String toString() {
    return "OAuth2Config[clientId="
        + clientId
        + ", tokenUrl="
        + dev.quarry.http.UrlRedactor.redact(tokenUrl)
        + ", scopes="
        + scopes
        + "]";
  }
}
