package dev.quarry.discovery.kubernetes;

import static dev.quarry.discovery.kubernetes.KubernetesResource.ENDPOINTS;
import static dev.quarry.discovery.kubernetes.KubernetesResource.ENDPOINTSLICES;
import static dev.quarry.discovery.kubernetes.KubernetesResource.INGRESSES;
import static dev.quarry.discovery.kubernetes.KubernetesResource.NAMESPACES;
import static dev.quarry.discovery.kubernetes.KubernetesResource.NODES;
import static dev.quarry.discovery.kubernetes.KubernetesResource.PODS;
import static dev.quarry.discovery.kubernetes.KubernetesResource.SERVICES;

import dev.quarry.config.KubernetesSdConfig;
import dev.quarry.discovery.TargetGroup;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What one role watches and how a change of each watched resource maps to the groups to rebuild,
 * following Prometheus 2.42's event handlers: the primary resource's own key; for the endpoints
 * roles the endpoints/slices of a changed service (pod changes alone rebuild nothing, as in 2.42);
 * with {@code attach_metadata} the objects on a changed node or in a changed namespace. Stateless.
 */
final class RoleSpec {
  /** Which selector role applies to a watched resource (null: none, e.g. namespaces). */
  private final Map<KubernetesResource, String> watched = new EnumMap<>(KubernetesResource.class);

  final KubernetesResource primary;
  final String role;

  RoleSpec(KubernetesSdConfig c) {
    this.role = c.role();
    this.primary =
        switch (c.role()) {
          case "pod" -> PODS;
          case "service" -> SERVICES;
          case "endpoints" -> ENDPOINTS;
          case "endpointslice" -> ENDPOINTSLICES;
          case "node" -> NODES;
          case "ingress" -> INGRESSES;
          default -> throw new IllegalArgumentException("unknown role " + c.role());
        };
    watched.put(primary, primary.role);
    if (primary == ENDPOINTS || primary == ENDPOINTSLICES) {
      watched.put(SERVICES, "service");
      watched.put(PODS, "pod");
    }
    boolean nodeMeta = primary == PODS || primary == ENDPOINTS || primary == ENDPOINTSLICES;
    if (c.attachNode() && nodeMeta) {
      watched.put(NODES, "node");
    }
    if (c.attachNamespace() && primary != NODES) {
      watched.put(NAMESPACES, null);
    }
  }

  Map<KubernetesResource, String> watched() {
    return watched;
  }

  boolean attachNode() {
    return watched.containsKey(NODES) && primary != NODES;
  }

  boolean attachNamespace() {
    return watched.containsKey(NAMESPACES);
  }

  /** Informer key of an object: {@code namespace/name}, or {@code name} when cluster-scoped. */
  static String key(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return ns == null || ns.isEmpty()
        ? o.getMetadata().getName()
        : ns + "/" + o.getMetadata().getName();
  }

  /** The primary keys to rebuild after {@code obj} of {@code resource} changed. */
  List<String> affected(
      KubernetesResource resource,
      HasMetadata obj,
      Function<KubernetesResource, List<HasMetadata>> list) {
    if (resource == primary) {
      return List.of(key(obj));
    }
    String name = obj.getMetadata().getName();
    List<String> out = new ArrayList<>();
    switch (resource) {
      case SERVICES -> {
        String ns = obj.getMetadata().getNamespace();
        if (primary == ENDPOINTS) {
          out.add(key(obj));
        } else {
          for (HasMetadata o : list.apply(primary)) {
            var labels = o.getMetadata().getLabels();
            if (Objects.equals(o.getMetadata().getNamespace(), ns)
                && labels != null
                && name.equals(labels.get(EndpointSliceGroups.SERVICE_NAME_LABEL))) {
              out.add(key(o));
            }
          }
        }
      }
      case NODES -> {
        for (HasMetadata o : list.apply(primary)) {
          if (onNode(o, name)) {
            out.add(key(o));
          }
        }
      }
      case NAMESPACES -> {
        for (HasMetadata o : list.apply(primary)) {
          if (name.equals(o.getMetadata().getNamespace())) {
            out.add(key(o));
          }
        }
      }
      default -> {
        // pods behind endpoints: Prometheus 2.42 rebuilds nothing on pod events
      }
    }
    return out;
  }

  private static boolean onNode(HasMetadata o, String node) {
    if (o instanceof Pod p) {
      return p.getSpec() != null && node.equals(p.getSpec().getNodeName());
    }
    if (o instanceof Endpoints e) {
      for (var ss : PodGroups.nonNull(e.getSubsets())) {
        for (var a : PodGroups.nonNull(ss.getAddresses())) {
          if (node.equals(a.getNodeName())) {
            return true;
          }
        }
        for (var a : PodGroups.nonNull(ss.getNotReadyAddresses())) {
          if (node.equals(a.getNodeName())) {
            return true;
          }
        }
      }
      return false;
    }
    if (o instanceof EndpointSlice s) {
      for (var ep : PodGroups.nonNull(s.getEndpoints())) {
        if (node.equals(ep.getNodeName())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The source a primary key's group has. */
  String source(String key) {
    return switch (primary) {
      case PODS -> PodGroups.source(key);
      case SERVICES -> ServiceGroups.source(key);
      case ENDPOINTS -> EndpointsGroups.source(key);
      case ENDPOINTSLICES -> EndpointSliceGroups.source(key);
      case NODES -> NodeGroups.source(key);
      default -> IngressGroups.source(key);
    };
  }

  /** The group of a primary object; null when Prometheus would send nothing (keep the old). */
  TargetGroup build(String key, HasMetadata o, Lookup lookup) {
    return switch (primary) {
      case PODS -> PodGroups.build(key, (Pod) o, lookup);
      case SERVICES -> ServiceGroups.build(key, (Service) o, lookup);
      case ENDPOINTS -> EndpointsGroups.build(key, (Endpoints) o, lookup);
      case ENDPOINTSLICES -> EndpointSliceGroups.build(key, (EndpointSlice) o, lookup);
      case NODES -> NodeGroups.build(key, (Node) o);
      default -> IngressGroups.build(key, (Ingress) o, lookup);
    };
  }
}
