package dev.quarry.config;

import java.util.List;

/**
 * One entry of {@code kubernetes_sd_configs}, validated as Prometheus does. Exactly one way to
 * reach the API server is set: {@code apiServer} (with {@code httpClient}), {@code kubeconfigFile},
 * or neither, meaning the pod's in-cluster service account.
 *
 * @param role one of {@link #ROLES}
 * @param apiServer the API server URL, or null
 * @param kubeconfigFile absolute path of a kubeconfig file, or null
 * @param httpClient client settings used with {@code apiServer} ({@link HttpClientConfig#DEFAULT}
 *     otherwise)
 * @param namespaces namespaces to watch; none (and no own namespace) means all namespaces
 * @param selectors at most one per role, in config order
 * @param attachNode {@code attach_metadata.node}: node labels on pod and endpoint targets
 * @param attachNamespace {@code attach_metadata.namespace}: namespace labels and annotations
 */
public record KubernetesSdConfig(
    String role,
    String apiServer,
    String kubeconfigFile,
    HttpClientConfig httpClient,
    Namespaces namespaces,
    List<Selector> selectors,
    boolean attachNode,
    boolean attachNamespace)
    implements ServiceDiscoveryConfig {

  /** The roles, in the order Prometheus lists them in its errors. */
  public static final List<String> ROLES =
      List.of("pod", "service", "endpoints", "endpointslice", "node", "ingress");

  /** {@code namespaces}: the own namespace (in-cluster only) and explicit names. */
  public record Namespaces(boolean ownNamespace, List<String> names) {
    public static final Namespaces ALL = new Namespaces(false, List.of());
  }

  /** One {@code selectors} entry: a label and a field selector for the resources of a role. */
  public record Selector(String role, String label, String field) {}

  /** The selector configured for {@code role}, or null. */
  public Selector selector(String role) {
    for (Selector s : selectors) {
      if (s.role().equals(role)) {
        return s;
      }
    }
    return null;
  }
}
