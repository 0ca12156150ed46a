package dev.quarry.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Reads Prometheus' web configuration file with the exporter-toolkit's rules and wording: strict
 * keys, {@code key_file} with {@code cert_file}, TLS versions {@code TLS10}..{@code TLS13}, Go's
 * client-auth policies, bcrypt hashes for {@code basic_auth_users}, and only the response headers
 * the toolkit allows. Every error is one line naming {@code file:line: key: reason}.
 */
public final class WebConfigLoader {
  private static final Set<String> TOP =
      Set.of("tls_server_config", "http_server_config", "basic_auth_users");
  private static final Set<String> TLS =
      Set.of(
          "cert_file",
          "key_file",
          "client_ca_file",
          "client_auth_type",
          "min_version",
          "max_version",
          "cipher_suites",
          "prefer_server_cipher_suites",
          "curve_preferences",
          "client_allowed_sans",
          "cert",
          "key",
          "client_ca");
  private static final Set<String> HTTP = Set.of("http2", "headers");
  private static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");

  /** Headers the exporter-toolkit lets a web config set, with their allowed values (or any). */
  private static final Map<String, List<String>> HEADERS =
      Map.of(
          "Strict-Transport-Security", List.of(),
          "X-Content-Type-Options", List.of("nosniff"),
          "X-Frame-Options", List.of("deny", "sameorigin"),
          "X-XSS-Protection", List.of(),
          "Content-Security-Policy", List.of());

  /** TLS 1.3 suites, which Go always enables whatever {@code cipher_suites} lists. */
  private static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  private WebConfigLoader() {}

  /**
   * Loads and validates {@code file}.
   *
   * @throws ConfigException naming file, line and key
   */
  public static WebConfig load(Path file) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read web config file: " + e);
    }
    Path dir = file.toAbsolutePath().getParent();
    Map<String, YamlCursor> top = YamlCursor.root(text, name).mapping("web.Config", TOP);
    WebConfig.TlsServer tls =
        top.containsKey("tls_server_config") ? tls(top.get("tls_server_config"), dir) : null;
    Map<String, String> headers = new LinkedHashMap<>();
    boolean http2 = true;
    if (top.containsKey("http_server_config")) {
      Map<String, YamlCursor> h = top.get("http_server_config").mapping("web.HTTPConfig", HTTP);
      if (h.containsKey("http2")) {
        http2 = h.get("http2").bool();
      }
      if (h.containsKey("headers")) {
        for (var e : h.get("headers").mapping("map", null).entrySet()) {
          headers.put(e.getKey(), header(e.getKey(), e.getValue()));
        }
      }
    }
    Map<String, String> users = new LinkedHashMap<>();
    if (top.containsKey("basic_auth_users")) {
      for (var e : top.get("basic_auth_users").mapping("map", null).entrySet()) {
        users.put(e.getKey(), bcryptHash(e.getValue()));
      }
    }
    return new WebConfig(tls, Map.copyOf(users), Map.copyOf(headers), http2);
  }

  private static WebConfig.TlsServer tls(YamlCursor c, Path dir) {
    Map<String, YamlCursor> m = c.mapping("web.TLSConfig", TLS);
    for (String k :
        List.of("curve_preferences", "client_allowed_sans", "cert", "key", "client_ca")) {
      if (m.containsKey(k)) {
        throw m.get(k).error(k + " is not supported by Quarry");
      }
    }
    String cert = string(m, "cert_file");
    String key = string(m, "key_file");
    if (cert == null) {
      throw c.error("missing cert_file");
    }
    if (key == null) {
      throw c.error("missing key_file");
    }
    String ca = string(m, "client_ca_file");
    WebConfig.ClientAuth auth = WebConfig.ClientAuth.NoClientCert;
    if (m.containsKey("client_auth_type")) {
      String s = m.get("client_auth_type").string();
      try {
        auth = WebConfig.ClientAuth.valueOf(s);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw m.get("client_auth_type").error("Invalid ClientAuth: " + s);
      }
    }
    if (ca != null && auth == WebConfig.ClientAuth.NoClientCert) {
      throw c.error("Client CA's have been configured without a Client Auth Policy");
    }
    if (ca == null && auth.verified) {
      throw m.get("client_auth_type").error("client_ca_file is required with " + auth);
    }
    int min = version(m, "min_version", 2);
    int max = version(m, "max_version", 3);
    if (min > max) {
      throw c.error(
          "min_version " + VERSIONS.get(min) + " is above max_version " + VERSIONS.get(max));
    }
    List<String> protocols = new ArrayList<>();
    for (int v = min; v <= max; v++) {
      protocols.add(v == 0 ? "TLSv1" : "TLSv1." + v);
    }
    List<String> suites = new ArrayList<>();
    if (m.containsKey("cipher_suites")) {
      List<String> known = supportedSuites();
      for (YamlCursor s : m.get("cipher_suites").sequence()) {
        String suite = s.string();
        if (!known.contains(suite)) {
          throw s.error("unknown cipher: " + suite);
        }
        suites.add(suite);
      }
      if (!suites.isEmpty()) {
        TLS13_SUITES.stream()
            .filter(known::contains)
            .filter(x -> !suites.contains(x))
            .forEach(suites::add);
      }
    }
    YamlCursor preferKey = m.get("prefer_server_cipher_suites");
    boolean prefer = preferKey == null || preferKey.bool();
    return new WebConfig.TlsServer(
        dir.resolve(cert),
        dir.resolve(key),
        ca == null ? null : dir.resolve(ca),
        auth,
        List.copyOf(protocols),
        List.copyOf(suites),
        prefer,
        c.where());
  }

  private static String string(Map<String, YamlCursor> m, String key) {
    String s = m.containsKey(key) ? m.get(key).string() : null;
    return s == null || s.isEmpty() ? null : s;
  }

  private static int version(Map<String, YamlCursor> m, String key, int dflt) {
    if (!m.containsKey(key)) {
      return dflt;
    }
    String s = m.get(key).string();
    int i = VERSIONS.indexOf(s);
    if (i < 0) {
      throw m.get(key).error("unknown TLS version: " + s);
    }
    return i;
  }

  private static String header(String name, YamlCursor value) {
    List<String> allowed = HEADERS.get(name);
    if (allowed == null) {
      throw value.error("HTTP header \"" + name + "\" can not be configured");
    }
    String v = value.string();
    String lower = v == null ? "" : v.toLowerCase(java.util.Locale.ROOT);
    if (!allowed.isEmpty() && !allowed.contains(lower)) {
      throw value.error(
          "invalid value for "
              + name
              + ". Expected one of: "
              + allowed
              + ", but got: \""
              + v
              + "\"");
    }
    return v == null ? "" : v;
  }

  /** A bcrypt hash as Go reads it: {@code $2a$}, {@code $2b$} or {@code $2y$}, cost 4..31. */
  private static String bcryptHash(YamlCursor c) {
    String h = c.string();
    if (h == null || h.length() != 60) {
      throw c.error("crypto/bcrypt: not a bcrypt hash (60 characters, $2y$...)");
    }
    boolean ok =
        h.charAt(0) == '$'
            && h.charAt(1) == '2'
            && "aby".indexOf(h.charAt(2)) >= 0
            && h.charAt(3) == '$'
            && h.charAt(6) == '$'
            && Character.isDigit(h.charAt(4))
            && Character.isDigit(h.charAt(5));
    int cost = ok ? Integer.parseInt(h.substring(4, 6)) : 0;
    if (!ok || cost < 4 || cost > 31) {
      throw c.error("crypto/bcrypt: not a bcrypt hash (60 characters, $2y$...)");
    }
    return h;
  }

  private static List<String> supportedSuites() {
    try {
      return Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
