package dev.quarry.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * Every Kubernetes resource {@code kubernetes_sd_configs} lists and watches, with its API group and
 * whether it is namespaced. The deployment's ClusterRole must grant {@code get, list, watch} on
 * each (a test checks {@code k8s/} against this list).
 */
public enum KubernetesResource {
  PODS("", "pods", "pod", true, Pod.class),
  SERVICES("", "services", "service", true, Service.class),
  ENDPOINTS("", "endpoints", "endpoints", true, Endpoints.class),
  ENDPOINTSLICES("discovery.k8s.io", "endpointslices", "endpointslice", true, EndpointSlice.class),
  NODES("", "nodes", "node", false, Node.class),
  INGRESSES("networking.k8s.io", "ingresses", "ingress", true, Ingress.class),
  NAMESPACES("", "namespaces", "namespace", false, Namespace.class);

  /** API group; empty for the core group. */
  public final String apiGroup;

  /** Plural resource name, as RBAC rules name it. */
  public final String resource;

  /** The singular name used as the {@code role} label of the event metrics. */
  public final String role;

  /** Whether objects live in a namespace (informers then watch one namespace or all). */
  public final boolean namespaced;

  final Class<? extends HasMetadata> type;

  KubernetesResource(
      String apiGroup,
      String resource,
      String role,
      boolean namespaced,
      Class<? extends HasMetadata> type) {
    this.apiGroup = apiGroup;
    this.resource = resource;
    this.role = role;
    this.namespaced = namespaced;
    this.type = type;
  }
}
