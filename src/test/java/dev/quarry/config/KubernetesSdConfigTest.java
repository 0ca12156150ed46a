package dev.quarry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.config.KubernetesSdConfig.Selector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubernetes_sd_configs}: Prometheus' keys, defaults and validation errors (wording of
 * discovery/kubernetes SDConfig.UnmarshalYAML), each error naming file, line and key path.
 */
class KubernetesSdConfigTest {
  @TempDir Path dir;

  private KubernetesSdConfig load(String entry) throws IOException {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, "scrape_configs:\n  - job_name: k\n    kubernetes_sd_configs:\n" + entry);
    return (KubernetesSdConfig)
        ConfigLoader.load(f).scrapeConfigs().get(0).serviceDiscoveryConfigs().get(0);
  }

  static Stream<Arguments> errors() {
    String at = "prometheus.yml:4: scrape_configs[0].kubernetes_sd_configs[0]";
    return Stream.of(
        Arguments.of(
            Named.of("role missing", "      - api_server: http://a:1\n"),
            at + ": role missing (one of: pod, service, endpoints, endpointslice, node, ingress)"),
        Arguments.of(
            Named.of("unknown role", "      - role: pods\n"),
            at + ".role: unknown Kubernetes SD role \"pods\""),
        Arguments.of(
            Named.of("unknown key", "      - role: pod\n        namespace: [a]\n"),
            "prometheus.yml:5: scrape_configs[0].kubernetes_sd_configs[0].namespace: field"
                + " namespace not found in type kubernetes.SDConfig"),
        Arguments.of(
            Named.of(
                "api_server with kubeconfig_file",
                "      - role: pod\n        api_server: http://a:1\n        kubeconfig_file: k\n"),
            at + ": cannot use 'kubeconfig_file' and 'api_server' simultaneously"),
        Arguments.of(
            Named.of(
                "http settings with kubeconfig_file",
                "      - role: pod\n        kubeconfig_file: k\n        follow_redirects: false\n"),
            at
                + ": cannot use a custom HTTP client configuration together with"
                + " 'kubeconfig_file'"),
        Arguments.of(
            Named.of("http settings in-cluster", "      - role: pod\n        bearer_token: t\n"),
            at
                + ": to use custom HTTP client configuration please provide the 'api_server' URL"
                + " explicitly"),
        Arguments.of(
            Named.of(
                "own_namespace with api_server",
                "      - role: pod\n        api_server: http://a:1\n"
                    + "        namespaces: {own_namespace: true}\n"),
            at + ": cannot use 'api_server' and 'namespaces.own_namespace' simultaneously"),
        Arguments.of(
            Named.of(
                "own_namespace with kubeconfig_file",
                "      - role: pod\n        kubeconfig_file: k\n"
                    + "        namespaces: {own_namespace: true}\n"),
            at + ": cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously"),
        Arguments.of(
            Named.of(
                "selector role not allowed",
                "      - role: endpoints\n        selectors: [{role: node, label: a=b}]\n"),
            "prometheus.yml:5: scrape_configs[0].kubernetes_sd_configs[0].selectors[0]:"
                + " endpoints role supports only pod, service, endpoints selectors"),
        Arguments.of(
            Named.of(
                "duplicate selector role",
                "      - role: pod\n        selectors:\n          - {role: pod, label: a=b}\n"
                    + "          - {role: pod, field: spec.nodeName=n}\n"),
            "prometheus.yml:7: scrape_configs[0].kubernetes_sd_configs[0].selectors[1]:"
                + " duplicated selector role: pod"),
        Arguments.of(
            Named.of(
                "unknown selector role",
                "      - role: pod\n        selectors: [{role: deployment}]\n"),
            "prometheus.yml:5: scrape_configs[0].kubernetes_sd_configs[0].selectors[0].role:"
                + " unknown Kubernetes SD role \"deployment\""),
        Arguments.of(
            Named.of(
                "bad field selector",
                "      - role: pod\n        selectors: [{role: pod, field: spec.nodeName}]\n"),
            "prometheus.yml:5: scrape_configs[0].kubernetes_sd_configs[0].selectors[0]:"
                + " invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'"),
        Arguments.of(
            Named.of("bad api_server", "      - role: pod\n        api_server: ftp://a\n"),
            "prometheus.yml:5: scrape_configs[0].kubernetes_sd_configs[0].api_server: URL"
                + " scheme must be 'http' or 'https'"),
        Arguments.of(
            Named.of(
                "oauth2",
                "      - role: pod\n        api_server: http://a:1\n"
                    + "        oauth2: {client_id: x, token_url: 'http://t'}\n"),
            "prometheus.yml:6: scrape_configs[0].kubernetes_sd_configs[0].oauth2: oauth2 is not"
                + " supported by Quarry"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void invalidEntryIsAnErrorNamingFileLineAndKey(String entry, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(entry));
    String msg = e.getMessage().replace(dir.toString() + "/", "");
    assertEquals(expected, msg);
  }

  @Test
  void fullEntryParses() throws IOException {
    KubernetesSdConfig c =
        load(
            """
                  - role: endpoints
                    api_server: https://k8s.example:6443
                    authorization: {credentials_file: token}
                    tls_config: {ca_file: ca.crt, insecure_skip_verify: false}
                    proxy_url: http://proxy:3128
                    follow_redirects: false
                    enable_http2: false
                    namespaces: {names: [a, b]}
                    selectors:
                      - {role: pod, label: 'app=web', field: 'spec.nodeName=n1'}
                      - {role: service, label: 'tier in (front)'}
                    attach_metadata: {node: true, namespace: true}
            """);
    assertEquals("endpoints", c.role());
    assertEquals("https://k8s.example:6443", c.apiServer());
    assertNull(c.kubeconfigFile());
    assertEquals(dir.resolve("token").toString(), c.httpClient().authorization().credentialsFile());
    assertEquals(dir.resolve("ca.crt").toString(), c.httpClient().tlsConfig().caFile());
    assertEquals("http://proxy:3128", c.httpClient().proxyUrl());
    assertFalse(c.httpClient().followRedirects());
    assertFalse(c.httpClient().enableHttp2());
    assertEquals(List.of("a", "b"), c.namespaces().names());
    assertFalse(c.namespaces().ownNamespace());
    assertEquals(new Selector("pod", "app=web", "spec.nodeName=n1"), c.selector("pod"));
    assertEquals(new Selector("service", "tier in (front)", ""), c.selector("service"));
    assertNull(c.selector("endpoints"));
    assertTrue(c.attachNode());
    assertTrue(c.attachNamespace());
  }

  @Test
  void inClusterDefaults() throws IOException {
    KubernetesSdConfig c = load("      - role: node\n");
    assertNull(c.apiServer());
    assertNull(c.kubeconfigFile());
    assertEquals(HttpClientConfig.DEFAULT, c.httpClient());
    assertEquals(KubernetesSdConfig.Namespaces.ALL, c.namespaces());
    assertEquals(List.of(), c.selectors());
    assertFalse(c.attachNode());
    assertFalse(c.attachNamespace());
  }

  @Test
  void kubeconfigPathIsRelativeToTheConfigFile() throws IOException {
    KubernetesSdConfig c = load("      - role: pod\n        kubeconfig_file: kube/config\n");
    assertEquals(dir.resolve("kube/config").toString(), c.kubeconfigFile());
  }
}
