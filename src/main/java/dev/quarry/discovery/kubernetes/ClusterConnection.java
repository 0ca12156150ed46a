package dev.quarry.discovery.kubernetes;

import dev.quarry.config.HttpClientConfig;
import dev.quarry.config.KubernetesSdConfig;
import dev.quarry.config.TlsConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.TlsVersion;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to reach one API server: the part of a {@code kubernetes_sd_configs} entry that jobs with the
 * same value share one client (and so one set of informers) for. Builds the fabric8 client from it
 * with Quarry's settings only: no environment, system properties or {@code ~/.kube/config} are
 * consulted, except the in-cluster service account when neither {@code api_server} nor {@code
 * kubeconfig_file} is given.
 *
 * @param apiServer the URL, or null
 * @param kubeconfigFile the kubeconfig path, or null
 * @param http client settings (only with {@code apiServer})
 */
record ClusterConnection(String apiServer, String kubeconfigFile, HttpClientConfig http) {
  static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  static ClusterConnection of(KubernetesSdConfig c) {
    return new ClusterConnection(c.apiServer(), c.kubeconfigFile(), c.httpClient());
  }

  boolean inCluster() {
    return apiServer == null && kubeconfigFile == null;
  }

  /** What log lines call this connection. */
  String describe() {
    if (apiServer != null) {
      return apiServer;
    }
    return kubeconfigFile != null ? "kubeconfig " + kubeconfigFile : "in-cluster API server";
  }

  /**
   * Builds the client; blocking (it reads the kubeconfig, token and password files), so it runs on
   * a worker thread. {@code tokens} receives the rotating token, if one is used, so the caller can
   * stop its refresh when the client closes.
   *
   * @throws IOException when a file cannot be read or the in-cluster environment is incomplete
   */
  KubernetesClient open(Vertx vertx, String userAgent, Path serviceAccount, RotatingToken[] tokens)
      throws IOException {
    ConfigBuilder b;
    if (kubeconfigFile != null) {
      String text = Files.readString(Path.of(kubeconfigFile), StandardCharsets.UTF_8);
      b = new ConfigBuilder(Config.fromKubeconfig(null, text, kubeconfigFile));
    } else if (apiServer != null) {
      b = new ConfigBuilder(Config.empty()).withMasterUrl(apiServer);
      applyHttp(b, vertx, tokens);
    } else {
      String host = System.getenv("KUBERNETES_SERVICE_HOST");
      String port = System.getenv("KUBERNETES_SERVICE_PORT");
      if (host == null || host.isEmpty() || port == null || port.isEmpty()) {
        throw new IOException(
            "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and"
                + " KUBERNETES_SERVICE_PORT must be defined");
      }
      RotatingToken token = RotatingToken.open(vertx, serviceAccount.resolve("token").toString());
      tokens[0] = token;
      b =
          new ConfigBuilder(Config.empty())
              .withMasterUrl("https://" + MetaLabels.joinHostPort(host, port))
              .withCaCertFile(serviceAccount.resolve("ca.crt").toString())
              .withOauthTokenProvider(token);
    }
    Config config =
        b.withUserAgent(userAgent)
            .withRequestTimeout(10_000)
            .withConnectionTimeout(10_000)
            .withWatchReconnectInterval(1_000)
            .withWatchReconnectLimit(-1)
            // no per-request retries: the informers retry (and count) failed lists themselves
            .withRequestRetryBackoffLimit(0)
            .withCustomHeaders(Map.of())
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private void applyHttp(ConfigBuilder b, Vertx vertx, RotatingToken[] tokens) throws IOException {
    if (http.basicAuth() != null) {
      String password = http.basicAuth().password();
      if (http.basicAuth().passwordFile() != null) {
        password = Files.readString(Path.of(http.basicAuth().passwordFile())).strip();
      }
      b.withUsername(http.basicAuth().username()).withPassword(password);
    }
    if (http.authorization() != null) {
      if (http.authorization().credentialsFile() != null) {
        RotatingToken token = RotatingToken.open(vertx, http.authorization().credentialsFile());
        tokens[0] = token;
        b.withOauthTokenProvider(token);
      } else {
        b.withOauthToken(http.authorization().credentials());
      }
    }
    TlsConfig tls = http.tlsConfig();
    if (tls.caFile() != null) {
      b.withCaCertFile(new File(tls.caFile()).getPath());
    }
    if (tls.certFile() != null) {
      b.withClientCertFile(tls.certFile()).withClientKeyFile(tls.keyFile());
    }
    if (tls.insecureSkipVerify()) {
      b.withTrustCerts(true).withDisableHostnameVerification(true);
    }
    if (tls.minVersion() != null) {
      b.withTlsVersions(tlsVersions(tls.minVersion()));
    }
    if (http.proxyUrl() != null) {
      b.withHttpProxy(http.proxyUrl()).withHttpsProxy(http.proxyUrl());
    }
    b.withHttp2Disable(!http.enableHttp2());
  }

  private static TlsVersion[] tlsVersions(String min) {
    return switch (min) {
      case "TLS10" ->
          new TlsVersion[] {
            TlsVersion.TLS_1_3, TlsVersion.TLS_1_2, TlsVersion.TLS_1_1, TlsVersion.TLS_1_0
          };
      case "TLS11" -> new TlsVersion[] {TlsVersion.TLS_1_3, TlsVersion.TLS_1_2, TlsVersion.TLS_1_1};
      case "TLS13" -> new TlsVersion[] {TlsVersion.TLS_1_3};
      default -> new TlsVersion[] {TlsVersion.TLS_1_3, TlsVersion.TLS_1_2};
    };
  }
}
