package dev.quarry.config;

/** {@code tls_config}: every field may be null when not set. */
public record TlsConfig(
    String caFile,
    String certFile,
    String keyFile,
    String serverName,
    boolean insecureSkipVerify,
    String minVersion) {

  public static final TlsConfig DEFAULT = new TlsConfig(null, null, null, null, false, null);
}
