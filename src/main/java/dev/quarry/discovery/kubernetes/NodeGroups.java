package dev.quarry.discovery.kubernetes;

import static dev.quarry.discovery.kubernetes.MetaLabels.ADDRESS;
import static dev.quarry.discovery.kubernetes.MetaLabels.PREFIX;
import static dev.quarry.discovery.kubernetes.MetaLabels.str;

import dev.quarry.discovery.TargetGroup;
import dev.quarry.model.Labels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code node} role, as Prometheus 2.42's {@code node.go}: one group per node (source {@code
 * node/<name>}) with one target at the kubelet port of the first address of the most preferred type
 * (InternalIP, InternalDNS, ExternalIP, ExternalDNS, LegacyHostIP, Hostname), {@code instance} set
 * to the node name and the first address of each type as {@code
 * __meta_kubernetes_node_address_<type>}. Stateless.
 */
final class NodeGroups {
  static final String NODE = PREFIX + "node";
  private static final List<String> PREFERENCE =
      List.of("InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname");

  private NodeGroups() {}

  static String source(String key) {
    return "node/" + key;
  }

  /**
   * The group, or null when the node has no usable address: Prometheus then sends nothing, so the
   * node's previous group stays.
   */
  static TargetGroup build(String key, Node node) {
    Map<String, String> first = new LinkedHashMap<>();
    if (node.getStatus() != null) {
      for (NodeAddress a : PodGroups.nonNull(node.getStatus().getAddresses())) {
        first.putIfAbsent(str(a.getType()), str(a.getAddress()));
      }
    }
    String addr = null;
    for (String type : PREFERENCE) {
      if (first.containsKey(type)) {
        addr = first.get(type);
        break;
      }
    }
    if (addr == null) {
      return null;
    }
    Labels.Builder g = Labels.builder();
    String name = str(node.getMetadata().getName());
    g.set(NODE + "_name", name);
    g.set(NODE + "_provider_id", node.getSpec() == null ? "" : str(node.getSpec().getProviderID()));
    MetaLabels.addLabelsAndAnnotations(g, NODE, node.getMetadata());
    Integer port = null;
    var status = node.getStatus();
    if (status.getDaemonEndpoints() != null
        && status.getDaemonEndpoints().getKubeletEndpoint() != null) {
      port = status.getDaemonEndpoints().getKubeletEndpoint().getPort();
    }
    Labels.Builder t =
        Labels.builder()
            .set(ADDRESS, MetaLabels.joinHostPort(addr, MetaLabels.port(port)))
            .set("instance", name);
    first.forEach((type, a) -> t.set(MetaLabels.sanitize(NODE + "_address_" + type), a));
    return new TargetGroup(source(key), List.of(t.build()), g.build());
  }
}
